"""The map layers of a page, cached with ``st.cache_resource`` on hashable keys.

As in :mod:`ui.cache` (whose inputs and analyses these functions read), no function here
takes a GeoDataFrame: the data is named by a :class:`~ui.cache.DataKey`, the selection by a
:class:`~ui.Selection`. ``illustrative`` is the set of layer keys shown with "(minh họa)"
(:func:`ui.map.registry.illustrative_layers`, fixed by the data key). Each layer costs
0.02–0.2 s to build per language and selection, and a few milliseconds to paste afterwards.

The second half holds one function per row of :data:`ui.map.registry.LAYERS`: the layer of
a :class:`LayerQuery` (None when the page does not draw it for that query).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import streamlit as st

from analysis.gaps import fibre_reach_area
from analysis.pipeline import Analysis
from analysis.selection import Selection
from analysis.status import good_threshold
from geo.admin import (
    district_outlines,
    load_districts,
    load_investment_areas,
    load_origins,
    load_units,
)
from geo.settings import SETTINGS
from ui import cache
from ui.cache import DataKey
from ui.map import layers, raster
from ui.map.spec import LayerSpec

Marked = frozenset[str]
"""Keys of the layers whose name carries the illustrative suffix."""

Page = Literal["planner", "planning"]
PLANNER: Page = "planner"
PLANNING: Page = "planning"


@st.cache_resource(show_spinner=False, max_entries=2)
def study_mask(key: DataKey) -> np.ndarray:
    """Boolean grid of the study area on the coverage grid."""
    data, _ = cache.inputs(key)
    cov = cache.coverage(key)
    return raster.area_mask(data.study_area, cov.shape, cov.transform, cov.crs)


@st.cache_resource(show_spinner=False, max_entries=32)
def coverage_image(key: DataKey, thresholds: tuple[tuple[str, float], ...],
                   operators: tuple[str, ...] | None, technology: str,
                   threshold: float, calibration: tuple[str, str] | None = None
                   ) -> raster.CoverageImage | None:
    """The coverage PNG per (operators, technology, threshold, calibration)."""
    return raster.coverage_image(cache.coverage(key, thresholds, calibration), technology,
                                 operators, threshold, good_threshold(technology),
                                 mask=study_mask(key))


@st.cache_resource(show_spinner=False, max_entries=4)
def static_specs(key: DataKey, lang: str, illustrative: Marked) -> dict[str, LayerSpec]:
    """Layers that do not depend on the selection (the old province and the OSM masts only
    when their file was read)."""
    refs, _ = cache.reference_layers(key)
    data, _ = cache.inputs(key)
    specs = {}
    if "old_province" in refs:
        specs["old_province"] = layers.old_province_spec(refs["old_province"], lang)
    outlines = district_outlines(data.communes, load_origins(), load_units(2020),
                                 load_districts())
    specs["districts_2020"] = layers.districts_spec(outlines, lang)
    specs["fibre_routes"] = layers.fibre_routes_spec(
        data.fibre_routes, lang, illustrative="fibre_routes" in illustrative)
    specs["fibre_nodes"] = layers.fibre_nodes_spec(
        data.fibre_nodes, lang, illustrative="fibre_nodes" in illustrative)
    if "osm_masts" in refs:
        specs["osm_masts"] = layers.osm_masts_spec(refs["osm_masts"], lang)
    if "communes" in refs:
        specs["investment_areas"] = layers.investment_areas_spec(
            refs["communes"], load_investment_areas(), lang)
    return specs


@st.cache_resource(show_spinner=False, max_entries=4)
def search_spec(key: DataKey, lang: str) -> LayerSpec:
    """The search index: communes and support points."""
    refs, _ = cache.reference_layers(key)
    data, _ = cache.inputs(key)
    return layers.search_spec(refs.get("communes"), data.points, lang)


@st.cache_resource(show_spinner=False, max_entries=48)
def area_specs(key: DataKey, area_sel: Selection, lang: str, illustrative: Marked,
               _result: Analysis) -> dict[str, LayerSpec]:
    """Communes, choropleth and gap areas of ``_result`` (not hashed: ``area_sel`` is the
    selection without its fibre reach, which these layers do not depend on)."""
    refs, _ = cache.reference_layers(key)
    data, _ = cache.inputs(key)
    tech = area_sel.technology
    communes = refs.get("communes", data.communes)
    return {
        "communes": layers.communes_spec(communes, lang, _result.communes, technology=tech),
        "choropleth": layers.choropleth_spec(communes, _result.communes, lang, technology=tech),
        "gap_areas": layers.gap_areas_spec(_result.gap_areas, lang, technology=tech,
                                           illustrative="gap_areas" in illustrative),
    }


@st.cache_resource(show_spinner=False, max_entries=48)
def place_specs(key: DataKey, sel: Selection, lang: str,
                illustrative: Marked) -> dict[str, LayerSpec]:
    """The support points and villages with their assessment."""
    data, _ = cache.inputs(key)
    result = cache.analysis(key, sel)
    tech, thr, reach = sel.technology, sel.threshold, sel.fibre_reach_m
    return {
        "points": layers.points_spec(data.points, lang, result.points.table, technology=tech,
                                     threshold=sel.at_points().threshold, fibre_reach_m=reach,
                                     illustrative="points" in illustrative),
        "villages": layers.villages_spec(data.villages, lang, result.villages.table,
                                         technology=tech, threshold=thr, fibre_reach_m=reach,
                                         illustrative="villages" in illustrative),
    }


@st.cache_resource(show_spinner=False, max_entries=16)
def gap_points_spec(key: DataKey, sel: Selection, lang: str, illustrative: bool) -> LayerSpec:
    """The support points in a gap for the selection, with their assessment."""
    data, _ = cache.inputs(key)
    result = cache.analysis(key, sel)
    gap = result.points.mobile_gap.to_numpy()
    return layers.points_spec(data.points[gap], lang, result.points.table[gap],
                              technology=sel.technology, threshold=sel.at_points().threshold,
                              fibre_reach_m=sel.fibre_reach_m, illustrative=illustrative)


@st.cache_resource(show_spinner=False, max_entries=32)
def coverage_spec(key: DataKey, sel: Selection, lang: str, illustrative: bool) -> LayerSpec | None:
    """The coverage overlay of a selection, with its legend (None: no site of it)."""
    image = coverage_image(key, sel.thresholds, sel.operators, sel.technology, sel.threshold,
                           sel.calibration)
    if image is None:
        return None
    data, _ = cache.inputs(key)
    return layers.coverage_spec(image.url, image.bounds, lang, technology=sel.technology,
                                threshold=sel.threshold, operators=sel.operators,
                                terrain_loaded=data.dem.terrain_loaded,
                                illustrative=illustrative)


@st.cache_resource(show_spinner=False, max_entries=2)
def landcover_image(key: DataKey) -> raster.CoverageImage | None:
    """The land-cover PNG over the study area (None: no land cover loaded)."""
    data, _ = cache.inputs(key)
    if data.landcover is None:
        return None
    return raster.landcover_image(data.landcover.classes, data.dem.transform, data.dem.crs,
                                  mask=study_mask(key))


@st.cache_resource(show_spinner=False, max_entries=16)
def landcover_spec(key: DataKey, technology: str, lang: str) -> LayerSpec | None:
    """The land-cover overlay, its legend at the technology's default band."""
    image = landcover_image(key)
    if image is None:
        return None
    data, _ = cache.inputs(key)
    return layers.landcover_spec(image.url, image.bounds, lang, source=data.landcover.source,
                                 counts=image.counts,
                                 band_mhz=SETTINGS.radio.default_band_mhz[technology])


