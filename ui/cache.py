"""Everything the page computes, cached with ``st.cache_resource`` on hashable keys.

No function here takes a GeoDataFrame: the key of the data is a :class:`DataKey` (folder,
file paths and modification times, grid resolution, terrain tiles, cache folder) and the
key of a selection is a :class:`Sel` tuple. A changed file, a downloaded terrain or another
``LAOCAI_CACHE`` gives a new key, so nothing stale is served. ``cache_resource`` returns the
same object to every session (no copy): callers must not modify what they get.

Costs on the bundled data at 90 m (2 cores): inputs 0.3 s; coverage 0.4 s from the disk
cache (a new threshold: one computation, a few seconds flat, longer with terrain); an
analysis 0.8 s per new selection; each map layer 0.02–0.2 s per language and selection.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from analysis.coverage import CoverageResult
from analysis.gaps import Selection, lose_all_service
from analysis.inputs import Inputs, coverage_for, load_inputs, study_dem
from analysis.pipeline import Analysis, analyse
from analysis.status import good_threshold
from geo.admin import load_districts, load_origins, load_units
from geo.dem_fetch import cached_tiles, tile_stamps
from geo.errors import AppError, DataError
from geo.layers import file_stamps, load_reference_layers, source_paths
from geo.settings import SETTINGS, get_settings
from geo.workspace import Workspace
from ui import map_layers as ML
from ui import raster

"""Environment variable naming a folder of data layers to use instead of ``data/sample``."""


class DataKey(NamedTuple):
    """Everything the inputs depend on (hashable)."""

    sample_dir: str
    stamps: tuple[tuple[str, str, float], ...]
    resolution_m: int
    terrain: tuple[tuple[str, float], ...]  # downloaded tiles; () = none
    cache_dir: str
    imported: tuple[tuple[str, str, float], ...] = ()  # active workspace layers (and "dem")


class Sel(NamedTuple):
    """A selection as a hashable tuple (see :class:`analysis.gaps.Selection`)."""

    technology: str = "4G"
    operators: tuple[str, ...] | None = None  # None: all
    threshold_dbm: float | None = None  # None: the settings' covered threshold
    fibre_reach_m: float = SETTINGS.gaps.fibre_reach_m

    @property
    def selection(self) -> Selection:
        return Selection(self.technology, self.operators, self.threshold_dbm,
                         self.fibre_reach_m)

    @property
    def threshold(self) -> float:
        return self.selection.threshold

    @property
    def thresholds(self) -> tuple[tuple[str, float], ...]:
        """The coverage thresholds this selection needs (``()`` = the settings' ones)."""
        if self.threshold_dbm is None:
            return ()
        return ((self.technology, float(self.threshold_dbm)),)


def workspace_paths() -> tuple[dict[str, Path], str]:
    """Files of the active imported layers (:meth:`geo.workspace.Workspace.current_paths`),
    and the problem reading the workspace ("" when none). No workspace: ``({}, "")``."""
    try:
        workspace = Workspace()
        if not workspace.exists():
            return {}, ""
        return workspace.current_paths(), ""
    except AppError as exc:
        return {}, str(exc)


def data_key(sample_dir: str | Path | None = None,
             resolution_m: int = SETTINGS.terrain.default_resolution_m,
             imported: dict[str, Path] | None = None) -> DataKey:
    """The current :class:`DataKey` (stats a few files: cheap enough for every rerun).

    ``imported``: active workspace layers (layer → file, see :func:`workspace_paths`). The
    data folder is ``sample_dir``, else ``LAOCAI_DATA_DIR`` (files under their bundled names;
    missing ones fall back to the bundled illustrative layers), else ``data/sample``.
    """
    settings = get_settings()
    folder = str(sample_dir or settings.paths.layers_dir or SETTINGS.paths.sample)
    cache_dir = str(settings.paths.cache)
    tiles = cached_tiles(resolution_m, cache_dir)
    stamps = tuple((layer, str(path), _mtime(path))
                   for layer, path in sorted((imported or {}).items()))
    return DataKey(folder, file_stamps(source_paths(folder)), int(resolution_m),
                   tile_stamps(tiles), cache_dir, stamps)


def _mtime(path: Path) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


@st.cache_resource(show_spinner=False, max_entries=2)
def reference_layers(key: DataKey) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, str]]:
    """The boundaries and OSM masts, with per-layer problems (the data layers come from
    :func:`inputs`)."""
    return load_reference_layers()


