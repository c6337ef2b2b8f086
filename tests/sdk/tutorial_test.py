#!/usr/bin/env python3
"""Follows docs/plugins.md literally: installs Saksi into a temporary prefix,
writes the tutorial's files, runs its shell steps, and checks that the
tutorial plugin's entities are in the record. Also builds plugins/_template
against the same prefix, and checks the install layout and saksi.toml's
plugin_paths.

Conventions in the doc: a fenced block whose info string is
`<lang> file=<path>` is a file of the tutorial, written to
$HOME/telegram-plugin/<path>; a block `sh run` is a step, run in order in
one bash script (set -euo pipefail) that starts in a Saksi checkout (a folder
whose `build` is the build tree under test). HOME is a temporary folder.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

FENCE = re.compile(r"^```(\w+)?(.*)$")


def blocks(markdown):
    """Yields (language, attributes, text) for each fenced block."""
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        lang, attrs = m.group(1) or "", m.group(2).split()
        body = []
        i += 1
        while i < len(lines) and lines[i].rstrip() != "```":
            body.append(lines[i])
            i += 1
        i += 1
        yield lang, attrs, "\n".join(body) + "\n"


def run(cmd, **kw):
    print("+", " ".join(cmd) if isinstance(cmd, list) else cmd, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def fail(message):
    print("FAIL:", message, file=sys.stderr)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()

    doc = open(os.path.join(args.source_dir, "docs/plugins.md"), encoding="utf-8").read()
    files, steps = {}, []
    for lang, attrs, text in blocks(doc):
        for a in attrs:
            if a.startswith("file="):
                files[a[len("file="):]] = text
        if lang == "sh" and "run" in attrs:
            steps.append(text)
    for needed in ("telegram.cpp", "CMakeLists.txt", "telegram.toml"):
        if needed not in files:
            fail(f"docs/plugins.md has no block `file={needed}`")
    if not steps:
        fail("docs/plugins.md has no `sh run` step")

    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    home = os.path.join(work, "home")
    checkout = os.path.join(work, "checkout")
    os.makedirs(checkout)
    os.symlink(os.path.abspath(args.build_dir), os.path.join(checkout, "build"))
    plugin_dir = os.path.join(home, "telegram-plugin")
    for path, text in files.items():
        target = os.path.join(plugin_dir, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)

    env = dict(os.environ, HOME=home)
    env.pop("CMAKE_PREFIX_PATH", None)
    # The tutorial is for Debian 12: its python3 is Debian's, with
    # python3-reportlab, not a user-installed interpreter that may lack it.
    if os.path.exists("/usr/bin/python3"):
        env["PATH"] = "/usr/bin:" + env.get("PATH", "")
    script = "set -euo pipefail\nset -x\n" + "\n".join(steps)
    run(["bash", "-c", script], cwd=checkout, env=env)

    prefix = os.path.join(home, "saksi")
    saksi = os.path.join(prefix, "bin", "saksi")

    # The install layout the package and the tutorial rely on.
    for rel in ("include/saksi/plugin_abi.h", "include/saksi/sdk/sdk.hpp",
                "include/saksi/sdk/page_words.hpp", "share/saksi/pipelines/evidence.toml",
                "share/saksi/config/saksi.toml"):
        if not os.path.isfile(os.path.join(prefix, rel)):
            fail(f"{rel} is not installed")
    if not glob.glob(os.path.join(prefix, "lib*/**/cmake/Saksi/SaksiConfig.cmake"),
                     recursive=True):
        fail("SaksiConfig.cmake is not installed")

    # The records: both forms of the account, with page, span and box.
    records = glob.glob(os.path.join(plugin_dir, "out/records/*.json"))
    if len(records) != 1:
        fail(f"expected one record, found {records}")
    record = json.load(open(records[0], encoding="utf-8"))
    if record["status"] != "ok":
        fail(f"record status {record['status']}: {record.get('errors')}")
    found = {(e["text"], e["normalized"]) for e in record["entities"]
             if e["type"] == "url" and e["detector"] == "extract.telegram@1.0.0"}
    expected = {("@rina_loker", "https://t.me/rina_loker"),
                ("t.me/rina_loker", "https://t.me/rina_loker")}
    if found != expected:
        fail(f"entities {found}, expected {expected}; record entities: {record['entities']}")
    page_text = record["pages"][0]["text"]
    for e in record["entities"]:
        start, end = e["span"]
        if page_text.encode()[start:end].decode() != e["text"] or e["page"] != 1:
            fail(f"entity {e} does not match its span in page 1")
        x0, y0, x1, y1 = e["bbox"]
        if not (x1 > x0 and y1 > y0):
            fail(f"entity {e} has an empty box")
    if any("office@example.org" in e["text"] for e in record["entities"]):
        fail("an e-mail address was taken for a handle")

    # Only the entry symbol is exported.
    nm = subprocess.run(["nm", "-D", "--defined-only",
                         os.path.join(plugin_dir, "build", "telegram.so")],
                        check=True, capture_output=True, text=True).stdout
    exported = sorted(line.split()[-1] for line in nm.splitlines() if line.strip())
    if exported != ["saksi_plugin_entry"]:
        fail(f"telegram.so exports {exported}, expected only saksi_plugin_entry")

    # plugin_paths in the installed saksi.toml, relative to its folder.
    toml = os.path.join(prefix, "share/saksi/config/saksi.toml")
    rel = os.path.relpath(os.path.join(plugin_dir, "build"), os.path.dirname(toml))
    with open(toml, "w", encoding="utf-8") as f:
        f.write(f'plugin_paths = ["{rel}"]\n')
    listing = subprocess.run([saksi, "plugins"], check=True, capture_output=True,
                             text=True).stdout
    if "extract.telegram" not in listing or os.path.join(plugin_dir, "build") not in listing:
        fail(f"plugin_paths in saksi.toml did not load the plugin:\n{listing}")
    if os.path.join(prefix, "lib") not in listing:
        fail(f"the installed saksi did not load its built-in plugins:\n{listing}")
    with open(toml, "w", encoding="utf-8") as f:
        f.write("# comment\nplugin_path = []\n")
    bad = subprocess.run([saksi, "plugins"], capture_output=True, text=True)
    if bad.returncode != 2 or f"{toml}:2:" not in bad.stderr:
        fail(f"a bad saksi.toml gave exit {bad.returncode}, stderr {bad.stderr!r}")

    # The template builds against the same install, and its unit test passes.
    template_build = os.path.join(work, "template-build")
    run(["cmake", "-S", os.path.join(args.source_dir, "plugins/_template"), "-B",
         template_build, f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_BUILD_TYPE=Debug"], env=env)
    run(["cmake", "--build", template_build, "-j2"], env=env)
    run(["ctest", "--test-dir", template_build, "--output-on-failure"], env=env)
    with open(toml, "w", encoding="utf-8") as f:
        f.write("plugin_paths = []\n")
    listing = subprocess.run([saksi, "plugins", "--plugin-path", template_build], check=True,
                             capture_output=True, text=True).stdout
    if "extract.template" not in listing:
        fail(f"the template plugin did not load:\n{listing}")

    shutil.rmtree(work, ignore_errors=True)
    print("ok: tutorial followed, entities found, template built")


if __name__ == "__main__":
    main()
