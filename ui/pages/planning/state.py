"""The site-planning page's state in ``st.session_state`` and the callbacks that change it.

The :class:`PlanState` holds the session's :class:`analysis.planning.WhatIf` (rebuilt with the
same proposed sites when the data or the selection changes); the last optimisation run is under
:data:`RUN_KEY`. Buttons act in callbacks, which run before the script, and a map click is read
at the top of the run from ``st.session_state[MAP_KEY]`` (where streamlit-folium copies it), so
the map already shows every change. Messages go to :func:`ui.widgets.flash` slots ``add``,
``edit``, ``plan`` and ``scenario``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from analysis.pipeline import Analysis
from analysis.planning import WhatIf
from analysis.scenarios import Scenario, proposed_rows, site_fields
from analysis.selection import Selection
from geo.crs import Reading, read_coordinates
from geo.errors import AppError, DataError
from geo.settings import SETTINGS
from geo.workspace import Workspace
from i18n import format_int
from i18n.translator import N_, t
from ui import cache
from ui.auth import current_actor
from ui.page_setup import operator_rank
from ui.pages.planning.texts import reading_text, refusal_text
from ui.widgets import (
    flash,
    md_escape,
)

STATE_KEY = "plan_state"

RUN_KEY = "plan_run"

CLICK_KEY = "plan_last_click"

COUNTER_KEY = "plan_counter"

MAP_KEY = "plan_map"


@dataclass
class PlanState:
    """The WhatIf of one data key and selection (proposed sites in ``whatif.proposed``)."""

    key: cache.DataKey
    sel: Selection
    whatif: WhatIf


def plan_state(key: cache.DataKey, sel: Selection, result: Analysis, lang: str) -> PlanState:
    """The session's :class:`PlanState`, rebuilt (with the same proposed sites) when the data
    or the selection changed."""
    state = st.session_state.get(STATE_KEY)
    if isinstance(state, PlanState) and state.key == key and state.sel == sel:
        return state
    sites = list(state.whatif.proposed.values()) if isinstance(state, PlanState) else []
    with st.spinner(t(lang, "Preparing the coverage grids for proposed sites…")):
        whatif = WhatIf(result)
    for site in sites:
        try:
            whatif.add(dict(site))
        except DataError as exc:
            flash("add", "warning", t(lang, "Site {site} left out: {reason}",
                                       site=md_escape(site.get("site_id", "?")),
                                       reason=refusal_text(exc, lang)))
    state = PlanState(key, sel, whatif)
    st.session_state[STATE_KEY] = state
    return state


def session_whatif() -> WhatIf:
    return st.session_state[STATE_KEY].whatif


def site_parameters(sel: Selection) -> dict[str, Any]:
    """Operator, technology, band, height and EIRP of a new site, from the inputs (their
    defaults before the first run)."""
    tech = st.session_state.get(f"plan_tech_{sel.technology}", sel.technology)
    return {
        "operator": st.session_state.get("plan_operator", SETTINGS.planning.operator),
        "technology": tech,
        "band_mhz": float(st.session_state.get(f"plan_band_{tech}",
                                               SETTINGS.radio.default_band_mhz[tech])),
        "height_m": float(st.session_state.get("plan_height", SETTINGS.planning.height_m)),
        "eirp_dbm": float(st.session_state.get("plan_eirp", SETTINGS.planning.eirp_dbm)),
    }


def counts_for(site: dict, sel: Selection) -> bool:
    """Whether a proposed site counts for the selection (its technology and operators)."""
    return (str(site.get("technology")) == sel.technology
            and (sel.operators is None or str(site.get("operator")) in sel.operators))


def add_site(lon: float, lat: float, sel: Selection, lang: str) -> bool:
    """Add a proposed site at (lon, lat) with the current parameters; says what happened."""
    number = int(st.session_state.get(COUNTER_KEY, 0)) + 1
    site_id = f"DX-{number:03d}"
    site = {**site_parameters(sel), "lon": float(lon), "lat": float(lat), "site_id": site_id}
    try:
        session_whatif().add(site)
    except DataError as exc:
        flash("add", "error", t(lang, "Site at {lon}, {lat} refused: {reason}", lon=f"{lon:.5f}",
                                lat=f"{lat:.5f}",
                                 reason=refusal_text(exc, lang)))
        return False
    st.session_state[COUNTER_KEY] = number
    flash("add", "success", t(lang, "Added site {site} at {lon}, {lat}.", site=md_escape(site_id),
                              lon=f"{lon:.5f}",
                               lat=f"{lat:.5f}"))
    if not counts_for(site, sel):
        flash("add", "warning", t(lang, "Site {site} is not of the technology or operators chosen "
                                        "in the sidebar, so it does not count.",
                                  site=md_escape(site_id)))
    return True


def current_run(key: cache.DataKey, sel: Selection) -> dict | None:
    """The last optimisation run, if it was made for this data and selection."""
    run = st.session_state.get(RUN_KEY)
    if run and run["key"] == key and run["sel"] == sel:
        return run
    return None


def operator_choices(result: Analysis) -> list[str]:
    present = set(result.inputs.sites["operator"].astype(str))
    return sorted(set(SETTINGS.radio.operators) | present, key=operator_rank)


def _typed_reading(first_key: str, second_key: str, slot: str, lang: str) -> Reading | None:
    """The two coordinates typed under ``first_key`` / ``second_key`` as WGS84, or None after
    saying in ``slot`` why not (one missing, or no reading fits)."""
    first, second = st.session_state.get(first_key), st.session_state.get(second_key)
    if first is None or second is None:
        flash(slot, "error", t(lang, "Type both coordinates."))
        return None
    reading = read_coordinates(float(first), float(second))
    if reading is None:
        flash(slot, "error", reading_text(None, lang))
    return reading


def on_add_typed(sel: Selection, lang: str) -> None:
    reading = _typed_reading("plan_first", "plan_second", "add", lang)
    if reading is not None:
        add_site(reading.lon, reading.lat, sel, lang)


def on_move(index: int, lang: str) -> None:
    whatif = session_whatif()
    if index not in whatif.proposed:
        flash("edit", "error", t(lang, "Type both coordinates."))
        return
    reading = _typed_reading(f"plan_move_first_{index}", f"plan_move_second_{index}", "edit",
                             lang)
    if reading is None:
        return
    site_id = md_escape(whatif.proposed[index].get("site_id", "?"))
    try:
        whatif.move(index, reading.lon, reading.lat)
    except DataError as exc:
        flash("edit", "error", t(lang, "Site at {lon}, {lat} refused: {reason}",
                                 lon=f"{reading.lon:.5f}",
                                  lat=f"{reading.lat:.5f}", reason=refusal_text(exc, lang)))
        return
    flash("edit", "success", t(lang, "Moved site {site} to {lon}, {lat}.", site=site_id,
                               lon=f"{reading.lon:.5f}",
                                lat=f"{reading.lat:.5f}"))


def on_delete(index: int, lang: str) -> None:
    whatif = session_whatif()
    if index in whatif.proposed:
        site_id = md_escape(whatif.proposed[index].get("site_id", "?"))
        whatif.remove(index)
        flash("edit", "success", t(lang, "Deleted site {site}.", site=site_id))


def on_clear(lang: str) -> None:
    whatif = session_whatif()
    for index in list(whatif.proposed):
        whatif.remove(index)
    flash("edit", "success", t(lang, "All proposed sites deleted."))


def _replace_proposed(sites: pd.DataFrame, lang: str, slot: str) -> int:
    """Replace the proposed sites by ``sites`` (canonical rows); returns how many were kept."""
    whatif = session_whatif()
    for index in list(whatif.proposed):
        whatif.remove(index)
    return _append_proposed(sites, lang, slot)


def _append_proposed(sites: pd.DataFrame, lang: str, slot: str) -> int:
    whatif = session_whatif()
    kept = 0
    for _, row in sites.iterrows():
        try:
            whatif.add(site_fields(row))
            kept += 1
        except (DataError, KeyError, TypeError, ValueError) as exc:
            reason = (refusal_text(exc, lang) if isinstance(exc, DataError)
                      else md_escape(exc))
            flash(slot, "warning", t(lang, "Site {site} left out: {reason}",
                                      site=md_escape(row.get("site_id", "?")),
                                      reason=reason))
    return kept


def on_copy_plan(lang: str) -> None:
    run = st.session_state.get(RUN_KEY)
    if not run:
        return
    sites = run["plan"].sites_frame().drop(columns="geometry")
    kept = _append_proposed(sites, lang, "plan")
    flash("plan", "success", t(lang, "{count} positions copied into the proposed sites.",
                               count=format_int(kept, lang)))


def on_save(sel: Selection, key: cache.DataKey, lang: str) -> None:
    name = str(st.session_state.get("plan_scenario_name") or "").strip()
    if not name:
        flash("scenario", "error", t(lang, "Give the scenario a name."))
        return
    sites = proposed_rows(session_whatif().proposed)
    if sites.empty:
        flash("scenario", "error", t(lang, "There is no proposed site to save."))
        return
    settings = {"technology": sel.technology,
                "operators": list(sel.operators) if sel.operators else None,
                "threshold_dbm": float(sel.threshold), "fibre_reach_m": float(sel.fibre_reach_m),
                "resolution_m": int(key.resolution_m)}
    try:
        existed = Scenario(name, sites, settings).save_to(Workspace().scenarios,
                                                          current_actor())
    except AppError as exc:
        flash("scenario", "error", t(lang, "Could not read or write the scenario: {detail}",
                                     detail=md_escape(exc)))
        return
    flash("scenario", "success", t(lang,
                                   N_("Scenario “{name}” replaced ({count} sites).") if existed
                                   else N_("Scenario “{name}” saved ({count} sites)."),
                                    name=md_escape(name), count=format_int(len(sites), lang)))


def on_load(lang: str) -> None:
    name = st.session_state.get("plan_scenario_pick")
    if not name:
        return
    try:
        scenario = Scenario.load_from(Workspace().scenarios, name)
    except AppError as exc:
        flash("scenario", "error", t(lang, "Could not read or write the scenario: {detail}",
                                     detail=md_escape(exc)))
        return
    kept = _replace_proposed(scenario.sites, lang, "scenario")
    st.session_state["plan_scenario_name"] = name
    flash("scenario", "success", t(lang, "Scenario “{name}” loaded: {count} proposed sites.",
                                   name=md_escape(name),
                                    count=format_int(kept, lang)))


def on_delete_scenario(lang: str) -> None:
    name = st.session_state.get("plan_scenario_pick")
    if not name:
        return
    try:
        Workspace().scenarios.delete(name, current_actor())
    except AppError as exc:
        flash("scenario", "error", t(lang, "Could not read or write the scenario: {detail}",
                                     detail=md_escape(exc)))
        return
    flash("scenario", "success", t(lang, "Scenario “{name}” deleted.", name=md_escape(name)))


def take_click(sel: Selection, lang: str) -> None:
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