@st.cache_resource(show_spinner=False, max_entries=2)
def inputs(key: DataKey) -> tuple[Inputs, str]:
    """The analysis inputs, on the downloaded terrain when there is one.

    Returns ``(inputs, terrain_error)``: when cached tiles cannot be read the inputs keep
    flat ground and the error says why. Raises :class:`geo.errors.DataError` for a broken
    data layer.
    """
    imported = {layer: Path(path) for layer, path, _ in key.imported}
    dem_path = imported.pop("dem", None)
    if dem_path is not None:  # an imported terrain comes first
        return load_inputs(Path(key.sample_dir), resolution_m=key.resolution_m,
                           paths=imported, dem_path=dem_path), ""
    data = load_inputs(Path(key.sample_dir), resolution_m=key.resolution_m, paths=imported)
    if not key.terrain:
        return data, ""
    try:
        dem = study_dem(key.resolution_m, [Path(p) for p, _ in key.terrain])
    except (DataError, OSError) as exc:
        return data, str(exc)
    return dataclasses.replace(data, dem=dem), ""


@st.cache_resource(show_spinner=False, max_entries=3)
def coverage(key: DataKey, thresholds: tuple[tuple[str, float], ...] = ()) -> CoverageResult:
    """Signal grids of every operator × technology (disk cache under the key's cache dir)."""
    data, _ = inputs(key)
    return coverage_for(data, thresholds=dict(thresholds) or None,
                        cache_dir=Path(key.cache_dir) / "coverage")


@st.cache_resource(show_spinner=False, max_entries=48)
def analysis(key: DataKey, sel: Sel) -> Analysis:
    """:func:`analysis.pipeline.analyse` for one selection."""
    data, _ = inputs(key)
    return analyse(data, sel.selection, coverage=coverage(key, sel.thresholds))


