"""The coverage overlay: signal classes, Web Mercator reprojection and its bounds, the PNG."""

from __future__ import annotations

import base64
import io

import geopandas as gpd
import numpy as np
import pytest
from affine import Affine
from PIL import Image
from pyproj import Transformer
from shapely.geometry import box

from analysis.coverage import CoverageLayer, CoverageResult
from ui.map import raster as R

METRIC = "EPSG:9208"
TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC, always_xy=True)
TO_LONLAT = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)


def _grid(res: float = 90.0, rows: int = 60, cols: int = 80) -> tuple[Affine, tuple[int, int]]:
    """A north-up grid whose top-left corner is near Lào Cai city (22.49 N, 103.97 E)."""
    x0, y0 = TO_METRIC.transform(103.97, 22.49)
    x0, y0 = round(x0 / res) * res, round(y0 / res) * res
    return Affine(res, 0, x0, 0, -res, y0), (rows, cols)


def _coverage(grids: dict[tuple[str, str], np.ndarray], transform: Affine) -> CoverageResult:
    layers = {}
    for (op, tech), best in grids.items():
        layers[(op, tech)] = CoverageLayer(op, tech, -110.0, best.astype(np.float32),
                                           np.zeros(best.shape, np.int32),
                                           np.zeros(best.shape, np.uint16))
    shape = next(iter(grids.values())).shape
    return CoverageResult(transform, shape, 90.0, False, layers)


def test_classify_thresholds_and_nan() -> None:
    best = np.array([[-80.0, -100.0, -100.1], [-110.0, -110.1, np.nan]], np.float32)
    assert R.classify(best, -110.0, -100.0).tolist() == [[3, 3, 2], [2, 1, 0]]
    # a covered threshold above the good one leaves no "usable" band
    assert R.classify(best, -95.0, -100.0).tolist() == [[3, 1, 1], [1, 1, 0]]


def test_best_signal_takes_the_best_selected_operator() -> None:
    transform, _ = _grid(rows=2, cols=2)
    a = np.array([[-90.0, np.nan], [-120.0, np.nan]])
    b = np.array([[-100.0, -105.0], [-95.0, np.nan]])
    cov = _coverage({("A", "4G"): a, ("B", "4G"): b, ("A", "3G"): a}, transform)
    best = R.best_signal(cov, "4G", None)
    assert np.allclose(best, [[-90.0, -105.0], [-95.0, np.nan]], equal_nan=True)
    only_a = R.best_signal(cov, "4G", ("A",))
    assert np.allclose(only_a, a, equal_nan=True)
    assert R.best_signal(cov, "5G", None) is None


def test_reprojection_keeps_the_place_and_gives_lat_lon_bounds() -> None:
    transform, shape = _grid()
    classes = np.zeros(shape, np.uint8)
    classes[30, 40] = R.CLASS_GOOD  # one marked cell
    out, bounds = R.to_web_mercator(classes, transform, METRIC)
    (south, west), (north, east) = bounds
    # the bounds are the source grid's outer corners, within a pixel
    rows, cols = shape
    corners = [transform * (c, r) for c, r in ((0, 0), (cols, 0), (0, rows), (cols, rows))]
    lons, lats = TO_LONLAT.transform(*zip(*corners, strict=True))
    pixel = 0.001  # degrees, about one 90 m pixel
    assert min(lons) - pixel < west <= min(lons) + pixel
    assert max(lons) - pixel <= east < max(lons) + pixel
    assert min(lats) - pixel < south <= min(lats) + pixel
    assert max(lats) - pixel <= north < max(lats) + pixel
    assert east - west < (max(lons) - min(lons)) * 1.05
    assert 21.8 < south < north < 22.6 and 103.9 < west < east < 104.1
    # the marked cell lands where it was: interpolate linearly in Web Mercator
    r, c = np.argwhere(out == R.CLASS_GOOD).mean(axis=0)
    to_merc = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    mx0, my0 = to_merc.transform(west, south)
    mx1, my1 = to_merc.transform(east, north)
    height, width = out.shape
    mx = mx0 + (c + 0.5) / width * (mx1 - mx0)
    my = my1 - (r + 0.5) / height * (my1 - my0)
    lon, lat = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True).transform(mx, my)
    x, y = transform * (40.5, 30.5)
    true_lon, true_lat = TO_LONLAT.transform(x, y)
    assert lon == pytest.approx(true_lon, abs=0.002) and lat == pytest.approx(true_lat, abs=0.002)


def test_png_is_a_palette_with_transparent_none() -> None:
    classes = np.array([[0, 1], [2, 3]], np.uint8)
    image = Image.open(io.BytesIO(R.png_bytes(classes)))
    assert image.mode == "P" and image.size == (2, 2)
    rgba = np.asarray(image.convert("RGBA"))
    assert rgba[0, 0, 3] == 0  # none: transparent
    assert tuple(rgba[1, 1, :3]) == tuple(int(R.CLASS_COLOURS[3][i:i + 2], 16) for i in (1, 3, 5))
    assert rgba[1, 1, 3] == 255


def test_coverage_image_masks_outside_the_area() -> None:
    transform, shape = _grid(rows=20, cols=20)
    best = np.full(shape, -90.0)
    cov = _coverage({("A", "4G"): best}, transform)
    left, top = transform * (0, 0)
    right, bottom = transform * (10, 20)  # the western half of the grid
    area = gpd.GeoDataFrame(geometry=[box(left, bottom, right, top).buffer(-1)], crs=METRIC)
    image = R.coverage_image(cov, "4G", None, -110.0, -100.0, area)
    assert image is not None
    assert image.counts[R.CLASS_GOOD] == pytest.approx(200, abs=20)
    assert image.url.startswith("data:image/png;base64,")
    png = Image.open(io.BytesIO(base64.b64decode(image.url.split(",", 1)[1])))
    assert png.size == (image.shape[1], image.shape[0])
    assert R.coverage_image(cov, "3G", None, -100.0, -90.0) is None
