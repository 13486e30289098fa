"""Where drive-test measurements and the model disagree, on H3 hexagons; measured verdicts.

Input: the per-measurement comparison of :func:`analysis.calibration.compare` (``x``, ``y``
in EPSG:9208 metres, or ``lon``/``lat`` WGS84 degrees; ``operator``, ``technology``,
``signal_dbm``, ``predicted_dbm``, ``residual_db``, ``time`` ISO 8601 or "").
Settings: ``SETTINGS.disagreement`` (resolution, counts, times, distance; units and reasons
there).

:func:`hexagons`
    one row per H3 cell (resolution 8 by default, 0.737 km² on average) × operator ×
    technology holding at least ``min_measurements``; polygons in WGS84 (lon, lat: RFC 7946
    order, exterior counter-clockwise). A planner reads one operator's network at a time
    (the model is per operator × technology, so is its error): hexagons are not pooled over
    operators; the map filters them by the selection.
:func:`measured_verdicts`
    for places: the verdict of the flagged hexagon that holds them or lies within
    ``verdict_distance_m`` (the nearest per operator).
:func:`with_measured`
    an :class:`analysis.gaps.Assessment` with those verdicts joined (``measured``,
    ``measured_count``, ``measured_h3``, ``measured_operator``, ``verdict_source``);
    :mod:`analysis.status` then judges "in a gap" by them.

**Flags** (column ``flag``), per hexagon × operator × technology, against the covered
threshold ``T`` of the technology (the selection's, :meth:`Selection.covered_thresholds`;
by default the settings' outdoor ``SETTINGS.radio.covered_dbm``):

``measured_no_service``
    the model says covered — more than half of the hexagon's measurements lie in grid cells
    predicted at or above ``T`` — and, of the measurements in those covered cells, more
    than half are below ``T``; those below number at least K (``flag_min_measurements``)
    and were taken at ``flag_min_times`` or more different times;
``measured_service``
    the reverse: the model says not covered (at most half in covered cells; no prediction
    counts as not covered) and, of the measurements in the cells it does not cover, more
    than half are at or above ``T``, at least K of them at two or more different times;
``""``
    no flag (agreement, too few measurements, or one time only).

Each measurement is judged against the prediction at its own spot (its grid cell), so a
hexagon across the edge of coverage is not flagged merely for mixing both sides.
Majorities rather than "all" because single fades and single outliers occur on any drive
(6–8 dB shadowing); K and the times keep one bad pass from overruling the model.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import geopandas as gpd
import h3.api.numpy_int as h3i
import numpy as np
import pandas as pd
import shapely

from analysis import status
from analysis.coverage import covered_thresholds
from analysis.gaps import Assessment
from geo.crs import transform
from geo.settings import SETTINGS

FLAG_NO_SERVICE, FLAG_SERVICE, NO_FLAG = "measured_no_service", "measured_service", ""
FLAGS: tuple[str, ...] = (FLAG_NO_SERVICE, FLAG_SERVICE)
"""Flag values of :func:`hexagons` (``""``: none)."""

HEX_COLUMNS: tuple[str, ...] = (
    "h3", "operator", "technology", "count", "times", "mean_residual_db",
    "measured_mean_dbm", "predicted_mean_dbm", "threshold_dbm", "below", "model_covered",
    "flag")
"""Columns of :func:`hexagons` (then ``geometry``)."""

VERDICT_COLUMNS: tuple[str, ...] = ("measured", "measured_count", "measured_h3",
                                    "measured_operator")
"""Columns of :func:`measured_verdicts`."""

_DIS = SETTINGS.disagreement


# --- hexagons -----------------------------------------------------------------------------

def _lonlat(compared: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lon, lat of the measurements (``lon``/``lat`` if present, else ``x``/``y``)."""
    if {"lon", "lat"} <= set(compared.columns):
        return compared["lon"].to_numpy(float), compared["lat"].to_numpy(float)
    return transform(compared["x"].to_numpy(float), compared["y"].to_numpy(float),
                     SETTINGS.crs.metric, SETTINGS.crs.display)