@st.cache_resource(show_spinner=False, max_entries=16)
def lost_places(key: DataKey, thresholds: tuple[tuple[str, float], ...],
                operators: tuple[str, ...] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Support points and villages that lose all service when 2G and 3G are switched off."""
    data, _ = inputs(key)
    cov = coverage(key, thresholds)
    off = ("2G", "3G")
    return (lose_all_service(cov, data.points, technologies_off=off, operators=operators),
            lose_all_service(cov, data.villages, technologies_off=off, operators=operators))


@st.cache_resource(show_spinner=False, max_entries=2)
def study_mask(key: DataKey) -> np.ndarray:
    """Boolean grid of the study area on the coverage grid."""
    data, _ = inputs(key)
    cov = coverage(key)
    return raster.area_mask(data.study_area, cov.shape, cov.transform, cov.crs)


@st.cache_resource(show_spinner=False, max_entries=32)
def coverage_image(key: DataKey, thresholds: tuple[tuple[str, float], ...],
                   operators: tuple[str, ...] | None, technology: str,
                   threshold: float) -> raster.CoverageImage | None:
    """The coverage PNG per (operators, technology, threshold)."""
    return raster.coverage_image(coverage(key, thresholds), technology, operators, threshold,
                                 good_threshold(technology), mask=study_mask(key))


# --- map layers -------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=4)
def static_specs(key: DataKey, lang: str) -> dict[str, ML.LayerSpec]:
    """Layers that do not depend on the selection, and the search index."""
    layers, _ = reference_layers(key)
    data, _ = inputs(key)
    specs = {}
    if "old_province" in layers:
        specs["old_province"] = ML.old_province_spec(layers["old_province"], lang)
    outlines = ML.district_outlines(data.communes, load_origins(), load_units(2020),
                                    load_districts())
    specs["districts_2020"] = ML.districts_spec(outlines, lang)
    specs["fibre_routes"] = ML.fibre_routes_spec(data.fibre_routes, lang)
    specs["fibre_nodes"] = ML.fibre_nodes_spec(data.fibre_nodes, lang)
    if "osm_masts" in layers:
        specs["osm_masts"] = ML.osm_masts_spec(layers["osm_masts"], lang)
    specs["search"] = ML.search_spec(layers.get("communes"), data.points, lang)
    return specs


def analysis_specs(key: DataKey, sel: Sel, lang: str) -> dict[str, ML.LayerSpec]:
    """Layers drawn from one analysis: communes with their figures, the population
    choropleth and the gap areas (which do not depend on the fibre reach, so they are cached
    without it), the support points and the villages."""
    result = analysis(key, sel)
    return {**area_specs(key, sel._replace(fibre_reach_m=0.0), lang, result),
            **place_specs(key, sel, lang)}


@st.cache_resource(show_spinner=False, max_entries=48)
def area_specs(key: DataKey, area_sel: Sel, lang: str,
               _result: Analysis) -> dict[str, ML.LayerSpec]:
    """Communes, choropleth and gap areas of ``_result`` (not hashed: ``area_sel`` is the
    selection without its fibre reach, which these layers do not depend on)."""
    layers, _ = reference_layers(key)
    data, _ = inputs(key)
    tech = area_sel.technology
    communes = layers.get("communes", data.communes)
    illustrative = data.sources.get("sites") == "illustrative"
    return {
        "communes": ML.communes_spec(communes, lang, _result.communes, technology=tech),
        "choropleth": ML.choropleth_spec(communes, _result.communes, lang, technology=tech),
        "gap_areas": ML.gap_areas_spec(_result.gap_areas, lang, technology=tech,
                                       illustrative=illustrative),
    }


@st.cache_resource(show_spinner=False, max_entries=48)
def place_specs(key: DataKey, sel: Sel, lang: str) -> dict[str, ML.LayerSpec]:
    """The support points and villages with their assessment."""
    data, _ = inputs(key)
    result = analysis(key, sel)
    tech, thr, reach = sel.technology, sel.threshold, sel.fibre_reach_m
    return {
        "points": ML.points_spec(data.points, lang, result.points.table, technology=tech,
                                 threshold=thr, fibre_reach_m=reach),
        "villages": ML.villages_spec(data.villages, lang, result.villages.table,
                                     technology=tech, threshold=thr, fibre_reach_m=reach),
    }


@st.cache_resource(show_spinner=False, max_entries=32)
def coverage_spec(key: DataKey, sel: Sel, lang: str) -> ML.LayerSpec | None:
    """The coverage overlay of a selection, with its legend."""
    image = coverage_image(key, sel.thresholds, sel.operators, sel.technology, sel.threshold)
    if image is None:
        return None
    data, _ = inputs(key)
    return ML.coverage_spec(image.url, image.bounds, lang, technology=sel.technology,
                            threshold=sel.threshold, operators=sel.operators,
                            terrain_loaded=data.dem.terrain_loaded,
                            illustrative=data.sources.get("sites") == "illustrative")


@st.cache_resource(show_spinner=False, max_entries=32)
def sites_spec(key: DataKey, operators: tuple[str, ...] | None,
               technologies: tuple[str, ...], lang: str) -> ML.LayerSpec:
    """BTS records of the chosen operators and technologies."""
    data, _ = inputs(key)
    sites = data.sites
    keep = sites["technology"].isin(technologies)
    if operators is not None:
        keep &= sites["operator"].isin(operators)
    return ML.sites_spec(sites[keep], lang, technologies=list(technologies))


@st.cache_resource(show_spinner=False, max_entries=16)
def reach_spec(key: DataKey, reach_m: float, lang: str) -> ML.LayerSpec:
    """Everything within ``reach_m`` of fibre."""
    data, _ = inputs(key)
    area = ML.fibre_reach_area(data.fibre_routes, data.fibre_nodes, reach_m)
    return ML.fibre_reach_spec(area, lang, reach_m=reach_m,
                               illustrative=data.sources.get("fibre_routes") == "illustrative")


@st.cache_resource(show_spinner=False, max_entries=16)
def lost_spec(key: DataKey, thresholds: tuple[tuple[str, float], ...],
              operators: tuple[str, ...] | None, lang: str) -> ML.LayerSpec:
    """Rings around the places that lose all service at the 2G/3G switch-off."""
    data, _ = inputs(key)
    points, villages = lost_places(key, thresholds, operators)
    return ML.lost_spec([(data.points, points, "points"), (data.villages, villages, "villages")],
                        lang, illustrative=data.sources.get("sites") == "illustrative")


def clear() -> None:
    """Forget every cached result of this module (e.g. after the terrain was downloaded)."""
    for function in (reference_layers, inputs, coverage, analysis, lost_places, study_mask,
                     coverage_image, static_specs, area_specs, place_specs, coverage_spec,
                     sites_spec, reach_spec, lost_spec):
        function.clear()
