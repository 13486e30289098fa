"""Import BTS lists: operators' own tables, and OpenCelliD extracts.

Operator tables
    Headers are matched in Vietnamese or English, any case, with or without diacritics or a
    unit in brackets ("Vĩ độ", "Kinh độ", "lat", "X"/"Y" in VN-2000 with X = northing, "Nhà
    mạng", "Công nghệ", "Băng tần (MHz)", "Độ cao anten (m)", "EIRP", "Mã trạm", "Góc phương
    vị"...). Operators are normalised (Viettel, VinaPhone/VNPT, MobiFone, Vietnamobile,
    Gmobile), technologies too (2G/GSM, 3G/UMTS/WCDMA, 4G/LTE, 5G/NR); a cell listing several
    ("2G/3G/4G") gives one record per technology. Missing band, height or EIRP are filled from
    ``SETTINGS.radio`` and named in the ``assumed`` column. Coordinates are recognised with
    :func:`geo.crs.detect_crs` and the reading is reported. Record ids: the file's id; when it
    repeats (one row per technology), ``id-technology``, then ``OPERATOR-id-technology``;
    still repeated is a problem.
OpenCelliD
    Recognised by its columns (radio, mcc, net, area, cell, unit, lon, lat, range, samples,
    changeable, created, updated, averageSignal), with or without the header line. Only MCC 452
    is kept, MNC → operator and radio → technology from ``SETTINGS.imports``; cells of one
    operator × technology within ``cell_group_distance_m`` become one site at their mean
    position. Rows of other networks and outside the province are **excluded and listed**
    (an extract usually covers the whole country), unlike the other imports which refuse a
    file with such rows.
"""

from __future__ import annotations

import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import transform
from geo.errors import DataError, RowList
from geo.import_common import (
    COORD_ALIASES,
    ImportReport,
    column_coordinates,
    finish,
    geometry_to_wgs84,
    imported_frame,
    no_geometry,
    numbers,
    outside,
    report_outside,
    table_rows,
)
from geo.readers import RawTable
from geo.settings import SETTINGS
from geo.text import fold

SITE_ALIASES: dict[str, tuple[str, ...]] = {
    "site_id": ("ma tram", "site id", "ma tram bts", "ma", "id", "site", "ten tram",
                "site name", "ma so tram"),
    "tower_id": ("ma cot", "tower id", "ma nha tram", "tower", "ma vi tri"),
    "operator": ("nha mang", "operator", "doanh nghiep", "nha cung cap", "mang",
                 "don vi", "ten doanh nghiep", "network"),
    "technology": ("cong nghe", "technology", "tech", "loai tram", "he thong", "radio",
                   "cong nghe mang"),
    "band_mhz": ("bang tan", "band", "tan so", "frequency", "band mhz", "bang tan mhz"),
    "height_m": ("do cao anten", "chieu cao anten", "antenna height", "height",
                 "do cao cot", "chieu cao cot", "do cao", "chieu cao", "height m"),
    "eirp_dbm": ("eirp", "eirp dbm", "cong suat", "cong suat phat", "cong suat buc xa",
                 "power"),
    "azimuth_deg": ("goc phuong vi", "azimuth", "phuong vi", "huong", "huong anten", "az"),
    "beamwidth_deg": ("do rong bup song", "beamwidth", "beam width", "goc mo"),
    **COORD_ALIASES,
}
OPENCELLID_COLUMNS = ("radio", "mcc", "net", "area", "cell", "unit", "lon", "lat", "range",
                      "samples", "changeable", "created", "updated", "averageSignal")
OPERATOR_CODES = {"Viettel": "VTL", "VinaPhone": "VNP", "MobiFone": "MBF",
                  "Vietnamobile": "VNM", "Gmobile": "GMB"}
_TECH_TOKENS = {
    "2g": "2G", "gsm": "2G", "gprs": "2G", "edge": "2G",
    "3g": "3G", "umts": "3G", "wcdma": "3G", "hspa": "3G", "hsdpa": "3G", "hspa+": "3G",
    "4g": "4G", "lte": "4G", "lte-a": "4G", "lte+": "4G", "4g+": "4G",
    "5g": "5G", "nr": "5G", "5g-nr": "5G",
}
# LTE / NR band numbers some lists use instead of MHz.
_BAND_NUMBERS = {"1": 2100, "3": 1800, "7": 2600, "8": 900, "28": 700, "40": 2300,
                 "41": 2500, "78": 3500, "77": 3700}


