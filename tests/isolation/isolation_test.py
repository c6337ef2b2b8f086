#!/usr/bin/env python3
"""Crash isolation: documents that crash, abort, exit, hang or eat memory in
their worker each get a failure record with the right code, every other
document its record, the ledger and audit chain verify, and no worker
process outlives saksi (also when saksi is killed with -9 or stopped with
SIGTERM)."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import record_schema  # noqa: E402
import saksi_testing  # noqa: E402

ARGS = None

PIPELINE = """name = "isolation-test"
[[stage]]
id = "test.misbehave"
[[stage]]
id = "decode.image"
[[stage]]
id = "sink.json"
"""

# Small limits so the test is quick: a hang costs 8 s, a runaway 300 MB
# (reached well within 8 s even in a sanitizer build on a busy machine).
SETTINGS = """[worker]
document_timeout_seconds = 8
memory_limit_mb = 300
"""

# marker -> (file name, expected error code)
MISBEHAVING = {
    "SAKSI-TEST-CRASH": ("crash.png", "worker.crashed"),
    "SAKSI-TEST-ABORT": ("abort.png", "worker.crashed"),
    "SAKSI-TEST-EXIT": ("exit.png", "worker.crashed"),
    "SAKSI-TEST-HANG": ("hang.png", "worker.timeout"),
    "SAKSI-TEST-OOM": ("oom.png", "memory.limit"),
}


class IsolationTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="saksi-isolation-")
        self.inbox = os.path.join(self.tmp, "in")
        self.out = os.path.join(self.tmp, "out")
        os.makedirs(self.inbox)
        self.pipeline = os.path.join(self.tmp, "isolation-test.toml")
        with open(self.pipeline, "w") as f:
            f.write(PIPELINE)
        settings = os.path.join(self.tmp, "saksi.toml")
        with open(settings, "w") as f:
            f.write(SETTINGS)
        # The token marks this test's processes (workers inherit it), so
        # leftovers are found without confusing them with other runs'.
        self.token = f"saksi-isolation-{uuid.uuid4().hex}"
        self.env = dict(os.environ, OMP_THREAD_LIMIT="1", SAKSI_CONFIG=settings,
                        SAKSI_ISOLATION_TOKEN=self.token)

    def tearDown(self):
        saksi_testing.remove_unless_kept(self.tmp)

    def cmd(self, jobs):
        return [ARGS.saksi, "process", self.inbox, "--out", self.out, "--pipeline",
                self.pipeline, "--plugin-path", ARGS.plugin_dir, "--jobs", str(jobs)]

    def normal_files(self, count):
        ids = {}
        for n in range(count):
            path = os.path.join(self.inbox, f"normal_{n:02d}.png")
            ids[saksi_testing.write_png(path, seed=100 + n)] = path
        return ids

    def misbehaving_files(self, markers):
        ids = {}
        for n, marker in enumerate(markers):
            name, code = MISBEHAVING[marker]
            ids[saksi_testing.write_png(os.path.join(self.inbox, name), 200 + n, text=marker)] = (name, code)
        return ids

    def leftover_processes(self):
        """Processes (other than this test) whose environment holds the token."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    environ = f.read()
                with open(f"/proc/{entry}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if self.token.encode() in environ and state != "Z":
                found.append(int(entry))
        return found

    def assert_no_leftovers(self):
        # A worker killed with its supervisor may take a moment to go.
        deadline = time.time() + 10
        while self.leftover_processes() and time.time() < deadline:
            time.sleep(0.1)
        self.assertEqual(self.leftover_processes(), [], "worker processes left behind")

    def ledger(self):
        db = sqlite3.connect(os.path.join(self.out, "ledger.sqlite"))
        try:
            return {row[0]: (row[1], json.loads(row[2]))
                    for row in db.execute("SELECT id, status, error_codes FROM documents")}
        finally:
            db.close()

    def running_in_ledger(self):
        try:
            return [i for i, (s, _) in self.ledger().items() if s == "running"]
        except sqlite3.Error:
            return []

    def record(self, sub, doc):
        with open(os.path.join(self.out, sub, doc + ".json"), encoding="utf-8") as f:
            return json.load(f)

    def verify(self):
        verify = saksi_testing.run([ARGS.saksi, "verify", self.out])
        self.assertEqual(verify.returncode, 0, saksi_testing.describe(verify))

    def test_a_batch_survives_every_kind_of_worker_failure(self):
        normal = self.normal_files(6)
        bad = self.misbehaving_files(MISBEHAVING)
        run = saksi_testing.run(self.cmd(2), timeout=400, env=self.env)
        self.assertEqual(run.returncode, 3, saksi_testing.describe(run))
        validator = record_schema.load_validator(ARGS.schema)
        for doc, path in normal.items():
            rec = self.record("records", doc)
            self.assertEqual(rec["status"], "ok", path)
            self.assertEqual(rec["errors"], [], path)
        for doc, (name, code) in bad.items():
            rec = self.record("failed", doc)
            self.assertEqual(rec["status"], "failed", name)
            self.assertEqual(record_schema.describe_errors(validator, rec), [], name)
            self.assertEqual([e["code"] for e in rec["errors"]], [code], name)
            error = rec["errors"][0]
            self.assertEqual(error["stage"], "test.misbehave", name)
            self.assertEqual(rec["source"]["name"], name)
            message = error["message"]
            if name == "crash.png":
                # Under AddressSanitizer its SEGV handler reports and exits 1.
                self.assertRegex(message, r"exited with status 1" if ARGS.sanitized
                                 else r"SIGSEGV", message)
            elif name == "abort.png":
                self.assertIn("SIGABRT", message)
            elif name == "exit.png":
                self.assertIn("exited with status 3", message)
            elif name == "hang.png":
                self.assertIn("longer than 8 s", message)
            elif name == "oom.png":
                self.assertIn("300 MB", message)
            self.assertFalse(os.path.exists(os.path.join(self.out, "records", doc + ".json")))
        ledger = self.ledger()
        self.assertEqual(set(ledger), set(normal) | set(bad))
        for doc in normal:
            self.assertEqual(ledger[doc], ("ok", []))
        for doc, (name, code) in bad.items():
            self.assertEqual(ledger[doc], ("failed", [code]), name)
        self.assertIn("6 ok, 0 partial, 5 failed", run.stdout, saksi_testing.describe(run))
        self.assertIn("worker.crashed x3", run.stdout)
        self.verify()
        self.assert_no_leftovers()

    def test_workers_die_with_a_killed_supervisor(self):
        # Two hanging documents keep both workers busy (an idle worker whose
        # slot has nothing left to do exits before the run ends).
        self.misbehaving_files(["SAKSI-TEST-HANG"])
        saksi_testing.write_png(os.path.join(self.inbox, "hang2.png"), 300, text="SAKSI-TEST-HANG")
        env = dict(self.env, SAKSI_CONFIG="")  # default limits: the hangs last
        proc = subprocess.Popen(self.cmd(2), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env)
        deadline = time.time() + 120
        while (proc.poll() is None and time.time() < deadline
               and len(self.running_in_ledger()) < 2):
            time.sleep(0.05)
        self.assertIsNone(proc.poll(), "saksi ended before the kill")
        self.assertTrue(self.running_in_ledger(), "the hanging document never started")
        # saksi and its two workers (read from /proc, which may lag a moment).
        deadline = time.time() + 10
        while len(self.leftover_processes()) < 3 and time.time() < deadline:
            time.sleep(0.1)
        self.assertGreaterEqual(len(self.leftover_processes()), 3, "no worker processes seen")
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        proc.stdout.close()
        proc.stderr.close()
        self.assert_no_leftovers()

    def test_sigterm_finishes_the_documents_in_flight(self):
        normal = self.normal_files(8)
        bad = self.misbehaving_files(["SAKSI-TEST-HANG"])  # hang.png sorts before normal_*
        proc = subprocess.Popen(self.cmd(1), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=self.env, text=True)
        deadline = time.time() + 120
        while proc.poll() is None and time.time() < deadline and not self.running_in_ledger():
            time.sleep(0.05)
        self.assertIsNone(proc.poll(), "saksi ended before SIGTERM")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
        # The hanging document was in flight: it ended (timed out) with its
        # failure record; the batch stopped before the end.
        self.assertEqual(proc.returncode, 3, f"{out}\n{err}")
        self.assertIn("SIGTERM", err)
        (hang,) = bad
        self.assertEqual([e["code"] for e in self.record("failed", hang)["errors"]],
                         ["worker.timeout"])
        done = set(self.ledger())
        self.assertLess(len(done), len(normal) + 1, "SIGTERM did not stop the batch")
        self.assertNotIn("running", [s for s, _ in self.ledger().values()])
        self.verify()
        self.assert_no_leftovers()
        # The same command finishes the batch.
        rerun = saksi_testing.run(self.cmd(1), timeout=300, env=self.env)
        self.assertEqual(rerun.returncode, 3, saksi_testing.describe(rerun))
        for doc in normal:
            self.assertEqual(self.record("records", doc)["status"], "ok")
        self.verify()


def add_arguments(parser):
    parser.add_argument("--plugin-dir", required=True)
    parser.add_argument("--sanitized", action="store_true",
                        help="saksi is an AddressSanitizer build")


if __name__ == "__main__":
    saksi_testing.main(__doc__, add_arguments)
