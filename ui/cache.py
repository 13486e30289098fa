"""The data and analyses the pages compute, cached with ``st.cache_resource`` on hashable
keys (the map layers built on them are cached in :mod:`ui.map.cached`).

No function here takes a GeoDataFrame: the key of the data is a :class:`DataKey` (folder,
file paths and modification times, grid resolution, terrain tiles, cache folder) and the
key of a selection is an :class:`analysis.selection.Selection` (frozen, hashable). A changed
file, a downloaded terrain or another ``LAOCAI_CACHE`` gives a new key, so nothing stale is
served. ``cache_resource`` returns the same object to every session (no copy): callers must
not modify what they get.

Costs on the bundled data at 90 m (2 cores): inputs 0.3 s; coverage 0.4 s from the disk
cache (a new threshold: one computation, a few seconds flat, longer with terrain); an
analysis 0.8 s per new selection.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import streamlit as st

from analysis.calibration import Calibration, compare
from analysis.coverage import CoverageResult
from analysis.disagreement import hexagons as make_hexagons
from analysis.gaps import lose_all_service
from analysis.inputs import Inputs, coverage_for, load_inputs, sites_table, study_dem
from analysis.pipeline import Analysis, analyse
from analysis.selection import Selection
from geo.dem_fetch import cached_tiles, tile_stamps
from geo.errors import AppError, DataError
from geo.landcover import read_landcover
from geo.layers import check_area, file_stamps, load_reference_layers, source_paths
from geo.settings import SETTINGS, get_settings
from geo.workspace import Workspace


class DataKey(NamedTuple):
    """Everything the inputs depend on (hashable)."""

    sample_dir: str
    stamps: tuple[tuple[str, str, float], ...]
    resolution_m: int
    terrain: tuple[tuple[str, float], ...]  # downloaded tiles; () = none
    cache_dir: str
    imported: tuple[tuple[str, str, float], ...] = ()  # active workspace layers (and "dem")
    area: str = SETTINGS.study_area.default  # key of SETTINGS.study_area.areas


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
             imported: dict[str, Path] | None = None,
             area: str | None = None) -> DataKey:
    """The current :class:`DataKey` (stats a few files: cheap enough for every rerun) of the
    study ``area`` (default ``SETTINGS.study_area.default``).

    ``imported``: active workspace layers (layer → file, see :func:`workspace_paths`). The
    data folder is ``sample_dir``, else ``LAOCAI_DATA_DIR`` (files under their bundled names;
    missing ones fall back to the bundled illustrative layers), else ``data/sample``.
    """
    settings = get_settings()
    folder = str(sample_dir or settings.paths.layers_dir or SETTINGS.paths.sample)
    cache_dir = str(settings.paths.cache)
    area = check_area(area or SETTINGS.study_area.default)
    tiles = cached_tiles(resolution_m, cache_dir, area)
    stamps = tuple((layer, str(path), _mtime(path))
                   for layer, path in sorted((imported or {}).items()))
    return DataKey(folder, file_stamps(source_paths(folder)), int(resolution_m),
                   tile_stamps(tiles), cache_dir, stamps, area)


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
    landcover = imported.pop("landcover", None)
    measurements = imported.pop("measurements", None)
    if dem_path is not None:  # an imported terrain comes first
        return load_inputs(Path(key.sample_dir), resolution_m=key.resolution_m,
                           paths=imported, dem_path=dem_path, landcover_path=landcover,
                           area=key.area, measurements_path=measurements), ""
    data = load_inputs(Path(key.sample_dir), resolution_m=key.resolution_m, paths=imported,
                       landcover_path=landcover, area=key.area,
                       measurements_path=measurements)
    if not key.terrain:
        return data, ""
    try:
        dem = study_dem(key.resolution_m, [Path(p) for p, _ in key.terrain], key.area)
    except (DataError, OSError) as exc:
        return data, str(exc)
    lc = read_landcover(landcover, dem) if landcover is not None else None  # on that grid
    return dataclasses.replace(data, dem=dem, landcover=lc), ""


@st.cache_resource(show_spinner=False, max_entries=3)
def coverage(key: DataKey, thresholds: tuple[tuple[str, float], ...] = (),
             calibration: tuple[str, str] | None = None) -> CoverageResult:
    """Signal grids of every operator × technology (disk cache under the key's cache dir),
    corrected by the workspace ``calibration`` ((name, saved at), see
    :attr:`analysis.selection.Selection.calibration`) when one is given."""
    data, _ = inputs(key)
    if calibration is not None:
        fitted = saved_calibration(*calibration)
        lc = data.landcover
        return fitted.apply(coverage(key, thresholds), sites_table(data.sites),
                            None if lc is None else lc.classes)
    return coverage_for(data, thresholds=dict(thresholds) or None,
                        cache_dir=Path(key.cache_dir) / "coverage")


def coverage_of(key: DataKey, sel: Selection) -> CoverageResult:
    """The grids a selection is judged on: at its thresholds, with its calibration."""
    return coverage(key, sel.thresholds, sel.calibration)


def calibrations() -> list[tuple[str, str]]:
    """(name, saved at) of the calibrations saved in the workspace, oldest first (none
    without a workspace or when it cannot be read). Not cached: one small query."""
    try:
        workspace = Workspace()
        return workspace.calibrations.stamps() if workspace.exists() else []
    except AppError:
        return []


@st.cache_resource(show_spinner=False, max_entries=4)
def saved_calibration(name: str, saved: str) -> Calibration:
    """The workspace calibration ``name`` as saved at ``saved``."""
    return Calibration.load_from(Workspace().calibrations, name)


@st.cache_resource(show_spinner=False, max_entries=48)
def analysis(key: DataKey, sel: Selection) -> Analysis:
    """:func:`analysis.pipeline.analyse` for one selection."""
    data, _ = inputs(key)
    return analyse(data, sel, coverage=coverage_of(key, sel),
                   measurements=compared(key, sel.thresholds, sel.calibration),
                   calibration=None if sel.calibration is None
                   else saved_calibration(*sel.calibration))


@st.cache_resource(show_spinner=False, max_entries=16)
def lost_places(key: DataKey, sel: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Support points and villages that lose all service when 2G and 3G are switched off
    (the points at the selection's ``point_service``, the villages at its ``service``)."""
    data, _ = inputs(key)
    cov = coverage_of(key, sel)
    off = ("2G", "3G")
    return (lose_all_service(cov, data.points, technologies_off=off, operators=sel.operators,
                             covered_dbm=sel.at_points().covered_thresholds()),
            lose_all_service(cov, data.villages, technologies_off=off, operators=sel.operators,
                             covered_dbm=sel.covered_thresholds()))


@st.cache_resource(show_spinner=False, max_entries=4)
def compared(key: DataKey, thresholds: tuple[tuple[str, float], ...] = (),
             calibration: tuple[str, str] | None = None) -> pd.DataFrame | None:
    """The imported field measurements against the predictions of the grids at
    ``thresholds`` with ``calibration`` (:func:`analysis.calibration.compare`, row order
    of ``Inputs.measurements``); None when none were imported."""
    data, _ = inputs(key)
    if data.measurements is None or data.measurements.empty:
        return None
    lc = data.landcover
    return compare(data.measurements, coverage(key, thresholds, calibration),
                   sites_table(data.sites), data.dem, None if lc is None else lc.classes)


@st.cache_resource(show_spinner=False, max_entries=16)
def hexagons(key: DataKey, sel: Selection) -> gpd.GeoDataFrame | None:
    """The hexagons of the measurements of the selection's operators and technology
    against its predictions, judged at its covered thresholds
    (:func:`analysis.disagreement.hexagons`, WGS84); None without measurements of them."""
    comp = compared(key, sel.thresholds, sel.calibration)
    if comp is None:
        return None
    keep = comp["technology"].to_numpy(object) == sel.technology
    if sel.operators is not None:
        keep &= comp["operator"].isin(sel.operators).to_numpy()
    if not keep.any():
        return None
    return make_hexagons(comp[keep], sel.covered_thresholds())


def clear() -> None:
    """Forget every cached result of this module and the map layers built on them
    (:func:`ui.map.cached.clear`), e.g. after the terrain was downloaded."""
    from ui.map import cached  # it reads this module: imported here, not at the top

    for function in (reference_layers, inputs, coverage, saved_calibration, analysis, lost_places,
                     compared, hexagons):
        function.clear()
    cached.clear()
