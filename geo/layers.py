"""Typed loaders for every layer: real boundaries and references, and the data layers.

Every loader returns a GeoDataFrame in WGS84 (EPSG:4326) with the canonical columns of
:mod:`geo.schema`; analysis projects to EPSG:9208 with :func:`geo.crs.to_metric`. Data layers
(points, sites, villages, fibre) come from a file the caller names or, by default, from the
bundled illustrative set in ``data/sample/`` (``source = "illustrative"``).
:func:`load_reference_layers` reads the boundaries and masts the map shows, reporting (not
raising) unreadable ones; :func:`source_paths` and :func:`file_stamps` key the app's cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
    """Outline of today's province (``SETTINGS.study_area.whole``; one polygon), WGS84."""
    return load_study_area(SETTINGS.study_area.whole)


def load_old_province_outline() -> gpd.GeoDataFrame:
    """Outline of the former province drawn on the map (``SETTINGS.study_area.
    former_outline``: old Lào Cai, the union of the 48 units formed from it), WGS84."""
    return load_study_area(SETTINGS.study_area.former_outline)


def check_area(area: str) -> str:
    """``area`` if it is a key of ``SETTINGS.study_area.areas``, else a ValueError naming
    the known ones."""
    known = SETTINGS.study_area.areas
    if area not in known:
        raise ValueError(f"unknown study area {area!r}; expected one of {', '.join(known)}")
    return area


def area_units(area: str | None = None) -> gpd.GeoDataFrame:
    """The 2025 units of ``area`` (default ``SETTINGS.study_area.default``), WGS84."""
    old = SETTINGS.study_area.areas[check_area(area or SETTINGS.study_area.default)]
    units = load_communes_2025()
    if old is not None:
        units = units[units["old_province"] == old]
    return units.reset_index(drop=True)


@dataclass(frozen=True)
class AreaSummary:
    """What a page says of a study area: its key, how many 2025 units it has, their total
    area (km², from the boundary file) and population (persons, same source)."""

    area: str
    units: int
    area_km2: float
    population: int


@lru_cache(maxsize=8)
def area_summary(area: str | None = None) -> AreaSummary:
    """:class:`AreaSummary` of ``area`` (default ``SETTINGS.study_area.default``)."""
    key = check_area(area or SETTINGS.study_area.default)
    units = area_units(key)
    return AreaSummary(key, len(units), float(units["area_km2"].sum()),
                       int(units["population"].sum()))


@lru_cache(maxsize=8)
def _area_outline(area: str) -> gpd.GeoDataFrame:
    name = SETTINGS.study_area.outline_files.get(area)
    if name is not None:
        return _read_boundary(name)
    units = area_units(area)
    return gpd.GeoDataFrame({"area": [area]}, geometry=[units.geometry.union_all()],
                            crs=units.crs)


def load_study_area(area: str | None = None) -> gpd.GeoDataFrame:
    """Outline of ``area`` (default ``SETTINGS.study_area.default``: one polygon), WGS84."""
    return _area_outline(check_area(area or SETTINGS.study_area.default)).copy()


def load_osm_masts() -> gpd.GeoDataFrame:
    """OpenStreetMap masts and towers (reference only; © OpenStreetMap contributors)."""
    return gpd.read_file(SETTINGS.paths.reference / "osm_masts.geojson")


# Reference layers the map shows besides the data layers (which :func:`load_layer` reads).
REFERENCE_LAYERS: dict[str, Callable[[], gpd.GeoDataFrame]] = {
    "communes": load_communes_2025,
    "old_province": load_old_province_outline,
    "osm_masts": load_osm_masts,
}


def source_paths(data_dir: str | Path | None = None) -> dict[str, Path]:
    """The file behind each map layer: the reference layers and the data layers (from
    ``data_dir``, default ``data/sample``)."""
    sample = Path(data_dir) if data_dir is not None else SETTINGS.paths.sample
    paths = {
        "communes": SETTINGS.paths.boundaries / "communes_2025.geojson",
        "old_province": SETTINGS.paths.boundaries
        / SETTINGS.study_area.outline_files[SETTINGS.study_area.former_outline],
        "osm_masts": SETTINGS.paths.reference / "osm_masts.geojson",
    }
    paths.update({name: sample / SAMPLE_FILES[name] for name in DATA_LAYERS})
    return paths


def file_stamps(paths: dict[str, Path]) -> tuple[tuple[str, str, float], ...]:
    """Hashable (key, path, modification time) per file; 0.0 when a file is missing."""
    stamps = []
    for key, path in sorted(paths.items()):
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        stamps.append((key, str(path), mtime))
    return tuple(stamps)


def load_reference_layers() -> tuple[dict[str, gpd.GeoDataFrame], dict[str, str]]:
    """The boundaries and the OSM masts (:data:`REFERENCE_LAYERS`), WGS84.

    Returns ``(layers, problems)``: ``problems`` maps the key of each layer that could not
    be read to the reason, so the page can say so and still show the rest.
    """
    layers: dict[str, gpd.GeoDataFrame] = {}
    problems: dict[str, str] = {}
    for key, reader in REFERENCE_LAYERS.items():
        try:
            layers[key] = reader()
        except Exception as exc:  # a broken bundled file must not take the page down
            problems[key] = str(exc)
    return layers, problems
