#!/usr/bin/env python3
"""Redacted outputs leak nothing: every sample through the `evidence` pipeline
(and the `share` pipeline), then OUT/redacted/<id>.json and .pdf searched for
the sample's seeded sensitive values with evidence-metrics `leaks` (the JSON
text, pdftotext, the qpdf-decompressed bytes and a re-OCR of the rendered
pages, values normalised alike), and the PDF checked for one revision and no
metadata, annotations, attachments, outlines or thumbnails.

usage: redaction_leak_test.py --saksi BIN [--repo DIR] [--metrics TOOL] [unittest args]

The values come from samples/.generator/manifest.json: each document's "pii"
lists of the types a policy redacts, its MRZ lines, and (share) its person
names and the dates printed on a date-of-birth line of its truth text.
Set SAKSI_KEEP_TEST_OUTPUT=1 to keep the output folders for a look.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from saksi_testing import describe, remove_unless_kept, sha256_file  # noqa: E402
import saksi_testing  # noqa: E402

ARGS = None  # filled in by main()
PROCESS_TIMEOUT = 1800  # seconds; OCR of every sample on a small machine
LEAKS_TIMEOUT = 600     # seconds per document; evidence-metrics re-OCRs every page

# What config/redaction/evidence.toml redacts, besides the MRZ.
EVIDENCE_TYPES = ("national_id", "passport_number", "phone", "email", "bank_account")
# What config/redaction/share.toml adds; date_of_birth is taken from the truth text.
SHARE_TYPES = EVIDENCE_TYPES + ("person",)

# Objects a shared PDF must not carry (their names in the decompressed PDF).
FORBIDDEN = re.compile(rb"/(Info|Metadata|Annots|Outlines|EmbeddedFile|Thumb)(?![A-Za-z0-9])")
BIRTH_LINE = re.compile(r"lahir|birth", re.IGNORECASE)
PLACE_OF_BIRTH = re.compile(r"tempat lahir|place of birth", re.IGNORECASE)

# Country calling codes of the samples' numbers, longest first.
CALLING_CODES = ("855", "62")


def norm(text):
    """Letters and digits only, lower case (what evidence-metrics compares, for ASCII)."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def phone_forms(e164):
    """+6285722914638 -> ["+6285722914638", "085722914638"]: the number as
    labelled and as written nationally, so that either notation is caught."""
    forms = [e164]
    digits = re.sub(r"\D", "", e164)
    for code in CALLING_CODES:
        if digits.startswith(code):
            forms.append("0" + digits[len(code):])
            break
    return forms


def birth_dates(doc, samples):
    """The date labels printed on a date-of-birth line of the document's truth
    text, as written and normalized ("14 Juli 1998", "1998-07-14")."""
    with open(os.path.join(samples, ".generator", doc["truth"]), encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines()
                 if BIRTH_LINE.search(line) and not PLACE_OF_BIRTH.search(line)]
    values = []
    for label in doc.get("labels", []):
        if label["type"] == "date" and any(label["text"] in line for line in lines):
            values += [label["text"], label["normalized"]]
    return values


def secret_values(doc, samples, types, with_birth_dates):
    """Every value of `doc` that must not survive, as (type, value)."""
    values = []
    for entity_type in types:
        for value in doc.get("pii", {}).get(entity_type, []):
            forms = phone_forms(value) if entity_type == "phone" else [value]
            values += [(entity_type, form) for form in forms]
    values += [("mrz", line) for line in doc.get("mrz", {}).get("lines", [])]
    if with_birth_dates:
        values += [("date_of_birth", v) for v in birth_dates(doc, samples)]
    return values


