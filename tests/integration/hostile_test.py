#!/usr/bin/env python3
"""`saksi process tests/hostile --out X`: every hostile file (and hostile
archive member) gets exactly one failure record with its precise code, the
safe archive members get records, nothing is written outside X, the run
exits 3 and `saksi verify X` passes. --password-file opens the encrypted PDF
and never shows the password."""
import glob
import json
import os
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import record_schema  # noqa: E402
import saksi_testing  # noqa: E402

ARGS = None
PASSWORD = "utopia-1"  # tests/hostile/.generator/make_corpus.py encrypts with it


def key(record):
    """'traversal.zip!../../evil.png': the original's name, then each member."""
    source = record["source"]
    return os.path.basename(source["path"]) + "".join(
        "!" + link["member"] for link in source.get("container", []))


def snapshot(root, skip):
    """Every path under root (files, folders, links), except under `skip`."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        if os.path.abspath(dirpath) == os.path.abspath(skip):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if os.path.abspath(path) != os.path.abspath(skip):
                found.add(os.path.relpath(path, root))
    return found


def load(folder):
    records = {}
    for path in glob.glob(os.path.join(folder, "*.json")):
        with open(path, encoding="utf-8") as f:
            record = json.load(f)
        records.setdefault(key(record), []).append(record)
    return records


class HostileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.corpus = os.path.join(ARGS.repo, "tests", "hostile")
        with open(os.path.join(cls.corpus, ".generator", "expected.json"), encoding="utf-8") as f:
            cls.expected = json.load(f)
        cls.tmp = tempfile.mkdtemp(prefix="saksi-hostile-")
        # Run from deep inside the temp folder: a "../../evil.png" written
        # relative to the working folder would land inside the snapshot.
        cls.cwd = os.path.join(cls.tmp, "work", "deep", "er")
        os.makedirs(cls.cwd)
        cls.out = os.path.join(cls.tmp, "X")
        cls.corpus_before = {p: saksi_testing.sha256_file(os.path.join(cls.corpus, p))
                             for p in snapshot(cls.corpus, cls.out)
                             if os.path.isfile(os.path.join(cls.corpus, p))}
        cls.tmp_before = snapshot(cls.tmp, cls.out)
        cls.absolute_existed = os.path.lexists("/tmp/saksi-absolute.png")
        cls.proc = saksi_testing.run([ARGS.saksi, "process", cls.corpus, "--out", cls.out],
                                     timeout=900, cwd=cls.cwd)
        cls.records = load(os.path.join(cls.out, "records"))
        cls.failures = load(os.path.join(cls.out, "failed"))

    @classmethod
    def tearDownClass(cls):
        saksi_testing.remove_unless_kept(cls.tmp)

    def test_exit_code_3(self):
        self.assertEqual(self.proc.returncode, 3, saksi_testing.describe(self.proc))

    def test_one_failure_record_with_the_precise_code_per_hostile_input(self):
        expected = self.expected["failures"]
        table = []
        for name, code in sorted(expected.items()):
            found = self.failures.get(name, [])
            self.assertEqual(len(found), 1, f"{name}: {len(found)} failure records"
                             + saksi_testing.describe(self.proc))
            codes = [e["code"] for e in found[0]["errors"]]
            self.assertEqual(codes, [code], f"{name}: {found[0]['errors']}")
            self.assertEqual(found[0]["status"], "failed")
            table.append(f"  {name:70} {code}")
        self.assertEqual(sorted(self.failures), sorted(expected),
                         "failure records for inputs that are not hostile")
        print("\nhostile input -> failure code\n" + "\n".join(table), file=sys.stderr)

    def test_safe_members_processed_to_records(self):
        self.assertEqual(sorted(self.records), sorted(self.expected["records"]))
        for name, (record,) in self.records.items():
            self.assertIn(record["status"], ("ok", "partial"), name)
            self.assertTrue(record["source"]["container"], name)
            first = record["source"]["container"][0]
            self.assertEqual(first["archive"], os.path.join(self.corpus, name.split("!")[0]))
            self.assertEqual(first["sha256"], saksi_testing.sha256_file(first["archive"]))

    def test_nothing_written_outside_the_output_folder(self):
        self.assertEqual(snapshot(self.tmp, self.out) - self.tmp_before, set())
        after = {p: saksi_testing.sha256_file(os.path.join(self.corpus, p))
                 for p in snapshot(self.corpus, self.out)
                 if os.path.isfile(os.path.join(self.corpus, p))}
        self.assertEqual(after, self.corpus_before, "the corpus changed")
        if not self.absolute_existed:
            self.assertFalse(os.path.lexists("/tmp/saksi-absolute.png"))
        for name in ("evil.png", "x.png", "link.png", "saksi-absolute.png"):
            for root in (self.tmp, os.path.dirname(self.corpus), self.corpus):
                self.assertEqual(glob.glob(os.path.join(root, "**", name), recursive=True), [],
                                 f"{name} under {root}")
        # The private folder for members is gone with the run.
        self.assertFalse(os.path.exists(os.path.join(self.out, ".work")))
        self.assertEqual(os.listdir(self.cwd), [])

    def test_ledger_keeps_the_archive_chain(self):
        db = sqlite3.connect(os.path.join(self.out, "ledger.sqlite"))
        rows = db.execute("SELECT source_path, sha256, container FROM documents").fetchall()
        db.close()
        members = [r for r in rows if json.loads(r[2])]
        self.assertTrue(members)
        for source_path, _, container in members:
            self.assertEqual(json.loads(container)[0]["sha256"],
                             saksi_testing.sha256_file(source_path))

    def test_records_match_the_schema(self):
        validator = record_schema.load_validator(
            os.path.join(ARGS.repo, "config", "record.schema.json"))
        for folder in (self.records, self.failures):
            for name, records in folder.items():
                for record in records:
                    self.assertEqual(record_schema.describe_errors(validator, record), [], name)

    def test_verify_passes(self):
        proc = saksi_testing.run([ARGS.saksi, "verify", self.out])
        self.assertEqual(proc.returncode, 0, saksi_testing.describe(proc))
        self.assertIn("verified:", proc.stdout)

    def test_password_file(self):
        pdf = os.path.join(self.corpus, "encrypted.pdf")
        wrong = os.path.join(self.tmp, "wrong.txt")
        with open(wrong, "w") as f:
            f.write("letmein\n\nnot-it\r\n")
        right = os.path.join(self.tmp, "passwords.txt")
        with open(right, "w") as f:
            f.write(f"letmein\n{PASSWORD}\n")
        out = os.path.join(self.tmp, "pw")

        proc = saksi_testing.run([ARGS.saksi, "process", pdf, "--out", out,
                                  "--password-file", wrong, "--log-level", "debug"])
        self.assertEqual(proc.returncode, 3, saksi_testing.describe(proc))
        (record,) = load(os.path.join(out, "failed"))["encrypted.pdf"]
        self.assertEqual([e["code"] for e in record["errors"]], ["pdf.encrypted"])
        self.assertIn("--password-file", record["errors"][0]["message"])

        # The right password, on the same folder: the failure is retried.
        proc2 = saksi_testing.run([ARGS.saksi, "process", pdf, "--out", out, "--retry-failed",
                                   "--password-file", right, "--log-level", "debug"])
        self.assertEqual(proc2.returncode, 0, saksi_testing.describe(proc2))
        (record,) = load(os.path.join(out, "records"))["encrypted.pdf"]
        self.assertEqual(record["status"], "ok")
        self.assertIn("CONFIDENTIAL SPECIMEN", " ".join(p.get("text", "") for p in record["pages"]))
        self.assertEqual(load(os.path.join(out, "failed")), {})

        # No password anywhere: output, logs, records, ledger, audit log.
        for text in (proc.stdout, proc.stderr, proc2.stdout, proc2.stderr):
            self.assertNotIn(PASSWORD, text)
            self.assertNotIn("letmein", text)
        for dirpath, _, filenames in os.walk(out):
            for name in filenames:
                with open(os.path.join(dirpath, name), "rb") as f:
                    data = f.read()
                self.assertNotIn(PASSWORD.encode(), data, name)
                self.assertNotIn(b"letmein", data, name)


if __name__ == "__main__":
    saksi_testing.main(__doc__)
