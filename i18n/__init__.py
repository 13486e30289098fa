"""The one translation table: every string a planner reads, in Vietnamese and English.

A leaf package (it imports only the settings), so the UI, the command line and the report
renderer all use it.

Vietnamese (``SETTINGS.app.default_language``) is the default; English is a switch. Each key
maps to ``{"vi": ..., "en": ...}``; all Vietnamese text is stored in Unicode NFC. Use
:func:`t` to look a string up (and format it); an unknown key raises :class:`KeyError` so a
typo fails loudly in tests rather than showing a blank label.
"""

from __future__ import annotations

from typing import Any

from geo.settings import SETTINGS
from i18n.app_strings import APP_STRINGS
from i18n.import_strings import IMPORT_STRINGS
from i18n.report_strings import REPORT_STRINGS

DEFAULT_LANGUAGE: str = SETTINGS.app.default_language
LANGUAGES: tuple[str, ...] = SETTINGS.app.languages


def t(key: str, lang: str = DEFAULT_LANGUAGE, **fmt: Any) -> str:
    """Return the text of ``key`` in ``lang``, formatted with ``fmt``.

    Raises :class:`KeyError` for an unknown key or language.

    >>> t("layer.sites", "vi")
    'Trạm BTS'
    >>> t("message.layer_missing", "en", layer="BTS sites", detail="file not found.")
    'Could not load the layer BTS sites: file not found.'
    """
    entry = TRANSLATIONS[key]
    if lang not in entry:
        raise KeyError(f"language {lang!r} for key {key!r}; expected one of {LANGUAGES}")
    text = entry[lang]
    return text.format(**fmt) if fmt else text


def format_int(value: float | int, lang: str = DEFAULT_LANGUAGE) -> str:
    """Whole number with thousands separators: ``76.981`` in Vietnamese, ``76,981`` in English.

    >>> format_int(76981, "vi"), format_int(76981, "en")
    ('76.981', '76,981')
    """
    text = f"{round(float(value)):,}"
    return text.replace(",", ".") if lang == "vi" else text


def format_float(value: float, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """Decimal number with the language's separators: ``1.234,5`` (vi), ``1,234.5`` (en)."""
    text = f"{float(value):,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


# Each page's strings are kept in their own module for readability; together they are this one
# table (``t`` looks them up like any other key). A key defined twice is an error.
TRANSLATIONS: dict[str, dict[str, str]] = {}
for _part in (APP_STRINGS, IMPORT_STRINGS, REPORT_STRINGS):
    _shared = set(_part) & set(TRANSLATIONS)
    if _shared:
        raise KeyError(f"keys defined twice in the translation table: {sorted(_shared)}")
    TRANSLATIONS.update(_part)
