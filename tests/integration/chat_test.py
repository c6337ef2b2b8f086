#!/usr/bin/env python3
"""parse.chat end to end: the sample WhatsApp screenshot (light theme) and the
test-only dark WhatsApp and Telegram screenshots
(tests/unit/plugins/data/parse_chat/, made by make_chats.py) through the
default pipeline; chat.app, chat.title and every message's sender side, time
and text must equal what their generators drew.

usage: chat_test.py --saksi BIN --repo DIR [unittest args]

Set SAKSI_KEEP_TEST_OUTPUT=1 to keep the output folder for a look.
"""
import json
import os
import re
import sys
import tempfile
import unittest
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from saksi_testing import describe, remove_unless_kept, run, sha256_file  # noqa: E402
import saksi_testing  # noqa: E402

ARGS = None  # filled in by main()
PROCESS_TIMEOUT = 900  # seconds


def words(text):
    """Text compared as its words, so that spacing differences do not count."""
    return re.sub(r"\s+", " ", text).strip()


class ChatTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        data = os.path.join(ARGS.repo, "tests", "unit", "plugins", "data", "parse_chat")
        with open(os.path.join(ARGS.repo, "samples", ".generator", "manifest.json"),
                  encoding="utf-8") as f:
            manifest = {d["file"]: d for d in json.load(f)["documents"]}
        with open(os.path.join(data, "expected.json"), encoding="utf-8") as f:
            extra = json.load(f)
        cls.expected = {os.path.join(ARGS.repo, "samples", "chat_whatsapp.png"):
                        manifest["chat_whatsapp.png"]["chat"]}
        for name, chat in extra.items():
            cls.expected[os.path.join(data, name)] = chat
        cls.tmp = tempfile.mkdtemp(prefix="saksi-chat-")
        out = os.path.join(cls.tmp, "out")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        proc = run([ARGS.saksi, "process", *cls.expected, "--out", out],
                   timeout=PROCESS_TIMEOUT, env=env)
        if proc.returncode != 0:
            raise RuntimeError("saksi process failed" + describe(proc))
        cls.records = {}
        for path in cls.expected:
            with open(os.path.join(out, "records", sha256_file(path) + ".json"),
                      encoding="utf-8") as f:
                cls.records[path] = json.load(f)

    @classmethod
    def tearDownClass(cls):
        remove_unless_kept(cls.tmp)

    def test_every_message(self):
        for path, expected in self.expected.items():
            name = os.path.basename(path)
            record = self.records[path]
            with self.subTest(file=name):
                self.assertEqual(record["document"]["kind"], "chat")
                chat = record.get("chat")
                self.assertIsNotNone(chat, f"{name}: no chat object")
                self.assertEqual(chat["app"], expected["app"])
                self.assertEqual(chat["title"], expected["title"])
                got = chat["messages"]
                self.assertEqual(len(got), len(expected["messages"]),
                                 f"{name}: {json.dumps(got, ensure_ascii=False, indent=1)}")
                for i, (m, e) in enumerate(zip(got, expected["messages"])):
                    with self.subTest(file=name, message=i + 1):
                        side = "self" if m["sender"] == "self" else "contact"
                        self.assertEqual(side, e["sender"])
                        if side == "contact":
                            self.assertEqual(m["sender"], expected["title"])
                        self.assertEqual(m["time"], e["time"])
                        self.assertEqual(words(m["text"]), words(e["text"]))
                        x0, y0, x1, y1 = m["bbox"]
                        page = record["pages"][0]
                        self.assertTrue(0 <= x0 < x1 <= page["width"], m["bbox"])
                        self.assertTrue(0 <= y0 < y1 <= page["height"], m["bbox"])

    def test_languages_detected(self):
        # Every screenshot is an Indonesian conversation: classify.language
        # says so for the page and the document, not the OCR configuration.
        for path, record in self.records.items():
            with self.subTest(file=os.path.basename(path)):
                self.assertEqual(record["document"]["languages"], ["ind"])
                self.assertEqual(record["pages"][0]["languages"], ["ind"])


if __name__ == "__main__":
    saksi_testing.main(__doc__)
