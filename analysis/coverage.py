"""Received-signal coverage from cell sites over terrain, on the DEM's metric grid.

For every site (one operator × technology record) the engine predicts the reference-signal
power (RxLev for 2G, RSCP for 3G, RSRP for 4G/5G) in every cell within the site's radius:

    P = EIRP + reference offset + antenna gain − L_model(d) − (L_d(path) − L_d(flat, d))

``L_model`` is the band's median model from :func:`analysis.propagation.path_loss_db`
(Okumura–Hata / COST-231 with the environment correction of ``SETTINGS.coverage``, 3GPP RMa
above 2 GHz, LOS or NLOS from the terrain) at the mast's height above the ground: what the
site gives over flat ground. The terrain term is the path's ITU-R P.526-15 §4.5
delta-Bullington loss (as in P.452-16 §4.2: Bullington over the real profile with the
general-path correction, plus the smooth-earth term at the antennas' heights above the path's
least-squares smooth surface), computed along every sight line by the sweep in
:mod:`analysis._sweep`, less the same loss over flat ground at that distance: zero over flat
ground, negative where the path clears the ground better than flat ground would (a mast on a
hill overlooking a plain), positive behind ridges (earth curvature k = 4/3). A site's radius
is the nearer of the band's maximum (``SETTINGS.radio.max_radius_m``) and the distance where
its signal, at its effective height above the mean surrounding terrain
(:func:`effective_height`), falls ``radius_margin_db`` below the covered threshold. Records at
the same position and antenna height share one terrain sweep.

Results per group (operator × technology, or technology across the chosen operators): best
signal (dBm, NaN where no site reaches), serving site (row index into the sites table, −1
none) and the number of sites at or above the covered threshold. Grids are in EPSG:9208.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numba
import numpy as np
import numpy.typing as npt
import pandas as pd
from rasterio.transform import Affine

from analysis import _sweep, propagation, smooth_earth
from analysis.clutter import apply_clutter_layer, band_by_site
from analysis.propagation import knife_edge_loss_db, path_loss_db, wavelength_m
from geo.crs import transform
from geo.dem import TERRAIN_NOT_LOADED_WARNING, Dem
from geo.errors import DataError
from geo.settings import SETTINGS, get_settings

ALL_OPERATORS = "all"
_COV = SETTINGS.coverage
_RADIO = SETTINGS.radio
_LOG_GRID_POINTS = 96
# What the sweep models along terrain, written into every coverage GeoTIFF's tags.
DIFFRACTION_MODEL = ("delta-Bullington along every sight line, ITU-R P.526-15 §4.5 (as in "
                     "P.452-16 §4.2), against flat ground; median model at the mast height")


@dataclass
class CoverageLayer:
    """Best-server grids of one group; ``serving`` indexes the rows of the sites table."""

    operator: str
    technology: str
    threshold_dbm: float
    best_dbm: np.ndarray  # float32, NaN where no site reaches
    serving: np.ndarray  # int32, -1 where none
    servers: np.ndarray  # uint16, sites at or above the threshold

    @property
    def covered(self) -> np.ndarray:
        """Boolean grid: best signal at or above the covered threshold."""
        return np.nan_to_num(self.best_dbm, nan=-np.inf) >= self.threshold_dbm


@dataclass
class CoverageResult:
    """Coverage layers on one grid (EPSG:9208) with the assumptions that made them."""

    transform: Affine
    shape: tuple[int, int]
    resolution_m: float
    terrain_loaded: bool
    layers: dict[tuple[str, str], CoverageLayer]
    los_count: np.ndarray | None = None
    warnings: list[str] = field(default_factory=list)
    crs: str = SETTINGS.crs.metric
    landcover: str = ""  # land-cover source of the clutter loss ("": none, no clutter loss)
    calibration: str = ""  # name of the calibration applied (analysis.calibration), "" none


@dataclass(frozen=True)
class PreparedSites:
    """Sites resolved onto a grid: per record tables and per observer positions.

    Tables per record every ``step_m`` metres, (records, steps) dB: ``pl_flat`` the median
    model over flat ground; ``pl_los``/``pl_nlos`` the median model (line of sight or not)
    less the delta-Bullington loss over flat ground, to which the kernel adds the path's
    delta-Bullington loss: the terrain term is the path's diffraction against flat ground's.
    ``dsph`` holds the smooth-earth tables (:func:`analysis.smooth_earth.delta_sph_table`)
    per band of ``bands`` (MHz); ``records["band_index"]`` picks a record's band.
    """

    records: Records  # column arrays per record (grid position, radius, powers)
    pl_los: np.ndarray
    pl_nlos: np.ndarray
    pl_flat: np.ndarray
    step_m: float
    dsph: np.ndarray
    bands: np.ndarray

    def _at(self, table: np.ndarray, which: np.ndarray, distance_m: npt.ArrayLike
            ) -> np.ndarray:
        idx = np.minimum((np.asarray(distance_m, float) / self.step_m).astype(np.int64),
                         table.shape[1] - 1)
        return table[which, idx]

    def flat_loss_db(self, which: np.ndarray, distance_m: npt.ArrayLike) -> np.ndarray:
        """The median model's loss of records ``which`` over flat ground at ``distance_m``
        (element-wise), dB."""
        return self._at(self.pl_flat, np.asarray(which), distance_m)

    def least_loss_db(self, which: np.ndarray, distance_m: npt.ArrayLike) -> np.ndarray:
        """The lowest loss any path of records ``which`` can have at ``distance_m``: the
        tables with no diffraction on the path, dB (a bound of the terrain engine's loss)."""
        which = np.asarray(which)
        return np.minimum(self._at(self.pl_los, which, distance_m),
                          self._at(self.pl_nlos, which, distance_m))


def radius_for_band(band_mhz: np.ndarray | float) -> np.ndarray:
    """Maximum modelled radius for each band (that of the nearest configured band), m."""
    bands = np.array(sorted(_RADIO.max_radius_m), float)
    radii = np.array([_RADIO.max_radius_m[int(b)] for b in bands])
    band = np.atleast_1d(np.asarray(band_mhz, float))
    return radii[np.argmin(np.abs(band[:, None] - bands[None, :]), axis=1)]


def _axes() -> np.ndarray:
    """The log axes the kernel reads the smooth-earth tables on: (log start, cells per log
    unit, last index) of distance, then of height."""
    (d0, d1, nd), (h0, h1, nh) = smooth_earth.TABLE_D, smooth_earth.TABLE_H
    return np.array([math.log(d0), (nd - 1) / math.log(d1 / d0), nd - 1.001,
                     math.log(h0), (nh - 1) / math.log(h1 / h0), nh - 1.001])


@functools.lru_cache(maxsize=16)
def _dsph_table(band_mhz: float) -> np.ndarray:
    return smooth_earth.delta_sph_table(band_mhz)


@functools.cache
def _diffraction_tables() -> tuple[np.ndarray, np.ndarray, float, float]:
    """J(v) and 1 - exp(-J(v) / 6) on a fine grid of v (P.526-15 eqs. 31, 45)."""
    v = np.arange(propagation.KNIFE_EDGE_V_MIN, _COV.diffraction_table_v_max,
                  _COV.diffraction_table_dv)
    j = np.asarray(knife_edge_loss_db(v), np.float64)
    return (j.astype(np.float32), (1.0 - np.exp(-j / 6.0)).astype(np.float32), float(v[-1]),
            1.0 / _COV.diffraction_table_dv)


class _KernelArgs(NamedTuple):
    """The argument groups both sweep kernels of :mod:`analysis._sweep` take, in order."""

    terrain: tuple  # dem, res, rx_height, curv
    records: tuple  # rec_r2, rec_ref, rec_pl_los, rec_pl_nlos, rec_isl
    antenna: tuple  # rec_azimuth, rec_beamwidth, rec_band, max_att, inv_step, jtab, ftab,
    #                 v_max, inv_dv, dsph, axes


def _kernel_args(dem: Dem, recs: Records, pl_los: np.ndarray, pl_nlos: np.ndarray,
                 prepared: PreparedSites) -> _KernelArgs:
    """Assemble the kernel arguments of the records ``recs`` (and their loss tables)."""
    f64 = np.float64
    curv = 1.0 / (2.0 * _RADIO.k_factor * _RADIO.earth_radius_m)
    return _KernelArgs(
        (dem.elevation, float(dem.resolution_m), _RADIO.receiver_height_m, curv),
        ((recs["radius_cells"].astype(f64) + 0.5) ** 2, recs["ref_dbm"].astype(f64),
         pl_los, pl_nlos, recs["inv_sqrt_lambda"].astype(f64)),
        (recs["azimuth"].astype(f64), recs["beamwidth"].astype(f64),
         recs["band_index"].astype(np.int64), _RADIO.antenna_front_to_back_db,
         1.0 / prepared.step_m, *_diffraction_tables(), prepared.dsph, _axes()))


Records = dict[str, np.ndarray]
"""Column arrays of site records (one entry per record, aligned)."""


def _column(sites: pd.DataFrame, name: str, default: float) -> np.ndarray:
    if name not in sites.columns:
        return np.full(len(sites), default)
    return pd.to_numeric(sites[name], errors="coerce").fillna(default).to_numpy(float)


def check_sites(sites: pd.DataFrame, dem: Dem, source: str = "sites") -> Records:
    """Validate the fields the engine uses and locate each site on the DEM grid.

    Returns column arrays: ``operator``, ``technology``, ``band_mhz``, ``height_m``,
    ``eirp_dbm``, ``lon``, ``lat``, ``azimuth`` (−1 omni), ``beamwidth``, ``x``, ``y``
    (EPSG:9208 m), ``row``, ``col``, ``ground_m`` and ``site_index`` (row number, 0-based).
    Raises :class:`DataError` naming the rows for unknown technologies, bands, heights or
    EIRP out of physical range, and sites outside the DEM or on nodata.
    """
    required = ["operator", "technology", "band_mhz", "lon", "lat", "height_m", "eirp_dbm"]
    missing = [c for c in required if c not in sites.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}.", source=source)
    rows = np.arange(1, len(sites) + 1)
    tech = sites["technology"].astype(str).to_numpy(object)
    tech_bad = ~np.isin(tech, _RADIO.technologies)
    if tech_bad.any():
        raise DataError(f"unknown technology {tech[tech_bad][0]!r}; "
                        f"expected {', '.join(_RADIO.technologies)}.", source=source,
                        rows=rows[tech_bad])
    rec: Records = {"operator": sites["operator"].astype(str).to_numpy(object),
                    "technology": tech}
    for col, (lo, hi), what in (
        ("band_mhz", _RADIO.band_range_mhz, "band"),
        ("height_m", _RADIO.height_range_m, "antenna height"),
        ("eirp_dbm", _RADIO.eirp_range_dbm, "EIRP"),
        ("lon", (-180.0, 180.0), "longitude"),
        ("lat", (-90.0, 90.0), "latitude"),
    ):
        values = pd.to_numeric(sites[col], errors="coerce").to_numpy(float)
        bad = ~((values >= lo) & (values <= hi))
        if bad.any():
            found = sites[col].iloc[int(np.argmax(bad))]
            raise DataError(f"{what} ({col}) must be between {lo:g} and {hi:g}; found "
                            f"{found!r}.", source=source, rows=rows[bad], code="out_of_range",
                            params={"column": col, "low": f"{lo:g}", "high": f"{hi:g}",
                                    "found": found})
        rec[col] = values
    rec["azimuth"] = _column(sites, "azimuth_deg", -1.0)
    rec["beamwidth"] = _column(sites, "beamwidth_deg", _RADIO.default_beamwidth_deg)
    x, y = transform(rec["lon"], rec["lat"], SETTINGS.crs.display, dem.crs)
    t = dem.transform  # north-up: x = c + col * a, y = f + row * e
    row = np.floor((y - t.f) / t.e).astype(np.int64)
    col = np.floor((x - t.c) / t.a).astype(np.int64)
    ny, nx = dem.shape
    outside = (row < 0) | (row >= ny) | (col < 0) | (col >= nx)
    if outside.any():
        raise DataError("site lies outside the terrain grid.", source=source,
                        rows=rows[outside], fix="check its coordinates or load a larger DEM.",
                        code="outside_grid")
    ground = dem.elevation[row, col].astype(float)
    nodata = ~np.isfinite(ground)
    if nodata.any():
        raise DataError("site stands on a terrain cell with no data.", source=source,
                        rows=rows[nodata], fix="check its coordinates or fill the DEM void.",
                        code="no_terrain_data")
    rec.update(x=x, y=y, row=row, col=col, ground_m=ground,
               site_index=np.arange(len(sites), dtype=np.int32))
    return rec


def take(records: Records, which: np.ndarray) -> Records:
    """The records selected by a boolean mask or an index array."""
    return {k: v[which] for k, v in records.items()}


def concat(a: Records, b: Records) -> Records:
    """Records of ``a`` followed by those of ``b`` (same fields)."""
    return {k: np.concatenate([a[k], b[k]]) for k in a}


def effective_height(records: Records, dem: Dem) -> np.ndarray:
    """Antenna height above the mean terrain of an annulus around each site, m.

    The annulus is ``SETTINGS.coverage.effective_height_annulus_m``, sampled every 500 m on
    8 radials (nodata and off-grid samples ignored); the result is clamped to
    ``effective_height_range_m``. On flat ground it equals the antenna height.
    """
    lo, hi = _COV.effective_height_annulus_m
    dist = np.arange(lo, hi + 1.0, 500.0)
    angles = np.deg2rad(np.arange(0.0, 360.0, 45.0))
    dx = (np.cos(angles)[:, None] * dist[None, :]).ravel()
    dy = (np.sin(angles)[:, None] * dist[None, :]).ravel()
    x = records["x"][:, None] + dx[None, :]
    y = records["y"][:, None] + dy[None, :]
    t = dem.transform
    rows = np.floor((y - t.f) / t.e).astype(np.int64)
    cols = np.floor((x - t.c) / t.a).astype(np.int64)
    ny, nx = dem.shape
    ok = (rows >= 0) & (rows < ny) & (cols >= 0) & (cols < nx)
    z = np.full(x.shape, np.nan)
    z[ok] = dem.elevation[rows[ok], cols[ok]]
    with np.errstate(invalid="ignore"):
        mean = np.nanmean(np.where(np.isfinite(z), z, np.nan), axis=1)
    top = records["ground_m"] + records["height_m"]
    h_eff = np.where(np.isfinite(mean), top - mean, records["height_m"])
    return np.clip(h_eff, *_COV.effective_height_range_m)


def _loss_on_log_grid(records: Records, grid: np.ndarray, los: bool,
                      h_b: np.ndarray) -> np.ndarray:
    """Median model loss of every record at the distances ``grid`` with base-station
    heights ``h_b`` (one per record), (records, grid) dB."""
    n = records["band_mhz"].size
    if n == 0:
        return np.zeros((0, grid.size))
    return np.asarray(path_loss_db(
        grid[None, :], records["band_mhz"][:, None], np.asarray(h_b, float)[:, None],
        _RADIO.receiver_height_m, _COV.environment, los=los), np.float64).reshape(n, grid.size)


def _flat_diffraction_on_log_grid(records: Records, grid: np.ndarray) -> np.ndarray:
    """Delta-Bullington loss over flat ground of every record (its mast height, the
    receiver's) at the distances ``grid``, (records, grid) dB."""
    out = np.zeros((records["band_mhz"].size, grid.size))
    pairs = np.stack([records["band_mhz"], records["height_m"]], axis=1)
    for band, height in np.unique(pairs, axis=0):
        mine = (pairs[:, 0] == band) & (pairs[:, 1] == height)
        out[mine] = smooth_earth.flat_ground_db(grid, band, height, _RADIO.receiver_height_m)
    return out


def _resample(values: np.ndarray, grid: np.ndarray, distances: np.ndarray) -> np.ndarray:
    """Interpolate (records, grid) losses onto ``distances`` linearly in log-distance."""
    pos = np.interp(np.log(distances), np.log(grid), np.arange(grid.size, dtype=float))
    lo = np.minimum(pos.astype(np.int64), grid.size - 2)
    w = (pos - lo)[None, :]
    return ((1.0 - w) * values[:, lo] + w * values[:, lo + 1]).astype(np.float32)


def prepare_sites(sites: pd.DataFrame, dem: Dem, source: str = "sites",
                  select: np.ndarray | None = None,
                  thresholds: Mapping[str, float] | None = None) -> PreparedSites:
    """Check sites, keep the ``select`` rows, and build their path-loss tables."""
    records = check_sites(sites, dem, source)
    return _prepare(records if select is None else take(records, select), dem, thresholds)


def covered_thresholds(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Covered threshold per technology, dBm: the settings, with ``overrides`` applied."""
    return {**_RADIO.covered_dbm, **(overrides or {})}


def _prepare(records: Records, dem: Dem,
             thresholds: Mapping[str, float] | None = None) -> PreparedSites:
    """Reference power, thresholds, effective heights, radii and loss tables per record."""
    records = dict(records)
    tech = records["technology"]
    covered = covered_thresholds(thresholds)
    records["ref_dbm"] = records["eirp_dbm"] + np.array(
        [_COV.reference_offset_db[t] for t in tech], float)
    records["threshold_dbm"] = np.array([covered[t] for t in tech], float)
    records["h_eff"] = effective_height(records, dem)
    step = dem.resolution_m * _COV.table_step_fraction
    caps = radius_for_band(records["band_mhz"])
    # The models are smooth in log-distance (Hata is linear in it): evaluate them on a
    # log grid and interpolate, instead of at every table step.
    grid = np.geomspace(step / 2.0, max(caps.max(initial=step), step) * 1.05, _LOG_GRID_POINTS)
    loss_los = _loss_on_log_grid(records, grid, True, records["h_eff"])
    floor = records["ref_dbm"] - records["threshold_dbm"] + _COV.radius_margin_db
    reach = (loss_los <= floor[:, None]) & (grid[None, :] <= caps[:, None])
    last = np.where(reach.any(axis=1), grid.size - 1 - np.argmax(reach[:, ::-1], axis=1), 0)
    radius_m = np.minimum(grid[np.minimum(last + 1, grid.size - 1)], caps)
    records["radius_cells"] = np.maximum(1, np.ceil(radius_m / dem.resolution_m)).astype(
        np.int64)
    # The disc the kernel fills: cells whose centre lies within radius_cells + 0.5 cells.
    records["reach_m"] = (records["radius_cells"] + 0.5) * dem.resolution_m
    max_cells = int(records["radius_cells"].max(initial=1))
    n_steps = int(max_cells * dem.resolution_m / step) + 4
    distances = (np.arange(n_steps) + 0.5) * step
    h_b = np.clip(records["height_m"], *_COV.effective_height_range_m)
    flat = _loss_on_log_grid(records, grid, True, h_b)
    flat_diffraction = _flat_diffraction_on_log_grid(records, grid)
    pl_flat = _resample(flat, grid, distances)
    pl_los = _resample(flat - flat_diffraction, grid, distances)
    pl_nlos = _resample(_loss_on_log_grid(records, grid, False, h_b) - flat_diffraction, grid,
                        distances)
    records["inv_sqrt_lambda"] = 1.0 / np.sqrt(np.asarray(
        wavelength_m(records["band_mhz"]), float)) if tech.size else np.zeros(0)
    bands, records["band_index"] = np.unique(records["band_mhz"], return_inverse=True)
    d_axis, h_axis = smooth_earth.table_axes()
    dsph = (np.stack([_dsph_table(float(b)) for b in bands]) if bands.size
            else np.zeros((1, d_axis.size, h_axis.size, h_axis.size, 2), np.float32))
    return PreparedSites(records, pl_los, pl_nlos, pl_flat, step, dsph, bands)


def _observers(records: Records) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Group records by (row, col, height): observer arrays and the record order."""
    order = np.lexsort((records["site_index"], records["height_m"], records["col"],
                        records["row"]))
    row, col, height = records["row"][order], records["col"][order], records["height_m"][order]
    first = np.ones(order.size, bool)
    first[1:] = (row[1:] != row[:-1]) | (col[1:] != col[:-1]) | (height[1:] != height[:-1])
    start = np.flatnonzero(first)
    count = np.diff(np.append(start, order.size))
    radius = np.maximum.reduceat(records["radius_cells"][order], start)
    obs = {"row": row[start], "col": col[start], "height_m": height[start],
           "ground_m": records["ground_m"][order][start], "start": start, "count": count,
           "radius": radius}
    return obs, order


def _chunks(cost: np.ndarray, n_threads: int) -> np.ndarray:
    """Split tasks (indices into ``cost``) among threads, largest first onto the least
    loaded (LPT)."""
    loads = np.zeros(n_threads)
    buckets: list[list[int]] = [[] for _ in range(n_threads)]
    for i in np.argsort(-cost, kind="stable"):
        t = int(np.argmin(loads))
        buckets[t].append(int(i))
        loads[t] += cost[i]
    width = max(1, max(len(b) for b in buckets))
    out = np.full((n_threads, width), -1, np.int64)
    for t, b in enumerate(buckets):
        out[t, : len(b)] = b
    return out


def _threads() -> int:
    return _COV.threads or numba.get_num_threads()


def run_grids(prepared: PreparedSites, dem: Dem, group_of: np.ndarray, n_groups: int, *,
              track_second: bool = False, los_only: bool = False,
              window: tuple[int, int, int, int] | None = None) -> dict[str, np.ndarray]:
    """Run the kernels for the records selected by ``group_of >= 0``.

    ``group_of`` gives each record its output group (−1: skip). ``window`` (row0, col0,
    rows, cols) limits the output grids to a part of the DEM. Returns ``best``, ``best_id``,
    ``servers`` (and ``second``, ``second_id`` with ``track_second``; ``los_count`` with
    ``los_only``), each (groups, rows, cols) or (rows, cols) for ``los_count``.
    """
    keep = np.asarray(group_of) >= 0
    recs = take(prepared.records, keep)
    recs["group"] = np.asarray(group_of)[keep]
    pl_los, pl_nlos = prepared.pl_los[keep], prepared.pl_nlos[keep]
    row0, col0, ny, nx = window or (0, 0, *dem.shape)
    if window is not None and recs["row"].size:
        r, c, rad = recs["row"], recs["col"], recs["radius_cells"]
        near = ((r + rad >= row0) & (r - rad < row0 + ny) & (c + rad >= col0)
                & (c - rad < col0 + nx))
        recs, pl_los, pl_nlos = take(recs, near), pl_los[near], pl_nlos[near]
    n_threads = _threads()
    shape = (n_threads, n_groups, ny, nx)
    best = np.full(shape, _sweep.NO_SIGNAL, np.float32)
    best_id = np.full(shape, -1, np.int32)
    servers = np.zeros(shape, np.uint16)
    small = (n_threads, n_groups, 1, 1)
    second = np.full(shape if track_second else small, _sweep.NO_SIGNAL, np.float32)
    second_id = np.full(shape if track_second else small, -1, np.int32)
    los_count = np.zeros((n_threads, ny, nx) if los_only else (n_threads, 1, 1), np.uint16)
    if recs["row"].size:
        obs, order = _observers(recs)
        recs = take(recs, order)
        pl_los, pl_nlos = pl_los[order], pl_nlos[order]
        # Two tasks per observer, its southern and northern halves (_sweep.run_observers).
        chunks = _chunks(np.repeat(obs["radius"].astype(float) ** 2 * obs["count"], 2),
                         n_threads)
        args = _kernel_args(dem, recs, pl_los, pl_nlos, prepared)
        f64, i64 = np.float64, np.int64
        _sweep.run_observers(
            *args.terrain, chunks, obs["row"].astype(i64), obs["col"].astype(i64),
            (obs["ground_m"] + obs["height_m"]).astype(f64), obs["radius"].astype(i64),
            obs["start"].astype(i64), obs["count"].astype(i64), *args.records,
            recs["threshold_dbm"].astype(f64), recs["group"].astype(i64),
            recs["site_index"].astype(np.int32), *args.antenna, best, best_id, servers,
            second, second_id, track_second, los_count, los_only, row0, col0,
        )
    if los_only:
        _sweep.merge_los(los_count)
        return {"los_count": los_count[0]}
    _sweep.merge_threads(best, best_id, servers, second, second_id, track_second)
    out = {"best": best[0], "best_id": best_id[0], "servers": servers[0]}
    if track_second:
        out["second"], out["second_id"] = second[0], second_id[0]
    return out


def power_at_cells(prepared: PreparedSites, dem: Dem, which: np.ndarray,
                   radius_cells: np.ndarray, pair_start: np.ndarray, rows: np.ndarray,
                   cols: np.ndarray) -> np.ndarray:
    """Signal of the prepared records ``which`` at given cells, dBm (``NO_SIGNAL`` beyond
    reach): record ``which[k]`` is swept out to ``radius_cells[k]`` and its power at the
    cells ``rows[pair_start[k]:pair_start[k + 1]]``, ``cols[...]`` is exactly what the grid
    engine puts there (:func:`analysis._sweep.candidate_power`)."""
    which = np.asarray(which, np.int64)
    recs = take(prepared.records, which)
    args = _kernel_args(dem, recs, prepared.pl_los[which], prepared.pl_nlos[which],
                        prepared)
    power = np.full(rows.size, _sweep.NO_SIGNAL, np.float32)
    i64 = np.int64
    _sweep.candidate_power(
        *args.terrain, recs["row"].astype(i64), recs["col"].astype(i64),
        (recs["ground_m"] + recs["height_m"]).astype(np.float64),
        np.asarray(radius_cells, i64), np.asarray(pair_start, i64), rows, cols,
        *args.records, *args.antenna, numba.get_num_threads(), power)
    return power


def _groups(records: Records, operators: Sequence[str] | None,
            technologies: Sequence[str] | None) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Output group per record (−1: not selected): one per technology over ``operators``."""
    sel = np.ones(records["technology"].size, bool)
    if operators:
        sel &= np.isin(records["operator"], list(operators))
    if technologies:
        sel &= np.isin(records["technology"], list(technologies))
    names = sorted({(ALL_OPERATORS, tech) for tech in records["technology"][sel]})
    index = {tech: i for i, (_, tech) in enumerate(names)}
    group_of = np.array([index[tech] if s else -1
                         for tech, s in zip(records["technology"], sel, strict=True)],
                        np.int64)
    return group_of, names


def compute_coverage(sites: pd.DataFrame, dem: Dem, *, by_operator: bool = True,
                     operators: Sequence[str] | None = None,
                     technologies: Sequence[str] | None = None, los_only: bool = False,
                     thresholds: Mapping[str, float] | None = None,
                     source: str = "sites", landcover: np.ndarray | None = None,
                     landcover_source: str = "") -> CoverageResult:
    """Best-server coverage of ``sites`` over ``dem``.

    Parameters
    ----------
    sites:
        Table with ``operator, technology, band_mhz, lon, lat, height_m, eirp_dbm`` and
        optional ``azimuth_deg, beamwidth_deg`` (WGS84 degrees, metres, dBm).
    dem:
        Terrain on the EPSG:9208 grid (:func:`geo.dem.read_dem` or :func:`geo.dem.flat_dem`).
    by_operator:
        One layer per operator × technology (True) or per technology across the operators.
    operators, technologies:
        Keep only these (default: all).
    los_only:
        Count, per cell, the sites that see it (antenna height to 1.5 m) instead of signal.
    thresholds:
        Covered thresholds per technology (dBm) replacing the settings' ones.
    landcover, landcover_source:
        Land-cover classes on the DEM grid (:func:`geo.landcover.read_landcover`) and their
        source: each cell loses its class's clutter loss (:mod:`analysis.clutter`); None: no
        clutter loss.
    """
    checked = check_sites(sites, dem, source)
    warnings = [] if dem.terrain_loaded else [TERRAIN_NOT_LOADED_WARNING]
    result = CoverageResult(dem.transform, dem.shape, dem.resolution_m, dem.terrain_loaded,
                            {}, warnings=warnings, crs=dem.crs,
                            landcover=landcover_source if landcover is not None else "")
    if by_operator and not los_only:
        # One operator at a time bounds the working memory to one operator's layers; the
        # only terrain sweeps repeated are those of towers shared between operators.
        wanted = sorted(set(checked["operator"]) & set(operators or checked["operator"]))
        for operator in wanted:
            part = _run_selection(checked, dem, [operator], technologies, thresholds,
                                  landcover)
            result.layers.update({(operator, tech): layer
                                  for (_, tech), layer in part.items()})
        return result
    if los_only:
        group_of, _ = _groups(checked, operators, technologies)
        select = group_of >= 0
        prepared = _prepare(take(checked, select), dem, thresholds)
        grids = run_grids(prepared, dem, np.zeros(int(select.sum()), np.int64), 1,
                          los_only=True)
        result.los_count = grids["los_count"]
        return result
    result.layers.update(_run_selection(checked, dem, operators, technologies, thresholds,
                                        landcover))
    return result


def _run_selection(checked: Records, dem: Dem, operators: Sequence[str] | None,
                   technologies: Sequence[str] | None,
                   thresholds: Mapping[str, float] | None,
                   landcover: np.ndarray | None = None) -> dict[tuple[str, str],
                                                                CoverageLayer]:
    """Layers per technology over ``operators`` combined (key operator = ``"all"``)."""
    group_of, names = _groups(checked, operators, technologies)
    select = group_of >= 0
    prepared = _prepare(take(checked, select), dem, thresholds)
    grids = run_grids(prepared, dem, group_of[select], len(names))
    covered = covered_thresholds(thresholds)
    layers = {}
    for g, (operator, tech) in enumerate(names):
        best = grids["best"][g]
        best = np.where(best <= _sweep.NO_SIGNAL * 0.5, np.nan, best).astype(np.float32)
        best, servers = apply_clutter_layer(  # clutter at the receiver (land cover)
            best, grids["best_id"][g], grids["servers"][g], covered[tech],
            band_by_site(checked["site_index"], checked["band_mhz"], group_of == g), landcover)
        layers[(operator, tech)] = CoverageLayer(operator, tech, covered[tech], best,
                                                 grids["best_id"][g], servers)
    return layers


_KERNEL_DIGEST: bytes = hashlib.blake2b(b"".join(
    Path(module.__file__).read_bytes() for module in (_sweep, smooth_earth, propagation)),
    digest_size=16).digest()
"""The sources of the kernel and of its formulas: a changed model never serves grids cached
by the old one."""


def cache_key(sites: pd.DataFrame, dem: Dem, **options: object) -> str:
    """Hash of everything a coverage result depends on: sites, terrain, settings, options
    and the kernel's code."""
    h = hashlib.blake2b(_KERNEL_DIGEST, digest_size=16)
    cols = [c for c in ("operator", "technology", "band_mhz", "lon", "lat", "height_m",
                        "eirp_dbm", "azimuth_deg", "beamwidth_deg") if c in sites.columns]
    h.update(pd.util.hash_pandas_object(sites[cols].astype(str), index=False).to_numpy()
             .tobytes())
    h.update(np.ascontiguousarray(dem.elevation).tobytes())
    h.update(repr((tuple(dem.transform), dem.crs, dem.resolution_m)).encode())
    h.update(repr((SETTINGS.radio, SETTINGS.coverage, SETTINGS.landcover)).encode())
    landcover = options.pop("landcover", None)
    if landcover is not None:
        h.update(np.ascontiguousarray(landcover).tobytes())
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    return h.hexdigest()


def save_result(result: CoverageResult, path: Path) -> Path:
    """Write ``result`` to one ``.npz`` file (atomic rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    meta = {"transform": list(result.transform)[:6], "shape": list(result.shape),
            "resolution_m": result.resolution_m, "terrain_loaded": result.terrain_loaded,
            "warnings": result.warnings, "crs": result.crs, "layers": [],
            "landcover": result.landcover, "calibration": result.calibration}
    for i, ((op, tech), layer) in enumerate(result.layers.items()):
        meta["layers"].append([op, tech, layer.threshold_dbm])
        arrays[f"best{i}"], arrays[f"serving{i}"] = layer.best_dbm, layer.serving
        arrays[f"servers{i}"] = layer.servers
    if result.los_count is not None:
        arrays["los_count"] = result.los_count
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, meta=np.array(json.dumps(meta)), **arrays)
    tmp.replace(path)
    return path


def load_result(path: Path) -> CoverageResult:
    """Read a result written by :func:`save_result`."""
    with np.load(path) as data:
        meta = json.loads(str(data["meta"]))
        layers = {}
        for i, (op, tech, thr) in enumerate(meta["layers"]):
            layers[(op, tech)] = CoverageLayer(op, tech, thr, data[f"best{i}"],
                                               data[f"serving{i}"], data[f"servers{i}"])
        los = data["los_count"] if "los_count" in data else None
    return CoverageResult(Affine(*meta["transform"]), tuple(meta["shape"]),
                          meta["resolution_m"], meta["terrain_loaded"], layers, los,
                          meta["warnings"], meta["crs"], meta.get("landcover", ""),
                          meta.get("calibration", ""))


def cached_coverage(sites: pd.DataFrame, dem: Dem, *, cache_dir: Path | None = None,
                    **options: object) -> CoverageResult:
    """:func:`compute_coverage` with an on-disk cache keyed by :func:`cache_key`."""
    cache_dir = cache_dir or get_settings().paths.cache / "coverage"
    path = cache_dir / f"{cache_key(sites, dem, **options)}.npz"
    if path.exists():
        return load_result(path)
    result = compute_coverage(sites, dem, **options)
    save_result(result, path)
    return result


def path_terms(dem: Dem, row: int, col: int, height_m: float, band_mhz: float,
               radius_cells: int) -> dict[str, np.ndarray]:
    """What the engine takes for terrain along each path of one antenna, per cell of
    ``dem`` (NaN outside the disc of ``radius_cells``), dB: ``diffraction_db``, its
    delta-Bullington loss on the path, and ``flat_db``, the same over flat ground at that
    distance; the engine's terrain term is their difference. For validation and benchmarks:
    the same kernel and tables as :func:`compute_coverage`."""
    steps = 4 * (radius_cells + 3) + 4
    step = dem.resolution_m / 4.0
    rec: Records = {
        "row": np.array([row]), "col": np.array([col]), "height_m": np.array([height_m]),
        "ground_m": np.array([float(dem.elevation[row, col])]),
        "radius_cells": np.array([radius_cells]), "ref_dbm": np.zeros(1),
        "threshold_dbm": np.full(1, 1e9), "band_index": np.zeros(1, np.int64),
        "band_mhz": np.array([band_mhz]),
        "inv_sqrt_lambda": np.array([1.0 / math.sqrt(float(wavelength_m(band_mhz)))]),
        "azimuth": np.full(1, -1.0), "beamwidth": np.full(1, 360.0),
        "site_index": np.zeros(1, np.int32)}
    zero = np.zeros((1, steps), np.float32)
    prepared = PreparedSites(rec, zero, zero, zero, step, _dsph_table(float(band_mhz))[None],
                             np.array([band_mhz]))
    best = run_grids(prepared, dem, np.zeros(1, np.int64), 1)["best"][0].astype(float)
    best[best <= _sweep.NO_SIGNAL * 0.5] = np.nan
    r, c = np.indices(dem.shape)
    d = np.maximum(np.hypot(r - row, c - col) * dem.resolution_m, 0.5 * dem.resolution_m)
    flat = smooth_earth.flat_ground_db(d.ravel(), band_mhz, height_m,
                                       _RADIO.receiver_height_m).reshape(dem.shape)
    return {"diffraction_db": -best, "flat_db": np.where(np.isfinite(best), flat, np.nan)}
