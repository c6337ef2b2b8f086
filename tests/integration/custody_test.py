#!/usr/bin/env python3
"""Custody under races, odd inputs and tampering (issue 17), on small PNGs
through decode.image, redact.policy and sink.json (no OCR):
- one writer per output folder: a second `saksi process` into a folder in
  use exits 2 at once naming the first one's pid, the first finishes, and
  verify finds nothing broken;
- a document whose record cannot be written is failed in the summary, the
  ledger and the audit log, keeps no redacted copy, and the run exits 3;
- every path met in the inputs gets an outcome (symlink loops, links, FIFOs,
  non-UTF-8 names), and --out inside an input is refused;
- verify reports a deleted redacted copy, an empty or 0-byte ledger, a
  ledger that disagrees with the audit log, and links in place of OUT's
  records/ or audit.jsonl (refused, not followed)."""
import fcntl
import glob
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402

ARGS = None

PIPELINE = """name = "custody-test"
[[stage]]
id = "decode.image"
[[stage]]
id = "redact.policy"
policy = "evidence"
[[stage]]
id = "sink.json"
"""


def gif(path, frames, width=8, height=8):
    """A GIF89a with one 8x8 image per entry of `frames` (each a palette index
    per pixel, row by row), LZW-coded as literals with a clear code first."""
    def lzw(pixels):
        codes, bits, nbits = [256], 0, 0
        for i, p in enumerate(pixels):
            if i and i % 200 == 0:
                codes.append(256)  # clear before the 9-bit code table fills
            codes.append(p)
        codes.append(257)
        out = bytearray()
        for code in codes:
            bits |= code << nbits
            nbits += 9
            while nbits >= 8:
                out.append(bits & 0xFF)
                bits >>= 8
                nbits -= 8
        if nbits:
            out.append(bits & 0xFF)
        blocks = b"".join(bytes([len(out[i:i + 255])]) + out[i:i + 255]
                          for i in range(0, len(out), 255))
        return b"\x08" + blocks + b"\x00"
    data = bytearray(b"GIF89a" + width.to_bytes(2, "little") + height.to_bytes(2, "little")
                     + b"\xf7\x00\x00")
    data += b"".join(bytes([v, v, v]) for v in range(256))
    for pixels in frames:
        data += b"\x21\xf9\x04\x00\x0a\x00\x00\x00"  # graphic control: 0.1 s delay
        data += (b"\x2c\x00\x00\x00\x00" + width.to_bytes(2, "little")
                 + height.to_bytes(2, "little") + b"\x00")
        data += lzw(pixels)
    data += b"\x3b"
    with open(path, "wb") as f:
        f.write(bytes(data))


def describe(proc):
    return saksi_testing.describe(proc)


