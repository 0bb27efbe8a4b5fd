#!/usr/bin/env python3
"""Compare two folder trees: names, types, modes, mtimes, symlink targets,
file contents and hard-link groups. usage: treecmp.py A B; exit 1 and a
list of differences when they differ."""
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
b, gb = walk(sys.argv[2])
bad = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
for k in bad:
    print("differs:", k, a.get(k, "missing")[:2], b.get(k, "missing")[:2])
if ga != gb:
    print("hard links differ:", ga, gb)
sys.exit(1 if bad or ga != gb else 0)
