#!/usr/bin/env python3
"""saksi process progress: with stderr not a terminal, "progress:" log lines
(files done/total, pages, pages/s, ETA, failures) come every interval; on a
terminal (a pty) one line is redrawn in place with \\r and erased at the end.
stdout's summary is the same either way."""
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402

ARGS = None

PIPELINE = saksi_testing.ocr_pipeline("progress-test", preprocess=False)

# 3/4 files, 2 pages, 0.85 pages/s, ETA 2s, 1 failed
PROGRESS = re.compile(r"\d+/4 files, \d+ pages, \d+\.\d\d pages/s, ETA (--|\d+[hms]\S*), "
                      r"\d+ failed")


class ProgressTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="saksi-progress-")
        self.inbox = os.path.join(self.tmp, "in")
        os.makedirs(self.inbox)
        # Real OCR (seconds), so the batch outlasts a short interval.
        shutil.copy(os.path.join(ARGS.repo, "samples", "chat_whatsapp.png"),
                    os.path.join(self.inbox, "1_chat.png"))
        shutil.copy(os.path.join(ARGS.repo, "samples", "passport_uto.png"),
                    os.path.join(self.inbox, "2_passport.png"))
        saksi_testing.write_png(os.path.join(self.inbox, "3_noise.png"), seed=1)
        open(os.path.join(self.inbox, "4_empty.png"), "wb").close()  # one failure
        self.pipeline = os.path.join(self.tmp, "progress-test.toml")
        with open(self.pipeline, "w") as f:
            f.write(PIPELINE)
        self.env = dict(os.environ, OMP_THREAD_LIMIT="1", SAKSI_PROGRESS_INTERVAL_MS="50")

    def tearDown(self):
        saksi_testing.remove_unless_kept(self.tmp)

    def cmd(self, out):
        return [ARGS.saksi, "process", self.inbox, "--out", os.path.join(self.tmp, out),
                "--pipeline", self.pipeline, "--jobs", "1"]

    def test_log_lines_when_not_a_terminal(self):
        proc = saksi_testing.run(self.cmd("out-log"), env=self.env)
        self.assertEqual(proc.returncode, 3, saksi_testing.describe(proc))  # the empty file
        lines = [l for l in proc.stderr.splitlines() if "progress: " in l]
        self.assertTrue(lines, saksi_testing.describe(proc))
        for line in lines:
            self.assertRegex(line, PROGRESS)
        self.assertNotIn("\r", proc.stderr)
        self.assertNotIn("progress: ", proc.stdout)
        self.assertRegex(proc.stdout, r"^4 documents in [\d.]+ s: \d+ ok, \d+ partial, 1 failed")

    def test_redrawn_line_on_a_terminal(self):
        master, slave = pty.openpty()
        proc = subprocess.Popen(self.cmd("out-tty"), stdout=subprocess.PIPE, stderr=slave,
                                env=self.env, text=True)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last writer closed the pty
                break
            if not chunk:
                break
            seen += chunk
        stdout, _ = proc.communicate(timeout=600)
        os.close(master)
        text = seen.decode(errors="replace")
        self.assertEqual(proc.returncode, 3, stdout + text[-4000:])
        redraws = text.split("\r\x1b[K")
        self.assertGreater(len(redraws), 2, text[-4000:])
        self.assertTrue(any(PROGRESS.match(r) for r in redraws), text[-4000:])
        # Counts move, and the line is erased at the end.
        self.assertTrue(any(re.match(r"[1-4]/4 files", r) for r in redraws), text[-4000:])
        self.assertTrue(text.endswith("\r\x1b[K"), repr(text[-200:]))
        # Log lines still arrive, each at the start of a line (the bar erased first).
        self.assertRegex(text, r"\x1b\[K\d\d:\d\d:\d\d info (ok|partial) \S*1_chat\.png")
        self.assertNotIn("progress: ", text)
        self.assertRegex(stdout, r"^4 documents in [\d.]+ s: \d+ ok, \d+ partial, 1 failed")


if __name__ == "__main__":
    saksi_testing.main(__doc__)
