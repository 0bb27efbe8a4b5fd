#!/usr/bin/env python3
"""Generate src/policy/vocab_data.c from ../shared/sbpl-data (simbple's dump of
libsandbox's operation/filter tables, macOS 10.12-10.15) plus the vocabulary
newer than 10.15 in tools/vocab-newer.tsv (each row with its release and
source).

Usage: tools/gen-vocab.py SBPL_DATA_DIR > src/policy/vocab_data.c
  e.g. tools/gen-vocab.py ../shared/sbpl-data > src/policy/vocab_data.c
The output is committed; this script only has to run when the data changes.

The tables hold no pointers (strings are offsets into one pool, see
src/policy/vocab_data.h): a static PIE relocates every pointer in constant
data at each start, and tests/tools/t0020-vocab-no-relocs.sh checks that the
object has none.
"""
import sys, os, csv

RELEASES = ["10.12", "10.13", "10.14", "10.15", "11", "12", "13", "14", "15", "latest"]
OPS_FILES = ["sierra", "high_sierra", "mojave", "catalina"]
# Releases after the last public table: they have everything 10.15 has
# (nothing is known to have been removed) plus tools/vocab-newer.tsv.
AFTER_1015 = ["11", "12", "13", "14", "15", "latest"]

def read_newer(path):
    """tools/vocab-newer.tsv: the vocabulary newer than 10.15, each row with
    its fallback or argument type, the release that added it and a source."""
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 6 or not cols[5]:
                sys.exit("gen-vocab: %s: want 6 columns with a source: %r" % (path, line))
            kind, name, parent, extra, since, source = cols
            if since not in RELEASES:
                sys.exit("gen-vocab: %s: unknown release %r" % (path, since))
            rows.append((kind, name, parent, extra, since))
    return rows

def since_mask(since):
    return rel_mask(RELEASES[RELEASES.index(since):])

# SBPL-SEMANTICS.md (b), aliases from the prelude (simbple sbpl_v1.scm
# l.308-376). Target None: neutered to 'no-op in 10.15 (rule dropped).
ALIASES = [
    ("process-exec", "process-exec*", None),
    ("ipc-posix-sem", "ipc-posix-sem*", None),
    ("ipc-posix-shm", "ipc-posix-shm*", None),
    ("sysctl-write", "sysctl*", None),
    ("system-misc", "system*", None),
    ("time-set", "system-set-time", None),
    ("file-fsctl", "system-fsctl", None),
    ("file-unlink", "file-write-unlink", None),
    ("file-write-mount", "file-mount", None),
    ("file-write-unmount", "file-unmount", None),
    ("file-write-umount", "file-unmount", None),
    ("managed-preference*", "managed-preference-read", None),
    ("file-issue-extension*", "file-issue-extension", None),
    ("file-issue-extension-read", "file-issue-extension", None),
    ("file-issue-extension-write", "file-issue-extension", None),
    # 10.15 only: these names became no-ops / were folded
    ("ipc-posix-shm-read-metadata", None, "10.15"),
    ("mach-per-user-lookup", None, "10.15"),
    ("system-chud", None, "10.15"),
    ("qtn-download", None, "10.15"),
    ("ipc-posix-shm-read*", "ipc-posix-shm-read-data", "10.15"),
]

def rel_mask(names):
    m = 0
    for n in names:
        m |= 1 << RELEASES.index(n)
    return m

class StringPool:
    """Distinct strings laid end to end, each NUL-terminated; add() gives
    the C expression for a string's offset (VOCAB_STR_NONE for None)."""
    def __init__(self):
        self.offsets, self.strings, self.size = {}, {}, 0

    def add(self, s):
        if s is None:
            return "VOCAB_STR_NONE"
        if s not in self.offsets:
            if any(c in s for c in '"\\') or not s.isascii() or not s.isprintable():
                sys.exit("gen-vocab: unexpected character in %r" % s)
            self.offsets[s] = self.size
            self.strings[str(self.size)] = s
            self.size += len(s) + 1
        return str(self.offsets[s])

    def write(self, out):
        if self.size >= 0xffff:
            sys.exit("gen-vocab: string pool too large for uint16_t offsets")
        # One literal per line: "\0" never runs into a following digit.
        out.write("const char vocab_strings[] =\n")
        for s, off in self.offsets.items():
            out.write('\t"%s\\0" /* %d */\n' % (s, off))
        out.write("\t;\n")
        out.write("_Static_assert(sizeof(vocab_strings) <= VOCAB_STR_NONE,\n"
                  "\t       \"offsets into vocab_strings fit uint16_t\");\n\n")


