"""Typed loaders for every layer: real boundaries and references, and the data layers.

Every loader returns a GeoDataFrame in WGS84 (EPSG:4326) with the canonical columns of
:mod:`geo.schema`; analysis projects to EPSG:9208 with :func:`geo.crs.to_metric`. Data layers
(points, sites, villages, fibre) come from a file the caller names or, by default, from the
bundled illustrative set in ``data/sample/`` (``source = "illustrative"``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import DataError
from geo.schema import SCHEMAS, validate
from geo.settings import SETTINGS

SAMPLE_FILES: dict[str, str] = {
    "points": "points.geojson",
    "sites": "sites.csv",
    "villages": "villages.geojson",
    "fibre_routes": "fibre_routes.geojson",
    "fibre_nodes": "fibre_nodes.geojson",
}
DATA_LAYERS: tuple[str, ...] = tuple(SAMPLE_FILES)


def read_vector(path: str | Path) -> gpd.GeoDataFrame:
    """Read a GeoJSON / GeoPackage / CSV-with-lon/lat file without validating it.

    A CSV must have ``lon`` and ``lat`` columns in WGS84 degrees.
    """
    path = Path(path)
    if not path.exists():
        raise DataError("file not found.", source=path)
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        missing = [c for c in ("lon", "lat") if c not in frame.columns]
        if missing:
            raise DataError(f"missing column(s) {', '.join(missing)}.", source=path,
                            fix="a CSV layer needs 'lon' and 'lat' in WGS84 degrees.")
        lon = pd.to_numeric(frame["lon"], errors="coerce")
        lat = pd.to_numeric(frame["lat"], errors="coerce")
        bad = lon.isna() | lat.isna()
        if bad.any():
            raise DataError("lon/lat is empty or not a number.", source=path,
                            rows=[i + 1 for i in bad[bad].index], fix="correct these rows.")
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat),
                                crs=SETTINGS.crs.display)
    try:
        return gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(f"cannot read the file ({exc}).", source=path,
                        fix="save it as GeoJSON, GeoPackage or CSV with lon/lat.") from exc


def load_layer(name: str, path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load data layer ``name`` from ``path`` (default: the bundled illustrative file)."""
    if name not in SCHEMAS:
        raise ValueError(f"unknown layer {name!r}; expected one of {', '.join(SCHEMAS)}")
    path = Path(path) if path is not None else SETTINGS.paths.sample / SAMPLE_FILES[name]
    gdf = read_vector(path)
    out = validate(gdf, SCHEMAS[name], source=str(path))
    if name == "sites":
        out["lon"] = out.geometry.x.round(6)
        out["lat"] = out.geometry.y.round(6)
    return out


@lru_cache(maxsize=4)
def _read_boundary(filename: str) -> gpd.GeoDataFrame:
    return gpd.read_file(SETTINGS.paths.boundaries / filename)


def load_communes_2025() -> gpd.GeoDataFrame:
    """The 99 commune-level units of Lào Cai (2025), WGS84, with code, name, population."""
    return _read_boundary("communes_2025.geojson").copy()


def load_province_outline() -> gpd.GeoDataFrame:
    """Outline of today's Lào Cai province (one polygon), WGS84."""
    return _read_boundary("province_2025.geojson").copy()


def load_old_province_outline() -> gpd.GeoDataFrame:
    """Outline of old Lào Cai (before 2025; union of the 48 units formed from it), WGS84."""
    return _read_boundary("old_laocai.geojson").copy()


def load_study_area() -> gpd.GeoDataFrame:
    """The analysis area: old Lào Cai, where the 117 points and the 2023 figures lie."""
    return load_old_province_outline()


def load_osm_masts() -> gpd.GeoDataFrame:
    """OpenStreetMap masts and towers (reference only; © OpenStreetMap contributors)."""
    return gpd.read_file(SETTINGS.paths.reference / "osm_masts.geojson")


def load_osm_poi() -> gpd.GeoDataFrame:
    """OpenStreetMap points of interest (© OpenStreetMap contributors)."""
    return gpd.read_file(SETTINGS.paths.reference / "osm_poi.geojson")


def load_towns() -> gpd.GeoDataFrame:
    """GeoNames towns of 1,000 people or more (CC BY 4.0)."""
    frame = pd.read_csv(SETTINGS.paths.reference / "geonames_towns.csv")
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
        crs=SETTINGS.crs.display,
    )
