#!/usr/bin/env python3
"""`saksi verify OUT`: an untouched output folder passes; a one-byte edit of
a record, a deleted audit line or a changed original is reported precisely
(exit 3); an original moved away is only noted."""
import glob
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402

ARGS = None

PIPELINE = """name = "verify-test"
[[stage]]
id = "decode.image"
[[stage]]
id = "sink.json"
"""


class VerifyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="saksi-verify-")
        cls.inbox = os.path.join(cls.tmp, "in")
        os.makedirs(cls.inbox)
        for seed in (1, 2, 3):
            saksi_testing.write_png(os.path.join(cls.inbox, f"page{seed}.png"), seed=seed)
        with open(os.path.join(cls.inbox, "empty.png"), "wb"):
            pass  # a failure record, checked like the others
        pipeline = os.path.join(cls.tmp, "verify-test.toml")
        with open(pipeline, "w") as f:
            f.write(PIPELINE)
        cls.out = os.path.join(cls.tmp, "pristine")
        cls.proc = saksi_testing.run([ARGS.saksi, "process", cls.inbox, "--out", cls.out,
                                      "--pipeline", pipeline])

    @classmethod
    def tearDownClass(cls):
        saksi_testing.remove_unless_kept(cls.tmp)

    def copy(self, name):
        dest = os.path.join(self.tmp, name)
        shutil.copytree(self.out, dest)
        return dest

    def verify(self, out):
        return saksi_testing.run([ARGS.saksi, "verify", out])

    def test_processed(self):
        self.assertEqual(self.proc.returncode, 3, saksi_testing.describe(self.proc))
        self.assertEqual(len(glob.glob(os.path.join(self.out, "records", "*.json"))), 3)
        self.assertEqual(len(glob.glob(os.path.join(self.out, "failed", "*.json"))), 1)

    def test_untouched_passes(self):
        proc = self.verify(self.out)
        self.assertEqual(proc.returncode, 0, saksi_testing.describe(proc))
        self.assertIn("verified", proc.stdout)
        self.assertIn("4 originals checked", proc.stdout, saksi_testing.describe(proc))

    def test_one_byte_edit_of_a_record(self):
        out = self.copy("edited")
        record = sorted(glob.glob(os.path.join(out, "records", "*.json")))[0]
        with open(record, "r+b") as f:
            data = bytearray(f.read())
            i = data.index(b'"status"')
            data[i + 1] = ord("S")
            f.seek(0)
            f.write(data)
        proc = self.verify(out)
        self.assertEqual(proc.returncode, 3, saksi_testing.describe(proc))
        rel = "records/" + os.path.basename(record)
        self.assertIn(f"BROKEN {rel}: content changed", proc.stdout, saksi_testing.describe(proc))
        self.assertEqual(proc.stdout.count("BROKEN"), 1, saksi_testing.describe(proc))

    def test_edit_of_a_failure_record(self):
        out = self.copy("edited-failed")
        record = glob.glob(os.path.join(out, "failed", "*.json"))[0]
        with open(record, "ab") as f:
            f.write(b" ")
        proc = self.verify(out)
        self.assertEqual(proc.returncode, 3, saksi_testing.describe(proc))
        self.assertIn("BROKEN failed/", proc.stdout, saksi_testing.describe(proc))

    def test_deleted_audit_line(self):
        out = self.copy("deleted-line")
        audit = os.path.join(out, "audit.jsonl")
        with open(audit, "rb") as f:
            lines = f.read().split(b"\n")
        del lines[2]  # the third line
        with open(audit, "wb") as f:
            f.write(b"\n".join(lines))
        proc = self.verify(out)
        self.assertEqual(proc.returncode, 3, saksi_testing.describe(proc))
        self.assertIn("BROKEN audit.jsonl:3: chain broken", proc.stdout,
                      saksi_testing.describe(proc))

    def test_audit_lines_are_chained_and_complete(self):
        with open(os.path.join(self.out, "audit.jsonl")) as f:
            entries = [json.loads(line) for line in f]
        self.assertEqual(entries[0]["prev"], "0" * 64)
        actions = [e["action"] for e in entries]
        self.assertEqual(actions.count("received"), 4)
        self.assertEqual(actions.count("processed"), 4)
        self.assertEqual(actions.count("written"), 3)
        self.assertEqual(actions.count("failed"), 1)
        for e in entries:
            self.assertIn("saksi_version", e["actor"])
            self.assertIn("host", e["actor"])
            self.assertTrue(e["time"].endswith("Z"))

    def test_changed_and_moved_originals(self):
        out = self.copy("originals")
        moved = os.path.join(self.tmp, "moved-page1.png")
        changed = os.path.join(self.inbox, "page2.png")
        with open(changed, "rb") as f:
            original = f.read()
        os.rename(os.path.join(self.inbox, "page1.png"), moved)
        try:
            with open(changed, "ab") as f:
                f.write(b"x")
            proc = self.verify(out)
        finally:
            os.rename(moved, os.path.join(self.inbox, "page1.png"))
            with open(changed, "wb") as f:
                f.write(original)
        self.assertEqual(proc.returncode, 3, saksi_testing.describe(proc))
        self.assertIn("note: original not reachable: ", proc.stdout)
        self.assertIn("page1.png", proc.stdout)
        self.assertIn("original changed", proc.stdout, saksi_testing.describe(proc))
        self.assertEqual(proc.stdout.count("BROKEN"), 1, saksi_testing.describe(proc))

    def test_not_an_output_folder(self):
        proc = self.verify(self.inbox)
        self.assertEqual(proc.returncode, 2, saksi_testing.describe(proc))


if __name__ == "__main__":
    saksi_testing.main(__doc__)
