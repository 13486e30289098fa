"""Dashboard pieces without a running app: tables, charts, file names,
controls, the safe JSON of the map and the terrain download messages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from branca.element import Figure
from shapely.geometry import Point

from analysis.selection import Selection
from ui import cache
from ui.map.elements import RawRender, script_json
from ui.pages.planner import charts, dashboard, tables
from ui.sidebar import Controls, threshold_options


def _points() -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    points = gpd.GeoDataFrame(
        {"point_id": ["P1", "P2"], "name": ["Điểm A", "<b>B</b>"],
         "point_type": ["commune", "village"], "district": ["Bát Xát", "Sa Pa"],
         "commune_2025": ["Xã Y Tý", "Phường Sa Pa"], "village_id": [None, None]},
        geometry=[Point(103.6, 22.6), Point(103.8, 22.3)], crs="EPSG:4326")
    table = pd.DataFrame({
        "best_technology": ["4G", "none"], "best_signal_dbm": [-95.0, np.nan],
        "servers": [2, 0], "serving_operator": ["Viettel", None],
        "serving_distance_m": [800.0, np.nan], "reason": ["", "out_of_range"],
        "shadow_db": [np.nan, np.nan], "fibre": [True, False],
        "fibre_distance_m": [100.0, 9000.0]}, index=points.index)
    return points, table


def test_points_frame_is_translated_with_plain_reasons() -> None:
    points, table = _points()
    vi = tables.points_frame(points, table, "vi", technology="4G", threshold=-110.0)
    assert list(vi["Trạng thái sóng"]) == ["Có 4G/5G", "Không có sóng"]
    assert vi["Đánh giá"][1].startswith("Ngoài vùng phủ")
    assert list(vi["Cáp quang trong tầm"]) == ["Có", "Không"]
    assert vi["Tên"][1] == "<b>B</b>"  # st.dataframe shows text, never HTML
    assert list(vi["_gap"]) == [False, True]
    en = tables.points_frame(points, table, "en", technology="3G", threshold=-100.0)
    assert "Best 3G signal (dBm)" in en.columns and en["Service"][0] == "4G/5G"


def test_lost_frame_lists_points_and_villages() -> None:
    points, _ = _points()
    villages = gpd.GeoDataFrame({"village_id": ["V9"], "name": ["Thôn X"],
                                 "commune_2025": ["Xã Y Tý"]},
                                geometry=[Point(103.7, 22.5)], crs="EPSG:4326")
    lost = tables.lost_frame([(points, pd.DataFrame({"had": ["2G,3G"]}, index=[1]), "points"),
                                 (villages, pd.DataFrame({"had": ["2G"]}, index=[0]),
                                  "villages")], "vi")
    assert list(lost["Loại"]) == ["Điểm hỗ trợ", "Thôn, bản"]
    assert list(lost["Mã"]) == ["P2", "V9"] and list(lost["Đang có sóng"]) == ["2G, 3G", "2G"]
    assert tables.lost_frame([], "en").empty


def test_communes_frame_in_percent() -> None:
    stats = pd.DataFrame({"code": ["1"], "name": ["Xã A"], "population": [1000],
                          "area_km2": [10.0], "area_share": [0.5], "population_share": [0.9],
                          "population_without_service": [100.0],
                          "population_basis": ["villages"], "area_share_Viettel": [0.25],
                          "points": [2], "points_in_gap": [1], "villages": [3],
                          "villages_in_gap": [0]})
    frame = tables.communes_frame(stats, "vi", technology="4G")
    assert frame["Diện tích có sóng 4G (%)"][0] == pytest.approx(50.0)
    assert frame["Viettel (% diện tích)"][0] == pytest.approx(25.0)
    assert frame["Cách ước tính dân số"][0] == "theo thôn, bản"
    stats["investment_area"] = ["extremely_difficult"]
    frame = tables.communes_frame(stats, "en", technology="4G")
    assert frame["Investment area (QĐ 2167/2026)"][0] == "Extremely difficult"


def test_download_file_names_carry_the_date() -> None:
    assert dashboard.file_name("geojson", date(2026, 11, 30), "yenbai") == \
        "lo-hong-phu-song_yenbai_2026-11-30.geojson"
    assert [f for f, _, _ in dashboard.DOWNLOAD_FORMATS] == ["geojson", "gpkg", "csv", "kml"]


def test_charts() -> None:
    _, table = _points()
    counts = charts.status_counts(table, table.iloc[[1]])
    assert counts.loc["4g", "points"] == 1 and counts.loc["none", "villages"] == 1
    fig = charts.status_chart(table, table, "vi")
    assert [tr.name for tr in fig.data] == ["Có 4G/5G", "Chỉ đến 3G", "Chỉ có 2G",
                                            "Không có sóng"]
    assert fig.layout.separators == ",."
    communes = pd.DataFrame({"name": ["A", "B"], "area_share": [0.9, 0.2],
                             "population_share": [1.0, 0.5]})
    fig = charts.commune_share_chart(communes, "en", "4G")
    assert list(fig.data[0].y) == ["B", "A"]  # least covered first
    sites = pd.DataFrame({"operator": ["Viettel", "Viettel", "MobiFone"],
                          "technology": ["4G", "2G", "4G"]})
    fig = charts.sites_chart(sites, "vi")
    assert list(fig.data[0].x) == ["Viettel", "MobiFone"]


def test_controls_selection_and_thresholds() -> None:
    assert -110 in threshold_options("4G") and -95 in threshold_options("2G")
    controls = Controls(lang="vi", selection=Selection("3G", ("Viettel",), -105.0, 500.0))
    assert controls.selection.thresholds == (("3G", -105.0),)
    assert controls.selection.threshold == -105.0
    assert controls.operators_label() == "Viettel"
    assert Selection().thresholds == () and Selection().threshold == -110.0
    assert Selection("3G").replace(fibre_reach_m=0.0) == Selection("3G", fibre_reach_m=0.0)
    assert Controls(lang="en").operators_label() == "all operators"
    hash(controls.selection)  # a cache key


def test_script_json_cannot_close_the_script_or_open_a_template_tag() -> None:
    text = script_json({"q": "</script>{{ 1+1 }}{% x %}{# c #}&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "{{" not in text and "{%" not in text and "{#" not in text
    import json
    assert json.loads(text) == {"q": "</script>{{ 1+1 }}{% x %}{# c #}&"}


def test_raw_render_does_not_compile_output_as_a_template() -> None:
    from branca.element import Template

    class Probe(RawRender):
        _template = Template("{% macro script(this, kwargs) %}{{ this.text }}{% endmacro %}")

        def __init__(self) -> None:
            super().__init__()
            self.text = "var x = '{{ 6*7 }}';"

    figure = Figure()
    figure.add_child(Probe())
    page = figure.render()
    assert "'{{ 6*7 }}'" in page and "42" not in page


def test_terrain_download_failure_is_explained(tmp_path: Path) -> None:
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        from geo.dem import DemDownloadError
        from ui.terrain import download_tiles

        def offline(*args: object, **kwargs: object) -> list:
            kwargs["on_progress"](1_000_000, 4_000_000, "Copernicus_DSM_COG_30_N22_00_E103_00")
            raise DemDownloadError("cannot reach https://example.invalid: no network")

        download_tiles("vi", 90, fetch=offline)

    at = AppTest.from_function(page, default_timeout=30).run()
    assert not at.exception
    assert at.error[0].value.startswith("Không tải được dữ liệu địa hình")
    assert "no network" in at.error[0].value


def test_terrain_download_success_reads_the_tiles(tmp_path: Path) -> None:
    """A fake download of one coarse tile over the study area: progress, then success."""
    import rasterio
    from rasterio.transform import from_origin
    from streamlit.testing.v1 import AppTest

    tile = tmp_path / "tile.tif"
    data = np.full((130, 150), 500.0, np.float32)
    with rasterio.open(tile, "w", driver="GTiff", height=130, width=150, count=1,
                       dtype="float32", crs="EPSG:4326",
                       transform=from_origin(103.3, 23.1, 0.01, 0.01)) as dst:
        dst.write(data, 1)

    def page(path: str) -> None:
        from pathlib import Path

        from ui.terrain import download_tiles

        def fake(*args: object, **kwargs: object) -> list:
            kwargs["on_progress"](500, 1000, "tile")
            return [Path(path)]

        paths = download_tiles("en", 90, fetch=fake)
        import streamlit as st
        st.write(f"paths={len(paths or [])}")

    at = AppTest.from_function(page, default_timeout=60, args=(str(tile),)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert at.markdown[-1].value == "paths=1"


def test_the_data_key_looks_for_the_areas_own_terrain(tmp_path, monkeypatch) -> None:
    """Tiles downloaded for old Lào Cai (four) are its terrain when it is the study area."""
    from geo.dem_fetch import area_tiles, copernicus_tile_name

    monkeypatch.setenv("LAOCAI_CACHE", str(tmp_path))
    (tmp_path / "dem").mkdir()
    for lat, lon in area_tiles("laocai"):
        name = copernicus_tile_name(lat, lon, 90)
        (tmp_path / "dem" / f"{name}.tif").write_bytes(b"II*\x00" + bytes(16))
    assert len(cache.data_key(area="laocai").terrain) == 4
    assert cache.data_key(area="province").terrain == ()
