#!/usr/bin/env python3
"""A 40-page scanned PDF through the default pipeline under a worker memory
limit of 600 MB: it gets status ok, every page its own OCR text, taken from
the page's embedded image (its 150-200 dpi pages are taken as they are with
decode.pdf's min_embedded_dpi = 0, so both page paths are exercised here and
in tests/eval, whose 200-dpi letters are rendered), a redacted PDF of 40 pages, and no scratch files
are left in the output folder. Before pages streamed (decoded, OCR'd and
released a page at a time) such a file failed with memory.limit."""
import json
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402

ARGS = None
PAGES = 40


class BigScanTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="saksi-bigscan-")

    def tearDown(self):
        saksi_testing.remove_unless_kept(self.tmp)

    def test_forty_scanned_pages_under_600_mb(self):
        inbox = os.path.join(self.tmp, "in")
        out = os.path.join(self.tmp, "out")
        os.makedirs(inbox)
        pdf = os.path.join(inbox, "letter.pdf")
        dpis = saksi_testing.scanned_letter_pdf(pdf, PAGES, seed=14)
        settings = os.path.join(self.tmp, "saksi.toml")
        with open(settings, "w") as f:
            f.write("[worker]\nmemory_limit_mb = 600\n")
        env = dict(os.environ, OMP_THREAD_LIMIT="1", SAKSI_CONFIG=settings)
        with open(os.path.join(ARGS.repo, "pipelines", "evidence.toml"), encoding="utf-8") as f:
            evidence = f.read()
        pipeline = os.path.join(self.tmp, "evidence-embedded.toml")
        with open(pipeline, "w", encoding="utf-8") as f:
            f.write(evidence.replace('id = "decode.pdf"\n', 'id = "decode.pdf"\nmin_embedded_dpi = 0\n', 1))
        proc = saksi_testing.run([ARGS.saksi, "process", inbox, "--out", out, "--pipeline", pipeline],
                                 timeout=1500, env=env)
        self.assertEqual(proc.returncode, 0, saksi_testing.describe(proc))

        record_id = saksi_testing.sha256_file(pdf)
        with open(os.path.join(out, "records", record_id + ".json"), encoding="utf-8") as f:
            record = json.load(f)
        self.assertEqual(record["status"], "ok", record["errors"])
        self.assertEqual(len(record["pages"]), PAGES)
        for n, page in enumerate(record["pages"], start=1):
            self.assertEqual(page["image_source"], "embedded", n)
            self.assertEqual(page["dpi"], dpis[n - 1], n)
            self.assertEqual(page["text_source"], "ocr", n)
            self.assertRegex(page["text"], rf"Halaman\s+{n}\s+dari\s+{PAGES}", n)

        with open(os.path.join(out, "redacted", record_id + ".pdf"), "rb") as f:
            redacted = f.read()
        self.assertEqual(len(re.findall(rb"/Type\s*/Page\b", redacted)), PAGES)
        self.assertFalse(os.path.exists(os.path.join(out, ".work")), os.listdir(out))


if __name__ == "__main__":
    saksi_testing.main(__doc__)
