"""Languages, and number and date formats (CLDR, through Babel) for the whole app.

A leaf package (it imports only the settings), so the UI, the command line and the report
renderer all use it. The texts are in the gettext catalog ``locale/vi/LC_MESSAGES/laocai.po``
and are looked up with :mod:`i18n.translator` (``t(lang, "English text")``); the tables of
texts by code (layer names, statuses, import messages, ...) are in ``i18n/*_labels.py``,
``i18n/labels.py`` and ``i18n/import_messages.py``. Vietnamese
(``SETTINGS.app.default_language``) is the default; English is a switch.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

from geo.settings import SETTINGS

NO_VALUE = "—"
"""What a number that is not there (NaN, ±inf) reads as in figures and tables."""

DEFAULT_LANGUAGE: str = SETTINGS.app.default_language
LANGUAGES: tuple[str, ...] = SETTINGS.app.languages


def format_int(value: float | int, lang: str = DEFAULT_LANGUAGE) -> str:
    """Whole number (rounded half to even) with the CLDR thousands separator of ``lang``:
    ``76.981`` in Vietnamese, ``76,981`` in English.

    >>> format_int(76981, "vi"), format_int(76981, "en")
    ('76.981', '76,981')
    """
    return format_decimal(round(float(value)), format="#,##0", locale=lang)


def format_float(value: float, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """Decimal number with ``digits`` decimals and the separators of ``lang``: ``1.234,5``
    (vi), ``1,234.5`` (en). Rounded like Python's ``format`` (half to even on the exact
    binary value). Not a number (no value, e.g. an error without a prediction): "—".

    >>> format_float(1234.5, "vi"), format_float(1234.5, "en"), format_float(float("nan"))
    ('1.234,5', '1,234.5', '—')
    """
    if not math.isfinite(float(value)):
        return NO_VALUE
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(Decimal(float(value)), format=pattern, locale=lang)


def format_date(day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """A calendar date as ISO 8601 (``2025-03-04``) in either language: the briefing's and
    the file names' form, which planners read the same in both.

    >>> format_date(date(2025, 3, 4), "vi")
    '2025-03-04'
    """
    return babel_format_date(day, format="yyyy-MM-dd", locale=lang)


def format_percent(percent: float | None, lang: str = DEFAULT_LANGUAGE, digits: int = 1, *,
                   missing: str = "—") -> str:
    """A value in per cent as ``83,0 %`` (vi) / ``83.0 %`` (en), with a no-break space before
    ``%`` so that a narrow cell never splits it; ``missing`` for None or NaN.

    >>> format_percent(97.8, "vi"), format_percent(97.8, "en"), format_percent(None, "en")
    ('97,8\xa0%', '97.8\xa0%', '—')
    """
    if percent is None or percent != percent or percent in (float("inf"), float("-inf")):
        return missing
    return f"{format_float(float(percent), lang, digits)}\u00a0%"


def format_share(share: float | None, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """A 0–1 share in per cent (:func:`format_percent`); empty for None or NaN.

    >>> format_share(0.83, "vi")
    '83,0\xa0%'
    """
    if share is None or share != share:
        return ""
    return format_percent(100.0 * float(share), lang, digits, missing="")


def format_dbm(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """``−95,3 dBm`` (vi) / ``−95.3 dBm`` (en) with a true minus sign; empty for None or NaN.

    >>> format_dbm(-110, "vi")
    '−110,0 dBm'
    """
    if value is None or value != value:
        return ""
    return format_float(float(value), lang, 1).replace("-", "\u2212") + " dBm"

