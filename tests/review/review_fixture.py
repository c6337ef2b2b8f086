"""What the review tests share: an output folder made by `saksi process`
from a generated text PDF, a `saksi review` server on a free port, and the
text a reader would get back from the redacted PDF (its pages OCR'd)."""
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import saksi_testing  # noqa: E402

# Invented people and numbers; the default (evidence) policy masks the phone
# and the NIK but keeps person names, so a reviewer must add one to hide it.
MISSED_NAME = "Yohana Sitompul"
LINES = [
    "SURAT PERNYATAAN KERJA",
    "Nama pekerja: " + MISSED_NAME,
    "NIK: 3174055708920003",
    "Telepon: +62 812-7781-4402",
    "Penempatan: Kuala Lumpur, Malaysia",
    "Majikan menyimpan paspor pekerja selama kontrak.",
]


def make_output(saksi, tmp):
    """Processes one generated statement into tmp/out; returns (out, id)."""
    docs = os.path.join(tmp, "in")
    os.makedirs(docs)
    doc_id = saksi_testing.text_pdf(os.path.join(docs, "pernyataan.pdf"), LINES)
    out = os.path.join(tmp, "out")
    proc = saksi_testing.run([saksi, "process", docs, "--out", out, "--jobs", "1"], timeout=900)
    if proc.returncode != 0:
        raise AssertionError("saksi process failed" + saksi_testing.describe(proc))
    return out, doc_id


class Server:
    """`saksi review OUT --port 0` while the with-block runs."""

    def __init__(self, saksi, out, reviewer="tester"):
        self.cmd = [saksi, "review", out, "--port", "0", "--reviewer", reviewer]
        self.log = os.path.join(os.path.dirname(os.path.abspath(out)), "review.log")

    def __enter__(self):
        self.stderr = open(self.log, "w")
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=self.stderr,
                                     text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.proc.kill()
            raise AssertionError(f"first line is not the URL: {self.url!r}; "
                                 f"its log: {self.tail()}")
        parsed = urllib.parse.urlparse(self.url)
        self.base = f"{parsed.scheme}://{parsed.netloc}"
        self.token = urllib.parse.parse_qs(parsed.query)["token"][0]
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is not None:
            print(f"saksi review exited early ({self.proc.returncode}): {self.tail()}",
                  file=sys.stderr)
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()

    def tail(self):
        with open(self.log) as f:
            return f.read()[-3000:]

    def request(self, method, path, body=None, token=True, headers=None):
        """(status, headers, body bytes); the token as Authorization: Bearer."""
        h = dict(headers or {})
        if token:
            h.setdefault("Authorization", "Bearer " + self.token)
        data = body
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(req, timeout=300) as res:
                return res.status, dict(res.headers), res.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def json(self, method, path, body=None, **kw):
        status, _, data = self.request(method, path, body, **kw)
        return status, json.loads(data) if data else None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def redacted_pdf_text(pdf, tmp):
    """What a reader of the redacted PDF can read: its pages OCR'd."""
    prefix = os.path.join(tmp, "page")
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", pdf, prefix], check=True)
    text = ""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    for name in sorted(os.listdir(tmp)):
        if name.startswith("page") and name.endswith(".png"):
            text += subprocess.run(["tesseract", os.path.join(tmp, name), "-", "-l", "eng"],
                                   capture_output=True, text=True, check=True, env=env).stdout
            os.remove(os.path.join(tmp, name))
    return text


def new_tmp(prefix):
    return tempfile.mkdtemp(prefix=prefix)
