"""Translations from the gettext catalog ``locale/<lang>/LC_MESSAGES/laocai.po``: one
translator per language, handed out per call, never installed as a global ``_``.

The server is shared by many sessions, each with its own language, so every lookup names the
language: ``t(lang, "English text {x}", x=1)``. English is the msgid; a language without a
catalog (English) returns it unchanged. The call shapes are the keyword specs Babel extracts
(``pyproject.toml``, ``[tool.babel]``)::

    t(lang, "Hello {name}", name=...)              # t:2
    pt(lang, "context", "Scenario")                # pt:2c,3   (msgctxt)
    nt(lang, "{n} site", "{n} sites", n)           # nt:2,3    (plural, formatted with n=...)
    N_("Layer name")                               # N_        (marked now, translated later)
    NP_("context", "Scenario")                     # NP_:1c,2  (the same with a msgctxt)

Each catalog is loaded once per process (thread-safe) from the compiled ``laocai.mo`` that
``make`` builds (``pybabel compile``). When the ``.mo`` is missing or older than the ``.po``
(a fresh checkout, ``python -m pytest`` without ``make``, or a translator's edit), the ``.po``
is compiled in memory with Babel instead, so the app and the tests always read the ``.po``.
"""

from __future__ import annotations

import gettext
import io
import threading
from pathlib import Path
from typing import Any

from geo.settings import SETTINGS

DOMAIN = "laocai"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES: tuple[str, ...] = SETTINGS.app.languages

_LOCK = threading.Lock()
_TRANSLATORS: dict[str, gettext.NullTranslations] = {}


class Deferred(str):
    """An English msgid marked with a msgctxt (:func:`NP_`); :func:`t` looks it up with
    ``pgettext``. A plain ``str`` everywhere else."""

    context: str

    def __new__(cls, context: str, message: str) -> Deferred:
        self = super().__new__(cls, message)
        self.context = context
        return self


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later by :func:`t`."""
    return message


def NP_(context: str, message: str) -> Deferred:
    """Mark ``message`` with the msgctxt ``context``; :func:`t` translates it in context."""
    return Deferred(context, message)


def catalog_path(lang: str, suffix: str = ".po") -> Path:
    """``locale/<lang>/LC_MESSAGES/laocai.po`` (or ``.mo``)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def _load(lang: str) -> gettext.NullTranslations:
    po, mo = catalog_path(lang), catalog_path(lang, ".mo")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    if not po.is_file():
        return gettext.NullTranslations()  # English: the msgids are the text
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fp:
        catalog = read_po(fp, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translation(lang: str) -> gettext.NullTranslations:
    """The translator of ``lang`` (loaded once). Raises :class:`KeyError` for a language
    other than ``SETTINGS.app.languages``."""
    found = _TRANSLATORS.get(lang)
    if found is not None:
        return found
    if lang not in LANGUAGES:
        raise KeyError(f"language {lang!r}; expected one of {LANGUAGES}")
    with _LOCK:
        if lang not in _TRANSLATORS:
            _TRANSLATORS[lang] = _load(lang)
        return _TRANSLATORS[lang]


def clear_cache() -> None:
    """Forget the loaded catalogs (the next lookup reads them again)."""
    with _LOCK:
        _TRANSLATORS.clear()


#: Placeholders every message may use without the caller passing them: what is particular to
#: the province comes from the settings, not from the catalog.
SETTINGS_PLACEHOLDERS: dict[str, str] = {
    "{province}": SETTINGS.study_area.province,
    "{meridian}": SETTINGS.crs.metric_meridian,
    "{metric_crs}": SETTINGS.crs.metric,
}


def _format(text: str, fmt: dict[str, Any]) -> str:
    given = {k[1:-1]: v for k, v in SETTINGS_PLACEHOLDERS.items() if k in text}
    if given:
        fmt = {**given, **fmt}
    return text.format(**fmt) if fmt else text


def t(lang: str, message: str, **fmt: Any) -> str:
    """``message`` (an English msgid) in ``lang``, formatted with ``fmt`` (``str.format``).

    >>> t("vi", "BTS sites")
    'Trạm BTS'
    >>> t("en", "Could not load the layer {layer}: {detail}", layer="BTS sites", detail="gone.")
    'Could not load the layer BTS sites: gone.'
    """
    context = getattr(message, "context", None)
    if context is not None:
        return pt(lang, context, message, **fmt)
    return _format(translation(lang).gettext(message), fmt)


def pt(lang: str, context: str, message: str, **fmt: Any) -> str:
    """``message`` in ``lang`` in the msgctxt ``context`` (a short English label that means
    two things), formatted with ``fmt``."""
    return _format(translation(lang).pgettext(context, str(message)), fmt)


def nt(lang: str, singular: str, plural: str, n: int, **fmt: Any) -> str:
    """The plural form of ``n`` in ``lang`` (Vietnamese has one form), formatted with ``n``
    and ``fmt``."""
    return translation(lang).ngettext(singular, plural, n).format(n=n, **fmt)
