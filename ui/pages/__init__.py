"""The app's pages, one module (or small package) each; they share only :mod:`ui.widgets`,
:mod:`ui.page_setup`, :mod:`ui.sidebar`, :mod:`ui.cache` and the map package, never each
other."""

from __future__ import annotations

import streamlit as st

from i18n.translator import t


def navigation(lang: str) -> st.navigation:
    """The pages in the sidebar, titled in ``lang``; the planner is the default page.

    Each page module is imported when its page runs, so opening one page does not pay for the
    others' imports.
    """
    def planner() -> None:
        from ui.pages.planner import render

        render()

    def planning() -> None:
        from ui.pages.planning import render

        render()

    def import_data() -> None:
        from ui.pages.import_data import render

        render()

    return st.navigation([
        st.Page(planner, title=t(lang, "Map and figures"), icon=":material/map:",
                url_path="planner", default=True),
        st.Page(planning, title=t(lang, "Site planning"), icon=":material/cell_tower:",
                url_path="planning"),
        st.Page(import_data, title=t(lang, "Import data"), icon=":material/upload_file:",
                url_path="import"),
    ])
