"""Everything an analysis run needs: the data layers, boundaries, terrain and coverage.

:func:`load_inputs` reads the five data layers from a folder (default: the bundled
illustrative set), the real 2025 communes and the study area, the terrain (a DEM file, or
flat ground over the study area with the "terrain not loaded" warning), the land cover (a
classed raster read onto the terrain's grid, or none: no clutter loss) and the field
measurements when some were imported (none are bundled).
:func:`coverage_for` computes (or reads from the disk cache) the signal grids of every
operator × technology on that terrain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.calibration import read_measurements
from analysis.coverage import CoverageResult, cached_coverage
from geo.crs import to_metric, transform
from geo.dem import Dem, flat_dem, read_dem
from geo.landcover import LandCover, read_landcover
from geo.layers import SAMPLE_FILES, area_units, check_area, load_layer, load_study_area
from geo.settings import SETTINGS, get_settings

T = TypeVar("T")


@dataclass
class Inputs:
    """Data layers (WGS84), boundaries, terrain (EPSG:9208) and where each layer came from."""

    points: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    villages: gpd.GeoDataFrame
    fibre_routes: gpd.GeoDataFrame
    fibre_nodes: gpd.GeoDataFrame
    communes: gpd.GeoDataFrame  # 2025 units inside the study area
    study_area: gpd.GeoDataFrame
    dem: Dem
    sources: dict[str, str] = field(default_factory=dict)
    area: str = SETTINGS.study_area.default  # key of SETTINGS.study_area.areas
    landcover: LandCover | None = None  # None: no clutter loss
    # Field measurements on the terrain grid (canonical columns of analysis.calibration,
    # WGS84 points); None: none imported.
    measurements: gpd.GeoDataFrame | None = None
    # Results that depend only on these inputs (prepared sites per threshold, commune
    # rasters, site clusters), kept so that changing a filter does not redo them.
    memo: dict[tuple, object] = field(default_factory=dict, repr=False, compare=False)

    def memoised(self, key: tuple, make: Callable[[], T]) -> T:
        """``make()`` once per ``key`` for these inputs."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    @property
    def own_sites(self) -> gpd.GeoDataFrame:
        """The records standing inside the study area (:func:`sites_within`): what the area's
        own figures count. The others on its grid serve only the coverage near its edges."""
        return self.memoised(("own_sites",), lambda: self.sites[
            sites_within(self.sites, self.study_area)].reset_index(drop=True))

    @property
    def illustrative(self) -> list[str]:
        """Names of the layers whose records are illustrative stand-ins."""
        return [name for name, source in self.sources.items() if source == "illustrative"]


def study_dem(resolution_m: int, paths: Sequence[Path] = (), area: str | None = None) -> Dem:
    """Terrain over the study ``area`` (default ``SETTINGS.study_area.default``) plus margin
    on the analysis grid (EPSG:9208, ``resolution_m`` metres): the DEM file(s) ``paths`` (an
    imported terrain, downloaded tiles) resampled onto it, else flat ground (with the
    "terrain not loaded" warning)."""
    area = load_study_area(area)
    if paths:
        return read_dem(list(paths), area=area, resolution_m=resolution_m)
    minx, miny, maxx, maxy = to_metric(area).total_bounds
    m = SETTINGS.study_area.margin_m
    return flat_dem((minx - m, miny - m, maxx + m, maxy + m), resolution_m)


