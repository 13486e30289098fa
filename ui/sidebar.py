"""The sidebar filters: technology, operators, covered threshold, service level (of the map
and of the support points), fibre reach, model calibration (when one is saved), scenario and
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
from geo.layers import area_summary
from geo.settings import SETTINGS
from i18n import format_dbm, format_int
from i18n.labels import LAYER_SHORT_NAMES, SERVICE_LEVELS, SIGNAL_MEASURES
from i18n.translator import N_, t
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
            return t(lang or self.lang, "all operators")
        return ", ".join(self.selection.operators)


def default_threshold(technology: str) -> int:
    """The settings' covered threshold of ``technology``, dBm."""
    return int(SETTINGS.radio.covered_dbm[technology])


def threshold_options(technology: str) -> list[int]:
    """Thresholds offered for ``technology`` (dBm, in steps), always including the default."""
    low, high = THRESHOLD_RANGE_DBM.get(technology, (-130, -70))
    options = set(range(low, high + 1, THRESHOLD_STEP_DBM)) | {default_threshold(technology)}
    return sorted(options)


def service_levels(lang: str) -> tuple[str, str]:
    """The two service-level choices: the map's (default outdoors) and the support points'
    (default indoors: they are commune halls and cultural houses)."""
    bar = st.sidebar
    levels = list(SETTINGS.service.levels)

    def label(level: str) -> str:
        return t(lang, SERVICE_LEVELS[level])

    service = translated_choice(
        bar.radio, t(lang, "Service level: map and villages"), levels,
        default=SETTINGS.service.map_default, key="service", lang=lang, horizontal=True,
        format_func=label,
        help=t(lang, "Indoors adds the building entry loss of ITU-R P.2109 (traditional "
                     "buildings, median), in a car the vehicle penetration loss (3GPP TR "
                     "38.901), to the covered threshold."))
    point_service = translated_choice(
        bar.radio, t(lang, "Service level: support points"), levels,
        default=SETTINGS.service.points_default, key="point_service", lang=lang,
        horizontal=True, format_func=label,
        help=t(lang, "The support points are commune halls and cultural houses: they are "
                     "judged indoors unless you choose otherwise."))
    return service, point_service


def area_option(area: str, lang: str) -> str:
    """"Lào Cai cũ (48 xã, phường)": the area's name and how many 2025 units it has."""
    return t(lang, "{area} ({count} communes and wards)",
             area=SETTINGS.study_area.label(area, lang),
             count=format_int(area_summary(area).units, lang))


def study_area_choice(lang: str) -> str:
    """The study area (a key of ``SETTINGS.study_area.areas``), at the top of the sidebar:
    every figure, table, map, export, planning run and the briefing follow it. A link may
    open on another area with ``?area=<key>``; an unknown key is ignored."""
    areas = list(SETTINGS.study_area.areas)
    linked = st.query_params.get("area")
    return translated_choice(
        st.sidebar.radio, t(lang, "Study area"), areas,
        default=linked if linked in areas else SETTINGS.study_area.default, key="study_area",
        lang=lang,
        format_func=lambda area: area_option(area, lang),
        help=t(lang, "Today's province (since 1 July 2025) or the communes and wards formed from "
                     "one of the two provinces merged then. The support points of Decision "
                     "2541/QĐ-UBND are old Lào Cai's programme."))


def calibration_choice(lang: str, saved: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """The saved calibration the predictions are corrected with ((name, saved at) of
    ``saved``), or None for the model as computed (offered only when one is saved)."""
    if not saved:
        return None
    stamps = dict(saved)
    options = ["", *stamps]
    name = st.sidebar.selectbox(
        t(lang, "Model calibration"), options, key="calibration",
        format_func=lambda n: n or t(lang, "None: the model as computed"),
        help=t(lang, "Corrects every prediction (map, figures, tables, downloads, briefing) "
                     "with a calibration fitted on field measurements (python -m analysis "
                     "calibrate --save NAME)."))
    return (name, stamps[name]) if name else None


def sidebar(lang: str, *, operators: Sequence[str], technologies: Sequence[str],
            calibrations: Sequence[tuple[str, str]] = ()) -> Controls:
    """Draw the filters in the sidebar (after the language switch) and return them;
    ``calibrations``: (name, saved at) of the workspace's saved calibrations."""
    bar = st.sidebar
    bar.header(t(lang, "Filters"))
    techs = [tech for tech in SETTINGS.radio.technologies if tech in technologies] or ["4G"]
    default_tech = "4G" if "4G" in techs else techs[-1]
    technology = bar.radio(t(lang, "Technology"), techs, index=techs.index(default_tech),
                           horizontal=True, key="technology",
                           help=t(lang, "The technology used for coverage, gaps and the figures."))
    chosen = bar.multiselect(t(lang, "Operators"), list(operators),
                             default=list(operators), key="operators",
                             help=t(lang, "A place has service when at least one chosen operator "
                                          "reaches it."))
    if not chosen:
        bar.caption(t(lang, "No operator chosen: showing all operators."))
    selected = None if not chosen or set(chosen) == set(operators) else tuple(
        op for op in operators if op in chosen)
    measure = t(lang, SIGNAL_MEASURES[technology] if technology in ("2G", "3G") else N_("RSRP"))
    default = default_threshold(technology)
    threshold = bar.select_slider(
        t(lang, "Covered threshold, {technology} ({measure})", technology=technology,
          measure=measure),
        options=threshold_options(technology), value=default, key=f"threshold_{technology}",
        format_func=lambda v: format_dbm(v, lang),
        help=t(lang, "A signal at or above this level counts as service (default {default}). A new "
                     "threshold recomputes the coverage once (a few seconds) and keeps it.",
               default=format_dbm(default, lang)))
    service, point_service = service_levels(lang)
    reach = bar.select_slider(
        t(lang, "Fibre reach"), options=list(FIBRE_REACH_OPTIONS_M),
        value=int(SETTINGS.gaps.fibre_reach_m), key="fibre_reach",
        format_func=lambda v: f"{format_int(v, lang)} m", help=t(lang,
                "A place counts as having fibre when a fibre route or node is at most this far."))
    calibration = calibration_choice(lang, calibrations)
    scenario = bar.toggle(t(lang, "Scenario: 2G/3G switch-off"), key="scenario",
                          help=t(lang, "Lists and circles on the map the support points and "
                                       "villages that lose all mobile service if the chosen "
                                       "operators switch off 2G and 3G."))
    bar.header(t(lang, "Map"))
    choices = registry.toggleable()
    default_layers = [k for k in choices if k in registry.shown_at_start()]
    visible = translated_choice(bar.multiselect, t(lang, "Layers shown when the map opens"),
                                list(choices), default=default_layers,
                                key="layers_visible", lang=lang,
                                format_func=lambda k: t(lang, LAYER_SHORT_NAMES[k]),
                                help=t(lang, "The other layers stay in the layer list at the top "
                                             "right of the map."))
    site_techs = bar.multiselect(t(lang, "BTS sites on the map: technologies"), techs,
                                 default=[technology], key=f"site_technologies_{technology}",
                                 help=t(lang, "Draw only the sites of these technologies (and of "
                                              "the chosen operators)."))
    return Controls(
        lang=lang,
        selection=Selection(technology, selected,
                            None if threshold == default else float(threshold), float(reach),
                            service=service, point_service=point_service,
                            calibration=calibration),
        scenario=bool(scenario),
        visible=frozenset(visible) | ({"lost"} if scenario else frozenset()),
        site_technologies=tuple(x for x in techs if x in site_techs),
    )
