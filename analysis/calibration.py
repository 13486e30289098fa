"""Predictions against drive-test measurements, and the calibration fitted from them.

The measurements are the canonical table (a GeoDataFrame of WGS84 points, or a table with
``lon``/``lat``): ``measurement_id``, ``time`` (ISO 8601 UTC or ""), ``operator``,
``technology``, ``signal_dbm`` (RxLev / RSCP / RSRP as the coverage, dBm), ``cell_id``
(str or ""), ``track``, ``source``. Everything metric happens in ``SETTINGS.crs.metric``
(EPSG:9208), on the coverage's grid.

:func:`compare`
    the prediction of the same operator × technology at each measurement: the value of the
    grid cell that holds it (no interpolation: the engine's figure for that cell; bilinear
    weights would blend cells across the edge of reach and of terrain shadows). The
    coverage keeps only the best server's signal per cell, not every site's, so the
    prediction is always the best server's; a ``cell_id`` naming a known site is reported as
    ``named_site`` and ``named_is_server`` (whether the engine's server is that site). The
    residual is measured − predicted, dB. Distances, km: ``distance_km`` to the nearest site
    of the same operator × technology, ``server_distance_km`` to the engine's best server.
    ``los``: geometric line of sight from the server's antenna to 1.5 m above the ground at
    the measurement over the DEM (earth radius × k = 4/3, no Fresnel clearance), when the
    DEM is given; NA otherwise.
:func:`residual_table`
    count, mean, standard deviation, RMS, P10 and P90 of the residuals per operator ×
    technology, overall, by distance band (``SETTINGS.calibration.distance_bands_km``, on
    ``distance_km``) and by line of sight / behind terrain.
:func:`fit`
    per operator × technology, a Huber fit (IRLS, ``SETTINGS.calibration``) of the residual
    as ``offset`` (dB) or ``offset + slope × log10(d / 1 km)`` (slope in dB per decade of
    ``server_distance_km``); RMS before, after, and k-fold cross-validated.
:class:`Calibration`
    the fitted figures, applied to a coverage (:meth:`Calibration.apply`), saved as named JSON
    documents in the workspace (:attr:`geo.workspace.Workspace.calibrations`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.coverage import ALL_OPERATORS, CoverageLayer, CoverageResult
from analysis.gaps import GridIndex
from geo.crs import transform
from geo.dem import Dem
from geo.errors import DataError
from geo.roles import Actor
from geo.scenario_store import ScenarioStore
from geo.settings import SETTINGS

_CAL = SETTINGS.calibration
MEASUREMENT_COLUMNS: tuple[str, ...] = ("measurement_id", "time", "operator", "technology",
                                        "signal_dbm", "cell_id", "track", "source")
GROUP = ["operator", "technology"]
LOS, BEHIND = "line of sight", "behind terrain"
_MIN_DISTANCE_KM = 0.01  # distances below this are taken as this for log10 (10 m)


# --- reading ------------------------------------------------------------------------------

def read_measurements(path: Path) -> gpd.GeoDataFrame:
    """A measurements file already in the canonical columns: GeoJSON or GeoPackage points
    (any CRS, returned in WGS84), or CSV with ``lon``/``lat`` (WGS84 degrees). Missing
    optional columns (``time``, ``cell_id``, ``track``, ``source``, ``measurement_id``) are
    filled; a missing ``operator``, ``technology`` or ``signal_dbm`` raises
    :class:`DataError`."""
    path = Path(path)
    if not path.exists():
        raise DataError("file not found.", source=path)
    if path.suffix.lower() == ".csv":
        table = pd.read_csv(path, encoding="utf-8-sig", dtype={"cell_id": str,
                                                                "measurement_id": str})
        if not {"lon", "lat"} <= set(table.columns):
            raise DataError("a measurements CSV needs lon and lat columns (WGS84).",
                            source=path)
        frame = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                                 crs=SETTINGS.crs.display)
    else:
        frame = gpd.read_file(path)
        frame = frame.set_crs(SETTINGS.crs.display) if frame.crs is None else frame.to_crs(
            SETTINGS.crs.display)
    missing = [c for c in ("operator", "technology", "signal_dbm") if c not in frame.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}.", source=path)
    return canonical(frame)


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every canonical column present and typed (str, float ``signal_dbm``)."""
    out = frame.copy()
    if "measurement_id" not in out.columns:
        out["measurement_id"] = [f"M{i + 1}" for i in range(len(out))]
    for name in ("time", "cell_id", "track", "source"):
        if name not in out.columns:
            out[name] = ""
    for name in ("measurement_id", "time", "operator", "technology", "cell_id", "track",
                 "source"):
        out[name] = out[name].fillna("").astype(str)
    out["signal_dbm"] = pd.to_numeric(out["signal_dbm"], errors="coerce").astype(float)
    return out


