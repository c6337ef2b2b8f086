#!/usr/bin/env python3
"""Test-only exec plugin programs that misbehave on purpose.

usage: misbehave.py MODE, MODE one of
  counter  answer every request (no entities)
  sleepy   answer the config line, then sleep past any timeout on a request
  garbage  answer requests with a line that is not JSON
  once     answer the first request, then exit

Every mode appends "<pid> <call number> <type>" to the file named by the
environment variable SAKSI_EXEC_TEST_LOG (when set) for each request, so a
test can see which process served which call without touching the record.
"""
import json
import os
import sys
import time


def log_call(calls, kind):
    path = os.environ.get("SAKSI_EXEC_TEST_LOG")
    if path:
        with open(path, "a") as f:
            f.write("%d %d %s\n" % (os.getpid(), calls, kind))


def answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    mode = sys.argv[1]
    calls = 0
    for line in sys.stdin:
        request = json.loads(line)
        if request["type"] == "config":
            answer({"type": "ready"})
            continue
        calls += 1
        log_call(calls, request["type"])
        print("misbehave %s: call %d" % (mode, calls), file=sys.stderr, flush=True)
        if mode == "sleepy":
            time.sleep(60)
        elif mode == "garbage":
            sys.stdout.write("this is not JSON {\n")
            sys.stdout.flush()
            continue
        answer({"entities": []})
        if mode == "once":
            return


if __name__ == "__main__":
    main()
