#!/usr/bin/env python3
"""extract.names end to end on text-layer PDFs (issue 12's acceptance): the
trained model finds the person, the organisations and the places of a news
sentence it was not trained on, cased and lower-cased, and a name or place
that a line break splits is one entity with one span over both lines.

usage: names_test.py --saksi BIN [--repo DIR] [unittest args]

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
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SENTENCE = ("Wakil Ketua DPRD Jawa Tengah Sutrisno Hadi menerima laporan Serikat Buruh Migran "
            "Indonesia tentang 12 warga Cilacap yang ditahan di Sihanoukville.")
# Lines as a chat export or a narrow column breaks them.
WRAPPED = ["Transfer uangnya ke rekening BCA a.n. Hendra", "Wijaya ya, nanti kamu dijemput di Phnom",
           "Penh oleh Pak Sokha."]


def pdf(path, lines):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    c.setFont("DejaVu", 11)
    y = A4[1] - 72
    for line in lines:
        c.drawString(60, y, line)
        y -= 15
    c.save()


class NamesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="saksi-names-")
        docs = os.path.join(cls.tmp, "docs")
        os.makedirs(docs)
        # The sentence wrapped after the person and after "warga", as a
        # column would (and to fit the page).
        cut = (SENTENCE.index(" menerima"), SENTENCE.index(" Cilacap"))
        lines = [SENTENCE[:cut[0]], SENTENCE[cut[0] + 1:cut[1]], SENTENCE[cut[1] + 1:]]
        cls.files = {"cased": lines, "lower": [line.lower() for line in lines], "wrapped": WRAPPED}
        for name, lines in cls.files.items():
            pdf(os.path.join(docs, name + ".pdf"), lines)
        out = os.path.join(cls.tmp, "out")
        proc = run([ARGS.saksi, "process", docs, "--out", out, "--log-level", "warn"], timeout=300)
        if proc.returncode != 0:
            raise RuntimeError("saksi process failed" + describe(proc))
        cls.records = {}
        for name in cls.files:
            with open(os.path.join(out, "records", sha256_file(os.path.join(docs, name + ".pdf"))
                                   + ".json"), encoding="utf-8") as f:
                cls.records[name] = json.load(f)

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)

    def names(self, name, kind):
        """The texts of the record's entities of `kind`, white space as single spaces."""
        return sorted(" ".join(e["text"].split()) for e in self.records[name]["entities"]
                      if e["type"] == kind)

    def test_news_sentence(self):
        self.assertEqual(self.names("cased", "person"), ["Sutrisno Hadi"])
        self.assertEqual(self.names("cased", "organization"),
                         ["DPRD Jawa Tengah", "Serikat Buruh Migran Indonesia"])
        self.assertEqual(self.names("cased", "location"), ["Cilacap", "Sihanoukville"])

    def test_news_sentence_lower_cased(self):
        self.assertIn("sutrisno hadi", self.names("lower", "person"))
        locations = self.names("lower", "location")
        self.assertIn("cilacap", locations)
        self.assertIn("sihanoukville", locations)

    def test_names_across_a_line_break_are_one_entity(self):
        record = self.records["wrapped"]
        page = record["pages"][0]
        by_text = {" ".join(e["text"].split()): e for e in record["entities"]}
        for text, kind in (("Hendra Wijaya", "person"), ("Phnom Penh", "location")):
            self.assertIn(text, by_text, f"{text}: not found; entities {sorted(by_text)}")
            e = by_text[text]
            self.assertEqual(e["type"], kind)
            begin, end = e["span"]
            self.assertIn("\n", page["text"].encode()[begin:end].decode(), f"{text}: one line only")
            # The box covers both lines' words.
            words = [w for w in page["words"] if w["text"] in text.split()]
            self.assertEqual(len(words), 2, words)
            self.assertLessEqual(e["bbox"][1], min(w["bbox"][1] for w in words))
            self.assertGreaterEqual(e["bbox"][3], max(w["bbox"][3] for w in words))
        # One entity per name: no second, partial one from another mechanism.
        spans = [tuple(e["span"]) for e in record["entities"]
                 if e["type"] in ("person", "organization", "location")]
        for i, a in enumerate(spans):
            for b in spans[i + 1:]:
                self.assertTrue(a[1] <= b[0] or b[1] <= a[0], f"overlapping entities {a} {b}")


if __name__ == "__main__":
    saksi_testing.main(__doc__)
