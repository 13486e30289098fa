"""The layer builders and the assembled map on tiny inline layers: names, escaping, styles,
popups, legend, layer files."""

from __future__ import annotations

import base64
import json
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from i18n.translator import t
from tests.ui.map.support import BUILDERS, build_map, layer_specs
from ui.map import layers as ML
from ui.map import registry
from ui.map.assemble import assemble_map, map_legend
from ui.map.elements import script_json
from ui.map.spec import LayerSpec, feature_collection, layer_name
from ui.map.style import OPERATOR_COLOURS, STATUS_COLOURS

XSS = "<img src=x onerror=alert(1)>"
POINTS_VI = "Điểm hỗ trợ QĐ 2541/QĐ-UBND, Lào Cai cũ (minh họa)"  # whose programme, said
POINTS_EN = "Support points of Decision 2541/QĐ-UBND, old Lào Cai (illustrative)"
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
    for name in ("Xã, phường (2025)", "Ranh giới tỉnh Lào Cai cũ", POINTS_VI,
                 "Trạm BTS (minh họa)", "Tuyến cáp quang (minh họa)",
                 "Nút cáp quang (minh họa)", "Thôn, bản (minh họa)",
                 "Cột ăng-ten OpenStreetMap (tham khảo)"):
        assert f'"{name}"' in page_vi, name
    assert "Chú giải" in page_vi  # legend title
    assert "Bản đồ nền OpenStreetMap" in page_vi


def test_layer_names_in_english(page_en: str) -> None:
    for name in ("Communes and wards (2025)", "Boundary of the former Lào Cai province",
                 POINTS_EN, "BTS sites (illustrative)",
                 "Fibre routes (illustrative)", "Fibre nodes (illustrative)",
                 "OpenStreetMap masts (reference)"):
        assert f'"{name}"' in page_en, name
    assert "Legend" in page_en
    assert "Trạm BTS" not in page_en


def test_illustrative_suffix_only_on_illustrative_layers(page_vi: str) -> None:
    assert layer_name("points", "vi", illustrative=True) == POINTS_VI
    assert layer_name("sites", "en", illustrative=True) == "BTS sites (illustrative)"
    assert layer_name("communes", "vi") == "Xã, phường (2025)"
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
    legend = map_legend(_specs("vi"), "vi")
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
    assert "L.Control.Search" in page_vi and "Tìm xã, phường hoặc điểm hỗ trợ" in page_vi
    assert "tile.openstreetmap.org" in page_vi
    assert "L.circleMarker" in page_vi  # canvas markers for the many points
    assert "laocai.layer(" in page_vi
    assert "dashArray" in page_vi


def test_coordinates_rounded() -> None:
    fc = feature_collection(_layers()["fibre_routes"], {})
    coords = fc["features"][1]["geometry"]["coordinates"]
    assert coords[-1][0] == pytest.approx(104.12346)
    assert all(len(repr(c).split(".")[1]) <= 5 for xy in coords for c in xy)
    assert [f["id"] for f in fc["features"]] == [0, 1]


def test_template_syntax_in_data_is_not_evaluated() -> None:
    """branca compiles rendered text as a Jinja template: data must never get there."""
    page = build_map(_layers(point_name="{{ 123457 * 3 }} {% if 1 %}x{% endif %}"),
                     "vi").get_root().render()
    assert "370371" not in page  # the expression was not evaluated
    decoded = _decoded(page)
    assert "&#123;&#123; 123457 * 3 &#125;&#125; &#123;% if 1 %&#125;" in decoded


def test_missing_or_empty_layers_are_skipped() -> None:
    layers = _layers()
    page = _decoded(build_map({"communes": layers["communes"],
                               "sites": layers["sites"].iloc[0:0]}, "vi").get_root().render())
    assert "Xã, phường (2025)" in page
    assert "Trạm BTS" not in page
    empty = build_map({}, "en").get_root().render()
    assert "L.control.layers" in empty


def test_file_layers_have_a_builder() -> None:
    assert set(BUILDERS) == set(_layers()) == set(registry.file_layers())


def _specs(lang: str) -> list[LayerSpec]:
    return layer_specs(_layers(), lang)


