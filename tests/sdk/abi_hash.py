#!/usr/bin/env python3
"""Fails when core/include/saksi/plugin_abi.h changes without an ABI version
bump. The hash is of the header's tokens: comments and whitespace are left
out, so rewording a comment needs no bump, but any change to the code does.

  abi_hash.py HEADER HASHFILE           check (the CI test)
  abi_hash.py HEADER HASHFILE --write   record the header's version and hash
"""
import hashlib
import re
import sys


def tokens(header_text):
    text = re.sub(r"/\*.*?\*/", " ", header_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return " ".join(text.split())


def version(header_text):
    major = re.search(r"^#define SAKSI_ABI_MAJOR (\d+)", header_text, re.M)
    minor = re.search(r"^#define SAKSI_ABI_MINOR (\d+)", header_text, re.M)
    if not major or not minor:
        sys.exit("plugin_abi.h defines no SAKSI_ABI_MAJOR / SAKSI_ABI_MINOR")
    return f"{major.group(1)}.{minor.group(1)}"


def main():
    header, hash_file = sys.argv[1], sys.argv[2]
    text = open(header, encoding="utf-8").read()
    current = f"{version(text)} {hashlib.sha256(tokens(text).encode()).hexdigest()}"
    if sys.argv[3:] == ["--write"]:
        with open(hash_file, "w", encoding="utf-8") as f:
            f.write(current + "\n")
        print(f"wrote {hash_file}: {current}")
        return
    recorded = open(hash_file, encoding="utf-8").read().split()
    recorded_version, recorded_hash = recorded[0], recorded[1]
    now_version, now_hash = current.split()
    if (now_version, now_hash) == (recorded_version, recorded_hash):
        print(f"ok: plugin ABI {now_version}, header unchanged")
        return
    write = f"python3 {sys.argv[0]} {header} {hash_file} --write"
    if now_hash != recorded_hash and now_version == recorded_version:
        sys.exit(
            f"FAIL: {header} changed, but its ABI version is still {now_version}.\n"
            "Every change to the plugin ABI needs a version bump (see docs/abi.md, "
            "'Stability promise'):\n"
            "  - SAKSI_ABI_MINOR + 1 for a compatible change (a new field at the end of a "
            "size-prefixed struct, a new optional callback or hook, a new constant);\n"
            "  - SAKSI_ABI_MAJOR + 1 (minor 0) for anything else.\n"
            f"Then record the new version and hash:\n  {write}")
    sys.exit(
        f"FAIL: {hash_file} records ABI {recorded_version} but {header} is "
        f"{now_version}{' with a different hash' if now_hash != recorded_hash else ''}.\n"
        f"After a deliberate bump, record the new version and hash:\n  {write}")


if __name__ == "__main__":
    main()
