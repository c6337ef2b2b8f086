#!/usr/bin/env python3
"""Generate Saksi's labelled evaluation set (invented people only).

    /usr/bin/python3 tests/eval/generate.py

writes tests/eval/docs/ (the documents) and tests/eval/labels.json:

    {"schema": "saksi.eval/1", "seed": ..., "documents": [
        {"file", "kind", "variant", "labels": [{type, text, normalized}, ...],
         "mrz": {...} or null}]}

The set is bigger and more varied than samples/: TD3 passports of the specimen
state UTO (MRZ in OCR-B with correct check digits), Indonesian employment
contracts (scanned PNG and digital PDF with a text layer), agency letters,
payment receipts (scanned PDFs: JPEG pages, no text layer), WhatsApp-style chats
(light and dark) and Telegram-style chats. Names, companies, places, numbers,
layouts, fonts (DejaVu Sans/Serif, Liberation Sans/Serif/Mono), sizes and scan
noise (rotation 0-1.5 degrees, blur, JPEG artefacts) vary per document.

Labels follow samples/.generator/manifest.json: money "USD 1200" / "IDR 15000000",
phone E.164, dates YYYY-MM-DD, bank accounts and NIKs digits only, persons
without honorifics, Indonesian country names normalized to English
("Kamboja" -> "Cambodia"). Each (type, normalized) appears once per document.

The layout engine, scan simulation and MRZ helpers are those of
samples/.generator/generate.py, imported (not copied). Deterministic: a fixed
seed drives every choice and the PDFs carry no timestamps.

Debian packages: python3-pil, python3-reportlab, fonts-ocr-b, fonts-dejavu-core,
fonts-liberation2.
"""
import importlib.util
import io
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DOCS = os.path.join(HERE, "docs")
SEED = 20261128

try:
    from PIL import Image, ImageDraw
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("generate.py needs python3-pil and python3-reportlab")


