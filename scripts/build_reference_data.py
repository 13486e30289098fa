"""Build the project's cleaned real data under ``data/`` from the shared source folder.

Run once by a developer when the sources change (the app never reads the source folder):

    python scripts/build_reference_data.py ../shared/data

Writes ``data/boundaries/`` (2025 communes, province outline, old Lào Cai outline),
``data/admin/`` (2020 units and districts of old Lào Cai and old Yên Bái, crosswalk
2020 → 2025, origins of each 2025 unit; old Yên Bái's sources are the committed files under
``data/admin/sources/``, written by ``scripts/extract_admin_codes.py``)
and ``data/reference/`` (OSM masts and points of interest, GeoNames towns). Provenance of
each file is in ``data/README.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.settings import SETTINGS
from geo.text import nfc, unit_key

# 2020 units that merged into a neighbour before 2025, so the 2025 crosswalk has no row for
# them; each one's successor is the 2025 unit formed from the unit it merged into (fixed by
# hand, see data/README.md). Evidence for old Yên Bái: the ``wardAlias`` of the absorbing unit
# in vietnamadminunits 1.0.4 (printed by scripts/extract_admin_codes.py); the mergers are those
# of Nghị quyết 1246/NQ-UBTVQH15 (2024) on Yên Bái's commune-level units.
_MANUAL_SUCCESSORS = {
    "02872": ("Xã Bắc Hà", "Tà Chải merged into Thị trấn Bắc Hà in 2024"),
    "04267": ("Phường Yên Bái", "Hồng Hà merged with Nguyễn Phúc in 2024 as Phường Hồng Hà "
                                "(code 04264)"),
    "04507": ("Xã Trấn Yên", "Đào Thịnh merged with Việt Thành in 2024 as Xã Thành Thịnh "
                             "(code 04510)"),
    "04528": ("Phường Nam Cường", "Nga Quán merged into Xã Cường Thịnh in 2024"),
    "04561": ("Phường Âu Lâu", "Bảo Hưng merged into Xã Minh Quân in 2024"),
    "04774": ("Xã Thác Bà", "Yên Bình (xã) merged into Xã Bạch Hà in 2024"),
}
# 2020 units whose code the crosswalk lists under the name of the unit formed in 2024.
_RENAMED_2024 = {
    "04264": "Nguyễn Phúc and Hồng Hà merged in 2024 as Phường Hồng Hà under this code",
    "04510": "Việt Thành and Đào Thịnh merged in 2024 as Xã Thành Thịnh under this code",
}
_DISTRICT_SHORT = {
    "080": "TP Lào Cai", "082": "Bát Xát", "083": "Mường Khương", "084": "Si Ma Cai",
    "085": "Bắc Hà", "086": "Bảo Thắng", "087": "Bảo Yên", "088": "TX Sa Pa", "089": "Văn Bàn",
    "132": "TP Yên Bái", "133": "TX Nghĩa Lộ", "135": "Lục Yên", "136": "Văn Yên",
    # The package spells it "Mù Căng Chải"; the district's official name is Mù Cang Chải.
    "137": "Mù Cang Chải", "138": "Trấn Yên", "139": "Trạm Tấu", "140": "Văn Chấn",
    "141": "Yên Bình",
}
# Source files of the 2020 units and of the crosswalk, per old province: old Lào Cai in the
# shared folder, old Yên Bái committed under data/admin/sources/ (scripts/extract_admin_codes.py).
_SOURCES_2020 = {
    "laocai": ("admin_codes/communes_2020_laocai_152.csv",
               "admin_codes/crosswalk_2020_to_2025_laocai.csv"),
    "yenbai": ("sources/communes_2020_yenbai.csv", "sources/crosswalk_2020_to_2025_yenbai.csv"),
}
_UNIT_TYPES = {"phuong": "Phường", "xa": "Xã", "thi-tran": "Thị trấn"}
_COORD_DECIMALS = 6


def _write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    gdf = gdf.to_crs(SETTINGS.crs.display)
    gdf = gdf.set_geometry(shapely.set_precision(gdf.geometry.values, 10**-_COORD_DECIMALS))
    path.unlink(missing_ok=True)
    gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=_COORD_DECIMALS, RFC7946="YES")


def _dissolve(gdf: gpd.GeoDataFrame) -> shapely.Geometry:
    """Union polygons in metres, closing slivers left by separate simplification (< 30 m)."""
    metric = gdf.to_crs(SETTINGS.crs.metric).geometry
    merged = shapely.union_all(shapely.make_valid(metric.values))
    closed = merged.buffer(30, join_style="mitre").buffer(-30, join_style="mitre")
    return gpd.GeoSeries([closed], crs=SETTINGS.crs.metric).to_crs(SETTINGS.crs.display).iloc[0]


def build_boundaries(src: Path, out: Path, crosswalk: pd.DataFrame) -> gpd.GeoDataFrame:
    communes = gpd.read_file(src / "boundaries" / "laocai_2025_communes.geojson")
    for col in ("name", "unit_type", "full_name", "before_merger", "admin_center"):
        communes[col] = communes[col].map(nfc)
    communes["geometry"] = shapely.make_valid(communes.geometry.values)
    communes["old_province"] = communes["old_province"].map(
        {"tinhlaocai": "laocai", "tinhyenbai": "yenbai"}
    )
    portal = pd.read_csv(
        src / "admin_codes" / "sapnhap_2025-07-17_laocai_new_units.csv", dtype=str
    )
    portal["key"] = portal["tenhc"].map(unit_key)
    centres = portal.set_index("key")[["kinhdo", "vido"]].astype(float)
    keys = communes["name"].map(unit_key)
    missing = sorted(set(keys) - set(centres.index))
    if missing:
        raise SystemExit(f"no administrative centre for {missing}")
    communes["centre_lon"] = keys.map(centres["kinhdo"]).round(_COORD_DECIMALS)
    communes["centre_lat"] = keys.map(centres["vido"]).round(_COORD_DECIMALS)
    # A listed centre outside its own unit is a defect of the list (Xã Yên Bình's, "đang cập
    # nhật", lies 52 km away in Xã Chiềng Ken): use a point inside the polygon instead.
    outside = ~shapely.contains_xy(communes.geometry.values, communes["centre_lon"],
                                   communes["centre_lat"])
    if outside.any():
        inner = communes.loc[outside].geometry.representative_point()
        communes.loc[outside, "centre_lon"] = inner.x.round(_COORD_DECIMALS)
        communes.loc[outside, "centre_lat"] = inner.y.round(_COORD_DECIMALS)
        print(f"centre outside its unit, replaced: {list(communes.loc[outside, 'full_name'])}")
    origins = crosswalk.groupby("code_2025")["district_code"].agg(
        lambda s: ";".join(sorted(set(s)))
    )
    communes["old_districts"] = communes["code"].map(origins).fillna("")
    communes["source"] = "official"
    keep = [
        "code", "name", "unit_type", "full_name", "area_km2", "population", "old_province",
        "old_districts", "before_merger", "admin_center", "centre_lon", "centre_lat", "source",
        "geometry",
    ]
    communes = communes[keep].sort_values("code").reset_index(drop=True)
    _write_geojson(communes, out / "communes_2025.geojson")

    province = gpd.GeoDataFrame(
        {"name": ["Tỉnh Lào Cai (2025)"], "units": [len(communes)],
         "population": [int(communes["population"].sum())], "source": ["official"]},
        geometry=[_dissolve(communes)], crs=SETTINGS.crs.display,
    )
    _write_geojson(province, out / "province_2025.geojson")
    old = communes[communes["old_province"] == "laocai"]
    old_outline = gpd.GeoDataFrame(
        {"name": ["Tỉnh Lào Cai cũ (trước 2025)"], "units": [len(old)],
         "population": [int(old["population"].sum())], "source": ["official"]},
        geometry=[_dissolve(old)], crs=SETTINGS.crs.display,
    )
    _write_geojson(old_outline, out / "old_laocai.geojson")
    return communes


def _read_source(path: Path) -> pd.DataFrame:
    """A source CSV as text, skipping the ``#`` comment lines at its top."""
    with path.open(encoding="utf-8") as handle:
        comments = 0
        while handle.readline().startswith("#"):
            comments += 1
    return pd.read_csv(path, dtype=str, skiprows=comments)


