#!/usr/bin/env python3
"""config/record.schema.json: a valid draft 2020-12 schema that accepts the
documented record shapes and rejects the mistakes it exists to catch.

usage: schema_test.py [SCHEMA] [EXAMPLE_RECORD] [unittest args...]
"""
import copy
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import record_schema  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "config", "record.schema.json")
EXAMPLE = os.path.join(HERE, "data", "record_example.json")


def load_example():
    with open(EXAMPLE, encoding="utf-8") as f:
        return json.load(f)


def passport_record():
    rec = load_example()
    rec["document"] = {"kind": "passport", "kind_confidence": 0.97, "languages": ["ind", "eng"]}
    rec["passport"] = {
        "mrz": {
            "format": "TD3",
            "lines": ["P<IDNSANTOSO<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                      "X1234567<8IDN9001017F3001012<<<<<<<<<<<<<<06"],
            "document_number": "X1234567", "issuing_country": "IDN", "nationality": "IDN",
            "surname": "SANTOSO", "given_names": "ANNA MARIA", "birth_date": "1990-01-01",
            "sex": "F", "expiry_date": "2030-01-01", "personal_number": None,
            "checks": {"document_number": True, "birth_date": True, "expiry_date": True,
                       "personal_number": None, "composite": True},
            "valid": True, "ambiguous": False,
        },
        "place_of_birth": "JAKARTA",
        "issuing_authority": "KANTOR IMIGRASI JAKARTA",
    }
    return rec


def contract_record():
    rec = load_example()
    rec["document"] = {"kind": "contract", "kind_confidence": 0.9, "languages": ["ind", "eng"]}
    rec["contract"] = {
        "employer": "PT Contoh Sejahtera", "agency": None, "worker": "Siti Rahma",
        "position": "Pembantu rumah tangga", "workplace": "Kuala Lumpur, Malaysia",
        "salary": {"amount": 1500, "currency": "MYR", "period": "month"},
        "duration": "2 tahun",
        "fees": [{"text": "Biaya penempatan Rp 15.000.000", "amount": 15000000,
                  "currency": "IDR", "payer": "worker"}, "biaya pelatihan"],
        "clauses": [{"type": "passport_retention", "text": "Paspor disimpan oleh majikan",
                     "indicator": "retention_of_identity_documents"}],
        "signed_at": "Jakarta",
    }
    rec["redactions"] = [{"page": 1, "bbox": [1, 2, 3, 4], "type": "person", "method": "pseudonym"},
                         {"page": 1, "bbox": [1, 2, 3, 4], "type": "mrz", "method": "mask"}]
    return rec


def failed_record():
    rec = load_example()
    rec.update(status="failed", pages=[], entities=[],
               document={"kind": "other", "kind_confidence": 0, "languages": []},
               errors=[{"stage": "decode.pdf", "code": "pdf.encrypted",
                        "message": "The PDF is encrypted; supply an unencrypted copy."}])
    rec["source"]["media_type"] = "application/pdf"
    rec["provenance"]["stages"] = [{"id": "decode.pdf", "plugin": "decode_pdf",
                                    "version": "0.1.0", "ms": 1}]
    return rec


def pdf_text_record():
    rec = load_example()
    page = rec["pages"][0]
    page.update(text_source="pdf-text", ocr_confidence=None, dpi=72)
    for w in page["words"]:
        w["conf"] = -1
    return rec


class SchemaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.validator = record_schema.load_validator(SCHEMA)

    def assertValid(self, rec):
        errors = record_schema.describe_errors(self.validator, rec)
        self.assertEqual(errors, [], "record should be valid:\n" + "\n".join(errors))

    def assertInvalid(self, rec, why):
        self.assertFalse(self.validator.is_valid(rec), f"record should be invalid: {why}")

    def test_example_is_valid(self):
        self.assertValid(load_example())

    def test_example_id_is_source_sha256(self):
        rec = load_example()
        self.assertEqual(rec["id"], rec["source"]["sha256"])

    def test_every_property_is_described(self):
        with open(SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        missing = []

        def walk(node, where):
            if isinstance(node, dict):
                props = node.get("properties", {})
                for name, sub in props.items():
                    # a property of a sealed checks object is self-explanatory
                    if "description" not in sub and not where.endswith("checks") \
                            and "/allOf/" not in where:
                        missing.append(f"{where}/{name}")
                for key, sub in node.items():
                    walk(sub, f"{where}/{key}" if key not in ("properties",) else where)
            elif isinstance(node, list):
                for i, sub in enumerate(node):
                    walk(sub, f"{where}/{i}")

        walk(schema, "")
        self.assertEqual(missing, [], "properties without a description")

    def test_documented_shapes_are_valid(self):
        for make in (passport_record, contract_record, failed_record, pdf_text_record):
            with self.subTest(shape=make.__name__):
                self.assertValid(make())

    def test_page_without_text(self):
        rec = load_example()
        rec["pages"][0].update(text_source=None, ocr_confidence=None, text="", words=[])
        rec["entities"] = []
        self.assertValid(rec)

    def test_mistakes_are_rejected(self):
        def mutate(fn):
            rec = load_example()
            fn(rec)
            return rec

        cases = {
            "unknown top-level key": lambda r: r.update(extra=1),
            "missing errors": lambda r: r.pop("errors"),
            "wrong schema name": lambda r: r.update(schema="saksi.record/2"),
            "uppercase id": lambda r: r.update(id=r["id"].upper()),
            "short sha256": lambda r: r["source"].update(sha256="abc"),
            "negative size": lambda r: r["source"].update(size=-1),
            "container not a list": lambda r: r["source"].update(container="a.zip"),
            "unknown source key": lambda r: r["source"].update(mtime=0),
            "unknown kind": lambda r: r["document"].update(kind="letter"),
            "kind_confidence > 1": lambda r: r["document"].update(kind_confidence=1.5),
            "2-letter language": lambda r: r["document"].update(languages=["id"]),
            "page 0": lambda r: r["pages"][0].update(number=0),
            "ocr_confidence 0..1 scale misuse above 100": lambda r: r["pages"][0].update(ocr_confidence=101),
            "text_source pdf": lambda r: r["pages"][0].update(text_source="pdf"),
            "missing preprocessing": lambda r: r["pages"][0].pop("preprocessing"),
            "bbox of 3": lambda r: r["pages"][0]["words"][0].update(bbox=[1, 2, 3]),
            "float bbox": lambda r: r["pages"][0]["words"][0].update(bbox=[1.5, 2, 3, 4]),
            "unknown word key": lambda r: r["pages"][0]["words"][0].update(font="x"),
            "unknown entity type": lambda r: r["entities"][0].update(type="ssn"),
            "entity confidence percent": lambda r: r["entities"][0].update(confidence=95),
            "entity without normalized": lambda r: r["entities"][0].pop("normalized"),
            "entity sensitive as string": lambda r: r["entities"][0].update(sensitive="yes"),
            "detector without version": lambda r: r["entities"][0].update(detector="extract.phone"),
            "span of 3": lambda r: r["entities"][0].update(span=[0, 1, 2]),
            "thing of type money": lambda r: r["things"][0].update(type="money"),
            "thing without key": lambda r: r["things"][0].pop("key"),
            "thing holder as name": lambda r: r["things"][0].update(holder="Dewi"),
            "thing mention not an index": lambda r: r["things"][0].update(mentions=["0"]),
            "thing from elsewhere": lambda r: r["things"][0].update(**{"from": ["ner"]}),
            "sha1 of sha256 length": lambda r: r["source"].update(sha1=r["source"]["sha256"]),
            "redaction method blur": lambda r: r["redactions"].append(
                {"page": 1, "bbox": [0, 0, 1, 1], "type": "phone", "method": "blur"}),
            "redaction unknown type": lambda r: r["redactions"].append(
                {"page": 1, "bbox": [0, 0, 1, 1], "type": "face", "method": "mask"}),
            "error code not dotted": lambda r: r.update(status="partial", errors=[
                {"stage": "x", "code": "Timeout", "message": "m"}]),
            "ok with errors": lambda r: r.update(errors=[
                {"stage": "x", "code": "stage.exception", "message": "m"}]),
            "partial without errors": lambda r: r.update(status="partial"),
            "processed_at not UTC": lambda r: r["provenance"].update(
                processed_at="2024-05-01T08:30:00+07:00"),
            "processed_at impossible date": lambda r: r["provenance"].update(
                processed_at="2024-02-30T08:30:00Z"),
            "pipeline hash not hex": lambda r: r["provenance"]["pipeline"].update(hash="xyz"),
            "negative stage ms": lambda r: r["provenance"]["stages"][0].update(ms=-1),
            "engine version not string": lambda r: r["provenance"]["engines"].update(poppler=22),
        }
        for why, fn in cases.items():
            with self.subTest(mistake=why):
                self.assertInvalid(mutate(fn), why)

        passport_cases = {
            "unknown mrz format": lambda m: m.update(format="TD4"),
            "two-digit year": lambda m: m.update(birth_date="90-01-01"),
            "impossible date": lambda m: m.update(expiry_date="2030-02-30"),
            "extra check": lambda m: m["checks"].update(nationality=True),
            "null document_number check": lambda m: m["checks"].update(document_number=None),
            "sex lowercase": lambda m: m.update(sex="f"),
            "missing valid": lambda m: m.pop("valid"),
        }
        for why, fn in passport_cases.items():
            with self.subTest(mistake=why):
                rec = passport_record()
                fn(rec["passport"]["mrz"])
                self.assertInvalid(rec, why)

        with self.subTest(mistake="fees as a bare string"):
            rec = contract_record()
            rec["contract"]["fees"] = "Rp 15.000.000"
            self.assertInvalid(rec, "fees as a bare string")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:]]
    if args and args[0].endswith(".json"):
        SCHEMA = args.pop(0)
    if args and args[0].endswith(".json"):
        EXAMPLE = args.pop(0)
    unittest.main(argv=[sys.argv[0]] + args, verbosity=2)
