"""Land cover on the planner's grid: a classed raster (ESA WorldCover 10 m tiles, or any
GeoTIFF whose values are the classes of ``SETTINGS.landcover.classes``), or land-use polygons
(OpenStreetMap ``landuse`` / ``natural`` in GeoJSON or GeoPackage, mapped to those classes by
``SETTINGS.landcover.osm_tags``; smaller polygons drawn over larger ones).

:func:`check_landcover` checks a file (size, CRS, one integer band, class values, lon/lat
bounds); :func:`read_landcover` reads it onto a :class:`geo.dem.Dem`'s grid (EPSG:9208,
nearest class) as a :class:`LandCover`. Cells the file does not cover, and WorldCover's
"no data" (0), are class 0: no clutter loss there. The clutter loss itself is
:mod:`analysis.clutter`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio
import rasterio
import rasterio.features
from pyogrio.errors import DataLayerError, DataSourceError
from rasterio.enums import Resampling
from rasterio.errors import RasterioError
from rasterio.warp import reproject, transform_bounds

from geo.dem import Dem
from geo.errors import DataError
from geo.safe_files import check_size
from geo.settings import SETTINGS

__all__ = ["LandCover", "LandCoverInfo", "check_landcover", "read_landcover"]

_LC = SETTINGS.landcover
_FIX = ("use an ESA WorldCover 10 m GeoTIFF tile (classes 10…100) or a GeoTIFF with a CRS "
        "whose values are those classes.")
_SAMPLE = 1024  # the class check reads the file decimated to at most this many pixels a side
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg")
_VECTOR_FIX = ("export OpenStreetMap land use (landuse=*, natural=*) as GeoJSON or GeoPackage "
               "polygons with a 'landuse' or 'natural' column.")


def _polygons(path: Path, source: str):
    """The land-use polygons of a vector file as (GeoDataFrame, class per row), class > 0."""
    try:
        gdf = pyogrio.read_dataframe(path)
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise DataError(f"cannot read the land-use file ({exc}).", source=source,
                        fix=_VECTOR_FIX) from exc
    if gdf.crs is None:
        raise DataError("the land-cover file has no coordinate system.", source=source,
                        fix=_VECTOR_FIX, code="landcover_no_crs")
    codes = np.zeros(len(gdf), np.int64)
    for column, table in _LC.osm_tags.items():  # landuse first, then natural where unset
        if column in gdf.columns:
            mapped = gdf[column].map(table).fillna(0).to_numpy(np.int64)
            codes = np.where(codes > 0, codes, mapped)
    polygonal = gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    keep = (codes > 0) & polygonal
    if not keep.any():
        raise DataError("the file holds no land-use polygons (landuse / natural values of the "
                        "class table).", source=source, fix=_VECTOR_FIX,
                        code="landcover_no_polygons")
    return gdf[keep], codes[keep]


@dataclass(frozen=True)
class LandCoverInfo:
    """A checked land-cover file: lon/lat bounds, CRS and the classes seen (decimated)."""

    bounds_lonlat: tuple[float, float, float, float]
    crs: str
    classes: tuple[int, ...]


@dataclass
class LandCover:
    """Land-cover classes (uint8, 0 = none) on a DEM's grid, with their source."""

    classes: np.ndarray
    source: str

    def shares(self) -> dict[int, float]:
        """Share of the grid's classed cells in each class (0 excluded)."""
        values, counts = np.unique(self.classes[self.classes > 0], return_counts=True)
        total = counts.sum()
        return {int(v): float(c / total) for v, c in zip(values, counts, strict=True)} \
            if total else {}


def _mapped(values: np.ndarray, class_map: Mapping[int, int] | None) -> np.ndarray:
    if not class_map:
        return values
    lut = np.zeros(max(int(values.max(initial=0)), *class_map) + 1, np.int64)
    for key, code in class_map.items():
        lut[int(key)] = int(code)
    return lut[values]


