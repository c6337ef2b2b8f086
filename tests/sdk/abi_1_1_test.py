#!/usr/bin/env python3
"""A decoder built against the frozen ABI 1.1 header runs in this host: its
five pages (with images, through the 1.1 saksi_page_init) are preprocessed a
page at a time and freed, the redaction burns every page in from the copies
the host kept under OUT/.work/ and read back (else: redaction.no_image), and
nothing is left in OUT/.work/."""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--saksi", required=True)
    ap.add_argument("--plugin-dir", required=True)
    ap.add_argument("--pipeline", required=True)
    ap.add_argument("--sample", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    shutil.rmtree(args.out, ignore_errors=True)
    run = subprocess.run([args.saksi, "process", args.sample, "--out", args.out, "--pipeline",
                          args.pipeline, "--plugin-path", args.plugin_dir, "--jobs", "1"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"FAIL: saksi process exited {run.returncode}:\n{run.stdout}{run.stderr}")
    records = glob.glob(f"{args.out}/records/*.json")
    if len(records) != 1:
        sys.exit(f"FAIL: expected one record, found {records}")
    record = json.load(open(records[0], encoding="utf-8"))
    pages = record["pages"]
    if record["status"] != "ok" or len(pages) != 5:
        sys.exit(f"FAIL: status {record['status']}, {len(pages)} pages, {record['errors']}")
    for page in pages:
        if page["image_source"] is not None:
            sys.exit(f"FAIL: page {page['number']}: image_source {page['image_source']}")
    pdf = open(os.path.join(args.out, "redacted", record["id"] + ".pdf"), "rb").read()
    if len(re.findall(rb"/Type\s*/Page\b", pdf)) != 5:
        sys.exit("FAIL: the redacted PDF does not have the five pages")
    if os.path.exists(os.path.join(args.out, ".work")):
        sys.exit(f"FAIL: scratch files left: {os.listdir(os.path.join(args.out, '.work'))}")
    shutil.rmtree(args.out, ignore_errors=True)
    print("ok: a decoder built for ABI 1.1 streams its pages through a 1.2 host")


if __name__ == "__main__":
    main()
