#!/usr/bin/env python3
"""A plugin built against the frozen ABI 1.0 header loads in this host
(`saksi plugins` lists it, nothing refused) and its stage runs in a pipeline
(its entity is in the record)."""
import argparse
import glob
import json
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

    listing = subprocess.run([args.saksi, "plugins", "--plugin-path", args.plugin_dir],
                             check=True, capture_output=True, text=True).stdout
    if "abi_1_0 1.0.0" not in listing or "extract.abi_1_0" not in listing:
        sys.exit(f"FAIL: the ABI 1.0 plugin is not loaded:\n{listing}")
    if "refused: none" not in listing:
        sys.exit(f"FAIL: something was refused:\n{listing}")

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
    hits = [e for e in record["entities"] if e["text"] == "saksi://abi-test/1.0"]
    if len(hits) != 1 or hits[0]["detector"] != "extract.abi_1_0@1.0.0":
        sys.exit(f"FAIL: the 1.0 plugin's entity is missing: {record['entities']}")
    shutil.rmtree(args.out, ignore_errors=True)
    print("ok: a plugin built for ABI 1.0 loads and runs")


if __name__ == "__main__":
    main()