def test_legend_is_translated() -> None:
    assert t("vi", "BTS sites by operator") == "Trạm BTS theo nhà mạng"
    assert "Trạm BTS theo nhà mạng" in map_legend(_specs("vi"), "vi")
    assert "BTS sites by operator" in map_legend(_specs("en"), "en")
    legend = map_legend(_specs("vi"), "vi")
    assert "&lt;b&gt;Evil&lt;/b&gt;" in legend and "<b>Evil" not in legend
    # points first (what a planner reads first), boundaries after the infrastructure
    assert legend.index("Điểm hỗ trợ") < legend.index("Trạm BTS") < legend.index("Tỉnh Lào Cai cũ")


# --- support points with their assessment ---------------------------------------------------

def _assessment() -> pd.DataFrame:
    """An assessment table for the two points of :func:`_layers` (as analysis.gaps makes)."""
    return pd.DataFrame({
        "best_technology": ["none", "5G"],
        "best_signal_dbm": [np.nan, -115.9],
        "servers": [0, 0], "redundancy": ["0", "0"],
        "serving_site": [None, "VNP-4G-01447"], "serving_operator": [None, "VinaPhone"],
        "serving_distance_m": [np.nan, 4860.0],
        "signal_Viettel_dbm": [np.nan, np.nan], "signal_VinaPhone_dbm": [np.nan, -115.9],
        "nearest_Viettel_m": [25000.0, 5824.0], "nearest_Viettel_site": ["VTL-1", "VTL-2"],
        "reason": ["out_of_range", "terrain_shadow"], "shadow_db": [np.nan, 12.3],
        "fibre_distance_m": [5090.0, 40.0], "fibre": [False, True],
    })


def _popup_texts(spec: LayerSpec) -> tuple[list[dict], dict]:
    data = json.loads(_decoded(spec.data))
    options = json.loads(_decoded(spec.options))
    return [f["properties"] for f in data["features"]], options


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_point_popup_has_every_gap_field_in_plain_words(lang: str) -> None:
    points = _layers()["points"]
    spec = ML.points_spec(points, lang, _assessment(), technology="4G", threshold=-110.0)
    props, options = _popup_texts(spec)
    aliases = options["popup"]["aliases"]
    fields = options["popup"]["fields"]
    popup = {alias: props[1][field] for alias, field in zip(aliases, fields, strict=True)}
    if lang == "vi":
        assert popup["Trạng thái sóng (mọi công nghệ)"] == "Có 4G/5G (5G)"
        assert popup["Sóng 4G mạnh nhất"] == "−115,9 dBm (yếu)"
        assert popup["Đánh giá"].startswith("Bị núi che")
        assert "12,3 dB" in popup["Đánh giá"]
        assert popup["Cáp quang"] == "Có: cách 40 m (trong tầm 1.000 m)"
        assert popup["Trạm phục vụ"] == "VNP-4G-01447 (VinaPhone, 4.860 m)"
        assert "Viettel: 5.824 m (VTL-2)" in popup["Trạm gần nhất theo nhà mạng"]
        assert props[0]["f0"] == "&lt;img src=x onerror=alert(1)&gt;"  # escaped name
        reason0 = dict(zip(aliases, [props[0][f] for f in fields], strict=True))["Đánh giá"]
        assert reason0.startswith("Ngoài vùng phủ")
    else:
        assert popup["Service (any technology)"] == "4G/5G (5G)"
        assert popup["Best 4G signal"] == "−115.9 dBm (weak)"
        assert popup["Assessment"].startswith("Terrain shadow")
        assert popup["Fibre"] == "Yes: 40 m away (within 1,000 m)"
    assert options["popup"]["title"] == "f0"
    assert "fields" in options["tooltip"]


def test_point_symbols_follow_type_status_and_fibre() -> None:
    spec = ML.points_spec(_layers()["points"], "vi", _assessment())
    props, options = _popup_texts(spec)
    styles = options["styles"]
    first = styles[props[0].get("_s", 0)]["html"]
    second = styles[props[1].get("_s", 0)]["html"]
    assert "<circle" in first and STATUS_COLOURS["none"] in first  # commune, no service
    assert "stroke-dasharray" in first  # no fibre within reach: dashed ring
    assert "<polygon" in second and STATUS_COLOURS["4g"] in second  # village, 4G/5G
    assert "stroke-dasharray" not in second  # fibre: solid ring


def test_format_dbm() -> None:
    from i18n import format_dbm
    assert format_dbm(-110, "vi") == "−110,0 dBm"


# --- the other analysis layers ------------------------------------------------------------

