"""Coverage raster for the map: best signal → signal classes → Web Mercator → palette PNG.

The coverage grids of :mod:`analysis.coverage` are north-up grids in EPSG:9208 (metres).
Leaflet stretches an ``ImageOverlay`` linearly between two lat/lon corners *in Web
Mercator*, so the grid is reprojected to EPSG:3857 (nearest neighbour, on the class codes)
before it is written as a PNG; the bounds handed to Leaflet are the lat/lon of the
reprojected grid's corners.

The image holds four classes, the words a planner reads in the legend:

====  ===============  ==========================================
code  class            rule (dBm: RxLev 2G, RSCP 3G, RSRP 4G/5G)
====  ===============  ==========================================
0     none             no selected site reaches the cell (transparent)
1     weak             below the covered threshold
2     usable           at or above the covered threshold
3     good             at or above the "good" threshold
====  ===============  ==========================================

Pure functions, no Streamlit; the app caches :func:`coverage_image` (:mod:`ui.map.cached`) per
(operators, technology, threshold).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import rasterio.features
import rasterio.warp
from affine import Affine
from PIL import Image
from pyproj import Transformer

from analysis.coverage import CoverageResult
from geo.crs import DISPLAY_CRS

CLASS_NONE, CLASS_WEAK, CLASS_USABLE, CLASS_GOOD = 0, 1, 2, 3
# Colour of each class (RGB) and its alpha in the PNG; ``none`` is fully transparent.
CLASS_COLOURS: dict[int, str] = {
    CLASS_GOOD: "#1a9850",
    CLASS_USABLE: "#a6d96a",
    CLASS_WEAK: "#fdae61",
}
# Land-cover classes (:data:`geo.settings.LandCoverSettings.classes`), drawn with the colours of
# the ESA WorldCover legend (product user manual); code 0 (none) transparent.
LANDCOVER_COLOURS: dict[int, str] = {
    10: "#006400", 20: "#ffbb22", 30: "#ffff4c", 40: "#f096ff", 50: "#fa0000", 60: "#b4b4b4",
    70: "#f0f0f0", 80: "#0064c8", 90: "#0096a0", 95: "#00cf75", 100: "#fae6a0",
}
CLASS_ALPHA: int = 255  # the overlay's own opacity (:data:`OVERLAY_OPACITY`) makes it see-through
OVERLAY_OPACITY: float = 0.55
WEB_MERCATOR = "EPSG:3857"


@dataclass(frozen=True)
class CoverageImage:
    """A coverage overlay ready for Leaflet.

    ``url`` is a ``data:image/png;base64,...`` URL, ``bounds`` ``[[south, west], [north,
    east]]`` in degrees, ``shape`` the PNG's (rows, cols), ``counts`` the number of pixels
    per class code in the source grid (inside the study area), ``png_bytes`` its size.
    """

    url: str
    bounds: tuple[tuple[float, float], tuple[float, float]]
    shape: tuple[int, int]
    counts: dict[int, int]
    png_bytes: int


def best_signal(coverage: CoverageResult, technology: str,
                operators: Sequence[str] | None = None) -> np.ndarray | None:
    """Best signal (dBm, float32, NaN where none) of ``technology`` over ``operators``.

    ``operators`` None means every operator of the result. Returns None when the result has
    no layer for that selection (e.g. no 5G site).
    """
    grids = [layer.best_dbm for (op, tech), layer in coverage.layers.items()
             if tech == technology and (operators is None or op in operators or op == "all")]
    if not grids:
        return None
    best = grids[0].astype(np.float32, copy=True)
    for grid in grids[1:]:
        best = np.fmax(best, grid)  # fmax ignores NaN unless both are NaN
    return best


def classify(best_dbm: np.ndarray, covered_dbm: float, good_dbm: float) -> np.ndarray:
    """Class code per cell (uint8): 3 good ≥ ``good_dbm``, 2 usable ≥ ``covered_dbm``,
    1 weak (a signal below the covered threshold), 0 none (NaN).

    A ``good_dbm`` below ``covered_dbm`` is raised to it (a stricter covered threshold
    leaves no "usable but not good" band).

    >>> classify(np.array([-90.0, -105.0, -120.0, np.nan]), -110.0, -100.0).tolist()
    [3, 2, 1, 0]
    """
    good = max(float(good_dbm), float(covered_dbm))
    values = np.asarray(best_dbm, np.float32)
    with np.errstate(invalid="ignore"):  # NaN compares False: it stays "none"
        out = np.where(values >= good, CLASS_GOOD,
                       np.where(values >= covered_dbm, CLASS_USABLE, CLASS_WEAK))
    out = out.astype(np.uint8)
    out[np.isnan(values)] = CLASS_NONE
    return out


def area_mask(area: gpd.GeoDataFrame, shape: tuple[int, int], transform: Affine,
              crs: str) -> np.ndarray:
    """Boolean grid: True inside ``area`` (any CRS) on the grid ``shape``/``transform``."""
    geoms = area.to_crs(crs).geometry.values
    return rasterio.features.geometry_mask(geoms, out_shape=shape, transform=transform,
                                           invert=True, all_touched=True)


def to_web_mercator(
    classes: np.ndarray, transform: Affine, crs: str
) -> tuple[np.ndarray, tuple[tuple[float, float], tuple[float, float]]]:
    """Reproject a class grid to EPSG:3857 (nearest neighbour, 0 = nodata).

    Returns the reprojected grid and its bounds ``[[south, west], [north, east]]`` in
    degrees, as Leaflet's ``ImageOverlay`` wants them. The output pixel keeps about the
    input's ground size.
    """
    rows, cols = classes.shape
    west, south, east, north = rasterio.transform.array_bounds(rows, cols, transform)
    dst_transform, width, height = rasterio.warp.calculate_default_transform(
        crs, WEB_MERCATOR, cols, rows, left=west, bottom=south, right=east, top=north)
    out = np.zeros((height, width), np.uint8)
    rasterio.warp.reproject(
        classes, out, src_transform=transform, src_crs=crs, src_nodata=CLASS_NONE,
        dst_transform=dst_transform, dst_crs=WEB_MERCATOR, dst_nodata=CLASS_NONE,
        resampling=rasterio.warp.Resampling.nearest,
    )
    mx0, my1 = dst_transform * (0, 0)
    mx1, my0 = dst_transform * (width, height)
    to_wgs84 = Transformer.from_crs(WEB_MERCATOR, DISPLAY_CRS, always_xy=True)
    lon0, lat0 = to_wgs84.transform(mx0, my0)
    lon1, lat1 = to_wgs84.transform(mx1, my1)
    bounds = ((round(lat0, 6), round(lon0, 6)), (round(lat1, 6), round(lon1, 6)))
    return out, bounds


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def png_bytes(classes: np.ndarray, colours: dict[int, str] | None = None) -> bytes:
    """Palette PNG of a class grid: class colours (default: the coverage's), class 0
    transparent."""
    colours = CLASS_COLOURS if colours is None else colours
    palette = [0, 0, 0] * 256
    alpha = [0] * 256
    for code, colour in colours.items():
        palette[3 * code:3 * code + 3] = _rgb(colour)
        alpha[code] = CLASS_ALPHA
    image = Image.fromarray(np.ascontiguousarray(classes, np.uint8), mode="P")
    image.putpalette(palette)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6,
               transparency=bytes(alpha[:max(colours, default=0) + 1]))
    return out.getvalue()


def landcover_image(classes: np.ndarray, transform: Affine, crs: str, *,
                    mask: np.ndarray | None = None) -> CoverageImage:
    """The land-cover overlay: class codes (0 none, transparent; cells outside ``mask``
    too) reprojected to Web Mercator and drawn in :data:`LANDCOVER_COLOURS`."""
    grid = np.where(np.isin(classes, list(LANDCOVER_COLOURS)), classes, 0).astype(np.uint8)
    if mask is not None:
        grid[~mask] = CLASS_NONE
    codes, n = np.unique(grid, return_counts=True)
    counts = {int(c): int(k) for c, k in zip(codes, n, strict=True)}
    mercator, bounds = to_web_mercator(grid, transform, crs)
    data = png_bytes(mercator, LANDCOVER_COLOURS)
    url = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return CoverageImage(url, bounds, mercator.shape, counts, len(data))


def coverage_image(coverage: CoverageResult, technology: str,
                   operators: Sequence[str] | None, covered_dbm: float, good_dbm: float,
                   area: gpd.GeoDataFrame | None = None, *,
                   mask: np.ndarray | None = None) -> CoverageImage | None:
    """The overlay of the best ``technology`` signal over ``operators`` (None: all).

    Cells outside ``area`` (e.g. the study area), or where ``mask`` (a boolean grid of the
    coverage's shape, e.g. a cached :func:`area_mask`) is False, are left transparent.
    Returns None when the coverage has no layer for the selection.
    """
    best = best_signal(coverage, technology, operators)
    if best is None:
        return None
    classes = classify(best, covered_dbm, good_dbm)
    if mask is None and area is not None and len(area):
        mask = area_mask(area, classes.shape, coverage.transform, coverage.crs)
    if mask is not None:
        classes[~mask] = CLASS_NONE
    codes, n = np.unique(classes, return_counts=True)
    counts = {int(c): int(k) for c, k in zip(codes, n, strict=True)}
    mercator, bounds = to_web_mercator(classes, coverage.transform, coverage.crs)
    data = png_bytes(mercator)
    url = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return CoverageImage(url, bounds, mercator.shape, counts, len(data))
