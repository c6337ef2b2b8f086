#!/usr/bin/env python3
"""`saksi review` in a real browser (headless Chromium through Selenium):
opens the document list, opens a document, switches an overlay, adds a
missed name for redaction with the keyboard-usable form, and sees the
redacted copy change. --screenshots DIR keeps PNGs of the list and the
document view."""
import base64
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import review_fixture  # noqa: E402
import saksi_testing  # noqa: E402
from review_fixture import MISSED_NAME  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ARGS = None


def add_arguments(parser):
    parser.add_argument("--out", help="review this output folder instead of a generated one")
    parser.add_argument("--name", default=MISSED_NAME,
                        help="the text to add for redaction (with --out: one on page 1)")
    parser.add_argument("--screenshots", help="save list.png and document.png here")


def chromium(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1600,1000", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class ReviewBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = review_fixture.new_tmp("saksi-review-browser-")
        if ARGS.out:
            cls.out, cls.id = ARGS.out, None
        else:
            cls.out, cls.id = review_fixture.make_output(ARGS.saksi, cls.tmp)
        cls.server = review_fixture.Server(ARGS.saksi, cls.out).__enter__()
        cls.browser = chromium(tempfile.mkdtemp(prefix="profile-", dir=cls.tmp))
        cls.wait = WebDriverWait(cls.browser, 120)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.server.__exit__(None, None, None)
        saksi_testing.remove_unless_kept(cls.tmp)

    def screenshot(self, name):
        if not ARGS.screenshots:
            return
        os.makedirs(ARGS.screenshots, exist_ok=True)
        # The whole page, not only the window.
        shot = self.browser.execute_cdp_cmd("Page.captureScreenshot",
                                            {"captureBeyondViewport": True, "format": "png"})
        with open(os.path.join(ARGS.screenshots, name), "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def redacted_image(self):
        img = self.browser.find_element(By.CSS_SELECTOR, "img.redacted-page")
        self.wait.until(lambda d: d.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", img))
        return img.get_attribute("src"), img.screenshot_as_png

    def test_list_document_overlay_and_redaction(self):
        b = self.browser
        b.get(self.server.url)
        # The list: one row per document, the token now in a cookie.
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.documents tr.row")))
        self.assertNotIn("token=", b.current_url)
        rows = b.find_elements(By.CSS_SELECTOR, "table.documents tr.row")
        listing = self.server.json("GET", "/api/documents")[1]["documents"]
        self.assertEqual(len(rows), len(listing))
        self.screenshot("list.png")
        doc_id = self.id or next(d["id"] for d in listing if d["kind"] == "chat")
        name = next(d["name"] for d in listing if d["id"] == doc_id)
        # The filter narrows the list.
        b.find_element(By.ID, "filter").send_keys(name)
        self.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.row")) == 1)

        # Open the document: its page image and entity boxes.
        b.find_element(By.LINK_TEXT, name).click()
        self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".col.original img")))
        self.wait.until(lambda d: d.execute_script(
            "const i = document.querySelector('.col.original img');"
            "return i.complete && i.naturalWidth > 0"))
        boxes = b.find_elements(By.CSS_SELECTOR, ".col.original svg rect.ent")
        self.assertTrue(boxes, "no entity box drawn")
        words = b.find_elements(By.CSS_SELECTOR, ".col.original svg rect.word")
        self.assertTrue(words)
        # Words overlay: off by default, on by its checkbox, off again by the key.
        self.assertFalse(words[0].is_displayed())
        b.find_element(By.ID, "ov-words").click()
        self.assertTrue(words[0].is_displayed())
        b.find_element(By.TAG_NAME, "body").send_keys("w")
        self.assertFalse(words[0].is_displayed())
        b.find_element(By.TAG_NAME, "body").send_keys("w")
        self.assertTrue(words[0].is_displayed())
        # A click on an entity row marks its box.
        b.find_element(By.CSS_SELECTOR, "table.entities tr.row").click()
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, "svg rect.focus"))
        src_before, pixels_before = self.redacted_image()
        self.screenshot("document.png")

        # Add the missed name, to be hidden.
        text = ARGS.name
        b.find_element(By.ID, "add-text").send_keys(text)
        b.find_element(By.ID, "add-note").send_keys("missed by the extractors")
        self.assertTrue(b.find_element(By.ID, "add-redact").is_selected())
        b.find_element(By.ID, "add-submit").click()
        self.wait.until(EC.text_to_be_present_in_element((By.ID, "status"), "recorded"))
        self.assertIn("Revision 1 recorded", b.find_element(By.ID, "status").text)
        src_after, pixels_after = self.redacted_image()
        self.assertNotEqual(src_before, src_after)
        self.assertNotEqual(pixels_before, pixels_after, "the redacted copy did not change")
        added = [r.text for r in b.find_elements(By.CSS_SELECTOR, "table.entities tr.row")
                 if "added" in r.text]
        self.assertEqual(len(added), 1)
        self.assertIn(text, added[0])
        status, _, redacted = self.server.request("GET", f"/api/documents/{doc_id}/redacted")
        self.assertEqual(status, 200)
        self.assertNotIn(text.split()[-1], json.loads(redacted)["pages"][0]["text"])
        self.screenshot("document-corrected.png")


if __name__ == "__main__":
    saksi_testing.main(__doc__, add_arguments)