def _stats() -> pd.DataFrame:
    return pd.DataFrame({"code": ["02650"], "name": ["Xã Y Tý"], "population": [12345],
                         "area_share": [0.734], "population_share": [0.912],
                         "points": [2], "points_in_gap": [1], "villages": [1],
                         "villages_in_gap": [0]})


def test_commune_tooltip_has_shares_and_points_in_gap() -> None:
    communes = _layers()["communes"]
    props, options = _popup_texts(ML.communes_spec(communes, "vi", _stats(), technology="3G"))
    tooltip = options["tooltip"]
    assert "Diện tích có sóng 3G" in tooltip["aliases"]
    assert "Dân số có sóng 3G" in tooltip["aliases"]
    row = dict(zip(tooltip["aliases"], [props[1][f] for f in tooltip["fields"]], strict=True))
    assert row["Diện tích có sóng 3G"] == "73,4\u00a0%"  # never split from its number
    assert row["Dân số có sóng 3G"] == "91,2\u00a0%"
    assert row["Điểm hỗ trợ trong vùng lõm"] == "1 / 2"
    outside = dict(zip(tooltip["aliases"], [props[0][f] for f in tooltip["fields"]],
                       strict=True))
    assert outside["Diện tích có sóng 3G"] == "ngoài vùng phân tích"


def test_choropleth_classes_and_legend() -> None:
    assert [ML.choropleth_class(v) for v in (0.1, 0.5, 0.85, 0.999, 1.0)] == [0, 1, 2, 5, 5]
    spec = ML.choropleth_spec(_layers()["communes"], _stats(), "en", technology="4G")
    props, options = _popup_texts(spec)
    assert len(props) == 1 and options["interactive"] is False  # study-area units only
    assert "≥ 99\u00a0%" in spec.legend and "&lt; 50\u00a0%" in spec.legend


def test_districts_layer_names_the_approximation() -> None:
    outlines = gpd.GeoDataFrame({"district_code": ["080"], "district": ["Thành phố Lào Cai"],
                                 "units": [2]}, geometry=[_square(104.0, 22.0)], crs=WGS84)
    spec = ML.districts_spec(outlines, "vi")
    assert spec.name == "Ranh giới huyện cũ 2020 (gần đúng)"
    assert "Gần đúng" in _decoded(spec.data) and "Thành phố Lào Cai" in _decoded(spec.data)


def test_coverage_legend_in_plain_words_and_dbm() -> None:
    spec = ML.coverage_spec("data:image/png;base64,AAAA", ((21.8, 103.5), (22.9, 104.7)), "vi",
                            technology="4G", threshold=-110.0, good=-100.0, illustrative=True)
    for text in ("tốt: ≥ −100,0 dBm", "dùng được: −110,0 dBm – −100,0 dBm",
                 "yếu: &lt; −110,0 dBm", "Không có sóng", "RSRP", "Chưa có địa hình"):
        assert text in spec.legend, text
    en = ML.coverage_spec("data:,", ((0, 0), (1, 1)), "en", technology="3G", threshold=-100.0,
                          operators=("Viettel",), terrain_loaded=True, illustrative=True)
    assert "good: ≥ −90.0 dBm" in en.legend and "RSCP" in en.legend
    assert "Terrain not loaded" not in en.legend
    assert en.name == "3G coverage (modelled, Viettel) (illustrative)"
    m = assemble_map([spec], "vi")
    page = m.get_root().render()
    assert "L.imageOverlay" in page and "data:image/png;base64,AAAA" in page


def test_lost_places_ring_layer() -> None:
    points = _layers()["points"]
    lost = pd.DataFrame({"had": ["2G,3G"]}, index=[points.index[1]])
    spec = ML.lost_spec([(points, lost, "points")], "vi", illustrative=True)
    props, options = _popup_texts(spec)
    assert options["tooltip"]["title"] == "f0"
    assert len(props) == 1 and props[0]["f2"] == "2G,3G"
    assert spec.name == "Mất hết sóng khi tắt 2G/3G (minh họa)"
    empty = ML.lost_spec([(points, lost.iloc[0:0], "points")], "vi")
    assert empty.empty and empty.legend


