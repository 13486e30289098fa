"""The map-layer registry: the lists derived from it, the one illustrative test, and a layer
added by one registry row, one builder and its texts."""

from __future__ import annotations

import gettext
import re

import geopandas as gpd
import pytest
from shapely.geometry import Point

from analysis.selection import Selection
from geo.schema import SOURCES
from geo.settings import ROOT
from i18n import translator
from i18n.labels import LAYER_NAMES, LAYER_SHORT_NAMES
from ui.map import registry
from ui.map.assemble import assemble_map
from ui.map.cached import LayerQuery
from ui.map.legend import legend_row, swatch_circle
from ui.map.spec import LayerSpec, geojson_spec, layer_name, t_html

needs_sample = pytest.mark.skipif(
    not (ROOT / "data" / "sample" / "points.geojson").exists(),
    reason="data/sample/points.geojson is missing: run `python -m geo.sample` first",
)


def test_orders_and_defaults_are_those_the_planner_sees() -> None:
    assert registry.draw_order()[-2:] == ("points", "new_sites")  # points drawn on top
    assert registry.legend_order()[:4] == ("points", "lost", "coverage", "gap_areas")
    assert set(registry.draw_order()) == set(registry.legend_order())
    assert set(registry.draw_order()) - registry.shown_at_start() == {
        "villages", "osm_masts", "districts_2020", "choropleth", "fibre_reach", "fibre_nodes",
        "investment_areas", "landcover", "measurements"}
    choices = registry.toggleable()
    assert choices[0] == "points" and "lost" not in choices and "new_sites" not in choices
    assert len(choices) == 17 and choices[-1] == "landcover"  # drawn under everything
    assert {"measurements", "disagreement"} <= set(choices)
    assert registry.file_layers() == ("points", "sites", "fibre_routes", "fibre_nodes",
                                      "villages", "communes", "old_province", "osm_masts")
    assert set(registry.data_layers()) == {"points", "sites", "villages", "fibre_routes",
                                           "fibre_nodes"}
    drawn = [d.key for d in registry.LAYERS if d.key != "new_sites"]  # new_sites: legend only
    assert all(key in LAYER_NAMES for key in drawn)
    assert all(key in LAYER_SHORT_NAMES for key in choices)


def test_one_illustrative_test_from_the_source_layer() -> None:
    assert registry.ILLUSTRATIVE in SOURCES
    sources = {"points": "illustrative", "sites": "imported", "villages": "mixed",
               "fibre_routes": "illustrative", "fibre_nodes": "official"}
    marked = registry.illustrative_layers(sources)
    assert marked == {"points", "fibre_routes", "fibre_reach"}  # reach follows the routes
    assert not registry.is_illustrative(registry.layer("communes"), {"communes": "illustrative"})
    all_sample = dict.fromkeys(registry.data_layers(), "illustrative")
    assert {"coverage", "gap_areas", "lost", "sites"} <= registry.illustrative_layers(all_sample)


def _toy_spec(q: LayerQuery) -> LayerSpec:
    """The toy layer's builder: one point, one legend row."""
    gdf = gpd.GeoDataFrame({"name": ["Tháp thử"]}, geometry=[Point(103.9, 22.4)],
                           crs="EPSG:4326")
    legend = legend_row(swatch_circle("#00ffaa", "#004433"), t_html("Toy legend", q.lang))
    return geojson_spec("toy", layer_name("toy", q.lang), gdf, {"f0": ["Tháp thử"]},
                        styles=[{"radius": 6, "color": "#004433"}], legend=legend)


class _CatalogWithToy(gettext.NullTranslations):
    """The Vietnamese catalog with the toy layer's three entries added (as a translator
    adds them to the ``.po``)."""

    def __init__(self, texts: dict[str, str], catalog: gettext.NullTranslations) -> None:
        super().__init__()
        self._texts = texts
        self.add_fallback(catalog)

    def gettext(self, message: str) -> str:
        return self._texts.get(message) or super().gettext(message)


@pytest.fixture()
def toy_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A layer added the documented way: a registry row, its builder and its texts (its
    names in the label tables and their Vietnamese in the catalog)."""
    row = registry.MapLayerDef("toy", _toy_spec, draw_rank=99, legend_rank=-1)
    monkeypatch.setattr(registry, "LAYERS", (*registry.LAYERS, row))
    monkeypatch.setitem(LAYER_NAMES, "toy", "Toy layer")
    monkeypatch.setitem(LAYER_SHORT_NAMES, "toy", "Toy (short)")
    vietnamese = {"Toy layer": "Lớp thử", "Toy (short)": "Lớp thử (ngắn)",
                  "Toy legend": "Chú giải lớp thử"}
    monkeypatch.setitem(translator._TRANSLATORS, "vi",
                        _CatalogWithToy(vietnamese, translator.translation("vi")))


@needs_sample
@pytest.mark.usefixtures("toy_layer")
def test_a_new_layer_is_drawn_listed_in_the_legend_and_offered_in_the_sidebar() -> None:
    from streamlit.testing.v1 import AppTest

    from ui import cache

    key = cache.data_key()
    specs = registry.page_layers(key, Selection(), "vi", registry.PLANNER,
                                 site_technologies=("4G",))
    assert [s.key for s in specs][-1] == "toy"
    page = assemble_map(specs, "vi").get_root().render()
    page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
    assert '"Lớp thử"' in page  # in the layer control
    assert "Tháp thử" in page  # its data, drawn at start (shown by default)
    calls = re.findall(r"laocai\.add\(.*?, (true|false)\);", page, flags=re.S)
    assert calls[-1] == "false"  # drawn last: on top of the support points
    legend = page.split("laocai-legend")[1]
    assert legend.index("Chú giải lớp thử") < legend.index("Điểm hỗ trợ")  # legend_rank -1

    def sidebar() -> None:
        from ui.sidebar import sidebar

        sidebar("vi", operators=["Viettel"], technologies=["4G"])

    at = AppTest.from_function(sidebar).run()
    assert not at.exception
    choices = at.sidebar.multiselect(key="layers_visible_vi")
    assert "toy" in choices.value  # ticked at start, as its row says
    assert "Lớp thử (ngắn)" in choices.options
