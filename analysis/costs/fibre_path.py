"""Fibre extensions as least-cost paths over the terrain.

The DEM (EPSG:9208) is averaged onto a coarser routing grid of ``SETTINGS.costs.fibre_cell_m``
cells. Each cell costs ``fibre_capex_usd_per_km`` (in VND per metre) times the multiplier of
its slope class (``fibre_slope_classes``, slope in % from the coarse terrain), times the mean
land-cover multiplier of its DEM cells (``fibre_landcover_factor``, when land cover is loaded),
times ``fibre_road_factor`` where an optional road layer crosses it. Off-terrain cells are
impassable.

:func:`fibre_tree` runs one multi-source least-cost search (``skimage.graph.MCP_Geometric``:
a step between neighbouring cells costs the mean of their two costs times the step length,
diagonals √2) from every cell a fibre route or node touches. The result is a shortest-path
tree: each place's extension is its cell's path to the existing fibre, and places whose
paths share cells share that trunk (:func:`paths`, used by :mod:`analysis.costs.budget`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numba
import numpy as np
import rasterio.features
import shapely
from affine import Affine
from skimage.graph import MCP_Geometric

from geo.dem import Dem
from geo.settings import SETTINGS, CostSettings

UNREACHED = -2
SOURCE = -1


@dataclass
class CostSurface:
    """Cost of laying fibre across each routing cell, VND per metre (inf: impassable), on a
    north-up grid of ``cell_m`` metres (EPSG:9208) whose affine is ``transform``."""

    vnd_per_m: np.ndarray
    transform: Affine
    cell_m: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.vnd_per_m.shape  # type: ignore[return-value]

    def cell_of(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row, column and inside-flag of metric points ``x``, ``y``."""
        t = self.transform
        rows = np.floor((np.asarray(y, float) - t.f) / t.e).astype(np.int64)
        cols = np.floor((np.asarray(x, float) - t.c) / t.a).astype(np.int64)
        ny, nx = self.shape
        inside = (rows >= 0) & (rows < ny) & (cols >= 0) & (cols < nx)
        return np.where(inside, rows, 0), np.where(inside, cols, 0), inside

    def centres(self, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Metric x, y of the centres of cells given by flat index."""
        rows, cols = np.divmod(np.asarray(flat, np.int64), self.shape[1])
        t = self.transform
        return t.c + (cols + 0.5) * t.a, t.f + (rows + 0.5) * t.e


def _block_mean(values: np.ndarray, f: int) -> np.ndarray:
    """Mean (NaN ignored; all-NaN → NaN) of ``f`` × ``f`` blocks, the edges padded."""
    ny, nx = values.shape
    py, px = -ny % f, -nx % f
    padded = np.pad(values.astype(float), ((0, py), (0, px)), constant_values=np.nan)
    blocks = padded.reshape(padded.shape[0] // f, f, padded.shape[1] // f, f)
    count = np.sum(~np.isnan(blocks), axis=(1, 3))
    total = np.nansum(blocks, axis=(1, 3))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def slope_multiplier(slope_pct: np.ndarray, classes: tuple[tuple[float, float], ...]
                     ) -> np.ndarray:
    """Per-km cost multiplier of each slope (%): the class whose upper bound is the first
    ≥ the slope (steeper than every class: the last)."""
    uppers = np.array([u for u, _ in classes], float)
    factors = np.array([m for _, m in classes], float)
    index = np.minimum(np.searchsorted(uppers, slope_pct, side="left"), len(classes) - 1)
    return factors[index]


def cost_surface(dem: Dem, costs: CostSettings = SETTINGS.costs, *,
                 landcover: np.ndarray | None = None, roads: gpd.GeoDataFrame | None = None,
                 cell_m: float | None = None) -> CostSurface:
    """The routing grid over ``dem``: cells of ``cell_m`` (default ``costs.fibre_cell_m``,
    a whole number of DEM cells), VND per metre. ``landcover``: classes on the DEM's grid
    (:class:`geo.landcover.LandCover` ``.classes``); ``roads``: lines in any CRS (none: no
    road discount)."""
    f = max(1, round((cell_m or costs.fibre_cell_m) / dem.resolution_m))
    size = f * dem.resolution_m
    elevation = _block_mean(dem.elevation, f)
    t = dem.transform
    transform = Affine(size, 0.0, t.c, 0.0, -size, t.f)
    gy, gx = np.gradient(np.where(np.isnan(elevation), np.nanmean(elevation)
                                  if np.isfinite(elevation).any() else 0.0, elevation), size)
    slope = 100.0 * np.hypot(gx, gy)
    factor = slope_multiplier(slope, costs.fibre_slope_classes)
    if landcover is not None:
        lut = np.ones(256, float)
        for code, value in costs.fibre_landcover_factor.items():
            lut[int(code)] = value
        lc = _block_mean(lut[np.asarray(landcover, np.int64)], f)
        factor = factor * np.nan_to_num(lc, nan=1.0)
    if roads is not None and len(roads):
        geoms = [g for g in roads.to_crs(SETTINGS.crs.metric).geometry.values
                 if g is not None and not g.is_empty]
        if geoms:
            on_road = rasterio.features.rasterize(
                geoms, out_shape=elevation.shape, transform=transform, fill=0,
                default_value=1, all_touched=True, dtype="uint8").astype(bool)
            factor = np.where(on_road, factor * costs.fibre_road_factor, factor)
    per_m = costs.usd(costs.fibre_capex_usd_per_km) / 1000.0 * factor
    per_m = np.where(np.isnan(elevation), np.inf, per_m)
    return CostSurface(per_m, transform, size)


@dataclass
class FibreTree:
    """Least-cost paths from every routing cell to the existing fibre (flat cell indices).

    ``cost_vnd``: capex of the cheapest extension from the cell to the fibre (inf:
    unreachable); ``parent``: the next cell towards the fibre (``SOURCE`` on the fibre,
    ``UNREACHED``); ``step_m``: length of the step from the cell to its parent, metres."""

    surface: CostSurface
    cost_vnd: np.ndarray
    parent: np.ndarray
    step_m: np.ndarray


def source_cells(surface: CostSurface, routes: gpd.GeoDataFrame | None,
                 nodes: gpd.GeoDataFrame | None) -> np.ndarray:
    """Boolean grid of the routing cells a fibre route or node touches."""
    geoms = [g for frame in (routes, nodes) if frame is not None and len(frame)
             for g in frame.to_crs(SETTINGS.crs.metric).geometry.values
             if g is not None and not g.is_empty]
    if not geoms:
        return np.zeros(surface.shape, bool)
    return rasterio.features.rasterize(geoms, out_shape=surface.shape,
                                       transform=surface.transform, fill=0, default_value=1,
                                       all_touched=True, dtype="uint8").astype(bool)


def fibre_tree(surface: CostSurface, sources: np.ndarray) -> FibreTree | None:
    """The shortest-path tree from the ``sources`` cells (None: no fibre on the grid)."""
    sources = sources & np.isfinite(surface.vnd_per_m)
    if not sources.any():
        return None
    cost = surface.vnd_per_m * surface.cell_m  # VND per cell step
    mcp = MCP_Geometric(cost, fully_connected=True)
    cumulative, traceback = mcp.find_costs(np.argwhere(sources))
    offsets = np.asarray(mcp.offsets)
    nx = surface.shape[1]
    flat_offset = offsets[:, 0].astype(np.int64) * nx + offsets[:, 1].astype(np.int64)
    step_len = np.hypot(offsets[:, 0].astype(float), offsets[:, 1].astype(float)) * surface.cell_m
    tb = traceback.ravel()
    index = np.arange(tb.size)
    moved = tb >= 0
    parent = np.where(moved, index - flat_offset[np.maximum(tb, 0)],
                      np.where(tb == -1, SOURCE, UNREACHED))
    cum = cumulative.ravel().astype(float)
    cum[tb == UNREACHED] = np.inf
    step = np.where(moved, step_len[np.maximum(tb, 0)], 0.0)
    return FibreTree(surface, cum, parent.astype(np.int64), step)


@numba.njit(cache=True)
def _walk(parent, cells):  # pragma: no cover - compiled
    n = cells.size
    start = np.zeros(n + 1, np.int64)
    for i in range(n):
        c = cells[i]
        k = 0
        if c >= 0 and parent[c] != -2:
            while parent[c] >= 0:
                k += 1
                c = parent[c]
        start[i + 1] = start[i] + k
    out = np.empty(start[n], np.int64)
    for i in range(n):
        c = cells[i]
        j = start[i]
        if c >= 0 and parent[c] != -2:
            while parent[c] >= 0:
                out[j] = c
                j += 1
                c = parent[c]
    return start, out


@dataclass
class Paths:
    """The tree paths of some places, as CSR: place ``i``'s path cells (place first, the
    cell before the fibre last) are ``cells[start[i]:start[i + 1]]``; each cell's edge is its
    step to its parent, costing ``edge_vnd`` and ``edge_m`` metres long."""

    start: np.ndarray
    cells: np.ndarray
    edge_vnd: np.ndarray
    edge_m: np.ndarray
    reachable: np.ndarray  # per place: a path to the fibre exists (on the grid, not cut off)

    def of(self, i: int) -> np.ndarray:
        return self.cells[self.start[i]:self.start[i + 1]]

    @property
    def length_m(self) -> np.ndarray:
        """Path length of every place, metres."""
        return np.add.reduceat(np.append(self.edge_m, 0.0), self.start[:-1]) * (
            np.diff(self.start) > 0)

    @property
    def cost_vnd(self) -> np.ndarray:
        """Path capex of every place, VND."""
        return np.add.reduceat(np.append(self.edge_vnd, 0.0), self.start[:-1]) * (
            np.diff(self.start) > 0)


def paths(tree: FibreTree, x: np.ndarray, y: np.ndarray) -> Paths:
    """Tree paths from metric points ``x``, ``y`` (EPSG:9208) to the fibre."""
    rows, cols, inside = tree.surface.cell_of(x, y)
    cells = np.where(inside, rows * tree.surface.shape[1] + cols, -1).astype(np.int64)
    start, out = _walk(tree.parent, cells)
    parent = tree.parent[out]
    edge_vnd = tree.cost_vnd[out] - tree.cost_vnd[parent]
    reachable = inside & np.isfinite(tree.cost_vnd[np.maximum(cells, 0)])
    return Paths(start, out, edge_vnd, tree.step_m[out], reachable)


def path_line(tree: FibreTree, path_cells: np.ndarray, x: float, y: float
              ) -> shapely.LineString | None:
    """The route (EPSG:9208) from the place (``x``, ``y``) through the centres of its path
    cells to the fibre cell (None: no path)."""
    if path_cells.size == 0:
        return None
    last = tree.parent[path_cells[-1]]
    cx, cy = tree.surface.centres(np.append(path_cells, last))
    return shapely.LineString(np.column_stack([np.r_[x, cx], np.r_[y, cy]]))
