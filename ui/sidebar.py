"""The sidebar filters: technology, operators, covered threshold, fibre reach, scenario and
the map layers shown at start. Returns one immutable :class:`Controls`.

Every widget has a fixed ``key``, so its value survives a language switch (labels change,
keys do not). The threshold widget has one key per technology, so each technology starts at
its own default threshold (RxLev −95 dBm for 2G, RSCP −100 dBm for 3G, RSRP −110 dBm for
4G/5G) and keeps the user's choice when they come back to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import streamlit as st

from analysis.selection import Selection
from geo.settings import SETTINGS
from i18n import format_dbm, format_int, t
from ui.map import registry
from ui.widgets import translated_choice

THRESHOLD_STEP_DBM: int = 5
THRESHOLD_RANGE_DBM: dict[str, tuple[int, int]] = {
    "2G": (-110, -70), "3G": (-120, -75), "4G": (-130, -80), "5G": (-130, -80),
}
FIBRE_REACH_OPTIONS_M: tuple[int, ...] = (250, 500, 1000, 1500, 2000, 3000, 5000)


@dataclass(frozen=True)
class Controls:
    """The sidebar's choices: the :class:`~analysis.selection.Selection` that the analysis
    takes, and what the map shows."""

    lang: str
    selection: Selection = field(default_factory=Selection)
    scenario: bool = False  # the 2G/3G switch-off
    visible: frozenset[str] = field(default_factory=registry.shown_at_start)
    site_technologies: tuple[str, ...] = ("4G",)

    def operators_label(self, lang: str | None = None) -> str:
        """"Viettel, MobiFone" or "tất cả nhà mạng" / "all operators"."""
        if self.selection.operators is None:
            return t("value.all_operators", lang or self.lang)
        return ", ".join(self.selection.operators)


def default_threshold(technology: str) -> int:
    """The settings' covered threshold of ``technology``, dBm."""
    return int(SETTINGS.radio.covered_dbm[technology])


def threshold_options(technology: str) -> list[int]:
    """Thresholds offered for ``technology`` (dBm, in steps), always including the default."""
    low, high = THRESHOLD_RANGE_DBM.get(technology, (-130, -70))
    options = set(range(low, high + 1, THRESHOLD_STEP_DBM)) | {default_threshold(technology)}
    return sorted(options)


def sidebar(lang: str, *, operators: Sequence[str], technologies: Sequence[str]) -> Controls:
    """Draw the filters in the sidebar (after the language switch) and return them."""
    bar = st.sidebar
    bar.header(t("sidebar.filters", lang))
    techs = [tech for tech in SETTINGS.radio.technologies if tech in technologies] or ["4G"]
    default_tech = "4G" if "4G" in techs else techs[-1]
    technology = bar.radio(t("sidebar.technology", lang), techs, index=techs.index(default_tech),
                           horizontal=True, key="technology",
                           help=t("sidebar.technology_help", lang))
    chosen = bar.multiselect(t("sidebar.operators", lang), list(operators),
                             default=list(operators), key="operators",
                             help=t("sidebar.operators_help", lang))
    if not chosen:
        bar.caption(t("sidebar.operators_empty", lang))
    selected = None if not chosen or set(chosen) == set(operators) else tuple(
        op for op in operators if op in chosen)
    measure = t(f"measure.{technology}" if technology in ("2G", "3G") else "measure.4G", lang)
    default = default_threshold(technology)
    threshold = bar.select_slider(
        t("sidebar.threshold", lang, technology=technology, measure=measure),
        options=threshold_options(technology), value=default, key=f"threshold_{technology}",
        format_func=lambda v: format_dbm(v, lang),
        help=t("sidebar.threshold_help", lang, default=format_dbm(default, lang)))
    reach = bar.select_slider(
        t("sidebar.fibre_reach", lang), options=list(FIBRE_REACH_OPTIONS_M),
        value=int(SETTINGS.gaps.fibre_reach_m), key="fibre_reach",
        format_func=lambda v: f"{format_int(v, lang)} m", help=t("sidebar.fibre_reach_help", lang))
    scenario = bar.toggle(t("sidebar.scenario", lang), key="scenario",
                          help=t("sidebar.scenario_help", lang))
    bar.header(t("sidebar.display", lang))
    choices = registry.toggleable()
    default_layers = [k for k in choices if k in registry.shown_at_start()]
    visible = translated_choice(bar.multiselect, t("sidebar.map_layers", lang),
                                list(choices), default=default_layers,
                                key="layers_visible", lang=lang,
                                format_func=lambda k: t(f"layershort.{k}", lang),
                                help=t("sidebar.map_layers_help", lang))
    site_techs = bar.multiselect(t("sidebar.site_technologies", lang), techs,
                                 default=[technology], key=f"site_technologies_{technology}",
                                 help=t("sidebar.site_technologies_help", lang))
    return Controls(
        lang=lang,
        selection=Selection(technology, selected,
                            None if threshold == default else float(threshold), float(reach)),
        scenario=bool(scenario),
        visible=frozenset(visible) | ({"lost"} if scenario else frozenset()),
        site_technologies=tuple(x for x in techs if x in site_techs),
    )
