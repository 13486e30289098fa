"""Coverage gaps: which support points, villages and communes lack service or fibre, and why.

Pure functions on the coverage grids of :mod:`analysis.coverage` (EPSG:9208) and the layers.
A *selection* is one technology (default 4G) over a set of operators (default all): a place
is in a gap when no selected site reaches the covered threshold there. Reasons:

``out_of_range``
    no selected site has the place within its modelled radius;
``terrain_shadow``
    a site in range would cover it over flat ground but the terrain blocks it
    (``shadow_db`` says by how many dB);
``weak_signal``
    in range and not blocked, but the signal is below the threshold even over flat ground.

Fibre distance is the horizontal (map) distance from the place to the nearest fibre route or
node, in metres; "within reach" means at most ``SETTINGS.gaps.fibre_reach_m``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import shapely

from analysis import status
from analysis.coverage import (
    ALL_OPERATORS,
    CoverageLayer,
    CoverageResult,
    PreparedSites,
    prepare_sites,
)
from analysis.selection import Selection
from geo.dem import Dem
from geo.settings import SETTINGS

TECH_ORDER: tuple[str, ...] = ("5G", "4G", "3G", "2G")
NONE = "none"
OUT_OF_RANGE, TERRAIN_SHADOW, WEAK_SIGNAL = "out_of_range", "terrain_shadow", "weak_signal"


@dataclass
class GridIndex:
    """Cells of a coverage grid for a set of places (metric x/y): rows, cols, inside."""

    rows: np.ndarray
    cols: np.ndarray
    inside: np.ndarray

    @classmethod
    def of(cls, result: CoverageResult, x: np.ndarray, y: np.ndarray) -> GridIndex:
        t = result.transform
        rows = np.floor((y - t.f) / t.e).astype(np.int64)
        cols = np.floor((x - t.c) / t.a).astype(np.int64)
        ny, nx = result.shape
        inside = (rows >= 0) & (rows < ny) & (cols >= 0) & (cols < nx)
        return cls(np.where(inside, rows, 0), np.where(inside, cols, 0), inside)

    def sample(self, grid: np.ndarray, fill: float | int) -> np.ndarray:
        values = grid[self.rows, self.cols]
        out = values.astype(np.result_type(values, type(fill)))
        out[~self.inside] = fill
        return out


def _layers(result: CoverageResult, technology: str,
            operators: tuple[str, ...] | None) -> list[CoverageLayer]:
    return [layer for (op, tech), layer in result.layers.items()
            if tech == technology and (op == ALL_OPERATORS or operators is None
                                       or op in operators)]


def covered_mask(result: CoverageResult, technology: str,
                 operators: tuple[str, ...] | None, threshold: float) -> np.ndarray:
    """Boolean grid: a selected operator reaches ``threshold`` dBm in ``technology``."""
    out = np.zeros(result.shape, bool)
    for layer in _layers(result, technology, operators):
        out |= layer.best_dbm >= threshold  # NaN compares False
    return out


def _sample_best(result: CoverageResult, cells: GridIndex, technology: str,
                 operators: tuple[str, ...] | None) -> tuple[np.ndarray, ...]:
    """Best signal, serving site and server count at the places, over the selected
    operators' layers of ``technology`` (NaN / −1 / 0 where none reaches)."""
    n = cells.rows.size
    best = np.full(n, -np.inf)
    serving = np.full(n, -1, np.int64)
    servers = np.zeros(n, np.int64)
    for layer in _layers(result, technology, operators):
        values = np.nan_to_num(cells.sample(layer.best_dbm, np.nan), nan=-np.inf)
        better = values > best
        best = np.where(better, values, best)
        serving = np.where(better, cells.sample(layer.serving, -1), serving)
        servers += cells.sample(layer.servers, 0).astype(np.int64)
    return np.where(np.isinf(best), np.nan, best), serving, servers


