#!/usr/bin/env python3
"""Kill -9 in the middle of a batch, run the same command again: every
document ends with exactly one record, no half-written file is left, the
ledger has every document finished, and a third run skips them all."""
import glob
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402

ARGS = None

PIPELINE = saksi_testing.ocr_pipeline("resume-test")


class ResumeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="saksi-resume-")
        self.inbox = os.path.join(self.tmp, "in")
        self.out = os.path.join(self.tmp, "out")
        os.makedirs(self.inbox)
        self.ids = set()
        # A quick document first, so a record appears early, then slow OCR.
        self.ids.add(saksi_testing.write_png(os.path.join(self.inbox, "01_noise.png"), seed=1))
        for n, sample in ((2, "chat_whatsapp.png"), (3, "contract_scan.png"),
                          (4, "passport_uto.png")):
            dest = os.path.join(self.inbox, f"0{n}_{sample}")
            shutil.copy(os.path.join(ARGS.repo, "samples", sample), dest)
            self.ids.add(saksi_testing.sha256_file(dest))
        for n in (5, 6):
            self.ids.add(saksi_testing.write_png(os.path.join(self.inbox, f"0{n}_noise.png"),
                                                 seed=n))
        self.pipeline = os.path.join(self.tmp, "resume-test.toml")
        with open(self.pipeline, "w") as f:
            f.write(PIPELINE)
        self.cmd = [ARGS.saksi, "process", self.inbox, "--out", self.out,
                    "--pipeline", self.pipeline, "--jobs", "1"]
        self.env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def tearDown(self):
        saksi_testing.remove_unless_kept(self.tmp)

    def outputs(self):
        return (glob.glob(os.path.join(self.out, "records", "*.json"))
                + glob.glob(os.path.join(self.out, "failed", "*.json")))

    def temps(self):
        return [p for sub in ("records", "failed")
                for p in glob.glob(os.path.join(self.out, sub, ".*"))]

    def ledger(self):
        db = sqlite3.connect(os.path.join(self.out, "ledger.sqlite"))
        try:
            return {row[0]: row[1] for row in db.execute("SELECT id, status FROM documents")}
        finally:
            db.close()

    def ledger_or_empty(self):
        """The ledger, or nothing while saksi has not created it yet."""
        try:
            return self.ledger()
        except sqlite3.Error:
            return {}

    def test_kill_then_resume(self):
        # 1. Kill -9 once the first record is there.
        proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=self.env)
        # Wait until a record exists and another document, one without a
        # record yet, is in flight: a document's record is written a moment
        # before the ledger marks it done and the next one running.
        deadline = time.time() + 240
        while proc.poll() is None and time.time() < deadline:
            written = {os.path.basename(p)[:-len(".json")] for p in self.outputs()}
            running = {i for i, s in self.ledger_or_empty().items() if s == "running"}
            if written and running - written:
                break
            time.sleep(0.02)
        ended_early = proc.poll()
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        self.assertIsNone(ended_early, f"saksi ended (exit {ended_early}) before the kill:\n"
                          f"{out.decode(errors='replace')[-2000:]}\n{err.decode(errors='replace')[-4000:]}")
        killed_with = len(self.outputs())
        self.assertGreaterEqual(killed_with, 1, "no record before the kill")
        self.assertLess(killed_with, len(self.ids), "the run finished before the kill")
        statuses = list(self.ledger().values())
        self.assertIn("running", statuses, "nothing was in flight at the kill")
        finished = sum(s in ("ok", "partial", "failed") for s in statuses)
        # What a kill during a sink's write leaves behind.
        for sub in ("records", "failed"):
            os.makedirs(os.path.join(self.out, sub), exist_ok=True)
            with open(os.path.join(self.out, sub, f".{'0' * 64}.json.tmp-1-2"), "w") as f:
                f.write('{"half')

        # 2. The same command finishes the batch.
        rerun = saksi_testing.run(self.cmd, timeout=600, env=self.env)
        self.assertIn(rerun.returncode, (0, 3), saksi_testing.describe(rerun))
        names = sorted(os.path.basename(p) for p in self.outputs())
        self.assertEqual(names, sorted(i + ".json" for i in self.ids),
                         "not exactly one record per document" + saksi_testing.describe(rerun))
        self.assertEqual(self.temps(), [], "temp files left")
        ledger = self.ledger()
        self.assertEqual(set(ledger), self.ids)
        for doc, status in ledger.items():
            self.assertIn(status, ("ok", "partial", "failed"), doc)
        self.assertIn(f"{finished} skipped", rerun.stdout, saksi_testing.describe(rerun))

        # 3. Nothing left to do.
        third = saksi_testing.run(self.cmd, timeout=120, env=self.env)
        self.assertIn(third.returncode, (0, 3), saksi_testing.describe(third))
        self.assertIn("0 documents", third.stdout, saksi_testing.describe(third))
        self.assertIn(f"{len(self.ids)} skipped", third.stdout, saksi_testing.describe(third))

        # The custody chain survived the kill.
        verify = saksi_testing.run([ARGS.saksi, "verify", self.out])
        self.assertEqual(verify.returncode, 0, saksi_testing.describe(verify))


if __name__ == "__main__":
    saksi_testing.main(__doc__)
