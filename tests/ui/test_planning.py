"""The site-planning page and the briefing button, run headless with AppTest.

The page is run through a two-line script that calls ``ui.pages.planning.render`` (AppTest's
``switch_page`` only reaches file pages, and the app's pages are functions); the briefing
runs through ``app.py`` itself. One AppTest session is shared by the page tests (each
interaction reruns the page, ≈0.3–1 s once the analysis is cached), with the coverage
cache of the other app tests and a workspace of this module's own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.crs import transform
from geo.settings import ROOT, SETTINGS
from i18n.translator import t

# A support point in a 4G gap in the bundled sample (Xã Trung Lèng Hồ).
GAP_POINT = (103.700627, 22.408504)

pytestmark = pytest.mark.skipif(
    not (ROOT / "data" / "sample" / "points.geojson").exists(),
    reason="data/sample/points.geojson is missing: run `python -m geo.sample` first",
)


def _page() -> None:
    from ui.pages.planning import render
    from ui.widgets import language_switch

    render(language_switch())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """This module's workspace, and the coverage cache every app test shares."""
    path = tmp_path_factory.mktemp("plan-ws") / "workspace.gpkg"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAOCAI_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
        mp.setenv("LAOCAI_WORKSPACE", str(path))
        yield path


@pytest.fixture(autouse=True)
def _this_workspace(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(workspace))


@pytest.fixture(scope="module")
def page(workspace: Path):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_page, default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _type(at, first: float, second: float):
    at.number_input(key="plan_first").set_value(first)
    at.number_input(key="plan_second").set_value(second)
    return at


