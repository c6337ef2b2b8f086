#!/usr/bin/env python3
"""End to end on samples/: `saksi process samples --out TMP` with the default
pipeline, checked against samples/.generator/manifest.json and config/record.schema.json.

usage: samples_test.py --saksi BIN [--repo DIR] [--metrics TOOL] [unittest args]

manifest.json: {"documents": [{"file", "kind", "pages", "text_source",
"truth", "min_recall", ...}]}; "file" is relative to samples/, "truth" to samples/.generator/.
Set SAKSI_KEEP_TEST_OUTPUT=1 to keep the output folder for a look.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import record_schema  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from saksi_testing import describe, remove_unless_kept, sha256_file  # noqa: E402
import saksi_testing  # noqa: E402

ARGS = None  # filled in by main()
PROCESS_TIMEOUT = 1800  # seconds; OCR of every sample on a small machine






class SamplesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.samples = os.path.join(ARGS.repo, "samples")
        manifest_path = os.path.join(cls.samples, ".generator", "manifest.json")
        if not os.path.isfile(manifest_path):
            raise RuntimeError(f"{manifest_path} is missing")
        with open(manifest_path, encoding="utf-8") as f:
            cls.documents = json.load(f)["documents"]
        if not cls.documents:
            raise RuntimeError(f"{manifest_path} lists no documents")
        for doc in cls.documents:
            doc["_path"] = os.path.join(cls.samples, doc["file"])
            doc["_id"] = sha256_file(doc["_path"])

        cls.tmp = tempfile.mkdtemp(prefix="saksi-samples-")
        cls.out = os.path.join(cls.tmp, "out")
        cls.proc = subprocess.run([ARGS.saksi, "process", cls.samples, "--out", cls.out],
                                  capture_output=True, text=True, timeout=PROCESS_TIMEOUT)
        cls.records = {}  # id -> parsed record, for the manifest's documents that have one
        for doc in cls.documents:
            path = cls.record_path(doc)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    cls.records[doc["_id"]] = json.load(f)

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)

    @classmethod
    def record_path(cls, doc):
        return os.path.join(cls.out, "records", doc["_id"] + ".json")

    def record_of(self, doc):
        """The document's record; fails the current (sub)test when there is none."""
        record = self.records.get(doc["_id"])
        if record is None:
            self.fail(f"no record for {doc['file']} at {self.record_path(doc)}")
        return record

    def listing(self, sub):
        folder = os.path.join(self.out, sub)
        return sorted(os.listdir(folder)) if os.path.isdir(folder) else []

    # ---- the run ---------------------------------------------------------

    def test_exit_code_is_zero(self):
        self.assertEqual(self.proc.returncode, 0, "every sample should come out ok"
                         + describe(self.proc))

    def test_one_record_per_document(self):
        for doc in self.documents:
            with self.subTest(file=doc["file"]):
                self.assertTrue(os.path.isfile(self.record_path(doc)),
                                f"no records/{doc['_id']}.json for {doc['file']}"
                                + describe(self.proc))

    def test_no_record_outside_manifest(self):
        expected = {doc["_id"] + ".json" for doc in self.documents}
        extra = [name for name in self.listing("records") if name not in expected]
        self.assertEqual(extra, [], "records for files that are not in samples/.generator/manifest.json "
                         "(truth texts, the manifest, the generator?)")

    def test_nothing_failed(self):
        failed = self.listing("failed")
        details = []
        for name in failed:
            try:
                with open(os.path.join(self.out, "failed", name), encoding="utf-8") as f:
                    rec = json.load(f)
                details.append(f"{rec.get('source', {}).get('path')}: {rec.get('errors')}")
            except (OSError, ValueError) as e:
                details.append(f"{name}: unreadable ({e})")
        self.assertEqual(failed, [], "failure records:\n" + "\n".join(details))

    # ---- each record -----------------------------------------------------

    def test_records_match_schema(self):
        validator = record_schema.load_validator(ARGS.schema)
        for doc in self.documents:
            with self.subTest(file=doc["file"]):
                errors = record_schema.describe_errors(validator, self.record_of(doc))
                self.assertEqual(errors, [], f"{doc['file']}:\n" + "\n".join(errors))

    def test_record_identity(self):
        for doc in self.documents:
            with self.subTest(file=doc["file"]):
                record = self.record_of(doc)
                self.assertEqual(record.get("id"), doc["_id"])
                self.assertEqual(record.get("source", {}).get("sha256"), doc["_id"])
                self.assertEqual(record.get("source", {}).get("size"),
                                 os.path.getsize(doc["_path"]))
                self.assertEqual(record.get("status"), "ok", record.get("errors"))

    def test_entity_spans_are_ordered(self):
        # [start, end) with start <= end, inside the page text: JSON Schema
        # cannot compare two items of an array, so it is checked here.
        for doc in self.documents:
            with self.subTest(file=doc["file"]):
                record = self.record_of(doc)
                pages = record.get("pages", [])
                for i, entity in enumerate(record.get("entities", [])):
                    start, end = entity["span"]
                    self.assertLessEqual(start, end, f"entities[{i}] span {entity['span']}")
                    page = entity["page"]
                    self.assertLessEqual(page, len(pages), f"entities[{i}] on page {page}")
                    text = pages[page - 1]["text"].encode("utf-8")
                    self.assertLessEqual(end, len(text), f"entities[{i}] span past the page text")

    def test_page_count(self):
        for doc in self.documents:
            with self.subTest(file=doc["file"]):
                self.assertEqual(len(self.record_of(doc).get("pages", [])), doc["pages"])

    def test_text_source(self):
        for doc in self.documents:
            with self.subTest(file=doc["file"]):
                pages = self.record_of(doc).get("pages", [])
                sources = [page.get("text_source") for page in pages]
                self.assertEqual(sources, [doc["text_source"]] * len(sources),
                                 f"every page of {doc['file']} should be {doc['text_source']!r}")

    def test_word_recall(self):
        metrics = ARGS.metrics
        self.assertTrue(os.path.isfile(metrics),
                        f"evidence-metrics is missing at {metrics}: cannot measure OCR recall")
        measured = [doc for doc in self.documents if doc.get("min_recall") is not None]
        self.assertTrue(measured, "no manifest document has min_recall")
        for doc in measured:
            with self.subTest(file=doc["file"]):
                self.record_of(doc)
                truth = os.path.join(self.samples, ".generator", doc["truth"])
                self.assertTrue(os.path.isfile(truth), f"truth file {truth} is missing")
                proc = subprocess.run([sys.executable, metrics, "recall", truth,
                                       self.record_path(doc)],
                                      capture_output=True, text=True, timeout=300)
                match = re.search(r"word recall ([0-9.]+)", proc.stdout)
                self.assertIsNotNone(match, "evidence-metrics printed no 'word recall'"
                                     + describe(proc))
                recall = float(match.group(1))
                self.assertGreaterEqual(recall, float(doc["min_recall"]),
                                        f"{doc['file']}: {proc.stdout.strip()}")

    def test_digital_pdf_has_no_ocr(self):
        digital = [doc for doc in self.documents
                   if doc["file"].lower().endswith(".pdf") and doc.get("text_source") == "pdf-text"]
        self.assertTrue(digital, "the manifest lists no digital PDF (text_source pdf-text)")
        for doc in digital:
            with self.subTest(file=doc["file"]):
                record = self.record_of(doc)
                self.assertTrue(record.get("pages"), "no pages")
                for page in record["pages"]:
                    self.assertEqual(page.get("text_source"), "pdf-text",
                                     f"page {page.get('number')} was OCRed")
                    self.assertIsNone(page.get("ocr_confidence"),
                                      f"page {page.get('number')} has an OCR confidence")


if __name__ == "__main__":
    saksi_testing.main(__doc__)
