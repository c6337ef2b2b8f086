#!/usr/bin/env python3
"""The redact.policy stage's outputs and its keys, end to end.

- Every sample through the evidence pipeline gets OUT/redacted/<id>.json (valid
  against the record schema, redactions[] listed, also in the full record)
  and OUT/redacted/<id>.pdf (one page per page, one %%EOF, no /Info), both
  written in the audit log and checked by `saksi verify`.
- A policy asking for pseudonyms without a case key stops `saksi process`
  with exit code 2 and a reason naming the key, before any document.
- A pseudonym is the same for one phone number in two documents (written
  differently) and changes with the case key; provenance.redaction names the
  policy (its SHA-256) and the key's id, in the record and the redacted copy.

usage: redaction_outputs_test.py --saksi BIN --repo DIR [unittest args]
"""
import hashlib
import json
import os
import re
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from saksi_testing import describe, remove_unless_kept, run, sha256_file, text_pdf  # noqa: E402
import saksi_testing  # noqa: E402
from record_schema import load_validator  # noqa: E402

ARGS = None
PROCESS_TIMEOUT = 1800
KEY_A = "case-2025-017-key-a-0123456789"
KEY_B = "case-2025-018-key-b-9876543210"


def pipeline_with(tmp, policy_toml, redact_extra=""):
    """The evidence pipeline with the redact stage pointed at a policy file."""
    policy = os.path.join(tmp, "policy.toml")
    with open(policy, "w") as f:
        f.write(policy_toml)
    with open(os.path.join(ARGS.repo, "pipelines", "evidence.toml")) as f:
        text = f.read()
    text = text.replace('policy = "evidence"', f'policy = "{policy}"{redact_extra}')
    assert policy in text, "pipelines/evidence.toml has no policy = \"evidence\" line"
    path = os.path.join(tmp, "pseudo.toml")
    with open(path, "w") as f:
        f.write(text.replace('name = "evidence"', 'name = "pseudo"'))
    return path


PSEUDONYM_POLICY = """
key_env = "SAKSI_TEST_CASE_KEY"
[redact]
phone = "pseudonym"
email = "mask"
"""


class RedactedOutputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="saksi-redacted-")
        cls.out = os.path.join(cls.tmp, "out")
        cls.proc = run([ARGS.saksi, "process", os.path.join(ARGS.repo, "samples"), "--out",
                        cls.out, "--jobs", "2"], timeout=PROCESS_TIMEOUT,
                       env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        cls.validator = load_validator(os.path.join(ARGS.repo, "config", "record.schema.json"))

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)

    def samples(self):
        folder = os.path.join(ARGS.repo, "samples")
        return sorted(os.path.join(folder, f) for f in os.listdir(folder)
                      if os.path.isfile(os.path.join(folder, f)))

    def test_every_sample_has_a_redacted_json_and_pdf(self):
        self.assertEqual(self.proc.returncode, 0, describe(self.proc))
        for sample in self.samples():
            with self.subTest(sample=os.path.basename(sample)):
                doc_id = sha256_file(sample)
                with open(os.path.join(self.out, "records", doc_id + ".json")) as f:
                    record = json.load(f)
                with open(os.path.join(self.out, "redacted", doc_id + ".json")) as f:
                    redacted = json.load(f)
                errors = sorted(e.message for e in self.validator.iter_errors(redacted))
                self.assertEqual(errors, [])
                self.assertEqual(redacted["id"], doc_id)
                self.assertEqual(len(redacted["pages"]), len(record["pages"]))
                # The full record lists the same redactions; every sample has some.
                self.assertEqual(redacted["redactions"], record["redactions"])
                self.assertTrue(redacted["redactions"])
                for r in redacted["redactions"]:
                    self.assertIn(r["method"], ("mask", "pseudonym"))
                    page = record["pages"][r["page"] - 1]
                    x0, y0, x1, y1 = r["bbox"]
                    self.assertTrue(0 <= x0 < x1 <= page["width"] and 0 <= y0 < y1 <= page["height"])
                with open(os.path.join(self.out, "redacted", doc_id + ".pdf"), "rb") as f:
                    pdf = f.read()
                self.assertTrue(pdf.startswith(b"%PDF-"))
                self.assertEqual(pdf.count(b"%%EOF"), 1)
                self.assertNotIn(b"/Info", pdf)
                self.assertNotIn(b"/Metadata", pdf)
                self.assertEqual(len(re.findall(rb"/Type /Page(?!s)", pdf)), len(record["pages"]))
                # Images only: no font, no text operators.
                self.assertNotIn(b"/Font", pdf)

    def test_the_passport_mrz_is_gone_from_the_redacted_record(self):
        passport = os.path.join(ARGS.repo, "samples", "passport_uto.png")
        with open(os.path.join(self.out, "redacted", sha256_file(passport) + ".json")) as f:
            redacted = json.load(f)
        mrz = redacted["passport"]["mrz"]
        self.assertTrue(all(set(line) == {"<"} for line in mrz["lines"]))
        for field in ("document_number", "surname", "given_names", "birth_date",
                      "personal_number"):
            self.assertIsNone(mrz[field])
        self.assertIn("mrz", {r["type"] for r in redacted["redactions"]})
        self.assertNotIn("<<<", redacted["pages"][0]["text"])

    def test_redacted_outputs_are_audited_and_verify(self):
        with open(os.path.join(self.out, "audit.jsonl")) as f:
            written = {json.loads(line)["details"].get("record") for line in f}
        for sample in self.samples():
            doc_id = sha256_file(sample)
            self.assertIn(f"redacted/{doc_id}.json", written)
            self.assertIn(f"redacted/{doc_id}.pdf", written)
        proc = run([ARGS.saksi, "verify", self.out])
        self.assertEqual(proc.returncode, 0, describe(proc))


