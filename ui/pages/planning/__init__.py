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

Modules: :mod:`.state` (session state and callbacks), :mod:`.proposed` (the new-site form,
the map, the effect and the list of proposed sites), :mod:`.optimise`, :mod:`.scenarios`,
:mod:`.texts` (pure texts and tables).

The map's base layers come from the layer registry (:func:`ui.map.registry.page_layers`,
data escaped there); the proposed and chosen sites are one ``feature_group_to_add``
(:func:`ui.map.layers.new_sites_layer`), so adding a site does not rebuild the map or lose
its view.
"""

from __future__ import annotations

import streamlit as st

from analysis.pipeline import Analysis
from i18n.planning_labels import PLANNING_SECTIONS
from i18n.translator import t
from ui import cache
from ui.page_setup import illustrative_banner, page_analysis, page_data
from ui.pages.planning.optimise import optimise_section
from ui.pages.planning.proposed import add_form, effect_section, map_section, proposed_section
from ui.pages.planning.scenarios import scenarios_section
from ui.pages.planning.state import plan_state, take_click
from ui.sidebar import Controls
from ui.widgets import current_language, section_switch

SECTIONS: tuple[str, ...] = ("proposed", "optimise", "scenarios")


def _load(lang: str) -> tuple[cache.DataKey, Controls, Analysis]:
    """Inputs, sidebar and analysis exactly as the planner page gets them."""
    data = page_data(lang)
    illustrative_banner(data.inputs.sources, lang)
    if not data.inputs.dem.terrain_loaded:
        st.caption(t(lang, "Terrain not loaded: new sites are computed over flat ground "
                           "(optimistic in the mountains). Download the terrain on the “Map and "
                           "figures” page."))
    return data.key, data.controls, page_analysis(data, lang)


def render(lang: str | None = None) -> None:
    """The whole page: the new-site form above the map, then one of three sections: the
    proposed sites and their effect, the optimiser, the scenarios."""
    lang = lang or current_language()
    st.title(t(lang, "Site planning: try positions and find the best ones"))
    st.caption(t(lang, "Add proposed sites by clicking the map or typing coordinates and see at "
                       "once the support points, villages and people newly covered; let the "
                       "optimiser choose the K best positions; save and compare scenarios. Uses "
                       "the sidebar filters."))
    key, controls, result = _load(lang)
    sel = controls.selection
    state = plan_state(key, sel, result, lang)
    take_click(sel, lang)
    add_form(sel, result, lang)
    map_section(key, sel, result, state.whatif, lang)

    # One section at a time (not tabs, which draw all three on every click): a map click then
    # redraws the figures and the list, not the optimiser and the scenarios as well.
    section = section_switch(t(lang, "Section"), SECTIONS, key="plan_section", lang=lang,
                             labels=PLANNING_SECTIONS)
    if section == "optimise":
        optimise_section(key, sel, result, lang)
    elif section == "scenarios":
        scenarios_section(key, sel, state.whatif, lang)
    else:
        effect_section(state.whatif, sel, lang)
        proposed_section(state.whatif, sel, lang)