@st.cache_resource(show_spinner=False, max_entries=32)
def sites_spec(key: DataKey, operators: tuple[str, ...] | None,
               technologies: tuple[str, ...], lang: str, illustrative: bool) -> LayerSpec:
    """BTS records of the chosen operators and technologies."""
    data, _ = cache.inputs(key)
    sites = data.sites
    keep = sites["technology"].isin(technologies)
    if operators is not None:
        keep &= sites["operator"].isin(operators)
    return layers.sites_spec(sites[keep], lang, technologies=list(technologies),
                             illustrative=illustrative)


@st.cache_resource(show_spinner=False, max_entries=16)
def reach_spec(key: DataKey, reach_m: float, lang: str, illustrative: bool) -> LayerSpec:
    """Everything within ``reach_m`` of fibre."""
    data, _ = cache.inputs(key)
    area = fibre_reach_area(data.fibre_routes, data.fibre_nodes, reach_m)
    return layers.fibre_reach_spec(area, lang, reach_m=reach_m, illustrative=illustrative)


@st.cache_resource(show_spinner=False, max_entries=16)
def lost_spec(key: DataKey, sel: Selection, lang: str, illustrative: bool) -> LayerSpec:
    """Rings around the places that lose all service at the 2G/3G switch-off."""
    data, _ = cache.inputs(key)
    points, villages = cache.lost_places(key, sel)
    return layers.lost_spec([(data.points, points, "points"),
                             (data.villages, villages, "villages")],
                            lang, illustrative=illustrative)


@st.cache_resource(show_spinner=False, max_entries=16)
def measurements_spec(key: DataKey, sel: Selection, lang: str) -> LayerSpec | None:
    """The field measurements of the selection's operators and technology, coloured at its
    outdoor covered level (None: none imported or none of them), at most
    ``SETTINGS.app.measurement_points_max`` points."""
    comp = cache.compared(key, sel.thresholds, sel.calibration)
    if comp is None:
        return None
    keep = comp["technology"].to_numpy(object) == sel.technology
    if sel.operators is not None:
        keep &= comp["operator"].isin(sel.operators).to_numpy()
    rows = np.flatnonzero(keep)
    if rows.size == 0:
        return None
    total, cap = rows.size, SETTINGS.app.measurement_points_max
    if total > cap:
        rows = rows[np.linspace(0, total - 1, cap).round().astype(int)]
    data, _ = cache.inputs(key)
    return layers.measurements_spec(comp.iloc[rows], data.measurements.iloc[rows], lang,
                                    covered_dbm=sel.outdoor_threshold,
                                    good_dbm=good_threshold(sel.technology), total=total)


