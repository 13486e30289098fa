"""The texts of a headline figure (i18n.indicators), shared by the dashboard and the
briefing."""

from __future__ import annotations

import math

from analysis.indicators import Indicator
from i18n.indicators import format_published, indicator_texts


def _indicator(**kw: object) -> Indicator:
    base = {"key": "village_centres_3g4g", "label": "Village centres with 3G/4G",
            "value": 99.8, "unit": "%", "numerator": 552, "denominator": 553,
            "denominator_label": "of village centres", "published": "97.8%",
            "published_source": "Provincial report (old Lào Cai, 2023)"}
    return Indicator(**{**base, **kw})


def test_published_figures_in_each_language() -> None:
    assert format_published("97.8%", "vi") == "97,8 %"
    assert format_published("97.8%", "en") == "97.8 %"
    assert format_published("6–10%", "vi") == "6–10 %"
    assert format_published("2962", "vi") == "2.962"
    assert format_published(None, "vi") is None
    assert format_published("n/a", "en") == "n/a"


def test_indicator_label_has_denominator_and_published_figure() -> None:
    vi = indicator_texts(_indicator(), "vi", "4G")
    assert vi.label == "Thôn, bản có sóng 3G/4G (552/553 thôn, bản)"
    assert vi.name == "Thôn, bản có sóng 3G/4G" and vi.counts == "552/553 thôn, bản"
    assert vi.value == "99,8\u00a0%"  # a no-break space: a narrow cell never splits it
    assert vi.published == "97,8 %" and vi.published_note == "công bố: 97,8 %"
    assert "Provincial report" in vi.help
    en = indicator_texts(_indicator(), "en", "4G")
    assert en.label == "Village centres with 3G/4G (552/553 villages)"
    assert en.published_note == "published: 97.8 %"
    tech = indicator_texts(
        _indicator(key="points_tech", value=88.9, numerator=104, denominator=117,
                   published=None), "vi", "3G")
    assert tech.label == "Điểm hỗ trợ có sóng 3G (104/117 điểm)"
    assert tech.published is None and tech.published_note is None
    count = indicator_texts(
        _indicator(key="bts_sites", value=1248, unit="count", numerator=1248,
                   denominator=None, published=None), "vi", "4G")
    assert count.value == "1.248" and "50 m" in count.label


def test_a_percentage_without_a_denominator_shows_a_dash() -> None:
    empty = indicator_texts(_indicator(value=math.nan, numerator=0, denominator=0), "en", "4G")
    assert empty.value == "—"
