#!/usr/bin/env python3
"""The case index in the PostgreSQL ledger of a distributed run (tests/services
fixture): the digital contract and the chat screenshot enqueued, one `saksi
worker` through the default pipeline; the worker fills the index as it records
each document (no record is read afterwards), and `saksi case OUT --ledger URL
--json` links the contract worker's phone number, which both documents hold
(samples/.generator/manifest.json), across them.

usage: case_distributed_test.py --saksi BIN [--repo DIR] [unittest args]
"""
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402
from distributed_test import services  # noqa: E402

ARGS = None
FILES = ("contract_digital.pdf", "chat_whatsapp.png")


class CaseDistributedTest(unittest.TestCase):
    def setUp(self):
        env = services()
        self.ledger_url = env["SAKSI_TEST_POSTGRES"] + "/cases"
        self.common = ["--queue", env["SAKSI_TEST_REDIS"], "--ledger", self.ledger_url,
                       "--stream", f"saksi:test:{os.getpid()}:case"]
        self.psql(["DROP TABLE IF EXISTS documents, schema_version, case_keys, case_documents,"
                   " case_index_version"])
        self.tmp = tempfile.mkdtemp(prefix="saksi-case-distributed-")
        self.inbox = os.path.join(self.tmp, "in")
        self.out = os.path.join(self.tmp, "out")
        os.makedirs(self.inbox)
        with open(os.path.join(ARGS.repo, "samples", ".generator", "manifest.json")) as f:
            self.manifest = {d["file"]: d for d in json.load(f)["documents"]}
        self.ids = {}
        for name in FILES:
            shutil.copy(os.path.join(ARGS.repo, "samples", name), self.inbox)
            self.ids[name] = saksi_testing.sha256_file(os.path.join(self.inbox, name))

    def tearDown(self):
        saksi_testing.remove_unless_kept(self.tmp)

    def psql(self, statements):
        proc = saksi_testing.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                                  self.ledger_url] + sum((["-c", s] for s in statements), []))
        self.assertEqual(proc.returncode, 0, saksi_testing.describe(proc))
        return proc.stdout

    def test_worker_fills_the_index_and_case_links(self):
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        proc = saksi_testing.run([ARGS.saksi, "enqueue", self.inbox] + self.common, env=env)
        self.assertEqual(proc.returncode, 0, saksi_testing.describe(proc))
        proc = saksi_testing.run([ARGS.saksi, "worker", "--out", self.out, "--jobs", "1",
                                  "--drain"] + self.common, timeout=900, env=env)
        self.assertIn(proc.returncode, (0, 3), saksi_testing.describe(proc))
        indexed = set(self.psql(["SELECT document_id FROM case_documents"]).split())
        self.assertEqual(indexed, set(self.ids.values()))
        self.assertFalse(os.path.exists(os.path.join(self.out, "ledger.sqlite")))

        proc = saksi_testing.run([ARGS.saksi, "case", self.out, "--ledger", self.ledger_url,
                                  "--json"])
        self.assertEqual(proc.returncode, 0, saksi_testing.describe(proc))
        self.assertNotIn("indexed", proc.stderr)
        phone = self.manifest["contract_digital.pdf"]["pii"]["phone"][0]
        self.assertIn(phone, self.manifest["chat_whatsapp.png"]["pii"]["phone"])
        links = [link for link in json.loads(proc.stdout)["links"]
                 if link["type"] == "phone" and link["value"] == phone]
        self.assertEqual(len(links), 1, proc.stdout)
        self.assertEqual({(d["name"], d["id"]) for d in links[0]["documents"]},
                         {(name, self.ids[name]) for name in FILES})


if __name__ == "__main__":
    saksi_testing.main(__doc__)
