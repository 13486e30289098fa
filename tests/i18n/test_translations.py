"""The translation table: complete, non-empty, NFC Vietnamese, and t() fails loudly."""

from __future__ import annotations

import string
import unicodedata

import pytest

from geo.settings import ROOT, SETTINGS
from i18n import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS, format_float, format_int, t


def test_default_language_is_vietnamese() -> None:
    assert DEFAULT_LANGUAGE == SETTINGS.app.default_language == "vi"
    assert set(LANGUAGES) == {"vi", "en"}


@pytest.mark.parametrize("key", sorted(TRANSLATIONS))
def test_every_key_has_both_languages_and_no_empty_text(key: str) -> None:
    entry = TRANSLATIONS[key]
    assert set(entry) == set(LANGUAGES), key
    for lang, text in entry.items():
        assert isinstance(text, str) and text.strip(), (key, lang)


@pytest.mark.parametrize("key", sorted(TRANSLATIONS))
def test_text_is_nfc_and_placeholders_match(key: str) -> None:
    entry = TRANSLATIONS[key]
    for text in entry.values():
        assert unicodedata.normalize("NFC", text) == text, key
    fields = {
        lang: {name for _, name, _, _ in string.Formatter().parse(text) if name}
        for lang, text in entry.items()
    }
    assert fields["vi"] == fields["en"], key


def test_vietnamese_has_diacritics() -> None:
    assert t("layer.sites", "vi") == "Trạm BTS"
    assert t("layer.points", "vi") == "Điểm hỗ trợ"
    assert t("layer.fibre_routes", "vi") == "Tuyến cáp quang"
    assert t("layer.old_province", "vi") == "Ranh giới tỉnh Lào Cai cũ"
    assert t("value.source.illustrative", "vi") == "Dữ liệu minh họa"
    assert t("layer.illustrative_suffix", "vi") == "(minh họa)"
    assert t("layer.illustrative_suffix", "en") == "(illustrative)"


def test_default_language_argument() -> None:
    assert t("layer.sites") == t("layer.sites", "vi")


def test_formatting() -> None:
    text = t("message.layer_missing", "en", layer="BTS sites", detail="file not found.")
    assert text == "Could not load the layer BTS sites: file not found."
    assert "Trạm BTS" in t("message.layer_missing", "vi", layer="Trạm BTS", detail="x")


def test_unknown_key_or_language_raises() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "vi")
    with pytest.raises(KeyError):
        t("layer.sites", "fr")


def test_number_formats() -> None:
    assert format_int(76981, "vi") == "76.981"
    assert format_int(76981, "en") == "76,981"
    assert format_int(999, "vi") == "999"
    assert format_float(1234.5, "vi") == "1.234,5"
    assert format_float(1234.5, "en") == "1,234.5"


def test_every_literal_key_used_by_the_app_exists() -> None:
    """Every ``t("key", ...)`` in the app's code (app.py, ui/, report code) names a key."""
    import re

    files = [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py")),
             *sorted((ROOT / "analysis").rglob("*.py"))]
    if (ROOT / "report").is_dir():
        files += sorted((ROOT / "report").rglob("*.py"))
    used = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\b(?:t|_label)\(\s*"([a-z0-9_.]+)\"""", text))
    assert len(used) > 300
    missing = sorted(k for k in used if k not in TRANSLATIONS)
    assert not missing, missing


def test_new_vietnamese_texts_have_diacritics() -> None:
    assert t("status.none", "vi") == "Không có sóng"
    assert t("signal.usable", "vi") == "dùng được"
    assert t("download.geojson", "vi") == "Tải GeoJSON"
    assert t("indicator.published", "vi", value="97,8 %") == "công bố: 97,8 %"
    assert t("warning.terrain_not_loaded", "en").startswith("**Terrain not loaded:**")


def test_formatters_doctests() -> None:
    import doctest

    import i18n

    assert doctest.testmod(i18n).failed == 0
