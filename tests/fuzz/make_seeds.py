#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/seeds/<target>/): a few
small valid and broken inputs of each kind, so that libFuzzer starts from
real structure. Committed; re-run only to change them. Needs python3-pil,
python3-reportlab and libarchive13 (for the 7z seed, through ctypes)."""
import ctypes
import io
import os
import shutil
import tarfile
import zipfile

from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "seeds")
HOSTILE = os.path.join(HERE, "..", "hostile")


def put(target, name, data):
    os.makedirs(os.path.join(SEEDS, target), exist_ok=True)
    with open(os.path.join(SEEDS, target, name), "wb") as f:
        f.write(data)


def image(fmt, mode="L", **kw):
    im = Image.new(mode, (24, 16), 255)
    ImageDraw.Draw(im).line((0, 0, 23, 15), fill=0)
    out = io.BytesIO()
    im.save(out, format=fmt, **kw)
    return out.getvalue()


def sevenzip(members):
    """A .7z written by libarchive itself (Python has no 7z writer)."""
    la = ctypes.CDLL("libarchive.so.13")
    la.archive_write_new.restype = ctypes.c_void_p
    la.archive_entry_new.restype = ctypes.c_void_p
    for fn in ("archive_write_set_format_7zip", "archive_write_close", "archive_write_free"):
        getattr(la, fn).argtypes = [ctypes.c_void_p]
    la.archive_write_open_memory.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                             ctypes.POINTER(ctypes.c_size_t)]
    la.archive_entry_set_pathname.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    la.archive_entry_set_filetype.argtypes = [ctypes.c_void_p, ctypes.c_uint]
    la.archive_entry_set_perm.argtypes = [ctypes.c_void_p, ctypes.c_uint]
    la.archive_entry_set_size.argtypes = [ctypes.c_void_p, ctypes.c_int64]
    la.archive_entry_free.argtypes = [ctypes.c_void_p]
    la.archive_write_header.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    la.archive_write_data.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    a = la.archive_write_new()
    la.archive_write_set_format_7zip(a)
    buf = ctypes.create_string_buffer(1 << 20)
    used = ctypes.c_size_t(0)
    la.archive_write_open_memory(a, buf, len(buf), ctypes.byref(used))
    for name, data in members:
        e = la.archive_entry_new()
        la.archive_entry_set_pathname(e, name.encode())
        la.archive_entry_set_filetype(e, 0o100000)
        la.archive_entry_set_perm(e, 0o644)
        la.archive_entry_set_size(e, len(data))
        la.archive_write_header(a, e)
        la.archive_write_data(a, data, len(data))
        la.archive_entry_free(e)
    la.archive_write_close(a)
    la.archive_write_free(a)
    return buf.raw[:used.value]


def tar(members, mode):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1700000000
            t.addfile(info, io.BytesIO(data))
    return out.getvalue()


def zipped(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def main():
    shutil.rmtree(SEEDS, ignore_errors=True)
    put("image", "gray.png", image("PNG"))
    put("image", "rgb.jpg", image("JPEG", "RGB", quality=50))
    put("image", "multi.tif", image("TIFF", save_all=True,
                                    append_images=[Image.new("L", (8, 8), 0)]))
    put("image", "pal.gif", image("GIF", "P"))
    put("image", "mono.bmp", image("BMP", "1"))
    put("image", "rgb.webp", image("WEBP", "RGB"))
    shutil.copy(os.path.join(HOSTILE, "huge.png"), os.path.join(SEEDS, "image", "huge.png"))

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(200, 100), invariant=1)
    c.drawString(10, 50, "SPECIMEN UTO")
    c.showPage()
    c.drawString(10, 50, "page two")
    c.showPage()
    c.save()
    put("pdf", "text.pdf", out.getvalue())
    for name in ("truncated.pdf", "encrypted.pdf"):
        shutil.copy(os.path.join(HOSTILE, name), os.path.join(SEEDS, "pdf", name))

    members = [("a/one.txt", b"one " * 20), ("two.bin", bytes(range(256)))]
    put("archive", "plain.zip", zipped(members))
    put("archive", "plain.tar.gz", tar(members, "w:gz"))
    put("archive", "plain.tar.bz2", tar(members, "w:bz2"))
    put("archive", "plain.tar.xz", tar(members, "w:xz"))
    put("archive", "plain.7z", sevenzip(members))
    put("archive", "nested.zip", zipped([("in.tar", tar(members, "w")), ("x.txt", b"x")]))
    put("archive", "unsafe.zip", zipped([("../up.txt", b"up"), ("/abs.txt", b"abs")]))


if __name__ == "__main__":
    main()
