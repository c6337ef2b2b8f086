#!/usr/bin/python3
"""Writes the small PDFs that tests/unit/plugins/decode_pdf_test.cpp reads.

Run from anywhere: /usr/bin/python3 make_data.py
Needs python3-reportlab, python3-pil (Debian) and qpdf. Every person and
company named here is invented.
"""
import os
import subprocess
import tempfile

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = os.path.dirname(os.path.abspath(__file__))
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def out(name):
    return os.path.join(HERE, name)


def digital(path, crop=None):
    """Two pages of real text: a heading, two paragraphs, a glued bold word."""
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    if crop:
        c.setCropBox(crop)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 770, "PERJANJIAN KERJA")
    c.setFont("Helvetica", 11)
    c.drawString(72, 740, "Nama pekerja: Siti Rahayu")
    c.drawString(72, 726, "Jabatan: Operator produksi")
    c.drawString(72, 690, "Gaji pokok Rp 4.500.000 per bulan.")
    # One word in two fonts and no space between: Poppler splits it in two.
    c.setFont("Helvetica-Bold", 11)
    c.drawString(72, 676, "Kon")
    width = pdfmetrics.stringWidth("Kon", "Helvetica-Bold", 11)
    c.setFont("Helvetica", 11)
    c.drawString(72 + width, 676, "trak berlaku dua tahun.")
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(72, 770, "Halaman kedua: tanda tangan para pihak.")
    c.showPage()
    c.save()


def scanned(path):
    """An image-only page, as a scanner makes it: text as pixels, no text layer."""
    image = Image.new("L", (827, 1169), 255)  # A4 at 100 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(DEJAVU, 28)
    draw.text((80, 100), "SURAT KETERANGAN", font=font, fill=0)
    draw.text((80, 160), "Nama: Budi Santoso", font=font, fill=0)
    image.save(path, "PDF", resolution=100.0)


def unmapped(path):
    """A text layer whose characters are private-use code points: garbage text."""
    pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU))
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    c.setFont("DejaVu", 12)
    c.drawString(72, 770, "".join(chr(0xE000 + i) for i in range(40)))
    c.drawString(72, 750, "ok")
    c.showPage()
    c.save()


def qpdf(*args):
    subprocess.run(["qpdf", *args], check=True)


def main():
    digital(out("digital.pdf"))
    scanned(out("scanned.pdf"))
    unmapped(out("unmapped.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        # Landscape display: /Rotate 90 on a page whose crop box is offset.
        cropped = os.path.join(tmp, "cropped.pdf")
        digital(cropped, crop=(36, 400, 559, 806))
        qpdf("--deterministic-id", cropped, "--rotate=+90", out("rotated.pdf"))
    qpdf("--deterministic-id", "--empty", "--pages", out("digital.pdf"), "1", out("scanned.pdf"),
         "1", "--", out("mixed.pdf"))
    # A user password: unreadable without it. An owner password only: readable.
    qpdf("--encrypt", "user", "owner", "256", "--", out("digital.pdf"),
         out("encrypted.pdf"))
    qpdf("--encrypt", "", "owner", "256", "--", out("digital.pdf"),
         out("owner_password.pdf"))


if __name__ == "__main__":
    main()