def check_landcover(path: str | os.PathLike[str], file_name: str | None = None, *,
                    class_map: Mapping[int, int] | None = None) -> LandCoverInfo:
    """Check a land-cover GeoTIFF and return its bounds and classes.

    Refuses a file that is missing or too large, unreadable, without CRS, with more than one
    band or a non-integer band, or whose values are not land-cover classes (after
    ``class_map``, file value → class, when given).
    """
    path = Path(path)
    source = file_name or path.name
    check_size(path, source)
    if path.suffix.lower() in VECTOR_SUFFIXES:
        gdf, codes = _polygons(path, source)
        bounds = gdf.to_crs(SETTINGS.crs.display).total_bounds
        return LandCoverInfo(tuple(float(b) for b in bounds),  # type: ignore[arg-type]
                             gdf.crs.to_string(), tuple(int(v) for v in np.unique(codes)))
    try:
        with rasterio.open(path) as ds:
            if ds.crs is None:
                raise DataError("the land-cover file has no coordinate system.", source=source,
                                fix=_FIX, code="landcover_no_crs")
            if ds.count != 1 or not np.issubdtype(np.dtype(ds.dtypes[0]), np.integer):
                raise DataError(f"the land-cover file has {ds.count} band(s) of "
                                f"{ds.dtypes[0]}, not one band of classes.", source=source,
                                fix=_FIX, code="landcover_not_classes",
                                params={"bands": ds.count, "dtype": ds.dtypes[0]})
            scale = max(1, int(np.ceil(max(ds.width, ds.height) / _SAMPLE)))
            sample = ds.read(1, out_shape=(max(1, ds.height // scale),
                                           max(1, ds.width // scale)),
                             resampling=Resampling.nearest)
            nodata = ds.nodata
            bounds = transform_bounds(ds.crs, SETTINGS.crs.display, *ds.bounds,
                                      densify_pts=21)
            crs = ds.crs.to_string()
    except RasterioError as exc:
        raise DataError(f"cannot read the land-cover file ({exc}).", source=source,
                        fix=_FIX) from exc
    values = np.unique(sample.astype(np.int64))
    if nodata is not None:
        values = values[values != int(nodata)]
    values = np.unique(_mapped(values, class_map))
    values = values[values != _LC.nodata_class]
    unknown = [int(v) for v in values if int(v) not in _LC.classes]
    if unknown or not values.size:
        listed = ", ".join(str(v) for v in unknown[:10]) or "none"
        raise DataError(f"the file's values are not land-cover classes (unknown: {listed}).",
                        source=source, fix=_FIX, code="landcover_unknown_classes",
                        params={"values": listed})
    return LandCoverInfo(tuple(float(b) for b in bounds), crs,  # type: ignore[arg-type]
                         tuple(int(v) for v in values))


def read_landcover(path: str | os.PathLike[str], dem: Dem, *,
                   class_map: Mapping[int, int] | None = None) -> LandCover:
    """Read a land-cover file onto ``dem``'s grid (nearest class; 0 outside the file).

    Polygons are burnt in where they cover a cell's centre, the smaller over the larger."""
    path = Path(path)
    if path.suffix.lower() in VECTOR_SUFFIXES:
        check_size(path, path.name)
        gdf, codes = _polygons(path, path.name)
        metric = gdf.to_crs(dem.crs)
        order = np.argsort(-metric.geometry.area.to_numpy(), kind="stable")
        shapes = ((metric.geometry.iloc[i], int(codes[i])) for i in order)
        burnt = rasterio.features.rasterize(shapes, out_shape=dem.shape,
                                            transform=dem.transform, fill=0, dtype="uint8")
        return LandCover(burnt, path.name)
    check_landcover(path, class_map=class_map)
    out = np.zeros(dem.shape, np.int32)
    with rasterio.open(path) as ds:
        reproject(rasterio.band(ds, 1), out, src_nodata=ds.nodata,
                  dst_transform=dem.transform, dst_crs=dem.crs, dst_nodata=0,
                  resampling=Resampling.nearest)
    out = _mapped(out.astype(np.int64), class_map)
    known = np.isin(out, list(_LC.classes))
    classes = np.where(known, out, 0).astype(np.uint8)
    return LandCover(classes, path.name)
