"""Network layers: BTS sites, fibre routes and nodes (coloured by operator), OpenStreetMap masts."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from i18n.labels import FIBRE_KINDS, VALUE_NAMES
from i18n.translator import N_
from ui.map.legend import legend_heading, legend_row, swatch_circle, swatch_line
from ui.map.spec import (
    LayerSpec,
    column,
    escape,
    escape_text,
    escaped,
    fields,
    geojson_spec,
    layer_name,
    numbers,
    t_html,
    translated,
)
from ui.map.style import (
    FIBRE_WEIGHTS,
    NODE_RADII,
    OSM_MAST_STYLE,
    operator_colour,
    operator_order,
)


def sites_spec(gdf: gpd.GeoDataFrame, lang: str, *,
               technologies: Sequence[str] | None = None,
               illustrative: bool = False) -> LayerSpec:
    """BTS records as small canvas circles coloured by operator (``technologies`` shown in
    the layer name when the layer is filtered)."""
    rows = [
        (N_("Operator"), escaped(gdf, "operator")),
        (N_("Technology"), escaped(gdf, "technology")),
        # A band is a label ("2100 MHz"), written without a thousands separator.
        (N_("Band (MHz)"), [f"{v:.0f}" if pd.notna(v) else ""
                        for v in pd.to_numeric(column(gdf, "band_mhz"), errors="coerce")]),
        (N_("Antenna height (m)"), numbers(column(gdf, "height_m"), lang)),
        (N_("Site ID"), escaped(gdf, "site_id")),
    ]
    operators = operator_order(column(gdf, "operator"))
    styles = [{"radius": 3.5, "color": operator_colour(op), "fillColor": operator_colour(op),
               "weight": 0.6, "fillOpacity": 0.75} for op in operators]
    position = {op: i for i, op in enumerate(operators)}
    style_ids = [position.get(str(op), 0) for op in column(gdf, "operator")]
    props, tooltip = fields(rows, lang)
    name = layer_name("sites", lang, illustrative=illustrative)
    if technologies:
        name = f"{name} · {escape_text(', '.join(technologies))}"
    legend = legend_heading(t_html(N_("BTS sites by operator"), lang)) + "".join(
        legend_row(swatch_circle(operator_colour(op), operator_colour(op), 10), escape(op))
        for op in operators)
    return geojson_spec("sites", name, gdf, props, styles=styles or [{}], style_ids=style_ids,
                        tooltip=tooltip, legend=legend)


def fibre_routes_spec(gdf: gpd.GeoDataFrame, lang: str, *,
                      illustrative: bool = False) -> LayerSpec:
    """Fibre cables: colour by operator, thick for backbone and thin for access."""
    rows = [
        (N_("Operator"), escaped(gdf, "operator")),
        (N_("Kind"), translated(column(gdf, "kind"), FIBRE_KINDS, lang)),
        (N_("Route ID"), escaped(gdf, "route_id")),
    ]
    combos = sorted({(str(op), str(kind)) for op, kind in
                     zip(column(gdf, "operator"), column(gdf, "kind"), strict=True)})
    index = {c: i for i, c in enumerate(combos)}
    styles = [{"color": operator_colour(op), "weight": FIBRE_WEIGHTS.get(kind, 2.0),
               "opacity": 0.85} for op, kind in combos]
    style_ids = [index[(str(op), str(kind))] for op, kind in
                 zip(column(gdf, "operator"), column(gdf, "kind"), strict=True)]
    props, tooltip = fields(rows, lang)
    legend = (legend_heading(t_html(N_("Fibre"), lang))
              + legend_row(swatch_line("#555555", FIBRE_WEIGHTS["backbone"]),
                           t_html(N_("Backbone (thick line)"), lang))
              + legend_row(swatch_line("#555555", FIBRE_WEIGHTS["access"]),
                           t_html(N_("Access (thin line)"), lang))
              + "".join(legend_row(swatch_line(operator_colour(op), 3), escape(op))
                        for op in operator_order(column(gdf, "operator"))))
    name = layer_name("fibre_routes", lang, illustrative=illustrative)
    return geojson_spec("fibre_routes", name, gdf, props, styles=styles or [{}],
                        style_ids=style_ids, tooltip=tooltip, legend=legend)


def fibre_nodes_spec(gdf: gpd.GeoDataFrame, lang: str, *,
                     illustrative: bool = False) -> LayerSpec:
    """Fibre nodes: white discs ringed in the operator's colour, larger for a POP."""
    rows = [
        (N_("Operator"), escaped(gdf, "operator")),
        (N_("Kind"), translated(column(gdf, "kind"), FIBRE_KINDS, lang)),
        (N_("Node ID"), escaped(gdf, "node_id")),
    ]
    combos = sorted({(str(op), str(kind)) for op, kind in
                     zip(column(gdf, "operator"), column(gdf, "kind"), strict=True)})
    index = {c: i for i, c in enumerate(combos)}
    styles = [{"radius": NODE_RADII.get(kind, 4.0), "color": operator_colour(op),
               "fillColor": "#ffffff", "weight": 2, "fillOpacity": 1.0} for op, kind in combos]
    style_ids = [index[(str(op), str(kind))] for op, kind in
                 zip(column(gdf, "operator"), column(gdf, "kind"), strict=True)]
    props, tooltip = fields(rows, lang)
    legend = legend_row(swatch_circle("#ffffff", "#555555", 10, 2),
                        t_html(N_("Fibre node"), lang))
    name = layer_name("fibre_nodes", lang, illustrative=illustrative)
    return geojson_spec("fibre_nodes", name, gdf, props, styles=styles or [{}],
                        style_ids=style_ids, tooltip=tooltip, legend=legend)


def osm_masts_spec(gdf: gpd.GeoDataFrame, lang: str) -> LayerSpec:
    """OpenStreetMap masts and towers (reference; © OpenStreetMap contributors)."""
    unnamed = t_html(N_("(unnamed)"), lang)
    names = [escape(v) or unnamed for v in column(gdf, "name")]
    kinds = []
    for value in column(gdf, "man_made"):
        try:
            kinds.append(t_html(VALUE_NAMES[value], lang))
        except KeyError:
            kinds.append(escape(value))
    rows = [
        (N_("Name"), names),
        (N_("Structure"), kinds),
        (N_("OSM ID"), escaped(gdf, "osm_id")),
        (N_("Data source"), ["© OpenStreetMap contributors"] * len(gdf)),
    ]
    props, tooltip = fields(rows, lang)
    legend = legend_row(swatch_circle(OSM_MAST_STYLE["fillColor"], OSM_MAST_STYLE["color"],
                                      11, 2), t_html(N_("Mast (OSM)"), lang))
    return geojson_spec("osm_masts", layer_name("osm_masts", lang), gdf, props,
                        styles=[OSM_MAST_STYLE], tooltip=tooltip, legend=legend)