@st.cache_resource(show_spinner=False, max_entries=16)
def disagreement_spec(key: DataKey, sel: Selection, lang: str) -> LayerSpec | None:
    """The hexagons of measured against predicted signal for the selection (None: no
    measurements of it)."""
    hexes = cache.hexagons(key, sel)
    if hexes is None or hexes.empty:
        return None
    return layers.disagreement_spec(hexes, lang)


CACHED = (study_mask, coverage_image, static_specs, search_spec, area_specs, place_specs,
          gap_points_spec, coverage_spec, sites_spec, reach_spec, lost_spec, landcover_image,
          landcover_spec, measurements_spec, disagreement_spec)
"""Every cached function of this module (:func:`clear`)."""


def clear() -> None:
    """Forget every cached map layer (:func:`ui.cache.clear` calls this)."""
    for function in CACHED:
        function.clear()


# --- the layer of each registry row for a query -------------------------------------------

@dataclass(frozen=True)
class LayerQuery:
    """What a page asks the registry for: the data, the selection, the language and the page,
    with the sidebar's site technologies and scenario switch (planner page)."""

    key: DataKey
    sel: Selection
    lang: str
    page: Page
    site_technologies: tuple[str, ...] = ()
    scenario: bool = False
    illustrative: Marked = frozenset()

    @property
    def area_sel(self) -> Selection:
        """The selection without its fibre reach (the area layers do not depend on it)."""
        return self.sel.replace(fibre_reach_m=0.0)

    def area(self, name: str) -> LayerSpec:
        return area_specs(self.key, self.area_sel, self.lang, self.illustrative,
                          cache.analysis(self.key, self.sel))[name]

    def static(self, name: str) -> LayerSpec | None:
        return static_specs(self.key, self.lang, self.illustrative).get(name)


def choropleth(q: LayerQuery) -> LayerSpec:
    return q.area("choropleth")


def communes(q: LayerQuery) -> LayerSpec:
    return q.area("communes")


def gap_areas(q: LayerQuery) -> LayerSpec:
    return q.area("gap_areas")


def districts_2020(q: LayerQuery) -> LayerSpec | None:
    return q.static("districts_2020")


def old_province(q: LayerQuery) -> LayerSpec | None:
    return q.static("old_province")


def investment_areas(q: LayerQuery) -> LayerSpec | None:
    return q.static("investment_areas")


def fibre_routes(q: LayerQuery) -> LayerSpec | None:
    return q.static("fibre_routes")


def fibre_nodes(q: LayerQuery) -> LayerSpec | None:
    return q.static("fibre_nodes")


def osm_masts(q: LayerQuery) -> LayerSpec | None:
    return q.static("osm_masts")


def coverage(q: LayerQuery) -> LayerSpec | None:
    return coverage_spec(q.key, q.sel, q.lang, "coverage" in q.illustrative)


def landcover(q: LayerQuery) -> LayerSpec | None:
    return landcover_spec(q.key, q.sel.technology, q.lang)


def fibre_reach(q: LayerQuery) -> LayerSpec:
    return reach_spec(q.key, q.sel.fibre_reach_m, q.lang, "fibre_reach" in q.illustrative)


def villages(q: LayerQuery) -> LayerSpec:
    return place_specs(q.key, q.sel, q.lang, q.illustrative)["villages"]


def points(q: LayerQuery) -> LayerSpec:
    """Every support point; on the planning page only those in a gap."""
    if q.page == PLANNING:
        return gap_points_spec(q.key, q.sel, q.lang, "points" in q.illustrative)
    return place_specs(q.key, q.sel, q.lang, q.illustrative)["points"]


def sites(q: LayerQuery) -> LayerSpec | None:
    """The BTS records of the query's site technologies (None: no technology chosen)."""
    if not q.site_technologies:
        return None
    return sites_spec(q.key, q.sel.operators, q.site_technologies, q.lang,
                      "sites" in q.illustrative)


def lost(q: LayerQuery) -> LayerSpec | None:
    """The places losing all service, when the scenario is on."""
    if not q.scenario:
        return None
    return lost_spec(q.key, q.sel, q.lang, "lost" in q.illustrative)


def measurements(q: LayerQuery) -> LayerSpec | None:
    return measurements_spec(q.key, q.sel, q.lang)


def disagreement(q: LayerQuery) -> LayerSpec | None:
    return disagreement_spec(q.key, q.sel, q.lang)


def new_sites(q: LayerQuery) -> LayerSpec:
    """The legend of the planning page's proposed and chosen sites (drawn by the page)."""
    return layers.symbols_legend(q.lang)
