"""Lào Cai connectivity planner: the frame of the Streamlit app (``streamlit run app.py``).

Page set-up, the language switch and the navigation; each page is a module of
:mod:`ui.pages`.
"""

from __future__ import annotations

import streamlit as st

from i18n import DEFAULT_LANGUAGE
from i18n.translator import t
from ui.pages import navigation
from ui.widgets import language_switch

st.set_page_config(page_title=t(DEFAULT_LANGUAGE, "{province} connectivity planner"),
                   page_icon="📡",
                   layout="wide")
navigation(language_switch()).run()