class RedactionLeakBase:
    """Runs one pipeline over samples/ and checks every document's redacted outputs."""
    PIPELINE = None          # None: saksi's default (evidence)
    TYPES = EVIDENCE_TYPES
    BIRTH_DATES = False

    @classmethod
    def setUpClass(cls):
        cls.samples = os.path.join(ARGS.repo, "samples")
        with open(os.path.join(cls.samples, ".generator", "manifest.json"), encoding="utf-8") as f:
            cls.documents = json.load(f)["documents"]
        if not cls.documents:
            raise RuntimeError("samples/.generator/manifest.json lists no documents")
        for doc in cls.documents:
            doc["_id"] = sha256_file(os.path.join(cls.samples, doc["file"]))
        cls.tmp = tempfile.mkdtemp(prefix="saksi-redaction-")
        cls.out = os.path.join(cls.tmp, "out")
        cmd = [ARGS.saksi, "process", cls.samples, "--out", cls.out]
        if cls.PIPELINE:
            cmd += ["--pipeline", cls.PIPELINE]
        cls.proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PROCESS_TIMEOUT,
                                  env=dict(os.environ, OMP_THREAD_LIMIT="1"))

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)

    def redacted(self, doc, ext):
        return os.path.join(self.out, "redacted", doc["_id"] + "." + ext)

    def failure(self, doc):
        """The document's error codes when it has a failure record, else []."""
        path = os.path.join(self.out, "failed", doc["_id"] + ".json")
        if not os.path.isfile(path):
            return []
        with open(path, encoding="utf-8") as f:
            return [e.get("code") for e in json.load(f).get("errors", [])]

    def test_every_document_processed(self):
        self.assertEqual(self.proc.returncode, 0, describe(self.proc))

    def test_redacted_outputs_written(self):
        for doc in self.documents:
            with self.subTest(doc["file"]):
                for ext in ("json", "pdf"):
                    self.assertTrue(os.path.isfile(self.redacted(doc, ext)),
                                    f"no OUT/redacted/<id>.{ext}; errors: {self.failure(doc)}")

    def test_no_value_survives(self):
        self.assertTrue(os.path.isfile(ARGS.metrics), f"evidence-metrics is missing at {ARGS.metrics}")
        for doc in self.documents:
            with self.subTest(doc["file"]):
                rjson, rpdf = self.redacted(doc, "json"), self.redacted(doc, "pdf")
                if not (os.path.isfile(rjson) and os.path.isfile(rpdf)):
                    self.fail(f"no redacted outputs to search; errors: {self.failure(doc)}")
                values = secret_values(doc, self.samples, self.TYPES, self.BIRTH_DATES)
                self.assertTrue(values, "the manifest seeds no value to search for")
                proc = subprocess.run([sys.executable, ARGS.metrics, "leaks", rjson, rpdf]
                                      + [v for _, v in values],
                                      capture_output=True, text=True, timeout=LEAKS_TIMEOUT,
                                      env=dict(os.environ, OMP_THREAD_LIMIT="1"))
                self.assertRegex(proc.stdout, r"\d+ leaks over \d+ values", describe(proc))
                self.assertEqual(proc.returncode, 0, describe(proc))

    def test_values_are_replaced_not_dropped(self):
        # A redacted record keeps its text, with placeholders where values were.
        for doc in self.documents:
            with self.subTest(doc["file"]):
                if not os.path.isfile(self.redacted(doc, "json")):
                    self.fail(f"no OUT/redacted/<id>.json; errors: {self.failure(doc)}")
                with open(self.redacted(doc, "json"), encoding="utf-8") as f:
                    record = json.load(f)
                self.assertTrue(record.get("pages"), "the redacted record has no pages")
                self.assertTrue(record.get("redactions"), "the redacted record lists no redactions")
                types = {r.get("type") for r in record["redactions"]}
                # A value printed only in the MRZ goes with the MRZ's redaction.
                mrz = norm("".join(doc.get("mrz", {}).get("lines", [])))
                for entity_type in self.TYPES:
                    outside_mrz = [v for v in doc.get("pii", {}).get(entity_type, [])
                                   if "mrz" not in types or norm(v) not in mrz]
                    if outside_mrz:
                        self.assertIn(entity_type, types,
                                      f"a seeded {entity_type} was not redacted")
                if doc.get("mrz"):
                    self.assertIn("mrz", types, "the MRZ was not redacted")

    def test_pdf_is_one_clean_revision(self):
        for doc in self.documents:
            with self.subTest(doc["file"]):
                path = self.redacted(doc, "pdf")
                if not os.path.isfile(path):
                    self.fail(f"no OUT/redacted/<id>.pdf; errors: {self.failure(doc)}")
                with open(path, "rb") as f:
                    self.assertEqual(f.read().count(b"%%EOF"), 1, "not exactly one %%EOF")
                qpdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", path, "-"],
                                      capture_output=True, timeout=120)
                self.assertIn(qpdf.returncode, (0, 3), qpdf.stderr.decode(errors="replace"))
                found = sorted({m.decode() for m in FORBIDDEN.findall(qpdf.stdout)})
                self.assertEqual(found, [], "the redacted PDF carries these objects")
                pages = subprocess.run(["qpdf", "--show-npages", path],
                                       capture_output=True, text=True, timeout=60)
                self.assertEqual(pages.stdout.strip(), str(doc["pages"]),
                                 "the redacted PDF does not have one page per page")


class EvidencePipelineTest(RedactionLeakBase, unittest.TestCase):
    PIPELINE = None  # the default pipeline is evidence


class SharePipelineTest(RedactionLeakBase, unittest.TestCase):
    PIPELINE = "share"
    TYPES = SHARE_TYPES
    BIRTH_DATES = True


if __name__ == "__main__":
    saksi_testing.main(__doc__)
