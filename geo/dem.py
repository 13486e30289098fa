"""Digital elevation model on the planner's metric grid (EPSG:9208, VN-2000 / TM-3 104-45).

:func:`read_dem` reads GeoTIFF, SRTM ``.hgt`` and ``.hgt.zip`` files, mosaics them, clips them
to the study area plus a margin and resamples them (bilinear) onto a north-up grid of 30 or
90 m whose origin is a multiple of the resolution. :func:`flat_dem` stands in when no terrain
is loaded. Elevations are metres above the source's vertical datum; nodata is NaN.

Command line: ``python -m geo.dem fetch`` downloads the Copernicus tiles (see
:mod:`geo.dem_fetch`); ``python -m geo.dem build --out DEM.tif FILES...`` writes the grid.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import shapely
from affine import Affine
from rasterio.crs import CRS
from rasterio.merge import merge
from rasterio.transform import array_bounds
from rasterio.warp import Resampling, reproject, transform_bounds
from rasterio.warp import transform as warp_transform
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geo.dem_fetch import (
    DemDownloadError,
    check_resolution,
    copernicus_tile_name,
    fetch_tiles,
    tile_url,
)
from geo.dem_sources import SOURCE_FIX, check_source, open_source
from geo.errors import DataError
from geo.layers import load_study_area
from geo.settings import SETTINGS

__all__ = [
    "OUTPUT_NODATA",
    "TERRAIN_NOT_LOADED_WARNING",
    "Dem",
    "DemDownloadError",
    "copernicus_tile_name",
    "fetch_tiles",
    "flat_dem",
    "main",
    "read_dem",
    "tile_url",
]

TERRAIN_NOT_LOADED_WARNING = "terrain not loaded: coverage is optimistic in mountains"
OUTPUT_NODATA = -9999.0  # nodata value of written GeoTIFFs


@dataclass
class Dem:
    """Elevation grid in metres on a north-up metric grid (``crs`` is always EPSG:9208).

    ``elevation`` is float32 with NaN for nodata; ``transform`` maps (col, row) to metres.
    ``terrain_loaded`` is False for :func:`flat_dem` grids.
    """

    elevation: np.ndarray
    transform: Affine
    resolution_m: float
    crs: str = SETTINGS.crs.metric
    source: str = ""
    terrain_loaded: bool = True

    def __post_init__(self) -> None:
        self.elevation = np.asarray(self.elevation, dtype=np.float32)
        if self.elevation.ndim != 2:
            raise ValueError(f"elevation must be 2-D, got shape {self.elevation.shape}")
        if self.crs != SETTINGS.crs.metric:
            raise ValueError(f"a Dem is always in {SETTINGS.crs.metric}, not {self.crs}")

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        return self.elevation.shape  # type: ignore[return-value]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) in metres, EPSG:9208."""
        west, south, east, north = array_bounds(*self.shape, self.transform)
        return (west, south, east, north)

    def sample(self, x_m: Any, y_m: Any, method: str = "bilinear") -> np.ndarray:
        """Elevations (m) at metric points ``x_m, y_m`` (EPSG:9208; scalars or arrays).

        ``method`` is "bilinear" (between pixel centres, ignoring NaN neighbours) or
        "nearest". Points outside the grid or on nodata give NaN.
        """
        x, y = np.broadcast_arrays(np.asarray(x_m, float), np.asarray(y_m, float))
        inv = ~self.transform
        cols = inv.a * x + inv.b * y + inv.c
        rows = inv.d * x + inv.e * y + inv.f
        h, w = self.shape
        out = np.full(x.shape, np.nan)
        inside = (cols >= 0) & (cols <= w) & (rows >= 0) & (rows <= h)
        c, r = cols[inside], rows[inside]
        z = self.elevation
        if method == "nearest":
            ci = np.minimum(c.astype(int), w - 1)
            ri = np.minimum(r.astype(int), h - 1)
            out[inside] = z[ri, ci]
            return out
        if method != "bilinear":
            raise ValueError(f"method must be 'bilinear' or 'nearest', not {method!r}")
        fc = np.clip(c - 0.5, 0, w - 1)
        fr = np.clip(r - 0.5, 0, h - 1)
        c0, r0 = fc.astype(int), fr.astype(int)
        c1, r1 = np.minimum(c0 + 1, w - 1), np.minimum(r0 + 1, h - 1)
        tc, tr = fc - c0, fr - r0
        total = np.zeros(c.shape)
        weight = np.zeros(c.shape)
        for rr, cc, wt in (
            (r0, c0, (1 - tr) * (1 - tc)), (r0, c1, (1 - tr) * tc),
            (r1, c0, tr * (1 - tc)), (r1, c1, tr * tc),
        ):
            v = z[rr, cc].astype(float)
            ok = ~np.isnan(v)
            total += np.where(ok, v * wt, 0.0)
            weight += np.where(ok, wt, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[inside] = np.where(weight > 1e-9, total / weight, np.nan)
        return out

    def to_geotiff(self, path: str | os.PathLike[str]) -> Path:
        """Write the grid as a float32 GeoTIFF (EPSG:9208, nodata −9999) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        h, w = self.shape
        data = np.where(np.isnan(self.elevation), OUTPUT_NODATA, self.elevation)
        with rasterio.open(
            path, "w", driver="GTiff", height=h, width=w, count=1, dtype="float32",
            crs=self.crs, transform=self.transform, nodata=OUTPUT_NODATA, compress="deflate",
        ) as dst:
            dst.write(data.astype(np.float32), 1)
            dst.update_tags(source=self.source, terrain_loaded=str(self.terrain_loaded))
        return path


def _grid(bounds_m: Sequence[float], res: int) -> tuple[Affine, int, int]:
    """North-up grid covering ``bounds_m`` with its corners on multiples of ``res`` metres."""
    minx, miny, maxx, maxy = bounds_m
    eps = 1e-6
    left, bottom = math.floor(minx / res + eps) * res, math.floor(miny / res + eps) * res
    right, top = math.ceil(maxx / res - eps) * res, math.ceil(maxy / res - eps) * res
    width, height = max(1, (right - left) // res), max(1, (top - bottom) // res)
    return Affine(res, 0.0, left, 0.0, -res, top), int(width), int(height)


def flat_dem(
    area_bounds_m: Sequence[float], resolution_m: int, elevation_m: float = 0.0
) -> Dem:
    """A constant-elevation grid over ``area_bounds_m`` (minx, miny, maxx, maxy; EPSG:9208 m).

    Used to run without terrain: ``terrain_loaded`` is False, so callers should show
    :data:`TERRAIN_NOT_LOADED_WARNING`.
    """
    res = check_resolution(resolution_m)
    transform, width, height = _grid(area_bounds_m, res)
    elevation = np.full((height, width), elevation_m, dtype=np.float32)
    return Dem(elevation, transform, res, source="flat", terrain_loaded=False)


# --- area and grid -------------------------------------------------------------------------


def _area_lonlat(area: Any) -> BaseGeometry:
    """The area as a shapely geometry in lon/lat (EPSG:4326)."""
    if hasattr(area, "to_crs"):  # GeoDataFrame / GeoSeries
        area = area.to_crs(SETTINGS.crs.display).union_all()
    if isinstance(area, BaseGeometry):
        geom = area
    else:
        try:
            minx, miny, maxx, maxy = (float(v) for v in area)
        except (TypeError, ValueError) as exc:
            raise DataError(
                "the area must be a shapely geometry or a (minlon, minlat, maxlon, maxlat) box"
            ) from exc
        geom = box(minx, miny, maxx, maxy)
    b = geom.bounds
    if geom.is_empty or not (-180 <= b[0] <= b[2] <= 180 and -90 <= b[1] <= b[3] <= 90):
        raise DataError(f"the area {b} is empty or not in lon/lat degrees (EPSG:4326)",
                        fix="give the study area in EPSG:4326")
    return geom


def _to_metric(geom: BaseGeometry, metric: CRS) -> BaseGeometry:
    def project(xy: np.ndarray) -> np.ndarray:
        xs, ys = warp_transform(SETTINGS.crs.display, metric, xy[:, 0], xy[:, 1])
        return np.column_stack([xs, ys])

    return shapely.transform(shapely.segmentize(geom, 0.01), project)


def _target_bounds(
    area: Any, margin_m: float, sources: list[tuple[Path, Any]], metric: CRS
) -> tuple[float, float, float, float]:
    """Metric bounds of the output grid: the area plus margin, or the data extent."""
    footprints = [
        box(*transform_bounds(ds.crs, metric, *ds.bounds, densify_pts=21)) for _, ds in sources
    ]
    data = shapely.union_all(footprints)
    if area is None:
        return data.bounds
    minx, miny, maxx, maxy = _to_metric(_area_lonlat(area), metric).bounds
    wanted = box(minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m)
    if not wanted.intersects(data):
        names = ", ".join(sorted({p.name for p, _ in sources}))
        raise DataError(
            "the study area does not overlap the terrain tiles", source=names,
            fix="use tiles that cover the study area (see python -m geo.dem fetch)",
        )
    return wanted.bounds


def _snap_to_source(bounds: Sequence[float], ds: Any, pad: int = 2) -> tuple[float, ...]:
    """``bounds`` grown by ``pad`` pixels and snapped outward onto ``ds``'s pixel grid."""
    rx, ry = ds.res
    x0, y0 = ds.transform.c, ds.transform.f
    left = x0 + (math.floor((bounds[0] - x0) / rx) - pad) * rx
    right = x0 + (math.ceil((bounds[2] - x0) / rx) + pad) * rx
    top = y0 - (math.floor((y0 - bounds[3]) / ry) - pad) * ry
    bottom = y0 - (math.ceil((y0 - bounds[1]) / ry) + pad) * ry
    return left, bottom, right, top


def _paint(group: list[Any], elevation: np.ndarray, transform: Affine, metric: CRS) -> None:
    """Mosaic datasets sharing a CRS and resample them (bilinear) into the empty cells."""
    src_crs = group[0].crs
    h, w = elevation.shape
    wanted = transform_bounds(metric, src_crs, *array_bounds(h, w, transform), densify_pts=21)
    snapped = _snap_to_source(wanted, group[0])
    have = shapely.union_all([box(*ds.bounds) for ds in group]).bounds
    west, south = max(snapped[0], have[0]), max(snapped[1], have[1])
    east, north = min(snapped[2], have[2]), min(snapped[3], have[3])
    if west >= east or south >= north:
        return
    mosaic, mosaic_transform = merge(group, bounds=(west, south, east, north), nodata=np.nan,
                                     dtype="float32", indexes=[1])
    painted = np.full_like(elevation, np.nan)
    reproject(
        mosaic[0], painted, src_transform=mosaic_transform, src_crs=src_crs, src_nodata=np.nan,
        dst_transform=transform, dst_crs=metric, dst_nodata=np.nan,
        resampling=Resampling.bilinear,
    )
    empty = np.isnan(elevation)
    elevation[empty] = painted[empty]


def read_dem(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    area: Any = None,
    resolution_m: int = SETTINGS.terrain.default_resolution_m,
    margin_m: float = SETTINGS.study_area.margin_m,
) -> Dem:
    """Read terrain files onto the metric grid (EPSG:9208, ``resolution_m`` = 30 or 90 m).

    ``paths``: GeoTIFF (.tif/.tiff, any CRS), SRTM .hgt (1 or 3 arc-second) or .hgt.zip.
    ``area``: a shapely geometry in EPSG:4326, a (minlon, minlat, maxlon, maxlat) box or a
    GeoDataFrame; the grid covers it plus ``margin_m`` metres (default: the tiles' extent).
    Raises :class:`DataError` naming the file when a file is missing, unreadable, has no
    CRS, holds only nodata, or when the area does not overlap the tiles.
    """
    res = check_resolution(resolution_m)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = [Path(p) for p in paths]
    if not files:
        raise DataError("no terrain files given", fix=SOURCE_FIX)
    metric = CRS.from_user_input(SETTINGS.crs.metric)
    with ExitStack() as stack:
        sources = []
        for path in files:
            for ds in open_source(path, stack):
                check_source(path, ds)
                sources.append((path, ds))
        bounds = _target_bounds(area, margin_m, sources, metric)
        transform, width, height = _grid(bounds, res)
        elevation = np.full((height, width), np.nan, dtype=np.float32)
        groups: dict[str, list[Any]] = {}
        for _, ds in sources:
            groups.setdefault(ds.crs.to_wkt(), []).append(ds)
        for group in groups.values():
            _paint(group, elevation, transform, metric)
    names = ", ".join(p.name for p in files)
    if np.isnan(elevation).all():
        raise DataError("no elevation data inside the study area", source=names,
                        fix="use tiles that cover the study area")
    return Dem(elevation, transform, res, source=names, terrain_loaded=True)


# --- command line --------------------------------------------------------------------------


def _study_area(bbox: str | None) -> Any:
    if bbox:
        try:
            values = tuple(float(v) for v in bbox.split(","))
        except ValueError:
            values = ()
        if len(values) != 4:
            raise DataError(f"--bbox {bbox!r} is not minlon,minlat,maxlon,maxlat")
        return values
    return load_study_area()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m geo.dem fetch|build``; returns the exit code (2 on bad data)."""
    summary = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m geo.dem", description=summary)
    sub = parser.add_subparsers(dest="command", required=True)
    res_kw: dict[str, Any] = {"type": int, "choices": SETTINGS.terrain.resolutions_m}
    fetch = sub.add_parser("fetch", help="download the Copernicus tiles into the cache")
    fetch.add_argument("--resolution", default=30, **res_kw)
    fetch.add_argument("--base-url", help="server holding <name>/<name>.tif")
    fetch.add_argument("--cache", type=Path, help="folder for the tiles")
    build = sub.add_parser("build", help="write the metric DEM GeoTIFF from tiles")
    build.add_argument("--out", type=Path, required=True)
    build.add_argument("--resolution", default=SETTINGS.terrain.default_resolution_m, **res_kw)
    build.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat (default: study area)")
    build.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            paths = fetch_tiles(args.resolution, base_url=args.base_url, cache_dir=args.cache)
            for path in paths:
                print(path)
            folder = paths[0].parent if paths else args.cache
            print(f"{len(paths)} tile(s) in {folder}")
        else:
            dem = read_dem(args.files, area=_study_area(args.bbox), resolution_m=args.resolution)
            dem.to_geotiff(args.out)
            h, w = dem.shape
            print(f"wrote {args.out}: {w}×{h} cells of {dem.resolution_m} m, {dem.crs}")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
