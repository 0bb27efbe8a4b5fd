# record.py FILE OP TARGET [KEY=VALUE...]: exit 0 when FILE (JSON lines of
# `sbox ... --trace=FILE`) has a record of OP on TARGET whose fields match
# (why.X for the reason's fields; a value ending in '*' is a prefix).
import json, sys

def get(rec, key):
    for part in key.split("."):
        rec = rec.get(part) if isinstance(rec, dict) else None
    return rec

def matches(have, want):
    if want.endswith("*"):
        return str(have).startswith(want[:-1])
    return str(have) == want

path, op, target = sys.argv[1:4]
wants = [a.split("=", 1) for a in sys.argv[4:]]
seen = []
for line in open(path):
    rec = json.loads(line)
    if "operation" not in rec:
        continue
    seen.append(line.strip())
    where = rec.get("path", rec.get("address", rec.get("target")))
    if rec["operation"] != op or where != target:
        continue
    bad = [(k, v, get(rec, k)) for k, v in wants if not matches(get(rec, k), v)]
    if not bad:
        sys.exit(0)
    print("record found, but: " + ", ".join("%s=%r, wanted %r" % (k, h, v) for k, v, h in bad))
    sys.exit(1)
print("no record of %s %s in:\n  %s" % (op, target, "\n  ".join(seen)))
sys.exit(1)
