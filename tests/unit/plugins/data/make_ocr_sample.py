#!/usr/bin/python3
"""Renders ocr_sample.png, the ocr_tesseract unit test's page (synthetic text).

Run once with Debian's python3-pil and fonts-dejavu-core; the PNG is committed
so the test needs neither:  /usr/bin/python3 make_ocr_sample.py
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DPI = 200
LINES = [  # (text, y in pixels, point size)
    ("PERJANJIAN KERJA", 40, 16),
    ("Nama pekerja: Siti Aminah", 170, 12),
    ("Gaji pokok Rp 5.000.000 per bulan", 230, 12),
]

image = Image.new("L", (1100, 320), 255)
draw = ImageDraw.Draw(image)
for text, y, points in LINES:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", points * DPI // 72)
    draw.text((60, y), text, fill=0, font=font)
image.save(Path(__file__).with_name("ocr_sample.png"), dpi=(DPI, DPI), optimize=True)
