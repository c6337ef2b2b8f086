#!/usr/bin/python3
"""Writes eval_chats.json: the messages (sender, time, text) that
tests/eval/generate.py drew on each chat screenshot of tests/eval/docs, so
bench/chat_eval can score parse.chat message by message there. The eval
labels list only entities.

    /usr/bin/python3 tests/unit/plugins/data/parse_chat/derive_eval_chats.py

Runs the eval generator whole, into a temporary folder (tests/eval is left
as it is), and records what its chat_script() returned for each chat it
saved. Rerun after tests/eval/generate.py changes."""
import importlib.util
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
GENERATOR = os.path.join(ROOT, "tests", "eval", "generate.py")


def main():
    spec = importlib.util.spec_from_file_location("eval_generate", GENERATOR)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)

    chats, last = {}, {}
    script, save = gen.chat_script, gen.save_chat

    def recording_script(c, telegram, variant):
        msgs, contact = script(c, telegram, variant)
        last.update(msgs=msgs, telegram=telegram)
        return msgs, contact

    def recording_save(img, name):
        messages = [{"sender": "self" if m[0] == "out" else "contact", "time": m[1],
                     "text": m[2].replace(gen.G.NBSP, " ")}
                    for m in last["msgs"] if m[0] != "date"]
        chats[name] = {"app": "telegram" if last["telegram"] else "whatsapp", "messages": messages}
        save(img, name)

    gen.chat_script, gen.save_chat = recording_script, recording_save
    with tempfile.TemporaryDirectory() as tmp:
        gen.DOCS, gen.HERE = os.path.join(tmp, "docs"), tmp
        gen.main()
    with open(os.path.join(HERE, "eval_chats.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/eval/generate.py", "chats": chats}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(chats)} chats, {sum(len(c['messages']) for c in chats.values())} messages", file=sys.stderr)


if __name__ == "__main__":
    main()