def cells_of(lon: np.ndarray, lat: np.ndarray, resolution: int | None = None) -> np.ndarray:
    """H3 cell (uint64) of each WGS84 point at ``resolution`` (default the settings').

    h3 4.x has no array call: a loop over the integer API's C function (≈ 0.9 µs a point).

    >>> hex(int(cells_of(np.array([103.9]), np.array([22.3]))[0]))
    '0x884159768bfffff'
    """
    res = _DIS.h3_resolution if resolution is None else int(resolution)
    cells = list(map(h3i.latlng_to_cell, lat.tolist(), lon.tolist(),
                     itertools.repeat(res, lat.size)))
    return np.array(cells, dtype=np.uint64)


def cell_polygons(cells: np.ndarray) -> np.ndarray:
    """Shapely polygons of H3 cells (each distinct cell traced once), WGS84 (lon, lat),
    exterior counter-clockwise."""
    if len(cells) == 0:
        return np.array([], dtype=object)
    unique, inverse = np.unique(np.asarray(cells, np.uint64), return_inverse=True)
    rings = list(map(h3i.cell_to_boundary, unique.tolist()))
    sizes = np.fromiter(map(len, rings), np.int64, count=len(rings))
    if (sizes == 6).all():  # hexagons not cut by an icosahedron edge: one array
        polygons = shapely.polygons(np.ascontiguousarray(np.array(rings, float)[:, :, ::-1]))
    else:
        latlng = np.array(list(itertools.chain.from_iterable(rings)), float)
        polygons = shapely.polygons(shapely.linearrings(
            latlng[:, ::-1], indices=np.repeat(np.arange(len(rings)), sizes)))
    return shapely.orient_polygons(polygons)[inverse]


