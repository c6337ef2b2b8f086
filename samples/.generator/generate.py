#!/usr/bin/env python3
"""Generate Saksi's synthetic evidence samples (no real person, no real document).

    python3 samples/.generator/generate.py

regenerates the documents in samples/ and, next to this script, their truth
and manifest. They live in this hidden folder so that `saksi process samples`
sees evidence documents only (saksi skips dotfiles and dot-folders):

    passport_uto.png      TD3 passport data page (specimen state UTO), scanned look
    contract_scan.png     Indonesian employment contract, scanned A4 page, 300 DPI
    contract_digital.pdf  the same contract with a real text layer (reportlab)
    scan_multipage.pdf    3 scanned pages (agency letter, receipt, statement),
                          page images only, no text layer
    chat_whatsapp.png     WhatsApp-style chat screenshot (1080 px wide)
    .generator/truth/<name>.txt  ground-truth text of each document, in reading order
    .generator/manifest.json     one entry per document: kind, pages, text source,
                          recall floor, seeded PII and expected entities

Everything is deterministic: a fixed seed drives every random choice, the PDFs
are written without timestamps, so a re-run gives the same bytes on the same
Debian release.

Debian packages: python3, python3-pil, python3-reportlab, fonts-ocr-b,
fonts-dejavu-core, fonts-liberation2 (fontconfig's fc-match is used only as a
fallback to find fonts).
"""
import io
import json
import math
import os
import random
import re
import subprocess
import sys

try:
    from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas as rl_canvas
except ImportError:
    # A pyenv/venv python may shadow Debian's; the Debian one has the modules.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("generate.py needs python3-pil and python3-reportlab (apt-get install -y python3-pil python3-reportlab)")

SEED = 20250303
GEN = os.path.dirname(os.path.abspath(__file__))  # samples/.generator: generator, truth, manifest
HERE = os.path.dirname(GEN)                         # samples/: the documents only
TRUTH = os.path.join(GEN, "truth")
DPI = 300

# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------
FONT_FILES = {
    "serif": ["/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", "Liberation Serif"],
    "serif-bold": ["/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf", "Liberation Serif:bold"],
    "sans": ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans"],
    "sans-bold": ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "DejaVu Sans:bold"],
    "ocrb": ["/usr/share/fonts/opentype/ocr-b/OCRB.otf", "OCR B"],
}


def font_path(key):
    path, pattern = FONT_FILES[key]
    if os.path.exists(path):
        return path
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True).stdout
    except OSError:
        found = ""
    if found and os.path.exists(found):
        return found
    sys.exit(f"font {pattern!r} not found (Debian packages fonts-ocr-b, fonts-dejavu-core, fonts-liberation2)")


_font_cache = {}


def pil_font(key, size_px):
    k = (key, int(round(size_px)))
    if k not in _font_cache:
        _font_cache[k] = ImageFont.truetype(font_path(key), k[1])
    return _font_cache[k]


NBSP = "\u00a0"
_KEEP_TOGETHER = re.compile(r"\+\d{2,3}(?: [\d-]+)+|(?:Rp|USD) [\d.,]+|Pak \w+|Bank \w+")


def keep_together(text):
    """Glue phone numbers and amounts with NBSP so that line wrapping never splits them."""
    return _KEEP_TOGETHER.sub(lambda m: m.group(0).replace(" ", NBSP), text)


def wrap_words(text):
    return [w for w in keep_together(text).split(" ") if w]


def pt2px(pt):
    return pt * DPI / 72.0


# --------------------------------------------------------------------------
# Seeded people, organisations and identifiers (all invented)
# --------------------------------------------------------------------------
WORKER = {
    "name": "Dewi Anggraini Lestari",
    "birth_place": "Sukabumi",
    "birth_date": "1998-07-14",
    "birth_date_text": "14 Juli 1998",
    "sex": "F",
    # NIK: province 32 (Jawa Barat), regency 02 (Kab. Sukabumi), district 15,
    # DDMMYY with day + 40 for a woman (14 -> 54), serial 0003.
    "nik": "3202155407980003",
    "passport": "C7394518",
    "phone_text": "+62 857-2291-4638",
    "phone": "+6285722914638",
    "email": "dewi.lestari98@example.com",
    "bank_text": "0921-01-004517-53-6",
    "bank": "092101004517536",
    "address": "Kp. Cibeureum RT 003/RW 005, Desa Sukamaju, Kec. Cibadak, Kab. Sukabumi, Jawa Barat",
}
EMPLOYER = {
    "name": "PT Sinar Mekong Gemilang",
    "address": "Jl. Raya Pasar Minggu No. 88, Jakarta Selatan 12780",
    "director": "Hendra Wijaya Kusuma",
}
AGENCY = {
    "name": "CV Cahaya Karya Mandiri",
    "address": "Jl. Siliwangi No. 17, Sukabumi, Jawa Barat 43111",
    "director": "Andi Saputra",
    "phone_text": "+62 821-1734-5590",
    "phone": "+6282117345590",
    "email": "rekrutmen.cahayakarya@example.com",
    "bank_text": "5271039382",
    "bank": "5271039382",
}
SITE = {"name": "Golden Lotus Trading Co., Ltd.", "city": "Phnom Penh", "country": "Kamboja"}
RECRUITER_CHAT = {"title": "Rina Loker Kamboja", "contact": "Pak Sokha",
                  "kh_phone_text": "+855 96 712 3456", "kh_phone": "+855967123456"}

PASSPORT = {
    "type": "P",
    "country": "UTO",
    "country_name": "UTOPIA",
    "surname": "WIRADINATA",
    "given_names": "RATNA SARI",
    "number": "U4821907B",
    "nationality": "UTO",
    "birth_date": "1994-03-12",
    "sex": "F",
    "expiry_date": "2031-08-09",
    "issue_date": "2021-08-10",
    "personal_number": "ZQ7302591",
    "birth_place": "BANDAR SENTOSA",
    "authority": "IMIGRASI UTOPIA",
}


# --------------------------------------------------------------------------
# ICAO 9303 MRZ
# --------------------------------------------------------------------------
def mrz_value(c):
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - ord("A") + 10
    if c == "<":
        return 0
    raise ValueError(c)


def check_digit(s):
    weights = (7, 3, 1)
    return str(sum(mrz_value(c) * weights[i % 3] for i, c in enumerate(s)) % 10)


def yymmdd(iso):
    return iso[2:4] + iso[5:7] + iso[8:10]


