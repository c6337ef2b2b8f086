"""Helpers shared by Saksi's Python tests (standard library only).

Import with `sys.path.insert(0, <tests folder>)`; each test script does this
from its own location.
"""
import argparse
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import unittest
import zlib


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args(doc, add_arguments=None):
    """The options every test script takes, and those add_arguments(parser)
    adds; returns them, paths absolute, and the arguments left for
    unittest.main."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--saksi", required=True, help="the saksi executable")
    parser.add_argument("--repo", default=REPO, help="the source tree (holds samples/, config/)")
    parser.add_argument("--schema", help="default: REPO/config/record.schema.json")
    parser.add_argument("--metrics", help="default: REPO/../shared/tools/evidence-metrics")
    if add_arguments:
        add_arguments(parser)
    args, rest = parser.parse_known_args()
    args.saksi, args.repo = os.path.abspath(args.saksi), os.path.abspath(args.repo)
    args.schema = args.schema or os.path.join(args.repo, "config", "record.schema.json")
    args.metrics = args.metrics or os.path.normpath(
        os.path.join(args.repo, "..", "shared", "tools", "evidence-metrics"))
    return args, rest


def main(doc, add_arguments=None):
    """Runs the tests of the script being run (__main__), with its options,
    parsed as parse_args does, as its ARGS."""
    args, rest = parse_args(doc, add_arguments)
    sys.modules["__main__"].ARGS = args
    unittest.main(module="__main__", argv=[sys.argv[0]] + rest, verbosity=2)


def ocr_pipeline(name, preprocess=True):
    """A pipeline TOML that only decodes images, OCRs them (eng) and writes
    records: for tests about intake and custody, not the default pipeline's
    extractors (and independent of pipelines/evidence.toml)."""
    stages = ["decode.image"] + (["preprocess.leptonica"] if preprocess else [])
    toml = f'name = "{name}"\n'
    for stage in stages:
        toml += f'[[stage]]\nid = "{stage}"\n'
    return toml + '[[stage]]\nid = "ocr.tesseract"\nlanguages = "eng"\n[[stage]]\nid = "sink.json"\n'


def run(cmd, timeout=300, env=None, cwd=None):
    """Runs a command, capturing its output as text."""
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)


def describe(proc):
    """A failed command's invocation, exit code and output tails, for assert messages."""
    return (f"\n$ {' '.join(map(str, proc.args))}\nexit code {proc.returncode}"
            f"\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}")


def sha256_file(path):
    """The record id saksi gives a file: the SHA-256 of its bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def png_chunk(kind, data):
    """One PNG chunk: length, type, data, CRC."""
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def with_text_chunk(png, text):
    """The same PNG with a tEXt "Comment" chunk before IEND: same pixels, new bytes."""
    iend = png.rindex(b"IEND") - 4
    return png[:iend] + png_chunk(b"tEXt", b"Comment\0" + text.encode()) + png[iend:]


def write_png(path, seed=0, width=64, height=40, text=None):
    """A small 8-bit grayscale PNG whose content (and so its id) depends on
    seed, with `text` in a tEXt chunk when given; returns its SHA-256."""
    rows = b"".join(b"\x00" + bytes((x * 7 + y * 3 + seed * 31) % 256 for x in range(width))
                    for y in range(height))
    png = (b"\x89PNG\r\n\x1a\n"
           + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + png_chunk(b"IDAT", zlib.compress(rows, 9)) + png_chunk(b"IEND", b""))
    if text is not None:
        png = with_text_chunk(png, text)
    with open(path, "wb") as f:
        f.write(png)
    return hashlib.sha256(png).hexdigest()


def text_pdf(path, lines):
    """A one-page PDF (A4) whose text layer holds `lines` in Helvetica."""
    content = "BT /F1 12 Tf 72 770 Td 16 TL\n" + "".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '\n"
        for line in lines) + "ET\n"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    with open(path, "wb") as f:
        f.write(out)
    return sha256_file(path)


def remove_unless_kept(folder):
    """Removes a test's output folder, or keeps it when SAKSI_KEEP_TEST_OUTPUT is set."""
    if os.environ.get("SAKSI_KEEP_TEST_OUTPUT"):
        print(f"kept {folder}", file=sys.stderr)
    else:
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------
# Comparing labelled entities (generator manifests, tests/eval/labels.json)
# with a record's entities
# --------------------------------------------------------------------------
def comparable(entity_type, normalized):
    """The label's form of a normalized value: a NIK's digits (extract.identifiers
    normalizes a NIK to an object {nik, birth_date, sex, ...}), else as is."""
    if entity_type == "national_id" and isinstance(normalized, dict):
        return normalized.get("nik")
    return normalized


def value_key(entity_type, normalized):
    """A hashable key for one (type, normalized value): equal keys are one entity."""
    return json.dumps(comparable(entity_type, normalized), sort_keys=True, ensure_ascii=False)


def record_values(record, detector_prefix=None):
    """{type: set of value keys} of a record's entities, optionally only those whose
    detector starts with detector_prefix (e.g. "extract.identifiers@"). An entity
    found several times counts once."""
    found = {}
    for e in record.get("entities", []):
        if detector_prefix and not e.get("detector", "").startswith(detector_prefix):
            continue
        found.setdefault(e["type"], set()).add(value_key(e["type"], e.get("normalized")))
    return found


def label_values(labels):
    """{type: set of value keys} of a document's labels ({type, text, normalized});
    a value labelled twice counts once."""
    expected = {}
    for label in labels:
        expected.setdefault(label["type"], set()).add(value_key(label["type"], label["normalized"]))
    return expected


def score(expected, found, types):
    """Counts per type over one document: {type: (labels, found, true positives)}."""
    return {t: (len(expected.get(t, ())), len(found.get(t, ())),
                len(expected.get(t, set()) & found.get(t, set()))) for t in types}
