#!/usr/bin/python3
"""Renders the parse_chat test screenshots: a dark-theme WhatsApp chat and a
Telegram chat (1080 x 2400, DejaVu Sans), plus expected.json with each one's
app, title and messages. The committed samples/ keep the light WhatsApp one.

Run from anywhere: /usr/bin/python3 make_chats.py  (Debian: python3-pil,
fonts-dejavu-core). Deterministic: the same PNG bytes on every run."""
import json
import os
import random

from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
FONTS = "/usr/share/fonts/truetype/dejavu/"
W, H = 1080, 2400


def font(bold, size):
    return ImageFont.truetype(FONTS + ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"), size)


THEMES = {
    "chat_whatsapp_dark.png": {
        "app": "whatsapp",
        "bg": (11, 20, 26), "doodle": (17, 27, 33),
        "bar": (31, 44, 52), "bar_text": (233, 237, 239), "status_text": (134, 150, 160),
        "in": (32, 44, 51), "out": (0, 92, 75), "ink": (233, 237, 239),
        "time_in": (134, 150, 160), "time_out": (160, 200, 190),
        "chip": (24, 34, 41), "chip_ink": (134, 150, 160),
        "input": (32, 44, 51), "placeholder": "Ketik pesan", "placeholder_ink": (134, 150, 160),
        "title": "Agen Bayu Malaysia", "status": "online", "date": "Hari ini", "tail": True,
        "messages": [
            ("in", "20:05", "Selamat malam, ini Bayu dari agensi. Lowongan pabrik di Johor masih buka."),
            ("out", "20:07", "Malam Pak, gajinya berapa?"),
            ("in", "20:08", "RM 1.800 sebulan, lembur dibayar. Paspor dipegang perusahaan selama kontrak."),
            ("in", "20:09", "Transfer biaya visa Rp 4.000.000 ke rekening BRI kami dulu ya."),
            ("out", "20:15", "Saya tanya keluarga dulu, besok saya kabari."),
            ("out", "20:16", "Nomor saya +62 812-3456-7890."),
        ],
    },
    "chat_telegram.png": {
        "app": "telegram",
        "bg": (205, 219, 178), "doodle": (196, 211, 168),
        "bar": (81, 125, 168), "bar_text": (255, 255, 255), "status_text": (210, 225, 240),
        "in": (255, 255, 255), "out": (239, 253, 222), "ink": (0, 0, 0),
        "time_in": (150, 160, 170), "time_out": (89, 168, 86),
        "chip": (150, 175, 130), "chip_ink": (255, 255, 255),
        "input": (255, 255, 255), "placeholder": "Pesan", "placeholder_ink": (150, 155, 160),
        "title": "Lowongan Kerja Dubai", "status": "terakhir dilihat baru saja", "date": "12 Mei",
        "tail": False,
        "messages": [
            ("in", "14:02", "Halo, kami buka lowongan housekeeping hotel di Dubai, gaji AED 2.500."),
            ("in", "14:03", "Berangkat pakai visa turis dulu, nanti diurus di sana."),
            ("out", "14:10", "Syaratnya apa saja?"),
            ("in", "14:12", "Kirim KTP, KK dan foto. Biaya penempatan Rp 12.000.000 dipotong gaji."),
            ("out", "14:20", "Baik, saya siapkan dokumennya minggu ini."),
        ],
    },
}


def wrap(text, f, maxw):
    lines, cur = [], []
    for w in text.split():
        if cur and f.getlength(" ".join(cur + [w])) > maxw:
            lines.append(" ".join(cur))
            cur = [w]
        else:
            cur.append(w)
    lines.append(" ".join(cur))
    return lines


def render(name, t):
    rng = random.Random(name)
    img = Image.new("RGB", (W, H), t["bg"])
    d = ImageDraw.Draw(img)
    for _ in range(120):
        x, y, r = rng.randrange(W), rng.randrange(260, H - 160), rng.randrange(10, 26)
        d.ellipse((x - r, y - r, x + r, y + r), outline=t["doodle"], width=3)
    d.rectangle((0, 0, W, 250), fill=t["bar"])
    for a, b in (((62, 165), (34, 165)), ((34, 165), (52, 145)), ((34, 165), (52, 185))):
        d.line([a, b], fill=t["bar_text"], width=6)
    d.ellipse((84, 115, 184, 215), fill=(200, 205, 210))
    d.text((210, 160), t["title"], font=font(True, 46), fill=t["bar_text"], anchor="ls")
    d.text((210, 210), t["status"], font=font(False, 32), fill=t["status_text"], anchor="ls")

    msg_font, time_font = font(False, 39), font(False, 30)
    y = 285
    f = font(False, 32)
    tw = f.getlength(t["date"])
    d.rounded_rectangle(((W - tw) / 2 - 28, y, (W + tw) / 2 + 28, y + 62), 16, fill=t["chip"])
    d.text((W / 2, y + 44), t["date"], font=f, fill=t["chip_ink"], anchor="ms")
    y += 92
    expected = []
    for side, hhmm, text in t["messages"]:
        lines = wrap(text, msg_font, int(W * 0.80) - 60)
        tail_w = time_font.getlength(hhmm) + (58 if side == "out" else 0)
        bw = max(max(msg_font.getlength(l) for l in lines), tail_w) + 60
        height = len(lines) * 51 + 52
        x0 = 36 if side == "in" else W - 36 - bw
        fill = t[side]
        d.rounded_rectangle((x0, y, x0 + bw, y + height), 22, fill=fill)
        if t["tail"]:
            if side == "in":
                d.polygon([(x0 - 16, y), (x0 + 30, y), (x0 + 30, y + 30)], fill=fill)
            else:
                d.polygon([(x0 + bw + 16, y), (x0 + bw - 30, y), (x0 + bw - 30, y + 30)], fill=fill)
        ty = y + 53
        for ln in lines:
            d.text((x0 + 30, ty), ln, font=msg_font, fill=t["ink"], anchor="ls")
            ty += 51
        ink = t["time_out"] if side == "out" else t["time_in"]
        d.text((x0 + bw - 26 - tail_w, y + height - 16), hhmm, font=time_font, fill=ink, anchor="ls")
        if side == "out":
            bx, by = x0 + bw - 70, y + height - 28
            for off in (0, 14):
                d.line([(bx + off, by), (bx + off + 8, by + 9), (bx + off + 26, by - 12)],
                       fill=(83, 189, 235) if t["app"] == "whatsapp" else ink, width=4)
        expected.append({"sender": "self" if side == "out" else "contact", "time": hhmm, "text": text})
        y += height + 16
    d.rectangle((0, H - 150, W, H), fill=t["bg"])
    d.rounded_rectangle((24, H - 130, W - 150, H - 36), 47, fill=t["input"])
    d.text((100, H - 68), t["placeholder"], font=font(False, 38), fill=t["placeholder_ink"], anchor="ls")
    d.ellipse((W - 130, H - 132, W - 30, H - 32), fill=t["bar"])
    img.save(os.path.join(HERE, name), optimize=True)
    return {"app": t["app"], "title": t["title"], "messages": expected}


def main():
    expected = {name: render(name, t) for name, t in THEMES.items()}
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as out:
        json.dump(expected, out, indent=2, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
