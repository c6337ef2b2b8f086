#!/usr/bin/env python3
"""samples/passport_uto.png through the default pipeline: document.kind is
"passport" and every passport.mrz field equals the manifest's "mrz"."""
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402

ARGS = None


class PassportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.TemporaryDirectory(prefix="saksi-passport-")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        sample = os.path.join(ARGS.repo, "samples", "passport_uto.png")
        cls.proc = subprocess.run([ARGS.saksi, "process", sample, "--out", cls.out.name],
                                  capture_output=True, text=True, env=env, timeout=240)
        records = glob.glob(os.path.join(cls.out.name, "records", "*.json"))
        cls.record = json.load(open(records[0])) if len(records) == 1 else None
        manifest = json.load(open(os.path.join(ARGS.repo, "samples", ".generator",
                                               "manifest.json")))
        cls.expected = next(d for d in manifest["documents"] if d["file"] == "passport_uto.png")

    @classmethod
    def tearDownClass(cls):
        cls.out.cleanup()

    def test_exit_code_is_zero(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)

    def test_kind_is_passport(self):
        self.assertIsNotNone(self.record, self.proc.stderr)
        self.assertEqual(self.record["document"]["kind"], "passport")

    def test_every_mrz_field(self):
        self.assertIsNotNone(self.record, self.proc.stderr)
        mrz = self.record.get("passport", {}).get("mrz")
        self.assertIsNotNone(mrz, "no passport.mrz in the record")
        for key, value in self.expected["mrz"].items():
            with self.subTest(field=key):
                self.assertEqual(mrz.get(key), value)

    def test_passport_number_entity(self):
        self.assertIsNotNone(self.record, self.proc.stderr)
        numbers = [e for e in self.record["entities"] if e["type"] == "passport_number"
                   and e["normalized"] == self.expected["mrz"]["document_number"]]
        self.assertTrue(numbers, "no passport_number entity for the printed number")
        self.assertTrue(all(e["sensitive"] for e in numbers))


if __name__ == "__main__":
    saksi_testing.main(__doc__)