def load_inputs(data_dir: Path | None = None, *, dem_path: Path | None = None,
                resolution_m: int = SETTINGS.terrain.default_resolution_m,
                paths: Mapping[str, Path] | None = None,
                landcover_path: Path | None = None, area: str | None = None,
                measurements_path: Path | None = None) -> Inputs:
    """Load every layer, the communes of the study ``area`` (default
    ``SETTINGS.study_area.default``; a key of ``SETTINGS.study_area.areas``) and its terrain.

    ``data_dir`` holds the layer files under their bundled names (``points.geojson``,
    ``sites.csv``, ...); ``paths`` names individual files instead. With neither, the newest
    active version of each layer imported into the workspace (``LAOCAI_WORKSPACE``) is used,
    with its terrain, land cover and measurements. Missing ones fall back to the bundled
    illustrative layers; without land cover there is no clutter loss. ``measurements_path``
    is read with :func:`analysis.calibration.read_measurements`, keeping the measurements
    on the terrain grid.
    """
    if data_dir is None and paths is None:
        paths, workspace_dem = _workspace_paths()
        dem_path = dem_path or workspace_dem
        landcover_path = landcover_path or paths.pop("landcover", None)
        measurements_path = measurements_path or paths.pop("measurements", None)
    layers: dict[str, gpd.GeoDataFrame] = {}
    sources: dict[str, str] = {}
    for name, filename in SAMPLE_FILES.items():
        path = (paths or {}).get(name)
        if path is None and data_dir is not None and (Path(data_dir) / filename).exists():
            path = Path(data_dir) / filename
        layer = load_layer(name, path)
        layers[name] = layer
        kinds = set(layer["source"])
        sources[name] = kinds.pop() if len(kinds) == 1 else "mixed"
    area = check_area(area or SETTINGS.study_area.default)
    communes = area_units(area)
    dem = study_dem(resolution_m, [dem_path] if dem_path is not None else [], area)
    landcover = read_landcover(landcover_path, dem) if landcover_path is not None else None
    measurements = (on_grid(read_measurements(measurements_path), dem)
                    if measurements_path is not None else None)
    return Inputs(**_in_area(layers, communes, dem), communes=communes,
                  study_area=load_study_area(area), dem=dem, sources=sources,
                  landcover=landcover, area=area, measurements=measurements)


def sites_within(sites: gpd.GeoDataFrame, outline: gpd.GeoDataFrame) -> np.ndarray:
    """Which ``sites`` (``lon``/``lat`` columns, WGS84) stand inside ``outline`` (a study
    area's polygon(s), WGS84): boolean per row."""
    area = outline.to_crs(SETTINGS.crs.display).geometry.union_all()
    shapely.prepare(area)
    return shapely.contains_xy(area, sites["lon"].to_numpy(float), sites["lat"].to_numpy(float))


def _in_area(layers: dict[str, gpd.GeoDataFrame], communes: gpd.GeoDataFrame,
             dem: Dem) -> dict[str, gpd.GeoDataFrame]:
    """The layers as the study area sees them: the support points and villages of its
    units (by 2025 commune code), the sites on its terrain grid (the area plus
    ``SETTINGS.study_area.margin_m``: those beyond it cannot be computed), the fibre whole."""
    out = dict(layers)
    codes = set(communes["code"])
    for name in ("points", "villages"):
        layer = layers[name]
        out[name] = layer[layer["commune_code_2025"].isin(codes)].reset_index(drop=True)
    out["sites"] = on_grid(layers["sites"], dem)
    return out


def on_grid(layer: gpd.GeoDataFrame, dem: Dem) -> gpd.GeoDataFrame:
    """The rows of ``layer`` (WGS84 points, or ``lon``/``lat`` columns) standing on
    ``dem``'s grid (EPSG:9208), index reset: what lies beyond it cannot be computed."""
    lon, lat = ((layer["lon"], layer["lat"]) if {"lon", "lat"} <= set(layer.columns)
                else (layer.geometry.x, layer.geometry.y))
    x, y = transform(np.asarray(lon, float), np.asarray(lat, float), SETTINGS.crs.display,
                     dem.crs)
    left, bottom, right, top = dem.bounds
    inside = (x >= left) & (x < right) & (y > bottom) & (y <= top)
    return layer[inside].reset_index(drop=True)


def _workspace_paths() -> tuple[dict[str, Path], Path | None]:
    """Files of the newest imported layers and terrain, if a workspace exists."""
    if not get_settings().paths.workspace.exists():
        return {}, None
    from geo.workspace import Workspace

    paths = dict(Workspace().current_paths())
    return paths, paths.pop("dem", None)


def sites_table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """The sites layer as the plain table the coverage engine takes (row order kept)."""
    return pd.DataFrame(sites.drop(columns="geometry"))


def coverage_for(inputs: Inputs, *, thresholds: Mapping[str, float] | None = None,
                 cache_dir: Path | None = None) -> CoverageResult:
    """Signal grids of every operator × technology of ``inputs`` (disk-cached)."""
    lc = inputs.landcover
    return cached_coverage(sites_table(inputs.sites), inputs.dem, cache_dir=cache_dir,
                           by_operator=True, thresholds=dict(thresholds or {}),
                           landcover=None if lc is None else lc.classes,
                           landcover_source="" if lc is None else lc.source)
