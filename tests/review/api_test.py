#!/usr/bin/env python3
"""`saksi review`'s JSON API against the real server over a real output
folder: the token, each correction op, bad input refused with nothing
written, and corrections under custody (redacted copies made again, the
revisions chained and checked by `saksi verify`)."""
import glob
import hashlib
import json
import os
import shutil
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import review_fixture  # noqa: E402
import saksi_testing  # noqa: E402
from review_fixture import MISSED_NAME  # noqa: E402

ARGS = None


def folder_state(out):
    """Every file under out (but the review's staging folder) with its SHA-256."""
    state = {}
    for path in glob.glob(os.path.join(out, "**", "*"), recursive=True):
        if os.path.isfile(path) and "/.review/" not in path:
            with open(path, "rb") as f:
                state[os.path.relpath(path, out)] = hashlib.sha256(f.read()).hexdigest()
    return state


class ReviewApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = review_fixture.new_tmp("saksi-review-api-")
        cls.out, cls.id = review_fixture.make_output(ARGS.saksi, cls.tmp)
        cls.server = review_fixture.Server(ARGS.saksi, cls.out).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        saksi_testing.remove_unless_kept(cls.tmp)

    def redacted_json_text(self):
        with open(os.path.join(self.out, "redacted", self.id + ".json")) as f:
            return f.read()

    # --- access ---------------------------------------------------------------

    def test_1_every_request_needs_the_token(self):
        s = self.server
        for path in ["/", "/review.js", "/api/documents", f"/api/documents/{self.id}",
                     f"/api/documents/{self.id}/pages/1/image"]:
            status, _, body = s.request("GET", path, token=False)
            self.assertEqual(status, 401, path)
            self.assertIn("token", json.loads(body)["error"])
        status, _, _ = s.request("GET", "/api/documents", token=False,
                                 headers={"Authorization": "Bearer " + "0" * len(s.token)})
        self.assertEqual(status, 401)
        status, _, _ = s.request("GET", "/api/documents?token=wrong", token=False)
        self.assertEqual(status, 401)
        status, _, _ = s.request("GET", "/api/documents?token=" + s.token, token=False)
        self.assertEqual(status, 200)
        # The printed URL sets a cookie and drops the token from the address.
        status, headers, _ = s.request("GET", "/?token=" + s.token, token=False)
        self.assertEqual(status, 303)
        cookie = headers["Set-Cookie"].split(";")[0]
        self.assertIn("HttpOnly", headers["Set-Cookie"])
        status, _, body = s.request("GET", "/", token=False, headers={"Cookie": cookie})
        self.assertEqual(status, 200)
        self.assertIn(b"review.js", body)
        status, _, _ = s.request("GET", "/", token=False, headers={"Cookie": "saksi_review=x"})
        self.assertEqual(status, 401)

    # --- reading --------------------------------------------------------------

    def test_2_list_document_and_page_image(self):
        status, listing = self.server.json("GET", "/api/documents")
        self.assertEqual(status, 200)
        docs = {d["id"]: d for d in listing["documents"]}
        self.assertIn(self.id, docs)
        doc = docs[self.id]
        self.assertEqual((doc["name"], doc["status"], doc["pages"]), ("pernyataan.pdf", "ok", 1))
        self.assertEqual(doc["redacted"], {"json": True, "pdf": True})
        self.assertGreaterEqual(doc["entity_types"].get("phone", 0), 1)

        status, record = self.server.json("GET", f"/api/documents/{self.id}")
        self.assertEqual(status, 200)
        self.assertEqual(record["id"], self.id)
        self.assertIn(MISSED_NAME, record["pages"][0]["text"])

        for copy in ("", "?copy=redacted"):
            status, headers, png = self.server.request(
                "GET", f"/api/documents/{self.id}/pages/1/image{copy}")
            self.assertEqual(status, 200, copy)
            self.assertEqual(headers["Content-Type"], "image/png")
            self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
            width, height = struct.unpack(">II", png[16:24])
            page = record["pages"][0]
            self.assertEqual((width, height), (page["width"], page["height"]), copy)
        status, _, _ = self.server.request("GET", f"/api/documents/{self.id}/pages/2/image")
        self.assertEqual(status, 404)

    # --- bad input: a 4xx with a reason, nothing written ----------------------

    def test_3_bad_corrections_are_refused_and_write_nothing(self):
        before = folder_state(self.out)
        url = f"/api/documents/{self.id}/corrections"
        entities = len(self.server.json("GET", f"/api/documents/{self.id}")[1]["entities"])
        cases = [
            (f"/api/documents/{'ab' * 32}/corrections", {"op": "confirm", "entity": 0}, 404),
            (url, {"op": "reject", "entity": entities}, 400),
            (url, {"op": "reject", "entity": -1}, 400),
            (url, {"op": "edit", "entity": "3", "normalized": "x"}, 400),
            (url, {"op": "edit", "entity": 0}, 400),
            (url, {"op": "erase", "entity": 0}, 400),
            (url, {"entity": 0}, 400),
            (url, {"op": "add", "type": "person", "text": "Nobody Here", "page": 1}, 400),
            (url, {"op": "add", "type": "alias", "text": MISSED_NAME, "page": 1}, 400),
            (url, {"op": "add", "type": "person", "text": MISSED_NAME, "page": 2}, 400),
            (url, {"op": "add", "type": "person", "text": MISSED_NAME, "page": 1,
                   "redact": "yes"}, 400),
            (url, {"op": "confirm", "entity": 0, "colour": "red"}, 400),
            (url, [1, 2], 400),
            (url, b"{\"op\": \"confirm\", \"entity\": ", 400),
            (url, b"{\"op\": \"confirm\", \"note\": \"" + b"x" * 200_000 + b"\"}", 413),
        ]
        for path, body, expected in cases:
            headers = {"Content-Type": "application/json"}
            status, _, answer = self.server.request("POST", path, body, headers=headers)
            self.assertEqual(status, expected, body if len(str(body)) < 200 else "huge body")
            self.assertTrue(json.loads(answer)["error"], body)
        status, _, _ = self.server.request("POST", url, b'{"op": "confirm", "entity": 0}',
                                           headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 415)
        self.assertEqual(folder_state(self.out), before)

    # --- corrections under custody ------------------------------------------

    def test_4_add_with_redact_hides_the_name_in_both_copies(self):
        url = f"/api/documents/{self.id}/corrections"
        self.assertIn(MISSED_NAME, self.redacted_json_text())
        pdf = os.path.join(self.out, "redacted", self.id + ".pdf")
        ocr = os.path.join(self.tmp, "ocr")
        os.makedirs(ocr, exist_ok=True)
        # Before: the name is there to read (so the check below can fail).
        self.assertIn("Sitompul", review_fixture.redacted_pdf_text(pdf, ocr))
        with open(os.path.join(self.out, "records", self.id + ".json"), "rb") as f:
            record_bytes = f.read()

        status, answer = self.server.json("POST", url, {
            "op": "add", "type": "person", "text": MISSED_NAME.upper(),
            "page": 1, "redact": True, "note": "the worker's name, missed"})
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["revision"], 1)
        added = answer["entity"]

        self.assertNotIn("Sitompul", self.redacted_json_text())
        self.assertNotIn("Yohana", self.redacted_json_text())
        text = review_fixture.redacted_pdf_text(pdf, ocr)
        self.assertNotIn("Sitompul", text)
        self.assertIn("Kuala Lumpur", text)  # the rest is still readable
        redacted = json.loads(self.redacted_json_text())
        self.assertEqual(redacted["provenance"]["review"]["revisions"], 1)
        # The original record is never edited.
        with open(os.path.join(self.out, "records", self.id + ".json"), "rb") as f:
            self.assertEqual(f.read(), record_bytes)

        status, record = self.server.json("GET", f"/api/documents/{self.id}")
        entity = record["entities"][added]
        self.assertEqual((entity["type"], entity["text"], entity["redact"]),
                         ("person", MISSED_NAME, True))
        self.assertEqual(entity["review"], {"status": "added", "revisions": [1],
                                            "reviewer": "tester"})
        self.assertGreater(entity["bbox"][2], entity["bbox"][0])
        self.assertTrue(any(r["type"] == "person" for r in record["redactions"]))

        # confirm, edit, then reject the phone: its mask comes off.
        phone = next(i for i, e in enumerate(record["entities"]) if e["type"] == "phone")
        self.assertNotIn("812-7781-4402", self.redacted_json_text())
        for number, body in enumerate([
                {"op": "confirm", "entity": 0},
                {"op": "edit", "entity": phone, "normalized": "+6281277814402", "note": "checked"},
                {"op": "reject", "entity": phone, "note": "the agency's office, not a person"}],
                start=2):
            status, answer = self.server.json("POST", url, body)
            self.assertEqual((status, answer.get("revision")), (200, number), answer)
        self.assertIn("812-7781-4402", self.redacted_json_text())
        self.assertNotIn("Sitompul", self.redacted_json_text())
        status, again = self.server.json("POST", url, {"op": "confirm", "entity": phone})
        self.assertEqual(status, 400)
        self.assertIn("rejected", again["error"])

        status, record = self.server.json("GET", f"/api/documents/{self.id}")
        self.assertEqual(record["entities"][phone]["review"]["status"], "rejected")
        self.assertEqual(record["entities"][phone]["review"]["revisions"], [3, 4])
        status, revs = self.server.json("GET", f"/api/documents/{self.id}/revisions")
        self.assertEqual([r["op"] for r in revs["revisions"]], ["add", "confirm", "edit", "reject"])
        self.assertEqual({r["reviewer"] for r in revs["revisions"]}, {"tester"})
        status, listing = self.server.json("GET", "/api/documents")
        self.assertEqual(next(d for d in listing["documents"] if d["id"] == self.id)["revisions"], 4)

        # The audit log has a line for each.
        with open(os.path.join(self.out, "audit.jsonl")) as f:
            revised = [json.loads(line) for line in f if '"revised"' in line]
        self.assertEqual([r["details"]["revision"] for r in revised], [1, 2, 3, 4])
        self.assertEqual(revised[0]["details"]["note"], "the worker's name, missed")

        # saksi verify: all well; then a hand-edited revision is reported.
        proc = saksi_testing.run([ARGS.saksi, "verify", self.out])
        self.assertEqual(proc.returncode, 0, saksi_testing.describe(proc))
        tampered = os.path.join(self.tmp, "tampered")
        shutil.copytree(self.out, tampered)
        revisions = os.path.join(tampered, "revisions", self.id + ".jsonl")
        with open(revisions) as f:
            lines = f.read().splitlines()
        lines[1] = lines[1].replace('"confirm"', '"reject"')
        with open(revisions, "w") as f:
            f.write("\n".join(lines) + "\n")
        proc = saksi_testing.run([ARGS.saksi, "verify", tampered])
        self.assertEqual(proc.returncode, 3, saksi_testing.describe(proc))
        self.assertIn(f"BROKEN revisions/{self.id}.jsonl:3: chain broken", proc.stdout)
        self.assertIn(f"BROKEN revisions/{self.id}.jsonl: content changed", proc.stdout)
        # ...and a removed last revision too.
        with open(revisions, "w") as f:
            f.write("\n".join(review_lines(self.out, self.id)[:-1]) + "\n")
        proc = saksi_testing.run([ARGS.saksi, "verify", tampered])
        self.assertEqual(proc.returncode, 3, saksi_testing.describe(proc))
        self.assertIn(f"BROKEN revisions/{self.id}.jsonl: content changed", proc.stdout)


def review_lines(out, doc_id):
    with open(os.path.join(out, "revisions", doc_id + ".jsonl")) as f:
        return f.read().splitlines()


if __name__ == "__main__":
    saksi_testing.main(__doc__)