class CaseKeys(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="saksi-pseudonym-")
        self.docs = os.path.join(self.tmp, "docs")
        os.makedirs(self.docs)
        self.first = text_pdf(os.path.join(self.docs, "first.pdf"), [
            "Surat pernyataan calon pekerja migran",
            "Nomor telepon yang dapat dihubungi: +62 812-3456-7890",
            "Email: calon.pekerja@example.com"])
        self.second = text_pdf(os.path.join(self.docs, "second.pdf"), [
            "Catatan wawancara dengan agen penyalur",
            "Agen meminta korban menghubungi 0812 3456 7890 setiap malam"])
        self.pipeline = pipeline_with(self.tmp, PSEUDONYM_POLICY)

    def tearDown(self):
        remove_unless_kept(self.tmp)

    def process(self, out, key):
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        env.pop("SAKSI_TEST_CASE_KEY", None)
        if key is not None:
            env["SAKSI_TEST_CASE_KEY"] = key
        return run([ARGS.saksi, "process", self.docs, "--out", os.path.join(self.tmp, out),
                    "--pipeline", self.pipeline, "--jobs", "1"], timeout=600, env=env)

    def tokens(self, out, doc_id):
        with open(os.path.join(self.tmp, out, "redacted", doc_id + ".json")) as f:
            redacted = json.load(f)
        text = json.dumps(redacted)
        self.assertNotIn("3456", text)
        self.assertNotIn("calon.pekerja", text)
        phones = [e for e in redacted["entities"] if e["type"] == "phone"]
        self.assertEqual(len(phones), 1, redacted["entities"])
        token = phones[0]["normalized"]
        self.assertRegex(token, r"^PHONE_[0-9a-f]{8}$")
        self.assertEqual(phones[0]["text"], token)
        self.assertIn(token, redacted["pages"][0]["text"])
        self.assertEqual({r["method"] for r in redacted["redactions"] if r["type"] == "phone"},
                         {"pseudonym"})
        return token

    def made_by(self, out, doc_id):
        """provenance.redaction, the same in the record and its redacted copy."""
        found = []
        for folder in ("records", "redacted"):
            with open(os.path.join(self.tmp, out, folder, doc_id + ".json")) as f:
                found.append(json.load(f)["provenance"]["redaction"])
        self.assertEqual(found[0], found[1])
        self.assertEqual(found[0]["policy"], "policy")
        self.assertEqual(found[0]["policy_sha256"],
                         hashlib.sha256(PSEUDONYM_POLICY.encode()).hexdigest())
        return found[0]["key_id"]

    def test_no_key_refuses_to_start(self):
        proc = self.process("none", None)
        self.assertEqual(proc.returncode, 2, describe(proc))
        self.assertIn("pseudonym", proc.stderr)
        self.assertIn("SAKSI_TEST_CASE_KEY", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "none", "records")))
        short = self.process("short", "too-short")
        self.assertEqual(short.returncode, 2, describe(short))
        self.assertIn("shorter than", short.stderr)

    def test_pseudonym_links_documents_and_changes_with_the_key(self):
        proc = self.process("a", KEY_A)
        self.assertEqual(proc.returncode, 0, describe(proc))
        token_a1 = self.tokens("a", self.first)
        token_a2 = self.tokens("a", self.second)
        self.assertEqual(token_a1, token_a2)
        proc = self.process("b", KEY_B)
        self.assertEqual(proc.returncode, 0, describe(proc))
        token_b1 = self.tokens("b", self.first)
        self.assertEqual(token_b1, self.tokens("b", self.second))
        self.assertNotEqual(token_a1, token_b1)
        # Which key made a copy is on record, by an id the key cannot be read from.
        key_a = self.made_by("a", self.first)
        self.assertRegex(key_a, r"^[0-9a-f]{8}$")
        self.assertEqual(key_a, self.made_by("a", self.second))
        self.assertNotEqual(key_a, self.made_by("b", self.first))
        # The key itself is nowhere in the outputs.
        for out in ("a", "b"):
            for folder, _, files in os.walk(os.path.join(self.tmp, out)):
                for name in files:
                    with open(os.path.join(folder, name), "rb") as f:
                        data = f.read()
                    self.assertNotIn(KEY_A.encode(), data)
                    self.assertNotIn(KEY_B.encode(), data)


class SharePipeline(unittest.TestCase):
    def test_share_is_evidence_with_the_share_policy(self):
        def stages(name):
            with open(os.path.join(ARGS.repo, "pipelines", name + ".toml")) as f:
                text = f.read()
            return re.findall(r'^id = "([^"]+)"', text, re.M), re.findall(
                r'^policy = "([^"]+)"', text, re.M)
        evidence, evidence_policy = stages("evidence")
        share, share_policy = stages("share")
        self.assertEqual(evidence, share)
        self.assertEqual((evidence_policy, share_policy), (["evidence"], ["share"]))


if __name__ == "__main__":
    saksi_testing.main(__doc__)
