"""Import field measurements of the received level (drive or walk tests) as the
``measurements`` layer (:data:`geo.schema.MEASUREMENTS`).

Formats, recognised from the header line:

G-NetTrack Pro log export (tab-separated ``.txt``)
    ``Timestamp Longitude Latitude Speed Operatorname Operator CGI Cellname Node CellID LAC
    NetworkTech NetworkMode Level Qual SNR CQI LTERSSI ARFCN DL_bitrate UL_bitrate ...``.
    ``Timestamp`` is the phone's local time written ``2026.03.31_14.43.00``; ``Operator`` is
    MCC+MNC (``45204``); ``NetworkTech`` 2G/3G/4G/5G and ``NetworkMode`` GSM, EDGE, HSPA+, LTE,
    NR...; ``Level`` the serving cell's RSRP (4G/5G), RSCP (3G) or RxLev (2G) in dBm.
    Sources: Gyokov Solutions' column list as quoted in the brief of issue 16, and two public
    readers of such logs, a G-NetTrack Pro TXT parser (column order ts, lon, lat, speed,
    operator, mcc, cgi, cellname, node, cellid, lac, tech, mode, level, qual, snr, cqi,
    lte_rssi, arfcn, dl, ul, ... and the ``yyyy.MM.dd_HH.mm.ss`` timestamp) and
    ``shunrin824/gnt2influx`` (Level = RSRP/RSCP/RxLev, Qual = RSRQ/EcNo/RxQual). Columns
    are found by name, not position, so added or reordered columns do not matter.
CellMapper CSV export
    ``Latitude,Longitude,Altitude,MCC,MNC,LAC,Cell,Signal,Type,Subtype,ARFCN,PCI`` (Type GSM,
    UMTS, LTE or NR; Subtype LTE, NSA, SA), as read by NerdTech's Cell Data Viewer
    (``NerdTech-aut/cmcdv``, ``headersCM``). No time column.
NetMonster CSV export
    **Best effort**: no public description of NetMonster's CSV columns was found. A CSV with
    ``MCC`` and ``MNC`` columns, a technology column and per-technology level columns
    (``RSRP``, ``SS-RSRP``, ``RSCP``, ``RSSI``/``RxLev``), as NetMonster and similar loggers
    (Tower Collector) write, is read with the level of the row's technology: SS-RSRP or RSRP
    for 5G, RSRP for 4G, RSCP for 3G, RxLev or RSSI for 2G.
Plain tables (CSV, XLSX) and GeoJSON/GeoPackage points
    Vietnamese or English headers, any case, with or without diacritics or a unit in
    brackets: "Kinh độ"/"Vĩ độ" (or lon/lat, or VN-2000 X/Y metres: the coordinate system is
    recognised as for the other layers), "Nhà mạng"/operator or MCC/MNC, "Công nghệ"/
    technology, "Cường độ tín hiệu (dBm)"/signal (or RSRP/RSCP/RxLev columns), "Thời
    gian"/time, "Mã cell"/cell id, "Tuyến đo"/track.

Every value is checked the same way whatever the format, one vectorised pass over the rows: a
row with no position, no or an unknown operator (other MNCs, other countries), an unknown
technology, no level or an impossible one (outside
``SETTINGS.imports.measurement_signal_range_dbm``), an unreadable time, or outside the province
plus ``SETTINGS.study_area.import_margin_m`` is a problem, and the file is refused with the
list (:mod:`geo.importers`). Times without a time zone are taken as local time
(``SETTINGS.imports.measurement_utc_offset_h``) and stored in UTC.
"""

from __future__ import annotations

from pathlib import PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import DataError, RowList
from geo.import_common import (
    COORD_ALIASES,
    IMPORTED,
    ImportReport,
    Rows,
    column_coordinates,
    find_header,
    finish,
    geometry_to_wgs84,
    header_key,
    numbers,
    outside,
    table_rows,
)
from geo.import_sites import normalise_operator
from geo.readers import RawTable
from geo.settings import SETTINGS

