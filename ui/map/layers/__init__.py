"""The layer builders, one module per family; each turns data into a
:class:`ui.map.spec.LayerSpec` (pure: no Streamlit). Import them from here."""

from ui.map.layers.boundaries import (
    choropleth_class,
    choropleth_spec,
    communes_spec,
    districts_spec,
    investment_areas_spec,
    old_province_spec,
)
from ui.map.layers.coverage import coverage_legend, coverage_spec, fibre_reach_spec, gap_areas_spec
from ui.map.layers.landcover import landcover_spec
from ui.map.layers.measurements import disagreement_spec, measurements_spec
from ui.map.layers.network import fibre_nodes_spec, fibre_routes_spec, osm_masts_spec, sites_spec
from ui.map.layers.places import lost_spec, point_icon, points_spec, reason_text, villages_spec
from ui.map.layers.planned import new_sites_layer, site_icon, symbols_legend
from ui.map.layers.search import search_spec

__all__ = [
    "choropleth_class",
    "choropleth_spec",
    "communes_spec",
    "coverage_legend",
    "coverage_spec",
    "disagreement_spec",
    "districts_spec",
    "fibre_nodes_spec",
    "fibre_reach_spec",
    "fibre_routes_spec",
    "gap_areas_spec",
    "investment_areas_spec",
    "landcover_spec",
    "lost_spec",
    "measurements_spec",
    "new_sites_layer",
    "old_province_spec",
    "osm_masts_spec",
    "point_icon",
    "points_spec",
    "reason_text",
    "search_spec",
    "site_icon",
    "sites_spec",
    "symbols_legend",
    "villages_spec",
]
