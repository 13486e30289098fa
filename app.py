"""Lào Cai connectivity planner: the Streamlit page. Run with ``streamlit run app.py``.

This file only wires widgets to functions: cached data and analysis are :mod:`ui.cache`,
the sidebar :mod:`ui.controls`, the map :mod:`ui.map`, the dashboard and tables
:mod:`ui.dashboard`, the briefing button :mod:`ui.briefing`, terrain :mod:`ui.terrain`, page
pieces and texts :mod:`ui.sections` and :mod:`i18n`; the site-planning page is
:mod:`ui.planning_page`.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit_folium import st_folium

from geo.settings import get_settings
from i18n import DEFAULT_LANGUAGE, t
from ui import briefing, cache, dashboard, prefetch, sections
from ui.controls import Controls
from ui.map import cached, registry
from ui.map.assemble import assemble_map
from ui.map.assets import use_local_assets
from ui.map.files import app_map_files
from ui.map.spec import LayerSpec
from ui.page_setup import page_analysis, page_data
from ui.terrain import terrain_notice

MAP_HEIGHT = 760

st.set_page_config(
    page_title=t("app.page_title", DEFAULT_LANGUAGE),
    page_icon="📡",
    layout="wide",
)


@st.fragment
def map_fragment(specs: Sequence[LayerSpec], search: LayerSpec | None,
                 visible: frozenset[str], bounds: tuple[float, ...] | None, lang: str,
                 illustrative: bool) -> None:
    """The map, in a fragment: built from cached layer specs (a few ms), and
    ``returned_objects=[]`` so that panning and zooming never rerun the script."""
    st.subheader(t("app.map_header", lang))
    st.caption(t("map.caption", lang))
    m = assemble_map(specs, lang, visible=visible, search=search, bounds=bounds,
                     illustrative=illustrative, files=app_map_files())
    st_folium(use_local_assets(m), key="map", returned_objects=[], use_container_width=True,
              height=MAP_HEIGHT)


def map_specs(key: cache.DataKey, controls: Controls, lang: str) -> list[LayerSpec]:
    """Every layer of the map for the current filters (each cached on its own)."""
    return registry.page_layers(key, controls.sel, lang, registry.PLANNER,
                                site_technologies=controls.site_technologies,
                                scenario=controls.scenario)


def after_terrain_download() -> None:
    cache.clear()
    st.rerun()


def planner_page() -> None:
    """The planner: dashboard, map, scenario, downloads, tables, charts."""
    lang = sections.current_language()
    sections.page_header(lang)
    data = page_data(lang)
    key, layers, inputs, controls = data.key, data.layers, data.inputs, data.controls
    sections.layer_summary({**layers, **data.data_layers}, inputs.sources, lang)
    sections.illustrative_banner(inputs.sources, lang)
    terrain_notice(lang, terrain_loaded=inputs.dem.terrain_loaded,
                   resolution_m=key.resolution_m, on_downloaded=after_terrain_download,
                   error=data.terrain_error)
    result = page_analysis(data, lang)
    operators_label = controls.operators_label(lang)
    sections.analysis_warnings(result.warnings, lang)
    dashboard.headline_section(result, lang, operators_label=operators_label)

    bounds = tuple(layers["old_province"].total_bounds) if "old_province" in layers else None
    map_fragment(map_specs(key, controls, lang), cached.search_spec(key, lang),
                 controls.visible, bounds, lang, bool(inputs.illustrative))

    if controls.scenario:
        lost_points, lost_villages = cache.lost_places(key, controls.sel.thresholds,
                                                       controls.operators)
        dashboard.scenario_section(result, lost_points, lost_villages, lang,
                                   operators_label=operators_label)
    dashboard.downloads_section(result, lang)
    briefing.briefing_section(result, lang, briefing.saved_scenarios())
    # One section at a time (not tabs), and none until the planner picks one: the browser
    # then draws only the table or charts looked at. An interactive table costs the page about
    # 0.4 s of drawing, which would delay the map above it (bench/app.py).
    sections_by_key = {"points": dashboard.points_section,
                       "communes": dashboard.communes_section,
                       "charts": dashboard.charts_section}
    shown = st.radio(t("tab.label", lang), options=list(sections_by_key), index=None,
                     horizontal=True, format_func=lambda k: t(f"tab.{k}", lang),
                     key="details_section")
    if shown is None:
        st.caption(t("tab.choose", lang))
    else:
        sections_by_key[shown](result, lang)
    sections.about_data(lang, inputs=inputs, resolution_m=key.resolution_m)
    # While the planner reads, compute the other technologies: switching is then a cache hit.
    if get_settings().app.prefetch_technologies:
        prefetch.warm_other_technologies(key, controls.sel, lang,
                                         technologies=sorted(set(inputs.sites["technology"])))


def planning_page() -> None:
    """Site planning: proposed sites, optimisation, scenarios (owned by
    :mod:`ui.planning_page`)."""
    from ui.planning_page import render_planning_page

    render_planning_page(sections.current_language())


def import_page() -> None:
    """The data import page (owned by :mod:`ui.import_page`)."""
    from ui.import_page import render_import_page

    render_import_page(sections.current_language())


lang = sections.language_switch()
navigation = st.navigation([
    st.Page(planner_page, title=t("nav.planner", lang), icon=":material/map:",
            url_path="planner", default=True),
    st.Page(planning_page, title=t("nav.planning", lang), icon=":material/cell_tower:",
            url_path="planning"),
    st.Page(import_page, title=t("nav.import", lang), icon=":material/upload_file:",
            url_path="import"),
])
navigation.run()
