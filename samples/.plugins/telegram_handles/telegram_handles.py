#!/usr/bin/env python3
"""Saksi exec plugin: Telegram handles (@name) and t.me/<name> links.

Protocol (docs/exec-plugins.md): one JSON object per line on stdin, one JSON
object per line answered on stdout, in order. The first line is
{"type": "config", ...}, answered with {"type": "ready"}; then one
{"type": "page", ...} request per page, answered with {"entities": [...],
"errors": [...]}. End of stdin means exit. Logs go to stderr (the host's
log); stdout carries answers only.

Spans are UTF-8 *byte* offsets into the page text, so the text is matched as
bytes. The host adds each entity's bbox (from the page's words) and detector.
"""
import json
import re
import sys

# Telegram usernames: a letter, then letters, digits or underscores, 5 to 32 in all.
NAME = rb"([A-Za-z][A-Za-z0-9_]{%d,31})(?![A-Za-z0-9_])"
LINK = rb"(?<![A-Za-z0-9_./])(?:https?://)?(?:www\.)?(?:t|telegram)\.me/"
HANDLE = rb"(?<![A-Za-z0-9_@./])@"


def compile_patterns(min_length):
    name = NAME % (max(1, min_length) - 1)
    return [(re.compile(LINK + name), 0.95), (re.compile(HANDLE + name), 0.9)]


def find(text, patterns):
    data = text.encode("utf-8")
    taken = []  # spans already claimed (a link's name is not a second handle)
    entities = []
    for pattern, confidence in patterns:
        for m in pattern.finditer(data):
            begin, end = m.span()
            if any(b < end and begin < e for b, e in taken):
                continue
            taken.append((begin, end))
            name = m.group(1).decode("ascii")
            entities.append({
                "type": "url",
                "text": data[begin:end].decode("utf-8"),
                "normalized": "https://t.me/" + name.lower(),
                "span": [begin, end],
                "confidence": confidence,
                # A handle points at a person: let redaction policies act on it.
                "sensitive": True,
            })
    return sorted(entities, key=lambda e: e["span"])


def main():
    patterns = compile_patterns(5)
    for line in sys.stdin:
        request = json.loads(line)
        kind = request.get("type")
        if kind == "config":
            patterns = compile_patterns(request["config"].get("min_length", 5))
            answer = {"type": "ready"}
        elif kind == "page":
            answer = {"entities": find(request["text"], patterns)}
        elif kind == "document":
            answer = {"entities": []}
            for page in request["pages"]:
                for entity in find(page["text"], patterns):
                    entity["page"] = page["number"]
                    answer["entities"].append(entity)
        else:
            answer = {"errors": [{"code": "telegram.unknown_request",
                                  "message": "unknown request type %r" % kind}]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