FORMAT_NAMES = {"gnettrack": "G-NetTrack Pro log", "cellmapper": "CellMapper CSV export",
                "netmonster": "NetMonster-style CSV export (MCC, MNC and levels by technology)",
                "table": "table", "vector": "vector file"}

_TIME = ("thoi gian", "time", "timestamp", "ngay gio", "thoi diem", "date time", "datetime",
         "thoi gian do", "measured at", "ngay do", "date")
_CELL = ("cgi", "ma cell", "cell id", "cellid", "ma tram cell", "eci", "nci", "cid", "ci",
         "cell")
_TRACK = ("tuyen do", "tuyen", "hanh trinh", "lo trinh", "track", "session", "phien do",
          "phien", "route")
_ID = ("ma diem do", "ma do", "measurement id", "sample id", "ma mau", "id")
_LEVELS = {
    "rsrp": ("rsrp", "lte rsrp", "rsrp dbm"),
    "ss_rsrp": ("ss rsrp", "nr ss rsrp", "ssrsrp", "nr rsrp", "csi rsrp"),
    "rscp": ("rscp", "rscp dbm"),
    "rxlev": ("rxlev", "rx lev", "rxlevel", "rx level"),
    "rssi": ("rssi", "gsm rssi", "dbm"),
}

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    # Column names exactly as the app writes them (folded by header_key).
    "gnettrack": {
        "lon": ("longitude",), "lat": ("latitude",), "time": ("timestamp",),
        "operator": ("operatorname",), "op_code": ("operator",),
        "cell_id": ("cgi",), "cell_id_alt": ("cellid",),
        "technology": ("networktech",), "technology_alt": ("networkmode",),
        "signal": ("level",),
    },
    "cellmapper": {
        "lat": ("latitude",), "lon": ("longitude",), "mcc": ("mcc",), "mnc": ("mnc",),
        "cell_id": ("cell",), "signal": ("signal",), "technology": ("type",),
        "technology_alt": ("subtype",), "time": ("date", "time", "timestamp"),
    },
    "netmonster": {
        "lon": ("longitude", "lon", "lng", "long"), "lat": ("latitude", "lat"),
        "time": ("timestamp", "date", "time", "measured at", "datetime"),
        "mcc": ("mcc",), "mnc": ("mnc", "net"), "op_code": ("plmn", "mcc mnc"),
        "operator": ("operator", "operator name", "carrier", "network operator"),
        "technology": ("technology", "tech", "network type", "net type", "rat", "type",
                       "radio", "system"),
        "cell_id": ("cgi", "ci", "cid", "eci", "nci", "cell id", "cellid", "cell"),
        "signal": ("signal", "level", "signal dbm"),
        **_LEVELS,
        "track": _TRACK,
    },
    "table": {
        "measurement_id": _ID,
        "time": _TIME,
        "operator": ("nha mang", "operator", "doanh nghiep", "mang", "ten nha mang",
                     "operator name", "operatorname", "carrier", "network"),
        "op_code": ("plmn", "mcc mnc", "mccmnc", "ma mang"),
        "mcc": ("mcc",), "mnc": ("mnc", "net"),
        "technology": ("cong nghe", "technology", "tech", "cong nghe mang", "loai mang",
                       "networktech", "network type", "rat", "radio", "type"),
        "technology_alt": ("networkmode", "network mode", "che do mang"),
        "signal": ("cuong do tin hieu", "muc tin hieu", "cuong do", "muc thu", "signal",
                   "signal dbm", "signal strength", "level", "tin hieu"),
        **_LEVELS,
        "cell_id": ("ma cell", *_CELL),
        "track": _TRACK,
        **COORD_ALIASES,
    },
}

