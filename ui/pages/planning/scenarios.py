"""The scenarios section: save, reload, delete and compare named sets of proposed sites kept
in the workspace (:attr:`geo.workspace.Workspace.scenarios`), and export the current one."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

from analysis.planning import WhatIf
from analysis.scenarios import Scenario, proposed_rows, site_fields
from analysis.selection import Selection
from geo.errors import AppError, DataError
from geo.export import export_bytes
from geo.settings import SETTINGS
from geo.workspace import Workspace
from i18n.translator import pt, t
from ui import cache
from ui.pages.planning.state import on_delete_scenario, on_load, on_save
from ui.pages.planning.texts import compare_frame, settings_text
from ui.widgets import (
    md_escape,
    show_flash,
)

FILE_STEM = "tram-de-xuat"


@st.cache_data(show_spinner=False, max_entries=64)
def scenario_gains(key: cache.DataKey, sel: Selection, document: str) -> dict[str, int]:
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


def scenarios_section(key: cache.DataKey, sel: Selection, whatif: WhatIf, lang: str) -> None:
    """Save, list, reload, delete and compare scenarios; export the current one."""
    st.subheader(pt(lang, "plan.scn", "Scenarios"))
    st.caption(t(lang, "Save the current proposed sites as a named scenario (in this computer's "
                       "workspace), reload, compare and download them."))
    show_flash("scenario")
    name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(t(lang, "Scenario name"), key="plan_scenario_name", max_chars=80,
                        placeholder=t(lang, "E.g. Plan A – 5 Viettel sites"))
    save_col.button(t(lang, "Save"), key="plan_scenario_save", icon=":material/save:",
                    on_click=on_save, args=(sel, key, lang), width="stretch",
                    disabled=not whatif.proposed)

    saved: dict[str, Scenario] = {}
    try:
        store = Workspace().scenarios
        names = store.names()
    except AppError as exc:
        st.warning(t(lang, "Could not read or write the scenario: {detail}",
                     detail=md_escape(exc)), icon=":material/warning:")
        names = []
    for name in names:
        try:
            saved[name] = Scenario.load_from(store, name)
        except (AppError, ValueError, KeyError):
            continue
    if saved:
        st.markdown(t(lang, "**Saved scenarios**"))
        st.dataframe(pd.DataFrame({
            t(lang, "Scenario"): list(saved),
            t(lang, "Saved (UTC)"): [s.created.replace("T", " ")[:16]
                                              for s in saved.values()],
            t(lang, "Sites"): [len(s.sites) for s in saved.values()],
            t(lang, "Filters when saved"): [settings_text(s.settings, lang)
                                               for s in saved.values()],
        }), hide_index=True, key="plan_scenarios", width="stretch")
        pick_col, load_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
        pick_col.selectbox(pt(lang, "plan.scn", "Scenario"), list(saved), key="plan_scenario_pick")
        load_col.button(t(lang, "Load"), key="plan_scenario_load",
                        icon=":material/upload:", on_click=on_load, args=(lang,),
                        width="stretch")
        delete_col.button(t(lang, "Delete"), key="plan_scenario_delete",
                          icon=":material/delete:", on_click=on_delete_scenario,
                          args=(lang,), width="stretch")
        st.markdown(t(lang, "**Compare scenarios** (with the current filters, {technology})",
                      technology=sel.technology))
        chosen = st.multiselect(t(lang, "Choose two or more"), list(saved),
                                key="plan_scenario_compare",
                                placeholder=t(lang, "Choose scenarios"))
        if len(chosen) >= 2:
            with st.spinner(t(lang, "Computing the scenarios…")):
                rows = {name: scenario_gains(key, sel, saved[name].to_json())
                        for name in chosen}
            st.dataframe(compare_frame(rows, lang), hide_index=True, key="plan_compare_table",
                         width="stretch")
        else:
            st.caption(t(lang, "Choose at least two scenarios to compare them."))
    else:
        st.caption(t(lang, "No scenario saved yet."))

    st.markdown(t(lang, "**Download the current proposed sites**"))
    export_buttons(whatif, str(st.session_state.get("plan_scenario_name") or ""), lang)


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
        st.caption(t(lang, "No proposed site yet."))
        return
    today = today or date.today()
    stem = f"{FILE_STEM}_{today.isoformat()}"
    geo_col, csv_col = st.columns(2)
    geo_col.download_button(t(lang, "Download GeoJSON"),
                            data=lambda: export_files(sites, name, "geojson"),
                            file_name=f"{stem}.geojson", mime="application/geo+json",
                            key="plan_dl_geojson", on_click="ignore",
                            icon=":material/download:", width="stretch")
    csv_col.download_button(t(lang, "Download CSV (sites format)"),
                            data=lambda: export_files(sites, name, "csv"),
                            file_name=f"{stem}.csv", mime="text/csv", key="plan_dl_csv",
                            on_click="ignore", icon=":material/download:",
                            width="stretch")
