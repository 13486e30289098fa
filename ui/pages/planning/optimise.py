"""The optimiser section: K new sites chosen by the greedy algorithm, with its proven bound."""

from __future__ import annotations

import streamlit as st

from analysis.pipeline import Analysis
from analysis.planning import Plan, plan
from analysis.selection import Selection
from geo.errors import DataError
from geo.settings import SETTINGS
from i18n import format_float, format_int
from i18n.planning_labels import NEAR_RULES
from i18n.translator import t
from ui import cache
from ui.pages.planning.state import RUN_KEY, current_run, on_copy_plan, operator_choices
from ui.pages.planning.texts import chosen_frame, plan_message
from ui.widgets import (
    md_escape,
    show_flash,
    translated_choice,
)

SPACING_OPTIONS_M: tuple[int, ...] = (500, 1000, 2000, 3000, 5000)

NEAR_OPTIONS: tuple[str, ...] = ("anywhere", "fibre", "sites")

K_MAX = 50


def optimise_section(key: cache.DataKey, sel: Selection, result: Analysis, lang: str) -> None:
    """K new sites chosen by the greedy algorithm, with its proven bound."""
    st.subheader(t(lang, "Find the K positions that cover the most"))
    st.caption(t(lang, "Positions in the {technology} gaps are chosen one by one, each covering "
                       "the most (over the same terrain as the map), by score: {point} per "
                       "support point, {village} per village, {people} per 1,000 people. "
                       "Computed on the existing sites, without the proposed ones.",
                 technology=sel.technology,
                 point=format_int(SETTINGS.planning.weight_support_point, lang),
                 village=format_int(SETTINGS.planning.weight_village, lang),
                 people=format_int(SETTINGS.planning.weight_per_1000_people, lang)))
    show_flash("plan")
    k_col, op_col, spacing_col, near_col = st.columns([1, 1, 2, 2])
    k = k_col.number_input(t(lang, "Number of sites K"), min_value=1, max_value=K_MAX, value=5,
                           step=1, key="plan_k")
    operators = operator_choices(result)
    operator = op_col.selectbox(t(lang, "Operator"), operators,
                                index=operators.index(SETTINGS.planning.operator)
                                if SETTINGS.planning.operator in operators else 0,
                                key="plan_opt_operator")
    default_spacing = int(SETTINGS.planning.candidate_spacing_m)
    options = sorted(set(SPACING_OPTIONS_M) | {default_spacing})
    spacing = spacing_col.select_slider(t(lang, "Spacing of candidate positions"), options=options,
                                        value=default_spacing, key="plan_spacing",
                                        format_func=lambda v: f"{format_int(v, lang)} m",
                                        help=t(lang, "One candidate per square of this side in the "
                                                     "gaps (the highest point when terrain is "
                                                     "loaded). Smaller is finer but slower."))
    near_distance = format_int(SETTINGS.planning.near_distance_m, lang)
    with near_col:
        near = translated_choice(st.radio, t(lang, "Candidates"), list(NEAR_OPTIONS),
                                 default="anywhere", key="plan_near", lang=lang,
                                 format_func=lambda v: t(lang, NEAR_RULES[v],
                                                         distance=near_distance),
                                 horizontal=True)
    if st.button(t(lang, "Run"), key="plan_run_button", type="primary",
                 icon=":material/bolt:"):
        bar = st.progress(0.0, text=t(lang, "Computing the coverage of the candidates…"))

        def progress(fraction: float) -> None:
            bar.progress(float(min(1.0, max(0.0, fraction))), text=t(lang,
                    "Computing the coverage of the candidates…"))

        try:
            chosen = plan(result, int(k), operator=operator, spacing_m=float(spacing),
                          near=None if near == "anywhere" else near, progress=progress)
        except DataError as exc:
            bar.empty()
            st.error(t(lang, "The optimisation failed: {detail}",
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
    near_text = t(lang, NEAR_RULES[run['near']],
                  distance=format_int(SETTINGS.planning.near_distance_m, lang))
    st.markdown(t(lang, "**{count} positions chosen** (K = {k}; operator {operator}; spacing "
                        "{spacing} m; {near}; {candidates} candidates).",
                  count=format_int(len(sites), lang),
                  k=format_int(run["k"], lang), operator=md_escape(run["operator"]),
                  spacing=format_int(run["spacing"], lang), near=near_text,
                  candidates=format_int(chosen.candidates, lang)))
    share = chosen.result.bound_share
    if share is not None:
        st.info(t(lang, "Proven: this plan reaches at least {pct} %\u00a0of the best possible with "
                        "as many sites (score {total}; upper bound {bound}).",
                  pct=format_float(100 * share, lang, 1),
                  total=format_float(chosen.result.total, lang, 1),
                  bound=format_float(chosen.result.upper_bound, lang, 1)),
                icon=":material/verified:")
    for message in chosen.result.messages:
        st.caption(plan_message(message, lang))
    if len(sites):
        st.dataframe(chosen_frame(sites, lang), hide_index=True, key="plan_chosen",
                     width="stretch")
        st.button(t(lang, "Copy these into the proposed sites"), key="plan_copy",
                  icon=":material/content_copy:",
                  on_click=on_copy_plan, args=(lang,))