def _seconds(times: pd.Series) -> np.ndarray:
    """Seconds since the epoch (UTC) of ISO 8601 times; NaN where empty or unreadable
    (unknown). Each distinct text is parsed once."""
    codes, uniques = pd.factorize(times.fillna("").astype(str).to_numpy(object))
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), format="ISO8601", utc=True,
                            errors="coerce")
    out = np.full(len(uniques), np.nan)
    ok = parsed.notna().to_numpy()
    if ok.any():
        out[ok] = (parsed[ok] - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds()
    return out[codes]


def distinct_times(group: np.ndarray, seconds: np.ndarray, n_groups: int,
                   gap_s: float | None = None, *,
                   order: np.ndarray | None = None) -> np.ndarray:
    """Number of different times per group: the group's known times (finite ``seconds``)
    sorted and split wherever two consecutive ones are at least ``gap_s`` apart (default
    ``SETTINGS.disagreement.distinct_time_gap_h``); unknown times do not count. ``order``:
    indices sorting the rows by group then time, when already known (a subset of such
    indices is still sorted).

    >>> h = 3600.0
    >>> distinct_times(np.array([0, 0, 0, 1, 1]), np.array([0, 60, 2 * h, 5.0, np.nan]), 3)
    array([2, 1, 0])
    """
    gap = _DIS.distinct_time_gap_h * 3600.0 if gap_s is None else gap_s
    if order is None:
        order = np.lexsort((seconds, group))
    order = order[np.isfinite(seconds[order])]
    g, s = group[order], seconds[order]
    new = np.ones(g.size, bool)
    new[1:] = (g[1:] != g[:-1]) | (np.diff(s) >= gap)
    return np.bincount(g[new], minlength=n_groups).astype(np.int64)


def _thresholds(thresholds: float | Mapping[str, float] | None) -> dict[str, float]:
    if thresholds is None:
        return covered_thresholds()
    if isinstance(thresholds, int | float):
        return {tech: float(thresholds) for tech in SETTINGS.radio.technologies}
    return {**covered_thresholds(), **{k: float(v) for k, v in thresholds.items()}}


def _mean(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Mean of the finite ``values`` per group (NaN where none)."""
    ok = np.isfinite(values)
    total = np.bincount(index[ok], weights=values[ok], minlength=n)
    count = np.bincount(index[ok], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def hexagons(compared: pd.DataFrame, thresholds: float | Mapping[str, float] | None = None,
             *, resolution: int | None = None,
             min_measurements: int | None = None) -> gpd.GeoDataFrame:
    """The measurements of ``compared`` binned per H3 cell × operator × technology.

    ``thresholds``: the covered threshold, dBm, per technology (a mapping; technologies it
    leaves out take the settings' outdoor ones) or one number for all; default the
    settings' outdoor ``SETTINGS.radio.covered_dbm``. Pass the selection's
    (:meth:`analysis.selection.Selection.covered_thresholds`) to judge at its service level.
    Measurements without a finite ``signal_dbm`` are left out. Hexagons with fewer than
    ``min_measurements`` (default the settings') are dropped.

    Returns a GeoDataFrame in WGS84 (EPSG:4326), columns :data:`HEX_COLUMNS`: ``h3`` (the
    cell's index as H3 text, e.g. ``"88415929a3fffff"``), ``operator``, ``technology``,
    ``count`` (measurements), ``times`` (different times among them, unknown ones left out),
    ``mean_residual_db`` (mean measured − predicted, dB, over those with a prediction; NaN
    without any), ``measured_mean_dbm`` and ``predicted_mean_dbm`` (arithmetic means of the
    dBm values; the prediction's over those with one), ``threshold_dbm``, ``below``
    (measurements below the threshold), ``model_covered`` (more than half in cells the model
    covers) and ``flag`` (module docstring). Sorted by operator, technology, h3.
    """
    minimum = _DIS.min_measurements if min_measurements is None else int(min_measurements)
    limits = _thresholds(thresholds)
    signal = compared["signal_dbm"].to_numpy(float)
    tech = compared["technology"].astype(str).to_numpy(object)
    threshold = pd.Series(tech, dtype=object).map(limits).to_numpy(float)
    keep = np.isfinite(signal) & np.isfinite(threshold)
    columns = [c for c in ("x", "y", "lon", "lat", "operator", "predicted_dbm",
                           "residual_db", "time") if c in compared.columns]
    frame = compared[columns][keep] if not keep.all() else compared[columns]
    signal, threshold = signal[keep], threshold[keep]
    lon, lat = _lonlat(frame)
    cells = cells_of(lon, lat, resolution)
    operator = frame["operator"].astype(str).to_numpy(object)
    tech = tech[keep]
    op_codes, _ = pd.factorize(operator)
    tech_codes, _ = pd.factorize(tech)
    group_codes = op_codes.astype(np.int64) * (tech_codes.max(initial=0) + 1) + tech_codes
    cell_codes, cell_values = pd.factorize(cells.view(np.int64))
    index, keys = pd.factorize(group_codes.astype(np.int64) * max(len(cell_values), 1)
                               + cell_codes)
    n = len(keys)
    count = np.bincount(index, minlength=n)
    predicted = frame["predicted_dbm"].to_numpy(float)
    residual = frame["residual_db"].to_numpy(float)
    below_mask = signal < threshold
    model_mask = np.nan_to_num(predicted, nan=-np.inf) >= threshold
    below = np.bincount(index, weights=below_mask, minlength=n).astype(np.int64)
    covered_here = np.bincount(index, weights=model_mask, minlength=n).astype(np.int64)
    # the contradicting measurements: below where the model covers, at/above where not
    lost_mask, found_mask = model_mask & below_mask, ~model_mask & ~below_mask
    lost = np.bincount(index, weights=lost_mask, minlength=n).astype(np.int64)
    found = np.bincount(index, weights=found_mask, minlength=n).astype(np.int64)
    seconds = _seconds(frame["time"]) if "time" in frame.columns else np.full(len(frame),
                                                                              np.nan)
    order = np.lexsort((seconds, index))
    times = distinct_times(index, seconds, n, order=order)
    times_lost = distinct_times(index, seconds, n, order=order[lost_mask[order]])
    times_found = distinct_times(index, seconds, n, order=order[found_mask[order]])
    k, need = _DIS.flag_min_measurements, _DIS.flag_min_times
    model_covered = 2 * covered_here > count
    not_here = count - covered_here
    no_service = model_covered & (2 * lost > covered_here) & (lost >= k) & (times_lost >= need)
    service = ~model_covered & (2 * found > not_here) & (found >= k) & (times_found >= need)
    first = np.zeros(n, np.int64)
    first[index[::-1]] = np.arange(index.size)[::-1]  # a row of each hexagon
    out = pd.DataFrame({
        "h3": cells.view(np.int64)[first].view(np.uint64),
        "operator": operator[first], "technology": tech[first],
        "count": count.astype(np.int64), "times": times,
        "mean_residual_db": np.round(_mean(index, residual, n), 2),
        "measured_mean_dbm": np.round(_mean(index, signal, n), 2),
        "predicted_mean_dbm": np.round(_mean(index, predicted, n), 2),
        "threshold_dbm": threshold[first], "below": below, "model_covered": model_covered,
        "flag": np.select([no_service, service], [FLAG_NO_SERVICE, FLAG_SERVICE], NO_FLAG
                          ).astype(object)})
    out = out[out["count"] >= minimum]
    ranks = [pd.factorize(out[c].to_numpy(), sort=True)[0] for c in ("operator", "technology")]
    out = out.iloc[np.lexsort((out["h3"].to_numpy(np.uint64), ranks[1], ranks[0]))]
    geometry = cell_polygons(out["h3"].to_numpy(np.uint64))
    out["h3"] = list(map("{:x}".format, out["h3"].to_numpy(np.uint64).tolist()))  # H3 text
    out = gpd.GeoDataFrame(out, geometry=geometry, crs=SETTINGS.crs.display)
    return out.reset_index(drop=True)


def summary(hexes: pd.DataFrame) -> dict[str, object]:
    """Counts for reports and ``--json``: ``count`` (hexagons drawn), ``measured_no_service``
    and ``measured_service`` (flagged), ``resolution`` (H3) and ``by_group`` (the same per
    "operator/technology")."""
    def counts(part: pd.DataFrame) -> dict[str, int]:
        return {"count": len(part), **{f: int((part["flag"] == f).sum()) for f in FLAGS}}

    groups = {f"{op}/{tech}": counts(part) for (op, tech), part in
              hexes.groupby(["operator", "technology"], sort=True)} if len(hexes) else {}
    return {**counts(hexes), "resolution": _DIS.h3_resolution, "by_group": groups}


# --- verdicts for places ------------------------------------------------------------------

def _points_metric(places: gpd.GeoDataFrame) -> np.ndarray:
    geoms = places.to_crs(SETTINGS.crs.metric).geometry
    geoms = geoms.where(geoms.geom_type == "Point", geoms.representative_point())
    return np.asarray(geoms.values, dtype=object)


def measured_verdicts(places: gpd.GeoDataFrame, hexes: gpd.GeoDataFrame, *,
                      technology: str | None = None,
                      operators: tuple[str, ...] | None = None,
                      distance_m: float | None = None,
                      covered: pd.DataFrame | None = None) -> pd.DataFrame:
    """The measured verdict of every place (index aligned with ``places``).

    A place takes, per operator, the flag of the nearest flagged hexagon of
    :func:`hexagons` (``hexes``, restricted to ``technology`` and ``operators`` when given)
    that holds it or lies within ``distance_m`` (default
    ``SETTINGS.disagreement.verdict_distance_m``; distances in EPSG:9208 metres; non-point
    places by a point inside them). Then ``measured`` is ``"service"`` when an operator's
    hexagon was measured with service; else ``"no_service"`` when an operator's was measured
    without and no other operator covers the place by the model (``covered``: a boolean
    table aligned with ``places``, one column per operator; without it no other operator is
    assumed to); else ``""``. ``measured_count`` (measurements of the deciding hexagon, 0
    without), ``measured_h3`` and ``measured_operator`` ("" without) say which decided.
    """
    out = pd.DataFrame({"measured": "", "measured_count": 0, "measured_h3": "",
                        "measured_operator": ""}, index=places.index)
    out[["measured", "measured_h3", "measured_operator"]] = out[
        ["measured", "measured_h3", "measured_operator"]].astype(object)
    flagged = hexes[hexes["flag"].isin(FLAGS)]
    if technology is not None:
        flagged = flagged[flagged["technology"] == technology]
    if operators is not None:
        flagged = flagged[flagged["operator"].isin(operators)]
    if len(flagged) == 0 or len(places) == 0:
        return out
    distance = _DIS.verdict_distance_m if distance_m is None else float(distance_m)
    shapes = np.asarray(flagged.to_crs(SETTINGS.crs.metric).geometry.values, dtype=object)
    points = _points_metric(places)
    place_i, hex_j = shapely.STRtree(shapes).query(points, predicate="dwithin",
                                                   distance=distance)
    if place_i.size == 0:
        return out
    pairs = pd.DataFrame({
        "place": place_i, "distance": shapely.distance(points[place_i], shapes[hex_j]),
        "operator": flagged["operator"].to_numpy(object)[hex_j],
        "flag": flagged["flag"].to_numpy(object)[hex_j],
        "count": flagged["count"].to_numpy(np.int64)[hex_j],
        "h3": flagged["h3"].to_numpy(object)[hex_j]})
    pairs = pairs.sort_values(["place", "operator", "distance", "count"],
                              ascending=[True, True, True, False], kind="stable")
    nearest = pairs.drop_duplicates(["place", "operator"])
    service = nearest[nearest["flag"] == FLAG_SERVICE].drop_duplicates("place")
    none = nearest[nearest["flag"] == FLAG_NO_SERVICE]
    if covered is not None and len(none):
        cover = covered.reindex(places.index).fillna(False).astype(bool)
        ops_none = none.groupby("place")["operator"].agg(set)
        rescued = [bool(cover.iloc[p][[c for c in cover.columns if c not in ops]].any())
                   for p, ops in ops_none.items()]
        none = none[~none["place"].isin(ops_none.index[np.asarray(rescued, bool)])]
    none = none[~none["place"].isin(service["place"])].drop_duplicates("place")
    for part, value in ((service, status.MEASURED_SERVICE), (none, status.MEASURED_NO_SERVICE)):
        rows = part["place"].to_numpy(np.int64)
        out.iloc[rows, out.columns.get_loc("measured")] = value
        out.iloc[rows, out.columns.get_loc("measured_count")] = part["count"].to_numpy()
        out.iloc[rows, out.columns.get_loc("measured_h3")] = part["h3"].to_numpy()
        out.iloc[rows, out.columns.get_loc("measured_operator")] = part["operator"].to_numpy()
    return out


def model_covered(assessment: Assessment) -> pd.DataFrame:
    """Per selected operator (columns), whether the model covers each place at the
    assessment's threshold (``signal_<operator>_dbm`` ≥ it)."""
    table, threshold = assessment.table, assessment.selection.threshold
    return pd.DataFrame({op: table[f"signal_{op}_dbm"].fillna(-np.inf) >= threshold
                         for op in SETTINGS.radio.operators
                         if f"signal_{op}_dbm" in table.columns}, index=table.index)


def join_verdicts(assessment: Assessment, verdicts: pd.DataFrame) -> Assessment:
    """``assessment`` with the columns of :func:`measured_verdicts` and ``verdict_source``
    (:func:`analysis.status.verdict_source`); the input is unchanged."""
    table = assessment.table.drop(columns=[*VERDICT_COLUMNS, "verdict_source"],
                                  errors="ignore").join(verdicts[list(VERDICT_COLUMNS)])
    table["verdict_source"] = status.verdict_source(table)
    return Assessment(table, assessment.selection)


def with_measured(assessment: Assessment, places: gpd.GeoDataFrame,
                  compared: pd.DataFrame) -> Assessment:
    """``assessment`` (of ``places``) judged with the measurements of ``compared``
    (:func:`analysis.calibration.compare` against the coverage in use): hexagons at the
    assessment's own thresholds (its service level), its technology and operators; the
    other selected operators' model coverage keeps a place served
    (:func:`measured_verdicts`)."""
    selection = assessment.selection
    hexes = hexagons(compared, selection.covered_thresholds())
    verdicts = measured_verdicts(places, hexes, technology=selection.technology,
                                 operators=selection.operators,
                                 covered=model_covered(assessment))
    return join_verdicts(assessment, verdicts)


def changed(table: pd.DataFrame) -> pd.DataFrame:
    """Places whose verdict the measurements changed: ``change`` is ``"lost"`` (the model
    said covered, measured without service) or ``"gained"`` (the reverse); rows of
    ``table`` (an assessment table with ``measured``) with that column."""
    if "measured" not in table.columns:
        return table.iloc[0:0].assign(change=pd.Series(dtype=object))
    model_gap = table["reason"].fillna("") != ""
    measured = table["measured"].fillna("")
    lost = ~model_gap & (measured == status.MEASURED_NO_SERVICE)
    gained = model_gap & (measured == status.MEASURED_SERVICE)
    out = table[lost | gained].copy()
    out["change"] = np.where(lost[lost | gained], "lost", "gained")
    return out