def measurements_sha256(measurements: pd.DataFrame) -> str:
    """Checksum of the measurements a calibration was fitted on (identifiers, groups,
    signal, position): the "measurements version" a saved calibration refers to."""
    cols = [c for c in ("measurement_id", "operator", "technology", "signal_dbm", "x", "y")
            if c in measurements.columns]
    values = pd.util.hash_pandas_object(measurements[cols].astype(str), index=False)
    return hashlib.sha256(values.to_numpy().tobytes()).hexdigest()


# --- comparison ---------------------------------------------------------------------------

def _metric_xy(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:9208 x, y of points (a GeoDataFrame's geometry, else ``lon``/``lat``)."""
    geometry = frame._geometry_column_name if isinstance(frame, gpd.GeoDataFrame) else None
    if geometry is not None and geometry in frame.columns:
        pts = frame[geometry].to_crs(SETTINGS.crs.metric)
        return pts.x.to_numpy(float), pts.y.to_numpy(float)
    return transform(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float),
                     SETTINGS.crs.display, SETTINGS.crs.metric)


def _lonlat(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lon, lat of points (a GeoDataFrame's geometry, else ``lon``/``lat``)."""
    geometry = frame._geometry_column_name if isinstance(frame, gpd.GeoDataFrame) else None
    if geometry is not None and geometry in frame.columns:
        pts = frame[geometry].to_crs(SETTINGS.crs.display)
        return pts.x.to_numpy(float), pts.y.to_numpy(float)
    return frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)


def _nearest_km(x: np.ndarray, y: np.ndarray, sx: np.ndarray, sy: np.ndarray,
                chunk: int = 8192) -> np.ndarray:
    """Distance from each (x, y) to the nearest of (sx, sy), km (NaN with no site)."""
    out = np.full(x.size, np.nan)
    if sx.size == 0:
        return out
    step = max(1, chunk * 64 // max(sx.size, 1))
    for i in range(0, x.size, step):
        d2 = (x[i:i + step, None] - sx[None, :]) ** 2 + (y[i:i + step, None] - sy[None, :]) ** 2
        out[i:i + step] = np.sqrt(d2.min(axis=1)) / 1000.0
    return out


def _line_of_sight(dem: Dem, tx: np.ndarray, ty: np.ndarray, top: np.ndarray,
                   rx: np.ndarray, ry: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Geometric line of sight from antenna tops (tx, ty, ``top`` m above sea level) to
    1.5 m (``SETTINGS.radio.receiver_height_m``) above the ground at (rx, ry), metric
    EPSG:9208 on ``dem``'s grid: the terrain (nearest cell, every cell width along the
    path, lifted by the earth bulge d1 d2 / 2kR) stays below the straight ray. Boolean."""
    t = dem.transform
    ny, nx = dem.shape
    elev = np.nan_to_num(dem.elevation.astype(np.float64), nan=-1e4)

    def ground(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = np.clip(np.floor((y - t.f) / t.e).astype(np.int64), 0, ny - 1)
        c = np.clip(np.floor((x - t.c) / t.a).astype(np.int64), 0, nx - 1)
        return elev[r, c]

    radio = SETTINGS.radio
    z_rx = ground(rx, ry) + radio.receiver_height_m
    out = np.ones(rx.size, bool)
    bulge = 1.0 / (2.0 * radio.k_factor * radio.earth_radius_m)
    for i in range(0, rx.size, chunk):
        s = slice(i, i + chunk)
        d = np.hypot(rx[s] - tx[s], ry[s] - ty[s])
        n = int(max(2, math.ceil(d.max(initial=0.0) / dem.resolution_m)))
        f = (np.arange(1, n) / n)[None, :]  # interior points only
        px = tx[s, None] + f * (rx[s] - tx[s])[:, None]
        py = ty[s, None] + f * (ry[s] - ty[s])[:, None]
        dd = d[:, None]
        terrain = ground(px, py) + f * dd * (1.0 - f) * dd * bulge
        ray = top[s, None] + f * (z_rx[s] - top[s])[:, None]
        out[s] = ~(terrain > ray).any(axis=1)
    return out


def compare(measurements: pd.DataFrame, coverage: CoverageResult,
            sites: pd.DataFrame | None = None, dem: Dem | None = None,
            landcover: np.ndarray | None = None) -> pd.DataFrame:
    """Each measurement against the prediction of its operator × technology.

    ``measurements``: the canonical table (module docstring; points, or ``lon``/``lat`` in
    WGS84 degrees). ``coverage``: per operator × technology layers (``by_operator=True``)
    on its EPSG:9208 grid. ``sites``: the sites
    table the coverage was computed from (its row order: ``serving`` indexes it), giving
    the distances and the named site of ``cell_id`` (matched on a ``cell_id`` column if the
    table has one, else on ``site_id``). ``dem``: the coverage's terrain, for ``los``.
    ``landcover``: land-cover classes on the coverage's grid
    (:attr:`geo.landcover.LandCover.classes`), for ``landcover_class`` (0: none).

    Returns one row per measurement: the canonical columns, ``x``, ``y`` (EPSG:9208 m),
    ``lon``, ``lat`` (WGS84 degrees, as imported),
    ``predicted_dbm`` (the best server's signal in the measurement's cell; NaN where no
    site reaches or outside the grid), ``residual_db`` (measured − predicted), ``server``
    (row of ``sites``, −1 none), ``named_site`` (row named by ``cell_id``, −1 none),
    ``named_is_server`` (bool; NA without a named site), ``distance_km``,
    ``server_distance_km`` (NaN without sites), ``los`` (bool; NA without DEM or server)
    and ``landcover_class`` (int, 0 without land cover or outside the grid).
    """
    frame = canonical(measurements)
    x, y = _metric_xy(frame)
    n = len(frame)
    cells = GridIndex.of(coverage, x, y)
    predicted = np.full(n, np.nan)
    server = np.full(n, -1, np.int64)
    op = frame["operator"].to_numpy(object)
    tech = frame["technology"].to_numpy(object)
    groups = pd.DataFrame({"operator": op, "technology": tech}).groupby(GROUP, sort=False
                                                                        ).indices
    for (g_op, g_tech), idx in groups.items():
        layer = coverage.layers.get((g_op, g_tech))
        if layer is None:
            continue
        sub = GridIndex(cells.rows[idx], cells.cols[idx], cells.inside[idx])
        predicted[idx] = sub.sample(layer.best_dbm, np.nan)
        server[idx] = sub.sample(layer.serving, -1)
    out = pd.DataFrame({c: frame[c].to_numpy() for c in MEASUREMENT_COLUMNS})
    out["x"], out["y"] = x, y
    out["lon"], out["lat"] = _lonlat(frame)
    out["predicted_dbm"] = predicted
    out["residual_db"] = out["signal_dbm"].to_numpy(float) - predicted
    out["server"] = server
    out["named_site"] = -1
    out["named_is_server"] = pd.array([pd.NA] * n, dtype="boolean")
    out["distance_km"] = np.nan
    out["server_distance_km"] = np.nan
    out["los"] = pd.array([pd.NA] * n, dtype="boolean")
    out["landcover_class"] = (cells.sample(landcover, 0).astype(np.int64)
                              if landcover is not None else np.zeros(n, np.int64))
    if sites is None or len(sites) == 0:
        return out
    sx, sy = transform(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float),
                       SETTINGS.crs.display, SETTINGS.crs.metric)
    s_op = sites["operator"].astype(str).to_numpy(object)
    s_tech = sites["technology"].astype(str).to_numpy(object)
    distance = np.full(n, np.nan)
    for (g_op, g_tech), idx in groups.items():
        mine = (s_op == g_op) & (s_tech == g_tech)
        distance[idx] = _nearest_km(x[idx], y[idx], sx[mine], sy[mine])
    out["distance_km"] = distance
    has = server >= 0
    sd = np.full(n, np.nan)
    sd[has] = np.hypot(x[has] - sx[server[has]], y[has] - sy[server[has]]) / 1000.0
    out["server_distance_km"] = sd
    key = "cell_id" if "cell_id" in sites.columns else "site_id"
    if key in sites.columns:
        ids = pd.Series(np.arange(len(sites)), index=sites[key].astype(str).to_numpy())
        ids = ids[~ids.index.duplicated() & (ids.index != "")]
        named = frame["cell_id"].map(ids).fillna(-1).to_numpy(np.int64)
        out["named_site"] = named
        match = pd.array(np.where(named >= 0, named == server, False), dtype="boolean")
        match[named < 0] = pd.NA
        out["named_is_server"] = match
    if dem is not None and has.any():
        height = pd.to_numeric(sites["height_m"], errors="coerce").to_numpy(float)
        t = dem.transform
        rows = np.clip(np.floor((sy - t.f) / t.e).astype(np.int64), 0, dem.shape[0] - 1)
        cols = np.clip(np.floor((sx - t.c) / t.a).astype(np.int64), 0, dem.shape[1] - 1)
        top = dem.elevation[rows, cols].astype(float) + height
        srv = server[has]
        los = out["los"].array.copy()
        los[has] = _line_of_sight(dem, sx[srv], sy[srv], top[srv], x[has], y[has])
        out["los"] = los
    return out


# --- residual statistics ------------------------------------------------------------------

def _stats(r: np.ndarray) -> dict[str, float]:
    r = r[np.isfinite(r)]
    if r.size == 0:
        return {"count": 0, "mean_db": np.nan, "std_db": np.nan, "rms_db": np.nan,
                "p10_db": np.nan, "p90_db": np.nan}
    return {"count": int(r.size), "mean_db": float(r.mean()),
            "std_db": float(r.std(ddof=1)) if r.size > 1 else 0.0,
            "rms_db": float(np.sqrt(np.mean(r ** 2))),
            "p10_db": float(np.percentile(r, 10)), "p90_db": float(np.percentile(r, 90))}


def rating(std_db: float) -> str:
    """"very good", "accepted" or "poor" against ``SETTINGS.calibration``'s residual
    standard deviations (5 / 7 dB, common planning practice); "" when not a number."""
    if not np.isfinite(std_db):
        return ""
    return ("very good" if std_db <= _CAL.very_good_std_db
            else "accepted" if std_db <= _CAL.accepted_std_db else "poor")


def band_labels(edges: Sequence[float] = _CAL.distance_bands_km) -> list[str]:
    """Labels of the distance bands: "0–1 km", ..., "10+ km"."""
    edges = list(edges)
    return [f"{a:g}–{b:g} km" for a, b in itertools.pairwise(edges)] + [
        f"{edges[-1]:g}+ km"]


def residual_table(compared: pd.DataFrame) -> pd.DataFrame:
    """Residual statistics (dB) per operator × technology: rows with ``by`` = "all"
    (``band`` "all"), "distance" (``band`` a distance band of ``distance_km``) and "los"
    (``band`` "line of sight" / "behind terrain"); columns ``count, mean_db, std_db,
    rms_db, p10_db, p90_db, rating``, and ``unpredicted`` (measurements with no prediction:
    outside every site's reach or the grid) on the "all" rows."""
    edges = np.asarray(_CAL.distance_bands_km, float)
    labels = band_labels()
    rows = []
    for (op, tech), part in compared.groupby(GROUP, sort=True):
        r = part["residual_db"].to_numpy(float)
        rows.append({"operator": op, "technology": tech, "by": "all", "band": "all",
                     **_stats(r), "unpredicted": int((~np.isfinite(r)).sum())})
        d = part["distance_km"].to_numpy(float)
        if np.isfinite(d).any():
            which = np.searchsorted(edges, d, side="right") - 1
            for b, label in enumerate(labels):
                rows.append({"operator": op, "technology": tech, "by": "distance",
                             "band": label, **_stats(r[np.isfinite(d) & (which == b)])})
        los = part["los"].astype("boolean")
        if los.notna().any():
            seen = los.fillna(False).to_numpy(bool)
            hidden = (~los.fillna(True)).to_numpy(bool)
            rows.append({"operator": op, "technology": tech, "by": "los", "band": LOS,
                         **_stats(r[seen])})
            rows.append({"operator": op, "technology": tech, "by": "los", "band": BEHIND,
                         **_stats(r[hidden])})
    table = pd.DataFrame(rows, columns=["operator", "technology", "by", "band", "count",
                                        "mean_db", "std_db", "rms_db", "p10_db", "p90_db",
                                        "unpredicted"])
    table["rating"] = [rating(s) for s in table["std_db"]]
    return table


# --- fitting ------------------------------------------------------------------------------

def huber_fit(design: np.ndarray, target: np.ndarray, delta_db: float | None = None
              ) -> np.ndarray:
    """Huber M-estimate of ``target ≈ design @ beta`` by iteratively reweighted least
    squares (dB): weight 1 within ``delta`` of the fit, ``delta / |r|`` beyond;
    ``delta_db`` None → ``huber_k × 1.4826 × MAD`` of the current residuals
    (``SETTINGS.calibration``)."""
    delta_db = _CAL.huber_delta_db if delta_db is None else delta_db
    beta = np.linalg.lstsq(design, target, rcond=None)[0]
    for _ in range(_CAL.huber_iterations):
        r = target - design @ beta
        if delta_db is None:
            scale = 1.4826 * np.median(np.abs(r - np.median(r)))
            delta = _CAL.huber_k * max(scale, 1e-6)
        else:
            delta = delta_db
        a = np.abs(r)
        w = np.where(a <= delta, 1.0, delta / np.maximum(a, 1e-12))
        sw = np.sqrt(w)
        new = np.linalg.lstsq(design * sw[:, None], target * sw, rcond=None)[0]
        done = np.max(np.abs(new - beta)) < _CAL.huber_tolerance_db
        beta = new
        if done:
            break
    return beta


def _rms(r: np.ndarray) -> float:
    return float(np.sqrt(np.mean(r ** 2))) if r.size else float("nan")


@dataclass(frozen=True)
class GroupFit:
    """The fit of one operator × technology: ``offset_db`` and ``slope_db_per_decade``
    (0 unless fitted) added to its predictions, plus ``landcover_offsets_db`` of the cell's
    land-cover class when fitted by class; RMS of the residuals (measured − predicted,
    dB) before, after and cross-validated (``rms_cv_db``, NaN when not fitted); ``n``
    measurements with a prediction; ``calibrated`` False (offset 0) below the minimum
    count, with the reason in ``note``."""

    operator: str
    technology: str
    n: int
    offset_db: float
    slope_db_per_decade: float
    rms_before_db: float
    rms_after_db: float
    rms_cv_db: float
    std_after_db: float
    calibrated: bool
    note: str = ""
    # Land-cover class → extra offset, dB (``fit(by_landcover=True)``), on top of the above.
    landcover_offsets_db: dict[int, float] = field(default_factory=dict)

    def correction_db(self, distance_km: np.ndarray | float | None) -> np.ndarray | float:
        """What this group adds to a prediction at ``distance_km`` from its server (dB);
        the offset alone when the distance is None."""
        if distance_km is None or self.slope_db_per_decade == 0.0:
            return self.offset_db
        d = np.maximum(np.asarray(distance_km, float), _MIN_DISTANCE_KM)
        return self.offset_db + self.slope_db_per_decade * np.log10(d)


def _design(part: pd.DataFrame, slope: bool) -> np.ndarray:
    one = np.ones(len(part))
    if not slope:
        return one[:, None]
    d = np.maximum(part["server_distance_km"].to_numpy(float), _MIN_DISTANCE_KM)
    return np.column_stack([one, np.log10(d)])


def _folds(n: int, k: int) -> np.ndarray:
    """Fold of each of ``n`` rows: a seeded permutation dealt into ``k`` folds."""
    order = np.random.default_rng(_CAL.seed).permutation(n)
    fold = np.empty(n, np.int64)
    fold[order] = np.arange(n) % k
    return fold


def _fit_params(design: np.ndarray, r: np.ndarray, classes: np.ndarray | None
                ) -> tuple[np.ndarray, dict[int, float]]:
    """Huber parameters of the group, then (``classes`` given) the Huber location of what
    remains in each land-cover class with at least the minimum count."""
    beta = huber_fit(design, r)
    if classes is None:
        return beta, {}
    rest = r - design @ beta
    offsets = {}
    for c in np.unique(classes):
        mine = classes == c
        if c != SETTINGS.landcover.nodata_class and mine.sum() >= _CAL.min_measurements:
            offsets[int(c)] = float(huber_fit(np.ones((int(mine.sum()), 1)), rest[mine])[0])
    return beta, offsets


def _predict(design: np.ndarray, classes: np.ndarray | None, beta: np.ndarray,
             offsets: dict[int, float]) -> np.ndarray:
    out = design @ beta
    if classes is not None and offsets:
        out = out + np.array([offsets.get(int(c), 0.0) for c in classes])
    return out


def _fit_group(op: str, tech: str, part: pd.DataFrame, slope: bool,
               by_landcover: bool = False) -> GroupFit:
    r = part["residual_db"].to_numpy(float)
    before = _rms(r)
    n = r.size
    if n < _CAL.min_measurements:
        return GroupFit(op, tech, n, 0.0, 0.0, before, before, float("nan"),
                        float(np.std(r, ddof=1)) if n > 1 else float("nan"), False,
                        f"fewer than {_CAL.min_measurements} measurements: left uncalibrated")
    design = _design(part, slope)
    classes = part["landcover_class"].to_numpy(np.int64) if by_landcover else None
    beta, offsets = _fit_params(design, r, classes)
    after = r - _predict(design, classes, beta, offsets)
    k = min(_CAL.k_folds, n)
    fold = _folds(n, k)
    held = np.empty(n)
    for f in range(k):
        test = fold == f
        b, o = _fit_params(design[~test], r[~test], None if classes is None
                           else classes[~test])
        held[test] = r[test] - _predict(design[test], None if classes is None
                                        else classes[test], b, o)
    return GroupFit(op, tech, n, float(beta[0]), float(beta[1]) if slope else 0.0, before,
                    _rms(after), _rms(held), float(np.std(after, ddof=1)), True,
                    landcover_offsets_db=offsets)


@dataclass
class Calibration:
    """Fitted corrections per operator × technology, and what they were fitted on.

    ``measurements_version`` names the measurements (a file name or a workspace version
    id); ``measurements_sha256`` is :func:`measurements_sha256` of them; ``created`` UTC
    ISO 8601; ``slope``, ``by_landcover``: whether slopes and land-cover offsets were
    fitted."""

    name: str
    groups: dict[tuple[str, str], GroupFit]
    slope: bool = False
    measurements_version: str = ""
    measurements_sha256: str = ""
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    by_landcover: bool = False

    # -- figures --------------------------------------------------------------------------
    def summary(self) -> dict[str, object]:
        """The headline figures, language-independent: ``n`` (measurements with a
        prediction), ``rms_before_db``, ``rms_after_db``, ``rms_cv_db`` (pooled over the
        groups, weighted by their counts; uncalibrated groups count with their error
        before), ``std_after_db``, ``rating`` of it, ``calibrated`` and ``uncalibrated``
        (group keys "operator/technology")."""
        fits = list(self.groups.values())
        n = sum(g.n for g in fits)

        def pooled(values: list[tuple[int, float]]) -> float:
            values = [(k, v) for k, v in values if k and np.isfinite(v)]
            total = sum(k for k, _ in values)
            return math.sqrt(sum(k * v * v for k, v in values) / total) if total else float(
                "nan")

        after = pooled([(g.n, g.rms_after_db) for g in fits])
        cv = pooled([(g.n, g.rms_cv_db if g.calibrated else g.rms_after_db) for g in fits])
        std = pooled([(g.n, g.std_after_db) for g in fits])
        return {"n": n, "rms_before_db": pooled([(g.n, g.rms_before_db) for g in fits]),
                "rms_after_db": after, "rms_cv_db": cv, "std_after_db": std,
                "rating": rating(std),
                "calibrated": [f"{g.operator}/{g.technology}" for g in fits if g.calibrated],
                "uncalibrated": [f"{g.operator}/{g.technology}" for g in fits
                                 if not g.calibrated]}

    def describe(self) -> str:
        """One English line: "calibrated on N measurements, error X dB (was Y dB, cross-
        validated Z dB)"."""
        s = self.summary()
        return (f"calibrated on {s['n']:,} measurements, error {s['rms_after_db']:.1f} dB "
                f"(was {s['rms_before_db']:.1f} dB, cross-validated {s['rms_cv_db']:.1f} dB)")

    # -- applying -------------------------------------------------------------------------
    def apply(self, coverage: CoverageResult, sites: pd.DataFrame | None = None,
              landcover: np.ndarray | None = None) -> CoverageResult:
        """``coverage`` with each calibrated group's correction added to its best-signal
        grid (dB); "covered" follows from the layers' unchanged thresholds.

        Layers of one operator × technology take their group's correction. The distance
        of a slope is that from each cell's centre to its serving site, which needs
        ``sites`` (the table the coverage was computed from); without it only the offsets
        are applied (a warning says so). Layers across operators (``"all"``) take, per
        cell, the correction of the serving site's operator, which also needs ``sites``:
        without, they stay as they are (warned). Land-cover offsets need ``landcover``
        (the classes on the coverage's grid); without, they are left out (warned).
        ``servers`` (sites at or above the
        threshold) is only known for the best server: it becomes 0 where the cell falls
        below the threshold and at least 1 where it rises above it. Grids are copies; the
        input is unchanged."""
        warnings = list(coverage.warnings)
        layers: dict[tuple[str, str], CoverageLayer] = {}
        sx = sy = s_op = None
        if sites is not None and len(sites):
            sx, sy = transform(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float),
                               SETTINGS.crs.display, SETTINGS.crs.metric)
            s_op = sites["operator"].astype(str).to_numpy(object)
        elif self.slope:
            warnings.append(f"calibration {self.name!r}: no sites table, slopes not applied "
                            "(offsets only)")
        if landcover is None and any(g.landcover_offsets_db for g in self.groups.values()):
            warnings.append(f"calibration {self.name!r}: no land cover, land-cover offsets "
                            "not applied")
        for key, layer in coverage.layers.items():
            op, tech = key
            correction = self._correction(coverage, op, layer, sx, sy, s_op)
            if correction is None:
                if op == ALL_OPERATORS and any(t == tech and g.calibrated
                                               for (_, t), g in self.groups.items()):
                    warnings.append(f"calibration {self.name!r}: {tech} across operators "
                                    "needs the sites table; not calibrated")
                layers[key] = layer
                continue
            if landcover is not None:
                correction = correction + self._landcover_grid(op, layer, landcover, s_op)
            best = (layer.best_dbm + correction).astype(np.float32)
            covered = np.nan_to_num(best, nan=-np.inf) >= layer.threshold_dbm
            servers = np.where(covered, np.maximum(layer.servers, 1), 0).astype(
                layer.servers.dtype)
            layers[key] = dataclasses.replace(layer, best_dbm=best, servers=servers)
        return dataclasses.replace(coverage, layers=layers, warnings=warnings,
                                   calibration=self.name or "unnamed")

    def _landcover_grid(self, operator: str, layer: CoverageLayer, landcover: np.ndarray,
                        s_op: np.ndarray | None) -> np.ndarray | float:
        """The land-cover offsets of a layer per cell, dB (0 where none fitted)."""
        tech = layer.technology
        keys = [operator] if operator != ALL_OPERATORS else sorted(
            {op for op, t in self.groups if t == tech})
        tables = np.zeros((len(keys), 256))
        for i, op in enumerate(keys):
            group = self.groups.get((op, tech))
            for c, v in (group.landcover_offsets_db.items() if group and group.calibrated
                         else ()):
                tables[i, int(c)] = v
        if not tables.any():
            return 0.0
        classes = np.clip(landcover.astype(np.int64), 0, 255)
        if operator != ALL_OPERATORS:
            return tables[0][classes].astype(np.float32)
        if s_op is None:
            return 0.0
        site_row = np.array([keys.index(o) if o in keys else -1 for o in s_op])
        serving = layer.serving
        row = np.where(serving >= 0, site_row[np.maximum(serving, 0)], -1)
        out = np.where(row >= 0, tables[np.maximum(row, 0), classes], 0.0)
        return out.astype(np.float32)

    def _correction(self, coverage: CoverageResult, operator: str, layer: CoverageLayer,
                    sx: np.ndarray | None, sy: np.ndarray | None, s_op: np.ndarray | None
                    ) -> np.ndarray | float | None:
        """The correction grid (or scalar) of the layer keyed (``operator``, its
        technology), dB; None: nothing to apply. (The key names the operator: the layer's
        own ``operator`` field reads "all" in per-operator results too.)"""
        tech = layer.technology
        if operator != ALL_OPERATORS:
            group = self.groups.get((operator, tech))
            if group is None or not group.calibrated:
                return None
            if not self.slope or sx is None:
                return group.offset_db
            offset = np.full(sx.size, group.offset_db)
            slope = np.full(sx.size, group.slope_db_per_decade)
        else:
            if sx is None:
                return None
            fits = [self.groups.get((str(o), tech)) for o in s_op]
            offset = np.array([g.offset_db if g and g.calibrated else 0.0 for g in fits])
            slope = np.array([g.slope_db_per_decade if g and g.calibrated else 0.0
                              for g in fits])
        serving = layer.serving
        has = serving >= 0
        out = np.zeros(coverage.shape, np.float32)
        idx = serving[has]
        corr = offset[idx]
        if self.slope:
            t = coverage.transform
            rows, cols = np.nonzero(has)
            cx = t.c + (cols + 0.5) * t.a
            cy = t.f + (rows + 0.5) * t.e
            d = np.maximum(np.hypot(cx - sx[idx], cy - sy[idx]) / 1000.0, _MIN_DISTANCE_KM)
            corr = corr + slope[idx] * np.log10(d)
        out[has] = corr
        return out

    # -- storing --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, object]:
        """The document saved in the workspace (format ``SETTINGS.calibration.store_format``)
        and printed by ``python -m analysis calibrate --json``."""
        return {"format": _CAL.store_format, "name": self.name, "created": self.created,
                "measurements_version": self.measurements_version,
                "measurements_sha256": self.measurements_sha256, "slope": self.slope,
                "by_landcover": self.by_landcover,
                "huber_k": _CAL.huber_k, "huber_delta_db": _CAL.huber_delta_db,
                "k_folds": _CAL.k_folds, "min_measurements": _CAL.min_measurements,
                **{k: v for k, v in self.summary().items()},
                "groups": [dataclasses.asdict(g) for g in self.groups.values()]}

    def to_json(self) -> str:
        return json.dumps(_finite(self.to_dict()), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        data = json.loads(text)
        if int(data.get("format", 0)) > _CAL.store_format:
            raise DataError(f"calibration {data.get('name')!r} was saved by a newer version "
                            f"(format {data.get('format')}).")
        fields = {f.name for f in dataclasses.fields(GroupFit)}
        groups = {}
        for g in data["groups"]:
            values = {k: (float("nan") if v is None else v) for k, v in g.items()
                      if k in fields}
            values["landcover_offsets_db"] = {int(c): float(v) for c, v in
                                              (g.get("landcover_offsets_db") or {}).items()}
            groups[(g["operator"], g["technology"])] = GroupFit(**values)
        return cls(data["name"], groups, bool(data.get("slope", False)),
                   data.get("measurements_version", ""), data.get("measurements_sha256", ""),
                   data.get("created", ""), bool(data.get("by_landcover", False)))

    def save_to(self, store: ScenarioStore, actor: Actor | None = None) -> bool:
        """Save as ``self.name`` (:attr:`geo.workspace.Workspace.calibrations`); True when
        one of that name was replaced. ``actor``: who saves it (:mod:`geo.roles`; the
        editor role or higher)."""
        return store.save(self.name, self.to_json(), self.created, actor)

    @classmethod
    def load_from(cls, store: ScenarioStore, name: str) -> Calibration:
        """The calibration saved as ``name`` (:class:`DataError` when none)."""
        return cls.from_json(store.load(name))


def _finite(value: object) -> object:
    """``value`` with NaN / inf floats as None (strict JSON)."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def fit(compared: pd.DataFrame, slope: bool = False, by_landcover: bool = False, *,
        name: str = "", measurements_version: str = "") -> Calibration:
    """Fit the correction of every operator × technology of ``compared`` (:func:`compare`)
    on the measurements with a prediction.

    ``slope``: also a slope in dB per decade of ``server_distance_km`` (needs the sites in
    :func:`compare`). Groups with fewer than ``SETTINGS.calibration.min_measurements`` are
    left uncalibrated (offset 0, ``note`` says why). Cross-validation: ``k_folds`` folds
    from a permutation seeded with ``SETTINGS.calibration.seed``, each refitted without its
    fold; ``rms_cv_db`` is the RMS of the held-out residuals. ``by_landcover``: after the
    group's fit, an extra Huber offset per land-cover class (``landcover_class`` of
    :func:`compare`, which needs the land cover) with at least the minimum count; the
    others keep the group's correction.
    """
    if by_landcover and not (compared["landcover_class"] != SETTINGS.landcover.nodata_class
                             ).any():
        raise DataError("a calibration by land cover needs the land cover: compare the "
                        "measurements with the land-cover classes.")
    usable = compared[np.isfinite(compared["residual_db"].to_numpy(float))]
    if slope:
        if not np.isfinite(usable["server_distance_km"].to_numpy(float)).any() and len(usable):
            raise DataError("a slope needs the distance to the serving site: compare the "
                            "measurements with the sites table.")
        usable = usable[np.isfinite(usable["server_distance_km"].to_numpy(float))]
    groups = {}
    for (op, tech), part in usable.groupby(GROUP, sort=True):
        groups[(str(op), str(tech))] = _fit_group(str(op), str(tech), part, slope,
                                                  by_landcover)
    for op, tech in compared.groupby(GROUP, sort=True).groups:
        if (op, tech) not in groups:  # measured but never predicted
            groups[(str(op), str(tech))] = GroupFit(
                str(op), str(tech), 0, 0.0, 0.0, float("nan"), float("nan"), float("nan"),
                float("nan"), False, "no measurement with a prediction: left uncalibrated")
    return Calibration(name, groups, slope, measurements_version,
                       measurements_sha256(compared), by_landcover=by_landcover)