def _source_path(src: Path, out: Path, relative: str) -> Path:
    return (src if relative.startswith("admin_codes/") else out) / relative


def _units_2020(src: Path, out: Path) -> pd.DataFrame:
    frames = []
    for province, (units_file, _) in _SOURCES_2020.items():
        frame = _read_source(_source_path(src, out, units_file))
        frames.append(frame.assign(old_province=province))
    units = pd.concat(frames, ignore_index=True)
    units = units.rename(columns={"commune_code": "code", "commune": "full_name"})
    twice = units.loc[units["code"].duplicated(), "code"]
    if len(twice):
        raise SystemExit(f"2020 codes listed twice: {list(twice)}")
    units["full_name"] = units["full_name"].map(nfc)
    units["district"] = units["district"].map(nfc)
    units["unit_type"] = units["type"].map(_UNIT_TYPES)
    if units["unit_type"].isna().any():
        raise SystemExit(f"unknown unit types: {set(units.loc[units.unit_type.isna(), 'type'])}")
    units["name"] = [
        full[len(kind) + 1 :]
        for full, kind in zip(units["full_name"], units["unit_type"], strict=True)
    ]
    return units[["code", "name", "unit_type", "full_name", "district_code", "district",
                  "old_province"]].sort_values("code").reset_index(drop=True)