_TECH = {
    "2g": "2G", "gsm": "2G", "gprs": "2G", "edge": "2G", "egprs": "2G",
    "3g": "3G", "umts": "3G", "wcdma": "3G", "hspa": "3G", "hspa+": "3G", "hspap": "3G",
    "hsdpa": "3G", "hsupa": "3G", "hspa plus": "3G", "td scdma": "3G", "3g+": "3G",
    "4g": "4G", "lte": "4G", "lte a": "4G", "lte-a": "4G", "lte+": "4G", "4g+": "4G",
    "lte ca": "4G", "lte-ca": "4G", "lte advanced": "4G", "4g lte": "4G",
    "5g": "5G", "nr": "5G", "nr nsa": "5G", "nr-nsa": "5G", "nr sa": "5G", "nr-sa": "5G",
    "5g nsa": "5G", "5g sa": "5G", "5g nr": "5G", "5g-nr": "5G", "nsa": "5G", "sa": "5G",
    "endc": "5G", "en dc": "5G", "5g+": "5G",
}
_G_NETTRACK_TIME = "%Y.%m.%d_%H.%M.%S"


def detect_format(keys: set[str]) -> str:
    """Format of a table from its folded header names (see the module docstring)."""
    if {"timestamp", "operatorname", "networktech", "level", "longitude", "latitude"} <= keys:
        return "gnettrack"
    if {"latitude", "longitude", "mcc", "mnc", "cell", "signal", "type", "subtype"} <= keys:
        return "cellmapper"
    if {"mcc", "mnc"} <= keys and keys & {"rsrp", "rscp", "rssi", "ss rsrp"}:
        return "netmonster"
    return "table"


def _technology(text: str) -> str | None:
    key = " ".join(text.strip().lower().replace("_", " ").split())
    if not key:
        return None
    if key in _TECH:
        return _TECH[key]
    for prefix, tech in (("nr", "5G"), ("5g", "5G"), ("lte", "4G"), ("4g", "4G"),
                         ("hspa", "3G"), ("umts", "3G"), ("wcdma", "3G"), ("3g", "3G"),
                         ("gsm", "2G"), ("edge", "2G"), ("2g", "2G")):
        if key.startswith(prefix + " ") or key.startswith(prefix + "-"):
            return tech
    return None


def _per_unique(values: pd.Series, func) -> pd.Series:
    """``func`` applied to each distinct value only (a log repeats a handful of names)."""
    uniques = pd.unique(values.to_numpy())
    table = {u: func(u) for u in uniques}
    return values.map(table)


def _on_distinct(values: pd.Series, func) -> pd.Series:
    """Vectorised ``func`` (Series → Series) run on the distinct values only, mapped back."""
    uniques = pd.Series(pd.unique(values.to_numpy()), dtype=object)
    uniques = uniques.astype(values.dtype) if len(uniques) else uniques
    result = func(uniques.reset_index(drop=True))
    table = dict(zip(uniques.tolist(), result.tolist(), strict=True))
    return values.map(table).astype(object)


def _known_operator(text: str) -> str | None:
    op = normalise_operator(text)
    return op if op in SETTINGS.radio.operators else None


def _mnc_operator(mcc: pd.Series, mnc: pd.Series) -> pd.Series:
    """Operator of MCC/MNC cells ("452", "4" or "04"); None where not a Vietnamese network
    of the settings; "" where both are empty."""
    cfg = SETTINGS.imports
    mnc_num = pd.to_numeric(mnc.where(mnc != ""), errors="coerce")
    key = mnc_num.map(lambda v: str(int(v)) if v == v else "")
    op = key.map(lambda k: cfg.opencellid_mnc.get(k)).where(lambda s: s.isin(
        SETTINGS.radio.operators), None)
    foreign = (mcc != "") & (mcc != cfg.opencellid_mcc)
    op = op.where(~foreign, None).astype(object)
    op[(mcc == "") & (mnc == "")] = ""
    return op


def _code_operator(code: pd.Series) -> pd.Series:
    """Operator of MCC+MNC codes written together ("45204", "452-04", "452 04", a CGI
    "452-04-..."): None when not one of the settings' operators, "" when empty."""
    digits = code.str.replace(r"[\s\-_:/.]", "", regex=True)
    head = code.str.extract(r"^\s*(\d{3})\D?(\d{1,3})", expand=True)
    mcc = head[0].fillna(digits.str[:3])
    mnc = head[1].fillna(digits.str[3:5])
    op = _mnc_operator(mcc.fillna(""), mnc.fillna(""))
    op[code == ""] = ""
    return op


