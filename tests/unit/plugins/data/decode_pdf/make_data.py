#!/usr/bin/python3
"""Writes the small PDFs that tests/unit/plugins/decode_pdf_test.cpp reads.

Run from anywhere: /usr/bin/python3 make_data.py
Needs python3-reportlab, python3-pil (Debian) and qpdf. Every person and
company named here is invented.
"""
import io
import os
import subprocess
import tempfile
import zlib

from PIL import Image, ImageDraw, ImageFont, TiffImagePlugin
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


def letter_image(mode, size, dpi, rotated_text=False):
    """A page of text as pixels, in a PIL mode ("L", "RGB", "1")."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(DEJAVU, max(12, dpi // 4))
    draw.text((size[0] // 10, size[1] // 10), "SURAT JALAN", font=font, fill=0)
    draw.text((size[0] // 10, size[1] // 10 + dpi // 2), "Dewi Lestari", font=font, fill=0)
    # A dark block in one corner: shows the orientation and any inversion.
    draw.rectangle((size[0] - size[0] // 6, 0, size[0] - 1, size[1] // 10), fill=30)
    if mode == "RGB":
        rgb = image.convert("RGB")
        ImageDraw.Draw(rgb).rectangle((0, size[1] - size[1] // 12, size[0] // 5, size[1] - 1),
                                      fill=(200, 40, 40))
        return rgb
    return image.convert(mode) if mode != "L" else image


def image_pdf(path, pages):
    """A PDF written by hand, one image XObject per page, so each test case
    gets exactly the filter, colour space and placement it names.
    pages: dicts with image_dict (str), data (bytes), width_pt, height_pt,
    and optional rotate, content (the page's content stream, default: the
    image over the whole page) and extra (more XObjects)."""
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    page_ids = []
    pages_id_placeholder = "PAGES"
    for page in pages:
        image_id = add(("<< /Type /XObject /Subtype /Image " + page["image_dict"] +
                        " /Length %d >>\nstream\n" % len(page["data"])).encode() +
                       page["data"] + b"\nendstream")
        w, h = page["width_pt"], page["height_pt"]
        content = page.get("content", "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w, h)).encode()
        content_id = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        rotate = " /Rotate %d" % page["rotate"] if page.get("rotate") else ""
        page_ids.append(add(("<< /Type /Page /Parent %s /MediaBox [0 0 %.2f %.2f]%s "
                             "/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>" %
                             (pages_id_placeholder, w, h, rotate, image_id, content_id)).encode()))
    pages_id = add(("<< /Type /Pages /Count %d /Kids [%s] >>" %
                    (len(page_ids), " ".join("%d 0 R" % i for i in page_ids))).encode())
    catalog_id = add(("<< /Type /Catalog /Pages %d 0 R >>" % pages_id).encode())
    out_bytes = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        body = body.replace(b"/Parent PAGES", b"/Parent %d 0 R" % pages_id)
        offsets.append(len(out_bytes))
        out_bytes += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out_bytes)
    out_bytes += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out_bytes += b"%010d 00000 n \n" % offset
    out_bytes += (b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" %
                  (len(objects) + 1, catalog_id, xref))
    with open(path, "wb") as f:
        f.write(out_bytes)


def encoded(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def g4_strip(image):
    """The CCITT G4 data of a bilevel image: the one strip of a group4 TIFF.
    PIL writes it MinIsBlack, so its 0 bits (black) are coded as white runs:
    the PDF says /BlackIs1 true, as img2pdf does for such a TIFF."""
    TiffImagePlugin.STRIP_SIZE = 1 << 30  # one strip: G4 strips do not concatenate
    data = encoded(image, "TIFF", compression="group4")
    tiff = Image.open(io.BytesIO(data))
    assert len(tiff.tag_v2[273]) == 1
    offset, count = tiff.tag_v2[273][0], tiff.tag_v2[279][0]
    return data[offset:offset + count]


def image_pages(path):
    """Scans as scanners and converters write them, one filter a page:
    1 JPEG gray at 150 dpi, 2 Flate RGB at 120 dpi shown with /Rotate 90,
    3 Flate 1-bit at 200 dpi, 4 CCITT G4 at 200 dpi, 5 JPEG 2000 RGB at
    100 dpi shown with /Rotate 270, 6 JPEG gray with /Decode [1 0]
    (stored inverted), 7 an image with a line drawn over it (vector content:
    rendered), 8 two images side by side (rendered), 9 a JBIG2 stream
    (rendered: Leptonica has no JBIG2 decoder)."""
    a4 = (595.0, 842.0)

    def px(dpi):
        return (round(a4[0] * dpi / 72), round(a4[1] * dpi / 72))

    gray150 = letter_image("L", px(150), 150)
    rgb120 = letter_image("RGB", px(120), 120)
    bw200 = letter_image("1", px(200), 200)
    rgb100 = letter_image("RGB", px(100), 100)
    inverted = Image.eval(letter_image("L", px(150), 150), lambda v: 255 - v)

    def jpeg_page(image, extra=""):
        return {"image_dict": "/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
                              "/Filter /DCTDecode%s" % (image.width, image.height, extra),
                "data": encoded(image, "JPEG", quality=90),
                "width_pt": a4[0], "height_pt": a4[1]}

    pages = [
        jpeg_page(gray150),
        {"image_dict": "/Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                       "/Filter /FlateDecode" % rgb120.size,
         "data": zlib.compress(rgb120.tobytes()), "width_pt": a4[0], "height_pt": a4[1],
         "rotate": 90},
        {"image_dict": "/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
                       "/Filter /FlateDecode" % bw200.size,
         # PIL's "1" and PDF's 1-bit gray agree: a 1 bit is white.
         "data": zlib.compress(bw200.tobytes()), "width_pt": a4[0], "height_pt": a4[1]},
        {"image_dict": "/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
                       "/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns %d /Rows %d /BlackIs1 true >>" %
                       (bw200.width, bw200.height, bw200.width, bw200.height),
         "data": g4_strip(bw200), "width_pt": a4[0], "height_pt": a4[1]},
        {"image_dict": "/Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                       "/Filter /JPXDecode" % rgb100.size,
         "data": encoded(rgb100, "JPEG2000"), "width_pt": a4[0], "height_pt": a4[1],
         "rotate": 270},
        jpeg_page(inverted, " /Decode [1 0]"),
        dict(jpeg_page(gray150), content="q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q 2 w 72 72 m 500 72 l S"
                                         % a4),
        dict(jpeg_page(gray150), content="q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q "
                                         "q %.2f 0 0 %.2f %.2f 0 cm /Im0 Do Q"
                                         % (a4[0] / 2, a4[1], a4[0] / 2, a4[1], a4[0] / 2)),
        {"image_dict": "/Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 1 "
                       "/Filter /JBIG2Decode",
         "data": b"\x00" * 64, "width_pt": a4[0], "height_pt": a4[1]},
    ]
    image_pdf(path, pages)


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
    image_pages(out("image_pages.pdf"))
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
