"""Shared pieces of the importers: the report, header matching, numbers, coordinates.

Rows are numbered like :class:`~geo.errors.DataError` numbers them: 1-based data rows, the
header excluded (for a table with a title block, row 1 is the first row under the header).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import CrsGuess, detect_crs, to_lonlat
from geo.errors import DataError, Notice, message_params
from geo.readers import RawTable, Warns, cell_text
from geo.schema import validate
from geo.settings import SETTINGS
from geo.text import fold

IMPORTED = "imported"
KIND_LAYERS: dict[str, tuple[str, ...]] = {
    "sites": ("sites",),
    "points": ("points",),
    "villages": ("villages",),
    "fibre": ("fibre_routes", "fibre_nodes"),
    "dem": ("dem",),
    "landcover": ("landcover",),
    "measurements": ("measurements",),
}

# Coordinate columns every tabular layer may have (folded header keys, best first).
COORD_ALIASES: dict[str, tuple[str, ...]] = {
    "lon": ("kinh do", "lon", "long", "lng", "longitude", "kinh do wgs84", "kinh do dd"),
    "lat": ("vi do", "lat", "latitude", "vi do wgs84", "vi do dd"),
    "x": ("x", "toa do x", "x vn2000", "x vn 2000", "toa do x vn2000"),
    "y": ("y", "toa do y", "y vn2000", "y vn 2000", "toa do y vn2000"),
}


@dataclass(frozen=True)
class Problem:
    """Something wrong with one row (``row`` None: the whole file).

    ``code`` names the kind of problem so the app can translate it
    (:data:`i18n.import_messages.IMPORT_PROBLEMS`, :func:`i18n.messages.problem_text`), with
    ``params`` as the placeholders; ``message`` is English.
    """

    row: int | None
    column: str | None
    message: str
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def as_tuple(self) -> tuple[int | None, str | None, str]:
        return (self.row, self.column, self.message)


@dataclass
class ImportReport(Warns):
    """What an import found. Nothing is saved while ``problems`` is not empty.

    ``layers`` holds the validated GeoDataFrames (WGS84, ``source = "imported"``) keyed by
    layer name; ``preview`` the mapped rows (with a ``row`` column) even when there are
    problems; ``excluded`` rows left out on purpose (OpenCelliD: other networks, outside
    the province; at most ``SETTINGS.imports.max_listed_exclusions`` listed, all counted in
    ``excluded_count``); ``candidates`` the closest 2020 communes for each support-point row
    whose commune name did not match (pass the choice back as ``overrides``).
    """

    kind: str
    file_name: str
    sha256: str
    rows_read: int = 0
    rows_accepted: int = 0
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    preview: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)  # the warnings, translatable
    excluded: list[Problem] = field(default_factory=list)
    excluded_count: int = 0
    candidates: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    encoding: str | None = None
    crs_guess: CrsGuess | None = None
    dem_file: Path | None = None
    dem_bounds: tuple[float, float, float, float] | None = None
    landcover_file: Path | None = None
    landcover_bounds: tuple[float, float, float, float] | None = None

    @property
    def layer(self) -> str:
        """The target layer name(s), comma-separated (``fibre`` → routes and nodes)."""
        return ", ".join(self.layers) if self.layers else ", ".join(KIND_LAYERS[self.kind])

    @property
    def gdf(self) -> gpd.GeoDataFrame | None:
        """The validated layer when the import produced exactly one."""
        return next(iter(self.layers.values())) if len(self.layers) == 1 else None

    @property
    def ok(self) -> bool:
        """True when the import can be saved."""
        return not self.problems and (bool(self.layers) or self.dem_file is not None
                                      or self.landcover_file is not None)

    def problem(self, row: int | None, column: str | None, message: str, code: str = "",
                /, **params: object) -> None:
        self.problems.append(Problem(row, column, message, code, message_params(params)))

    def exclude(self, row: int | None, column: str | None, message: str, code: str = "",
                /, **params: object) -> None:
        self.excluded_count += 1
        if len(self.excluded) < SETTINGS.imports.max_listed_exclusions:
            self.excluded.append(Problem(row, column, message, code, message_params(params)))

    def problem_lines(self, describe: Callable[[Problem], str] | None = None) -> list[str]:
        """``file:row:column: problem`` lines (``-`` for a missing row or column); the problem
        as ``describe`` says it (default: its English message)."""
        return [
            f"{self.file_name}:{p.row if p.row is not None else '-'}:"
            f"{p.column or '-'}: {describe(p) if describe else p.message}"
            for p in self.problems
        ]

    def summary(self, *, warnings: Sequence[str] | None = None,
                describe: Callable[[Problem], str] | None = None) -> str:
        """A few lines for the command line; ``warnings`` and ``describe`` say the warnings
        and the problems in another language (default: English)."""
        lines = [f"{self.file_name} (sha256 {self.sha256[:12]}…) → {self.layer}",
                 f"rows read: {self.rows_read}, accepted: {self.rows_accepted}"]
        for name, gdf in self.layers.items():
            lines.append(f"{name}: {len(gdf)} record(s)")
        if self.dem_file is not None and self.dem_bounds is not None:
            b = self.dem_bounds
            lines.append(f"terrain: lon {b[0]:.3f}–{b[2]:.3f}, lat {b[1]:.3f}–{b[3]:.3f}")
        if self.landcover_file is not None and self.landcover_bounds is not None:
            b = self.landcover_bounds
            lines.append(f"land cover: lon {b[0]:.3f}–{b[2]:.3f}, lat {b[1]:.3f}–{b[3]:.3f}")
        if self.excluded_count:
            lines.append(f"rows excluded: {self.excluded_count}")
        lines += [f"warning: {w}" for w in (self.warnings if warnings is None else warnings)]
        lines += [f"problem: {line}" for line in self.problem_lines(describe)]
        return "\n".join(lines)


# --- headers -------------------------------------------------------------------------------


def header_key(text: object) -> str:
    """Folded column name: no case, diacritics, units in brackets, punctuation or ``_``."""
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text))
    return fold(bare.replace("_", " "))


def match_columns(headers: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """``{field: header}`` for every field whose alias (best first) is among ``headers``."""
    keys: dict[str, str] = {}
    for h in headers:
        keys.setdefault(header_key(h), h)
    out: dict[str, str] = {}
    used: set[str] = set()
    for name, names in aliases.items():
        for alias in names:
            header = keys.get(alias)
            if header is not None and header not in used:
                out[name] = header
                used.add(header)
                break
    return out


def find_header(cells: pd.DataFrame, aliases: Mapping[str, Sequence[str]]) -> int:
    """Index of the header row: the first of the top rows naming two known columns."""
    known = {a for names in aliases.values() for a in names}
    for i in range(min(SETTINGS.imports.header_search_rows, len(cells))):
        hits = {header_key(c) for c in cells.iloc[i]} & known
        if len(hits) >= 2:
            return i
    return 0


@dataclass
class Rows:
    """The data rows of a file: text attributes (index = row number), optional geometry."""

    frame: pd.DataFrame
    columns: dict[str, str]
    geometry: gpd.GeoSeries | None = None
    header_line: int | None = None

    def text(self, name: str) -> pd.Series:
        """The column mapped to ``name`` as stripped text ("" when absent)."""
        header = self.columns.get(name)
        if header is None:
            return pd.Series("", index=self.frame.index, dtype="str")
        return self.frame[header].fillna("").astype("str").str.strip()


def _unique_headers(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for i, v in enumerate(values):
        name = v or f"column {i + 1}"
        base, n = name, 2
        while name in out:
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


def table_rows(raw: RawTable, aliases: Mapping[str, Sequence[str]],
               report: ImportReport) -> Rows:
    """Rows of a tabular or vector file with the columns mapped onto ``aliases``."""
    if raw.frame is not None:
        gdf = raw.frame
        attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        frame = pd.DataFrame(
            {c: [cell_text(v) for v in attrs[c].tolist()] for c in attrs.columns},
            index=range(1, len(attrs) + 1), dtype="str",
        )
        geometry = gpd.GeoSeries(gdf.geometry.values, index=frame.index, crs=gdf.crs)
        report.rows_read = len(frame)
        return Rows(frame, match_columns(list(frame.columns), aliases), geometry)
    cells = raw.cells if raw.cells is not None else pd.DataFrame()
    if cells.empty:
        raise DataError("the file has no rows.", source=raw.file_name, code="no_rows")
    h = find_header(cells, aliases)
    headers = _unique_headers(cells.iloc[h].tolist())
    frame = cells.iloc[h + 1:].copy()
    frame.columns = headers
    frame.index = range(1, len(frame) + 1)
    blank = (frame == "").all(axis=1)
    if raw.truncated and len(frame) and not blank.iloc[-1]:
        report.problem(int(frame.index[-1]), None,
                       "the last row is incomplete: the file looks cut short (truncated).",
                       "truncated")
    frame = frame[~blank]
    report.rows_read = len(frame)
    if h:
        report.warn("header found on line {line} (title rows above skipped)", "header_line",
                    line=h + 1)
    return Rows(frame, match_columns(headers, aliases), None, h + 1)


# --- numbers -------------------------------------------------------------------------------

_UNIT_SUFFIX = re.compile(r"(?i)\s*(m|mhz|dbm|dbi|db|km|deg|độ|do|°)\.?\s*$")
_DMS = re.compile(
    r"""^\s*(?P<d>\d+(?:[.,]\d+)?)\s*[°º:d]\s*
        (?:(?P<m>\d+(?:[.,]\d+)?)\s*['′:m]?\s*)?
        (?:(?P<s>\d+(?:[.,]\d+)?)\s*(?:["″]|''|s)?\s*)?
        (?P<h>[NSEWnsew])?\s*$""",
    re.VERBOSE,
)


def parse_number(text: str) -> float | None:
    """A number as written in Vietnamese or English files; None for an empty cell.

    Accepts ``22,5`` and ``22.5``, thousands separators (``2.489.123,4``, ``2,489,123.4``),
    a trailing unit (``35 m``, ``1800MHz``, ``60 dBm``). Raises ValueError otherwise.
    """
    s = _UNIT_SUFFIX.sub("", str(text).replace("\u00a0", " ").strip()).replace(" ", "")
    if s == "":
        return None
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else \
            s.replace(",", "")
    elif "," in s:
        s = s.replace(",", ".") if s.count(",") == 1 else s.replace(",", "")
    elif s.count(".") > 1:
        s = s.replace(".", "")
    value = float(s)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_coordinate(text: str) -> float | None:
    """A coordinate: a number, or degrees-minutes-seconds (``22°30'15"N``)."""
    s = str(text).strip()
    if s == "":
        return None
    if any(ch in s for ch in "°º'′\"″") or s[-1:].upper() in ("N", "S", "E", "W"):
        m = _DMS.match(s)
        if not m:
            raise ValueError(text)
        parts = [float((m.group(g) or "0").replace(",", ".")) for g in ("d", "m", "s")]
        value = parts[0] + parts[1] / 60 + parts[2] / 3600
        return -value if (m.group("h") or "").upper() in ("S", "W") else value
    return parse_number(s)


def numbers(rows: Rows, name: str, report: ImportReport, *,
            coordinate: bool = False) -> pd.Series:
    """Column ``name`` as floats (NaN when empty); a problem per unreadable cell."""
    values = rows.text(name)
    given = values != ""
    # Plain decimals in one vectorised pass; the rest (decimal commas, units, DMS...) one
    # by one.
    out = pd.to_numeric(values.where(given), errors="coerce").astype("float64")
    out[~np.isfinite(out.to_numpy())] = np.nan
    parse = parse_coordinate if coordinate else parse_number
    for row, text in values[given & out.isna()].items():
        try:
            value = parse(text)
        except ValueError:
            report.problem(int(row), rows.columns[name], f"not a number: {text!r}.",
                           "not_number", value=text)
            continue
        out[row] = np.nan if value is None else value
    return out


# --- area and coordinates ------------------------------------------------------------------


@lru_cache(maxsize=1)
def import_area() -> shapely.Geometry:
    """Today's province plus ``SETTINGS.study_area.import_margin_m``, lon/lat, prepared."""
    from geo.layers import load_province_outline

    outline = load_province_outline().to_crs(SETTINGS.crs.metric)
    area = outline.buffer(SETTINGS.study_area.import_margin_m).to_crs(SETTINGS.crs.display)
    geom = area.iloc[0]
    shapely.prepare(geom)
    return geom


def outside(geoms: gpd.GeoSeries) -> np.ndarray:
    """True where a feature lies wholly outside the import area (lon/lat geometries)."""
    return ~np.asarray(shapely.intersects(import_area(), geoms.values), dtype=bool)


def report_outside(report: ImportReport, geoms: gpd.GeoSeries, column: str | None) -> None:
    """A problem for every row outside the province plus the import margin."""
    km = SETTINGS.study_area.import_margin_m / 1000
    for row, geom in geoms[outside(geoms)].items():
        c = geom.centroid
        report.problem(int(row), column,
                       f"outside {SETTINGS.study_area.province} (more than {km:g} km beyond "
                       "the province): "
                       f"lon {c.x:.5f}, lat {c.y:.5f}; check the coordinates.",
                       "outside", lon=f"{c.x:.5f}", lat=f"{c.y:.5f}", km=f"{km:g}")


def column_coordinates(rows: Rows, report: ImportReport, source: str,
                       required: bool = True) -> tuple[pd.Series, str | None]:
    """Point per row from lon/lat or X/Y columns (CRS recognised); None where empty.

    Returns the lon/lat points and the column name used in messages.
    """
    cols = rows.columns
    if "lon" in cols and "lat" in cols:
        a_name, b_name = "lon", "lat"
    elif "x" in cols and "y" in cols:
        a_name, b_name = "x", "y"
    else:
        if required:
            raise DataError(
                "no coordinate columns.", source=source,
                fix="name them 'Kinh độ' and 'Vĩ độ' (WGS84), or 'X' and 'Y' (VN-2000 metres).",
                code="no_coordinates",
            )
        return pd.Series([None] * len(rows.frame), index=rows.frame.index, dtype=object), None
    label = f"{cols[a_name]}/{cols[b_name]}"
    first = numbers(rows, a_name, report, coordinate=True)
    second = numbers(rows, b_name, report, coordinate=True)
    have = first.notna() & second.notna()
    points = pd.Series([None] * len(rows.frame), index=rows.frame.index, dtype=object)
    if not have.any():
        return points, label
    guess = detect_crs(first[have].to_numpy(), second[have].to_numpy(), area=import_area())
    if guess.kind == "unknown":
        raise DataError(
            "coordinates not recognised as WGS84 or VN-2000 "
            f"(TM-3 {SETTINGS.crs.metric_meridian} or UTM 48N) inside "
            f"{SETTINGS.study_area.province}: first row reads "
            f"{first[have].iloc[0]}, {second[have].iloc[0]}.",
            source=source, fix="check the columns and the coordinate system with the supplier.",
            code="coordinates_unrecognised",
            params={"first": f"{first[have].iloc[0]}, {second[have].iloc[0]}"},
        )
    report.crs_guess = guess
    report.warn("{read}", "crs", **_guess_params(guess))
    lon, lat = to_lonlat(first[have].to_numpy(), second[have].to_numpy(), guess)
    points[have] = list(shapely.points(lon, lat))
    return points, label


def no_geometry(value: object) -> bool:
    """True for a missing geometry (None, NaN) or an empty one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return bool(getattr(value, "is_empty", False))


def geometry_to_wgs84(geoms: gpd.GeoSeries, report: ImportReport,
                      source: str) -> gpd.GeoSeries:
    """File geometries in lon/lat: the declared CRS when it puts them in Lào Cai, else the
    system recognised from the coordinates (reported as a warning)."""
    valid = geoms.notna() & ~geoms.is_empty
    coords = shapely.get_coordinates(geoms[valid].values)
    declared = None
    if geoms.crs is not None:
        declared = geoms.to_crs(SETTINGS.crs.display)
        if not valid.any() or (~outside(declared[valid])).mean() >= 0.5:
            return declared
    if not len(coords):
        return declared if declared is not None else geoms.set_crs(SETTINGS.crs.display)
    guess = detect_crs(coords[:, 0], coords[:, 1], area=import_area())
    if guess.kind == "unknown":
        if declared is not None:
            return declared  # rows outside are reported one by one
        raise DataError("the file has no coordinate system and its coordinates are not "
                        f"recognised as WGS84 or VN-2000 inside {SETTINGS.study_area.province}.",
                        source=source,
                        fix="save it with its coordinate system (.prj / CRS).",
                        code="no_crs_unrecognised")
    report.crs_guess = guess
    if declared is not None:
        report.warn("the file declares {declared}, which puts most features outside "
                    + SETTINGS.study_area.province + "; {read}", "crs_declared_outside",
                    declared=geoms.crs.to_string(),
                    **_guess_params(guess))
    else:
        report.warn("no coordinate system in the file; {read}", "crs_missing",
                    **_guess_params(guess))

    def convert(xy: np.ndarray) -> np.ndarray:
        lon, lat = to_lonlat(xy[:, 0], xy[:, 1], guess)
        return np.column_stack([lon, lat])

    out = geoms.copy()
    out[valid] = shapely.transform(geoms[valid].values, convert)
    return gpd.GeoSeries(out.values, index=geoms.index, crs=SETTINGS.crs.display)


def finish(report: ImportReport, layer: str, gdf: gpd.GeoDataFrame) -> None:
    """Validate ``gdf`` against the layer schema; store it, or turn the error into problems."""
    if report.problems:
        return
    try:
        report.layers[layer] = validate(gdf.reset_index(drop=True), layer, report.file_name)
    except DataError as exc:
        rows = [int(gdf.index[r - 1]) for r in exc.rows if 0 < r <= len(gdf)] or [None]
        for row in rows:
            report.problem(row, None, exc.problem, "schema", detail=exc.problem)


def imported_frame(records: Mapping[str, Sequence[Any]], points: Sequence[Any],
                   index: Sequence[int]) -> gpd.GeoDataFrame:
    """A GeoDataFrame (WGS84, ``source = imported``) indexed by source row numbers."""
    gdf = gpd.GeoDataFrame(dict(records), geometry=list(points), crs=SETTINGS.crs.display,
                           index=list(index))
    gdf["source"] = IMPORTED
    return gdf


def _guess_params(guess: CrsGuess) -> dict[str, str]:
    """Placeholders of a coordinate-system notice: how the coordinates were read (English),
    the kind read and whether it is ambiguous (``"1"``) or not (``""``)."""
    return {"read": guess.message, "kind": guess.kind, "ambiguous": "1" if guess.ambiguous else ""}
