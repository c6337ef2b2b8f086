#!/usr/bin/env python3
"""Distributed run against a real Redis and PostgreSQL (tests/services
fixture): the samples enqueued several times over, three workers as separate
processes, one killed with SIGKILL in the middle of a document. Every
document ends with exactly one record, the ledger has all finished, nothing
is left queued, running or pending, and every worker's audit chain verifies
with the ledger. A worker stopped with SIGTERM finishes its job and exits 0.
An archive is one job, acknowledged once each member has its record."""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402

ARGS = None

PIPELINE = saksi_testing.ocr_pipeline("distributed-test")

STATUS_KEYS = {"queued", "running", "pending", "done", "failed", "pages_per_s", "eta"}


def services():
    """The fixture's URLs: {"SAKSI_TEST_REDIS": ..., "SAKSI_TEST_POSTGRES": ...}."""
    path = os.environ.get("SAKSI_SERVICES_ENV")
    if not path or not os.path.exists(path):
        raise RuntimeError(f"no services env file ({path!r}); run through ctest "
                           "(fixture services.start)")
    with open(path) as f:
        return dict(line.strip().split("=", 1) for line in f if "=" in line)


class DistributedTest(unittest.TestCase):
    def setUp(self):
        env = services()
        self.queue = env["SAKSI_TEST_REDIS"]
        self.ledger_url = env["SAKSI_TEST_POSTGRES"] + "/distributed"
        self.stream = f"saksi:test:{os.getpid()}:{self._testMethodName}"
        self.psql(["DROP TABLE IF EXISTS documents, schema_version"])
        self.tmp = tempfile.mkdtemp(prefix="saksi-distributed-")
        self.inbox = os.path.join(self.tmp, "in")
        self.out = os.path.join(self.tmp, "out")
        os.makedirs(os.path.join(self.inbox, "again"))
        self.ids = set()
        # Slow OCR first, so a worker is mid-document when it is killed.
        for n, sample in ((1, "passport_uto.png"), (2, "contract_scan.png"),
                          (3, "chat_whatsapp.png")):
            dest = os.path.join(self.inbox, f"0{n}_{sample}")
            shutil.copy(os.path.join(ARGS.repo, "samples", sample), dest)
            self.ids.add(saksi_testing.sha256_file(dest))
        for n in range(4, 9):
            self.ids.add(saksi_testing.write_png(os.path.join(self.inbox, f"0{n}_noise.png"),
                                                 seed=n))
        # The same content under another name: one document, one job.
        shutil.copy(os.path.join(self.inbox, "01_passport_uto.png"),
                    os.path.join(self.inbox, "again", "passport_copy.png"))
        self.pipeline = os.path.join(self.tmp, "distributed-test.toml")
        with open(self.pipeline, "w") as f:
            f.write(PIPELINE)
        self.env = dict(os.environ, OMP_THREAD_LIMIT="1")
        self.common = ["--queue", self.queue, "--ledger", self.ledger_url, "--stream", self.stream]

    def tearDown(self):
        saksi_testing.remove_unless_kept(self.tmp)

    def psql(self, statements):
        proc = saksi_testing.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                                  self.ledger_url] + sum((["-c", s] for s in statements), []))
        self.assertEqual(proc.returncode, 0, saksi_testing.describe(proc))
        return proc.stdout

    def ledger(self):
        rows = self.psql(["SELECT id, status FROM documents"]).split()
        return dict(row.split("|") for row in rows)

    def saksi(self, args, timeout=120):
        proc = saksi_testing.run([ARGS.saksi] + args, timeout=timeout, env=self.env)
        return proc

    def status(self):
        proc = self.saksi(["status", "--json"] + self.common)
        self.assertEqual(proc.returncode, 0, saksi_testing.describe(proc))
        status = json.loads(proc.stdout)
        self.assertEqual(set(status), STATUS_KEYS, proc.stdout)
        return status

    def worker(self, worker_id, drain=True):
        cmd = [ARGS.saksi, "worker", "--out", self.out, "--pipeline", self.pipeline,
               "--jobs", "1", "--claim-idle", "3", "--worker-id", worker_id] + self.common
        if drain:
            cmd.append("--drain")
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.env)

    def audit_actions(self, worker_id):
        path = os.path.join(self.out, "audit", worker_id + ".jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f if line.endswith("\n")]

    def outputs(self):
        return sorted(os.path.basename(p) for sub in ("records", "failed")
                      for p in glob.glob(os.path.join(self.out, sub, "*.json")))

    def test_sigkill_loses_and_duplicates_nothing(self):
        # 1. The samples enqueued several times over: each document once.
        first = self.saksi(["enqueue", self.inbox] + self.common)
        self.assertEqual(first.returncode, 0, saksi_testing.describe(first))
        self.assertIn(f"{len(self.ids)} jobs added", first.stdout, saksi_testing.describe(first))
        self.assertIn("1 repeated content", first.stdout)
        for again in ([self.inbox], sorted(glob.glob(os.path.join(self.inbox, "*.png")))):
            rerun = self.saksi(["enqueue"] + again + self.common)
            self.assertEqual(rerun.returncode, 0, saksi_testing.describe(rerun))
            self.assertIn("0 jobs added", rerun.stdout, saksi_testing.describe(rerun))
        self.assertEqual(set(self.ledger()), self.ids)
        self.assertEqual(set(self.ledger().values()), {"queued"})
        status = self.status()
        self.assertEqual(status["queued"], len(self.ids), status)
        self.assertEqual((status["done"], status["failed"], status["pending"]), (0, 0, 0), status)

        # 2. Three workers; the first is killed once it is mid-document.
        victim = self.worker("w1")
        deadline = time.time() + 120
        while victim.poll() is None and time.time() < deadline:
            actions = [a["action"] for a in self.audit_actions("w1")]
            if actions.count("received") > actions.count("processed"):
                break
            time.sleep(0.02)
        ended_early = victim.poll()
        others = [self.worker("w2"), self.worker("w3")]
        victim.send_signal(signal.SIGKILL)
        victim.communicate()
        self.assertIsNone(ended_early, "w1 ended before the kill")
        in_flight = {a["document"] for a in self.audit_actions("w1") if a["action"] == "received"}
        in_flight -= {a["document"] for a in self.audit_actions("w1")
                      if a["action"] == "processed"}
        self.assertTrue(in_flight, "w1 was not in the middle of a document")

        reports = []
        for proc in others:
            out, err = proc.communicate(timeout=300)
            reports.append(out + err)
            self.assertEqual(proc.returncode, 0, f"worker exit {proc.returncode}:\n{out}\n{err[-4000:]}")
        self.assertTrue(any("taken over" in r for r in reports),
                        "no worker took over w1's jobs:\n" + "\n".join(reports))

        # 3. Exactly one record per document, no half-written file.
        self.assertEqual(self.outputs(), sorted(i + ".json" for i in self.ids),
                         "not exactly one record per document")
        self.assertEqual(glob.glob(os.path.join(self.out, "records", ".*")), [])
        ledger = self.ledger()
        self.assertEqual(set(ledger), self.ids)
        for doc, state in ledger.items():
            self.assertIn(state, ("ok", "partial", "failed"), doc)
        status = self.status()
        self.assertEqual((status["queued"], status["running"], status["pending"]), (0, 0, 0),
                         status)
        self.assertEqual(status["done"] + status["failed"], len(self.ids), status)
        self.assertEqual(status["eta"], 0, status)
        self.assertGreater(status["pages_per_s"], 0, status)

        # 4. Every worker's chain (the killed one's too) and the ledger agree.
        self.assertEqual(sorted(os.listdir(os.path.join(self.out, "audit"))),
                         ["w1.jsonl", "w2.jsonl", "w3.jsonl"])
        verify = self.saksi(["verify", self.out, "--ledger", self.ledger_url])
        self.assertEqual(verify.returncode, 0, saksi_testing.describe(verify))
        self.assertIn("0 broken", verify.stdout)

        # 5. Enqueued again once done: nothing new.
        again = self.saksi(["enqueue", self.inbox] + self.common)
        self.assertIn("0 jobs added", again.stdout, saksi_testing.describe(again))

        # 6. SIGTERM while a document is in flight: it is finished, exit 0.
        late = saksi_testing.write_png(os.path.join(self.inbox, "late.png"), seed=99,
                                       width=1200, height=900)
        added = self.saksi(["enqueue", os.path.join(self.inbox, "late.png")] + self.common)
        self.assertIn("1 jobs added", added.stdout, saksi_testing.describe(added))
        stopper = self.worker("w4", drain=False)
        deadline = time.time() + 60
        while stopper.poll() is None and time.time() < deadline:
            if any(a["action"] == "received" for a in self.audit_actions("w4")):
                break
            time.sleep(0.02)
        stopper.send_signal(signal.SIGTERM)
        out, err = stopper.communicate(timeout=120)
        self.assertEqual(stopper.returncode, 0, f"{out}\n{err[-4000:]}")
        self.assertIn(late + ".json", self.outputs(), "the job in flight was not finished")
        self.assertIn(self.ledger()[late], ("ok", "partial", "failed"))
        status = self.status()
        self.assertEqual((status["queued"], status["running"], status["pending"]), (0, 0, 0),
                         status)

    def test_archive_is_one_job_acknowledged_after_its_members(self):
        inbox = os.path.join(self.tmp, "zips")
        os.makedirs(inbox)
        members = {}
        for n in (201, 202, 203):
            path = os.path.join(self.tmp, f"m{n}.png")
            members[f"scans/m{n}.png"] = (path, saksi_testing.write_png(path, seed=n))
        archive = os.path.join(inbox, "evidence.zip")
        with zipfile.ZipFile(archive, "w") as z:
            for name, (path, _) in members.items():
                z.write(path, name)
        member_ids = {sha for _, sha in members.values()}

        added = self.saksi(["enqueue", inbox] + self.common)
        self.assertEqual(added.returncode, 0, saksi_testing.describe(added))
        self.assertIn("1 jobs added", added.stdout, saksi_testing.describe(added))
        self.assertEqual(self.ledger(), {}, "an archive has no ledger row of its own")

        proc = self.worker("wz")
        out, err = proc.communicate(timeout=300)
        self.assertEqual(proc.returncode, 0, f"{out}\n{err[-4000:]}")
        self.assertEqual(self.outputs(), sorted(i + ".json" for i in member_ids))
        ledger = self.ledger()
        self.assertEqual(set(ledger), member_ids)
        for doc, state in ledger.items():
            self.assertIn(state, ("ok", "partial", "failed"), doc)
        for doc in member_ids:
            with open(os.path.join(self.out, "records", doc + ".json")) as f:
                record = json.load(f)
            self.assertEqual(os.path.basename(record["source"]["container"][0]["archive"]),
                             "evidence.zip")
        # Acknowledged: nothing pending, and the worker's folder is gone.
        status = self.status()
        self.assertEqual((status["queued"], status["running"], status["pending"]), (0, 0, 0),
                         status)
        self.assertEqual(glob.glob(os.path.join(self.out, ".work", "wz", "*")), [])
        verify = self.saksi(["verify", self.out, "--ledger", self.ledger_url])
        self.assertEqual(verify.returncode, 0, saksi_testing.describe(verify))
        self.assertIn("0 broken", verify.stdout)

        # Enqueued again: one job again, whose members are all skipped.
        again = self.saksi(["enqueue", inbox] + self.common)
        self.assertIn("1 jobs added", again.stdout, saksi_testing.describe(again))
        proc = self.worker("wz2")
        out, err = proc.communicate(timeout=300)
        self.assertEqual(proc.returncode, 0, f"{out}\n{err[-4000:]}")
        self.assertIn("3 skipped", out)
        self.assertEqual(self.status()["pending"], 0)


if __name__ == "__main__":
    saksi_testing.main(__doc__)