def _metric_xy(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    pts = gdf.to_crs(SETTINGS.crs.metric).geometry
    pts = pts.where(pts.geom_type == "Point", pts.representative_point())
    return pts.x.to_numpy(), pts.y.to_numpy()


def fibre_distance(x: np.ndarray, y: np.ndarray, routes: gpd.GeoDataFrame,
                   nodes: gpd.GeoDataFrame) -> np.ndarray:
    """Distance (m, EPSG:9208) from each place to the nearest fibre route or node."""
    geoms = np.concatenate([routes.to_crs(SETTINGS.crs.metric).geometry.values,
                            nodes.to_crs(SETTINGS.crs.metric).geometry.values])
    if geoms.size == 0:
        return np.full(x.size, np.inf)
    tree = shapely.STRtree(geoms)
    _, dist = tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
    return dist


def fibre_reach_area(routes: gpd.GeoDataFrame, nodes: gpd.GeoDataFrame,
                     reach_m: float) -> gpd.GeoDataFrame:
    """One polygon (WGS84): everything within ``reach_m`` of a fibre route or node,
    buffered in EPSG:9208 and simplified to 25 m."""
    metric = SETTINGS.crs.metric
    geoms = [g for frame in (routes, nodes) if frame is not None and len(frame)
             for g in frame.to_crs(metric).geometry.values]
    if not geoms:
        return gpd.GeoDataFrame(geometry=[], crs=SETTINGS.crs.display)
    area = shapely.union_all(shapely.buffer(np.asarray(geoms, dtype=object), reach_m,
                                            quad_segs=4))
    area = shapely.simplify(area, 25.0, preserve_topology=True)
    return gpd.GeoDataFrame(geometry=[area], crs=metric).to_crs(SETTINGS.crs.display)


def _flat_signal(prepared: PreparedSites, x: np.ndarray, y: np.ndarray,
                 select: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best flat-ground signal of the selected records within their radius, and whether any
    record has the place within its radius, per place."""
    rec = prepared.records
    sx, sy = rec["x"][select], rec["y"][select]
    if sx.size == 0:
        return np.full(x.size, np.nan), np.zeros(x.size, bool)
    d = np.hypot(x[:, None] - sx[None, :], y[:, None] - sy[None, :])
    in_range = d <= rec["reach_m"][select][None, :]
    loss = prepared.flat_loss_db(np.broadcast_to(np.flatnonzero(select)[None, :], d.shape), d)
    power = np.where(in_range, rec["ref_dbm"][select][None, :] - loss, -np.inf)
    best = power.max(axis=1)
    return np.where(np.isfinite(best), best, np.nan), in_range.any(axis=1)


def _nearest_by_operator(prepared: PreparedSites, sites: pd.DataFrame, x: np.ndarray,
                         y: np.ndarray) -> dict[str, np.ndarray]:
    rec = prepared.records
    out: dict[str, np.ndarray] = {}
    for op in SETTINGS.radio.operators:
        mask = rec["operator"] == op
        if not mask.any():
            continue
        d = np.hypot(x[:, None] - rec["x"][mask][None, :], y[:, None] - rec["y"][mask][None, :])
        j = d.argmin(axis=1)
        out[f"nearest_{op}_m"] = d[np.arange(x.size), j].round(0)
        ids = sites["site_id"].to_numpy()[rec["site_index"][mask]]
        out[f"nearest_{op}_site"] = ids[j]
    return out


@dataclass
class Assessment:
    """Per-place results (index aligned with the input layer) and the selection used."""

    table: pd.DataFrame
    selection: Selection = field(default_factory=Selection)

    @property
    def mobile_gap(self) -> pd.Series:
        """True where the selected technology does not reach the place (:mod:`analysis.status`)."""
        return status.mobile_gap(self.table)

    @property
    def gap(self) -> pd.Series:
        """``mobile_and_fibre``, ``mobile``, ``fibre`` or ``""`` per place
        (:mod:`analysis.status`)."""
        return status.gaps(self.table)

    @property
    def in_gap(self) -> pd.Series:
        """True where the place is in a mobile or a fibre gap (:mod:`analysis.status`)."""
        return status.in_gap(self.table)

    @property
    def status(self) -> pd.Series:
        """``4g``, ``3g``, ``2g`` or ``none`` per place (:mod:`analysis.status`)."""
        return status.statuses(self.table)


def assess_places(places: gpd.GeoDataFrame, result: CoverageResult, sites: pd.DataFrame,
                  dem: Dem, fibre_routes: gpd.GeoDataFrame, fibre_nodes: gpd.GeoDataFrame,
                  selection: Selection = Selection(),
                  prepared: PreparedSites | None = None) -> Assessment:
    """Service, redundancy, reason and fibre for every place (support points or villages).

    Columns: ``best_technology`` (5G/4G/3G/2G/none over the selected operators),
    ``best_signal_dbm`` and ``servers`` of the selected technology, ``redundancy``
    (0 / 1 / 2+), ``serving_site``, ``serving_operator``, ``serving_distance_m``,
    ``signal_<operator>_dbm``, ``nearest_<operator>_m`` / ``_site``, ``reason``,
    ``shadow_db``, ``fibre_distance_m``, ``fibre`` (within reach).
    """
    x, y = _metric_xy(places)
    cells = GridIndex.of(result, x, y)
    sel = selection
    table = pd.DataFrame(index=places.index)
    best_tech = np.full(x.size, NONE, object)
    thresholds = sel.covered_thresholds()  # at the selection's service level
    for tech in reversed(TECH_ORDER):  # weakest first, so the best generation wins
        signal, _, _ = _sample_best(result, cells, tech, sel.operators)
        has = np.nan_to_num(signal, nan=-np.inf) >= thresholds[tech]
        best_tech = np.where(has, tech, best_tech)
    table["best_technology"] = best_tech
    prepared = prepared or prepare_sites(sites, dem,
                                         thresholds={sel.technology: sel.outdoor_threshold})
    signal, serving, servers = _sample_best(result, cells, sel.technology, sel.operators)
    table["best_signal_dbm"] = np.round(signal, 1)
    table["servers"] = servers
    table["redundancy"] = np.select([servers >= 2, servers == 1], ["2+", "1"], "0")
    has_site = serving >= 0
    site_ids = sites["site_id"].to_numpy() if "site_id" in sites else np.arange(len(sites))
    rec = prepared.records
    table["serving_site"] = np.where(has_site, site_ids[np.maximum(serving, 0)], None)
    table["serving_operator"] = np.where(
        has_site, sites["operator"].to_numpy()[np.maximum(serving, 0)], None)
    pos = {int(i): k for k, i in enumerate(rec["site_index"])}
    k = np.array([pos.get(int(s), -1) for s in serving], dtype=np.int64)
    dist = np.hypot(x - rec["x"][np.maximum(k, 0)], y - rec["y"][np.maximum(k, 0)])
    table["serving_distance_m"] = np.where(k >= 0, dist.round(0), np.nan)
    for op in SETTINGS.radio.operators:
        if sel.takes(op) and (op, sel.technology) in result.layers:
            grid = result.layers[(op, sel.technology)].best_dbm
            table[f"signal_{op}_dbm"] = np.round(cells.sample(grid, np.nan), 1)
    for name, values in _nearest_by_operator(prepared, sites, x, y).items():
        table[name] = values
    selected = (rec["technology"] == sel.technology) & np.array(
        [sel.takes(op) for op in rec["operator"]], bool)
    flat, in_range = _flat_signal(prepared, x, y, selected)
    covered = np.nan_to_num(signal, nan=-np.inf) >= sel.threshold
    shadow = ~covered & in_range & (flat >= sel.threshold)
    table["reason"] = np.select(
        [covered, ~in_range, shadow], ["", OUT_OF_RANGE, TERRAIN_SHADOW], WEAK_SIGNAL)
    table["shadow_db"] = np.where(
        shadow, np.round(flat - np.nan_to_num(signal, nan=flat - 99.0), 1), np.nan)
    fibre = fibre_distance(x, y, fibre_routes, fibre_nodes)
    table["fibre_distance_m"] = fibre.round(0)
    table["fibre"] = fibre <= sel.fibre_reach_m
    return Assessment(table, sel)


def commune_labels(result: CoverageResult, communes: gpd.GeoDataFrame) -> np.ndarray:
    """Grid of commune numbers (1-based position in ``communes``; 0 outside all)."""
    shapes = zip(communes.to_crs(result.crs).geometry.values,
                 range(1, len(communes) + 1), strict=True)
    return rasterio.features.rasterize(shapes, out_shape=result.shape,
                                       transform=result.transform, fill=0, dtype="int32")


def commune_stats(result: CoverageResult, communes: gpd.GeoDataFrame,
                  villages: gpd.GeoDataFrame, points: Assessment, village_gaps: Assessment,
                  points_gdf: gpd.GeoDataFrame, villages_gdf: gpd.GeoDataFrame,
                  selection: Selection = Selection(),
                  labels: np.ndarray | None = None) -> pd.DataFrame:
    """Per 2025 unit: shares of area and population with service, and places in a gap.

    ``area_share`` is the share of the unit's grid cells covered by any selected operator;
    ``area_share_<operator>`` per operator. ``population_share`` spreads the unit's
    population over its villages (``population_basis = "villages"``) or, where it has none,
    over its area (``"area"``, equal to the area share).
    """
    labels = commune_labels(result, communes) if labels is None else labels
    n = len(communes) + 1
    cells = np.bincount(labels.ravel(), minlength=n).astype(float)
    sel = selection

    def share(mask: np.ndarray) -> np.ndarray:
        hits = np.bincount(labels[mask], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (hits / cells)[1:]

    any_mask = covered_mask(result, sel.technology, sel.operators, sel.threshold)
    out = pd.DataFrame({
        "code": communes["code"].to_numpy(), "name": communes["full_name"].to_numpy(),
        "population": communes["population"].to_numpy(),
        "area_km2": communes["area_km2"].to_numpy(),
    })
    out["area_share"] = share(any_mask)
    for op in SETTINGS.radio.operators:
        layer = result.layers.get((op, sel.technology))
        if layer is not None and sel.takes(op):
            out[f"area_share_{op}"] = share(layer.best_dbm >= sel.threshold)
    served = (~village_gaps.mobile_gap).to_numpy()  # analysis.status: measured or model
    code = villages_gdf["commune_code_2025"].to_numpy()
    population = villages_gdf["population"].to_numpy(float)
    grouped = (pd.Series(population * served).groupby(code).sum()
               / pd.Series(population).groupby(code).sum().clip(lower=1.0))
    has_villages = out["code"].isin(grouped.index)
    out["population_share"] = np.where(has_villages, out["code"].map(grouped),
                                       out["area_share"])
    out["population_basis"] = np.where(has_villages, "villages", "area")
    out["population_without_service"] = (
        out["population"] * (1.0 - out["population_share"])).round(0)
    gaps_p = points_gdf.loc[points.mobile_gap, "commune_code_2025"].value_counts()
    gaps_v = villages_gdf.loc[village_gaps.mobile_gap, "commune_code_2025"].value_counts()
    out["points"] = out["code"].map(points_gdf["commune_code_2025"].value_counts()).fillna(0)
    out["points_in_gap"] = out["code"].map(gaps_p).fillna(0).astype(int)
    out["villages"] = out["code"].map(villages_gdf["commune_code_2025"].value_counts()).fillna(0)
    out["villages_in_gap"] = out["code"].map(gaps_v).fillna(0).astype(int)
    out[["points", "villages"]] = out[["points", "villages"]].astype(int)
    return out


def commune_stats_2020(stats_2025: pd.DataFrame, crosswalk: pd.DataFrame,
                       points_gdf: gpd.GeoDataFrame, points: Assessment) -> pd.DataFrame:
    """Per 2020 unit (no polygons exist) whose 2025 successor is in ``stats_2025`` (the
    area's units: old Lào Cai's, old Yên Bái's or both): the shares of that successor (via
    ``code_2025``), and its own support points and points in a gap."""
    shares = stats_2025.set_index("code")[["area_share", "population_share",
                                           "population_basis"]]
    mine = crosswalk["code_2025"].isin(shares.index)
    out = crosswalk.loc[mine, ["code_2020", "full_name_2020", "district_code", "district",
                               "code_2025", "full_name_2025"]].reset_index(drop=True)
    out = out.join(shares, on="code_2025")
    own = points_gdf["commune_code_2020"]
    out["points"] = out["code_2020"].map(own.value_counts()).fillna(0).astype(int)
    out["points_in_gap"] = out["code_2020"].map(
        own[points.mobile_gap].value_counts()).fillna(0).astype(int)
    return out


def gap_areas(result: CoverageResult, communes: gpd.GeoDataFrame,
              selection: Selection = Selection(), labels: np.ndarray | None = None,
              min_area_km2: float = SETTINGS.gaps.min_gap_area_km2) -> gpd.GeoDataFrame:
    """Polygons (EPSG:9208) inside the communes where no selected site reaches the threshold.

    One row per commune with a gap: ``commune_code_2025``, ``commune_name_2025``,
    ``area_km2``; outlines follow the grid cells, simplified to the grid size; gaps and
    covered pinholes smaller than ``min_area_km2`` are sieved out first, and parts of a gap
    smaller than that after the split by commune are dropped.
    """
    labels = commune_labels(result, communes) if labels is None else labels
    covered = covered_mask(result, selection.technology, selection.operators,
                           selection.threshold)
    gap = (~covered & (labels > 0)).astype(np.uint8)
    # Remove specks and pinholes below the minimum area before tracing outlines.
    min_cells = max(1, int(min_area_km2 * 1e6 / result.resolution_m ** 2))
    gap = rasterio.features.sieve(gap, min_cells, connectivity=4)
    gap = np.where(gap > 0, labels, 0).astype(np.int32)
    parts: dict[int, list] = {}
    for geom, value in rasterio.features.shapes(gap, mask=gap > 0, connectivity=4,
                                                transform=result.transform):
        polygon = shapely.geometry.shape(geom)
        if polygon.area / 1e6 >= min_area_km2:
            parts.setdefault(int(value), []).append(polygon)
    rows = []
    for value, polys in sorted(parts.items()):
        merged = shapely.simplify(shapely.multipolygons(polys), result.resolution_m,
                                  preserve_topology=True)
        unit = communes.iloc[value - 1]
        rows.append({"commune_code_2025": unit["code"], "commune_name_2025": unit["full_name"],
                     "area_km2": round(merged.area / 1e6, 3), "geometry": merged})
    columns = ["commune_code_2025", "commune_name_2025", "area_km2", "geometry"]
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs=result.crs)


def lose_all_service(result: CoverageResult, places: gpd.GeoDataFrame, *,
                     technologies_off: Sequence[str] = (), operator_off: str | None = None,
                     site_off: int | None = None,
                     operators: tuple[str, ...] | None = None,
                     covered_dbm: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Places that have some service today and none after switching off
    ``technologies_off`` (e.g. 2G and 3G), ``operator_off`` or the site of row ``site_off``.

    Service is any technology of the selected operators at its covered threshold: the
    layer's, or ``covered_dbm[technology]`` (a service level's,
    :meth:`analysis.selection.Selection.covered_thresholds`). A cell keeps a layer's service
    without ``site_off`` unless that site serves it and is its only server above the layer's
    threshold (exact at the layer's threshold: ``servers`` counts every such site; with a
    higher ``covered_dbm`` a second server may be too weak for it, so the loss is a lower
    bound). Returns the lost places (index aligned with ``places``) with what they had before.
    """
    x, y = _metric_xy(places)
    cells = GridIndex.of(result, x, y)
    before_by = {}
    after = np.zeros(x.size, bool)
    for (op, tech), layer in result.layers.items():
        if operators is not None and op not in operators:
            continue
        covered = (layer.covered if covered_dbm is None else
                   np.nan_to_num(layer.best_dbm, nan=-np.inf) >= covered_dbm[tech])
        has = cells.sample(covered, False).astype(bool)
        before_by.setdefault(tech, np.zeros(x.size, bool))
        before_by[tech] |= has
        if tech in technologies_off or op == operator_off:
            continue
        if site_off is not None:
            only = ((cells.sample(layer.serving, -1) == site_off)
                    & (cells.sample(layer.servers, 0) <= 1))
            has = has & ~only
        after |= has
    before = np.zeros(x.size, bool)
    for has in before_by.values():
        before |= has
    lost = before & ~after
    had = [",".join(t for t in TECH_ORDER if before_by.get(t, np.zeros(x.size, bool))[i])
           for i in np.flatnonzero(lost)]
    out = pd.DataFrame({"had": had}, index=places.index[lost])
    return out