def _signal(rows: Rows, tech: pd.Series, report: ImportReport) -> tuple[pd.Series, pd.Series]:
    """Level (dBm) of each row and the column it came from: the generic level column, else
    the one of the row's technology (RSRP 4G, SS-RSRP/RSRP 5G, RSCP 3G, RxLev/RSSI 2G)."""
    cols = rows.columns
    specific = [n for n in _LEVELS if n in cols]
    if "signal" not in cols and not specific:
        raise DataError("no signal level column ('Cường độ tín hiệu (dBm)' / 'signal', or "
                        "RSRP / RSCP / RxLev).", source=report.file_name, code="no_column",
                        params={"column": "Cường độ tín hiệu (dBm) / signal"})
    index = rows.frame.index
    if "signal" in cols:
        value = numbers(rows, "signal", report)
    else:
        value = pd.Series(np.nan, index=index)
    column = pd.Series(cols.get("signal") or cols[specific[0]], index=index, dtype=object)
    read: dict[str, pd.Series] = {}
    for t, names in (("5G", ("ss_rsrp", "rsrp")), ("4G", ("rsrp",)), ("3G", ("rscp",)),
                     ("2G", ("rxlev", "rssi"))):
        for name in names:
            take = (tech == t) & value.isna()
            if name not in cols or not take.any():
                continue
            if name not in read:
                read[name] = numbers(rows, name, report)
            column[take] = cols[name]
            value[take] = read[name][take]
    return value, column


def _times(text: pd.Series, fmt: str, report: ImportReport) -> tuple[pd.Series, pd.Series]:
    """ISO 8601 UTC text of each time ("" when empty) and the mask of unreadable ones."""
    has = text != ""
    out = pd.Series("", index=text.index, dtype=object)
    if not has.any():
        return out, has
    given = text[has]
    offset = pd.Timedelta(hours=SETTINGS.imports.measurement_utc_offset_h)
    parsed = pd.Series(pd.NaT, index=given.index, dtype="datetime64[ns, UTC]")
    local = pd.Series(False, index=given.index)
    if fmt == "gnettrack":
        naive = pd.to_datetime(given, format=_G_NETTRACK_TIME, errors="coerce")
        ok = naive.notna()
        parsed[ok] = (naive[ok] - offset).dt.tz_localize("UTC")
        local |= ok
    left = parsed.isna()
    numeric = pd.to_numeric(given.where(left), errors="coerce")
    epoch = numeric.notna() & (numeric > 1e8)
    if epoch.any():  # seconds, or milliseconds since 1970
        secs = numeric[epoch].where(numeric[epoch] < 1e11, numeric[epoch] / 1000)
        parsed[epoch] = pd.to_datetime(secs, unit="s", utc=True)
    left = parsed.isna()
    if left.any():
        rest = given[left]
        aware = rest.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
        for mask, is_local in ((aware, False), (~aware, True)):
            part = rest[mask]
            if part.empty:
                continue
            iso = pd.to_datetime(part, format="ISO8601", errors="coerce", utc=not is_local)
            miss = iso.isna()
            if miss.any():
                other = pd.to_datetime(part[miss], format="mixed", dayfirst=True,
                                       errors="coerce", utc=not is_local)
                iso = iso.astype(other.dtype) if len(other) else iso
                iso[miss] = other
            ok = iso.notna()
            if is_local:
                vals = iso[ok]
                if getattr(vals.dt, "tz", None) is not None:
                    vals = vals.dt.tz_convert("UTC")
                else:
                    vals = (vals - offset).dt.tz_localize("UTC")
                parsed[ok[ok].index] = vals
                local[ok[ok].index] = True
            else:
                parsed[ok[ok].index] = iso[ok]
    good = parsed.notna()
    out[good[good].index] = parsed[good].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    bad = pd.Series(False, index=text.index)
    bad[good.index[~good]] = True
    if local.any():
        hours = SETTINGS.imports.measurement_utc_offset_h
        report.warn("times without a time zone read as local time (UTC+{hours}) and stored "
                    "in UTC", "measurement_local_time", hours=f"{hours:g}")
    return out, bad


