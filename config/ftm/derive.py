#!/usr/bin/env python3
"""Derives config/ftm/codes.json, the codes `saksi export --format ftm` maps to:
ICAO/ISO 3166-1 alpha-3 country codes (an MRZ's issuing state, nationality)
to the alpha-2 codes FollowTheMoney uses, and the ISO 639-3 languages the
FtM model knows (its `language` type), so that no exported value is outside
the model.

Sources: Debian's iso-codes (/usr/share/iso-codes/json/iso_3166-1.json,
LGPL-2.1+, the codes themselves are ISO 3166 facts) and the FtM model vendored
in tests/data/ftm/defaultModel.json (MIT). Run from the repository root:
    python3 config/ftm/derive.py
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

with open("/usr/share/iso-codes/json/iso_3166-1.json", encoding="utf-8") as f:
    countries = {c["alpha_3"]: c["alpha_2"].lower() for c in json.load(f)["3166-1"]}
# ICAO Doc 9303 codes that are not ISO 3166-1 alpha-3: Germany's "D", and
# the stateless / refugee codes (no country).
countries["D"] = "de"
with open(os.path.join(ROOT, "tests", "data", "ftm", "defaultModel.json"), encoding="utf-8") as f:
    model = json.load(f)
known_countries = set(model["types"]["country"]["values"])
languages = sorted(model["types"]["language"]["values"])
out = {
    "source": "config/ftm/derive.py: iso-codes iso_3166-1.json (alpha-3 -> alpha-2, kept when "
              "the FtM model knows the code) and the FtM model's language codes",
    "countries": {k: v for k, v in sorted(countries.items()) if v in known_countries},
    "languages": languages,
}
with open(os.path.join(ROOT, "config", "ftm", "codes.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
