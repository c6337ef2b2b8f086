#!/usr/bin/python3
"""Writes the hostile corpus in this folder (committed; re-run only to change it).

Each file is something a seized archive holds as a matter of course; `saksi
process` must give each a failure record with a precise code and go on
(tests/integration/hostile_test.py checks the codes in expected.json).
Deterministic: the same bytes on every run. Needs python3-pil,
python3-reportlab and qpdf.
"""
import io
import json
import os
import random
import stat
import struct
import subprocess
import tempfile
import time
import zipfile
import zlib

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

# The corpus is the folder above this one (hidden: `saksi process` skips dotfiles).
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def text_png(text):
    """A small PNG of a line of text: a safe member that OCR can read."""
    image = Image.new("L", (520, 60), 255)
    ImageDraw.Draw(image).text((10, 12), text, fill=0, font=ImageFont.truetype(FONT, 28))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def pdf_bytes(lines):
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    y = 780
    for line in lines:
        c.drawString(72, y, line)
        y -= 20
    c.showPage()
    c.save()
    return out.getvalue()


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def zip_bytes(members):
    """members: (name, bytes, options) with options {"symlink": target} or
    {"method": zipfile.ZIP_*}."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data, opts in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = opts.get("method", zipfile.ZIP_DEFLATED)
            if "symlink" in opts:
                info.create_system = 3  # Unix: the mode below is honoured
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                data = opts["symlink"].encode()
            z.writestr(info, data)
    return out.getvalue()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    expected = {}

    write("empty.pdf", b"")
    expected["empty.pdf"] = "input.empty"

    contract = pdf_bytes(["EMPLOYMENT CONTRACT (specimen)", "Employer: PT Contoh Utopia"] * 20)
    write("truncated.pdf", contract[: len(contract) // 3])
    expected["truncated.pdf"] = "pdf.corrupt"

    write("random.png", random.Random(5).randbytes(4096))
    expected["random.png"] = "input.unsupported_type"

    # A PNG whose header claims 60000 x 60000 pixels (3.6 gigapixels) over a
    # few bytes of data: refused from the header, before any pixel is decoded.
    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 60001 * 4, 9)
    write("huge.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
          + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))
    expected["huge.png"] = "image.too_large"

    # AES-256 with user password "utopia-1" (tests/integration/hostile_test.py
    # opens it with --password-file).
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "plain.pdf")
        with open(plain, "wb") as f:
            f.write(pdf_bytes(["CONFIDENTIAL SPECIMEN", "Passport UTO L898902C3"]))
        out = os.path.join(HERE, "encrypted.pdf")
        subprocess.run(["qpdf", "--static-id", "--static-aes-iv", "--encrypt", "utopia-1", "owner-utopia", "256",
                        "--", plain, out], check=True)
    expected["encrypted.pdf"] = "pdf.encrypted"

    # Paths that climb out, an absolute one and links, between safe members.
    write("traversal.zip", zip_bytes([
        ("safe/first.png", text_png("SAFE MEMBER ONE"), {}),
        ("../../evil.png", text_png("EVIL CLIMBS OUT"), {}),
        ("/tmp/saksi-absolute.png", text_png("EVIL ABSOLUTE"), {}),
        ("sneaky/../../x.png", text_png("EVIL NESTED DOTS"), {}),
        ("link.png", b"", {"symlink": "/etc/passwd"}),
        ("safe/second.png", text_png("SAFE MEMBER TWO"), {}),
    ]))
    expected["traversal.zip!../../evil.png"] = "archive.unsafe_path"
    expected["traversal.zip!/tmp/saksi-absolute.png"] = "archive.unsafe_path"
    expected["traversal.zip!sneaky/../../x.png"] = "archive.unsafe_path"
    expected["traversal.zip!link.png"] = "archive.unsafe_path"

    # nested10.zip (level 1) holds level2.zip ... holds level10.zip; level 2
    # also holds a page. With the default max_depth (5) level6.zip is not opened.
    inner = zip_bytes([("deepest.png", text_png("DEEPEST LEVEL TEN"), {})])
    for level in range(10, 1, -1):
        members = [(f"level{level}.zip", inner, {"method": zipfile.ZIP_STORED})]
        if level == 3:  # this archive becomes level2.zip
            members.append(("page.png", text_png("LEVEL TWO PAGE"), {}))
        inner = zip_bytes(members)
    write("nested10.zip", inner)
    expected["nested10.zip!level2.zip!level3.zip!level4.zip!level5.zip!level6.zip"] = \
        "archive.too_deep"

    # 64 MiB of zeros deflated to 64 KB (1000:1), then a safe member.
    write("bomb.zip", zip_bytes([
        ("zeros.tif", b"\x00" * (64 << 20), {}),
        ("after-bomb.png", text_png("AFTER THE BOMB"), {}),
    ]))
    expected["bomb.zip!zeros.tif"] = "archive.bomb"

    safe = ["traversal.zip!safe/first.png", "traversal.zip!safe/second.png",
            "nested10.zip!level2.zip!page.png", "bomb.zip!after-bomb.png"]
    with open(os.path.join(HERE, ".generator", "expected.json"), "w") as f:
        json.dump({"failures": expected, "records": safe}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