def normalise_operator(text: str) -> str | None:
    """Canonical operator name, or None when not recognised."""
    key = fold(text).replace(" ", "")
    if not key:
        return None
    if "viettel" in key or key in ("vtl", "vt"):
        return "Viettel"
    if "vinaphone" in key or key.startswith("vnpt") or key in ("vina", "vnp", "gpc"):
        return "VinaPhone"
    if "mobifone" in key or "mobiphone" in key or key in ("mobi", "mbf", "vms"):
        return "MobiFone"
    if "vietnamobile" in key or key in ("vnm", "vnmobile", "htmobile"):
        return "Vietnamobile"
    if "gmobile" in key or "gtel" in key or "beeline" in key:
        return "Gmobile"
    return None


def normalise_technologies(text: str) -> list[str] | None:
    """``["2G", "4G"]`` for "GSM, LTE"; None when a token is not a technology."""
    tokens = [t for t in re.split(r"[,;/&+\s]+|\bvà\b|\band\b", text.lower()) if t]
    out: list[str] = []
    for token in tokens:
        tech = _TECH_TOKENS.get(token.strip("()."))
        if tech is None:
            return None
        if tech not in out:
            out.append(tech)
    return out or None


def _bands(text: str) -> list[float] | None:
    """MHz values of a band cell ("1800", "900/1800", "B3", "n78"); None when unreadable."""
    out = []
    for token in re.split(r"[,;/&+]+", text):
        token = token.strip().lower()
        if not token:
            continue
        band = re.fullmatch(r"(?:b|band|n)\s*(\d{1,2})", token)
        if band and band.group(1) in _BAND_NUMBERS:
            out.append(float(_BAND_NUMBERS[band.group(1)]))
            continue
        number = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(?:mhz)?", token)
        if not number:
            return None
        out.append(float(number.group(1).replace(",", ".")))
    return out


def _unique_ids(base: list[str], techs: list[str], ops: list[str], rows: list[int],
                report: ImportReport) -> list[str]:
    ids = list(base)
    for step in (lambda i: f"{base[i]}-{techs[i]}",
                 lambda i: f"{OPERATOR_CODES.get(ops[i], ops[i])}-{base[i]}-{techs[i]}"):
        counts = pd.Series(ids).value_counts()
        dup = [i for i, v in enumerate(ids) if counts[v] > 1]
        for i in dup:
            ids[i] = step(i)
    counts = pd.Series(ids).value_counts()
    for i, v in enumerate(ids):
        if counts[v] > 1:
            others = [rows[j] for j, w in enumerate(ids) if w == v and j != i]
            report.problem(rows[i], "site_id",
                           f"duplicate site id {base[i]!r} ({ops[i]} {techs[i]}), also on "
                           f"row {RowList.of(others)}.", "duplicate_id", id=base[i],
                           other=RowList.of(others))
    if ids != base:
        report.warn("site ids repeated across technologies or operators were extended with "
                    "the technology (and operator)", "site_ids_extended")
    return ids