def _frame_keys(raw: RawTable) -> set[str]:
    if raw.frame is not None:
        return {header_key(c) for c in raw.frame.columns if c != raw.frame.geometry.name}
    cells = raw.cells if raw.cells is not None else pd.DataFrame()
    if cells.empty:
        return set()
    union: dict[str, tuple[str, ...]] = {}
    for aliases in ALIASES.values():
        for name, names in aliases.items():
            union[name] = (*union.get(name, ()), *names)
    return {header_key(c) for c in cells.iloc[find_header(cells, union)]}


def import_measurements(raw: RawTable, report: ImportReport, operator: str | None = None
                        ) -> None:
    """Fill ``report`` from a measurement file (see the module docstring)."""
    source = raw.file_name
    fmt = "vector" if raw.frame is not None else detect_format(_frame_keys(raw))
    aliases = ALIASES["table" if fmt == "vector" else fmt]
    rows = table_rows(raw, aliases, report)
    cols = rows.columns
    if fmt not in ("table", "vector"):
        report.warn("read as a {format}", "measurement_format", format=FORMAT_NAMES[fmt])
    default_op = _known_operator(operator) if operator else None
    if operator and default_op is None:
        raise DataError(f"operator {operator!r} not recognised.", source=source,
                        fix="give Viettel, VinaPhone, MobiFone or Vietnamobile.")
    if not ({"operator", "op_code", "mnc"} & set(cols)) and default_op is None:
        raise DataError("no operator column ('Nhà mạng' / 'operator', or MNC).", source=source,
                        fix="add the column, or give the operator of the whole file "
                            "(--operator).", code="no_column",
                        params={"column": "Nhà mạng / operator"})
    if "technology" not in cols and "technology_alt" not in cols:
        raise DataError("no technology column ('Công nghệ' / 'technology').", source=source,
                        fix="add it: 2G, 3G, 4G or 5G on each row.", code="no_column",
                        params={"column": "Công nghệ / technology"})
    index = rows.frame.index

    # Position.
    if rows.geometry is not None:
        geoms = geometry_to_wgs84(rows.geometry, report, source)
        values = geoms.to_numpy()
        is_point = np.asarray(shapely.get_type_id(values) == 0)
        empty = np.asarray(shapely.is_missing(values) | shapely.is_empty(values))
        coord_col = None
        wrong = ~is_point & ~empty
        for row in index[wrong]:
            report.problem(int(row), None, "geometry must be a point, not "
                           f"{geoms[row].geom_type}.", "geometry_type",
                           found=geoms[row].geom_type, expected="Point")
        lon = pd.Series(np.where(is_point, shapely.get_x(values), np.nan), index=index)
        lat = pd.Series(np.where(is_point, shapely.get_y(values), np.nan), index=index)
        no_position = pd.Series(empty, index=index)
    else:
        points, coord_col = column_coordinates(rows, report, source)
        values = points.to_numpy()
        lon = pd.Series(shapely.get_x(values), index=index)
        lat = pd.Series(shapely.get_y(values), index=index)
        no_position = lon.isna() | lat.isna()

    # Operator: MCC+MNC first (unambiguous), then the name, then the file's.
    op = pd.Series("", index=index, dtype=object)
    op_col = pd.Series(cols.get("operator", ""), index=index, dtype=object)
    op_text = pd.Series("", index=index, dtype=object)
    for field in ("op_code", "mnc"):
        if field not in cols:
            continue
        if field == "op_code":
            text = rows.text("op_code")
            found = _on_distinct(text, _code_operator)
        else:
            text = (rows.text("mcc") + "-" + rows.text("mnc")).str.strip("-")
            pairs = rows.text("mcc") + "\t" + rows.text("mnc")
            found = _on_distinct(pairs, lambda u: _mnc_operator(
                u.str.split("\t").str[0], u.str.split("\t").str[1]))
        take = (op == "") & (found != "")
        op[take] = found[take]
        op_text[take] = text[take]
        op_col[take] = cols[field]
    if "operator" in cols:
        names = rows.text("operator")
        by_name = _per_unique(names, _known_operator)
        take = ((op == "") | op.isna()) & (names != "")
        # A recognised name mends a code that is not a known network; else keep the problem.
        take &= by_name.notna() | (op == "")
        op[take] = by_name[take]
        op_text[take & by_name.isna()] = names[take & by_name.isna()]
        op_col[take] = cols["operator"]
    if default_op is not None:
        op[op == ""] = default_op
    unknown_op = op.isna()
    missing_op = op == ""

    # Technology: the first column, then the second (G-NetTrack NetworkMode, CellMapper
    # Subtype) where the first is empty or not a technology.
    tech = pd.Series(None, index=index, dtype=object)
    tech_text = pd.Series("", index=index, dtype=object)
    tech_col = pd.Series(cols.get("technology", cols.get("technology_alt", "")), index=index,
                         dtype=object)
    for field in ("technology", "technology_alt"):
        if field not in cols:
            continue
        text = rows.text(field)
        found = _per_unique(text, _technology)
        if fmt == "cellmapper" and field == "technology_alt":
            break  # the subtype (NSA, SA, LTE) only refines the type
        take = tech.isna() & found.notna()
        tech[take] = found[take]
        blank = (tech_text == "") & (text != "")
        tech_text[blank] = text[blank]
        tech_col[blank & tech.isna()] = cols[field]
    no_tech = tech.isna() & (tech_text == "")
    unknown_tech = tech.isna() & (tech_text != "")

    signal, signal_col = _signal(rows, tech, report)
    lo, hi = SETTINGS.imports.measurement_signal_range_dbm
    no_signal = signal.isna()
    bad_signal = signal.notna() & ((signal < lo) | (signal > hi))

    time_text, bad_time = _times(rows.text("time"), fmt, report)
    if "cell_id" in cols:
        cell = rows.text("cell_id")
        if "cell_id_alt" in cols:
            cell = cell.where(cell != "", rows.text("cell_id_alt"))
    else:
        cell = rows.text("cell_id_alt")
    track = rows.text("track")
    track = track.where(track != "", PurePath(source).stem)
    ids = rows.text("measurement_id")
    made_up = ids == ""
    ids = ids.where(~made_up, "M" + pd.Series(index, index=index).astype(str).str.zfill(6))

    # Problems, row by row only where something is wrong.
    number_problems = {p.row for p in report.problems}
    checks = (
        (no_position, coord_col, "no coordinates.", "missing_value",
         lambda r: {"column": coord_col or ""}),
        (missing_op, cols.get("operator"), "no operator.", "missing_value",
         lambda r: {"column": cols.get("operator", "operator")}),
        (unknown_op, None, None, "unknown_operator", None),
        (no_tech, cols.get("technology"), "no technology.", "missing_value",
         lambda r: {"column": cols.get("technology", "technology")}),
        (unknown_tech, None, None, "unknown_technology", None),
        (no_signal & ~pd.Series(index.isin(list(number_problems)), index=index), None,
         "no signal level.", "missing_value", None),
        (bad_signal, None, None, "signal_impossible", None),
        (bad_time, cols.get("time"), None, "not_time", None),
    )
    for mask, column, text, code, params in checks:
        for row in index[mask.to_numpy()]:
            row = int(row)
            if code == "unknown_operator":
                value = op_text[row]
                report.problem(row, op_col[row] or None,
                               f"operator {value!r} not recognised: not one of "
                               f"{', '.join(SETTINGS.radio.operators)} (MCC-MNC 452-04, "
                               "452-02, 452-01, 452-05).", code, value=value)
            elif code == "unknown_technology":
                report.problem(row, tech_col[row] or None,
                               f"technology {tech_text[row]!r} not recognised: use 2G, 3G, "
                               "4G, 5G (or GSM, UMTS, LTE, NR).", code, value=tech_text[row])
            elif code == "signal_impossible":
                value = f"{signal[row]:g}"
                report.problem(row, signal_col[row], f"signal {value} dBm is impossible: a "
                               f"measured level lies between {lo:g} and {hi:g} dBm.", code,
                               value=value, low=f"{lo:g}", high=f"{hi:g}")
            elif code == "not_time":
                value = rows.text("time")[row]
                report.problem(row, column, f"time {value!r} not readable: write ISO 8601, "
                               "e.g. 2025-06-30T08:15:00+07:00.", code, value=value)
            elif column is None and text == "no signal level.":
                report.problem(row, signal_col[row], text, code, column=signal_col[row])
            else:
                report.problem(row, column, text, code, **params(row))
    placed = ~no_position & lon.notna() & lat.notna()
    if placed.any():
        pts = gpd.GeoSeries(shapely.points(lon[placed].to_numpy(), lat[placed].to_numpy()),
                            index=index[placed.to_numpy()], crs=SETTINGS.crs.display)
        far = pd.Series(outside(pts), index=pts.index)
        km = SETTINGS.study_area.import_margin_m / 1000
        for row in far.index[far.to_numpy()]:
            x, y = lon[row], lat[row]
            report.problem(int(row), coord_col,
                           f"outside {SETTINGS.study_area.province} (more than {km:g} km "
                           f"beyond the province): lon {x:.5f}, lat {y:.5f}; check the "
                           "coordinates.", "outside", lon=f"{x:.5f}", lat=f"{y:.5f}",
                           km=f"{km:g}")
    dup = ids.duplicated(keep=False) & ~made_up
    if dup.any():
        groups = pd.Series(ids[dup].index, index=ids[dup].index).groupby(ids[dup])
        for value, members in groups:
            for row in members:
                others = [int(r) for r in members if r != row]
                report.problem(int(row), cols.get("measurement_id"),
                               f"duplicate id {value!r}, also on row {RowList.of(others)}.",
                               "duplicate_id", id=value, other=RowList.of(others))
    if made_up.any() and not made_up.all():
        report.warn("rows {rows}: no measurement id, one was made up", "measurement_id_made_up",
                    rows=RowList.of([int(r) for r in index[made_up.to_numpy()]]))

    report.problems.sort(key=lambda p: -1 if p.row is None else p.row)
    keep = placed.to_numpy()
    records = {
        "measurement_id": ids[keep].to_numpy(),
        "time": time_text[keep].to_numpy(),
        "operator": op[keep].to_numpy(),
        "technology": tech[keep].to_numpy(),
        "signal_dbm": signal[keep].to_numpy(),
        "cell_id": cell[keep].to_numpy(),
        "track": track[keep].to_numpy(),
    }
    gdf = gpd.GeoDataFrame(records, geometry=shapely.points(lon[keep].round(7).to_numpy(),
                                                            lat[keep].round(7).to_numpy()),
                           crs=SETTINGS.crs.display, index=index[keep])
    gdf["source"] = IMPORTED
    report.rows_accepted = len(gdf) if not report.problems else 0
    report.preview = _preview(gdf, rows, index)
    finish(report, "measurements", gdf)


def _preview(gdf: gpd.GeoDataFrame, rows: Rows, index: pd.Index) -> pd.DataFrame:
    frame = pd.DataFrame(gdf.drop(columns="geometry"))
    frame["lon"] = gdf.geometry.x.round(6)
    frame["lat"] = gdf.geometry.y.round(6)
    missing = index.difference(frame.index)
    out = pd.concat([frame, rows.frame.loc[missing]], axis=0) if len(missing) else frame
    out = out.sort_index()
    out.insert(0, "row", out.index)
    return out.reset_index(drop=True)

