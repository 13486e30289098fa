"""The site-planning page: proposed sites by hand, the optimiser, and saved scenarios.

``render()`` draws the page (the app calls it from its navigation). It uses
the same cached inputs and analysis as the planner page for the sidebar selection
(:mod:`ui.cache`, :func:`ui.sidebar.sidebar`) and three tools of :mod:`analysis`:

- :class:`analysis.planning.WhatIf` for sites added by clicking the map or typing
  coordinates (WGS84 or VN-2000 metres, recognised with :func:`geo.crs.read_coordinates`), moved
  and deleted; each change updates only the site's disc (≈0.1 s) and the page shows the
  places newly covered, in total and per 2025 commune;
- :func:`analysis.planning.plan`, the greedy choice of K new sites with its proven bound;
- :class:`analysis.scenarios.Scenario`, named sets of proposed sites kept in the workspace
  (:attr:`geo.workspace.Workspace.scenarios`).

State lives in ``st.session_state``: the :class:`PlanState` (the WhatIf, rebuilt with the same
proposed sites when the data or the selection changes), the last optimisation run, and short
messages per section. Every change is made before the map is drawn, so the map already shows
it: buttons act in callbacks (which run before the script), a map click is read at the top
of the run from ``st.session_state[MAP_KEY]`` (where streamlit-folium copies it), and the
optimiser, which draws its progress bar, reruns the page when done.

The map's base layers come from the layer registry (:func:`ui.map.registry.page_layers`,
data escaped there); the proposed and chosen sites are one ``feature_group_to_add``
(:func:`ui.map.layers.new_sites_layer`), so adding a site does not rebuild the map or lose
its view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysis.pipeline import Analysis
from analysis.planning import Plan, WhatIf, plan
from analysis.scenarios import Scenario, proposed_rows, site_fields
from geo.crs import Reading, read_coordinates
from geo.errors import AppError, DataError, Notice
from geo.export import export_bytes
from geo.settings import SETTINGS
from geo.workspace import Workspace
from i18n import TRANSLATIONS, format_dbm, format_float, format_int, t
from ui import cache
from ui.map import cached, registry
from ui.map.assemble import assemble_map
from ui.map.assets import use_local_assets
from ui.map.files import app_map_files
from ui.map.layers import new_sites_layer
from ui.page_setup import illustrative_banner, operator_rank, page_analysis, page_data
from ui.sidebar import Controls
from ui.widgets import (
    METRIC_CSS,
    current_language,
    flash,
    md_escape,
    section_switch,
    show_flash,
    translated_choice,
)

MAP_HEIGHT = 640
STATE_KEY = "plan_state"
RUN_KEY = "plan_run"
CLICK_KEY = "plan_last_click"
COUNTER_KEY = "plan_counter"
MAP_KEY = "plan_map"
SPACING_OPTIONS_M: tuple[int, ...] = (500, 1000, 2000, 3000, 5000)
NEAR_OPTIONS: tuple[str, ...] = ("anywhere", "fibre", "sites")
K_MAX = 50
FILE_STEM = "tram-de-xuat"
SECTIONS: tuple[str, ...] = ("proposed", "optimise", "scenarios")

_PLANNING = SETTINGS.planning
_RADIO = SETTINGS.radio


# --- pure helpers (tested directly) -------------------------------------------------------------

def reading_text(reading: Reading | None, lang: str) -> str:
    """"Coordinates read as VN-2000 ... → 103.70063, 22.40850" (or "not recognised")."""
    if reading is None:
        return t("plan.coords.unknown", lang)
    text = f"{t(f'import.crs.{reading.kind}', lang).rstrip('.')} → {reading.lon:.5f}, " \
           f"{reading.lat:.5f}."
    if reading.ambiguous:
        text += " " + t("import.crs.ambiguous", lang)
    return text


def refusal_text(exc: DataError, lang: str) -> str:
    """Why a proposed site was refused, in ``lang`` (by the error's code; the English
    problem when it has none)."""
    params = dict(exc.params)
    key = f"plan.refused.{exc.code}"
    if not exc.code or key not in TRANSLATIONS:
        return t("plan.refused.other", lang, detail=md_escape(exc.problem))
    if exc.code == "out_of_range":
        params.update(field=t(f"plan.field.{params['column']}", lang),
                      found=md_escape(params["found"]))
    return t(key, lang, **params)


def plan_message(message: Notice, lang: str) -> str:
    """A message of :class:`analysis.planning.PlanResult` in ``lang`` (by its code; the
    English text when it has no translation)."""
    key = f"plan.msg.{message.code}"
    if key not in TRANSLATIONS:
        return message.message
    return t(key, lang, **{k: format_int(int(v), lang) for k, v in message.params})


def counts_for(site: dict, sel: cache.Sel) -> bool:
    """Whether a proposed site counts for the selection (its technology and operators)."""
    return (str(site.get("technology")) == sel.technology
            and (sel.operators is None or str(site.get("operator")) in sel.operators))


def gains_frame(gains: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-commune gains with translated headers, most people first."""
    gains = gains.sort_values(["points", "villages", "people"], ascending=False)
    return pd.DataFrame({
        t("col.code", lang): gains["commune_code_2025"].to_numpy(),
        t("col.commune_2025", lang): gains["commune_2025"].to_numpy(),
        t("plan.col.points_added", lang): gains["points"].to_numpy(),
        t("plan.col.villages_added", lang): gains["villages"].to_numpy(),
        t("plan.col.people_added", lang): gains["people"].to_numpy(),
    })