def import_sites(raw: RawTable, report: ImportReport, operator: str | None = None) -> None:
    """Fill ``report`` from an operator table or an OpenCelliD extract."""
    if _is_opencellid(raw):
        import_opencellid(raw, report)
        return
    rows = table_rows(raw, SITE_ALIASES, report)
    source = raw.file_name
    radio = SETTINGS.radio
    default_op = normalise_operator(operator) if operator else None
    if operator and default_op is None:
        default_op = operator.strip()
    if "operator" not in rows.columns and default_op is None:
        raise DataError("no operator column ('Nhà mạng' / 'operator').", source=source,
                        fix="add the column, or give the operator of the whole file "
                            "(--operator).", code="no_column",
                        params={"column": "Nhà mạng / operator"})
    if "technology" not in rows.columns:
        raise DataError("no technology column ('Công nghệ' / 'technology').", source=source,
                        fix="add it: 2G, 3G, 4G or 5G on each row.", code="no_column",
                        params={"column": "Công nghệ / technology"})
    if rows.geometry is not None:
        geoms = geometry_to_wgs84(rows.geometry, report, source)
        points, coord_col = geoms, None
    else:
        points, coord_col = column_coordinates(rows, report, source)
    heights = numbers(rows, "height_m", report)
    eirps = numbers(rows, "eirp_dbm", report)
    azimuths = numbers(rows, "azimuth_deg", report) if "azimuth_deg" in rows.columns else None
    beams = numbers(rows, "beamwidth_deg", report)
    op_text, tech_text = rows.text("operator"), rows.text("technology")
    band_text, id_text, tower_text = rows.text("band_mhz"), rows.text("site_id"), \
        rows.text("tower_id")
    az_text = rows.text("azimuth_deg")
    unknown_ops: set[str] = set()
    multi_az: list[int] = []
    recs: dict[str, list] = {k: [] for k in (
        "site_id", "tower_id", "operator", "technology", "band_mhz", "lon", "lat", "height_m",
        "eirp_dbm", "azimuth_deg", "beamwidth_deg", "assumed")}
    geoms_out, index, generated = [], [], []
    accepted = set()
    for row in rows.frame.index:
        row = int(row)
        n_before = len(report.problems)
        point = points[row]
        if not isinstance(point, shapely.Point) or point.is_empty:
            if no_geometry(point):
                report.problem(row, coord_col, "no coordinates.", "missing_value",
                               column=coord_col or "")
            else:
                report.problem(row, None, f"geometry must be a point, not {point.geom_type}.",
                               "geometry_type", found=point.geom_type, expected="Point")
        op = normalise_operator(op_text[row]) if op_text[row] else default_op
        if op is None and op_text[row]:
            op = op_text[row]
            unknown_ops.add(op)
        if not op:
            report.problem(row, rows.columns.get("operator"), "no operator.", "missing_value",
                           column=rows.columns.get("operator", "operator"))
        techs = normalise_technologies(tech_text[row])
        if techs is None:
            report.problem(row, rows.columns["technology"],
                           f"technology {tech_text[row]!r} not recognised: use 2G, 3G, 4G, "
                           "5G (or GSM, UMTS, LTE, NR).", "unknown_technology",
                           value=tech_text[row])
            techs = []
        bands = _bands(band_text[row]) if band_text[row] else []
        if bands is None:
            report.problem(row, rows.columns["band_mhz"],
                           f"band {band_text[row]!r} not readable (MHz).", "not_number",
                           value=band_text[row])
            bands = []
        checks = (("height_m", heights[row], radio.height_range_m),
                  ("eirp_dbm", eirps[row], radio.eirp_range_dbm))
        for name, value, (lo, hi) in checks:
            if not math.isnan(value) and not lo <= value <= hi:
                report.problem(row, rows.columns[name], f"{name} {value:g} outside "
                               f"{lo:g}–{hi:g}.", "out_of_range", value=f"{value:g}",
                               low=f"{lo:g}", high=f"{hi:g}")
        azimuth = np.nan
        if azimuths is not None:
            if re.search(r"[,;/]", az_text[row]):
                multi_az.append(row)
            elif not math.isnan(azimuths[row]):
                azimuth = azimuths[row] % 360
        if len(report.problems) > n_before:
            continue
        accepted.add(row)
        for k, tech in enumerate(techs):
            assumed = []
            if len(bands) == len(techs):
                band = bands[k]
            elif len(bands) == 1 and len(techs) == 1:
                band = bands[0]
            else:
                band = float(radio.default_band_mhz[tech])
                assumed.append("band_mhz")
            lo, hi = radio.band_range_mhz
            if not lo <= band <= hi:
                report.problem(row, rows.columns.get("band_mhz"), f"band {band:g} MHz outside "
                               f"{lo:g}–{hi:g}.", "out_of_range", value=f"{band:g}",
                               low=f"{lo:g}", high=f"{hi:g}")
            height, eirp = heights[row], eirps[row]
            if math.isnan(height):
                height = radio.default_height_m
                assumed.append("height_m")
            if math.isnan(eirp):
                eirp = radio.default_eirp_dbm
                assumed.append("eirp_dbm")
            base = id_text[row]
            if not base:
                base = f"{OPERATOR_CODES.get(op, 'BTS')}-{row:05d}"
                generated.append(row)
            recs["site_id"].append(base)
            recs["tower_id"].append(tower_text[row] or base)
            recs["operator"].append(op)
            recs["technology"].append(tech)
            recs["band_mhz"].append(band)
            recs["lon"].append(round(point.x, 6))
            recs["lat"].append(round(point.y, 6))
            recs["height_m"].append(height)
            recs["eirp_dbm"].append(eirp)
            recs["azimuth_deg"].append(azimuth)
            recs["beamwidth_deg"].append(beams[row])
            recs["assumed"].append(";".join(assumed) or None)
            geoms_out.append(point)
            index.append(row)
    if unknown_ops:
        report.warn("operator names not recognised, kept as written: {names}",
                    "operators_unknown", names=", ".join(sorted(unknown_ops)))
    if multi_az:
        report.warn("rows {rows}: several azimuths in one cell, modelled as omni",
                    "multi_azimuth", rows=RowList.of(multi_az))
    if generated:
        report.warn("rows {rows}: no site id, one was made up", "site_id_made_up",
                    rows=RowList.of(generated))
    if geoms_out:
        report_outside(report, gpd.GeoSeries(geoms_out, index=index, crs=SETTINGS.crs.display),
                       coord_col)
        recs["site_id"] = _unique_ids(recs["site_id"], recs["technology"], recs["operator"],
                                      index, report)
    assumed_rows = [r for r, a in zip(index, recs["assumed"], strict=True) if a]
    if assumed_rows:
        report.warn("{count} record(s) with band, height or EIRP taken from the settings "
                    "(see column 'assumed')", "parameters_assumed", count=len(assumed_rows))
    report.rows_accepted = len(accepted) if not report.problems else 0
    gdf = imported_frame(recs, geoms_out, index)
    report.preview = _preview(gdf)
    finish(report, "sites", gdf)