def _to_2025_units(walk: pd.DataFrame, units_2025: pd.DataFrame) -> pd.DataFrame:
    """Check every ``code_2025`` against the 2025 boundaries; a code missing there is matched
    on the name among the 2025 units (noted in ``note``); SystemExit for what stays unmatched."""
    known = set(units_2025["code"])
    by_key = units_2025.assign(key=units_2025["full_name"].map(unit_key)).drop_duplicates(
        "key", keep=False).set_index("key")["code"]
    unmatched = []
    for row in walk.index[~walk["code_2025"].isin(known)]:
        name = walk.at[row, "full_name_2025"]
        code = by_key.get(unit_key(name))
        if code is None:
            unmatched.append(f"{walk.at[row, 'code_2020']} → {walk.at[row, 'code_2025']} {name}")
            continue
        note = f"2025 code {walk.at[row, 'code_2025']} of the crosswalk is {code} in the boundaries"
        walk.at[row, "note"] = "; ".join(n for n in (walk.at[row, "note"], note) if n)
        walk.at[row, "code_2025"] = code
    if unmatched:
        raise SystemExit(f"crosswalk targets not among the 2025 units: {unmatched}")
    return walk


def build_admin(src: Path, out: Path) -> pd.DataFrame:
    units = _units_2020(src, out)
    units.to_csv(out / "units_2020.csv", index=False)

    districts = units.groupby("district_code", as_index=False)[["district", "old_province"]].first()
    districts["unit_type"] = districts["district"].str.extract(r"^(Thành phố|Thị xã|Huyện)")[0]
    districts["short_name"] = districts["district_code"].map(_DISTRICT_SHORT)
    if districts["short_name"].isna().any() or districts["unit_type"].isna().any():
        raise SystemExit(f"district without a short name or type: {districts.to_dict('records')}")
    districts["units_2020"] = districts["district_code"].map(units["district_code"].value_counts())
    districts = districts.rename(columns={"district": "full_name"})
    districts[["district_code", "full_name", "short_name", "unit_type", "units_2020",
               "old_province"]].to_csv(out / "districts_2020.csv", index=False)

    raw = pd.concat([_read_source(_source_path(src, out, walk_file))
                     for _, walk_file in _SOURCES_2020.values()], ignore_index=True)
    raw["code_2020"] = raw["wardCode"].str.replace(".0", "", regex=False).str.zfill(5)
    walk = units.merge(
        raw[["code_2020", "newWardCode", "newWard", "isDividedWard"]],
        left_on="code", right_on="code_2020", how="left",
    ).drop(columns="code_2020")
    walk["note"] = walk["code"].map(_RENAMED_2024).fillna("")
    new_codes = raw.drop_duplicates("newWard").set_index("newWard")["newWardCode"]
    for code, (new_name, note) in _MANUAL_SUCCESSORS.items():
        row = walk["code"] == code
        if walk.loc[row, "newWardCode"].notna().any():
            raise SystemExit(f"hand fix for {code}, which the crosswalk already maps")
        walk.loc[row, ["newWard", "newWardCode", "isDividedWard", "note"]] = [
            new_name, new_codes[new_name], "False", note,
        ]
    if walk["newWardCode"].isna().any():
        raise SystemExit(f"unmapped 2020 units: {list(walk.loc[walk.newWardCode.isna(), 'code'])}")
    walk = walk.rename(columns={
        "code": "code_2020", "full_name": "full_name_2020", "newWardCode": "code_2025",
        "newWard": "full_name_2025", "isDividedWard": "divided",
    })
    walk["full_name_2025"] = walk["full_name_2025"].map(nfc)
    communes = gpd.read_file(src / "boundaries" / "laocai_2025_communes.geojson",
                             columns=["code", "full_name"], ignore_geometry=True)
    walk = _to_2025_units(walk, communes.assign(full_name=communes["full_name"].map(nfc)))
    walk["divided"] = walk["divided"].map({"True": True, "False": False})
    walk = walk[[
        "code_2020", "full_name_2020", "district_code", "district", "code_2025",
        "full_name_2025", "divided", "note", "old_province",
    ]]
    walk.to_csv(out / "crosswalk_2020_2025.csv", index=False)
    return walk