def read_tsv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    return rows[0], rows[1:]

def main():
    d = sys.argv[1]
    newer = read_newer(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "vocab-newer.tsv"))
    present = {}
    for i, plat in enumerate(OPS_FILES):
        with open(os.path.join(d, "simbple-operations-%s.txt" % plat)) as f:
            for line in f:
                n = line.strip()
                if n:
                    present.setdefault(n, set()).add(RELEASES[i])
    for n in present:
        if "10.15" in present[n]:
            present[n] |= set(AFTER_1015)
    # Every release has "default", the root of all fallback chains; the
    # sierra dump lacks it (it starts at appleevent-send).
    present["default"] = set(RELEASES)
    newer_ops = {}
    for kind, name, parent, extra, since in newer:
        if kind == "op":
            present.setdefault(name, set()).update(RELEASES[RELEASES.index(since):])
        if kind in ("op", "op-old"):
            newer_ops[name] = (parent, {"allow": 1, "deny": 0, "-": -1}[extra])

    _, info_rows = read_tsv(os.path.join(d, "simbple-operation-info-catalina.tsv"))
    info = {r[0]: r for r in info_rows}

    ops = []
    for n in sorted(present):
        if n in info:
            r = info[n]
            fallback = None if n == "default" else r[2]
            builtin = int(r[3]) if r[1] == "TERMINAL_NODE" else -1
            cats, mods = r[4], r[5]
        elif n in newer_ops:
            fallback, builtin = newer_ops[n]
            if fallback != "default" and fallback not in present:
                sys.exit("gen-vocab: %s falls back to unknown %s" % (n, fallback))
            # categories are not public: any filter is accepted
            cats, mods = None, info["default"][5]
        else:
            sys.exit("gen-vocab: %s is in no table: add it to tools/vocab-newer.tsv" % n)
        ops.append((n, fallback, builtin, cats, mods, rel_mask(present[n])))

    # A rule on a parent operation applies to its children (SBPL-SEMANTICS
    # a.3), so a parent accepts the filter categories of its descendants
    # ((allow process-info* (target self)) ships in Apple profiles).
    # simbple names the op-side category of iokit-registry-entry-class
    # filters "iokit-user-client" (their old name, iokit-user-client-class).
    cats_of = {}
    for n, fb, bi, cats, mods, m in ops:
        cats_of[n] = None if cats is None else set(cats.split(","))
    for n, fb, bi, cats, mods, m in ops:
        p = fb
        while p and p in cats_of and cats_of[n] is not None:
            if cats_of[p] is not None:
                cats_of[p] |= cats_of[n]
            p = next((o[1] for o in ops if o[0] == p), None)
    def cat_list(n):
        c = cats_of[n]
        if c is None:
            return None
        if "iokit-user-client" in c:
            c = c | {"iokit-registry-entry-class"}
        return ",".join(sorted(c))
    ops = [(n, fb, bi, cat_list(n), mods, m) for n, fb, bi, cats, mods, m in ops]

    # Filters: mojave's table for 10.12-10.14 (sierra/high_sierra were not
    # parsed by the extraction, see sbpl-data/README.md), catalina's for
    # 10.15 and later.
    filters = {}
    for plat, rels in (("mojave", ["10.12", "10.13", "10.14"]),
                       ("catalina", ["10.15"] + AFTER_1015)):
        hdr, rows = read_tsv(os.path.join(d, "simbple-filters-%s.tsv" % plat))
        for r in rows:
            name, cat, typ = r[0], r[1], r[2]
            named = r[6] if len(r) > 6 else ""
            key = name
            if key in filters:
                filters[key][4] |= rel_mask(rels)
                filters[key][3] = named or filters[key][3]
            else:
                filters[key] = [name, cat, typ.replace("SB_VALUE_TYPE_", "VOCAB_ARG_"), named, rel_mask(rels)]
    for kind, name, parent, typ, since in newer:
        if kind == "filter":
            # categories are not public: "any" operation takes them
            filters.setdefault(name, [name, "any", typ.replace("SB_VALUE_TYPE_", "VOCAB_ARG_"),
                                      "" if parent == "-" else parent, since_mask(since)])

    _, nrows = read_tsv(os.path.join(d, "simbple-filter-named-args-catalina.tsv"))
    nrows = nrows + [[parent, name, extra] for kind, name, parent, extra, since in newer
                     if kind == "named"]
    named_args = []
    for r in sorted(nrows, key=lambda r: (r[0], r[1])):
        value = int(r[2], 0)
        if not -2**31 <= value < 2**31:
            sys.exit("gen-vocab: %s %s = %s does not fit int32_t" % (r[0], r[1], r[2]))
        named_args.append((r[0], r[1], value))

    # Every table refers to its strings by offset into one pool, so the
    # tables hold no pointers and need no load-time relocation in a PIE.
    pool = StringPool()
    op_rows = [(pool.add(n), pool.add(fb), bi, pool.add(cats), pool.add(mods), m, n)
               for n, fb, bi, cats, mods, m in ops]
    alias_rows = []
    for a, t, only in ALIASES:
        m = rel_mask(["10.15"] + AFTER_1015) if only else rel_mask(RELEASES)
        alias_rows.append((pool.add(a), pool.add(t), m, a))
    filter_rows = []
    for k in sorted(filters):
        name, cat, typ, named, m = filters[k]
        filter_rows.append((pool.add(name), pool.add(cat), typ, pool.add(named or None), m))
    named_rows = [(pool.add(t), pool.add(n), v, t, n) for t, n, v in named_args]

    out = sys.stdout
    out.write("/* Generated by tools/gen-vocab.py from simbple's tables (sbpl-data) and\n"
              " * tools/vocab-newer.tsv; do not edit. */\n")
    out.write('#include "policy/vocab_data.h"\n\n')
    pool.write(out)

    bnames = {-1: "VOCAB_BUILTIN_NONE", 0: "VOCAB_BUILTIN_DENY", 1: "VOCAB_BUILTIN_ALLOW"}
    out.write("const struct vocab_op_row vocab_op_rows[] = {\n")
    for n, fb, bi, cats, mods, m, name in op_rows:
        out.write("\t{ %s, %s, %s, %s, %s, 0x%x }, /* %s */\n" % (
            n, fb, cats, mods, bnames[bi], m, name))
    out.write("};\nconst size_t vocab_op_rows_len = sizeof(vocab_op_rows) / sizeof(vocab_op_rows[0]);\n")
    out.write("/* The rows as struct vocab_op, filled by vocab.c on first use. */\n")
    out.write("struct vocab_op vocab_ops[sizeof(vocab_op_rows) / sizeof(vocab_op_rows[0])];\n\n")

    out.write("const struct vocab_alias_row vocab_alias_rows[] = {\n")
    for a, t, m, name in alias_rows:
        out.write("\t{ %s, %s, 0x%x }, /* %s */\n" % (a, t, m, name))
    out.write("};\nconst size_t vocab_alias_rows_len = sizeof(vocab_alias_rows) / sizeof(vocab_alias_rows[0]);\n\n")

    out.write("const struct vocab_filter_row vocab_filter_rows[] = {\n")
    for name, cat, typ, named, m in filter_rows:
        out.write("\t{ %s, %s, %s, %s, 0x%x }, /* %s */\n" % (
            name, cat, named, typ, m, pool.strings[name]))
    out.write("};\nconst size_t vocab_filter_rows_len = sizeof(vocab_filter_rows) / sizeof(vocab_filter_rows[0]);\n\n")

    out.write("const struct vocab_named_arg_row vocab_named_arg_rows[] = {\n")
    for t, n, v, tname, name in named_rows:
        out.write("\t{ %s, %s, %d }, /* %s %s */\n" % (t, n, v, tname, name))
    out.write("};\nconst size_t vocab_named_arg_rows_len = sizeof(vocab_named_arg_rows) / sizeof(vocab_named_arg_rows[0]);\n")

main()
