#!/usr/bin/env python3
"""extract.identifiers end to end: the contract scan, the digital contract and
the chat screenshot through the default pipeline; every phone (E.164), NIK,
passport number, bank account, e-mail and money label of
samples/.generator/manifest.json must be among the stage's entities with the
right normalized value. Prints precision and recall per type.

usage: identifiers_test.py --saksi BIN [--repo DIR] [--files NAME...] [unittest args]

Set SAKSI_KEEP_TEST_OUTPUT=1 to keep the output folder for a look.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from saksi_testing import label_values, record_values, remove_unless_kept, score, sha256_file  # noqa: E402
import saksi_testing  # noqa: E402

ARGS = None  # filled in by main()
PROCESS_TIMEOUT = 1200  # seconds
DETECTOR = "extract.identifiers@"
# The types whose labels must all be found; dates and URLs are only measured.
REQUIRED = ("phone", "national_id", "passport_number", "bank_account", "email", "money")
MEASURED = REQUIRED + ("date", "url")
DEFAULT_FILES = ("contract_scan.png", "contract_digital.pdf", "chat_whatsapp.png")



class IdentifiersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        samples = os.path.join(ARGS.repo, "samples")
        with open(os.path.join(samples, ".generator", "manifest.json"), encoding="utf-8") as f:
            manifest = {d["file"]: d for d in json.load(f)["documents"]}
        cls.documents = [manifest[name] for name in ARGS.files]
        paths = [os.path.join(samples, d["file"]) for d in cls.documents]
        cls.tmp = tempfile.mkdtemp(prefix="saksi-identifiers-")
        out = os.path.join(cls.tmp, "out")
        proc = subprocess.run([ARGS.saksi, "process", *paths, "--out", out],
                              capture_output=True, text=True, timeout=PROCESS_TIMEOUT)
        if proc.returncode != 0:
            raise RuntimeError(f"saksi process exited {proc.returncode}\n{proc.stderr[-4000:]}")
        cls.found = {}  # file -> {type: set of normalized values}
        for doc, path in zip(cls.documents, paths):
            with open(os.path.join(out, "records", sha256_file(path) + ".json"),
                      encoding="utf-8") as f:
                record = json.load(f)
            cls.found[doc["file"]] = record_values(record, DETECTOR)

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)
        cls.report()

    @classmethod
    def report(cls):
        print(f"\n{'type':16} {'labels':>6} {'found':>6} {'right':>6} {'precision':>9} "
              f"{'recall':>6}", file=sys.stderr)
        for t in MEASURED:
            labels = found = right = 0
            for doc in cls.documents:
                n_labels, n_found, n_right = score(label_values(doc["labels"]),
                                                   cls.found[doc["file"]], [t])[t]
                labels += n_labels
                found += n_found
                right += n_right
            precision = f"{right / found:.2f}" if found else "-"
            recall = f"{right / labels:.2f}" if labels else "-"
            print(f"{t:16} {labels:6} {found:6} {right:6} {precision:>9} {recall:>6}",
                  file=sys.stderr)

    def test_every_required_label_is_found(self):
        for doc in self.documents:
            for label in doc["labels"]:
                if label["type"] not in REQUIRED:
                    continue
                with self.subTest(file=doc["file"], label=label["text"]):
                    got = self.found[doc["file"]].get(label["type"], set())
                    self.assertIn(label_values([label])[label["type"]].pop(), got,
                                  f"{label['type']} {label['text']!r} not found; "
                                  f"the stage found {sorted(got)}")


if __name__ == "__main__":
    saksi_testing.main(__doc__, lambda p: p.add_argument(
        "--files", nargs="+", default=list(DEFAULT_FILES)))
