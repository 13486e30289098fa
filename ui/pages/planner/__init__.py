"""The planner page: headline figures, the map, the 2G/3G scenario, downloads, the briefing,
and one of the tables or charts below the map."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit_folium import st_folium

from geo.settings import get_settings
from i18n.labels import PLANNER_SECTIONS
from i18n.translator import t
from ui import cache, prefetch
from ui.map import cached, registry
from ui.map.assemble import assemble_map
from ui.map.assets import use_local_assets
from ui.map.files import app_map_files
from ui.map.spec import LayerSpec
from ui.page_setup import illustrative_banner, page_analysis, page_data
from ui.pages.planner import briefing, dashboard, sections, tables
from ui.sidebar import Controls
from ui.terrain import landcover_notice, terrain_notice
from ui.widgets import current_language, section_switch

MAP_HEIGHT = 760
DETAILS: dict[str, object] = {"points": tables.points_section,
                              "communes": tables.communes_section,
                              "charts": tables.charts_section}
"""The sections below the map (one at a time), by key (named by
:data:`i18n.labels.PLANNER_SECTIONS`)."""


@st.fragment
def map_fragment(specs: Sequence[LayerSpec], search: LayerSpec | None,
                 visible: frozenset[str], bounds: tuple[float, ...] | None, lang: str,
                 illustrative: bool) -> None:
    """The map, in a fragment: built from cached layer specs (a few ms), and
    ``returned_objects=[]`` so that panning and zooming never rerun the script."""
    st.subheader(t(lang, "Infrastructure map"))
    st.caption(t(lang, "Switch layers on and off at the top right, the legend is at the bottom "
                       "right; click a point for its details; the search box is at the top left. "
                       "Hover over a commune for its figures."))
    m = assemble_map(specs, lang, visible=visible, search=search, bounds=bounds,
                     illustrative=illustrative, files=app_map_files())
    st_folium(use_local_assets(m), key="map", returned_objects=[], use_container_width=True,
              height=MAP_HEIGHT)


def map_specs(key: cache.DataKey, controls: Controls, lang: str) -> list[LayerSpec]:
    """Every layer of the map for the current filters (each cached on its own)."""
    return registry.page_layers(key, controls.selection, lang, registry.PLANNER,
                                site_technologies=controls.site_technologies,
                                scenario=controls.scenario)


def _after_terrain_download() -> None:
    cache.clear()
    st.rerun()


def render() -> None:
    """The planner: dashboard, map, scenario, downloads, tables, charts."""
    lang = current_language()
    sections.page_header(lang)
    data = page_data(lang)
    key, layers, inputs, controls = data.key, data.layers, data.inputs, data.controls
    sections.layer_summary({**layers, **data.data_layers}, inputs.sources, lang)
    illustrative_banner(inputs.sources, lang)
    terrain_notice(lang, terrain_loaded=inputs.dem.terrain_loaded,
                   resolution_m=key.resolution_m, on_downloaded=_after_terrain_download,
                   error=data.terrain_error, area=inputs.area)
    landcover_notice(lang, landcover="" if inputs.landcover is None else inputs.landcover.source)
    result = page_analysis(data, lang)
    operators_label = controls.operators_label(lang)
    sections.analysis_warnings(result.warnings, lang)
    dashboard.headline_section(result, lang, operators_label=operators_label)

    bounds = tuple(inputs.study_area.total_bounds)
    map_fragment(map_specs(key, controls, lang), cached.search_spec(key, lang),
                 controls.visible, bounds, lang, bool(inputs.illustrative))

    if controls.scenario:
        lost_points, lost_villages = cache.lost_places(key, controls.selection)
        dashboard.scenario_section(result, lost_points, lost_villages, lang,
                                   operators_label=operators_label)
    dashboard.downloads_section(result, lang)
    briefing.briefing_section(result, lang)
    # None until the planner picks one: the browser then draws only the table or charts looked
    # at. An interactive table costs the page about 0.4 s of drawing, which would delay the
    # map above it (bench/app.py).
    shown = section_switch(t(lang, "Details"), list(DETAILS), key="details_section",
                           lang=lang, labels=PLANNER_SECTIONS, choose_first=False, show_label=True)
    if shown is None:
        st.caption(t(lang, "Choose above to see the support-point table, the commune table or the "
                           "charts. Every table can be sorted and filtered."))
    else:
        DETAILS[shown](result, lang)
    sections.about_data(lang, inputs=inputs, resolution_m=key.resolution_m,
                        selection=controls.selection)
    # While the planner reads, compute the other technologies: switching is then a cache hit.
    if get_settings().app.prefetch_technologies:
        prefetch.warm_other_technologies(key, controls.selection, lang,
                                         technologies=sorted(set(inputs.sites["technology"])))
