"""The Streamlit pieces every page shares: the language switch, messages that survive a
rerun, the one-section-at-a-time switch, widgets whose labels follow the language, and
escaping of text that came from a file.

Pages import this module (and :mod:`ui.page_setup`, :mod:`ui.sidebar`, :mod:`ui.cache`,
:mod:`ui.map`), never each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from i18n import DEFAULT_LANGUAGE, LANGUAGES
from i18n.labels import LANGUAGE_NAMES
from i18n.translator import t

LANG_STATE_KEY = "lang"
"""``st.session_state`` key holding the language code ("vi" or "en")."""
FLASH_KEY = "flash"
"""``st.session_state`` key of the messages waiting for the next run, per slot."""

METRIC_CSS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
    height: auto !important;
}
[data-testid="stMetricLabel"] p { font-size: 0.86rem; line-height: 1.3; }
</style>"""
"""Lets a metric's label wrap instead of being cut (the labels name their denominators)."""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_FLASH_ICONS = {"error": ":material/block:", "warning": ":material/warning:",
                "success": ":material/check_circle:", "info": ":material/info:"}


def md_escape(text: object) -> str:
    """``text`` with every markdown character escaped (file names, values from files).

    >>> md_escape("a*b [c](d)")
    'a\\\\*b \\\\[c\\\\]\\\\(d\\\\)'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def current_language() -> str:
    """The language in ``st.session_state`` (the default, Vietnamese, until switched)."""
    lang = st.session_state.get(LANG_STATE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> str:
    """Sidebar radio Tiếng Việt / English stored in ``st.session_state["lang"]``; returns it."""
    if st.session_state.get(LANG_STATE_KEY) not in LANGUAGES:
        st.session_state[LANG_STATE_KEY] = DEFAULT_LANGUAGE
    # Constant, bilingual label: the widget keeps its identity when the language changes.
    st.sidebar.radio(
        t(DEFAULT_LANGUAGE, "Language / Ngôn ngữ"),
        options=list(LANGUAGES),
        format_func=lambda code: t(code, LANGUAGE_NAMES[code]),
        key=LANG_STATE_KEY,
        horizontal=True,
    )
    return current_language()


def translated_choice(widget: Callable[..., Any], label: str, options: Sequence[Any], *,
                      default: Any, key: str, lang: str, **kwargs: Any) -> Any:
    """A widget whose option labels depend on the language (``format_func``), keeping its
    value across a language switch.

    The browser keeps showing the old labels when only ``format_func`` changes, so the widget
    gets one key per language (``<key>_<lang>``) and starts from the language-neutral value
    stored under ``key``. ``default`` is the value before any choice (for a radio: the
    option itself, not its index).
    """
    value = st.session_state.get(key, default)
    if getattr(widget, "__name__", "") == "radio":
        kwargs["index"] = list(options).index(value) if value in options else 0
    else:
        kwargs["default"] = [v for v in value if v in options]
    chosen = widget(label, options, key=f"{key}_{lang}", **kwargs)
    st.session_state[key] = chosen
    return chosen


def section_switch(label: str, options: Sequence[str], *, key: str, lang: str,
                   labels: dict[str, str], choose_first: bool = True,
                   show_label: bool = False) -> str | None:
    """One section of a page at a time (a horizontal radio, not tabs: tabs draw every
    section on every run). Option ``k`` is labelled ``t(lang, labels[k])`` (English msgids).

    With ``choose_first=False`` nothing is chosen until the planner picks one (None).
    """
    return st.radio(label, options=list(options), index=0 if choose_first else None,
                    horizontal=True, key=key,
                    label_visibility="visible" if show_label else "collapsed",
                    format_func=lambda k: t(lang, labels[k]))


def flash(slot: str, level: str, text: str) -> None:
    """Keep a message (markdown, already escaped) for the next run of ``slot``'s part of the
    page; ``level`` is ``error``, ``warning``, ``success`` or ``info``. Callbacks use it: they
    run before the script, whose output would otherwise replace what they draw."""
    st.session_state.setdefault(FLASH_KEY, {}).setdefault(slot, []).append((level, text))


def show_flash(slot: str, *, toast_success: bool = False) -> None:
    """Draw (and forget) the messages of ``slot``; successes as toasts when asked (they then
    do not push the content below them down)."""
    for level, text in st.session_state.get(FLASH_KEY, {}).pop(slot, []):
        icon = _FLASH_ICONS.get(level, _FLASH_ICONS["info"])
        if level == "success" and toast_success:
            st.toast(text, icon=icon)
        else:
            getattr(st, level)(text, icon=icon)
