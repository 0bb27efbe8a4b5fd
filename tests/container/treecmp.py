#!/usr/bin/env python3
"""Compare folder trees: names, types, modes, mtimes, symlink targets,
file contents and hard-link groups. usage: treecmp.py REF DIR...; each DIR
is compared with REF; exit 1 and a list of differences when any differs."""
import os
import sys


def walk(top):
    out, inodes = {}, {}
    for dirpath, dirs, files in os.walk(top):
        for n in dirs + files:
            p = os.path.join(dirpath, n)
            rel = os.path.relpath(p, top)
            st = os.lstat(p)
            rec = [oct(st.st_mode)]
            if os.path.islink(p):
                rec.append(os.readlink(p))
            else:
                rec.append(int(st.st_mtime))
                if os.path.isfile(p):
                    rec.append(open(p, "rb").read())
                    inodes.setdefault(st.st_ino, []).append(rel)
            out[rel] = rec
    groups = sorted(sorted(v) for v in inodes.values() if len(v) > 1)
    return out, groups


a, ga = walk(sys.argv[1])
failed = False
for other in sys.argv[2:]:
    b, gb = walk(other)
    bad = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    for k in bad:
        print(other, "differs:", k, a.get(k, "missing")[:2], b.get(k, "missing")[:2])
    if ga != gb:
        print(other, "hard links differ:", ga, gb)
    failed = failed or bool(bad) or ga != gb
sys.exit(1 if failed else 0)