def build_origins(walk: pd.DataFrame, communes: gpd.GeoDataFrame, out: Path) -> None:
    short = walk.assign(short=walk["district_code"].map(_DISTRICT_SHORT))
    grouped = short.groupby("code_2025").agg(
        old_district_codes=("district_code", lambda s: ";".join(sorted(set(s)))),
        old_districts=("short", lambda s: "; ".join(sorted(set(s)))),
        units_2020=("code_2020", "size"),
        codes_2020=("code_2020", lambda s: ";".join(sorted(s))),
    )
    table = communes[["code", "full_name", "old_province"]].rename(
        columns={"code": "code_2025", "full_name": "full_name_2025"}
    ).merge(grouped, left_on="code_2025", right_index=True, how="left")
    table["units_2020"] = table["units_2020"].fillna(0).astype(int)
    table = table.fillna("")
    table.to_csv(out / "units_2025_origins.csv", index=False)


def build_reference(src: Path, out: Path) -> None:
    masts = gpd.read_file(src / "reference" / "osm_masts_towers_laocai_bbox.geojson")
    masts = masts[["name", "man_made", "osm_id", "geometry"]].copy()
    masts["name"] = masts["name"].fillna("").map(nfc)
    masts["osm_id"] = masts["osm_id"].astype("int64")
    # A named bell tower is not telecom infrastructure; keep it but say so.
    masts["telecom"] = ~masts["name"].str.contains("chung", case=False)
    masts["source"] = "osm"
    _write_geojson(masts, out / "osm_masts.geojson")

    poi = gpd.read_file(src / "reference" / "osm_poi_laocai_bbox.geojson")
    poi = poi[["name", "amenity", "shop", "tourism", "man_made", "osm_id", "geometry"]].copy()
    poi["name"] = poi["name"].fillna("").map(nfc)
    poi["osm_id"] = poi["osm_id"].astype("int64")
    poi["source"] = "osm"
    _write_geojson(poi, out / "osm_poi.geojson")

    towns = pd.read_csv(src / "reference" / "geonames_towns_laocai_bbox.csv")
    towns = towns.rename(columns={"city": "name", "state": "province", "county": "district"})
    for col in ("name", "province", "district"):
        towns[col] = towns[col].fillna("").map(nfc)
    towns["source"] = "geonames"
    towns[["name", "latitude", "longitude", "province", "district", "source"]].to_csv(
        out / "geonames_towns.csv", index=False
    )


INVESTMENT_CATEGORIES = {"đặc biệt khó khăn": "extremely_difficult", "khó khăn": "difficult"}


def build_investment_areas(src: Path, out: Path, communes: gpd.GeoDataFrame) -> None:
    """The units of Quyết định 2167/QĐ-UBND (23/6/2026) with an extremely difficult or
    difficult investment area: checked against the 2025 codes, categories as codes."""
    table = pd.read_csv(src / "reference" / "laocai_qd2167_2026_investment_areas.csv",
                        dtype=str)
    for col in ("name_2025", "category", "decision"):
        table[col] = table[col].map(nfc)
    unknown = sorted(set(table["code_2025"]) - set(communes["code"]))
    if unknown:
        raise SystemExit(f"QĐ 2167 codes not among the 2025 units: {unknown}")
    table["category"] = table["category"].map(INVESTMENT_CATEGORIES)
    if table["category"].isna().any():
        raise SystemExit("QĐ 2167: a category is neither 'đặc biệt khó khăn' nor 'khó khăn'")
    table = table.rename(columns={"code_2025": "code", "name_2025": "name"})
    table["source"] = "reference_transcribed"
    table.sort_values("code").to_csv(out / "investment_areas_qd2167.csv", index=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the shared data folder (../shared/data)")
    args = parser.parse_args(argv)
    paths = SETTINGS.paths
    for folder in (paths.boundaries, paths.admin, paths.reference):
        folder.mkdir(parents=True, exist_ok=True)
    walk = build_admin(args.source, paths.admin)
    communes = build_boundaries(args.source, paths.boundaries, walk)
    build_origins(walk, communes, paths.admin)
    build_reference(args.source, paths.reference)
    build_investment_areas(args.source, paths.reference, communes)
    print(f"wrote {paths.boundaries}, {paths.admin}, {paths.reference}")


if __name__ == "__main__":
    main()