def td3_mrz(p):
    name = p["surname"].replace(" ", "<") + "<<" + p["given_names"].replace(" ", "<")
    line1 = (p["type"] + "<" + p["country"] + name).ljust(44, "<")[:44]
    doc = p["number"].ljust(9, "<")
    dob = yymmdd(p["birth_date"])
    exp = yymmdd(p["expiry_date"])
    pers = p["personal_number"].ljust(14, "<")
    pers_cd = check_digit(pers)
    line2 = (doc + check_digit(doc) + p["nationality"] + dob + check_digit(dob) + p["sex"]
             + exp + check_digit(exp) + pers + pers_cd)
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    line2 += check_digit(composite)
    assert len(line1) == 44 and len(line2) == 44
    return line1, line2


# --------------------------------------------------------------------------
# Scan defects
# --------------------------------------------------------------------------
def noise_layer(rng, size, sigma):
    """Zero-mean noise image (centred on 128), from a seeded byte stream."""
    # Map uniform bytes through an approximate Gaussian inverse CDF.
    lut = []
    for u in range(256):
        p = (u + 0.5) / 256.0
        # Acklam-free approximation: logit scaled to unit variance (~1.6).
        z = math.log(p / (1 - p)) / 1.702
        lut.append(max(0, min(255, int(round(128 + sigma * z)))))
    raw = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return raw.point(lut)


def speckles(rng, img, count, dark=90):
    d = ImageDraw.Draw(img)
    w, h = img.size
    fill = dark if img.mode == "L" else (dark, dark, dark)
    for _ in range(count):
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.choice((1, 1, 1, 2))
        d.ellipse((x, y, x + r, y + r), fill=fill)


