"""Import the support-point annex (Decision 2541/QĐ-UBND) and village lists.

Support points
    The annex is a table of names — district, commune, village, type — with or without
    coordinates. Communes are matched with :func:`geo.admin.match_unit` (2020 units, within
    the row's district) and carried to their 2025 unit with :func:`geo.admin.successor_2025`.
    A row without coordinates is placed at its 2025 unit's administrative centre
    (``location = "commune_centre"``); with coordinates it is ``exact``. A commune that does
    not match, or matches several units, is a problem listing the closest candidates
    (``report.candidates``); the caller passes the user's choice back as
    ``overrides = {row: code_2020}`` and imports again.
Villages
    Name, commune, population and coordinates (table or vector file). The 2025 unit is the
    polygon the village lies in (nearest unit within the import margin, with a warning, for
    one just outside); a commune named in the file that disagrees is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.admin import (
    Candidate,
    load_districts,
    load_units,
    match_district,
    match_unit,
    successor_2025,
)
from geo.errors import DataError, RowList
from geo.import_common import (
    COORD_ALIASES,
    ImportReport,
    Rows,
    column_coordinates,
    finish,
    geometry_to_wgs84,
    imported_frame,
    no_geometry,
    numbers,
    report_outside,
    table_rows,
)
from geo.readers import RawTable
from geo.settings import SETTINGS
from geo.text import fold

POINT_ALIASES: dict[str, tuple[str, ...]] = {
    "point_id": ("ma diem", "ma diem ho tro", "point id", "id"),
    "name": ("ten diem", "ten diem ho tro", "diem ho tro", "name", "ten"),
    "district": ("huyen", "huyen thi xa thanh pho", "huyen thanh pho thi xa", "district",
                 "don vi cap huyen", "ten huyen", "huyen tp tx", "huyen thi xa"),
    "commune": ("xa", "xa phuong thi tran", "xa thi tran", "xa phuong", "commune", "ten xa",
                "don vi cap xa"),
    "commune_code": ("ma xa", "ma xa 2020", "commune code", "ma don vi"),
    "village": ("thon", "thon ban", "ban", "village", "ten thon", "thon ban to", "thon to"),
    "point_type": ("loai", "loai diem", "type", "point type", "phan loai", "doi tuong"),
    **COORD_ALIASES,
}
VILLAGE_ALIASES: dict[str, tuple[str, ...]] = {
    "village_id": ("ma thon", "village id", "id", "ma"),
    "name": ("ten thon", "thon", "thon ban", "ten thon ban", "name", "ten", "village", "ban"),
    "commune": ("xa", "xa phuong", "xa phuong thi tran", "commune", "ten xa"),
    "commune_code": ("ma xa", "ma xa 2025", "commune code"),
    "population": ("dan so", "so dan", "so nhan khau", "nhan khau", "population", "so khau"),
    **COORD_ALIASES,
}


@lru_cache(maxsize=1)
def _units_2020() -> pd.DataFrame:
    return load_units(2020).set_index("code")


@lru_cache(maxsize=1)
def _units_2025() -> gpd.GeoDataFrame:
    return load_units(2025).set_index("code")


def _point_type(text: str, has_village: bool) -> str | None:
    words = set(fold(text).split())
    if not words:
        return "village" if has_village else "commune"
    if words & {"thon", "ban", "village", "dbkk", "to"}:
        return "village"
    if words & {"xa", "commune", "iii", "kv3", "phuong"}:
        return "commune"
    return None


def _locations(rows: Rows, report: ImportReport, source: str, required: bool
               ) -> tuple[pd.Series, str | None]:
    if rows.geometry is not None:
        geoms = geometry_to_wgs84(rows.geometry, report, source)
        return pd.Series(list(geoms.values), index=rows.frame.index, dtype=object), None
    return column_coordinates(rows, report, source, required=required)


def _candidates_text(cands: tuple[Candidate, ...]) -> str:
    return "; ".join(f"{c.full_name} ({c.district}, {c.code})" for c in cands) or "none"


def _match_commune(row: int, text: str, district_text: str, rows: Rows,
                   report: ImportReport) -> str | None:
    dcode = match_district(district_text) if district_text else None
    match = match_unit(text, era=2020, district=dcode) if dcode else match_unit(text, era=2020)
    if match.status == "matched":
        return match.code
    cands = match.candidates
    if not cands and dcode:  # perhaps filed under the wrong district
        wide = match_unit(text, era=2020)
        if wide.status == "matched":
            units = _units_2020()
            cands = (Candidate(wide.code, wide.full_name, units.loc[wide.code, "district"], 1.0),)
        else:
            cands = wide.candidates
    report.candidates[row] = cands
    where = f" in {district_text}" if dcode else ""
    status = "matches several units" if match.status == "ambiguous" else "not found"
    report.problem(row, rows.columns.get("commune"),
                   f"commune {text!r} {status}{where}; closest: {_candidates_text(cands)}.",
                   f"{match.status}_commune", name=text, where=where,
                   candidates=_candidates_text(cands))
    return None


def import_points(raw: RawTable, report: ImportReport,
                  overrides: Mapping[int, str] | None = None) -> None:
    """Fill ``report`` from a support-point annex (see the module docstring)."""
    source = raw.file_name
    rows = table_rows(raw, POINT_ALIASES, report)
    if "commune" not in rows.columns and "commune_code" not in rows.columns:
        raise DataError("no commune column ('Xã' / 'commune').", source=source,
                        fix="add the commune (xã) of every point.", code="no_column",
                        params={"column": "Xã / commune"})
    overrides = {int(k): str(v).strip().zfill(5) for k, v in (overrides or {}).items()}
    units, units25 = _units_2020(), _units_2025()
    districts = load_districts().set_index("district_code")
    located, coord_col = _locations(rows, report, source, required=False)
    text = {k: rows.text(k) for k in ("point_id", "name", "district", "commune",
                                      "commune_code", "village", "point_type")}
    bad_districts: set[str] = set()
    recs: dict[str, list] = {k: [] for k in (
        "point_id", "name", "point_type", "district_code", "district", "commune_code_2020",
        "commune_2020", "village", "commune_code_2025", "commune_2025", "location")}
    geoms, index, at_centre, far = [], [], [], []
    for row in rows.frame.index:
        row = int(row)
        before = len(report.problems)
        district_text = text["district"][row]
        if district_text and match_district(district_text) is None:
            bad_districts.add(district_text)
        code = None
        if row in overrides:
            code = overrides[row]
            if code not in units.index:
                report.problem(row, rows.columns.get("commune"),
                               f"chosen code {code} is not a 2020 commune of Lào Cai.",
                               "bad_code", code=code)
                code = None
        elif text["commune_code"][row]:
            code = text["commune_code"][row].zfill(5)
            if code not in units.index:
                report.problem(row, rows.columns["commune_code"],
                               f"{code} is not a 2020 commune code of Lào Cai.", "bad_code",
                               code=code)
                code = None
        elif text["commune"][row]:
            code = _match_commune(row, text["commune"][row], district_text, rows, report)
        else:
            report.problem(row, rows.columns.get("commune"), "no commune.", "missing_value",
                           column=rows.columns.get("commune", "commune"))
        village = text["village"][row] or None
        ptype = _point_type(text["point_type"][row], village is not None)
        if ptype is None:
            report.problem(row, rows.columns["point_type"],
                           f"type {text['point_type'][row]!r} not recognised: 'xã' (commune) "
                           "or 'thôn' (village).", "unknown_type", value=text["point_type"][row])
        point = None if no_geometry(located[row]) else located[row]
        if point is not None and not isinstance(point, shapely.Point):
            report.problem(row, None, "geometry must be a point.", "geometry_type",
                           found=getattr(point, "geom_type", "?"), expected="Point")
        if len(report.problems) > before or code is None:
            continue
        code25 = successor_2025(code)
        unit, unit25 = units.loc[code], units25.loc[code25]
        if point is None:
            point = shapely.Point(float(unit25["centre_lon"]), float(unit25["centre_lat"]))
            location = "commune_centre"
            at_centre.append(row)
        else:
            location = "exact"
            far.append((row, code25, point))
        commune_2020 = str(unit["full_name"])
        recs["point_id"].append(text["point_id"][row] or f"IMP-P{row:03d}")
        recs["name"].append(text["name"][row] or f"Điểm hỗ trợ {village or commune_2020}")
        recs["point_type"].append(ptype)
        recs["district_code"].append(str(unit["district_code"]))
        recs["district"].append(str(districts.loc[unit["district_code"], "short_name"]))
        recs["commune_code_2020"].append(code)
        recs["commune_2020"].append(commune_2020)
        recs["village"].append(village)
        recs["commune_code_2025"].append(code25)
        recs["commune_2025"].append(str(unit25["full_name"]))
        recs["location"].append(location)
        geoms.append(point)
        index.append(row)
    if bad_districts:
        report.warn("district(s) not recognised, communes searched province-wide: {names}",
                    "districts_unknown", names=", ".join(sorted(bad_districts)))
    if at_centre:
        report.warn("{count} point(s) without coordinates placed at their 2025 commune's "
                    "administrative centre", "points_at_centre", count=len(at_centre))
    if overrides:
        report.warn("commune chosen by hand on row(s) {rows}", "commune_by_hand",
                    rows=RowList.of(overrides))
    _check_far(far, report)
    if geoms:
        report_outside(report, gpd.GeoSeries(geoms, index=index, crs=SETTINGS.crs.display),
                       coord_col)
    _duplicates(report, recs["point_id"], index, "point_id", rows)
    report.rows_accepted = len(index) if not report.problems else 0
    gdf = imported_frame(recs, geoms, index)
    report.preview = _preview(gdf, rows)
    finish(report, "points", gdf)


def _check_far(far: list[tuple[int, str, shapely.Point]], report: ImportReport) -> None:
    """Warn about exact points lying far outside the 2025 unit their commune became."""
    if not far:
        return
    units25 = _units_2025()
    pts = gpd.GeoSeries([p for _, _, p in far], crs=SETTINGS.crs.display).to_crs(
        SETTINGS.crs.metric)
    polys = gpd.GeoSeries([units25.loc[c, "geometry"] for _, c, _ in far],
                          crs=SETTINGS.crs.display).to_crs(SETTINGS.crs.metric)
    dist = pts.distance(polys, align=False).to_numpy()
    rows = [far[i][0] for i in np.flatnonzero(dist > SETTINGS.imports.commune_mismatch_m)]
    if rows:
        report.warn("row(s) {rows}: the coordinates lie more than {distance} m outside the "
                    "commune named; check them", "far_from_commune", rows=RowList.of(rows),
                    distance=f"{SETTINGS.imports.commune_mismatch_m:g}")


def _duplicates(report: ImportReport, ids: list[str], index: list[int], column: str,
                rows: Rows) -> None:
    series = pd.Series(ids, index=index)
    dup = series[series.duplicated(keep=False)]
    for row, value in dup.items():
        others = [r for r in dup.index[dup == value] if r != row]
        report.problem(int(row), rows.columns.get(column, column),
                       f"duplicate id {value!r}, also on row {RowList.of(others)}.",
                       "duplicate_id", id=value, other=RowList.of(others))


def _preview(gdf: gpd.GeoDataFrame, rows: Rows) -> pd.DataFrame:
    if len(gdf):
        frame = pd.DataFrame(gdf.drop(columns="geometry"))
        frame["lon"] = gdf.geometry.x.round(6)
        frame["lat"] = gdf.geometry.y.round(6)
    else:
        frame = pd.DataFrame(index=gdf.index)
    # Rows that could not be mapped are shown as read, so the user sees what is wrong.
    missing = rows.frame.index.difference(frame.index)
    raw = rows.frame.loc[missing]
    out = pd.concat([frame, raw], axis=0) if len(raw) else frame
    out = out.sort_index()
    out.insert(0, "row", out.index)
    return out.reset_index(drop=True)


def import_villages(raw: RawTable, report: ImportReport) -> None:
    """Fill ``report`` from a village list (see the module docstring)."""
    source = raw.file_name
    rows = table_rows(raw, VILLAGE_ALIASES, report)
    if "name" not in rows.columns:
        raise DataError("no village name column ('Tên thôn' / 'name').", source=source,
                        code="no_column", params={"column": "Tên thôn / name"})
    if "population" not in rows.columns:
        raise DataError("no population column ('Dân số' / 'population').", source=source,
                        code="no_column", params={"column": "Dân số / population"})
    located, coord_col = _locations(rows, report, source, required=True)
    population = numbers(rows, "population", report)
    units25 = _units_2025()
    names, ids = rows.text("name"), rows.text("village_id")
    commune_text, code_text = rows.text("commune"), rows.text("commune_code")
    recs: dict[str, list] = {k: [] for k in ("village_id", "name", "commune_code_2025",
                                             "commune_2025", "population")}
    geoms, index = [], []
    for row in rows.frame.index:
        row = int(row)
        before = len(report.problems)
        point = None if no_geometry(located[row]) else located[row]
        if point is None:
            report.problem(row, coord_col, "no coordinates.", "missing_value",
                           column=coord_col or "")
        elif not isinstance(point, shapely.Point):
            report.problem(row, None, "geometry must be a point.", "geometry_type",
                           found=point.geom_type, expected="Point")
        if not names[row]:
            report.problem(row, rows.columns["name"], "no name.", "missing_value",
                           column=rows.columns["name"])
        pop = population[row]
        if np.isnan(pop):
            if rows.frame.loc[row, rows.columns["population"]] == "":
                report.problem(row, rows.columns["population"], "no population.",
                               "missing_value", column=rows.columns["population"])
        elif pop < 0 or pop % 1:
            report.problem(row, rows.columns["population"],
                           f"population must be a whole number ≥ 0, not {pop:g}.",
                           "out_of_range", value=f"{pop:g}", low="0", high="1000000")
        if len(report.problems) > before:
            continue
        recs["village_id"].append(ids[row] or f"IMP-V{row:05d}")
        recs["name"].append(names[row])
        recs["population"].append(int(pop))
        geoms.append(point)
        index.append(row)
    gs = gpd.GeoSeries(geoms, index=index, crs=SETTINGS.crs.display)
    if len(gs):
        report_outside(report, gs, coord_col)
        codes = _commune_of(gs, report)
        recs["commune_code_2025"] = codes
        recs["commune_2025"] = [str(units25.loc[c, "full_name"]) for c in codes]
        named = []
        for row, code in zip(index, codes, strict=True):
            given = code_text[row].zfill(5) if code_text[row] else None
            if given is None and commune_text[row]:
                match = match_unit(commune_text[row], era=2025)
                given = match.code if match.status == "matched" else None
            if given is not None and given != code:
                named.append(row)
        if named:
            report.warn("row(s) {rows}: the commune named differs from the one the coordinates "
                        "fall in; the location was used", "commune_differs",
                        rows=RowList.of(named))
    _duplicates(report, recs["village_id"], index, "village_id", rows)
    report.rows_accepted = len(index) if not report.problems else 0
    gdf = imported_frame(recs, geoms, index)
    report.preview = _preview(gdf, rows)
    finish(report, "villages", gdf)


def _commune_of(points: gpd.GeoSeries, report: ImportReport) -> list[str]:
    """2025 unit code each point lies in (nearest unit for points just outside)."""
    units25 = _units_2025()
    polys = units25.geometry.to_numpy()
    tree = shapely.STRtree(polys)
    inside_pt, inside_poly = tree.query(points.to_numpy(), predicate="within")
    codes = pd.Series(None, index=range(len(points)), dtype=object)
    codes[inside_pt] = units25.index.to_numpy()[inside_poly]
    missing = codes.isna().to_numpy()
    if missing.any():
        metric = points[missing].to_crs(SETTINGS.crs.metric)
        units_m = units25.geometry.to_crs(SETTINGS.crs.metric)
        nearest = shapely.STRtree(units_m.to_numpy()).nearest(metric.to_numpy())
        codes[np.flatnonzero(missing)] = units25.index.to_numpy()[nearest]
        report.warn("row(s) {rows}: just outside the province; given the nearest commune",
                    "just_outside", rows=RowList.of(points.index[missing]))
    return [str(c) for c in codes]