def chosen_frame(sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The optimiser's chosen sites (:meth:`Plan.sites_frame`) with translated headers."""
    return pd.DataFrame({
        t("plan.col.rank", lang): sites["rank"].to_numpy(),
        t("plan.col.site", lang): sites["site_id"].to_numpy(),
        t("plan.col.operator", lang): sites["operator"].to_numpy(),
        t("plan.col.lon", lang): sites["lon"].to_numpy(),
        t("plan.col.lat", lang): sites["lat"].to_numpy(),
        t("plan.col.gain", lang): sites["gain"].to_numpy(),
        t("plan.col.total", lang): sites["total"].to_numpy(),
        t("plan.col.points_added", lang): sites["points_added"].to_numpy(),
        t("plan.col.villages_added", lang): sites["villages_added"].to_numpy(),
        t("plan.col.people_added", lang): sites["people_added"].to_numpy(),
    })




# --- session state ----------------------------------------------------------------------------

@dataclass
class PlanState:
    """The WhatIf of one data key and selection (proposed sites in ``whatif.proposed``)."""

    key: cache.DataKey
    sel: cache.Sel
    whatif: WhatIf


def plan_state(key: cache.DataKey, sel: cache.Sel, result: Analysis, lang: str) -> PlanState:
    """The session's :class:`PlanState`, rebuilt (with the same proposed sites) when the data
    or the selection changed."""
    state = st.session_state.get(STATE_KEY)
    if isinstance(state, PlanState) and state.key == key and state.sel == sel:
        return state
    sites = list(state.whatif.proposed.values()) if isinstance(state, PlanState) else []
    with st.spinner(t("plan.spinner.whatif", lang)):
        whatif = WhatIf(result)
    for site in sites:
        try:
            whatif.add(dict(site))
        except DataError as exc:
            flash("add", "warning", t("plan.dropped", lang,
                                       site=md_escape(site.get("site_id", "?")),
                                       reason=refusal_text(exc, lang)))
    state = PlanState(key, sel, whatif)
    st.session_state[STATE_KEY] = state
    return state


def _whatif() -> WhatIf:
    return st.session_state[STATE_KEY].whatif


def site_parameters(sel: cache.Sel) -> dict[str, Any]:
    """Operator, technology, band, height and EIRP of a new site, from the inputs (their
    defaults before the first run)."""
    tech = st.session_state.get(f"plan_tech_{sel.technology}", sel.technology)
    return {
        "operator": st.session_state.get("plan_operator", _PLANNING.operator),
        "technology": tech,
        "band_mhz": float(st.session_state.get(f"plan_band_{tech}",
                                               _RADIO.default_band_mhz[tech])),
        "height_m": float(st.session_state.get("plan_height", _PLANNING.height_m)),
        "eirp_dbm": float(st.session_state.get("plan_eirp", _PLANNING.eirp_dbm)),
    }


def add_site(lon: float, lat: float, sel: cache.Sel, lang: str) -> bool:
    """Add a proposed site at (lon, lat) with the current parameters; says what happened."""
    number = int(st.session_state.get(COUNTER_KEY, 0)) + 1
    site_id = f"DX-{number:03d}"
    site = {**site_parameters(sel), "lon": float(lon), "lat": float(lat), "site_id": site_id}
    try:
        _whatif().add(site)
    except DataError as exc:
        flash("add", "error", t("plan.refused", lang, lon=f"{lon:.5f}", lat=f"{lat:.5f}",
                                 reason=refusal_text(exc, lang)))
        return False
    st.session_state[COUNTER_KEY] = number
    flash("add", "success", t("plan.added", lang, site=md_escape(site_id), lon=f"{lon:.5f}",
                               lat=f"{lat:.5f}"))
    if not counts_for(site, sel):
        flash("add", "warning", t("plan.not_counted", lang, site=md_escape(site_id)))
    return True


# --- callbacks (run before the script, so the map already shows the change) -----------------

def _on_add_typed(sel: cache.Sel, lang: str) -> None:
    first, second = st.session_state.get("plan_first"), st.session_state.get("plan_second")
    if first is None or second is None:
        flash("add", "error", t("plan.coords.missing", lang))
        return
    reading = read_coordinates(float(first), float(second))
    if reading is None:
        flash("add", "error", t("plan.coords.unknown", lang))
        return
    add_site(reading.lon, reading.lat, sel, lang)


def _on_move(index: int, lang: str) -> None:
    first = st.session_state.get(f"plan_move_first_{index}")
    second = st.session_state.get(f"plan_move_second_{index}")
    whatif = _whatif()
    if index not in whatif.proposed or first is None or second is None:
        flash("edit", "error", t("plan.coords.missing", lang))
        return
    reading = read_coordinates(float(first), float(second))
    if reading is None:
        flash("edit", "error", t("plan.coords.unknown", lang))
        return
    site_id = md_escape(whatif.proposed[index].get("site_id", "?"))
    try:
        whatif.move(index, reading.lon, reading.lat)
    except DataError as exc:
        flash("edit", "error", t("plan.refused", lang, lon=f"{reading.lon:.5f}",
                                  lat=f"{reading.lat:.5f}", reason=refusal_text(exc, lang)))
        return
    flash("edit", "success", t("plan.moved", lang, site=site_id, lon=f"{reading.lon:.5f}",
                                lat=f"{reading.lat:.5f}"))


def _on_delete(index: int, lang: str) -> None:
    whatif = _whatif()
    if index in whatif.proposed:
        site_id = md_escape(whatif.proposed[index].get("site_id", "?"))
        whatif.remove(index)
        flash("edit", "success", t("plan.deleted", lang, site=site_id))


def _on_clear(lang: str) -> None:
    whatif = _whatif()
    for index in list(whatif.proposed):
        whatif.remove(index)
    flash("edit", "success", t("plan.cleared", lang))


def _replace_proposed(sites: pd.DataFrame, lang: str, slot: str) -> int:
    """Replace the proposed sites by ``sites`` (canonical rows); returns how many were kept."""
    whatif = _whatif()
    for index in list(whatif.proposed):
        whatif.remove(index)
    return _append_proposed(sites, lang, slot)


def _append_proposed(sites: pd.DataFrame, lang: str, slot: str) -> int:
    whatif = _whatif()
    kept = 0
    for _, row in sites.iterrows():
        try:
            whatif.add(site_fields(row))
            kept += 1
        except (DataError, KeyError, TypeError, ValueError) as exc:
            reason = (refusal_text(exc, lang) if isinstance(exc, DataError)
                      else md_escape(exc))
            flash(slot, "warning", t("plan.dropped", lang,
                                      site=md_escape(row.get("site_id", "?")),
                                      reason=reason))
    return kept


def _on_copy_plan(lang: str) -> None:
    run = st.session_state.get(RUN_KEY)
    if not run:
        return
    sites = run["plan"].sites_frame().drop(columns="geometry")
    kept = _append_proposed(sites, lang, "plan")
    flash("plan", "success", t("plan.opt.copied", lang, count=format_int(kept, lang)))


def _on_save(sel: cache.Sel, key: cache.DataKey, lang: str) -> None:
    name = str(st.session_state.get("plan_scenario_name") or "").strip()
    if not name:
        flash("scenario", "error", t("plan.scn.no_name", lang))
        return
    sites = proposed_rows(_whatif().proposed)
    if sites.empty:
        flash("scenario", "error", t("plan.scn.no_sites", lang))
        return
    settings = {"technology": sel.technology,
                "operators": list(sel.operators) if sel.operators else None,
                "threshold_dbm": float(sel.threshold), "fibre_reach_m": float(sel.fibre_reach_m),
                "resolution_m": int(key.resolution_m)}
    try:
        existed = Scenario(name, sites, settings).save_to(Workspace().scenarios)
    except AppError as exc:
        flash("scenario", "error", t("plan.scn.failed", lang, detail=md_escape(exc)))
        return
    flash("scenario", "success", t("plan.scn.replaced" if existed else "plan.scn.saved", lang,
                                    name=md_escape(name), count=format_int(len(sites), lang)))


def _on_load(lang: str) -> None:
    name = st.session_state.get("plan_scenario_pick")
    if not name:
        return
    try:
        scenario = Scenario.load_from(Workspace().scenarios, name)
    except AppError as exc:
        flash("scenario", "error", t("plan.scn.failed", lang, detail=md_escape(exc)))
        return
    kept = _replace_proposed(scenario.sites, lang, "scenario")
    st.session_state["plan_scenario_name"] = name
    flash("scenario", "success", t("plan.scn.loaded", lang, name=md_escape(name),
                                    count=format_int(kept, lang)))


def _on_delete_scenario(lang: str) -> None:
    name = st.session_state.get("plan_scenario_pick")
    if not name:
        return
    try:
        Workspace().scenarios.delete(name)
    except AppError as exc:
        flash("scenario", "error", t("plan.scn.failed", lang, detail=md_escape(exc)))
        return
    flash("scenario", "success", t("plan.scn.deleted", lang, name=md_escape(name)))


def _take_click(sel: cache.Sel, lang: str) -> None:
    """A new click on the map (streamlit-folium copies it to ``st.session_state[MAP_KEY]``
    before the rerun): fill the coordinate inputs and, when chosen, add a site there."""
    value = st.session_state.get(MAP_KEY) or {}
    click = value.get("last_clicked") if isinstance(value, dict) else None
    if not click or "lat" not in click or "lng" not in click:
        return
    point = (round(float(click["lng"]), 6), round(float(click["lat"]), 6))
    if st.session_state.get(CLICK_KEY) == point:
        return
    st.session_state[CLICK_KEY] = point
    st.session_state["plan_first"], st.session_state["plan_second"] = point
    if st.session_state.get("plan_click_adds", True):
        add_site(point[0], point[1], sel, lang)


# --- the page -----------------------------------------------------------------------------------

def _load(lang: str) -> tuple[cache.DataKey, Controls, Analysis, dict]:
    """Inputs, sidebar and analysis exactly as the planner page gets them."""
    data = page_data(lang)
    illustrative_banner(data.inputs.sources, lang)
    if not data.inputs.dem.terrain_loaded:
        st.caption(t("plan.terrain_flat", lang))
    return data.key, data.controls, page_analysis(data, lang), data.layers


def _operators(result: Analysis) -> list[str]:
    present = set(result.inputs.sites["operator"].astype(str))
    return sorted(set(_RADIO.operators) | present, key=operator_rank)


def render(lang: str | None = None) -> None:
    """The whole page: the new-site form above the map, then one of three sections: the
    proposed sites and their effect, the optimiser, the scenarios."""
    lang = lang or current_language()
    st.title(t("plan.title", lang))
    st.caption(t("plan.caption", lang))
    key, controls, result, layers = _load(lang)
    sel = controls.sel
    state = plan_state(key, sel, result, lang)
    _take_click(sel, lang)
    add_form(sel, result, lang)
    map_section(key, sel, result, layers, state.whatif, lang)

    # One section at a time (not tabs, which draw all three on every click): a map click then
    # redraws the figures and the list, not the optimiser and the scenarios as well.
    section = section_switch(t("plan.section", lang), SECTIONS, key="plan_section", lang=lang,
                             text_prefix="plan.tab.")
    if section == "optimise":
        optimise_section(key, sel, result, lang)
    elif section == "scenarios":
        scenarios_section(key, sel, state.whatif, lang)
    else:
        effect_section(state.whatif, sel, lang)
        proposed_section(state.whatif, sel, lang)


def add_form(sel: cache.Sel, result: Analysis, lang: str) -> None:
    """Coordinates (typed or from a map click), the add button and, folded, the new site's
    parameters (operator, technology, band, height, EIRP)."""
    st.subheader(t("plan.add.header", lang))
    st.caption(t("plan.add.caption", lang))
    first_col, second_col, add_col, click_col = st.columns([2, 2, 1.4, 2.2],
                                                          vertical_alignment="bottom")
    first = first_col.number_input(t("plan.coords.first", lang), value=None, format="%.6f",
                                   step=0.0001, key="plan_first",
                                   help=t("plan.coords.help", lang))
    second = second_col.number_input(t("plan.coords.second", lang), value=None, format="%.6f",
                                     step=0.0001, key="plan_second",
                                     help=t("plan.coords.help", lang))
    add_col.button(t("plan.add.button", lang), key="plan_add", type="primary",
                   icon=":material/add_location_alt:", on_click=_on_add_typed,
                   args=(sel, lang), width="stretch")
    click_col.toggle(t("plan.add.click_adds", lang), value=True, key="plan_click_adds",
                     help=t("plan.add.click_adds_help", lang))
    if first is not None and second is not None:
        reading = read_coordinates(float(first), float(second))
        if reading is None:
            st.warning(reading_text(None, lang), icon=":material/help:")
        else:
            st.caption(reading_text(reading, lang))
    with st.expander(t("plan.add.parameters", lang), icon=":material/settings_input_antenna:"):
        parameter_inputs(sel, result, lang)
    params = site_parameters(sel)
    st.caption(t("plan.add.summary", lang, operator=params["operator"],
                 technology=params["technology"], band=format_int(params["band_mhz"], lang),
                 height=format_int(params["height_m"], lang),
                 eirp=format_float(params["eirp_dbm"], lang, 1)))
    show_flash("add", toast_success=True)


def parameter_inputs(sel: cache.Sel, result: Analysis, lang: str) -> None:
    """Operator, technology, band, height and EIRP of the next site (settings' defaults;
    the band follows the technology)."""
    operators = _operators(result)
    default_op = operators.index(_PLANNING.operator) if _PLANNING.operator in operators else 0
    techs = list(_RADIO.technologies)
    op_col, tech_col, band_col, height_col, eirp_col = st.columns(5)
    op_col.selectbox(t("plan.col.operator", lang), operators, index=default_op,
                     key="plan_operator")
    tech = tech_col.selectbox(t("plan.col.technology", lang), techs,
                              index=techs.index(sel.technology), key=f"plan_tech_{sel.technology}")
    low, high = _RADIO.band_range_mhz
    band_col.number_input(t("plan.field.band_mhz", lang), min_value=float(low),
                          max_value=float(high), value=float(_RADIO.default_band_mhz[tech]),
                          step=100.0, format="%.0f", key=f"plan_band_{tech}")
    low, high = _RADIO.height_range_m
    height_col.number_input(t("plan.field.height_m", lang), min_value=float(low),
                            max_value=float(high), value=float(_PLANNING.height_m), step=5.0,
                            format="%.0f", key="plan_height")
    low, high = _RADIO.eirp_range_dbm
    eirp_col.number_input(t("plan.field.eirp_dbm", lang), min_value=float(low),
                          max_value=float(high), value=float(_PLANNING.eirp_dbm), step=1.0,
                          format="%.1f", key="plan_eirp")


def map_section(key: cache.DataKey, sel: cache.Sel, result: Analysis,
                layers: dict, whatif: WhatIf, lang: str) -> None:
    """The study area with the gaps; proposed and chosen sites as a feature group, so that
    adding one does not rebuild the map (its view is kept)."""
    data = result.inputs
    specs = registry.page_layers(key, sel, lang, registry.PLANNING,
                                 site_technologies=(sel.technology,))
    bounds = layers["old_province"].total_bounds if "old_province" in layers else None
    m = assemble_map(specs, lang, visible={"communes", "gap_areas", "points"},
                     search=cached.search_spec(key, lang), bounds=bounds,
                     illustrative=bool(data.illustrative), files=app_map_files(),
                     page=registry.PLANNING)
    group = folium.FeatureGroup(name=t("plan.legend.new_sites", lang))
    group.add_child(new_sites_layer(proposed_rows(whatif.proposed), lang, planned=False))
    run = current_run(key, sel)
    if run is not None:
        chosen = run["plan"].sites_frame().drop(columns="geometry")
        group.add_child(new_sites_layer(chosen, lang, planned=True))
    st_folium(use_local_assets(m), key=MAP_KEY, returned_objects=["last_clicked"],
              feature_group_to_add=group, use_container_width=True, height=MAP_HEIGHT)
    st.caption(t("plan.map.caption", lang))


def effect_section(whatif: WhatIf, sel: cache.Sel, lang: str) -> None:
    """Before / after: places with service, and the places newly covered per commune."""
    st.subheader(t("plan.effect.header", lang, technology=sel.technology))
    tot = whatif.totals()
    st.html(METRIC_CSS)  # let the labels wrap
    columns = st.columns(4)
    counted = sum(counts_for(s, sel) for s in whatif.proposed.values())
    columns[0].metric(t("plan.metric.sites", lang), format_int(len(whatif.proposed), lang),
                      help=t("plan.metric.sites_help", lang,
                             counted=format_int(counted, lang)), border=True)
    for column, label, (before, after, total) in (
        (columns[1], t("plan.metric.points", lang, technology=sel.technology), tot.points),
        (columns[2], t("plan.metric.villages", lang, technology=sel.technology), tot.villages),
        (columns[3], t("plan.metric.people", lang, technology=sel.technology), tot.people),
    ):
        column.metric(f"{label} ({t('plan.metric.of', lang, total=format_int(total, lang))})",
                      format_int(after, lang),
                      delta=t("plan.metric.delta", lang, added=format_int(after - before, lang),
                              before=format_int(before, lang)),
                      delta_color="normal" if after > before else "off",
                      delta_arrow="up" if after > before else "off", border=True)
    gains = whatif.gains()
    if gains.empty:
        st.caption(t("plan.effect.none", lang))
    else:
        st.markdown(t("plan.effect.by_commune", lang))
        st.dataframe(gains_frame(gains, lang), hide_index=True, key="plan_gains",
                     width="stretch")


def proposed_section(whatif: WhatIf, sel: cache.Sel, lang: str) -> None:
    """The proposed sites, with move (new coordinates) and delete."""
    st.subheader(t("plan.list.header", lang))
    show_flash("edit")
    if not whatif.proposed:
        st.caption(t("plan.list.empty", lang))
        return
    yes, no = t("value.yes", lang), t("value.no", lang)
    sites = list(whatif.proposed.values())
    st.dataframe(pd.DataFrame({
        t("plan.col.site", lang): [s.get("site_id", "") for s in sites],
        t("plan.col.operator", lang): [s["operator"] for s in sites],
        t("plan.col.technology", lang): [s["technology"] for s in sites],
        t("plan.field.band_mhz", lang): [float(s["band_mhz"]) for s in sites],
        t("plan.field.height_m", lang): [float(s["height_m"]) for s in sites],
        t("plan.field.eirp_dbm", lang): [float(s["eirp_dbm"]) for s in sites],
        t("plan.col.lon", lang): [round(float(s["lon"]), 6) for s in sites],
        t("plan.col.lat", lang): [round(float(s["lat"]), 6) for s in sites],
        t("plan.col.counted", lang): [yes if counts_for(s, sel) else no for s in sites],
    }), hide_index=True, key="plan_proposed_table", width="stretch")
    indices = list(whatif.proposed)
    pick_col, first_col, second_col = st.columns([2, 2, 2])
    index = pick_col.selectbox(t("plan.edit.pick", lang), indices, key="plan_edit_pick",
                               format_func=lambda i: str(whatif.proposed[i].get("site_id", i)))
    site = whatif.proposed[index]
    first_col.number_input(t("plan.coords.first", lang), value=float(site["lon"]),
                           format="%.6f", step=0.0001, key=f"plan_move_first_{index}")
    second_col.number_input(t("plan.coords.second", lang), value=float(site["lat"]),
                            format="%.6f", step=0.0001, key=f"plan_move_second_{index}")
    move_col, delete_col, clear_col = st.columns(3)
    move_col.button(t("plan.edit.move", lang), key="plan_move", icon=":material/open_with:",
                    on_click=_on_move, args=(index, lang), width="stretch")
    delete_col.button(t("plan.edit.delete", lang), key="plan_delete", icon=":material/delete:",
                      on_click=_on_delete, args=(index, lang), width="stretch")
    clear_col.button(t("plan.edit.clear", lang), key="plan_clear",
                     icon=":material/delete_sweep:", on_click=_on_clear, args=(lang,),
                     width="stretch")


def current_run(key: cache.DataKey, sel: cache.Sel) -> dict | None:
    """The last optimisation run, if it was made for this data and selection."""
    run = st.session_state.get(RUN_KEY)
    if run and run["key"] == key and run["sel"] == sel:
        return run
    return None


def optimise_section(key: cache.DataKey, sel: cache.Sel, result: Analysis, lang: str) -> None:
    """K new sites chosen by the greedy algorithm, with its proven bound."""
    st.subheader(t("plan.opt.header", lang))
    st.caption(t("plan.opt.caption", lang, technology=sel.technology,
                 point=format_int(_PLANNING.weight_support_point, lang),
                 village=format_int(_PLANNING.weight_village, lang),
                 people=format_int(_PLANNING.weight_per_1000_people, lang)))
    show_flash("plan")
    k_col, op_col, spacing_col, near_col = st.columns([1, 1, 2, 2])
    k = k_col.number_input(t("plan.opt.k", lang), min_value=1, max_value=K_MAX, value=5,
                           step=1, key="plan_k")
    operators = _operators(result)
    operator = op_col.selectbox(t("plan.col.operator", lang), operators,
                                index=operators.index(_PLANNING.operator)
                                if _PLANNING.operator in operators else 0,
                                key="plan_opt_operator")
    default_spacing = int(_PLANNING.candidate_spacing_m)
    options = sorted(set(SPACING_OPTIONS_M) | {default_spacing})
    spacing = spacing_col.select_slider(t("plan.opt.spacing", lang), options=options,
                                        value=default_spacing, key="plan_spacing",
                                        format_func=lambda v: f"{format_int(v, lang)} m",
                                        help=t("plan.opt.spacing_help", lang))
    with near_col:
        near = translated_choice(st.radio, t("plan.opt.near", lang), list(NEAR_OPTIONS),
                                 default="anywhere", key="plan_near", lang=lang,
                                 format_func=lambda v: t(f"plan.opt.near.{v}", lang,
                                                         distance=format_int(
                                                             _PLANNING.near_distance_m, lang)),
                                 horizontal=True)
    if st.button(t("plan.opt.run", lang), key="plan_run_button", type="primary",
                 icon=":material/bolt:"):
        bar = st.progress(0.0, text=t("plan.opt.progress", lang))

        def progress(fraction: float) -> None:
            bar.progress(float(min(1.0, max(0.0, fraction))), text=t("plan.opt.progress", lang))

        try:
            chosen = plan(result, int(k), operator=operator, spacing_m=float(spacing),
                          near=None if near == "anywhere" else near, progress=progress)
        except DataError as exc:
            bar.empty()
            st.error(t("plan.opt.failed", lang,
                       detail=md_escape(getattr(exc, "problem", str(exc)))),
                     icon=":material/error:")
            return
        st.session_state[RUN_KEY] = {"key": key, "sel": sel, "plan": chosen, "k": int(k),
                                     "operator": operator, "spacing": int(spacing),
                                     "near": near}
        st.rerun()  # the map above shows the chosen sites
    run = current_run(key, sel)
    if run is None:
        return
    chosen: Plan = run["plan"]
    sites = chosen.sites_frame()
    near_text = t(f"plan.opt.near.{run['near']}", lang,
                  distance=format_int(_PLANNING.near_distance_m, lang))
    st.markdown(t("plan.opt.result", lang, count=format_int(len(sites), lang),
                  k=format_int(run["k"], lang), operator=md_escape(run["operator"]),
                  spacing=format_int(run["spacing"], lang), near=near_text,
                  candidates=format_int(chosen.candidates, lang)))
    share = chosen.result.bound_share
    if share is not None:
        st.info(t("plan.opt.bound", lang, pct=format_float(100 * share, lang, 1),
                  total=format_float(chosen.result.total, lang, 1),
                  bound=format_float(chosen.result.upper_bound, lang, 1)),
                icon=":material/verified:")
    for message in chosen.result.messages:
        st.caption(plan_message(message, lang))
    if len(sites):
        st.dataframe(chosen_frame(sites, lang), hide_index=True, key="plan_chosen",
                     width="stretch")
        st.button(t("plan.opt.copy", lang), key="plan_copy", icon=":material/content_copy:",
                  on_click=_on_copy_plan, args=(lang,))


@st.cache_data(show_spinner=False, max_entries=64)
def scenario_gains(key: cache.DataKey, sel: cache.Sel, document: str) -> dict[str, int]:
    """Sites and places newly covered by a saved scenario (its JSON ``document``) for the
    selection, with a fresh :class:`WhatIf` (sites refused by it are counted apart)."""
    scenario = Scenario.from_json(document)
    whatif = WhatIf(cache.analysis(key, sel))
    refused = 0
    for _, row in scenario.sites.iterrows():
        try:
            whatif.add(site_fields(row))
        except (DataError, KeyError, TypeError, ValueError):
            refused += 1
    gains = whatif.gains()
    return {"sites": len(scenario.sites), "refused": refused,
            "points": int(gains["points"].sum()), "villages": int(gains["villages"].sum()),
            "people": int(gains["people"].sum())}


def compare_frame(rows: dict[str, dict[str, int]], lang: str) -> pd.DataFrame:
    """One row per scenario: sites and the places newly covered."""
    return pd.DataFrame({
        t("plan.scn.col.name", lang): list(rows),
        t("plan.scn.col.sites", lang): [r["sites"] for r in rows.values()],
        t("plan.col.points_added", lang): [r["points"] for r in rows.values()],
        t("plan.col.villages_added", lang): [r["villages"] for r in rows.values()],
        t("plan.col.people_added", lang): [r["people"] for r in rows.values()],
        t("plan.scn.col.refused", lang): [r["refused"] for r in rows.values()],
    })


def scenarios_section(key: cache.DataKey, sel: cache.Sel, whatif: WhatIf, lang: str) -> None:
    """Save, list, reload, delete and compare scenarios; export the current one."""
    st.subheader(t("plan.scn.header", lang))
    st.caption(t("plan.scn.caption", lang))
    show_flash("scenario")
    name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(t("plan.scn.name", lang), key="plan_scenario_name", max_chars=80,
                        placeholder=t("plan.scn.name_placeholder", lang))
    save_col.button(t("plan.scn.save", lang), key="plan_scenario_save", icon=":material/save:",
                    on_click=_on_save, args=(sel, key, lang), width="stretch",
                    disabled=not whatif.proposed)

    saved: dict[str, Scenario] = {}
    try:
        store = Workspace().scenarios
        names = store.names()
    except AppError as exc:
        st.warning(t("plan.scn.failed", lang, detail=md_escape(exc)), icon=":material/warning:")
        names = []
    for name in names:
        try:
            saved[name] = Scenario.load_from(store, name)
        except (AppError, ValueError, KeyError):
            continue
    if saved:
        st.markdown(t("plan.scn.saved_header", lang))
        st.dataframe(pd.DataFrame({
            t("plan.scn.col.name", lang): list(saved),
            t("plan.scn.col.created", lang): [s.created.replace("T", " ")[:16]
                                              for s in saved.values()],
            t("plan.scn.col.sites", lang): [len(s.sites) for s in saved.values()],
            t("plan.scn.col.settings", lang): [settings_text(s.settings, lang)
                                               for s in saved.values()],
        }), hide_index=True, key="plan_scenarios", width="stretch")
        pick_col, load_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
        pick_col.selectbox(t("plan.scn.pick", lang), list(saved), key="plan_scenario_pick")
        load_col.button(t("plan.scn.load", lang), key="plan_scenario_load",
                        icon=":material/upload:", on_click=_on_load, args=(lang,),
                        width="stretch")
        delete_col.button(t("plan.scn.delete", lang), key="plan_scenario_delete",
                          icon=":material/delete:", on_click=_on_delete_scenario,
                          args=(lang,), width="stretch")
        st.markdown(t("plan.scn.compare_header", lang, technology=sel.technology))
        chosen = st.multiselect(t("plan.scn.compare", lang), list(saved),
                                key="plan_scenario_compare",
                                placeholder=t("plan.scn.compare_placeholder", lang))
        if len(chosen) >= 2:
            with st.spinner(t("plan.scn.comparing", lang)):
                rows = {name: scenario_gains(key, sel, saved[name].to_json())
                        for name in chosen}
            st.dataframe(compare_frame(rows, lang), hide_index=True, key="plan_compare_table",
                         width="stretch")
        else:
            st.caption(t("plan.scn.compare_hint", lang))
    else:
        st.caption(t("plan.scn.none", lang))

    st.markdown(t("plan.scn.export_header", lang))
    export_buttons(whatif, str(st.session_state.get("plan_scenario_name") or ""), lang)


def settings_text(settings: dict, lang: str) -> str:
    """"4G · Viettel, MobiFone · −110 dBm" from a scenario's settings."""
    parts = [str(settings.get("technology", ""))]
    operators = settings.get("operators")
    parts.append(", ".join(map(str, operators)) if operators else t("value.all_operators", lang))
    if settings.get("threshold_dbm") is not None:
        parts.append(format_dbm(settings["threshold_dbm"], lang))
    return " · ".join(p for p in parts if p)


def export_files(sites: pd.DataFrame, name: str, fmt: str) -> bytes:
    """The proposed sites as GeoJSON (WGS84 points) or as a canonical sites CSV."""
    if fmt == "csv":
        return Scenario(name or FILE_STEM, sites).sites_csv()
    gdf = gpd.GeoDataFrame(sites, geometry=gpd.points_from_xy(sites["lon"], sites["lat"]),
                           crs=SETTINGS.crs.display)
    return export_bytes({"proposed_sites": gdf}, "geojson")


def export_buttons(whatif: WhatIf, name: str, lang: str, *, today: date | None = None) -> None:
    sites = proposed_rows(whatif.proposed)
    if sites.empty:
        st.caption(t("plan.list.empty", lang))
        return
    today = today or date.today()
    stem = f"{FILE_STEM}_{today.isoformat()}"
    geo_col, csv_col = st.columns(2)
    geo_col.download_button(t("plan.scn.export_geojson", lang),
                            data=lambda: export_files(sites, name, "geojson"),
                            file_name=f"{stem}.geojson", mime="application/geo+json",
                            key="plan_dl_geojson", on_click="ignore",
                            icon=":material/download:", width="stretch")
    csv_col.download_button(t("plan.scn.export_csv", lang),
                            data=lambda: export_files(sites, name, "csv"),
                            file_name=f"{stem}.csv", mime="text/csv", key="plan_dl_csv",
                            on_click="ignore", icon=":material/download:",
                            width="stretch")

