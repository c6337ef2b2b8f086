#!/usr/bin/env python3
"""extract.contract end to end: the contract scan and the digital contract
through the default pipeline; the record's "contract" must name the employer,
agency and worker, give the salary {amount, currency, period} of
samples/.generator/manifest.json, and flag the passport-retention,
wage-deduction and placement-fee clauses as forced-labour indicators.

usage: contract_test.py --saksi BIN [--repo DIR] [--files NAME...] [unittest args]

Set SAKSI_KEEP_TEST_OUTPUT=1 to keep the output folder for a look.
"""
import json
import os
import sys
import tempfile
import unittest
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from saksi_testing import describe, remove_unless_kept, run, sha256_file  # noqa: E402
import saksi_testing  # noqa: E402

ARGS = None  # filled in by main()
PROCESS_TIMEOUT = 900  # seconds
DEFAULT_FILES = ("contract_scan.png", "contract_digital.pdf")
FIELDS = ("employer", "agency", "worker")
# Clause type -> the ILO indicator the sample contracts must be flagged with.
INDICATORS = {
    "passport_retention": "retention_of_identity_documents",
    "salary_deduction": "debt_bondage",
    "placement_fee": "debt_bondage",
}


class ContractTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        samples = os.path.join(ARGS.repo, "samples")
        with open(os.path.join(samples, ".generator", "manifest.json"), encoding="utf-8") as f:
            manifest = {d["file"]: d for d in json.load(f)["documents"]}
        cls.documents = [manifest[name] for name in ARGS.files]
        paths = [os.path.join(samples, d["file"]) for d in cls.documents]
        cls.tmp = tempfile.mkdtemp(prefix="saksi-contract-")
        out = os.path.join(cls.tmp, "out")
        proc = run([ARGS.saksi, "process", *paths, "--out", out], timeout=PROCESS_TIMEOUT)
        if proc.returncode != 0:
            raise RuntimeError("saksi process failed" + describe(proc))
        cls.records = {}
        for doc, path in zip(cls.documents, paths):
            with open(os.path.join(out, "records", sha256_file(path) + ".json"),
                      encoding="utf-8") as f:
                cls.records[doc["file"]] = json.load(f)

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)

    def contract(self, doc):
        record = self.records[doc["file"]]
        self.assertIn("contract", record, f"{doc['file']}: no contract object")
        return record["contract"]

    def test_parties(self):
        for doc in self.documents:
            contract = self.contract(doc)
            for field in FIELDS:
                with self.subTest(file=doc["file"], field=field):
                    self.assertEqual(contract.get(field), doc["contract"][field])

    def test_salary(self):
        for doc in self.documents:
            with self.subTest(file=doc["file"]):
                salary = self.contract(doc).get("salary") or {}
                expected = doc["contract"]["salary"]
                self.assertEqual({k: salary.get(k) for k in expected}, expected)

    def test_indicator_clauses(self):
        for doc in self.documents:
            clauses = self.contract(doc).get("clauses", [])
            flagged = {(i["type"], i["indicator"]) for c in clauses for i in c.get("indicators", [])}
            for clause_type, indicator in INDICATORS.items():
                with self.subTest(file=doc["file"], clause=clause_type):
                    self.assertIn((clause_type, indicator), flagged)
            with self.subTest(file=doc["file"], clause="passport text"):
                passport = [c for c in clauses if c["type"] == "passport_retention"]
                self.assertTrue(passport and "paspor" in passport[0]["text"])
                page = self.records[doc["file"]]["pages"][passport[0]["page"] - 1]["text"]
                start, end = passport[0]["span"]
                self.assertEqual(page.encode("utf-8")[start:end].decode("utf-8"),
                                 passport[0]["text"])
            with self.subTest(file=doc["file"], clause="no tourist visa"):
                self.assertNotIn("tourist_visa", {t for t, _ in flagged})


if __name__ == "__main__":
    saksi_testing.main(__doc__, lambda p: p.add_argument(
        "--files", nargs="+", default=list(DEFAULT_FILES)))