def _table(at, *columns: str):
    """The first table with all these (translated) column headers."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def _proposed(at) -> list[str]:
    whatif = at.session_state["plan_state"].whatif
    return [site["site_id"] for site in whatif.proposed.values()]


def _clear(at) -> None:
    """Delete every proposed site (the button is in the proposed-sites section)."""
    if _proposed(at):
        section = at.radio(key="plan_section").value
        at.radio(key="plan_section").set_value("proposed").run()
        at.button(key="plan_clear").click().run()
        _ok(at)
        at.radio(key="plan_section").set_value(section).run()
    assert _proposed(at) == []


def test_typed_wgs84_adds_a_site_and_shows_the_gains(page) -> None:
    _clear(page)
    _type(page, *GAP_POINT).run()
    _ok(page)
    read = t("vi", "Coordinates read as WGS84 longitude/latitude.").rstrip(".")
    assert any(c.value.startswith(read) and "103.70063, 22.40850" in c.value
               for c in page.caption)
    page.button(key="plan_add").click().run()
    _ok(page)
    assert len(_proposed(page)) == 1
    assert any(toast.value.startswith("Đã thêm trạm DX") for toast in page.toast)
    points = next(m for m in page.metric
                  if m.label.startswith(t("vi", "Support points with {technology}",
                                          technology="4G")))
    assert points.delta.startswith("+1 ")  # the point in the gap is now covered
    gains = _table(page, t("vi", "Code"), t("vi", "Support points newly covered"))
    assert gains[t("vi", "Support points newly covered")].sum() >= 1
    assert "Xã Mường Hum" in set(gains[t("vi", "Commune (2025)")])


def test_a_site_outside_the_province_is_refused(page) -> None:
    before = _proposed(page)
    _type(page, 105.5, 21.6).run()  # Phú Thọ: beyond today's province (the default area)
    page.button(key="plan_add").click().run()
    _ok(page)
    assert _proposed(page) == before
    assert any(e.value.startswith("Không thêm được trạm tại 105.50000, 21.60000")
               and t("vi", "the position is outside the study area ({area}). Choose a point "
                           "inside it, or another study area in the sidebar.",
                     area="Toàn tỉnh Lào Cai (từ 1/7/2025)") in e.value for e in page.error)


def test_vn2000_metres_are_recognised(page) -> None:
    x, y = transform([GAP_POINT[0]], [GAP_POINT[1]], SETTINGS.crs.display, SETTINGS.crs.metric)
    _type(page, round(float(y[0]), 2), round(float(x[0]), 2)).run()  # X = northing first
    _ok(page)
    read = t("vi", "Coordinates read as VN-2000 metres, TM-3 zone {meridian} ({metric_crs}), X = "
                   "northing.").rstrip(".")
    assert any(c.value.startswith(read) and "103.70063, 22.40850" in c.value
               for c in page.caption)
    page.button(key="plan_add").click().run()
    _ok(page)
    site = list(page.session_state["plan_state"].whatif.proposed.values())[-1]
    assert abs(site["lon"] - GAP_POINT[0]) < 1e-5 and abs(site["lat"] - GAP_POINT[1]) < 1e-5


def test_a_map_click_adds_a_site(page) -> None:
    before = len(_proposed(page))
    page.session_state["plan_map"] = {"last_clicked": {"lat": 22.473, "lng": 103.585}}
    page.run()
    _ok(page)
    assert len(_proposed(page)) == before + 1
    assert page.session_state["plan_first"] == 103.585  # the inputs show the click


def test_optimisation_with_k_2(page) -> None:
    page.radio(key="plan_section").set_value("optimise").run()
    assert not any(m.label.startswith(t("vi", "Support points with {technology}", technology="4G"))
                   for m in page.metric)  # one section at a time
    page.number_input(key="plan_k").set_value(2)
    page.button(key="plan_run_button").click().run()
    _ok(page)
    chosen = _table(page, t("vi", "Rank"))
    assert list(chosen[t("vi", "Rank")]) == [1, 2]
    assert (chosen[t("vi", "Score added")] > 0).all()
    assert any("đạt ít nhất" in i.value and "%" in i.value for i in page.info)
    before = len(_proposed(page))
    page.button(key="plan_copy").click().run()
    _ok(page)
    assert len(_proposed(page)) == before + 2
    page.radio(key="plan_section").set_value("proposed").run()


def test_scenario_save_reload_and_compare(page, workspace: Path) -> None:
    _clear(page)
    _type(page, *GAP_POINT)
    page.button(key="plan_add").click().run()
    saved = _proposed(page)
    page.radio(key="plan_section").set_value("scenarios").run()
    page.text_input(key="plan_scenario_name").input("Phương án A").run()
    page.button(key="plan_scenario_save").click().run()
    _ok(page)
    assert any("Phương án A" in s.value for s in page.success)
    assert workspace.is_file()
    from geo.workspace import Workspace

    assert Workspace(workspace).current_paths() == {}  # still a valid, empty workspace
    _clear(page)
    page.selectbox(key="plan_scenario_pick").set_value("Phương án A")
    page.button(key="plan_scenario_load").click().run()
    _ok(page)
    assert _proposed(page) == saved
    # a second scenario, then both side by side
    page.text_input(key="plan_scenario_name").input("Phương án B").run()
    page.button(key="plan_scenario_save").click().run()
    page.multiselect(key="plan_scenario_compare").set_value(["Phương án A", "Phương án B"]).run()
    _ok(page)
    table = _table(page, t("vi", "Sites left out"))
    assert list(table[t("vi", "Scenario")]) == ["Phương án A", "Phương án B"]
    assert list(table[t("vi", "Support points newly covered")]) == [1, 1]
    assert page.get("download_button")  # GeoJSON and CSV of the current sites


def test_briefing_button_makes_a_pdf(workspace: Path) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    _ok(at)
    assert os.environ["LAOCAI_WORKSPACE"] == str(workspace)
    assert at.button(key="briefing_make").label == "Tạo báo cáo nhanh"
    at.button(key="briefing_make").click().run()
    _ok(at)
    files = at.session_state["briefing_files"]
    assert files["pdf"].startswith(b"%PDF")
    assert "<html lang='vi'>" in files["html"]
    assert {b.proto.id for b in at.get("download_button")}  # PDF and HTML offered


# --- the page's pure helpers (no Streamlit run) -------------------------------------------------

def test_refusals_and_optimiser_messages_are_translated_from_their_codes() -> None:
    from geo.errors import DataError, Notice
    from ui.pages.planning.texts import plan_message, refusal_text

    text = refusal_text(DataError("antenna height (height_m) must be between 0 and 200; "
                                  "found 350.0.", code="out_of_range",
                                  params={"column": "height_m", "low": "0", "high": "200",
                                          "found": 350.0}), "vi")
    assert text == "Độ cao anten (m) phải từ 0 đến 200 (đã nhập 350\\.0)."
    assert refusal_text(DataError("site stands on a terrain cell with no data.",
                                  code="no_terrain_data"), "en") == \
        t("en", "the terrain has no data at this position. Move the site a little.")
    assert refusal_text(DataError("something *new*"), "en") == "something \\*new\\*"
    assert plan_message(Notice.of("K = {k} … {n}", "clipped", k=12, n=9), "vi") == \
        "K = 12 lớn hơn số vị trí thử (9): chỉ chọn 9."
    assert plan_message(Notice.of("{e} of {n} …", "evaluated", e=1234, n=5678), "vi") \
        .startswith("Đã tính theo địa hình 1.234 trên 5.678 vị trí thử")
    assert plan_message(Notice("new_code", "as is"), "vi") == "as is"


def test_new_sites_on_the_map_are_escaped() -> None:
    import folium
    import pandas as pd

    from ui.map.layers import new_sites_layer

    sites = pd.DataFrame([{"site_id": "{{ 7*7 }}", "operator": "</script><b>x</b>",
                           "technology": "4G", "height_m": 40.0, "eirp_dbm": 60.0,
                           "lon": 103.7, "lat": 22.4, "rank": 1}])
    m = folium.Map()
    group = folium.FeatureGroup()
    group.add_child(new_sites_layer(sites, "vi", planned=True))
    group.add_to(m)
    data = m.get_root().render().split("laocai.layer(")[-1]
    # HTML-escaped (braces as entities), then JSON with <, > and & as \u escapes
    assert "\\u0026#123;\\u0026#123; 7*7 \\u0026#125;\\u0026#125;" in data
    assert "\\u0026lt;/script\\u0026gt;\\u0026lt;b\\u0026gt;x" in data
    assert "{{" not in data and "</script><b>" not in data
