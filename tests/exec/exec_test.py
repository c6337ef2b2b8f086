#!/usr/bin/env python3
"""Exec plugins: discovery, the example Telegram plugin end to end, and
programs that time out, print garbage, exit, or stay alive across documents.

usage: exec_test.py --saksi BIN --repo SOURCE_DIR [unittest args, e.g. a class name]

The example lives in samples/.plugins/telegram_handles; the misbehaving
programs are tests/exec/misbehave.py behind tests/exec/plugins/*.exec.toml.
"""
import json
import os
import sys
import tempfile
import time
import unittest
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from saksi_testing import describe, remove_unless_kept, run, sha256_file, write_png  # noqa: E402
import saksi_testing  # noqa: E402

ARGS = None  # filled in by main()
HERE = os.path.dirname(os.path.abspath(__file__))








def write_text_png(path, lines):
    """A white page with black text (PIL and DejaVu Sans, as the samples use)."""
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 44)
    image = Image.new("L", (1400, 120 + 90 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((80, 60 + 90 * i), line, font=font, fill=0)
    image.save(path, dpi=(300, 300))
    return sha256_file(path)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_calls(path):
    """[(pid, call number, request type)] from misbehave.py's call log."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [(int(p), int(n), t) for p, n, t in (line.split() for line in f if line.strip())]


class Workspace(unittest.TestCase):
    """A temporary folder per test class, kept with SAKSI_KEEP_TEST_OUTPUT=1."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="saksi-exec-")
        cls.inputs = os.path.join(cls.tmp, "input")
        cls.out = os.path.join(cls.tmp, "out")
        cls.log = os.path.join(cls.tmp, "calls.log")
        os.makedirs(cls.inputs)

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)

    @classmethod
    def process(cls, pipeline, plugin_dir, jobs=1):
        env = dict(os.environ, SAKSI_EXEC_TEST_LOG=cls.log)
        start = time.monotonic()
        proc = run([ARGS.saksi, "process", cls.inputs, "--out", cls.out, "--jobs", str(jobs),
                    "--pipeline", os.path.join(HERE, pipeline), "--plugin-path", plugin_dir],
                   env=env)
        return proc, time.monotonic() - start

    def record(self, digest, folder="records"):
        path = os.path.join(self.out, folder, digest + ".json")
        if not os.path.isfile(path):
            self.fail(f"no record at {path}" + describe(self.proc))
        with open(path, encoding="utf-8") as f:
            return json.load(f)


class ListingTest(unittest.TestCase):
    """saksi plugins lists exec plugins by their manifest, and refuses bad ones."""

    def test_example_is_listed_with_its_manifest(self):
        folder = os.path.join(ARGS.repo, "samples", ".plugins", "telegram_handles")
        proc = run([ARGS.saksi, "plugins", "--plugin-path", folder])
        self.assertEqual(proc.returncode, 0, describe(proc))
        loaded = proc.stdout.split("refused:")[0]
        manifest = os.path.join(folder, "telegram_handles.exec.toml")
        self.assertRegex(loaded, r"telegram_handles 1\.0\.0\s+" + manifest.replace(".", r"\."),
                         describe(proc))
        self.assertRegex(loaded, r"extract\.telegram_handles\s+extract/page", describe(proc))

    def test_bad_manifests_are_refused_with_reason(self):
        folder = os.path.join(HERE, "bad")
        proc = run([ARGS.saksi, "plugins", "--plugin-path", folder])
        self.assertEqual(proc.returncode, 0, describe(proc))
        refused = proc.stdout.split("refused:")[-1]
        for manifest, reason in {"bad_kind.exec.toml": "extract",
                                 "no_program.exec.toml": "does_not_exist.py",
                                 "syntax.exec.toml": "line"}.items():
            with self.subTest(manifest=manifest):
                line = next((l for l in refused.splitlines()
                             if os.path.join(folder, manifest) + ":" in l), None)
                self.assertIsNotNone(line, f"{manifest} is not refused" + describe(proc))
                self.assertIn(reason, line)


class TelegramExampleTest(Workspace):
    """OCR, then the Python example: its entities land in the record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.digest = write_text_png(os.path.join(cls.inputs, "flyer.png"),
                                    ["Lowongan kerja di luar negeri", "Hubungi @rina_loker",
                                     "atau t.me/rina_loker"])
        cls.proc, cls.seconds = cls.process(
            "telegram.toml", os.path.join(ARGS.repo, "samples", ".plugins", "telegram_handles"))

    def test_exit_code_is_zero(self):
        self.assertEqual(self.proc.returncode, 0, describe(self.proc))

    def test_entities(self):
        record = self.record(self.digest)
        page = record["pages"][0]
        ours = [e for e in record["entities"]
                if e["detector"] == "extract.telegram_handles@1.0.0"]
        texts = sorted(e["text"] for e in ours)
        self.assertEqual(texts, ["@rina_loker", "t.me/rina_loker"],
                         f"page text: {page['text']!r}; entities: {json.dumps(ours, indent=1)}")
        text = page["text"].encode("utf-8")
        for e in ours:
            with self.subTest(entity=e["text"]):
                self.assertEqual(e["type"], "url")
                self.assertEqual(e["normalized"], "https://t.me/rina_loker")
                self.assertEqual(e["page"], 1)
                self.assertTrue(e["sensitive"])
                b, end = e["span"]
                self.assertEqual(text[b:end].decode("utf-8"), e["text"])
                x0, y0, x1, y1 = e["bbox"]
                self.assertTrue(0 <= x0 < x1 <= page["width"] and 0 <= y0 < y1 <= page["height"],
                                f"bbox {e['bbox']} from the words")

    def test_record_matches_schema(self):
        record = self.record(self.digest)
        sys.path.insert(0, os.path.join(HERE, "..", "integration"))
        import record_schema  # noqa: E402  (tests/integration/record_schema.py)
        validator = record_schema.load_validator(
            os.path.join(ARGS.repo, "config", "record.schema.json"))
        errors = record_schema.describe_errors(validator, record)
        self.assertEqual(errors, [], "\n".join(errors))


class TimeoutTest(Workspace):
    """A program that never answers: exec.timeout, killed, the run goes on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.digest = write_png(os.path.join(cls.inputs, "a.png"), 1)
        cls.proc, cls.seconds = cls.process("sleepy.toml", os.path.join(HERE, "plugins"))

    def test_exit_code_is_3(self):
        self.assertEqual(self.proc.returncode, 3, describe(self.proc))

    def test_time_is_bounded(self):
        self.assertLess(self.seconds, 20, "timeout_ms is 1500; the program sleeps 60 s")

    def test_partial_with_timeout_error(self):
        record = self.record(self.digest)
        self.assertEqual(record["status"], "partial")
        codes = [(e["stage"], e["code"]) for e in record["errors"]]
        self.assertEqual(codes, [("extract.test_sleepy", "exec.timeout")], record["errors"])

    def test_program_was_killed(self):
        calls = read_calls(self.log)
        self.assertEqual(len(calls), 1, calls)
        self.assertFalse(pid_alive(calls[0][0]), "the timed-out program still runs")


class GarbageTest(Workspace):
    """A program that answers with a line that is not JSON: exec.invalid_output,
    and a fresh program for the next document (the old one is out of step)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.digests = [write_png(os.path.join(cls.inputs, f"{i}.png"), 2 + i) for i in range(2)]
        cls.proc, cls.seconds = cls.process("garbage.toml", os.path.join(HERE, "plugins"))

    def test_exit_code_is_3(self):
        self.assertEqual(self.proc.returncode, 3, describe(self.proc))

    def test_invalid_output_quoted(self):
        for digest in self.digests:
            with self.subTest(digest=digest):
                record = self.record(digest)
                self.assertEqual(record["status"], "partial")
                errors = [e for e in record["errors"] if e["code"] == "exec.invalid_output"]
                self.assertEqual(len(errors), 1, record["errors"])
                self.assertIn("this is not JSON {", errors[0]["message"])

    def test_program_restarted(self):
        calls = read_calls(self.log)
        self.assertEqual(len(calls), 2, calls)
        self.assertNotEqual(calls[0][0], calls[1][0], calls)
        self.assertFalse(any(pid_alive(pid) for pid, _, _ in calls))


class RestartTest(Workspace):
    """A program that exits after its first answer: the next document gets a new one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.digests = [write_png(os.path.join(cls.inputs, f"{i}.png"), 10 + i) for i in range(2)]
        cls.proc, cls.seconds = cls.process("once.toml", os.path.join(HERE, "plugins"))

    def test_exit_code_is_zero(self):
        self.assertEqual(self.proc.returncode, 0, describe(self.proc))

    def test_both_documents_ok(self):
        for digest in self.digests:
            with self.subTest(digest=digest):
                record = self.record(digest)
                self.assertEqual(record["status"], "ok", record["errors"])

    def test_two_processes_served_them(self):
        calls = read_calls(self.log)
        self.assertEqual(len(calls), 2, calls)
        self.assertNotEqual(calls[0][0], calls[1][0], calls)


class AliveTest(Workspace):
    """One program serves every document of a worker, and is gone after the run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.digests = [write_png(os.path.join(cls.inputs, f"{i}.png"), 20 + i) for i in range(3)]
        cls.proc, cls.seconds = cls.process("counter.toml", os.path.join(HERE, "plugins"))

    def test_exit_code_is_zero(self):
        self.assertEqual(self.proc.returncode, 0, describe(self.proc))

    def test_one_process_many_calls(self):
        calls = read_calls(self.log)
        self.assertEqual([(n, t) for _, n, t in calls], [(1, "page"), (2, "page"), (3, "page")])
        self.assertEqual(len({pid for pid, _, _ in calls}), 1, calls)

    def test_process_is_gone(self):
        for pid, _, _ in read_calls(self.log):
            self.assertFalse(pid_alive(pid), f"program {pid} outlived saksi")

    def test_stderr_goes_to_the_log(self):
        self.assertIn("misbehave counter: call 3", self.proc.stderr)


if __name__ == "__main__":
    saksi_testing.main(__doc__)
