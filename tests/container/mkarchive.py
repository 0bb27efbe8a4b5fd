#!/usr/bin/env python3
"""Build sbox container archives for the import tests, good and crafted-bad.

usage: mkarchive.py KIND OUT
A well-formed archive is what `sbox export` writes: metadata.plist first,
definition.json second (its sha256 in the metadata), then Data/ and root/.
Each bad KIND breaks exactly one rule import must enforce.
"""
import datetime
import hashlib
import io
import plistlib
import sys
import tarfile
import zipfile

DEFINITION = b'{"name":"imp","filesystem":{"read":["/usr"]}}\n'


def metadata(name="imp", digest=None, fmt=1):
    return plistlib.dumps({
        "Name": name,
        "Identifier": "org.example." + name,
        "DefinitionDigest": digest or "sha256:" + hashlib.sha256(DEFINITION).hexdigest(),
        "Created": datetime.datetime(2026, 1, 2, 3, 4, 5),
        "OwnerUID": 1000,
        "SboxVersion": "0.1.0",
        "Template": "default",
        "HasRoot": False,
        "SboxContainerFormat": fmt,
    }, fmt=plistlib.FMT_XML)


def add_file(tar, name, data=b"", mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = 1700000000
    tar.addfile(info, io.BytesIO(data))


def add_dir(tar, name, mode=0o755):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = mode
    tar.addfile(info)


def add_link(tar, name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    tar.addfile(info)


def head(tar, meta=None, definition=DEFINITION):
    add_file(tar, "metadata.plist", meta if meta is not None else metadata())
    add_file(tar, "definition.json", definition)
    add_dir(tar, "Data", 0o700)


def good(tar):
    head(tar)
    add_dir(tar, "Data/Library")
    add_dir(tar, "Data/Library/Preferences")
    add_file(tar, "Data/Library/Preferences/x.plist", b"prefs\n", 0o600)
    add_file(tar, "Data/run.sh", b"#!/bin/sh\necho hi\n", 0o755)
    add_link(tar, "Data/Downloads", "/nonexistent/Downloads")
    add_link(tar, "Data/hard", "Data/run.sh", tarfile.LNKTYPE)


def large(tar):
    """Slow enough to unpack that a kill lands in the middle."""
    head(tar)
    for d in range(20):
        add_dir(tar, "Data/d%d" % d)
        for i in range(50):
            add_file(tar, "Data/d%d/f%d" % (d, i), b"z" * 4096)


def traversal(tar):
    head(tar)
    add_file(tar, "Data/../../escaped-traversal", b"x")


def absolute(tar, outside):
    head(tar)
    add_file(tar, outside + "/escaped-absolute", b"x")


def symlink_write(tar, outside):
    head(tar)
    add_link(tar, "Data/evil", outside)
    add_file(tar, "Data/evil/escaped-symlink", b"x")


def hardlink_out(tar, outside):
    head(tar)
    add_link(tar, "Data/h", outside + "/victim", tarfile.LNKTYPE)


def hardlink_dotdot(tar):
    head(tar)
    add_link(tar, "Data/h", "../../../etc/passwd", tarfile.LNKTYPE)


def device(tar):
    head(tar)
    info = tarfile.TarInfo("Data/null")
    info.type = tarfile.CHRTYPE
    info.devmajor, info.devminor = 1, 3
    tar.addfile(info)


def fifo(tar):
    head(tar)
    info = tarfile.TarInfo("Data/fifo")
    info.type = tarfile.FIFOTYPE
    tar.addfile(info)


def setuid(tar):
    head(tar)
    add_file(tar, "Data/su", b"#!/bin/sh\n", 0o4755)


def many(tar):
    head(tar)
    for i in range(300):
        add_file(tar, "Data/f%d" % i, b"")


def big(tar):
    head(tar)
    add_file(tar, "Data/big", b"\0" * (3 * 1024 * 1024))


def no_metadata(tar):
    add_dir(tar, "Data")
    add_file(tar, "Data/x", b"x")


def bad_digest(tar):
    head(tar, meta=metadata(digest="sha256:" + "0" * 64))


def data_symlink(tar, outside):
    add_file(tar, "metadata.plist", metadata())
    add_file(tar, "definition.json", DEFINITION)
    add_link(tar, "Data", outside)


def dup_key(tar):
    # "Name" twice: readers disagree on which value counts, so it is refused.
    meta = metadata().replace(b"<key>Name</key>",
                              b"<key>Name</key><string>other</string><key>Name</key>", 1)
    head(tar, meta=meta)


def dup_def_key(tar):
    # definition.json repeating "network": refused at import, not at launch.
    definition = b'{"name":"imp","network":"none","network":"all"}\n'
    digest = "sha256:" + hashlib.sha256(definition).hexdigest()
    head(tar, meta=metadata(digest=digest), definition=definition)


def stray_top(tar):
    head(tar)
    add_file(tar, "profile.sb", b"(version 1)")


KINDS = ["good", "large", "traversal", "absolute", "symlink-write",
         "hardlink-out", "hardlink-dotdot", "device", "fifo", "setuid", "many",
         "big", "no-metadata", "bad-digest", "data-symlink", "stray-top",
         "dup-key", "dup-def-key",
         "not-an-archive", "zip", "truncated"]


def main():
    if sys.argv[1] == "--all":
        # mkarchive.py --all DIR OUTSIDE: every kind as DIR/KIND.tar
        for kind in KINDS:
            build(kind, "%s/%s.tar" % (sys.argv[2], kind), sys.argv[3])
        return
    build(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "/tmp")


def build(kind, out, outside):
    if kind == "not-an-archive":
        open(out, "wb").write(b"hello, this is not an archive\n" * 10)
        return
    if kind == "zip":
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("metadata.plist", metadata())
            z.writestr("definition.json", DEFINITION)
        return
    if kind == "truncated":
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
            head(tar)
            add_file(tar, "Data/blob", b"y" * 20000)
        open(out, "wb").write(buf.getvalue()[:8000])
        return
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        fn = globals()[kind.replace("-", "_")]
        if fn.__code__.co_argcount == 2:
            fn(tar, outside)
        else:
            fn(tar)


if __name__ == "__main__":
    main()
