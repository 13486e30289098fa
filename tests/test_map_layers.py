"""The folium map built from tiny inline layers: names, escaping, styles, size."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from ui.i18n import t
from ui.map_layers import (
    LAYER_ORDER,
    OPERATOR_COLOURS,
    build_map,
    feature_collection,
    layer_name,
    legend_html,
)

XSS = "<img src=x onerror=alert(1)>"
WGS84 = "EPSG:4326"


def _square(x: float, y: float, d: float = 0.05) -> Polygon:
    return Polygon([(x, y), (x + d, y), (x + d, y + d), (x, y + d)])


def _layers(point_name: str = XSS) -> dict[str, gpd.GeoDataFrame]:
    communes = gpd.GeoDataFrame(
        {"code": ["02647", "02650"], "name": ["Lào Cai", "Y Tý"],
         "full_name": ["Phường Lào Cai", "Xã Y Tý"], "population": [76981, 12345],
         "source": ["official", "official"]},
        geometry=[MultiPolygon([_square(104.0, 22.4)]), MultiPolygon([_square(103.6, 22.6)])],
        crs=WGS84,
    )
    old_province = gpd.GeoDataFrame(
        {"name": ["Tỉnh Lào Cai cũ (trước 2025)"], "source": ["official"]},
        geometry=[_square(103.5, 21.8, 1.0)], crs=WGS84,
    )
    points = gpd.GeoDataFrame(
        {"point_id": ["P001", "P002"], "name": [point_name, "Điểm hỗ trợ Xã Y Tý"],
         "point_type": ["commune", "village"], "district_code": ["082", "082"],
         "district": ["Bát Xát", "Bát Xát"], "commune_code_2020": ["02650", "02650"],
         "commune_2020": ["Xã Y Tý", "Xã Y Tý"], "village": [None, "Thôn Mò Phú Chải"],
         "commune_code_2025": ["02650", "02650"], "commune_2025": ["Xã Y Tý", "Xã Y Tý"],
         "location": ["illustrative", "commune_centre"],
         "source": ["illustrative", "illustrative"]},
        geometry=[Point(103.61, 22.61), Point(103.62, 22.62)], crs=WGS84,
    )
    operators = ["Viettel", "VinaPhone", "MobiFone", "Vietnamobile", "<b>Evil</b>"]
    sites = gpd.GeoDataFrame(
        {"site_id": [f"S{i}" for i in range(5)], "operator": operators,
         "technology": ["4G", "4G", "3G", "2G", "4G"], "band_mhz": [1800.0] * 5,
         "lon": [104.0 + i / 100 for i in range(5)], "lat": [22.3] * 5,
         "height_m": [35.0] * 5, "eirp_dbm": [60.0] * 5, "source": ["illustrative"] * 5},
        geometry=[Point(104.0 + i / 100, 22.3) for i in range(5)], crs=WGS84,
    )
    routes = gpd.GeoDataFrame(
        {"route_id": ["R1", "R2"], "operator": ["VNPT", "Viettel"],
         "kind": ["backbone", "access"], "source": ["illustrative", "illustrative"]},
        geometry=[LineString([(104.0, 22.4), (104.1, 22.5)]),
                  LineString([(104.1, 22.5), (104.123456789, 22.55)])],
        crs=WGS84,
    )
    nodes = gpd.GeoDataFrame(
        {"node_id": ["N1"], "operator": ["VNPT"], "kind": ["pop"], "source": ["illustrative"]},
        geometry=[Point(104.0, 22.4)], crs=WGS84,
    )
    villages = gpd.GeoDataFrame(
        {"village_id": ["V1"], "name": ["Thôn Mò Phú Chải"], "commune_code_2025": ["02650"],
         "commune_2025": ["Xã Y Tý"], "population": [1500], "source": ["illustrative"]},
        geometry=[Point(103.63, 22.63)], crs=WGS84,
    )
    masts = gpd.GeoDataFrame(
        {"name": ["Tháp Truyền hình Lào Cai", None], "man_made": ["tower", "mast"],
         "osm_id": [4130687673, 1], "telecom": [True, True], "source": ["osm", "osm"]},
        geometry=[Point(103.967561, 22.490842), Point(104.2, 22.2)], crs=WGS84,
    )
    return {"communes": communes, "old_province": old_province, "points": points,
            "sites": sites, "fibre_routes": routes, "fibre_nodes": nodes,
            "villages": villages, "osm_masts": masts}


def _decoded(html_text: str) -> str:
    """The page with JSON's \\uXXXX escapes decoded: the strings as the browser's JS sees them."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html_text)


def _render(lang: str, **kwargs: object) -> str:
    m = build_map(_layers(**kwargs), lang)
    assert isinstance(m, folium.Map)
    return _decoded(m.get_root().render())


@pytest.fixture(scope="module")
def page_vi() -> str:
    return _render("vi")


@pytest.fixture(scope="module")
def page_en() -> str:
    return _render("en")


