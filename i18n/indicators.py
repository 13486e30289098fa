"""The words and numbers of a headline figure: one formatter for the dashboard and the briefing.

An indicator (:class:`analysis.indicators.Indicator`) reads as its name, its counts (numerator
over denominator), its value (a percentage with :func:`i18n.format_percent`, or a count) and
the published figure beside it, in the language's number format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo.settings import SETTINGS
from i18n import format_float, format_int, format_percent
from i18n.indicator_labels import INDICATOR_BASES, INDICATOR_NAMES
from i18n.translator import t

if TYPE_CHECKING:  # only for the type hint: i18n stays a leaf package
    from analysis.indicators import Indicator


@dataclass(frozen=True)
class IndicatorTexts:
    """One indicator in one language, each part ready to show."""

    name: str  # "Thôn, bản có sóng 3G/4G"
    counts: str  # "552/553 thôn, bản"
    value: str  # "99,8 %" (no-break space) or "1.248"
    published: str | None  # the published figure, "97,8 %"; None when there is none
    published_note: str | None  # "công bố: 97,8 %"; None when there is none
    help: str  # where the published figure comes from, or that the value is computed

    @property
    def label(self) -> str:
        """Name with its counts: ``Thôn, bản có sóng 3G/4G (552/553 thôn, bản)``."""
        return f"{self.name} ({self.counts})"


def format_published(text: str | None, lang: str) -> str | None:
    """A published figure in the language's number format: ``97.8%`` → ``97,8 %`` (vi),
    ``6–10%`` → ``6–10 %``, ``2962`` → ``2.962`` (vi). None stays None; text that is not a
    number is kept as written."""
    if not text:
        return None
    match = re.fullmatch(r"\s*([\d.]+)(?:\s*[–-]\s*([\d.]+))?\s*(%?)\s*", text)
    if not match:
        return text

    def number(part: str) -> str:
        value = float(part)
        if value.is_integer() and "." not in part:
            return format_int(value, lang)
        return format_float(value, lang, len(part.split(".")[1]) if "." in part else 0)

    low, high, pct = match.groups()
    body = number(low) + (f"–{number(high)}" if high else "")
    return f"{body} %" if pct else body


def indicator_texts(ind: Indicator, lang: str, technology: str) -> IndicatorTexts:
    """The texts of ``ind`` in ``lang``; ``technology`` names the selected one (4G, ...)."""
    counts = t(lang, INDICATOR_BASES[ind.key], num=format_int(ind.numerator, lang),
               den=format_int(ind.denominator or 0, lang),
               distance=format_int(SETTINGS.gaps.shared_site_distance_m, lang))
    value = (format_percent(ind.value, lang) if ind.unit == "%"
             else format_int(ind.value, lang))
    published = format_published(ind.published, lang)
    return IndicatorTexts(
        name=t(lang, INDICATOR_NAMES[ind.key], technology=technology),
        counts=counts,
        value=value,
        published=published,
        published_note=t(lang, "published: {value}", value=published) if published else None,
        help=(t(lang,
                "Computed from the data in use. Published figure for comparison: {source}",
                source=ind.published_source or "")
              if published else t(lang, "Computed from the data in use (no matching published "
                                        "figure).")),
    )
