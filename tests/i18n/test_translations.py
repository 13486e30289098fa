"""The translation table: complete, non-empty, NFC Vietnamese, and t() fails loudly."""

from __future__ import annotations

from geo.settings import SETTINGS
from i18n import DEFAULT_LANGUAGE, LANGUAGES, format_float, format_int
from i18n.translator import t


def test_default_language_is_vietnamese() -> None:
    assert DEFAULT_LANGUAGE == SETTINGS.app.default_language == "vi"
    assert set(LANGUAGES) == {"vi", "en"}


def test_vietnamese_has_diacritics() -> None:
    assert t("vi", "BTS sites") == "Trạm BTS"
    assert t("vi", "Support points") == "Điểm hỗ trợ"
    assert t("vi", "Fibre routes") == "Tuyến cáp quang"
    assert t("vi", "Boundary of the former Lào Cai province") == "Ranh giới tỉnh Lào Cai cũ"
    assert t("vi", "Illustrative data") == "Dữ liệu minh họa"
    assert t("vi", "(illustrative)") == "(minh họa)"
    assert t("en", "(illustrative)") == "(illustrative)"


def test_formatting() -> None:
    text = t("en", "Could not load the layer {layer}: {detail}", layer="BTS sites",
             detail="file not found.")
    assert text == "Could not load the layer BTS sites: file not found."
    assert "Trạm BTS" in t("vi", "Could not load the layer {layer}: {detail}",
                           layer="Trạm BTS", detail="x")


def test_number_formats() -> None:
    assert format_int(76981, "vi") == "76.981"
    assert format_int(76981, "en") == "76,981"
    assert format_int(999, "vi") == "999"
    assert format_float(1234.5, "vi") == "1.234,5"
    assert format_float(1234.5, "en") == "1,234.5"


def test_new_vietnamese_texts_have_diacritics() -> None:
    assert t("vi", "No service") == "Không có sóng"
    assert t("vi", "usable") == "dùng được"
    assert t("vi", "Download GeoJSON") == "Tải GeoJSON"
    assert t("vi", "published: {value}", value="97,8 %") == "công bố: 97,8 %"
    assert t("en", "**Terrain not loaded:** coverage is computed as if the ground were flat, so it "
                   "is optimistic in the mountains.").startswith("**Terrain not loaded:**")


def test_formatters_doctests() -> None:
    import doctest

    import i18n

    assert doctest.testmod(i18n).failed == 0


def test_the_province_and_its_crs_zone_come_from_the_settings(monkeypatch) -> None:
    """Another province is a settings change: the catalog holds placeholders, not names."""
    from i18n import translator

    assert t("vi", "{province} connectivity planner") == "Quy hoạch hạ tầng viễn thông Lào Cai"
    assert "Lào Cai" not in t("vi", "Mobile and fibre connectivity planner, {province} province",
                              province="Hà Giang")
    monkeypatch.setitem(translator.SETTINGS_PLACEHOLDERS, "{province}", "Hà Giang")
    monkeypatch.setitem(translator.SETTINGS_PLACEHOLDERS, "{meridian}", "105°30'")
    assert t("en", "{province} connectivity planner") == "Hà Giang connectivity planner"
    text = t("vi", "Coordinates read as VN-2000 metres, TM-3 zone {meridian} ({metric_crs}).")
    assert text == "Tọa độ đọc theo VN-2000, múi 3° kinh tuyến trục 105°30' (EPSG:9208)."
    assert t("en", "{{ 6*7 }}") == "{{ 6*7 }}"  # messages without placeholders stay as they are
