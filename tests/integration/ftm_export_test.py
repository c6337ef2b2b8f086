#!/usr/bin/env python3
"""Consolidated things, `saksi export --format ftm` and `saksi case` on the
samples: every sample through the default pipeline, then

- each record's things[]: the contract worker's NIK, passport number and phone
  held by the worker, the passport's MRZ numbers held by its holder;
- the export (full and --redacted) validates line by line against the vendored
  FtM model (tests/ftm_model.py), is the same on a second run, and holds a
  Passport for the sample passport, a Person and an Identification (NIK) for
  the contract worker, an Employment of that worker, Page entities with text
  for the scanned PDF and Message entities for the chat; the --redacted export
  holds none of the values the evidence policy hides;
- `saksi case out --json` links the worker's NIK and phone across the contract
  scan, the digital contract and the scanned PDF, and the index is the same
  after a resumed run (it is updated as documents are recorded).

The expected values come from samples/.generator/manifest.json (pii, mrz,
contract, chat), not from today's name rules.

usage: ftm_export_test.py --saksi BIN [--repo DIR] [unittest args]
Set SAKSI_KEEP_TEST_OUTPUT=1 to keep the output folder for a look.
"""
import hashlib
import json
import os
import re
import sqlite3
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from saksi_testing import describe, remove_unless_kept, run, sha256_file  # noqa: E402
import ftm_model  # noqa: E402
import saksi_testing  # noqa: E402

ARGS = None  # filled in by main()
PROCESS_TIMEOUT = 1800  # seconds: OCR of every sample on a small machine
CONTRACTS = ("contract_scan.png", "contract_digital.pdf")
LINKED = ("contract_scan.png", "contract_digital.pdf", "scan_multipage.pdf")


def digits(s):
    return re.sub(r"\D", "", s)


class FtmExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        samples = os.path.join(ARGS.repo, "samples")
        with open(os.path.join(samples, ".generator", "manifest.json"), encoding="utf-8") as f:
            cls.manifest = {d["file"]: d for d in json.load(f)["documents"]}
        cls.ids = {name: sha256_file(os.path.join(samples, name)) for name in cls.manifest}
        cls.tmp = tempfile.mkdtemp(prefix="saksi-ftm-")
        cls.out = os.path.join(cls.tmp, "out")
        proc = run([ARGS.saksi, "process", samples, "--out", cls.out], timeout=PROCESS_TIMEOUT)
        if proc.returncode not in (0, 3):
            raise RuntimeError("saksi process failed" + describe(proc))
        cls.records = {}
        for name, rid in cls.ids.items():
            with open(os.path.join(cls.out, "records", rid + ".json"), encoding="utf-8") as f:
                cls.records[name] = json.load(f)
        cls.model = ftm_model.Model()
        # What the run indexed as it recorded the documents (before any test).
        db = sqlite3.connect(os.path.join(cls.out, "ledger.sqlite"))
        cls.indexed = {row[0] for row in db.execute("SELECT document_id FROM case_documents")}
        db.close()

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)

    def export(self, *extra, name="export.ftm.json"):
        path = os.path.join(self.tmp, name)
        proc = run([ARGS.saksi, "export", self.out, "--format", "ftm", "--output", path, *extra])
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertRegex(proc.stderr, r"exported \d+ entities from \d+ records")
        return ftm_model.read_lines(path), path

    def worker(self):
        return self.manifest["contract_scan.png"]["contract"]["worker"]

    def worker_values(self):
        pii = self.manifest["contract_scan.png"]["pii"]
        return pii["national_id"][0], pii["passport_number"][0], pii["phone"][0]

    # ---- things[] in the records -------------------------------------------

    def thing(self, things, type_, key):
        for t in things:
            if t["type"] == type_ and t["key"] == key:
                return t
        self.fail(f"no {type_} thing {key}: {json.dumps(things, indent=1)[:3000]}")

    def test_contract_worker_holds_her_identifiers(self):
        nik, passport, phone = self.worker_values()
        for name in CONTRACTS:
            things = self.records[name]["things"]
            workers = [t for t in things if t["role"] == "worker"]
            self.assertEqual(len(workers), 1, name)
            self.assertEqual(workers[0]["type"], "person")
            self.assertEqual(workers[0]["key"].split(), sorted(self.worker().lower().split()))
            self.assertTrue(workers[0]["mentions"], f"{name}: the worker has no mention")
            worker_index = things.index(workers[0])
            for type_, value in (("national_id", nik), ("passport_number", passport),
                                 ("phone", phone)):
                with self.subTest(document=name, type=type_):
                    t = self.thing(things, type_, value)
                    self.assertEqual(t["holder"], worker_index)
            # Every mention index is an entity of a consolidated type, used once.
            seen = [m for t in things for m in t["mentions"]]
            self.assertEqual(len(seen), len(set(seen)), name)
            for m in seen:
                self.assertLess(m, len(self.records[name]["entities"]))

    def test_passport_numbers_belong_to_the_mrz_holder(self):
        record = self.records["passport_uto.png"]
        mrz = self.manifest["passport_uto.png"]["mrz"]
        things = record["things"]
        holders = [t for t in things if t["role"] == "holder"]
        self.assertEqual(len(holders), 1, json.dumps(things, indent=1))
        self.assertEqual(holders[0]["key"].split(),
                         sorted((mrz["given_names"] + " " + mrz["surname"]).lower().split()))
        number = self.thing(things, "passport_number", mrz["document_number"])
        self.assertEqual(number["holder"], things.index(holders[0]))
        self.assertIn("mrz", number["from"])

    # ---- the FtM export ----------------------------------------------------

    def test_export_validates_and_holds_what_the_samples_show(self):
        entities, path = self.export()
        problems = self.model.validate(entities)
        self.assertEqual(problems, [], "\n".join(problems[:40]))
        by_schema = {}
        for e in entities:
            by_schema.setdefault(e["schema"], []).append(e)
        by_id = {e["id"]: e for e in entities}
        docs = {e["properties"]["fileName"][0]: e for e in entities
                if e["schema"] in ("Pages", "Image", "Document")}
        self.assertEqual(set(docs), set(self.manifest))
        for name, doc in docs.items():
            props = doc["properties"]
            self.assertEqual(props["processingStatus"], ["success"], name)
            self.assertEqual(props["fileSize"],
                             [str(os.path.getsize(os.path.join(ARGS.repo, "samples", name)))])
            with open(os.path.join(ARGS.repo, "samples", name), "rb") as f:
                self.assertEqual(props["contentHash"], [hashlib.sha1(f.read()).hexdigest()])
        self.assertEqual(docs["scan_multipage.pdf"]["schema"], "Pages")
        self.assertEqual(docs["chat_whatsapp.png"]["schema"], "Image")

        # The passport, from its MRZ, held by a Person.
        mrz = self.manifest["passport_uto.png"]["mrz"]
        passports = [e for e in by_schema.get("Passport", [])
                     if e["properties"]["number"] == [mrz["document_number"]]]
        self.assertEqual(len(passports), 1)
        p = passports[0]["properties"]
        self.assertEqual(p["birthDate"], [mrz["birth_date"]])
        self.assertEqual(p["endDate"], [mrz["expiry_date"]])
        self.assertEqual(p["gender"], ["female" if mrz["sex"] == "F" else "male"])
        self.assertEqual(by_id[p["holder"][0]]["schema"], "Person")

        # The worker: a Person per contract with her NIK (Identification),
        # her employment, proof in the contract.
        nik, passport, phone = self.worker_values()
        for name in CONTRACTS:
            with self.subTest(document=name):
                doc_id = docs[name]["id"]
                idents = [e for e in by_schema.get("Identification", [])
                          if e["properties"]["number"] == [nik]
                          and by_id[e["properties"]["holder"][0]]["properties"].get("proof") ==
                          [doc_id]]
                self.assertEqual(len(idents), 1)
                self.assertEqual(idents[0]["properties"]["type"], ["NIK"])
                self.assertEqual(idents[0]["properties"]["country"], ["id"])
                person = by_id[idents[0]["properties"]["holder"][0]]
                self.assertEqual(person["schema"], "Person")
                self.assertEqual(sorted(person["properties"]["name"][0].lower().split()),
                                 sorted(self.worker().lower().split()))
                self.assertIn(phone, person["properties"].get("phone", []))
                self.assertIn(passport, person["properties"].get("passportNumber", []))
                jobs = [e for e in by_schema.get("Employment", [])
                        if e["properties"]["employee"] == [person["id"]]]
                self.assertEqual(len(jobs), 1)
                self.assertEqual(
                    jobs[0]["properties"].get("role"),
                    [self.manifest[name]["contract"]["position"]])
                self.assertIn(phone, docs[name]["properties"].get("phoneMentioned", []))

        # The scanned PDF: one Page with text per page.
        pdf = docs["scan_multipage.pdf"]
        pages = [e for e in by_schema.get("Page", [])
                 if e["properties"]["document"] == [pdf["id"]]]
        self.assertEqual(sorted(int(e["properties"]["index"][0]) for e in pages),
                         list(range(1, self.manifest["scan_multipage.pdf"]["pages"] + 1)))
        for page in pages:
            self.assertGreater(len(page["properties"]["bodyText"][0]), 100)

        # The chat: its messages, each with a sender.
        chat = docs["chat_whatsapp.png"]
        messages = [e for e in by_schema.get("Message", [])
                    if e["properties"].get("proof") == [chat["id"]]]
        expected = self.manifest["chat_whatsapp.png"]["chat"]["messages"]
        self.assertGreaterEqual(len(messages), len(expected) - 1)
        texts = " ".join(m["properties"]["bodyText"][0] for m in messages)
        self.assertIn("Phnom Penh", texts)

        # Mentions resolve to the things they name.
        for m in by_schema.get("Mention", []):
            self.assertEqual(by_id[m["properties"]["resolved"][0]]["schema"],
                             m["properties"]["detectedSchema"][0])

        # The same bytes on a second run.
        _, again = self.export(name="again.ftm.json")
        with open(path, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read())
        print("entities by schema:", {k: len(v) for k, v in sorted(by_schema.items())})

    def test_redacted_export_validates_and_leaks_nothing(self):
        entities, path = self.export("--redacted", name="redacted.ftm.json")
        problems = self.model.validate(entities)
        self.assertEqual(problems, [], "\n".join(problems[:40]))
        self.assertTrue(any(e["schema"] == "Person" for e in entities))
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text_digits = digits(text)
        for name, doc in self.manifest.items():
            for type_ in ("national_id", "passport_number", "phone", "email", "bank_account"):
                for value in doc["pii"].get(type_, []):
                    with self.subTest(document=name, type=type_, value=value):
                        self.assertNotIn(value.lower(), text.lower())
                        if type_ in ("phone", "national_id", "bank_account"):
                            self.assertNotIn(digits(value)[-9:], text_digits)

    # ---- the case index ----------------------------------------------------

    def case(self, *extra):
        proc = run([ARGS.saksi, "case", self.out, "--json", *extra])
        self.assertEqual(proc.returncode, 0, describe(proc))
        return json.loads(proc.stdout)["links"]

    def link(self, links, type_, value):
        for link in links:
            if link["type"] == type_ and link["value"] == value:
                return link
        self.fail(f"no {type_} link {value}: {json.dumps(links, indent=1)[:3000]}")

    def test_case_links_the_workers_identifiers_across_documents(self):
        # Filled as the documents were recorded: no catch-up needed.
        self.assertEqual(self.indexed, set(self.ids.values()))
        links = self.case()
        nik, _, phone = self.worker_values()
        for type_, value in (("national_id", nik), ("phone", phone)):
            with self.subTest(type=type_):
                link = self.link(links, type_, value)
                names = {d["name"] for d in link["documents"]}
                self.assertTrue(set(LINKED) <= names, names)
                for d in link["documents"]:
                    self.assertEqual(d["id"], self.ids[d["name"]])
                    self.assertTrue(d["pages"])
                    self.assertTrue(all(p >= 1 for p in d["pages"]))
        # The worker's phone is in the chat too (manifest), as "self".
        self.assertIn("chat_whatsapp.png",
                      {d["name"] for d in self.link(links, "phone", phone)["documents"]})
        # Every link has at least two documents; with 3, fewer links.
        self.assertTrue(all(len(link["documents"]) >= 2 for link in links))
        self.assertLessEqual(len(self.case("--min-documents", "3")), len(links))
        # The table names the same NIK.
        proc = run([ARGS.saksi, "case", self.out])
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn(f"national_id {nik}: ", proc.stdout)

    def test_case_indexes_records_it_does_not_hold(self):
        # An output folder from before the index: its rows gone, `saksi case`
        # indexes the records first and gives the same links.
        before = self.case()
        db = sqlite3.connect(os.path.join(self.out, "ledger.sqlite"))
        db.execute("DELETE FROM case_keys")
        db.execute("DELETE FROM case_documents")
        db.commit()
        db.close()
        proc = run([ARGS.saksi, "case", self.out, "--json"])
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn("indexed 5 records", proc.stderr)
        self.assertEqual(json.loads(proc.stdout)["links"], before)

    def test_usage_errors(self):
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty, exist_ok=True)
        for cmd in (["export", empty, "--format", "ftm"], ["case", empty],
                    ["export", self.out, "--format", "csv"], ["export", self.out]):
            proc = run([ARGS.saksi, *cmd])
            self.assertEqual(proc.returncode, 2, describe(proc))


if __name__ == "__main__":
    saksi_testing.main(__doc__)