def load_sample_generator():
    path = os.path.join(ROOT, "samples", ".generator", "generate.py")
    sys.dont_write_bytecode = True  # leave no __pycache__ in samples/
    spec = importlib.util.spec_from_file_location("saksi_sample_generator", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


G = load_sample_generator()
Page, scan, pil_font, td3_mrz, vz_date = G.Page, G.scan, G.pil_font, G.td3_mrz, G.vz_date

# More faces than the samples use (the module's font table is extended in memory).
_LIB = "/usr/share/fonts/truetype/liberation2/"
_DJV = "/usr/share/fonts/truetype/dejavu/"
G.FONT_FILES.update({
    "lsans": [_LIB + "LiberationSans-Regular.ttf", "Liberation Sans"],
    "lsans-bold": [_LIB + "LiberationSans-Bold.ttf", "Liberation Sans:bold"],
    "mono": [_LIB + "LiberationMono-Regular.ttf", "Liberation Mono"],
    "mono-bold": [_LIB + "LiberationMono-Bold.ttf", "Liberation Mono:bold"],
    "dserif": [_DJV + "DejaVuSerif.ttf", "DejaVu Serif"],
    "dserif-bold": [_DJV + "DejaVuSerif-Bold.ttf", "DejaVu Serif:bold"],
})
FACES = [("serif", "serif-bold"), ("sans", "sans-bold"), ("lsans", "lsans-bold"),
         ("dserif", "dserif-bold"), ("mono", "mono-bold")]


def register_fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    G.register_rl_fonts()
    for key, name in (("lsans", "LiberationSans"), ("lsans-bold", "LiberationSans-Bold"),
                      ("mono", "LiberationMono"), ("mono-bold", "LiberationMono-Bold"),
                      ("dserif", "DejaVuSerif"), ("dserif-bold", "DejaVuSerif-Bold")):
        pdfmetrics.registerFont(TTFont(name, G.font_path(key)))
        G.RL_FONTS[key] = name


# --------------------------------------------------------------------------
# Invented people, organisations, places and numbers
# --------------------------------------------------------------------------
WORKERS = [  # name, sex, birth place, birth date, NIK region (province+regency+district)
    ("Rina Puspitasari", "F", "Indramayu", "1997-02-11", "321204"),
    ("Agus Setiawan Nugroho", "M", "Banyuwangi", "1993-10-05", "351012"),
    ("Wulan Dwi Handayani", "F", "Cirebon", "2000-06-23", "320907"),
    ("Yohanes Bria Seran", "M", "Kupang", "1995-12-30", "537103"),
    ("Fitri Ayu Kartikasari", "F", "Blitar", "1999-04-17", "350508"),
    ("Bayu Pratama Siregar", "M", "Medan", "1996-08-02", "127105"),
    ("Nur Aini Safitri", "F", "Cianjur", "2001-01-09", "320311"),
    ("Dimas Arya Wicaksono", "M", "Semarang", "1994-09-14", "337406"),
    ("Maria Goreti Luan", "F", "Pontianak", "1998-11-28", "617102"),
    ("Slamet Riyadi Purnomo", "M", "Cilacap", "1992-05-06", "330115"),
]
EMPLOYERS = [  # employer, director, foreign site, city, country (id text, normalized)
    ("PT Samudra Jaya Abadi", "Hartono Gunawan", "Golden Dragon Entertainment Co., Ltd.",
     "Sihanoukville", ("Kamboja", "Cambodia")),
    ("PT Mekar Lintas Nusantara", "Irawati Susanto", "Emerald Bay Resources Sdn Bhd",
     "Kuala Lumpur", ("Malaysia", "Malaysia")),
    ("PT Cakrawala Mitra Sentosa", "Budi Hermawan", "Pacific Link Services Inc.",
     "Manila", ("Filipina", "Philippines")),
    ("PT Tirta Kencana Global", "Lukas Tanoto", "Al Noor Facility Services LLC",
     "Dubai", ("Uni Emirat Arab", "United Arab Emirates")),
    ("PT Graha Prima Sejahtera", "Yuliana Kosasih", "Lucky Star Trading Co., Ltd.",
     "Bangkok", ("Thailand", "Thailand")),
    ("PT Nusa Bahari Internasional", "Teguh Santoso", "Royal Mekong Holdings Co., Ltd.",
     "Phnom Penh", ("Kamboja", "Cambodia")),
]
AGENCIES = [  # agency, director, city, domain
    ("CV Bintang Harapan Sejati", "Rudi Hartanto", "Indramayu", "bintangharapan"),
    ("CV Sumber Rezeki Makmur", "Sri Mulyani Astuti", "Banyuwangi", "sumberrezeki"),
    ("Yayasan Cahaya Insan Mandiri", "Ahmad Fauzi", "Cirebon", "cahayainsan"),
    ("CV Karya Bersama Abadi", "Margaretha Ndun", "Kupang", "karyabersama"),
    ("PT Duta Sinar Perkasa", "Hendro Saputro", "Blitar", "dutasinar"),
    ("CV Mitra Tenaga Utama", "Joko Susilo", "Semarang", "mitratenaga"),
]
BANKS = [("BCA", 10), ("BRI", 15), ("BNI", 10), ("Mandiri", 13)]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
ID_MOBILE = ["812", "813", "821", "822", "852", "853", "857", "858", "878", "896", "895", "838"]
FOREIGN_PHONES = {  # country -> (formatter of random digits)
    "Cambodia": lambda r: f"+855 {r.choice(['96', '97', '88', '92'])} {r.randint(100, 999)} {r.randint(1000, 9999)}",
    "Malaysia": lambda r: f"+60 12-{r.randint(100, 999)} {r.randint(1000, 9999)}",
    "Philippines": lambda r: f"+63 917 {r.randint(100, 999)} {r.randint(1000, 9999)}",
    "United Arab Emirates": lambda r: f"+971 50 {r.randint(100, 999)} {r.randint(1000, 9999)}",
    "Thailand": lambda r: f"+66 81 {r.randint(100, 999)} {r.randint(1000, 9999)}",
}


def lab(type_, text, normalized=None):
    return {"type": type_, "text": text, "normalized": text if normalized is None else normalized}


def id_date(iso):
    y, m, d = iso.split("-")
    return f"{int(d)} {MONTHS[int(m) - 1]} {y}"


def en_date(iso):
    y, m, d = iso.split("-")
    return f"{EN_MONTHS[int(m) - 1]} {int(d)}, {y}"


def e164(text):
    return "+" + "".join(c for c in text if c.isdigit()) if text.startswith("+") else \
        "+62" + "".join(c for c in text if c.isdigit())[1:]


def id_phone(rng, national=False):
    digits = rng.choice(ID_MOBILE) + f"{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}"
    text = f"0{digits[:3]}-{digits[3:7]}-{digits[7:]}" if national else \
        f"+62 {digits[:3]}-{digits[3:7]}-{digits[7:]}"
    return text, "+62" + digits


def nik(region, birth, sex, rng):
    y, m, d = birth.split("-")
    day = int(d) + (40 if sex == "F" else 0)
    return f"{region}{day:02d}{m}{y[2:]}{rng.randint(1, 40):04d}"


def bank_account(rng, bank):
    name, n = bank
    digits = "".join(str(rng.randint(0, 9)) for _ in range(n))
    digits = str(rng.randint(1, 9)) + digits[1:]
    if n == 15:
        text = f"{digits[:4]}-{digits[4:6]}-{digits[6:12]}-{digits[12:14]}-{digits[14]}"
    elif n == 13:
        text = f"{digits[:3]}-{digits[3:5]}-{digits[5:12]}-{digits[12]}"
    else:
        text = digits
    return text, digits


def rupiah(amount):
    return "Rp " + f"{amount:,}".replace(",", "."), f"IDR {amount}"


def usd(amount, prefix="USD"):
    return f"{prefix} " + f"{amount:,}".replace(",", "."), f"USD {amount}"


def add_days(iso, days):
    import datetime
    return (datetime.date.fromisoformat(iso) + datetime.timedelta(days=days)).isoformat()


class Case:
    """One document's invented parties and numbers, with labels collected on use."""

    def __init__(self, rng, i):
        self.rng = rng
        w = WORKERS[i % len(WORKERS)]
        self.worker, self.sex, self.birth_place, self.birth_date, region = w
        self.nik = nik(region, self.birth_date, self.sex, rng)
        self.passport = rng.choice("BCEX") + f"{rng.randint(1000000, 9999999)}"
        self.phone_text, self.phone = id_phone(rng, national=rng.random() < 0.4)
        first = self.worker.split()[0].lower()
        self.email = f"{first}.{rng.randint(10, 99)}@example.com"
        e = EMPLOYERS[(i * 5 + 1) % len(EMPLOYERS)]
        self.employer, self.director, self.site, self.city, (self.country, self.country_en) = e
        a = AGENCIES[(i * 7 + 2) % len(AGENCIES)]
        self.agency, self.agent, self.agency_city, domain = a
        self.agency_email = f"rekrutmen@{domain}.example.org"
        self.agency_url = f"https://www.{domain}.example.org"
        self.agency_phone_text, self.agency_phone = id_phone(rng)
        self.bank = BANKS[rng.randrange(len(BANKS))]
        self.bank_text, self.bank_digits = bank_account(rng, self.bank)
        self.abank = BANKS[rng.randrange(len(BANKS))]
        self.abank_text, self.abank_digits = bank_account(rng, self.abank)
        self.foreign_text = FOREIGN_PHONES[self.country_en](rng)
        self.foreign = e164(self.foreign_text)
        self.salary = rng.choice([800, 900, 1000, 1100, 1200, 1500])
        self.fee = rng.choice([5, 6, 7, 8, 12, 15]) * 1_000_000 + rng.choice([0, 500_000])
        self.penalty = rng.choice([2000, 2500, 3000, 5000])
        self.sign_date = f"2025-{rng.randint(1, 9):02d}-{rng.randint(1, 20):02d}"
        self.start = add_days(self.sign_date, rng.randint(7, 20))
        self.labels = []

    def label(self, type_, text, normalized=None):
        entry = lab(type_, text, normalized)
        key = (type_, json.dumps(entry["normalized"]))
        if key not in {(l["type"], json.dumps(l["normalized"])) for l in self.labels}:
            self.labels.append(entry)
        return text


# --------------------------------------------------------------------------
# Scanned and digital pages
# --------------------------------------------------------------------------
def scanned(page, rng, ink=25, paper=250):
    """Render, scan (rotation 0-1.5 deg either way, blur, noise, JPEG) and go to 200 DPI."""
    img = page.render_pil("L", ink=ink, paper=paper)
    angle = rng.uniform(0.0, 1.5) * rng.choice((-1, 1))
    img = scan(img, rng, angle=angle, noise_sigma=rng.uniform(1.0, 2.0), blur=rng.uniform(0.35, 0.8),
               jpeg_quality=rng.randint(62, 85), background=paper, speckle_count=rng.randint(20, 120),
               edge_shadow=rng.random() < 0.5, levels_step=1)
    return img.resize((page.size[0] * 2 // 3, page.size[1] * 2 // 3), Image.LANCZOS)


def save_png(img, name, dpi, levels=16):
    """Quantised PNG: `levels` grey levels (a scan's noise is what makes a PNG big)."""
    step = 256 // levels
    lut = [min(255, (v // step) * step + step // 2) for v in range(256)]
    img = img.point(lut * (1 if img.mode == "L" else 3))
    img.save(os.path.join(DOCS, name), "PNG", optimize=True, dpi=(dpi, dpi))


def save_scan_pdf(imgs, name, quality):
    imgs[0].save(os.path.join(DOCS, name), "PDF", save_all=True, append_images=imgs[1:],
                 resolution=200.0, quality=quality, title="scan", creationDate=None, modDate=None)


def contract(c, face, body, digital):
    font, bold = face
    p = Page(margin=(230, 180, 230, 160))
    p.inline_fields = digital
    p.lead = 1.24
    num = f"{c.rng.randint(10, 99):03d}/PK/{c.sign_date[5:7]}/2025"
    p.heading("PERJANJIAN KERJA", font=bold, size=body + 14, after=10)
    p.center(f"Nomor: {num}", font=font, size=body, after=22)
    p.para(f"Pada hari ini, tanggal {c.label('date', id_date(c.sign_date), c.sign_date)}, bertempat di "
           f"{c.label('location', c.agency_city)}, kami yang bertanda tangan di bawah ini:", font=font, size=body)
    lw = int(body * 9.8)
    p.text(p.left, p.y + body * p.lead, "1.", font, body)
    p.truth.append("1.")
    p.fields([("Nama Perusahaan", c.label("organization", c.employer)),
              ("Diwakili oleh", c.label("person", c.director) + ", selaku Direktur")],
             lw, font=font, size=body, indent=70, after=6)
    p.para("selanjutnya disebut PIHAK PERTAMA.", font=font, size=body, indent=70, justify=False)
    p.text(p.left, p.y + body * p.lead, "2.", font, body)
    p.truth.append("2.")
    p.fields([("Nama", c.label("person", c.worker)),
              ("Tempat/Tgl. Lahir", f"{c.label('location', c.birth_place)}, "
                                    f"{c.label('date', id_date(c.birth_date), c.birth_date)}"),
              ("NIK", c.label("national_id", c.nik)),
              ("No. Paspor", c.label("passport_number", c.passport)),
              ("Telepon", c.label("phone", c.phone_text, c.phone)),
              ("Email", c.label("email", c.email))], lw, font=font, size=body, indent=70, after=6)
    p.para("selanjutnya disebut PIHAK KEDUA.", font=font, size=body, indent=70, justify=False)
    p.para(f"Perekrutan PIHAK KEDUA dilaksanakan melalui {c.label('organization', c.agency)} yang diwakili "
           f"oleh {c.label('person', c.agent)} (telepon {c.label('phone', c.agency_phone_text, c.agency_phone)}), "
           "selanjutnya disebut AGEN.", font=font, size=body)
    salary_text, salary = usd(c.salary)
    fee_text, fee = rupiah(c.fee)
    pen_text, pen = usd(c.penalty)
    end = add_days(c.start, 364)
    clauses = [
        ("Pasal 1 - Jabatan dan Tempat Kerja",
         f"PIHAK PERTAMA mempekerjakan PIHAK KEDUA sebagai operator pada {c.label('organization', c.site)} di "
         f"{c.label('location', c.city)}, {c.label('location', c.country, c.country_en)}."),
        ("Pasal 2 - Jangka Waktu",
         f"Perjanjian ini berlaku 12 (dua belas) bulan, sejak tanggal {c.label('date', id_date(c.start), c.start)} "
         f"sampai dengan {c.label('date', id_date(end), end)}."),
        ("Pasal 3 - Gaji",
         f"PIHAK KEDUA menerima gaji sebesar {c.label('money', salary_text, salary)} per bulan, dibayarkan ke "
         f"rekening {c.label('organization', 'Bank ' + c.bank[0])} nomor "
         f"{c.label('bank_account', c.bank_text, c.bank_digits)} atas nama "
         "PIHAK KEDUA."),
        ("Pasal 4 - Biaya Penempatan",
         f"PIHAK KEDUA membayar biaya penempatan sebesar {c.label('money', fee_text, fee)} kepada AGEN, "
         "yang dipotong dari gaji selama 6 (enam) bulan pertama."),
        ("Pasal 5 - Dokumen",
         "Selama masa perjanjian, paspor PIHAK KEDUA disimpan oleh PIHAK PERTAMA."),
        ("Pasal 6 - Pemutusan",
         f"Apabila PIHAK KEDUA mengakhiri perjanjian lebih awal, PIHAK KEDUA membayar denda sebesar "
         f"{c.label('money', pen_text, pen)} kepada PIHAK PERTAMA."),
    ]
    for title, text in clauses:
        p.para(title, font=bold, size=body, justify=False, after=0)
        p.para(text, font=font, size=body, after=8)
    p.para(f"{c.agency_city}, {id_date(c.sign_date)}", font=font, size=body, justify=False, after=6)
    p.columns([(["PIHAK PERTAMA"], c.director), (["AGEN"], c.agent), (["PIHAK KEDUA"], c.worker)],
              font=font, size=body - 6, sign_gap=130, rng=c.rng)
    assert p.y < p.size[1] - 100, f"contract overflows: {p.y}"
    return p


def letterhead(c, p, face, body):
    font, bold = face
    p.heading(c.label("organization", c.agency).upper(), font=bold, size=body + 16, after=8)
    p.center("Agen Penyalur Tenaga Kerja", font=font, size=body - 4, after=6)
    p.center(f"Telp. {c.label('phone', c.agency_phone_text, c.agency_phone)}  "
             f"Email: {c.label('email', c.agency_email)}", font=font, size=body - 6, after=6)
    p.center(c.label("url", c.agency_url), font=font, size=body - 6, after=22)
    p.items.append(("line", p.left, p.y, p.size[0] - p.right, p.y, 6))
    p.y += 30


def letter(c, face, body):
    font, bold = face
    p = Page()
    letterhead(c, p, face, body)
    p.heading("SURAT PANGGILAN KERJA", font=bold, size=body + 8, after=8)
    p.center(f"Nomor: {c.rng.randint(10, 99):03d}/SPK/2025", font=font, size=body, after=36)
    honor = "Sdri." if c.sex == "F" else "Sdr."
    p.para("Kepada Yth.", font=font, size=body, justify=False, after=0)
    p.para(f"{honor} {c.label('person', c.worker)}", font=font, size=body, justify=False, after=0)
    p.para(f"di {c.label('location', c.birth_place)}", font=font, size=body, justify=False, after=28)
    p.para("Dengan hormat,", font=font, size=body, justify=False)
    sal_text, sal = usd(c.salary, c.rng.choice(["USD", "US$"]))
    p.para(f"Berdasarkan hasil seleksi, Saudara dinyatakan diterima bekerja di {c.label('organization', c.site)}, "
           f"{c.label('location', c.city)}, {c.label('location', c.country, c.country_en)}, dengan gaji "
           f"{c.label('money', sal_text, sal)} per bulan.", font=font, size=body)
    fee_text, fee = rupiah(c.fee)
    due = add_days(c.sign_date, -3)
    p.para(f"Biaya proses sebesar {c.label('money', fee_text, fee)} ditransfer ke rekening "
           f"{c.label('organization', c.abank[0])} nomor "
           f"{c.label('bank_account', c.abank_text, c.abank_digits)} atas nama {c.label('person', c.agent)} paling "
           f"lambat tanggal {c.label('date', id_date(due), due)}.", font=font, size=body)
    p.para(f"Keberangkatan dijadwalkan tanggal {c.label('date', id_date(c.start), c.start)}. Setibanya di tujuan, "
           f"hubungi koordinator di nomor {c.label('phone', c.foreign_text, c.foreign)}.", font=font, size=body)
    p.para("Demikian surat ini kami sampaikan. Atas perhatiannya kami ucapkan terima kasih.", font=font, size=body)
    issued = add_days(c.sign_date, -6)
    p.para(f"{c.label('location', c.agency_city)}, {c.label('date', id_date(issued), issued)}", font=font,
           size=body, justify=False, after=6)
    p.columns([([], ""), (["Hormat kami,", c.agency], c.agent)], font=font, size=body, sign_gap=190, rng=c.rng)
    return p


def receipt(c, face, body):
    font, bold = face
    p = Page()
    letterhead(c, p, face, body)
    p.heading("KUITANSI", font=bold, size=body + 12, after=8)
    p.center(f"No. {c.rng.randint(100, 999)}/KW/2025", font=font, size=body, after=44)
    fee_text, fee = rupiah(c.fee)
    paid = add_days(c.sign_date, -2)
    p.fields([("Telah terima dari", c.label("person", c.worker)),
              ("NIK", c.label("national_id", c.nik)),
              ("No. HP", c.label("phone", c.phone_text, c.phone)),
              ("Uang sejumlah", c.label("money", fee_text, fee)),
              ("Untuk pembayaran", f"biaya proses paspor, visa dan tiket ke {c.label('location', c.city)}, "
                                   f"{c.label('location', c.country, c.country_en)}"),
              ("Cara pembayaran", f"transfer ke rekening {c.label('organization', c.abank[0])} "
                                  f"{c.label('bank_account', c.abank_text, c.abank_digits)}"),
              ("Tanggal", c.label("date", id_date(paid), paid))], int(body * 11.5), font=font, size=body,
             lead=1.55, after=36)
    p.para("Catatan: biaya yang sudah dibayarkan tidak dapat dikembalikan.", font=font, size=body)
    p.para(f"{c.label('location', c.agency_city)}, {id_date(paid)}", font=font, size=body, justify=False,
           after=6)
    p.columns([(["Penyetor,"], c.worker), (["Penerima,", c.agency], c.label("person", c.agent))], font=font, size=body,
              sign_gap=190, rng=c.rng)
    return p


# --------------------------------------------------------------------------
# Passports (TD3, specimen state UTO)
# --------------------------------------------------------------------------
SURNAMES = ["HALIMATUN", "SURYAPUTRA", "KARTADINATA", "MANGUNSONG", "PRAWIRANEGARA", "LIMBONG",
            "SETIABUDI", "NASUTION", "WIJAYAKUSUMA", "TAMBUNAN"]
GIVEN = ["NUR AISYAH", "BIMA", "LARASATI DEWI", "ANDREAS", "SEKAR AYU", "RAHMAT HIDAYAT", "PUTRI", "YOSEF",
         "INDAH", "GALIH PERMANA"]
TOWNS = ["KOTA MERDEKA", "BANDAR SENTOSA", "TANJUNG HARAPAN", "PURWASARI", "BUKIT INDAH", "SUNGAI JERNIH"]


def passport(c, i):
    rng = c.rng
    surname, given = SURNAMES[i % len(SURNAMES)], GIVEN[(i * 3) % len(GIVEN)]
    sex = rng.choice("MF")
    birth = f"{rng.randint(1975, 2003)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    issue = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    expiry = add_days(issue, 365 * 10 - 1)
    number = rng.choice(["U", "X", "C"]) + f"{rng.randint(1000000, 9999999)}" + rng.choice(["", "", "A", "7"])
    personal = rng.choice(["", "ZQ" + f"{rng.randint(1000000, 9999999)}", f"{rng.randint(10**8, 10**9 - 1)}"])
    P = {"type": "P", "country": "UTO", "surname": surname, "given_names": given, "number": number,
         "nationality": "UTO", "birth_date": birth, "sex": sex, "expiry_date": expiry,
         "personal_number": personal}
    l1, l2 = td3_mrz(P)
    W, H = 1476, 1039
    tint = rng.choice([(236, 241, 233), (240, 236, 228), (232, 238, 246), (244, 240, 244)])
    page = Image.new("RGB", (W, H), tint)
    d = ImageDraw.Draw(page)
    for k in range(34):
        amp, phase = 18 + (k % 5) * 6, k * rng.uniform(0.2, 0.5)
        pts = [(x, 30 + k * 22 + amp * math.sin(x / 95.0 + phase)) for x in range(0, W + 8, 8)]
        d.line(pts, fill=tuple(max(0, v - 18) for v in tint), width=2)
    face = rng.choice([("sans", "sans-bold"), ("lsans", "lsans-bold"), ("dserif", "dserif-bold")])
    d.rectangle((0, 0, W, 120), fill=(220, 228, 238))
    d.text((W / 2, 52), "UTOPIA", font=pil_font(face[1], 44), fill=(20, 40, 80), anchor="ms")
    d.text((W / 2, 98), "PASSPORT / PASPOR", font=pil_font(face[1], 34), fill=(20, 40, 80), anchor="ms")
    photo_left = rng.random() < 0.7
    px0 = 60 if photo_left else W - 400
    d.rectangle((px0, 190, px0 + 340, 640), fill=(205, 210, 214), outline=(120, 120, 120), width=2)
    cx = px0 + 170
    d.ellipse((cx - 85, 260, cx + 85, 460), fill=(120, 125, 132))
    d.pieslice((cx - 160, 480, cx + 160, 810), 180, 360, fill=(120, 125, 132))
    labf, valf = pil_font(face[0], 24), pil_font(face[1], rng.choice([30, 32, 34]))
    x1 = 450 if photo_left else 60
    x3 = x1 + 680

    def field(x, y, label, value):
        d.text((x, y), label, font=labf, fill=(60, 70, 90), anchor="ls")
        d.text((x, y + 44), value, font=valf, fill=(15, 15, 25), anchor="ls")

    field(x1, 170, "Type/Jenis", "P")
    field(x1 + 300, 170, "Code/Kode", "UTO")
    field(x3, 170, "Passport No./No. Paspor", c.label("passport_number", number))
    field(x1, 260, "Surname/Nama", surname)
    field(x1, 350, "Given names/Nama depan", given)
    c.label("person", f"{surname} {given}", f"{given} {surname}")
    field(x1, 440, "Nationality/Kewarganegaraan", "UTOPIA")
    field(x1, 530, "Date of birth/Tanggal lahir", c.label("date", vz_date(birth), birth))
    field(x3, 530, "Sex/Jenis kelamin", sex)
    field(x1, 620, "Place of birth/Tempat lahir", c.label("location", TOWNS[i % len(TOWNS)]))
    field(x1, 710, "Date of issue/Tanggal dikeluarkan", c.label("date", vz_date(issue), issue))
    field(x3, 710, "Authority/Kantor", c.label("organization", "IMIGRASI UTOPIA"))
    field(x1, 800, "Date of expiry/Tanggal habis berlaku", c.label("date", vz_date(expiry), expiry))
    d.line(G.signature_points(rng, px0 + 170, 760, 260), fill=(30, 40, 110), width=3, joint="curve")
    d.rectangle((0, 850, W, H), fill=(246, 248, 244))
    size = 10
    while pil_font("ocrb", size + 1).getlength("<" * 44) <= 44 * 30:
        size += 1
    mf = pil_font("ocrb", size)
    mx = (W - mf.getlength(l1)) / 2
    d.text((mx, 925), l1, font=mf, fill=(10, 10, 10), anchor="ls")
    d.text((mx, 1000), l2, font=mf, fill=(10, 10, 10), anchor="ls")
    bed = Image.new("RGB", (W + 120, H + 120), (250, 250, 250))
    bed.paste(page, (60, 60))
    img = scan(bed.convert("L"), rng, angle=rng.uniform(0, 1.5) * rng.choice((-1, 1)),
               noise_sigma=rng.uniform(1.0, 2.0), blur=rng.uniform(0.3, 0.7), jpeg_quality=rng.randint(65, 85),
               background=250, speckle_count=40, edge_shadow=False, levels_step=1)
    mrz = {"format": "TD3", "lines": [l1, l2], "document_number": number, "issuing_country": "UTO",
           "nationality": "UTO", "surname": surname, "given_names": given, "birth_date": birth, "sex": sex,
           # null when empty, as the record schema has it
           "expiry_date": expiry, "personal_number": personal or None,
           "checks": {"document_number": True, "birth_date": True, "expiry_date": True,
                      "personal_number": True, "composite": True}, "valid": True}
    return img, mrz


# --------------------------------------------------------------------------
# Chats
# --------------------------------------------------------------------------
THEMES = {
    "whatsapp-light": dict(bg=(239, 234, 226), doodle=(229, 223, 214), bar=(0, 128, 105), status=(0, 112, 92),
                           title=(255, 255, 255), sub=(230, 245, 240), inb=(255, 255, 255),
                           outb=(217, 253, 211), text=(17, 27, 33), time=(102, 119, 129), date=(255, 250, 225),
                           datet=(80, 85, 90), sub_text="online", input=(255, 255, 255), tail=True),
    "whatsapp-dark": dict(bg=(11, 20, 26), doodle=(20, 30, 36), bar=(31, 44, 52), status=(24, 34, 41),
                          title=(233, 237, 239), sub=(134, 150, 160), inb=(32, 44, 51), outb=(0, 92, 75),
                          text=(233, 237, 239), time=(150, 165, 175), date=(24, 34, 41), datet=(134, 150, 160),
                          sub_text="online", input=(32, 44, 51), tail=True),
    "telegram-light": dict(bg=(207, 222, 199), doodle=(197, 214, 189), bar=(81, 125, 162), status=(70, 110, 145),
                           title=(255, 255, 255), sub=(214, 230, 242), inb=(255, 255, 255),
                           outb=(239, 253, 222), text=(0, 0, 0), time=(110, 140, 110), date=(170, 190, 160),
                           datet=(255, 255, 255), sub_text="last seen recently", input=(255, 255, 255),
                           tail=False),
    "telegram-dark": dict(bg=(14, 22, 33), doodle=(20, 30, 44), bar=(23, 33, 43), status=(20, 28, 37),
                          title=(245, 245, 245), sub=(110, 130, 150), inb=(24, 37, 51), outb=(43, 82, 120),
                          text=(245, 245, 245), time=(125, 150, 175), date=(30, 44, 58), datet=(200, 210, 220),
                          sub_text="last seen recently", input=(23, 33, 43), tail=False),
}


def chat_script(c, telegram, variant):
    """Messages (side, time, text) of a recruiter conversation, with labels."""
    rng = c.rng
    contact = c.agent.split()[0]
    day = c.sign_date
    sal_text, sal = usd(c.salary, rng.choice(["USD", "US$"]))
    fee_text, fee = rupiah(c.fee)
    hour, minute = rng.randint(8, 20), rng.randint(0, 30)

    def t():
        nonlocal minute
        minute += rng.randint(1, 3)
        return f"{hour:02d}:{minute:02d}"

    date_text = en_date(day) if telegram else id_date(day)
    msgs = [("date", c.label("date", date_text, day))]
    if variant % 2 == 0:  # first contact: the offer, the fee, the numbers
        msgs += [
            ("in", t(), f"Halo, saya {c.label('person', contact)} dari {c.label('organization', c.agency)}. Ada "
                        f"lowongan kerja di {c.label('location', c.city)}, gaji {c.label('money', sal_text, sal)} "
                        "per bulan."),
            ("out", t(), "Kerjanya apa ya? Saya belum punya pengalaman."),
            ("in", t(), "Cuma admin online, tidak perlu pengalaman. Tiket dan mess ditanggung."),
            ("in", t(), f"Bayar biaya proses {c.label('money', fee_text, fee)} saja, transfer ke rekening "
                        f"{c.label('organization', c.abank[0])} "
                        f"{c.label('bank_account', c.abank_text, c.abank_digits)}."),
            ("out", t(), f"Baik, nomor saya {c.label('phone', c.phone_text, c.phone)}, tolong kabari ya."),
            ("in", t(), f"Nanti di sana hubungi koordinator di {c.label('phone', c.foreign_text, c.foreign)}."),
            ("out", t(), "Oke, terima kasih."),
        ]
    else:  # before departure: documents, deductions, the contact abroad
        first = c.worker.split()[0]
        start = en_date(c.start) if telegram else id_date(c.start)
        msgs += [
            ("in", t(), f"Selamat pagi Kak {c.label('person', first)}, ini {c.label('person', contact)} dari "
                        f"{c.label('organization', c.agency)}. Tiket ke {c.label('location', c.city)} sudah siap."),
            ("in", t(), f"Berangkat tanggal {c.label('date', start, c.start)} ya."),
            ("out", t(), f"Paspor sudah jadi Bu, No. Paspor {c.label('passport_number', c.passport)}."),
            ("in", t(), f"Sisa biaya {c.label('money', fee_text, fee)} nanti dipotong dari gaji "
                        f"{c.label('money', sal_text, sal)} per bulan."),
            ("in", t(), f"Kirim scan KTP ke {c.label('email', c.agency_email)} hari ini."),
            ("out", t(), f"Siap, NIK saya {c.label('national_id', c.nik)}."),
            ("in", t(), f"Di bandara hubungi {c.label('phone', c.foreign_text, c.foreign)}."),
            ("out", t(), "Baik, terima kasih."),
        ]
    return msgs, contact


def chat(c, theme_name, variant):
    th = THEMES[theme_name]
    telegram = theme_name.startswith("telegram")
    rng = c.rng
    msgs, contact = chat_script(c, telegram, variant)
    title = f"{c.label('person', contact)} {rng.choice(['Loker', 'Agen', 'HRD'])}"
    W, H = 1080, rng.choice([2200, 2340, 2400])
    img = Image.new("RGB", (W, H), th["bg"])
    d = ImageDraw.Draw(img)
    for _ in range(120):
        x, y, r = rng.randrange(W), rng.randrange(260, H - 160), rng.randrange(10, 26)
        d.ellipse((x - r, y - r, x + r, y + r), outline=th["doodle"], width=3)
    d.rectangle((0, 0, W, 80), fill=th["status"])
    d.rectangle((0, 80, W, 250), fill=th["bar"])
    d.ellipse((84, 115, 184, 215), fill=(150, 160, 170))
    face = rng.choice([("sans", "sans-bold"), ("lsans", "lsans-bold")])
    d.text((210, 160), title, font=pil_font(face[1], 46), fill=th["title"], anchor="ls")
    d.text((210, 210), th["sub_text"], font=pil_font(face[0], 32), fill=th["sub"], anchor="ls")
    size = rng.choice([36, 38, 40])
    mf, tf = pil_font(face[0], size), pil_font(face[0], 28)
    y, maxw, lh = 285, int(W * 0.78), int(size * 1.3)
    for m in msgs:
        if m[0] == "date":
            f = pil_font(face[0], 32)
            tw = f.getlength(m[1])
            d.rounded_rectangle(((W - tw) / 2 - 28, y, (W + tw) / 2 + 28, y + 62), 30 if telegram else 16,
                                fill=th["date"])
            d.text((W / 2, y + 44), m[1], font=f, fill=th["datet"], anchor="ms")
            y += 92
            continue
        side, tm, text = m
        lines, cur = [], []
        for w in G.wrap_words(text):
            if cur and mf.getlength(" ".join(cur + [w])) > maxw - 60:
                lines.append(" ".join(cur))
                cur = [w]
            else:
                cur.append(w)
        lines.append(" ".join(cur))
        tail_w = tf.getlength(tm) + (50 if side == "out" else 0)
        bw = max(max(mf.getlength(ln) for ln in lines), tail_w) + 60
        height = len(lines) * lh + 52
        x0 = 36 if side == "in" else W - 36 - bw
        fill = th["inb"] if side == "in" else th["outb"]
        d.rounded_rectangle((x0, y, x0 + bw, y + height), 22 if th["tail"] else 30, fill=fill)
        if th["tail"]:
            if side == "in":
                d.polygon([(x0 - 16, y), (x0 + 30, y), (x0 + 30, y + 30)], fill=fill)
            else:
                d.polygon([(x0 + bw + 16, y), (x0 + bw - 30, y), (x0 + bw - 30, y + 30)], fill=fill)
        ty = y + 14 + size
        for ln in lines:
            d.text((x0 + 30, ty), ln.replace(G.NBSP, " "), font=mf, fill=th["text"], anchor="ls")
            ty += lh
        d.text((x0 + bw - 26 - tail_w, y + height - 14), tm, font=tf, fill=th["time"], anchor="ls")
        if side == "out":
            bx, by = x0 + bw - 66, y + height - 26
            for off in ((0, 14) if not telegram else (0,)):
                d.line([(bx + off, by), (bx + off + 8, by + 9), (bx + off + 24, by - 11)],
                       fill=(83, 189, 235) if not telegram else th["time"], width=4)
        y += height + 16
    assert y < H - 170, (theme_name, y)
    d.rectangle((0, H - 150, W, H), fill=th["bg"] if not telegram else th["input"])
    d.rounded_rectangle((24, H - 130, W - 150, H - 36), 47, fill=th["input"])
    d.text((100, H - 68), "Ketik pesan" if not telegram else "Message", font=pil_font(face[0], 38),
           fill=(134, 150, 160), anchor="ls")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rng.randint(70, 88))
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out.convert("RGB")


def save_chat(img, name):
    """Chat screenshots keep their colours, as a 48-colour palette PNG."""
    img.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        os.path.join(DOCS, name), "PNG", optimize=True)


# --------------------------------------------------------------------------
def main():
    register_fonts()
    os.makedirs(DOCS, exist_ok=True)
    for f in os.listdir(DOCS):
        os.remove(os.path.join(DOCS, f))
    rng = random.Random(SEED)
    plan = (["passport"] * 6 + ["contract_scan"] * 4 + ["contract_pdf"] * 3 + ["letter"] * 5 + ["receipt"] * 4
            + ["whatsapp-light"] * 3 + ["whatsapp-dark"] * 3 + ["telegram-light"] * 2 + ["telegram-dark"] * 2)
    documents = []
    for i, what in enumerate(plan):
        c = Case(random.Random(rng.getrandbits(64)), i)
        face = FACES[i % len(FACES)]
        body = c.rng.choice([40, 42, 44, 46, 48])
        mrz = None
        if what == "passport":
            img, mrz = passport(c, i)
            name, kind = f"{i:02d}_passport.png", "passport"
            save_png(img, name, 300)
        elif what == "contract_scan":
            name, kind = f"{i:02d}_contract_scan.png", "contract"
            save_png(scanned(contract(c, face, body, False), c.rng), name, 200)
        elif what == "contract_pdf":
            name, kind = f"{i:02d}_contract_digital.pdf", "contract"
            p = contract(c, face if face[0] != "mono" else FACES[0], body, True)
            cv = G.pdf_canvas(os.path.join(DOCS, name), (p.size[0] * 72 / G.DPI, p.size[1] * 72 / G.DPI))
            cv.setTitle("Perjanjian Kerja")
            p.render_pdf(cv)
            cv.showPage()
            cv.save()
        elif what in ("letter", "receipt"):
            name, kind = f"{i:02d}_{what}.pdf", "other"
            page = (letter if what == "letter" else receipt)(c, face, body)
            assert page.y < page.size[1] - 100, f"{name} overflows: {page.y}"
            save_scan_pdf([scanned(page, c.rng)], name, quality=c.rng.randint(55, 70))
        else:
            name, kind = f"{i:02d}_chat_{what.replace('-', '_')}.png", "chat"
            save_chat(chat(c, what, i), name)
        documents.append({"file": name, "kind": kind, "variant": what, "font": face[0], "labels": c.labels,
                          "mrz": mrz})
    with open(os.path.join(HERE, "labels.json"), "w", encoding="utf-8") as f:
        json.dump({"schema": "saksi.eval/1", "generator": "tests/eval/generate.py", "seed": SEED,
                   "conventions": "as samples/.generator/manifest.json; kind is the expected document.kind",
                   "documents": documents}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    total = 0
    for doc in documents:
        size = os.path.getsize(os.path.join(DOCS, doc["file"]))
        total += size
        print(f"{doc['file']:34s} {size:>9d} bytes  {len(doc['labels'])} labels")
    print(f"{len(documents)} documents, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