def _preview(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(gdf.drop(columns="geometry"))
    frame.insert(0, "row", frame.index)
    return frame.reset_index(drop=True)


# --- OpenCelliD ----------------------------------------------------------------------------


def _is_opencellid(raw: RawTable) -> bool:
    if raw.cells is None or raw.cells.empty:
        return False
    first = [str(c).strip() for c in raw.cells.iloc[0]]
    if {"radio", "mcc", "net", "cell", "lon", "lat"} <= {c.lower() for c in first}:
        return True
    return (len(first) >= 13 and first[0].upper() in ("GSM", "UMTS", "LTE", "NR", "CDMA")
            and first[1].isdigit() and first[2].isdigit())


def _components(xy: np.ndarray, distance: float) -> np.ndarray:
    """Label of the group of each point: points closer than ``distance`` share a group."""
    parent = np.arange(len(xy))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tree = shapely.STRtree(shapely.points(xy))
    left, right = tree.query(shapely.points(xy), predicate="dwithin", distance=distance)
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([root(i) for i in range(len(xy))])


def import_opencellid(raw: RawTable, report: ImportReport) -> None:
    """Fill ``report`` from an OpenCelliD extract (see the module docstring)."""
    cfg = SETTINGS.imports
    cells = raw.cells
    has_header = str(cells.iloc[0, 0]).strip().lower() == "radio"
    if has_header:
        frame = cells.iloc[1:].copy()
        frame.columns = [str(c).strip().lower() for c in cells.iloc[0]]
    else:
        frame = cells.copy()
        frame.columns = list(OPENCELLID_COLUMNS[: frame.shape[1]]) + [
            f"extra{i}" for i in range(max(0, frame.shape[1] - len(OPENCELLID_COLUMNS)))]
    frame.index = range(1, len(frame) + 1)
    frame = frame[(frame != "").any(axis=1)]
    report.rows_read = len(frame)
    report.warn("OpenCelliD extract ({header} header line); positions are crowd-sourced "
                "estimates, often hundreds of metres off; data © OpenCelliD, CC BY-SA 4.0",
                "opencellid", header="with" if has_header else "without")
    mcc = frame["mcc"].str.strip()
    mnc = pd.to_numeric(frame["net"], errors="coerce")
    operator = mnc.map(lambda v: cfg.opencellid_mnc.get(str(int(v))) if v == v else None)
    tech = frame["radio"].str.strip().str.upper().map(cfg.opencellid_radio)
    lon = pd.to_numeric(frame["lon"], errors="coerce")
    lat = pd.to_numeric(frame["lat"], errors="coerce")
    keep = pd.Series(True, index=frame.index)
    reasons = (
        (mcc != cfg.opencellid_mcc, "mcc", "other country (MCC {v})", "other_country", mcc),
        (operator.isna(), "net", "network MNC {v} not a known operator", "unknown_network",
         frame["net"]),
        (tech.isna(), "radio", "radio {v} not used", "unknown_radio", frame["radio"]),
        (lon.isna() | lat.isna(), "lon", "no coordinates", "missing_value", frame["lon"]),
    )
    for mask, column, text, code, values in reasons:
        for row in frame.index[mask & keep]:
            value = values[row]
            report.exclude(int(row), column, text.format(v=value) + ".", code, value=value,
                           column=column)
        keep &= ~mask
    geoms = gpd.GeoSeries(shapely.points(lon[keep], lat[keep]), index=frame.index[keep],
                          crs=SETTINGS.crs.display)
    out_mask = pd.Series(outside(geoms), index=geoms.index)
    for row in out_mask.index[out_mask]:
        report.exclude(int(row), "lon", f"outside Lào Cai: lon {lon[row]}, lat {lat[row]}.",
                       "outside_excluded", lon=lon[row], lat=lat[row])
    keep[out_mask.index[out_mask]] = False
    if report.excluded_count:
        report.warn("{count} row(s) excluded (other networks, unused radios, or outside Lào "
                    "Cai): listed in the report", "opencellid_excluded",
                    count=report.excluded_count)
    if not keep.any():
        raise DataError(f"no cell of MCC {cfg.opencellid_mcc} inside Lào Cai.",
                        source=raw.file_name, fix="use an extract that covers the province.")
    sel = pd.DataFrame({"operator": operator[keep], "technology": tech[keep],
                        "lon": lon[keep], "lat": lat[keep]})
    x, y = transform(sel["lon"].to_numpy(), sel["lat"].to_numpy(), SETTINGS.crs.display,
                     SETTINGS.crs.metric)
    sel["x"], sel["y"] = x, y
    radio = SETTINGS.radio
    recs: dict[str, list] = {k: [] for k in ("site_id", "tower_id", "operator", "technology",
                                             "band_mhz", "lon", "lat", "height_m", "eirp_dbm",
                                             "azimuth_deg", "beamwidth_deg", "assumed")}
    index: list[int] = []
    site_xy: list[tuple[float, float]] = []
    for (op, tech), group in sel.groupby(["operator", "technology"], sort=True):
        labels = _components(group[["x", "y"]].to_numpy(), cfg.cell_group_distance_m)
        for k, label in enumerate(pd.unique(labels), start=1):
            members = group[labels == label]
            mx, my = members["x"].mean(), members["y"].mean()
            recs["site_id"].append(f"OCID-{OPERATOR_CODES.get(op, op)}-{tech}-{k:05d}")
            recs["operator"].append(op)
            recs["technology"].append(tech)
            recs["band_mhz"].append(float(radio.default_band_mhz[tech]))
            recs["height_m"].append(radio.default_height_m)
            recs["eirp_dbm"].append(radio.default_eirp_dbm)
            recs["azimuth_deg"].append(np.nan)
            recs["beamwidth_deg"].append(np.nan)
            recs["assumed"].append("band_mhz;height_m;eirp_dbm")
            index.append(int(members.index.min()))
            site_xy.append((mx, my))
    xy = np.asarray(site_xy)
    lon_s, lat_s = transform(xy[:, 0], xy[:, 1], SETTINGS.crs.metric, SETTINGS.crs.display)
    recs["lon"] = list(np.round(lon_s, 6))
    recs["lat"] = list(np.round(lat_s, 6))
    # Towers: sites of one operator (any technology) within the grouping distance.
    ops = np.asarray(recs["operator"])
    towers = np.empty(len(ops), dtype=object)
    for op in pd.unique(ops):
        idx = np.flatnonzero(ops == op)
        labels = _components(xy[idx], cfg.cell_group_distance_m)
        names = {lab: f"OCID-{OPERATOR_CODES.get(op, op)}-T{j:05d}"
                 for j, lab in enumerate(pd.unique(labels), start=1)}
        towers[idx] = [names[lab] for lab in labels]
    recs["tower_id"] = list(towers)
    report.warn("{cells} cell(s) grouped into {count} site record(s) (one operator × "
                "technology within {distance} m); band, height and EIRP assumed from the "
                "settings", "opencellid_grouped", cells=int(keep.sum()), count=len(index),
                distance=f"{cfg.cell_group_distance_m:g}")
    report.rows_accepted = int(keep.sum())
    gdf = imported_frame(recs, list(shapely.points(lon_s, lat_s)), index)
    report.preview = _preview(gdf)
    finish(report, "sites", gdf)
