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
from i18n import format_float, format_int
from i18n.translator import pt, t
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
    st.subheader(t(lang, "Add a proposed site"))
    st.caption(t(lang, "Click the map, or type WGS84 (longitude, latitude) or VN-2000 coordinates "
                       "(metres, TM-3 {meridian} or UTM 48N; X = northing) and press “Add the "
                       "site”. The before / after figures are in the “Proposed sites” tab below "
                       "the map."))
    first_col, second_col, add_col, click_col = st.columns([2, 2, 1.4, 2.2],
                                                          vertical_alignment="bottom")
    first = first_col.number_input(t(lang, "Longitude or X (m)"), value=None, format="%.6f",
                                   step=0.0001, key="plan_first",
                                   help=t(lang, "The coordinate system is recognised "
                                                "automatically: WGS84 (degrees) or VN-2000 "
                                                "(metres), in either order."))
    second = second_col.number_input(t(lang, "Latitude or Y (m)"), value=None, format="%.6f",
                                     step=0.0001, key="plan_second",
                                     help=t(lang, "The coordinate system is recognised "
                                                  "automatically: WGS84 (degrees) or VN-2000 "
                                                  "(metres), in either order."))
    add_col.button(t(lang, "Add the site"), key="plan_add", type="primary",
                   icon=":material/add_location_alt:", on_click=on_add_typed,
                   args=(sel, lang), width="stretch")
    click_col.toggle(t(lang, "A click on the map adds a site"), value=True, key="plan_click_adds",
                     help=t(lang, "Switch off to have a click only fill in the coordinates below."))
    if first is not None and second is not None:
        reading = read_coordinates(float(first), float(second))
        if reading is None:
            st.warning(reading_text(None, lang), icon=":material/help:")
        else:
            st.caption(reading_text(reading, lang))
    with st.expander(t(lang, "New site parameters"), icon=":material/settings_input_antenna:"):
        parameter_inputs(sel, result, lang)
    params = site_parameters(sel)
    st.caption(t(lang, "New sites: {operator} · {technology} · {band} MHz · antenna {height} m · "
                       "EIRP {eirp} dBm.", operator=params["operator"],
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
    op_col.selectbox(t(lang, "Operator"), operators, index=default_op,
                     key="plan_operator")
    tech = tech_col.selectbox(t(lang, "Technology"), techs,
                              index=techs.index(sel.technology), key=f"plan_tech_{sel.technology}")
    low, high = SETTINGS.radio.band_range_mhz
    band_col.number_input(t(lang, "Band (MHz)"), min_value=float(low),
                          max_value=float(high), value=float(SETTINGS.radio.default_band_mhz[tech]),
                          step=100.0, format="%.0f", key=f"plan_band_{tech}")
    low, high = SETTINGS.radio.height_range_m
    height_col.number_input(pt(lang, "plan.field", "Antenna height (m)"), min_value=float(low),
                            max_value=float(high), value=float(planning.height_m), step=5.0,
                            format="%.0f", key="plan_height")
    low, high = SETTINGS.radio.eirp_range_dbm
    eirp_col.number_input(t(lang, "EIRP (dBm)"), min_value=float(low),
                          max_value=float(high), value=float(SETTINGS.planning.eirp_dbm), step=1.0,
                          format="%.1f", key="plan_eirp")


def map_section(key: cache.DataKey, sel: Selection, result: Analysis, whatif: WhatIf,
                lang: str) -> None:
    """The study area with the gaps; proposed and chosen sites as a feature group, so that
    adding one does not rebuild the map (its view is kept)."""
    data = result.inputs
    specs = registry.page_layers(key, sel, lang, registry.PLANNING,
                                 site_technologies=(sel.technology,))
    bounds = data.study_area.total_bounds
    m = assemble_map(specs, lang, visible={"communes", "gap_areas", "points"},
                     search=cached.search_spec(key, lang), bounds=bounds,
                     illustrative=bool(data.illustrative), files=app_map_files(),
                     page=registry.PLANNING)
    group = folium.FeatureGroup(name=t(lang, "New sites"))
    group.add_child(new_sites_layer(proposed_rows(whatif.proposed), lang, planned=False))
    run = current_run(key, sel)
    if run is not None:
        chosen = run["plan"].sites_frame().drop(columns="geometry")
        group.add_child(new_sites_layer(chosen, lang, planned=True))
    st_folium(use_local_assets(m), key=MAP_KEY, returned_objects=["last_clicked"],
              feature_group_to_add=group, use_container_width=True, height=MAP_HEIGHT)
    st.caption(t(lang, "Red areas: gaps; icons: support points in a gap (weak or no signal; colour "
                       "= best technology received). Purple diamonds: proposed sites; numbered "
                       "orange diamonds: optimised sites in order. Click a point for its details "
                       "(a click on a point adds no site)."))


def effect_section(whatif: WhatIf, sel: Selection, lang: str) -> None:
    """Before / after: places with service, and the places newly covered per commune."""
    st.subheader(t(lang, "Before and after the proposed sites ({technology})",
                   technology=sel.technology))
    tot = whatif.totals()
    st.html(METRIC_CSS)  # let the labels wrap
    columns = st.columns(4)
    counted = sum(counts_for(s, sel) for s in whatif.proposed.values())
    columns[0].metric(t(lang, "Proposed sites"), format_int(len(whatif.proposed), lang),
                      help=t(lang, "{counted} count for the current filters.",
                             counted=format_int(counted, lang)), border=True)
    for column, label, (before, after, total) in (
        (columns[1], t(lang, "Support points with {technology}", technology=sel.technology),
         tot.points),
        (columns[2], t(lang, "Villages with {technology}", technology=sel.technology),
         tot.villages),
        (columns[3], t(lang, "People of the villages with {technology}",
                       technology=sel.technology), tot.people),
    ):
        column.metric(f"{label} ({t(lang, 'of {total}', total=format_int(total, lang))})",
                      format_int(after, lang),
                      delta=t(lang, "+{added} (before: {before})",
                              added=format_int(after - before, lang),
                              before=format_int(before, lang)),
                      delta_color="normal" if after > before else "off",
                      delta_arrow="up" if after > before else "off", border=True)
    gains = whatif.gains()
    if gains.empty:
        st.caption(t(lang, "The proposed sites cover no new support point or village yet."))
    else:
        st.markdown(t(lang, "**Newly covered, by 2025 commune**"))
        st.dataframe(gains_frame(gains, lang), hide_index=True, key="plan_gains",
                     width="stretch")


def proposed_section(whatif: WhatIf, sel: Selection, lang: str) -> None:
    """The proposed sites, with move (new coordinates) and delete."""
    st.subheader(pt(lang, "plan.list", "Proposed sites"))
    show_flash("edit")
    if not whatif.proposed:
        st.caption(t(lang, "No proposed site yet."))
        return
    yes, no = t(lang, "Yes"), t(lang, "No")
    sites = list(whatif.proposed.values())
    st.dataframe(pd.DataFrame({
        t(lang, "Site"): [s.get("site_id", "") for s in sites],
        t(lang, "Operator"): [s["operator"] for s in sites],
        t(lang, "Technology"): [s["technology"] for s in sites],
        t(lang, "Band (MHz)"): [float(s["band_mhz"]) for s in sites],
        pt(lang, "plan.field", "Antenna height (m)"): [float(s["height_m"]) for s in sites],
        t(lang, "EIRP (dBm)"): [float(s["eirp_dbm"]) for s in sites],
        t(lang, "Longitude"): [round(float(s["lon"]), 6) for s in sites],
        t(lang, "Latitude"): [round(float(s["lat"]), 6) for s in sites],
        t(lang, "Counts"): [yes if counts_for(s, sel) else no for s in sites],
    }), hide_index=True, key="plan_proposed_table", width="stretch")
    indices = list(whatif.proposed)
    pick_col, first_col, second_col = st.columns([2, 2, 2])
    index = pick_col.selectbox(t(lang, "Site to edit"), indices, key="plan_edit_pick",
                               format_func=lambda i: str(whatif.proposed[i].get("site_id", i)))
    site = whatif.proposed[index]
    first_col.number_input(t(lang, "Longitude or X (m)"), value=float(site["lon"]),
                           format="%.6f", step=0.0001, key=f"plan_move_first_{index}")
    second_col.number_input(t(lang, "Latitude or Y (m)"), value=float(site["lat"]),
                            format="%.6f", step=0.0001, key=f"plan_move_second_{index}")
    move_col, delete_col, clear_col = st.columns(3)
    move_col.button(t(lang, "Move to these coordinates"), key="plan_move",
                    icon=":material/open_with:",
                    on_click=on_move, args=(index, lang), width="stretch")
    delete_col.button(t(lang, "Delete this site"), key="plan_delete", icon=":material/delete:",
                      on_click=on_delete, args=(index, lang), width="stretch")
    clear_col.button(t(lang, "Delete all"), key="plan_clear",
                     icon=":material/delete_sweep:", on_click=on_clear, args=(lang,),
                     width="stretch")
