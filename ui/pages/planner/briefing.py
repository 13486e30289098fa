"""The briefing button of the planner page: the leadership briefing (PDF and HTML) of the
current selection, in the page's language, optionally with a saved scenario's before / after.

The briefing is :func:`report.build`, the same as ``python -m analysis brief``.
Building it takes a few seconds (the map is drawn with matplotlib, and a scenario
needs the analysis with its sites), so it is made only on the button and its bytes are kept in
``st.session_state`` with what they were made for: reruns offer the same files without
rebuilding, and a changed selection, language or scenario asks for a new one.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

import report
from analysis.pipeline import Analysis, analyse, with_sites
from analysis.scenarios import Scenario
from geo.errors import AppError
from geo.settings import SETTINGS
from geo.workspace import Workspace
from i18n.translator import t
from ui.widgets import md_escape

STATE_KEY = "briefing_files"
FILE_STEM = "bao-cao-nhanh"


def file_name(ext: str, today: date, area: str = SETTINGS.study_area.default) -> str:
    """``bao-cao-nhanh_laocai_2026-11-30.pdf``: what, the study area's key, the date."""
    return f"{FILE_STEM}_{area}_{today.isoformat()}.{ext}"


def make_briefing(result: Analysis, lang: str, scenario: str | None = None, *,
                  today: date | None = None) -> tuple[bytes, str]:
    """PDF bytes and HTML text of the briefing; with ``scenario``, its saved sites are
    analysed for the after-figures (raises :class:`geo.errors.AppError` when it cannot be
    read)."""
    with_scenario = None
    if scenario:
        saved = Scenario.load_from(Workspace().scenarios, scenario)
        after = analyse(with_sites(result.inputs, saved.sites), result.selection)
        with_scenario = (saved.name, saved.sites, after)
    return report.build(result, lang=lang, scenario=with_scenario, today=today)


def briefing_section(analysis: Analysis, lang: str, *, today: date | None = None) -> None:
    """"Make the briefing" with an optional saved scenario of the workspace, then PDF and
    HTML downloads."""
    today = today or date.today()
    try:
        scenario_names = Workspace().scenarios.names()
    except AppError:  # no readable workspace: no scenario to offer
        scenario_names = []
    st.subheader(t(lang, "Leadership briefing"))
    st.caption(t(lang, "A PDF (A4) and an HTML page: data and assumptions, headline figures, map, "
                       "the points without service, for the current filters and language; "
                       "optionally with a saved scenario."))
    options = ["", *scenario_names]
    pick_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    scenario = pick_col.selectbox(
        t(lang, "With scenario"), options, key=f"briefing_scenario_{lang}",
        format_func=lambda name: name or t(lang, "(none)"),
        help=t(lang, "A scenario saved on the “Site planning” page: adds the before / after "
                     "figures."))
    # ``analysis`` is the cached object of this data and selection: its id names them.
    wanted = (id(analysis), analysis.selection, lang, scenario, today.isoformat())
    if button_col.button(t(lang, "Make the briefing"), key="briefing_make", type="primary",
                         icon=":material/description:", width="stretch"):
        try:
            with st.spinner(t(lang, "Making the briefing (a few seconds)…")):
                pdf, page = make_briefing(analysis, lang, scenario or None, today=today)
        except AppError as exc:
            st.error(t(lang, "Could not make the briefing: {detail}", detail=md_escape(exc)),
                     icon=":material/error:")
        else:
            st.session_state[STATE_KEY] = {"for": wanted, "pdf": pdf, "html": page}
    files = st.session_state.get(STATE_KEY)
    if not files or files["for"] != wanted:
        return
    pdf_col, html_col = st.columns(2)
    pdf_col.download_button(t(lang, "Download the PDF"), data=files["pdf"],
                            file_name=file_name("pdf", today, analysis.inputs.area),
                            mime="application/pdf",
                            key="briefing_pdf", on_click="ignore", icon=":material/download:",
                            width="stretch")
    html_col.download_button(t(lang, "Download the HTML"), data=files["html"].encode("utf-8"),
                             file_name=file_name("html", today, analysis.inputs.area),
                             mime="text/html",
                             key="briefing_html", on_click="ignore",
                             icon=":material/download:", width="stretch")
