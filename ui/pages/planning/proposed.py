"""The new-site form, the planning map, the effect of the proposed sites and their list
(move, delete, clear)."""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysis.pipeline import Analysis
from analysis.planning import WhatIf
from analysis.scenarios import proposed_rows
from analysis.selection import Selection
from geo.crs import read_coordinates
from geo.settings import SETTINGS
from i18n import format_float, format_int, t
from ui import cache
from ui.map import cached, registry
from ui.map.assemble import assemble_map
from ui.map.assets import use_local_assets
from ui.map.files import app_map_files
from ui.map.layers import new_sites_layer
from ui.pages.planning.state import (
    MAP_KEY,
    counts_for,
    current_run,
    on_add_typed,
    on_clear,
    on_delete,
    on_move,
    operator_choices,
    site_parameters,
)
from ui.pages.planning.texts import gains_frame, reading_text
from ui.widgets import (
    METRIC_CSS,
    show_flash,
)

MAP_HEIGHT = 640


def add_form(sel: Selection, result: Analysis, lang: str) -> None:
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
                   icon=":material/add_location_alt:", on_click=on_add_typed,
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


def parameter_inputs(sel: Selection, result: Analysis, lang: str) -> None:
    """Operator, technology, band, height and EIRP of the next site (settings' defaults;
    the band follows the technology)."""
    operators = operator_choices(result)
    planning = SETTINGS.planning
    default_op = operators.index(planning.operator) if planning.operator in operators else 0
    techs = list(SETTINGS.radio.technologies)
    op_col, tech_col, band_col, height_col, eirp_col = st.columns(5)
    op_col.selectbox(t("plan.col.operator", lang), operators, index=default_op,
                     key="plan_operator")
    tech = tech_col.selectbox(t("plan.col.technology", lang), techs,
                              index=techs.index(sel.technology), key=f"plan_tech_{sel.technology}")
    low, high = SETTINGS.radio.band_range_mhz
    band_col.number_input(t("plan.field.band_mhz", lang), min_value=float(low),
                          max_value=float(high), value=float(SETTINGS.radio.default_band_mhz[tech]),
                          step=100.0, format="%.0f", key=f"plan_band_{tech}")
    low, high = SETTINGS.radio.height_range_m
    height_col.number_input(t("plan.field.height_m", lang), min_value=float(low),
                            max_value=float(high), value=float(planning.height_m), step=5.0,
                            format="%.0f", key="plan_height")
    low, high = SETTINGS.radio.eirp_range_dbm
    eirp_col.number_input(t("plan.field.eirp_dbm", lang), min_value=float(low),
                          max_value=float(high), value=float(SETTINGS.planning.eirp_dbm), step=1.0,
                          format="%.1f", key="plan_eirp")


def map_section(key: cache.DataKey, sel: Selection, result: Analysis,
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


def effect_section(whatif: WhatIf, sel: Selection, lang: str) -> None:
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


def proposed_section(whatif: WhatIf, sel: Selection, lang: str) -> None:
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
                    on_click=on_move, args=(index, lang), width="stretch")
    delete_col.button(t("plan.edit.delete", lang), key="plan_delete", icon=":material/delete:",
                      on_click=on_delete, args=(index, lang), width="stretch")
    clear_col.button(t("plan.edit.clear", lang), key="plan_clear",
                     icon=":material/delete_sweep:", on_click=on_clear, args=(lang,),
                     width="stretch")
