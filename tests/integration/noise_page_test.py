#!/usr/bin/env python3
"""A page of pure noise (random gray pixels, as a scanner's glitch or a
static-filled frame makes it) through the default pipeline: its record says
image.noise within seconds and the page is not OCR'd, instead of Tesseract
spending the whole document timeout on it. The run exits 3 (a document with
errors), with the record written."""
import json
import os
import random
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402

ARGS = None


class NoisePageTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="saksi-noise-")

    def tearDown(self):
        saksi_testing.remove_unless_kept(self.tmp)

    def test_noise_page_fails_fast_with_a_code(self):
        from PIL import Image
        inbox = os.path.join(self.tmp, "in")
        os.makedirs(inbox)
        rng = random.Random(14)
        noise = Image.frombytes("L", (1240, 1754), bytes(rng.getrandbits(8)
                                                         for _ in range(1240 * 1754)))
        path = os.path.join(inbox, "static.png")
        noise.save(path)
        out = os.path.join(self.tmp, "out")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        # A document limit far below what OCR of noise takes: the guard must act first.
        proc = saksi_testing.run([ARGS.saksi, "process", inbox, "--out", out, "--timeout", "120"],
                                 timeout=600, env=env)
        self.assertEqual(proc.returncode, 3, saksi_testing.describe(proc))
        record_id = saksi_testing.sha256_file(path)
        with open(os.path.join(out, "records", record_id + ".json"), encoding="utf-8") as f:
            record = json.load(f)
        self.assertEqual(record["status"], "partial")
        codes = [e["code"] for e in record["errors"]]
        self.assertIn("image.noise", codes)
        self.assertNotIn("worker.timeout", codes)
        page = record["pages"][0]
        self.assertIsNone(page["text_source"])
        self.assertEqual(page["text"], "")


if __name__ == "__main__":
    saksi_testing.main(__doc__)
