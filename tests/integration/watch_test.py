#!/usr/bin/env python3
"""saksi watch: a file already in the inbox, one moved in, one copied under a
.part name and then renamed, a duplicate, a dotfile and an empty file; each
gets its record (the dotfile none, the .part none until renamed), originals
move to .saksi/done/ or .saksi/failed/ (with the failure record; a duplicate
goes where its first copy went), SIGTERM lets the document in flight finish
and exits 0, a restart skips and moves a file already recorded, and saksi
verify passes, re-hashing originals where they were moved. A zip moved in
is expanded, and leaves the inbox (to failed/ when a member failed) once
every member has its outcome. Prints (does not assert) the latency from
moving a single-page image in to its record."""
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

PIPELINE = saksi_testing.ocr_pipeline("watch-test")

WAIT = 300  # seconds before a wait counts as a hang


class WatchTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="saksi-watch-")
        self.inbox = os.path.join(self.tmp, "inbox")
        self.staging = os.path.join(self.tmp, "staging")  # same file system: renames
        self.out = os.path.join(self.tmp, "out")
        os.makedirs(self.inbox)
        os.makedirs(self.staging)
        self.pipeline = os.path.join(self.tmp, "watch-test.toml")
        with open(self.pipeline, "w") as f:
            f.write(PIPELINE)
        self.env = dict(os.environ, OMP_THREAD_LIMIT="1", SAKSI_PROGRESS_INTERVAL_MS="300")
        self.procs = []

    def tearDown(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.log.close()
        saksi_testing.remove_unless_kept(self.tmp)

    def start(self, name):
        log = open(os.path.join(self.tmp, name + ".log"), "w+")
        proc = subprocess.Popen([ARGS.saksi, "watch", self.inbox, "--out", self.out,
                                 "--pipeline", self.pipeline, "--jobs", "2"],
                                stdout=subprocess.PIPE, stderr=log, text=True, env=self.env)
        proc.log = log
        self.procs.append(proc)
        return proc

    @staticmethod
    def log_of(proc):
        proc.log.seek(0)
        return proc.log.read()

    def wait_for(self, what, check, proc):
        deadline = time.time() + WAIT
        while time.time() < deadline:
            if check():
                return
            self.assertIsNone(proc.poll(), f"saksi watch ended while waiting for {what}:\n"
                              + self.log_of(proc)[-4000:])
            time.sleep(0.01)
        self.fail(f"no {what} after {WAIT} s:\n" + self.log_of(proc)[-4000:])

    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.fail(f"saksi watch still running {WAIT} s after SIGTERM:\n"
                      + self.log_of(proc)[-4000:])
        self.assertEqual(proc.returncode, 0, out + self.log_of(proc)[-4000:])
        return out

    def record(self, doc_id):
        return os.path.join(self.out, "records", doc_id + ".json")

    def done(self, rel):
        return os.path.join(self.inbox, ".saksi", "done", rel)

    def failed(self, rel):
        return os.path.join(self.inbox, ".saksi", "failed", rel)

    def stage(self, name, source=None, png_seed=None, data=None):
        """A file written in the staging folder; returns (path, sha256)."""
        path = os.path.join(self.staging, name)
        if source:
            shutil.copy(os.path.join(ARGS.repo, "samples", source), path)
        elif png_seed is not None:
            saksi_testing.write_png(path, seed=png_seed)
        else:
            with open(path, "wb") as f:
                f.write(data)
        return path, saksi_testing.sha256_file(path)

    def audit(self):
        with open(os.path.join(self.out, "audit.jsonl")) as f:
            return [json.loads(line) for line in f]

    def test_watch(self):
        present = os.path.join(self.inbox, "present.png")
        present_id = saksi_testing.write_png(present, seed=1)
        proc = self.start("first")

        # A file already there at start.
        self.wait_for("record of the file present at start",
                      lambda: os.path.exists(self.done("present.png")), proc)
        self.assertTrue(os.path.exists(self.record(present_id)))
        self.assertFalse(os.path.exists(present))

        # A single-page image moved in: latency from the move to its record.
        staged, passport_id = self.stage("passport.png", source="passport_uto.png")
        moved_at = time.monotonic()
        os.rename(staged, os.path.join(self.inbox, "passport.png"))
        self.wait_for("record of the moved-in passport",
                      lambda: os.path.exists(self.record(passport_id)), proc)
        latency = time.monotonic() - moved_at
        self.wait_for("passport moved to done",
                      lambda: os.path.exists(self.done("passport.png")), proc)
        with open(self.record(passport_id)) as f:
            stages_s = sum(s["ms"] for s in json.load(f)["provenance"]["stages"]) / 1000
        print(f"\nlatency: move to record {latency:.3f} s; its stages took {stages_s:.3f} s; "
              f"overhead {latency - stages_s:.3f} s", file=sys.stderr)

        # A copy under a .part name, a dotfile, then a file moved into a new
        # subfolder: the .part and the dotfile are left alone.
        part = os.path.join(self.inbox, "copy.png.part")
        part_id = saksi_testing.write_png(part, seed=2)
        dotfile = os.path.join(self.inbox, ".notes.png")
        saksi_testing.write_png(dotfile, seed=3)
        os.makedirs(os.path.join(self.inbox, "case7"))
        staged, marker_id = self.stage("marker.png", png_seed=4)
        os.rename(staged, os.path.join(self.inbox, "case7", "marker.png"))
        self.wait_for("marker moved to done/case7",
                      lambda: os.path.exists(self.done(os.path.join("case7", "marker.png"))),
                      proc)
        self.assertTrue(os.path.exists(self.record(marker_id)))
        self.assertTrue(os.path.exists(part), ".part file taken")
        self.assertFalse(os.path.exists(self.record(part_id)), ".part file processed")
        # Renamed: now it is complete.
        os.rename(part, os.path.join(self.inbox, "copy.png"))
        self.wait_for("renamed copy moved to done",
                      lambda: os.path.exists(self.done("copy.png")), proc)
        self.assertTrue(os.path.exists(self.record(part_id)))

        # The same content again under another name: a duplicate, moved to done.
        staged, _ = self.stage("again.png", png_seed=4)
        os.rename(staged, os.path.join(self.inbox, "again.png"))
        self.wait_for("duplicate moved to done",
                      lambda: os.path.exists(self.done("again.png")), proc)

        # A hostile file: empty. Its failure record goes along.
        staged, empty_id = self.stage("empty.png", data=b"")
        os.rename(staged, os.path.join(self.inbox, "empty.png"))
        self.wait_for("empty file moved to failed",
                      lambda: os.path.exists(self.failed("empty.png.failure.json")), proc)
        self.assertTrue(os.path.exists(self.failed("empty.png")))
        with open(self.failed("empty.png.failure.json"), "rb") as f:
            copy = f.read()
        failure = json.loads(copy)
        self.assertEqual(failure["status"], "failed")
        self.assertTrue(failure["errors"], failure)
        with open(os.path.join(self.out, "failed", failure["id"] + ".json"), "rb") as f:
            self.assertEqual(copy, f.read(), "the copy differs from OUT/failed's record")

        # SIGTERM while a document is in flight: it finishes, then exit 0.
        staged, contract_id = self.stage("contract.png", source="contract_scan.png")
        os.rename(staged, os.path.join(self.inbox, "contract.png"))
        self.wait_for("contract received",
                      lambda: any(a["action"] == "received" and a["document"] == contract_id
                                  for a in self.audit()), proc)
        summary = self.stop(proc)
        self.assertTrue(os.path.exists(self.record(contract_id)), "in-flight document abandoned")
        self.assertTrue(os.path.exists(self.done("contract.png")))
        self.assertIn("documents in", summary)
        log = self.log_of(proc)
        self.assertIn("progress: ", log)
        self.assertTrue(os.path.exists(dotfile), "dotfile taken")

        inbox = os.path.realpath(self.inbox)
        moved = {os.path.relpath(a["details"]["to"], inbox): a["document"]
                 for a in self.audit() if a["action"] == "moved"}
        self.assertEqual(moved, {
            ".saksi/done/present.png": present_id,
            ".saksi/done/passport.png": passport_id,
            ".saksi/done/case7/marker.png": marker_id,
            ".saksi/done/again.png": marker_id,
            ".saksi/done/copy.png": part_id,
            ".saksi/failed/empty.png": empty_id,
            ".saksi/done/contract.png": contract_id,
        })

        # Restart with a file processed but not moved (a kill between its
        # record and its move): skipped, and moved without overwriting.
        shutil.copy(self.done("passport.png"), os.path.join(self.inbox, "passport.png"))
        proc = self.start("second")
        self.wait_for("recorded passport moved again",
                      lambda: os.path.exists(self.done("passport-1.png")), proc)
        self.stop(proc)
        self.assertFalse(os.path.exists(os.path.join(self.inbox, "passport.png")))
        with open(self.done("passport.png"), "rb") as a, open(self.done("passport-1.png"),
                                                              "rb") as b:
            self.assertEqual(a.read(), b.read())
        actions = [a["action"] for a in self.audit() if a["document"] == passport_id]
        self.assertEqual(actions[-2:], ["skipped", "moved"], actions)

        # The custody chain, with every original found where it was moved.
        verify = saksi_testing.run([ARGS.saksi, "verify", self.out])
        self.assertEqual(verify.returncode, 0, saksi_testing.describe(verify))
        self.assertNotIn("not reachable", verify.stdout, saksi_testing.describe(verify))
        # A moved original is still watched over: one byte more is a break.
        with open(self.done("copy.png"), "ab") as f:
            f.write(b"x")
        verify = saksi_testing.run([ARGS.saksi, "verify", self.out])
        self.assertEqual(verify.returncode, 3, saksi_testing.describe(verify))
        self.assertIn(".saksi/done/copy.png: original changed", verify.stdout,
                      saksi_testing.describe(verify))

    def test_archive(self):
        """A zip is expanded; it leaves the inbox once every member has its outcome."""
        proc = self.start("archive")
        members = {}
        for name, seed in (("a.png", 21), ("sub/b.png", 22)):
            path, members[name] = self.stage(name.replace("/", "-"), png_seed=seed)
        good = os.path.join(self.staging, "good.zip")
        with zipfile.ZipFile(good, "w") as z:
            z.write(os.path.join(self.staging, "a.png"), "a.png")
            z.write(os.path.join(self.staging, "sub-b.png"), "sub/b.png")
        bad = os.path.join(self.staging, "bad.zip")
        with zipfile.ZipFile(bad, "w") as z:
            z.write(os.path.join(self.staging, "a.png"), "copy-of-a.png")
            z.writestr("../evil.png", b"not extracted")
        os.rename(good, os.path.join(self.inbox, "good.zip"))
        self.wait_for("good.zip moved to done",
                      lambda: os.path.exists(self.done("good.zip")), proc)
        for name, doc_id in members.items():
            with open(self.record(doc_id)) as f:
                record = json.load(f)
            self.assertEqual(record["source"]["container"][0]["member"], name, record["source"])
        os.rename(bad, os.path.join(self.inbox, "bad.zip"))
        self.wait_for("bad.zip moved to failed",
                      lambda: os.path.exists(self.failed("bad.zip")), proc)
        with open(self.failed("bad.zip.failure.json")) as f:
            failure = json.load(f)
        self.assertEqual([e["code"] for e in failure["errors"]], ["archive.unsafe_path"])
        self.stop(proc)
        self.assertEqual(os.listdir(self.inbox), [".saksi"])
        self.assertFalse(os.path.exists(os.path.join(self.out, ".work")), "members left behind")
        inbox = os.path.realpath(self.inbox)
        moved = sorted(os.path.relpath(a["details"]["to"], inbox)
                       for a in self.audit() if a["action"] == "moved")
        self.assertEqual(moved, [".saksi/done/good.zip", ".saksi/failed/bad.zip"])
        verify = saksi_testing.run([ARGS.saksi, "verify", self.out])
        self.assertEqual(verify.returncode, 0, saksi_testing.describe(verify))


if __name__ == "__main__":
    saksi_testing.main(__doc__)