def test_visible_layers_and_search_index() -> None:
    specs = _specs("vi")
    search = ML.search_spec(_layers()["communes"], _layers()["points"], "vi")
    labels = [f["properties"]["q"] for f in json.loads(_decoded(search.data))["features"]]
    assert "Xã Y Tý (xã, phường)" in labels
    assert "&lt;img src=x onerror=alert(1)&gt; (điểm hỗ trợ)" in labels
    m = assemble_map(specs, "vi", visible={"points"}, search=search)
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    shown = {g.layer_name: g.show for g in groups}
    assert shown[POINTS_VI] is True
    assert shown["Trạm BTS (minh họa)"] is False
    assert shown["search"] is True  # the invisible index, not in the layer control


def test_large_layers_are_fetched_from_files_hidden_ones_when_shown(tmp_path) -> None:
    from geo.settings import SETTINGS
    from ui.map.files import MapFiles

    files = MapFiles(tmp_path)
    small = [s for s in _specs("vi") if not s.empty]
    assert all(len(s.data) < SETTINGS.app.map_file_min_chars for s in small)
    big = feature_collection(gpd.GeoDataFrame(
        {"f0": [f"Thôn {i}" for i in range(400)]},
        geometry=[Point(103.6 + i / 1000, 22.5) for i in range(400)], crs=WGS84),
        {"f0": [f"Thôn {i}" for i in range(400)]})
    villages = LayerSpec("villages", "Thôn, bản", data=script_json(big), options="{}")
    shown_big = LayerSpec("fibre_routes", "Tuyến cáp", data=script_json(big) + " ",
                             options="{}")
    png = b"\x89PNG\r\n\x1a\nfake"
    image = LayerSpec("coverage", "Vùng phủ", image_url="data:image/png;base64,"
                         + base64.b64encode(png).decode(), image_bounds=((22, 103), (23, 104)))
    m = assemble_map([*small, villages, shown_big, image], "vi",
                        visible={"points", "fibre_routes", "coverage"}, files=files)
    page = m.get_root().render()
    calls = re.findall(r'laocai\.add\((\w+), ("/app/static/layers/[0-9a-f]{32}\.json"|\{.*?)'
                       r', .*?, (true|false)\);', page, flags=re.S)
    remote = {json.loads(src): lazy for _, src, lazy in calls if src.startswith('"')}
    assert len(remote) == 2  # the two large layers; the small ones stay inline
    by_text = {(tmp_path / url.rsplit("/", 1)[1]).read_text(encoding="utf-8"): lazy
               for url, lazy in remote.items()}
    assert by_text == {villages.data: "true",  # hidden: fetched when first ticked
                       shown_big.data: "false"}  # shown: fetched at once
    assert villages.data not in page and "Thôn 399" not in page
    assert len([c for c in calls if not c[1].startswith('"')]) == len(small)
    pngs = list(tmp_path.glob("*.png"))
    assert len(pngs) == 1 and pngs[0].read_bytes() == png
    assert f"/app/static/layers/{pngs[0].name}" in page and "base64" not in page
    # Leaflet only: none of folium's jQuery, Bootstrap or Font Awesome for the map frame
    links = " ".join(url for _, url in m.default_js + m.default_css)
    assert "leaflet" in links and not re.search("jquery|bootstrap|fontawesome|awesome", links)
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_without_files_every_layer_is_inline() -> None:
    specs = _specs("vi")
    page = assemble_map(specs, "vi").get_root().render()
    assert "/app/static/layers/" not in page
    for spec in specs:
        if not spec.empty:
            assert spec.data in page


def test_new_site_symbols_legend_uses_the_site_icons() -> None:
    legend = ML.symbols_legend("en").legend
    assert legend.count("<svg") == 2 and legend.count('white-space:nowrap') == 2
    assert ML.site_icon("#6a1b9a") in legend and ML.site_icon("#e65100") in legend
    assert t("en", "New sites") in legend


def test_investment_areas_layer_is_reference_data_by_category() -> None:
    from geo.admin import load_investment_areas
    from geo.layers import load_communes_2025

    areas = load_investment_areas()
    spec = ML.investment_areas_spec(load_communes_2025(), areas, "vi")
    props, options = _popup_texts(spec)
    assert len(props) == 95  # the four wards it does not list are not drawn
    assert "bản chép lại" in spec.name  # a third-party transcription, said in its name
    hard = sum(1 for p in props if p["f1"] == "Đặc biệt khó khăn")
    assert hard == 87 and len(options["styles"]) == 2
    assert "Đặc biệt khó khăn" in spec.legend and "Khó khăn" in spec.legend