def test_layer_names_in_vietnamese(page_vi: str) -> None:
    for name in ("Xã, phường (2025)", "Ranh giới tỉnh Lào Cai cũ", "Điểm hỗ trợ (minh họa)",
                 "Trạm BTS (minh họa)", "Tuyến cáp quang (minh họa)",
                 "Nút cáp quang (minh họa)", "Thôn, bản (minh họa)",
                 "Cột ăng-ten OpenStreetMap (tham khảo)"):
        assert f'"{name}"' in page_vi, name
    assert "Chú giải" in page_vi  # legend title
    assert "Bản đồ nền OpenStreetMap" in page_vi


def test_layer_names_in_english(page_en: str) -> None:
    for name in ("Communes and wards (2025)", "Boundary of the former Lào Cai province",
                 "Support points (illustrative)", "BTS sites (illustrative)",
                 "Fibre routes (illustrative)", "Fibre nodes (illustrative)",
                 "OpenStreetMap masts (reference)"):
        assert f'"{name}"' in page_en, name
    assert "Legend" in page_en
    assert "Trạm BTS" not in page_en


def test_illustrative_suffix_only_on_illustrative_layers(page_vi: str) -> None:
    layers = _layers()
    assert layer_name("points", layers["points"], "vi") == "Điểm hỗ trợ (minh họa)"
    assert layer_name("sites", layers["sites"], "en") == "BTS sites (illustrative)"
    assert layer_name("communes", layers["communes"], "vi") == "Xã, phường (2025)"
    assert "Xã, phường (2025) (minh họa)" not in page_vi
    assert "Cột ăng-ten OpenStreetMap (tham khảo) (minh họa)" not in page_vi


def test_xss_name_is_escaped(page_vi: str, page_en: str) -> None:
    for page in (page_vi, page_en):
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<img src=x" not in page
        assert "&lt;b&gt;Evil&lt;/b&gt;" in page  # operator name in tooltip and legend
        assert "<b>Evil</b>" not in page


def test_xss_also_escaped_in_the_raw_html() -> None:
    raw = build_map(_layers(), "vi").get_root().render()
    assert "<img src=x" not in raw


def test_escape_covers_quotes_and_ampersands() -> None:
    page = _render("vi", point_name='Bản "A" & <B>')
    assert "Bản &quot;A&quot; &amp; &lt;B&gt;" in page
    assert '"Bản "A"' not in page


def test_operator_colours_differ(page_vi: str) -> None:
    colours = [OPERATOR_COLOURS[op] for op in ("Viettel", "VinaPhone", "MobiFone", "Vietnamobile")]
    assert len(set(colours)) == 4
    for colour in colours:
        assert colour in page_vi
    legend = legend_html(_layers(), "vi")
    for op in ("Viettel", "VinaPhone", "MobiFone", "Vietnamobile"):
        assert op in legend


def test_point_popup_fields_translated(page_vi: str, page_en: str) -> None:
    for label in ("Loại điểm", "Huyện (2020)", "Xã (2020)", "Xã, phường (2025)",
                  "Cách xác định vị trí", "Nguồn dữ liệu"):
        assert label in page_vi, label
    assert "Xã khu vực III" in page_vi and "Thôn đặc biệt khó khăn" in page_vi
    assert "Region-III commune" in page_en and "Extremely difficult village" in page_en
    assert "Dữ liệu minh họa" in page_vi and "Illustrative data" in page_en


def test_population_has_thousands_separator(page_vi: str, page_en: str) -> None:
    assert '"76.981"' in page_vi
    assert '"76,981"' in page_en


def test_canvas_controls_and_plugins(page_vi: str) -> None:
    assert "preferCanvas" in page_vi and '"preferCanvas": true' in page_vi
    assert "L.control.layers" in page_vi
    assert "L.control.fullscreen" in page_vi and "Toàn màn hình" in page_vi
    assert "L.Control.Measure" in page_vi
    assert "tile.openstreetmap.org" in page_vi
    assert "L.CircleMarker" in page_vi
    assert "dashArray" in page_vi


def test_coordinates_rounded() -> None:
    fc = feature_collection(_layers()["fibre_routes"], {})
    coords = fc["features"][1]["geometry"]["coordinates"]
    assert coords[-1][0] == pytest.approx(104.12346)
    assert all(len(repr(c).split(".")[1]) <= 5 for xy in coords for c in xy)
    assert [f["id"] for f in fc["features"]] == [0, 1]


def test_missing_or_empty_layers_are_skipped() -> None:
    layers = _layers()
    page = _decoded(build_map({"communes": layers["communes"],
                               "sites": layers["sites"].iloc[0:0]}, "vi").get_root().render())
    assert "Xã, phường (2025)" in page
    assert "Trạm BTS" not in page
    empty = build_map({}, "en").get_root().render()
    assert "L.control.layers" in empty


def test_unknown_layer_key_raises() -> None:
    with pytest.raises(ValueError, match="unknown layer"):
        build_map({"roads": _layers()["sites"]}, "vi")


def test_layer_order_covers_all_builders() -> None:
    assert set(LAYER_ORDER) == set(_layers())
    assert LAYER_ORDER[-1] == "points"  # the support points are drawn on top


def test_legend_is_translated() -> None:
    assert t("legend.sites", "vi") == "Trạm BTS theo nhà mạng"
    assert "Trạm BTS theo nhà mạng" in legend_html(_layers(), "vi")
    assert "BTS sites by operator" in legend_html(_layers(), "en")