class Custody(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="saksi-custody-")
        cls.pipeline = os.path.join(cls.tmp, "custody-test.toml")
        with open(cls.pipeline, "w") as f:
            f.write(PIPELINE)

    @classmethod
    def tearDownClass(cls):
        saksi_testing.remove_unless_kept(cls.tmp)

    def folder(self, name, pngs=0, seed=0):
        path = os.path.join(self.tmp, name)
        os.makedirs(path)
        for i in range(pngs):
            saksi_testing.write_png(os.path.join(path, f"page{i:02d}.png"), seed=seed + i)
        return path

    def process(self, inputs, out, extra=()):
        return saksi_testing.run([ARGS.saksi, "process", *inputs, "--out", out,
                                  "--pipeline", self.pipeline, "--jobs", "1", *extra])

    def verify(self, out):
        return saksi_testing.run([ARGS.saksi, "verify", out])

    def ledger(self, out):
        """id -> (status, error codes, pages, source path as bytes)."""
        db = sqlite3.connect(os.path.join(out, "ledger.sqlite"))
        db.text_factory = bytes  # source paths are bytes, not always UTF-8
        try:
            return {i.decode(): (status.decode(), json.loads(codes), pages, source)
                    for i, status, codes, pages, source in db.execute(
                        "SELECT id, status, error_codes, pages, source_path FROM documents")}
        finally:
            db.close()

    def audit(self, out):
        with open(os.path.join(out, "audit.jsonl")) as f:
            return [json.loads(line) for line in f]

    # 1. One writer per output folder ------------------------------------
    def test_second_writer_exits_2_naming_the_first(self):
        inbox = self.folder("race-in", pngs=6, seed=10)
        out = os.path.join(self.tmp, "race-out")
        first = subprocess.Popen([ARGS.saksi, "process", inbox, "--out", out, "--pipeline",
                                  self.pipeline, "--jobs", "1"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lock = os.path.join(out, ".saksi.lock")
        stopped = False
        try:
            # Wait until the first run holds the folder, then freeze it there
            # so the second certainly starts while it is in use.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and first.poll() is None:
                if os.path.exists(lock):
                    with open(lock, "a") as f:
                        try:
                            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                            fcntl.flock(f, fcntl.LOCK_UN)
                        except BlockingIOError:
                            os.kill(first.pid, signal.SIGSTOP)
                            stopped = True
                            break
                time.sleep(0.005)
            self.assertTrue(stopped, "the first run never held " + lock)
            second = self.process([inbox], out)
            self.assertEqual(second.returncode, 2, describe(second))
            self.assertIn(f"pid {first.pid}", second.stderr, describe(second))
            self.assertIn("saksi process", second.stderr, describe(second))
        finally:
            if stopped:
                os.kill(first.pid, signal.SIGCONT)
            stdout, stderr = first.communicate(timeout=120)
        self.assertEqual(first.returncode, 0, stdout + stderr)
        self.assertIn("6 ok", stdout + stderr)
        self.assertEqual(len(glob.glob(os.path.join(out, "records", "*.json"))), 6)
        proc = self.verify(out)
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn("; 0 broken", proc.stdout)
        # The ledger's pages column is filled.
        self.assertEqual(sorted(row[2] for row in self.ledger(out).values()), [1] * 6)

    # 2. Exit code, summary, ledger and audit agree ------------------------
    def test_record_not_written_is_failed_everywhere(self):
        inbox = self.folder("norecord-in", pngs=1, seed=30)
        out = os.path.join(self.tmp, "norecord-out")
        os.makedirs(out)
        # A file where the records folder should be: no record can be
        # written there (even by root, unlike a read-only folder).
        with open(os.path.join(out, "records"), "w") as f:
            f.write("not a folder\n")
        proc = self.process([inbox], out)
        self.assertEqual(proc.returncode, 3, describe(proc))
        self.assertIn("0 ok", proc.stdout, describe(proc))
        self.assertIn("1 failed", proc.stdout, describe(proc))
        doc = saksi_testing.sha256_file(os.path.join(inbox, "page00.png"))
        status, codes, _, _ = self.ledger(out)[doc]
        self.assertEqual(status, "failed")
        self.assertIn("output.write_failed", codes)
        processed = [e for e in self.audit(out) if e["action"] == "processed"]
        self.assertEqual([e["details"]["status"] for e in processed], ["failed"])
        self.assertFalse(any(e["action"] == "written" for e in self.audit(out)))
        self.assertEqual(glob.glob(os.path.join(out, "redacted", "*")), [])
        failure = os.path.join(out, "failed", doc + ".json")
        with open(failure) as f:
            record = json.load(f)
        self.assertEqual(record["status"], "failed")
        self.assertIn("output.write_failed", [e["code"] for e in record["errors"]])
        proc = self.verify(out)
        self.assertEqual(proc.returncode, 0, describe(proc))

    # 3. Every input accounted for -----------------------------------------
    def test_every_path_gets_an_outcome(self):
        inbox = self.folder("odd-in", pngs=1, seed=40)
        os.symlink("loop", os.path.join(inbox, "loop"))
        os.symlink("page00.png", os.path.join(inbox, "link.png"))
        os.symlink("..", os.path.join(inbox, "up"))
        os.mkfifo(os.path.join(inbox, "pipe"))
        latin1 = os.path.join(os.fsencode(inbox), b"caf\xe9.png")
        saksi_testing.write_png(latin1, seed=41)
        sub = os.path.join(inbox, "sub")
        os.makedirs(sub)
        saksi_testing.write_png(os.path.join(sub, "deep.png"), seed=42)
        os.symlink("deep.png", os.path.join(sub, "b"))
        os.symlink("a", os.path.join(sub, "a2"))
        os.symlink("a2", os.path.join(sub, "a"))  # a -> a2 -> a
        out = os.path.join(self.tmp, "odd-out")
        proc = self.process([inbox], out)
        self.assertEqual(proc.returncode, 3, describe(proc))
        self.assertIn("3 ok", proc.stdout, describe(proc))
        self.assertIn("7 failed", proc.stdout, describe(proc))
        self.assertNotIn("changed while", proc.stderr, describe(proc))
        codes = {}
        for path in glob.glob(os.path.join(out, "failed", "*.json")):
            with open(path) as f:
                record = json.load(f)
            codes[record["source"]["name"]] = [e["code"] for e in record["errors"]]
        self.assertEqual(codes, {
            "loop": ["input.symlink_loop"], "a": ["input.symlink_loop"],
            "a2": ["input.symlink_loop"], "up": ["input.symlink_loop"],
            "link.png": ["input.symlink"], "b": ["input.symlink"],
            "pipe": ["input.not_regular"]})
        ledger = self.ledger(out)
        self.assertEqual(len(ledger), 10)
        self.assertEqual(sorted(row[0] for row in ledger.values()), ["failed"] * 7 + ["ok"] * 3)
        # The non-UTF-8 name: its own id, the name escaped in the record, the
        # bytes in the ledger (so verify re-hashes the original).
        doc = saksi_testing.sha256_file(latin1)
        with open(os.path.join(out, "records", doc + ".json")) as f:
            record = json.load(f)
        self.assertEqual(record["source"]["name"], "caf\\xe9.png")
        self.assertEqual(ledger[doc][3], os.path.abspath(latin1))
        received = [e for e in self.audit(out) if e["action"] == "received"]
        self.assertEqual(len(received), 10)
        proc = self.verify(out)
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn("3 originals checked", proc.stdout, describe(proc))

    def test_out_inside_an_input_is_refused(self):
        inbox = self.folder("self-in", pngs=1, seed=50)
        for out in (inbox, os.path.join(inbox, "out")):
            proc = self.process([inbox], out)
            self.assertEqual(proc.returncode, 2, describe(proc))
            self.assertIn("inside the input", proc.stderr, describe(proc))
        self.assertEqual(sorted(os.listdir(inbox)), ["page00.png"])

    # 4. verify checks everything the run promised --------------------------
    def processed_copy(self, name):
        """A processed folder (two PNGs, redacted copies), copied to `name`."""
        if not hasattr(type(self), "pristine"):
            inbox = self.folder("verify-in", pngs=2, seed=60)
            out = os.path.join(self.tmp, "verify-pristine")
            proc = self.process([inbox], out)
            self.assertEqual(proc.returncode, 0, describe(proc))
            self.assertEqual(len(glob.glob(os.path.join(out, "redacted", "*.pdf"))), 2)
            type(self).pristine = out
        dest = os.path.join(self.tmp, name)
        shutil.copytree(self.pristine, dest, symlinks=True)
        return dest

    def assertBroken(self, out, *expected):
        proc = self.verify(out)
        self.assertEqual(proc.returncode, 3, describe(proc))
        for text in expected:
            self.assertIn(text, proc.stdout, describe(proc))
        return proc

    def test_pristine_copy_verifies(self):
        proc = self.verify(self.processed_copy("verify-untouched"))
        self.assertEqual(proc.returncode, 0, describe(proc))

    def test_deleted_redacted_copies_are_broken(self):
        out = self.processed_copy("verify-noredacted")
        pdf = sorted(glob.glob(os.path.join(out, "redacted", "*.pdf")))[0]
        js = sorted(glob.glob(os.path.join(out, "redacted", "*.json")))[1]
        os.remove(pdf)
        os.remove(js)
        self.assertBroken(out, "BROKEN redacted/" + os.path.basename(pdf) + ": missing",
                          "BROKEN redacted/" + os.path.basename(js) + ": missing")

    def test_empty_or_zero_byte_ledger_is_broken(self):
        out = self.processed_copy("verify-zero-ledger")
        ledger = os.path.join(out, "ledger.sqlite")
        for name in ("ledger.sqlite-wal", "ledger.sqlite-shm"):
            if os.path.exists(os.path.join(out, name)):
                os.remove(os.path.join(out, name))
        open(ledger, "w").close()
        self.assertBroken(out, "BROKEN ledger.sqlite: ")
        self.assertEqual(os.path.getsize(ledger), 0, "verify wrote the ledger")
        os.remove(ledger)
        sqlite3.connect(ledger).close()  # an empty database
        self.assertBroken(out, "BROKEN ledger.sqlite: ")
        os.remove(ledger)
        shutil.copy(os.path.join(self.pristine, "ledger.sqlite"), ledger)
        with sqlite3.connect(ledger) as db:
            db.execute("DELETE FROM documents")
        self.assertBroken(out, "BROKEN ledger.sqlite: empty")

    def test_retry_failed_remakes_a_lost_redacted_copy(self):
        out = self.processed_copy("retry-redacted")
        pdf = sorted(glob.glob(os.path.join(out, "redacted", "*.pdf")))[0]
        os.remove(pdf)
        inbox = os.path.join(self.tmp, "verify-in")
        proc = self.process([inbox], out)
        self.assertFalse(os.path.exists(pdf), "a plain re-run skips the document")
        proc = self.process([inbox], out, ["--retry-failed"])
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertTrue(os.path.exists(pdf), describe(proc))
        self.assertIn("1 ok", proc.stdout, describe(proc))
        proc = self.verify(out)
        self.assertEqual(proc.returncode, 0, describe(proc))

    def test_ledger_disagreeing_with_the_audit_is_broken(self):
        out = self.processed_copy("verify-ledger-edit")
        with sqlite3.connect(os.path.join(out, "ledger.sqlite")) as db:
            doc = db.execute("SELECT id FROM documents ORDER BY id").fetchone()[0]
            db.execute("UPDATE documents SET status = 'partial' WHERE id = ?", (doc,))
        self.assertBroken(out, f"document {doc} is partial here but ok in audit.jsonl")

    def test_links_in_the_output_folder_are_refused(self):
        out = self.processed_copy("verify-links")
        elsewhere = os.path.join(self.tmp, "elsewhere-records")
        shutil.move(os.path.join(out, "records"), elsewhere)
        os.symlink(elsewhere, os.path.join(out, "records"))
        self.assertBroken(out, "BROKEN records: a symbolic link")
        out = self.processed_copy("verify-audit-link")
        elsewhere = os.path.join(self.tmp, "elsewhere-audit.jsonl")
        shutil.move(os.path.join(out, "audit.jsonl"), elsewhere)
        os.symlink(elsewhere, os.path.join(out, "audit.jsonl"))
        self.assertBroken(out, "BROKEN audit.jsonl: a symbolic link")
        # A run refuses to write through it as well.
        inbox = self.folder("links-in", pngs=1, seed=70)
        proc = self.process([inbox], out)
        self.assertEqual(proc.returncode, 2, describe(proc))
        self.assertIn("symbolic link", proc.stderr, describe(proc))

    # 6. Links and phone fragments ------------------------------------------
    def test_phones_in_links_are_redacted_and_fragments_get_no_country(self):
        docs = self.folder("links-docs")
        saksi_testing.text_pdf(os.path.join(docs, "chat.pdf"), [
            "Agen: chat saya di wa.me/6281234567817 ya",
            "Atau https://wa.me/+6285712345678?text=halo",
            "Telegram t.me/+6289612345678 juga bisa",
            "Nomor lama 0812 3456 sudah mati",
        ])
        for policy in ("evidence", "share"):
            pipeline = os.path.join(self.tmp, f"links-{policy}.toml")
            with open(pipeline, "w") as f:
                f.write(f'name = "links-{policy}"\n[[stage]]\nid = "decode.pdf"\n'
                        '[[stage]]\nid = "extract.identifiers"\n'
                        f'[[stage]]\nid = "redact.policy"\npolicy = "{policy}"\n'
                        '[[stage]]\nid = "sink.json"\n')
            out = os.path.join(self.tmp, f"links-out-{policy}")
            proc = saksi_testing.run([ARGS.saksi, "process", docs, "--out", out, "--pipeline",
                                      pipeline, "--jobs", "1"])
            self.assertEqual(proc.returncode, 0, describe(proc))
            [path] = glob.glob(os.path.join(out, "records", "*.json"))
            with open(path) as f:
                record = json.load(f)
            phones = sorted(e["normalized"] for e in record["entities"] if e["type"] == "phone")
            self.assertEqual(phones, ["+6281234567817", "+6285712345678", "+6289612345678"],
                             [(e["type"], e["text"], e.get("normalized"))
                              for e in record["entities"]])
            with open(os.path.join(out, "redacted", os.path.basename(path))) as f:
                redacted = f.read()
            for digits in ("81234567817", "85712345678", "89612345678"):
                self.assertNotIn(digits, redacted, policy)
            burned = [r for r in json.loads(redacted)["redactions"] if r["type"] == "phone"]
            self.assertGreaterEqual(len(burned), 3, policy)

    def test_animated_gif_is_refused_not_cut_to_its_first_frame(self):
        docs = self.folder("gif-in")
        gif(os.path.join(docs, "still.gif"), [[(x * 37) % 256 for x in range(64)]])
        gif(os.path.join(docs, "animated.gif"),
            [[(x * 37 + f * 11) % 256 for x in range(64)] for f in range(3)])
        out = os.path.join(self.tmp, "gif-out")
        proc = self.process([docs], out)
        self.assertEqual(proc.returncode, 3, describe(proc))
        [failure] = glob.glob(os.path.join(out, "failed", "*.json"))
        with open(failure) as f:
            record = json.load(f)
        self.assertEqual(record["source"]["name"], "animated.gif")
        self.assertEqual([e["code"] for e in record["errors"]], ["image.multi_frame"])
        [ok] = glob.glob(os.path.join(out, "records", "*.json"))
        with open(ok) as f:
            self.assertEqual(len(json.load(f)["pages"]), 1)

    # 5. Watch waits for a complete file ----------------------------------
    def test_watch_takes_only_complete_files(self):
        inbox = self.folder("watch-in")
        out = os.path.join(self.tmp, "watch-out")
        rounds = os.path.join(self.tmp, "rounds.png")
        held = os.path.join(self.tmp, "held.png")
        saksi_testing.write_png(rounds, seed=80, width=200, height=120)
        saksi_testing.write_png(held, seed=81, width=200, height=120)
        with open(rounds, "rb") as f:
            rounds_bytes = f.read()
        with open(held, "rb") as f:
            held_bytes = f.read()
        proc = subprocess.Popen([ARGS.saksi, "watch", inbox, "--out", out, "--pipeline",
                                 self.pipeline, "--jobs", "1", "--quiet", "0.5"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            while not os.path.exists(os.path.join(out, "audit.jsonl")):
                self.assertIsNone(proc.poll(), proc.stderr.read() if proc.poll() else "")
                time.sleep(0.05)
            # Written in three open/close rounds, a little apart: one document.
            target = os.path.join(inbox, "rounds.png")
            third = len(rounds_bytes) // 3
            for part in (rounds_bytes[:third], rounds_bytes[third:2 * third],
                         rounds_bytes[2 * third:]):
                with open(target, "ab") as f:
                    f.write(part)
                time.sleep(0.2)
            # Written whole but kept open for writing past the quiet time:
            # not taken (nor moved) until it is closed.
            writer = open(os.path.join(inbox, "held.png"), "wb")
            writer.write(held_bytes[:100])
            writer.flush()
            self.wait_for(lambda: self.done(inbox, "rounds.png"), proc)
            time.sleep(1.5)
            self.assertTrue(os.path.exists(os.path.join(inbox, "held.png")))
            self.assertFalse(os.path.exists(os.path.join(inbox, ".saksi", "failed")))
            writer.write(held_bytes[100:])
            writer.close()
            self.wait_for(lambda: self.done(inbox, "held.png"), proc)
        finally:
            proc.send_signal(signal.SIGTERM)
            stdout, stderr = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, stdout + stderr)
        records = sorted(os.path.basename(p)[:-5]
                         for p in glob.glob(os.path.join(out, "records", "*.json")))
        self.assertEqual(records, sorted([hashlib.sha256(rounds_bytes).hexdigest(),
                                          hashlib.sha256(held_bytes).hexdigest()]), stderr)
        self.assertEqual(glob.glob(os.path.join(out, "failed", "*")), [], stderr)
        received = [e for e in self.audit(out) if e["action"] == "received"]
        self.assertEqual(len(received), 2, stderr)
        verified = self.verify(out)
        self.assertEqual(verified.returncode, 0, describe(verified))

    @staticmethod
    def done(inbox, name):
        return os.path.exists(os.path.join(inbox, ".saksi", "done", name))

    def wait_for(self, condition, proc, seconds=60):
        deadline = time.monotonic() + seconds
        while not condition():
            self.assertIsNone(proc.poll(), "saksi watch exited")
            self.assertLess(time.monotonic(), deadline, "gave up waiting")
            time.sleep(0.05)


if __name__ == "__main__":
    saksi_testing.main(__doc__)
