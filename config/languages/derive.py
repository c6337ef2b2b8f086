#!/usr/bin/env python3
"""Derive config/languages/iso_639.json: ISO 639-1 (two-letter) codes to
ISO 639-3, which classify.language needs to turn CLD2's codes ("id", "en")
into the record's ("ind", "eng").

Source: Debian's iso-codes (/usr/share/iso-codes/json/iso_639-3.json,
LGPL-2.1+), every individual or macro language that has a two-letter code.
Run once, by hand; the build only reads the derived JSON:
  python3 config/languages/derive.py > config/languages/iso_639.json
"""
import json

ISO = "/usr/share/iso-codes/json/iso_639-3.json"


def main():
    with open(ISO, encoding="utf-8") as f:
        languages = json.load(f)["639-3"]
    alpha_2 = {l["alpha_2"]: l["alpha_3"] for l in languages if "alpha_2" in l}
    print(json.dumps({"source": "iso-codes " + ISO + " (LGPL-2.1+), derived by config/languages/derive.py",
                      "alpha_2": dict(sorted(alpha_2.items()))}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