def scan(img, rng, angle, noise_sigma=2.0, blur=0.6, jpeg_quality=78, background=None,
         speckle_count=120, edge_shadow=True, levels_step=4):
    """Make a clean rendering look scanned: rotation, blur, noise, JPEG artefacts.

    The result is quantised to steps of `levels_step` grey levels (invisible, but it keeps the
    PNG small: scanner noise is incompressible)."""
    mode = img.mode
    if background is None:
        background = 255 if mode == "L" else (255, 255, 255)
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=background)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if edge_shadow:
        w, h = img.size
        shade = Image.new("L", img.size, 255)
        sd = ImageDraw.Draw(shade)
        band = max(8, w // 120)
        for i in range(band):  # darker towards the left edge, like a scanner lid gap
            v = 200 + int(55 * i / band)
            sd.line([(i, 0), (i, h)], fill=v)
        if mode != "L":
            shade = Image.merge("RGB", (shade, shade, shade))
        img = ImageChops.multiply(img, shade)
    if speckle_count:
        speckles(rng, img, speckle_count)
    if noise_sigma:
        n = noise_layer(rng, img.size, noise_sigma)
        if mode != "L":
            n = Image.merge("RGB", (n, n, n))
        img = ImageChops.add(img, n, scale=1.0, offset=-128)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=jpeg_quality)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    out = out.convert(mode)
    if levels_step > 1:
        out = out.point([min(255, (v // levels_step) * levels_step + levels_step // 2) for v in range(256)]
                        * (1 if mode == "L" else 3))
    return out


def save_png(img, name, dpi=DPI):
    img.save(os.path.join(HERE, name), "PNG", compress_level=9, dpi=(dpi, dpi))


# --------------------------------------------------------------------------
# A tiny page-layout engine shared by the PIL (scan) and reportlab (PDF)
# renderers.  Units are pixels at 300 DPI; y is the text baseline.
# --------------------------------------------------------------------------
A4 = (2480, 3508)


class Page:
    def __init__(self, size=A4, margin=(270, 250, 270, 250)):
        self.size = size
        self.left, self.top, self.right, self.bottom = margin
        self.y = self.top
        self.items = []     # ("text", x, y, text, font, size_px) | ("scribble", pts) | ("line", x0, y0, x1, y1, w)
        self.truth = []     # ground-truth lines, in reading order
        self.lead = 1.32    # line height / font size
        self.inline_fields = False

    @property
    def width(self):
        return self.size[0] - self.left - self.right

    def text(self, x, y, s, font="serif", size=46):
        self.items.append(("text", x, y, s.replace(NBSP, " "), font, size))

    def gap(self, px):
        self.y += px

    def heading(self, s, font="serif-bold", size=58, after=20):
        f = pil_font(font, size)
        w = f.getlength(s)
        self.y += size
        self.text((self.size[0] - w) / 2, self.y, s, font, size)
        self.y += after
        self.truth.append(s)

    def center(self, s, font="serif", size=46, after=16):
        self.heading(s, font, size, after)

    def para(self, s, font="serif", size=46, lead=None, indent=0, first=None, justify=True, after=18,
             hanging=None):
        """Word-wrapped paragraph. `hanging` is a label drawn in the indent of the first line."""
        lead = lead or self.lead
        f = pil_font(font, size)
        x0 = self.left + indent
        width = self.width - indent
        words = wrap_words(s)
        lines, cur = [], []
        for w in words:
            trial = " ".join(cur + [w])
            if cur and f.getlength(trial) > width:
                lines.append(cur)
                cur = [w]
            else:
                cur.append(w)
        if cur:
            lines.append(cur)
        space = f.getlength(" ")
        for i, ws in enumerate(lines):
            self.y += size * lead if (i or self.items) else size
            if i == 0 and hanging:
                self.text(self.left + indent - hanging[1], self.y, hanging[0], font, size)
            last = i == len(lines) - 1
            wl = [f.getlength(w) for w in ws]
            gap = space
            if justify and not last and len(ws) > 1:
                gap = (width - sum(wl)) / (len(ws) - 1)
                gap = min(gap, space * 3.0)
            x = x0
            for w, l in zip(ws, wl):
                self.text(x, self.y, w, font, size)
                x += l + gap
        self.y += after
        self.truth.append(((hanging[0] + " ") if hanging else "") + s)

    def fields(self, rows, label_w, font="serif", size=46, indent=0, lead=None, after=12):
        """Label : value rows (value wraps under itself)."""
        lead = lead or self.lead
        if self.inline_fields:  # digital layout: "Label: value" as plain lines
            for label, value in rows:
                self.para(f"{label}: {value}", font, size, lead, indent=indent, justify=False, after=0)
            self.y += after
            return
        f = pil_font(font, size)
        for label, value in rows:
            x_label = self.left + indent
            x_colon = x_label + label_w
            x_val = x_colon + f.getlength(": ")
            width = self.left + self.width - x_val
            words, lines, cur = wrap_words(value), [], []
            for w in words:
                if cur and f.getlength(" ".join(cur + [w])) > width:
                    lines.append(" ".join(cur))
                    cur = [w]
                else:
                    cur.append(w)
            lines.append(" ".join(cur))
            for i, ln in enumerate(lines):
                self.y += size * lead
                if i == 0:
                    self.text(x_label, self.y, label, font, size)
                    self.text(x_colon, self.y, ":", font, size)
                self.text(x_val, self.y, ln, font, size)
            self.truth.append(f"{label}: {value}")
        self.y += after

    def columns(self, cols, font="serif", size=46, lead=None, sign_gap=190, rng=None):
        """Signature block: columns of (title lines, signer name), rows aligned across columns.

        Truth is row by row (left to right), the way OCR and pdftotext read aligned columns."""
        lead = lead or self.lead
        n = len(cols)
        colw = self.width / n
        rows = max(len(t) for t, _ in cols)
        y0 = self.y
        f = pil_font(font, size)
        fb = pil_font("serif-bold", size)
        for r in range(rows):
            y = y0 + size * lead * (r + 1)
            line = []
            for ci, (titles, _) in enumerate(cols):
                if r < len(titles) and titles[r]:
                    cx = self.left + colw * ci + colw / 2
                    self.text(cx - f.getlength(titles[r]) / 2, y, titles[r], font, size)
                    line.append(titles[r])
            if line:
                self.truth.append(" ".join(line))
        y = y0 + size * lead * rows
        names = []
        for ci, (_, signer) in enumerate(cols):
            if not signer:
                continue
            cx = self.left + colw * ci + colw / 2
            if rng is not None:
                self.items.append(("scribble", signature_points(rng, cx, y + sign_gap * 0.55, colw * 0.55)))
            self.text(cx - fb.getlength(signer) / 2, y + sign_gap, signer, "serif-bold", size)
            names.append(signer)
        self.truth.append(" ".join(names))
        self.y = y + sign_gap + 20

    # ---- renderers ----
    def render_pil(self, mode="L", ink=20, paper=255):
        img = Image.new(mode, self.size, paper if mode == "L" else (paper,) * 3)
        d = ImageDraw.Draw(img)
        for it in self.items:
            if it[0] == "text":
                _, x, y, s, font, size = it
                d.text((x, y), s, font=pil_font(font, size), fill=ink if mode == "L" else (ink,) * 3, anchor="ls")
            elif it[0] == "scribble":
                d.line(it[1], fill=60 if mode == "L" else (30, 40, 110), width=4, joint="curve")
            elif it[0] == "line":
                _, x0, y0, x1, y1, w = it
                d.line((x0, y0, x1, y1), fill=ink if mode == "L" else (ink,) * 3, width=w)
        return img

    def render_pdf(self, c):
        k = 72.0 / DPI
        H = self.size[1]
        for it in self.items:
            if it[0] == "text":
                _, x, y, s, font, size = it
                c.setFont(RL_FONTS[font], size * k)
                c.drawString(x * k, (H - y) * k, s)
            elif it[0] == "scribble":
                c.setStrokeColorRGB(0.12, 0.16, 0.43)
                c.setLineWidth(1.0)
                p = c.beginPath()
                pts = it[1]
                p.moveTo(pts[0][0] * k, (H - pts[0][1]) * k)
                for x, y in pts[1:]:
                    p.lineTo(x * k, (H - y) * k)
                c.drawPath(p, stroke=1, fill=0)
                c.setStrokeColorRGB(0, 0, 0)
            elif it[0] == "line":
                _, x0, y0, x1, y1, w = it
                c.setLineWidth(w * k)
                c.line(x0 * k, (H - y0) * k, x1 * k, (H - y1) * k)


RL_FONTS = {}


def register_rl_fonts():
    for key, name in (("serif", "LiberationSerif"), ("serif-bold", "LiberationSerif-Bold"),
                      ("sans", "DejaVuSans"), ("sans-bold", "DejaVuSans-Bold")):
        pdfmetrics.registerFont(TTFont(name, font_path(key)))
        RL_FONTS[key] = name


def signature_points(rng, cx, cy, width):
    pts = []
    n = 60
    x = cx - width / 2
    for i in range(n):
        t = i / (n - 1)
        x = cx - width / 2 + width * t
        y = cy + 28 * math.sin(t * math.pi * rng.uniform(3.5, 5.5) + rng.uniform(0, 1)) * (1 - 0.5 * t) \
            + rng.uniform(-6, 6)
        pts.append((x, y))
    return pts


# --------------------------------------------------------------------------
# Contract
# --------------------------------------------------------------------------
def contract_page(rng, digital=False):
    """The contract; `digital` lays field rows out inline ("Nama: ...") as a word processor would."""
    W = WORKER
    p = Page(margin=(240, 190, 240, 170))
    p.inline_fields = digital
    body = 46  # 11 pt at 300 DPI
    p.lead = 1.24
    p.heading("PERJANJIAN KERJA", size=60, after=10)
    p.center("Nomor: 017/PK-SMG/III/2025", size=body, after=24)
    p.para("Pada hari ini, Senin, tanggal 3 Maret 2025, bertempat di Sukabumi, kami yang bertanda tangan "
           "di bawah ini:", size=body)
    lw = 470
    p.truth.append("1.")
    p.text(p.left, p.y + body * p.lead, "1.", "serif", body)
    p.fields([("Nama Perusahaan", EMPLOYER["name"]),
              ("Alamat", EMPLOYER["address"]),
              ("Diwakili oleh", EMPLOYER["director"] + ", selaku Direktur")], lw, size=body, indent=70, after=6)
    p.para("selanjutnya disebut PIHAK PERTAMA.", size=body, indent=70, justify=False)
    p.truth.append("2.")
    p.text(p.left, p.y + body * p.lead, "2.", "serif", body)
    p.fields([("Nama", W["name"]),
              ("Tempat/Tgl. Lahir", W["birth_place"] + ", " + W["birth_date_text"]),
              ("NIK", W["nik"]),
              ("No. Paspor", W["passport"]),
              ("Alamat", W["address"]),
              ("Telepon", W["phone_text"]),
              ("Email", W["email"])], lw, size=body, indent=70, after=6)
    p.para("selanjutnya disebut PIHAK KEDUA.", size=body, indent=70, justify=False)
    p.para(f"Perekrutan dan penempatan PIHAK KEDUA dilaksanakan melalui agen {AGENCY['name']}, "
           f"{AGENCY['address']}, yang diwakili oleh {AGENCY['director']} (telepon {AGENCY['phone_text']}), "
           "selanjutnya disebut AGEN. Kedua belah pihak sepakat mengikatkan diri dalam perjanjian kerja "
           "dengan ketentuan sebagai berikut:", size=body)
    clauses = [
        ("Pasal 1 - Jabatan dan Tempat Kerja",
         f"PIHAK PERTAMA mempekerjakan PIHAK KEDUA sebagai Customer Service Online pada {SITE['name']} "
         f"yang berlokasi di {SITE['city']}, {SITE['country']}."),
        ("Pasal 2 - Jangka Waktu",
         "Perjanjian ini berlaku selama 12 (dua belas) bulan, terhitung sejak tanggal 15 Maret 2025 sampai "
         "dengan 14 Maret 2026, dan dapat diperpanjang atas kesepakatan kedua belah pihak."),
        ("Pasal 3 - Gaji dan Fasilitas",
         "PIHAK KEDUA menerima gaji pokok sebesar USD 1.200 (seribu dua ratus dolar Amerika Serikat) per "
         f"bulan, dibayarkan ke rekening Bank BRI nomor {W['bank_text']} atas nama PIHAK KEDUA. Tiket "
         "pesawat, tempat tinggal dan makan ditanggung oleh PIHAK PERTAMA."),
        ("Pasal 4 - Biaya Penempatan",
         "PIHAK KEDUA wajib membayar biaya penempatan sebesar Rp 15.000.000 (lima belas juta rupiah) "
         "kepada AGEN, yang dipotong dari gaji PIHAK KEDUA selama 6 (enam) bulan pertama."),
        ("Pasal 5 - Jam Kerja",
         "Jam kerja adalah 12 (dua belas) jam per hari dan 6 (enam) hari per minggu, lembur sesuai "
         "kebutuhan perusahaan."),
        ("Pasal 6 - Dokumen",
         "Selama masa perjanjian, paspor PIHAK KEDUA disimpan oleh PIHAK PERTAMA untuk keperluan "
         "pengurusan izin kerja dan izin tinggal."),
        ("Pasal 7 - Pemutusan Perjanjian",
         "Apabila PIHAK KEDUA mengakhiri perjanjian sebelum jangka waktu berakhir, PIHAK KEDUA wajib "
         "membayar denda sebesar USD 3.000 (tiga ribu dolar Amerika Serikat) kepada PIHAK PERTAMA."),
        ("Pasal 8 - Penyelesaian Perselisihan",
         "Perselisihan diselesaikan secara musyawarah atau melalui Pengadilan Negeri Jakarta Selatan."),
    ]
    for title, text in clauses:
        p.para(title, font="serif-bold", size=body, justify=False, after=0)
        p.para(text, size=body, after=8)
    p.para("Demikian perjanjian ini dibuat dalam rangkap dua, masing-masing bermeterai cukup, dan "
           "ditandatangani oleh para pihak dalam keadaan sadar tanpa paksaan.", size=body, after=10)
    p.para("Sukabumi, 3 Maret 2025", size=body, justify=False, after=6)
    p.columns([(["PIHAK PERTAMA", EMPLOYER["name"]], EMPLOYER["director"]),
               (["AGEN", AGENCY["name"]], AGENCY["director"]),
               (["PIHAK KEDUA"], W["name"])], size=40, sign_gap=140, rng=rng)
    return p


def contract_truth(p):
    return "\n".join(p.truth) + "\n"


# --------------------------------------------------------------------------
# Multi-page scan: agency letter, payment receipt, statement
# --------------------------------------------------------------------------
def letterhead(p, body):
    p.heading(AGENCY["name"].upper(), size=66, after=8)
    p.center("Agen Penyalur dan Pelatihan Tenaga Kerja", size=body, after=6)
    p.center(AGENCY["address"], size=40, after=4)
    p.center(f"Telp. {AGENCY['phone_text']}  Email: {AGENCY['email']}", size=40, after=24)
    p.items.append(("line", p.left, p.y, p.size[0] - p.right, p.y, 6))
    p.y += 30


def letter_pages(rng):
    W = WORKER
    body = 48
    pages = []

    p = Page()
    letterhead(p, body)
    p.heading("SURAT PANGGILAN KERJA", size=56, after=8)
    p.center("Nomor: 045/CKM/II/2025", size=body, after=40)
    p.para("Kepada Yth.", size=body, justify=False, after=0)
    p.para(f"Sdri. {W['name']}", size=body, justify=False, after=0)
    p.para("di Sukabumi", size=body, justify=False, after=30)
    p.para("Dengan hormat,", size=body, justify=False)
    p.para("Berdasarkan hasil seleksi tanggal 24 Februari 2025, Saudari dinyatakan LULUS dan diterima bekerja "
           f"sebagai Customer Service Online di {SITE['city']}, {SITE['country']}, dengan gaji USD 1.200 per bulan. "
           "Tiket pesawat, tempat tinggal dan makan ditanggung oleh perusahaan.", size=body)
    p.para("Keberangkatan dijadwalkan pada tanggal 14 Maret 2025 dari Bandara Soekarno-Hatta, Tangerang. "
           "Saudari diminta menyiapkan dokumen berikut:", size=body)
    for i, item in enumerate(["Kartu Tanda Penduduk (KTP) asli dan fotokopi;",
                              "Kartu Keluarga dan surat izin orang tua atau suami;",
                              "Pas foto berwarna ukuran 4x6 sebanyak 4 lembar;",
                              "Biaya proses sebesar Rp 7.500.000 (tujuh juta lima ratus ribu rupiah)."], 1):
        p.para(item, size=body, indent=80, justify=False, after=4, hanging=(f"{i}.", 60))
    p.gap(20)
    p.para(f"Biaya proses ditransfer ke rekening BCA nomor {AGENCY['bank_text']} atas nama "
           f"{AGENCY['director']} paling lambat tanggal 7 Maret 2025. Pendaftaran tidak dapat dibatalkan "
           "dan biaya yang telah dibayarkan tidak dapat dikembalikan.", size=body)
    p.para("Demikian surat panggilan ini kami sampaikan. Atas perhatiannya kami ucapkan terima kasih.", size=body)
    p.para("Sukabumi, 26 Februari 2025", size=body, justify=False, after=6)
    p.columns([([], ""), (["Hormat kami,", AGENCY["name"]], AGENCY["director"])], size=body, sign_gap=200, rng=rng)
    p.truth = [t for t in p.truth if t.strip()]
    pages.append(p)

    p = Page()
    letterhead(p, body)
    p.heading("KUITANSI", size=62, after=8)
    p.center("No. 112/KW/CKM/III/2025", size=body, after=50)
    p.fields([("Telah terima dari", W["name"]),
              ("NIK", W["nik"]),
              ("Uang sejumlah", "Rp 7.500.000"),
              ("Terbilang", "tujuh juta lima ratus ribu rupiah"),
              ("Untuk pembayaran", "biaya proses paspor, visa kerja, medical check up dan tiket pesawat "
                                   f"ke {SITE['city']}, {SITE['country']}"),
              ("Cara pembayaran", f"transfer ke rekening BCA {AGENCY['bank_text']} a.n. {AGENCY['director']}"),
              ("Tanggal transfer", "6 Maret 2025")], 560, size=body, lead=1.6, after=40)
    p.para("Catatan: biaya yang sudah dibayarkan tidak dapat dikembalikan dengan alasan apa pun.", size=body)
    p.para("Sukabumi, 6 Maret 2025", size=body, justify=False, after=6)
    p.columns([(["Penyetor,"], W["name"]), (["Penerima,"], AGENCY["director"])], size=body,
              sign_gap=200, rng=rng)
    pages.append(p)

    p = Page()
    p.heading("SURAT PERNYATAAN", size=62, after=40)
    p.para("Saya yang bertanda tangan di bawah ini:", size=body, justify=False)
    p.fields([("Nama", W["name"]),
              ("NIK", W["nik"]),
              ("Tempat/Tgl. Lahir", W["birth_place"] + ", " + W["birth_date_text"]),
              ("No. Paspor", W["passport"]),
              ("Alamat", W["address"]),
              ("No. HP", W["phone_text"])], 470, size=body, after=30)
    p.para("dengan ini menyatakan bahwa:", size=body, justify=False)
    items = [
        f"Saya berangkat bekerja ke {SITE['city']}, {SITE['country']}, atas kemauan sendiri tanpa paksaan "
        "dari pihak mana pun.",
        f"Saya tidak akan menuntut {AGENCY['name']} maupun {EMPLOYER['name']} apabila terjadi masalah di "
        "tempat kerja.",
        "Saya bersedia menyerahkan paspor kepada perusahaan selama masa kontrak kerja.",
        "Apabila saya pulang sebelum kontrak berakhir, saya bersedia membayar ganti rugi sebesar USD 3.000 "
        "(tiga ribu dolar Amerika Serikat).",
        "Saya tidak akan menghubungi keluarga atau pihak lain mengenai pekerjaan ini sebelum tiba di tempat kerja.",
    ]
    for i, item in enumerate(items, 1):
        p.para(item, size=body, indent=80, after=8, hanging=(f"{i}.", 60))
    p.gap(16)
    p.para("Demikian surat pernyataan ini saya buat dengan sebenarnya dalam keadaan sehat jasmani dan rohani.",
           size=body)
    p.para("Sukabumi, 6 Maret 2025", size=body, justify=False, after=6)
    p.columns([(["Saksi,"], AGENCY["director"]), (["Yang menyatakan,"], W["name"])], size=body,
              sign_gap=200, rng=rng)
    pages.append(p)
    return pages


# --------------------------------------------------------------------------
# Passport
# --------------------------------------------------------------------------
MONTHS_ID = ["JAN", "FEB", "MAR", "APR", "MEI", "JUN", "JUL", "AGU", "SEP", "OKT", "NOV", "DES"]
MONTHS_EN = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def vz_date(iso):
    y, m, d = iso.split("-")
    mi = int(m) - 1
    mon = MONTHS_EN[mi] if MONTHS_EN[mi] == MONTHS_ID[mi] else f"{MONTHS_ID[mi]}/{MONTHS_EN[mi]}"
    return f"{d} {mon} {y}"


def passport_image(rng):
    P = PASSPORT
    # ID-3 data page 125 x 88 mm at 300 DPI, on a slightly larger scanner crop.
    W, H = 1476, 1039
    page = Image.new("RGB", (W, H), (236, 241, 233))
    d = ImageDraw.Draw(page)
    # Guilloche-style security background: faint interleaved sine curves.
    for k in range(34):
        pts = []
        phase = k * 0.37
        amp = 22 + (k % 5) * 6
        for x in range(0, W + 8, 8):
            pts.append((x, 30 + k * 22 + amp * math.sin(x / 95.0 + phase)))
        d.line(pts, fill=(214, 226, 218) if k % 2 else (222, 218, 232), width=2)
    # Header
    d.rectangle((0, 0, W, 120), fill=(220, 230, 240))
    hdr = pil_font("sans-bold", 44)
    d.text((W / 2, 52), f"{P['country_name']}", font=hdr, fill=(20, 40, 80), anchor="ms")
    d.text((W / 2, 98), "PASSPORT / PASPOR", font=pil_font("sans-bold", 34), fill=(20, 40, 80), anchor="ms")
    # Photo placeholder (silhouette)
    px0, py0, px1, py1 = 60, 190, 400, 640
    d.rectangle((px0, py0, px1, py1), fill=(205, 210, 214), outline=(120, 120, 120), width=2)
    cx = (px0 + px1) / 2
    d.ellipse((cx - 85, py0 + 70, cx + 85, py0 + 270), fill=(120, 125, 132))
    d.pieslice((cx - 160, py0 + 290, cx + 160, py1 + 170), 180, 360, fill=(120, 125, 132))
    # Fields
    lab = pil_font("sans", 24)
    val = pil_font("sans-bold", 34)
    ink, lab_ink = (15, 15, 25), (60, 70, 90)
    x1, x2, x3 = 450, 820, 1130
    vz = {}

    def field(x, y, label, value):
        d.text((x, y), label, font=lab, fill=lab_ink, anchor="ls")
        d.text((x, y + 44), value, font=val, fill=ink, anchor="ls")
        vz[label] = f"{label} {value}"

    field(x1, 170, "Type/Jenis", P["type"])
    field(x2, 170, "Code/Kode", P["country"])
    field(x3, 170, "Passport No./No. Paspor", P["number"])
    field(x1, 260, "Surname/Nama", P["surname"])
    field(x1, 350, "Given names/Nama depan", P["given_names"])
    field(x1, 440, "Nationality/Kewarganegaraan", P["country_name"])
    field(x1, 530, "Date of birth/Tanggal lahir", vz_date(P["birth_date"]))
    field(x3, 530, "Sex/Jenis kelamin", P["sex"])
    field(x1, 620, "Place of birth/Tempat lahir", P["birth_place"])
    field(x1, 710, "Date of issue/Tanggal dikeluarkan", vz_date(P["issue_date"]))
    field(x3, 710, "Authority/Kantor", P["authority"])
    field(x1, 800, "Date of expiry/Tanggal habis berlaku", vz_date(P["expiry_date"]))
    # Signature
    d.text((60, 690), "Holder's signature/Tanda tangan", font=lab, fill=lab_ink, anchor="ls")
    # Reading order: header, the Type/Code row (labels, then values), the main column top to
    # bottom (the signature caption falls between place of birth and date of issue), the
    # right-hand column, then the MRZ.
    truth = [P["country_name"], "PASSPORT / PASPOR", "Type/Jenis Code/Kode", f"{P['type']} {P['country']}"]
    truth += [vz[k] for k in ("Surname/Nama", "Given names/Nama depan", "Nationality/Kewarganegaraan",
                              "Date of birth/Tanggal lahir", "Place of birth/Tempat lahir")]
    truth.append("Holder's signature/Tanda tangan")
    truth += [vz[k] for k in ("Date of issue/Tanggal dikeluarkan", "Date of expiry/Tanggal habis berlaku",
                              "Passport No./No. Paspor", "Sex/Jenis kelamin", "Authority/Kantor")]
    sig = signature_points(rng, 230, 760, 280)
    d.line(sig, fill=(30, 40, 110), width=3, joint="curve")
    # MRZ band (white-ish) with OCR-B, 10 characters per inch (30 px pitch)
    d.rectangle((0, 850, W, H), fill=(246, 248, 244))
    l1, l2 = td3_mrz(P)
    size = 10
    while pil_font("ocrb", size + 1).getlength("<" * 44) <= 44 * 30:
        size += 1
    mf = pil_font("ocrb", size)
    mx = (W - mf.getlength(l1)) / 2
    d.text((mx, 925), l1, font=mf, fill=(10, 10, 10), anchor="ls")
    d.text((mx, 1000), l2, font=mf, fill=(10, 10, 10), anchor="ls")
    truth += [l1, l2]
    # Put the page on a scanner bed.
    bed = Image.new("RGB", (W + 120, H + 120), (250, 250, 250))
    bed.paste(page, (60, 60))
    img = scan(bed, rng, angle=1.1, noise_sigma=2.0, blur=0.5, jpeg_quality=80,
               background=(250, 250, 250), speckle_count=40, edge_shadow=False)
    return img, truth, (l1, l2), (0, 915, W + 120, 1095)


# --------------------------------------------------------------------------
# WhatsApp chat
# --------------------------------------------------------------------------
CHAT = [
    ("date", "3 Maret 2025"),
    ("in", "09:41", "Halo kak, masih cari kerja? Ada lowongan kerja di Kamboja, gaji USD 1.000 per bulan, "
                    "tiket ditanggung perusahaan."),
    ("out", "09:43", "Halo Bu, kerjanya apa ya? Saya belum punya pengalaman."),
    ("in", "09:44", "Cuma admin online kak, kerja di kantor, tidak perlu pengalaman. Makan dan mess gratis."),
    ("out", "09:46", "Berangkatnya kapan Bu? Harus punya paspor dulu?"),
    ("in", "09:47", "Paspor nanti kami uruskan. Cukup kirim foto KTP dan bayar biaya proses Rp 7.500.000 saja."),
    ("in", "09:48", "Kalau sudah sampai di Phnom Penh hubungi Pak Sokha di nomor +855 96 712 3456 ya."),
    ("out", "09:50", "Baik Bu, nomor saya +62 857-2291-4638, tolong kabari lewat WA."),
    ("in", "09:51", "Siap kak. Jangan bilang ke keluarga dulu ya, nanti ribet. Berangkat minggu depan."),
    ("out", "09:52", "Oke Bu, terima kasih."),
]


def chat_image(rng):
    W, H = 1080, 2400
    bg = (239, 234, 226)
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    # Faint wallpaper doodles
    for _ in range(160):
        x, y, r = rng.randrange(W), rng.randrange(260, H - 160), rng.randrange(10, 26)
        d.ellipse((x - r, y - r, x + r, y + r), outline=(229, 223, 214), width=3)
    # Status bar + header
    green = (0, 128, 105)
    d.rectangle((0, 0, W, 80), fill=(0, 112, 92))
    for i in range(4):  # signal bars
        d.rectangle((870 + i * 16, 52 - i * 8, 880 + i * 16, 60), fill=(255, 255, 255))
    d.rectangle((960, 30, 1010, 58), outline=(255, 255, 255), width=3)
    d.rectangle((964, 34, 995, 54), fill=(255, 255, 255))
    d.rectangle((0, 80, W, 250), fill=green)
    d.line([(62, 165), (34, 165)], fill=(255, 255, 255), width=6)
    d.line([(34, 165), (52, 145)], fill=(255, 255, 255), width=6)
    d.line([(34, 165), (52, 185)], fill=(255, 255, 255), width=6)
    d.ellipse((84, 115, 184, 215), fill=(200, 205, 210))
    d.ellipse((116, 130, 152, 166), fill=(150, 155, 160))
    d.pieslice((100, 170, 168, 240), 180, 360, fill=(150, 155, 160))
    title = RECRUITER_CHAT["title"]
    d.text((210, 160), title, font=pil_font("sans-bold", 46), fill=(255, 255, 255), anchor="ls")
    d.text((210, 210), "online", font=pil_font("sans", 32), fill=(230, 245, 240), anchor="ls")
    for i in range(3):  # menu dots
        d.ellipse((1030, 135 + i * 22, 1042, 147 + i * 22), fill=(255, 255, 255))
    truth = [title, "online"]

    msg_font = pil_font("sans", 39)
    time_font = pil_font("sans", 30)
    y = 285
    maxw = int(W * 0.80)
    for m in CHAT:
        if m[0] == "date":
            f = pil_font("sans", 32)
            tw = f.getlength(m[1])
            d.rounded_rectangle(((W - tw) / 2 - 28, y, (W + tw) / 2 + 28, y + 62), 16, fill=(255, 250, 225))
            d.text((W / 2, y + 44), m[1], font=f, fill=(80, 85, 90), anchor="ms")
            truth.append(m[1])
            y += 92
            continue
        side, t, text = m
        lines, cur = [], []
        for w in wrap_words(text):
            if cur and msg_font.getlength(" ".join(cur + [w])) > maxw - 60:
                lines.append(" ".join(cur))
                cur = [w]
            else:
                cur.append(w)
        lines.append(" ".join(cur))
        tail_w = time_font.getlength(t) + (58 if side == "out" else 0)
        lw = max(msg_font.getlength(l) for l in lines)
        lh = 51
        # The time sits on its own row under the text (as WhatsApp does when the last line is
        # long): sharing a text line with the message makes OCR misread the small time digits.
        height = len(lines) * lh + 42
        bw = max(lw, tail_w) + 60
        height += 10
        if side == "in":
            x0 = 36
            fill = (255, 255, 255)
        else:
            x0 = W - 36 - bw
            fill = (217, 253, 211)
        d.rounded_rectangle((x0, y, x0 + bw, y + height), 22, fill=fill)
        # bubble tail
        if side == "in":
            d.polygon([(x0 - 16, y), (x0 + 30, y), (x0 + 30, y + 30)], fill=fill)
        else:
            d.polygon([(x0 + bw + 16, y), (x0 + bw - 30, y), (x0 + bw - 30, y + 30)], fill=fill)
        ty = y + 14 + 39
        for ln in lines:
            d.text((x0 + 30, ty), ln.replace(NBSP, " "), font=msg_font, fill=(17, 27, 33), anchor="ls")
            ty += lh
        tx = x0 + bw - 26 - tail_w
        d.text((tx, y + height - 16), t, font=time_font, fill=(102, 119, 129), anchor="ls")
        if side == "out":  # double blue ticks
            bx = x0 + bw - 70
            by = y + height - 28
            for off in (0, 14):
                d.line([(bx + off, by), (bx + off + 8, by + 9), (bx + off + 26, by - 12)], fill=(83, 189, 235), width=4)
        truth.append(f"{text} {t}")
        y += height + 16
    # Input bar
    d.rectangle((0, H - 150, W, H), fill=bg)
    d.rounded_rectangle((24, H - 130, W - 150, H - 36), 47, fill=(255, 255, 255))
    d.text((100, H - 68), "Ketik pesan", font=pil_font("sans", 38), fill=(134, 150, 160), anchor="ls")
    d.ellipse((W - 130, H - 132, W - 30, H - 32), fill=green)
    d.rectangle((W - 88, H - 104, W - 72, H - 70), fill=(255, 255, 255))
    truth.append("Ketik pesan")
    assert y < H - 170, y
    # A screenshot forwarded through a messenger: mild JPEG recompression only.
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    out = out.convert("RGB").point([min(255, (v // 4) * 4 + 2) for v in range(256)] * 3)  # smaller PNG
    return out, truth


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------
def write_truth(name, lines):
    os.makedirs(TRUTH, exist_ok=True)
    base = os.path.splitext(name)[0]
    with open(os.path.join(TRUTH, base + ".txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip("\n") + "\n")
    return f"truth/{base}.txt"


def pdf_canvas(path, pagesize):
    # invariant=1: fixed creation date and document ID -> reproducible bytes.
    return rl_canvas.Canvas(path, pagesize=pagesize, invariant=1, pageCompression=1)


def ent(type_, text, normalized=None):
    return {"type": type_, "text": text, "normalized": normalized if normalized is not None else text}


def main():
    register_rl_fonts()
    W, A, E = WORKER, AGENCY, EMPLOYER
    docs = []

    # ---- passport ----
    img, ptruth, (l1, l2), mrz_box = passport_image(random.Random(SEED + 1))
    save_png(img, "passport_uto.png")
    P = PASSPORT
    docs.append({
        "file": "passport_uto.png", "kind": "passport", "pages": 1, "text_source": "ocr",
        "truth": write_truth("passport_uto.png", ptruth), "min_recall": 0.85,
        "mrz": {"format": "TD3", "lines": [l1, l2], "document_number": P["number"],
                "issuing_country": P["country"], "nationality": P["nationality"],
                "surname": P["surname"], "given_names": P["given_names"],
                "birth_date": P["birth_date"], "sex": P["sex"], "expiry_date": P["expiry_date"],
                "personal_number": P["personal_number"],
                "checks": {"document_number": True, "birth_date": True, "expiry_date": True,
                           "personal_number": True, "composite": True}, "valid": True},
        "mrz_band_px": list(mrz_box),
        "dpi": DPI,
        # Surname and given names are printed on separate lines (and joined in the MRZ).
        "pii": {"person": [P["surname"], P["given_names"]],
                "passport_number": [P["number"]],
                "national_id": [P["personal_number"]]},
        "labels": [ent("person", f"{P['surname']} {P['given_names']}", "RATNA SARI WIRADINATA"),
                   ent("passport_number", P["number"]),
                   ent("national_id", P["personal_number"]),
                   ent("location", P["birth_place"]),
                   ent("organization", P["authority"]),
                   ent("date", vz_date(P["birth_date"]), P["birth_date"]),
                   ent("date", vz_date(P["issue_date"]), P["issue_date"]),
                   ent("date", vz_date(P["expiry_date"]), P["expiry_date"])],
    })

    # ---- contract (scan + digital) ----
    cp = contract_page(random.Random(SEED + 2))
    assert cp.y < A4[1] - 120, f"contract overflows the page: {cp.y}"
    clean = cp.render_pil("L", ink=25, paper=250)
    save_png(scan(clean, random.Random(SEED + 3), angle=0.7, noise_sigma=2.0, blur=0.55,
                  jpeg_quality=78, background=250), "contract_scan.png")
    dp = contract_page(random.Random(SEED + 2), digital=True)
    assert dp.truth == cp.truth
    c = pdf_canvas(os.path.join(HERE, "contract_digital.pdf"), (A4[0] * 72 / DPI, A4[1] * 72 / DPI))
    c.setTitle("Perjanjian Kerja 017/PK-SMG/III/2025")
    c.setAuthor(E["name"])
    dp.render_pdf(c)
    c.showPage()
    c.save()
    ctruth = write_truth("contract_scan.png", cp.truth)
    write_truth("contract_digital.pdf", cp.truth)
    contract_pii = {
        "person": [W["name"], E["director"], A["director"]],
        "national_id": [W["nik"]],
        "passport_number": [W["passport"]],
        "phone": [W["phone"], A["phone"]],
        "email": [W["email"]],
        "bank_account": [W["bank"]],
    }
    contract_labels = [
        ent("organization", E["name"]), ent("organization", A["name"]), ent("organization", SITE["name"]),
        ent("organization", "Bank BRI"), ent("organization", "Pengadilan Negeri Jakarta Selatan"),
        ent("person", E["director"]), ent("person", W["name"]), ent("person", A["director"]),
        ent("location", "Sukabumi"), ent("location", "Jakarta Selatan"),
        ent("location", "Phnom Penh"), ent("location", "Kamboja", "Cambodia"),
        ent("national_id", W["nik"]), ent("passport_number", W["passport"]),
        ent("phone", W["phone_text"], W["phone"]), ent("phone", A["phone_text"], A["phone"]),
        ent("email", W["email"]), ent("bank_account", W["bank_text"], W["bank"]),
        ent("money", "USD 1.200", "USD 1200"), ent("money", "Rp 15.000.000", "IDR 15000000"),
        ent("money", "USD 3.000", "USD 3000"),
        ent("date", "3 Maret 2025", "2025-03-03"), ent("date", W["birth_date_text"], W["birth_date"]),
        ent("date", "15 Maret 2025", "2025-03-15"), ent("date", "14 Maret 2026", "2026-03-14"),
    ]
    contract_fields = {
        "employer": E["name"], "agency": A["name"], "worker": W["name"],
        "position": "Customer Service Online", "workplace": f"{SITE['city']}, {SITE['country']}",
        "salary": {"amount": 1200, "currency": "USD", "period": "month"},
        "duration": "12 bulan", "fees": [{"amount": 15000000, "currency": "IDR", "kind": "placement"},
                                         {"amount": 3000, "currency": "USD", "kind": "penalty"}],
        "clauses": 8,
    }
    docs.append({"file": "contract_scan.png", "kind": "contract", "pages": 1, "text_source": "ocr",
                 "truth": ctruth, "min_recall": 0.95, "dpi": DPI, "pii": contract_pii, "labels": contract_labels,
                 "contract": contract_fields})
    docs.append({"file": "contract_digital.pdf", "kind": "contract", "pages": 1, "text_source": "pdf-text",
                 "truth": "truth/contract_digital.txt", "min_recall": 0.98, "pii": contract_pii,
                 "labels": contract_labels, "contract": contract_fields})

    # ---- multi-page scan (images only) ----
    pages = letter_pages(random.Random(SEED + 4))
    srng = random.Random(SEED + 5)
    imgs = []
    for pg, angle in zip(pages, (0.4, -0.9, 1.3)):
        im = pg.render_pil("L", ink=30, paper=248)
        im = scan(im, srng, angle=angle, noise_sigma=2.0, blur=0.6, jpeg_quality=80, background=248)
        imgs.append(im.resize((A4[0] * 2 // 3, A4[1] * 2 // 3), Image.LANCZOS))  # 200 DPI
    imgs[0].save(os.path.join(HERE, "scan_multipage.pdf"), "PDF", save_all=True, append_images=imgs[1:],
                 resolution=200.0, quality=70, title="scan", creationDate=None, modDate=None)
    mtruth = [ln for pg in pages for ln in pg.truth]
    docs.append({
        "file": "scan_multipage.pdf", "kind": "other", "pages": 3, "text_source": "ocr",
        "truth": write_truth("scan_multipage.pdf", mtruth), "min_recall": 0.95, "dpi": 200,
        "page_kinds": ["letter", "receipt", "statement"],
        "pii": {"person": [W["name"], A["director"]], "national_id": [W["nik"]],
                "passport_number": [W["passport"]], "phone": [W["phone"], A["phone"]],
                "email": [A["email"]], "bank_account": [A["bank"]]},
        "labels": [
            ent("organization", A["name"]), ent("organization", E["name"]), ent("organization", "BCA"),
            ent("person", W["name"]), ent("person", A["director"]),
            ent("location", "Sukabumi"), ent("location", "Phnom Penh"), ent("location", "Kamboja", "Cambodia"),
            ent("location", "Bandara Soekarno-Hatta"), ent("location", "Tangerang"),
            ent("phone", A["phone_text"], A["phone"]), ent("phone", W["phone_text"], W["phone"]),
            ent("email", A["email"]), ent("national_id", W["nik"]), ent("passport_number", W["passport"]),
            ent("bank_account", A["bank_text"], A["bank"]),
            ent("money", "USD 1.200", "USD 1200"), ent("money", "Rp 7.500.000", "IDR 7500000"),
            ent("money", "USD 3.000", "USD 3000"),
            ent("date", "24 Februari 2025", "2025-02-24"), ent("date", "14 Maret 2025", "2025-03-14"),
            ent("date", "7 Maret 2025", "2025-03-07"), ent("date", "26 Februari 2025", "2025-02-26"),
            ent("date", "6 Maret 2025", "2025-03-06"), ent("date", W["birth_date_text"], W["birth_date"]),
        ],
    })

    # ---- chat ----
    cimg, chtruth = chat_image(random.Random(SEED + 6))
    save_png(cimg, "chat_whatsapp.png", dpi=72)
    R = RECRUITER_CHAT
    docs.append({
        "file": "chat_whatsapp.png", "kind": "chat", "pages": 1, "text_source": "ocr",
        "truth": write_truth("chat_whatsapp.png", chtruth), "min_recall": 0.95,
        "chat": {"app": "whatsapp", "title": R["title"],
                 "messages": [{"sender": "contact" if m[0] == "in" else "self", "time": m[1], "text": m[2]}
                              for m in CHAT if m[0] != "date"]},
        "pii": {"person": ["Rina", "Sokha"], "phone": [R["kh_phone"], W["phone"]]},
        "labels": [
            ent("person", "Rina"), ent("person", R["contact"], "Sokha"),
            ent("location", "Kamboja", "Cambodia"), ent("location", "Phnom Penh"),
            ent("phone", R["kh_phone_text"], R["kh_phone"]), ent("phone", W["phone_text"], W["phone"]),
            ent("money", "USD 1.000", "USD 1000"), ent("money", "Rp 7.500.000", "IDR 7500000"),
            ent("date", "3 Maret 2025", "2025-03-03"),
        ],
    })

    manifest = {
        "schema": "saksi.samples/1",
        "generator": "samples/generate.py",
        "seed": SEED,
        "conventions": {
            "truth": "UTF-8 text in reading order; one line per paragraph, field row or chat message "
                     "(message text followed by its time); multi-page documents concatenate pages in order",
            "labels.normalized": "phone E.164; date ISO 8601; money 'CUR amount' with ISO 4217 code and "
                                 "plain integer amount; bank_account and national_id digits only; "
                                 "other types the canonical text",
            "pii": "seeded sensitive values by type, normalized like labels, for redaction leak tests",
        },
        "documents": docs,
    }
    with open(os.path.join(GEN, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")
    for dd in docs:
        path = os.path.join(HERE, dd["file"])
        print(f"{dd['file']:24s} {os.path.getsize(path):>9d} bytes")


if __name__ == "__main__":
    main()
