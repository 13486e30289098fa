"""Folium map of the planner: one small builder per layer, and :func:`build_map` to assemble them.

Pure presentation: no Streamlit here, and nothing in ``geo/`` or ``analysis/`` imports this.
Each builder takes a GeoDataFrame (WGS84, columns of :mod:`geo.schema` or of the boundary
files) and the language code, and returns a :class:`folium.FeatureGroup` with a translated
name for the layer control.

Safety: every value that comes from data (names, codes, operators...) is passed through
:func:`html.escape` before it reaches a tooltip, popup or the legend, because Leaflet inserts
tooltip and popup text as HTML. Size: coordinates are rounded to
:data:`COORD_DECIMALS` decimals (about 1 m) and property keys are short, so the 3,000 BTS
records stay a few hundred kilobytes; points are drawn as canvas circle markers
(``prefer_canvas=True``), which paint thousands of features smoothly.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement, Template
from folium.plugins import Fullscreen, MeasureControl

from geo.settings import SETTINGS
from ui.i18n import format_float, format_int, t

COORD_DECIMALS: int = 5  # ≈ 1.1 m at Lào Cai's latitude; the boundaries are simplified to ~50 m

# Categorical colours (ColorBrewer Set1), distinct from each other and from the point styles.
OPERATOR_COLOURS: dict[str, str] = {
    "Viettel": "#e41a1c",
    "VinaPhone": "#377eb8",
    "MobiFone": "#4daf4a",
    "Vietnamobile": "#ff7f00",
    "VNPT": "#377eb8",  # VinaPhone's parent group: same colour for its fibre
    "FPT": "#d4a017",
}
OTHER_OPERATOR_COLOUR: str = "#7f7f7f"

POINT_STYLES: dict[str, dict[str, Any]] = {
    # Region-III commune: large purple disc with a white ring.
    "commune": {"radius": 7, "fillColor": "#6a1b9a", "color": "#ffffff", "weight": 2},
    # Extremely difficult village: smaller magenta disc with a dark ring.
    "village": {"radius": 5.5, "fillColor": "#ec407a", "color": "#4a148c", "weight": 1.5},
}
COMMUNE_STYLE: dict[str, Any] = {
    "color": "#37474f", "weight": 0.8, "opacity": 0.8, "fillColor": "#607d8b", "fillOpacity": 0.0,
}
COMMUNE_HIGHLIGHT: dict[str, Any] = {"weight": 2.5, "color": "#263238", "fillOpacity": 0.12}
OLD_PROVINCE_STYLE: dict[str, Any] = {
    "color": "#b71c1c", "weight": 3, "opacity": 0.9, "dashArray": "10 6", "fill": False,
}
VILLAGE_STYLE: dict[str, Any] = {"radius": 3, "fillColor": "#8d6e63", "color": "#4e342e",
                                 "weight": 0.8, "fillOpacity": 0.85}
OSM_MAST_STYLE: dict[str, Any] = {"radius": 5, "fillColor": "#212121", "color": "#ffeb3b",
                                  "weight": 2, "fillOpacity": 1.0}
FIBRE_WEIGHTS: dict[str, float] = {"backbone": 3.5, "access": 1.6}
NODE_RADII: dict[str, float] = {"pop": 6.0, "commune": 4.5, "village": 3.5}

LAYER_ORDER: tuple[str, ...] = (
    "communes", "old_province", "villages", "fibre_routes", "fibre_nodes", "sites",
    "osm_masts", "points",
)
"""Keys :func:`build_map` understands, in drawing order (last drawn on top)."""

HIDDEN_BY_DEFAULT: frozenset[str] = frozenset({"villages", "osm_masts"})

_TOOLTIP_STYLE = "font-size: 12px; max-width: 320px;"
_POPUP_STYLE = "font-size: 12.5px; min-width: 220px; max-width: 340px;"


# --- small helpers ------------------------------------------------------------------------------

def escape(value: Any) -> str:
    """Text of ``value`` safe to insert as HTML (empty for None / NaN / NA)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def is_illustrative(gdf: gpd.GeoDataFrame | None) -> bool:
    """True when any record of ``gdf`` has ``source == "illustrative"``."""
    if gdf is None or len(gdf) == 0 or "source" not in gdf.columns:
        return False
    return bool((gdf["source"].astype("string") == "illustrative").any())


def layer_name(key: str, gdf: gpd.GeoDataFrame | None, lang: str) -> str:
    """Translated layer-control name of layer ``key``, with "(minh họa)" when illustrative."""
    name = t(f"layer.{key}", lang)
    if is_illustrative(gdf):
        name = f"{name} {t('layer.illustrative_suffix', lang)}"
    return html.escape(name, quote=False)


def operator_colour(operator: Any) -> str:
    """Display colour of an operator (grey for unknown ones)."""
    return OPERATOR_COLOURS.get(str(operator), OTHER_OPERATOR_COLOUR)


def _translated(values: pd.Series, prefix: str, lang: str) -> list[str]:
    """Translate coded values (``commune`` → "Xã khu vực III"); unknown codes shown escaped."""
    out = []
    for value in values:
        key = f"{prefix}.{value}"
        try:
            out.append(html.escape(t(key, lang), quote=False))
        except KeyError:
            out.append(escape(value))
    return out


def _column(gdf: gpd.GeoDataFrame, name: str) -> pd.Series:
    """Column ``name`` or an empty column, so optional fields never raise."""
    if name in gdf.columns:
        return gdf[name]
    return pd.Series([None] * len(gdf), index=gdf.index, dtype="object")


def _escaped(gdf: gpd.GeoDataFrame, name: str) -> list[str]:
    return [escape(v) for v in _column(gdf, name)]


def _numbers(values: pd.Series, lang: str, digits: int = 0) -> list[str]:
    out = []
    for value in pd.to_numeric(values, errors="coerce"):
        if pd.isna(value):
            out.append("")
        elif digits == 0:
            out.append(format_int(value, lang))
        else:
            out.append(format_float(value, lang, digits))
    return out


def feature_collection(
    gdf: gpd.GeoDataFrame, properties: Mapping[str, Sequence[Any]]
) -> dict[str, Any]:
    """GeoJSON FeatureCollection of ``gdf`` in WGS84 with rounded coordinates.

    ``properties`` maps a property key to one (already escaped) value per row. Features get
    integer ids, which folium uses to look styles up.
    """
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(SETTINGS.crs.display)
    geoms = shapely.transform(
        np.asarray(gdf.geometry.values, dtype=object),
        lambda xy: np.round(xy, COORD_DECIMALS),
    )
    columns = {key: list(values) for key, values in properties.items()}
    features = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        features.append({
            "type": "Feature",
            "id": i,
            "properties": {key: values[i] for key, values in columns.items()},
            "geometry": shapely.geometry.mapping(geom),
        })
    return {"type": "FeatureCollection", "features": features}


def _details(
    rows: Sequence[tuple[str, Sequence[str]]], lang: str
) -> tuple[dict[str, Sequence[str]], list[str], list[str]]:
    """Short property keys (``f0``, ``f1``...), the field list and translated aliases.

    Empty values are shown as "—" so that a popup row never looks broken.
    """
    props = {f"f{i}": [v if v != "" else "—" for v in values]
             for i, (_, values) in enumerate(rows)}
    aliases = [html.escape(t(label, lang), quote=False) for label, _ in rows]
    return props, list(props), aliases


def _tooltip(fields: list[str], aliases: list[str], labels: bool = True) -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=fields, aliases=aliases, labels=labels, localize=False,
                                 sticky=False, style=_TOOLTIP_STYLE)


def _popup(fields: list[str], aliases: list[str]) -> folium.GeoJsonPopup:
    return folium.GeoJsonPopup(fields=fields, aliases=aliases, localize=False, max_width=360,
                               style=_POPUP_STYLE)


def _circle_layer(
    gdf: gpd.GeoDataFrame,
    key: str,
    lang: str,
    rows: Sequence[tuple[str, Sequence[str]]],
    style: Callable[[dict], dict[str, Any]],
    *,
    popup: bool = False,
    tooltip_fields: int | None = None,
) -> folium.FeatureGroup:
    """Points as canvas circle markers in one GeoJson, styled per feature."""
    props, fields, aliases = _details(rows, lang)
    group = folium.FeatureGroup(name=layer_name(key, gdf, lang), show=key not in HIDDEN_BY_DEFAULT)
    n_tip = len(fields) if tooltip_fields is None else tooltip_fields
    folium.GeoJson(
        feature_collection(gdf, props),
        marker=folium.CircleMarker(radius=4, fill=True, fill_opacity=0.9, weight=1),
        style_function=style,
        tooltip=_tooltip(fields[:n_tip], aliases[:n_tip], labels=n_tip > 1),
        popup=_popup(fields, aliases) if popup else None,
        control=False,
    ).add_to(group)
    return group


# --- one builder per layer ------------------------------------------------------------------

def communes_layer(gdf: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """The 2025 communes and wards: thin outlines; tooltip with name, code and population."""
    names = [escape(full) or escape(short)
             for full, short in zip(_column(gdf, "full_name"), _column(gdf, "name"), strict=True)]
    rows = [
        ("field.name", names),
        ("field.code", _escaped(gdf, "code")),
        ("field.population", _numbers(_column(gdf, "population"), lang)),
    ]
    props, fields, aliases = _details(rows, lang)
    group = folium.FeatureGroup(name=layer_name("communes", gdf, lang))
    folium.GeoJson(
        feature_collection(gdf, props),
        style_function=lambda _f: COMMUNE_STYLE,
        highlight_function=lambda _f: COMMUNE_HIGHLIGHT,
        tooltip=_tooltip(fields, aliases),
        control=False,
        smooth_factor=1.0,
    ).add_to(group)
    return group


def old_province_layer(gdf: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """Outline of old Lào Cai (before 2025): thick dashed line, not clickable."""
    group = folium.FeatureGroup(name=layer_name("old_province", gdf, lang))
    folium.GeoJson(
        feature_collection(gdf, {}),
        style_function=lambda _f: OLD_PROVINCE_STYLE,
        control=False,
        interactive=False,
    ).add_to(group)
    return group


def points_layer(gdf: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """The IT-support points: colour and size by ``point_type``; popup with their details."""
    rows = [
        ("field.name", _escaped(gdf, "name")),
        ("field.point_type", _translated(_column(gdf, "point_type"), "value.point_type", lang)),
        ("field.district", _escaped(gdf, "district")),
        ("field.commune_2020", _escaped(gdf, "commune_2020")),
        ("field.village", _escaped(gdf, "village")),
        ("field.commune_2025", _escaped(gdf, "commune_2025")),
        ("field.location", _translated(_column(gdf, "location"), "value.location", lang)),
        ("field.source", _translated(_column(gdf, "source"), "value.source", lang)),
    ]
    props, fields, aliases = _details(rows, lang)
    types = [str(v) for v in _column(gdf, "point_type")]

    def style(feature: dict) -> dict[str, Any]:
        kind = types[feature["id"]]
        return {**POINT_STYLES.get(kind, POINT_STYLES["village"]), "fillOpacity": 0.95}

    group = folium.FeatureGroup(name=layer_name("points", gdf, lang))
    folium.GeoJson(
        feature_collection(gdf, props),
        marker=folium.CircleMarker(radius=6, fill=True),
        style_function=style,
        tooltip=_tooltip(fields[:2], aliases[:2]),
        popup=_popup(fields, aliases),
        control=False,
    ).add_to(group)
    return group


def sites_layer(gdf: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """BTS records as small canvas circles coloured by operator (smooth with 3,000 records)."""
    rows = [
        ("field.operator", _escaped(gdf, "operator")),
        ("field.technology", _escaped(gdf, "technology")),
        # A band is a label ("2100 MHz"), written without a thousands separator.
        ("field.band", [f"{v:.0f}" if pd.notna(v) else ""
                        for v in pd.to_numeric(_column(gdf, "band_mhz"), errors="coerce")]),
        ("field.height", _numbers(_column(gdf, "height_m"), lang)),
        ("field.site_id", _escaped(gdf, "site_id")),
    ]
    operators = [str(v) for v in _column(gdf, "operator")]

    def style(feature: dict) -> dict[str, Any]:
        colour = operator_colour(operators[feature["id"]])
        return {"radius": 3.5, "color": colour, "fillColor": colour, "weight": 0.6,
                "fillOpacity": 0.75}

    return _circle_layer(gdf, "sites", lang, rows, style)


def villages_layer(gdf: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """Villages (thôn, bản) as small brown dots; tooltip with name, commune and population."""
    rows = [
        ("field.name", _escaped(gdf, "name")),
        ("field.commune_2025", _escaped(gdf, "commune_2025")),
        ("field.population", _numbers(_column(gdf, "population"), lang)),
    ]
    return _circle_layer(gdf, "villages", lang, rows, lambda _f: VILLAGE_STYLE)


def fibre_routes_layer(gdf: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """Fibre cables: colour by operator, thick for backbone and thin for access."""
    rows = [
        ("field.operator", _escaped(gdf, "operator")),
        ("field.kind", _translated(_column(gdf, "kind"), "value.kind", lang)),
        ("field.route_id", _escaped(gdf, "route_id")),
    ]
    props, fields, aliases = _details(rows, lang)
    operators = [str(v) for v in _column(gdf, "operator")]
    kinds = [str(v) for v in _column(gdf, "kind")]

    def style(feature: dict) -> dict[str, Any]:
        i = feature["id"]
        return {"color": operator_colour(operators[i]), "weight": FIBRE_WEIGHTS.get(kinds[i], 2.0),
                "opacity": 0.85}

    group = folium.FeatureGroup(name=layer_name("fibre_routes", gdf, lang))
    folium.GeoJson(
        feature_collection(gdf, props),
        style_function=style,
        tooltip=_tooltip(fields, aliases),
        control=False,
    ).add_to(group)
    return group


def fibre_nodes_layer(gdf: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """Fibre nodes: white discs ringed in the operator's colour, larger for a POP."""
    rows = [
        ("field.operator", _escaped(gdf, "operator")),
        ("field.kind", _translated(_column(gdf, "kind"), "value.kind", lang)),
        ("field.node_id", _escaped(gdf, "node_id")),
    ]
    operators = [str(v) for v in _column(gdf, "operator")]
    kinds = [str(v) for v in _column(gdf, "kind")]

    def style(feature: dict) -> dict[str, Any]:
        i = feature["id"]
        return {"radius": NODE_RADII.get(kinds[i], 4.0), "color": operator_colour(operators[i]),
                "fillColor": "#ffffff", "weight": 2, "fillOpacity": 1.0}

    return _circle_layer(gdf, "fibre_nodes", lang, rows, style)


def osm_masts_layer(gdf: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """OpenStreetMap masts and towers (reference; © OpenStreetMap contributors)."""
    unnamed = html.escape(t("value.unnamed", lang), quote=False)
    names = [escape(v) or unnamed for v in _column(gdf, "name")]
    kinds = []
    for value in _column(gdf, "man_made"):
        try:
            kinds.append(html.escape(t(f"value.{value}", lang), quote=False))
        except KeyError:
            kinds.append(escape(value))
    rows = [
        ("field.name", names),
        ("field.mast_type", kinds),
        ("field.osm_id", _escaped(gdf, "osm_id")),
        ("field.source", ["© OpenStreetMap contributors"] * len(gdf)),
    ]
    return _circle_layer(gdf, "osm_masts", lang, rows, lambda _f: OSM_MAST_STYLE)


LAYER_BUILDERS: dict[str, Callable[[gpd.GeoDataFrame, str], folium.FeatureGroup]] = {
    "communes": communes_layer,
    "old_province": old_province_layer,
    "villages": villages_layer,
    "fibre_routes": fibre_routes_layer,
    "fibre_nodes": fibre_nodes_layer,
    "sites": sites_layer,
    "osm_masts": osm_masts_layer,
    "points": points_layer,
}


# --- legend -------------------------------------------------------------------------------------

class Legend(MacroElement):
    """A Leaflet control (bottom left) holding ready-made, escaped legend HTML.

    Being a map control, it stays visible in full-screen mode and inside streamlit-folium.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "laocai-legend");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html_text


class MapStyle(MacroElement):
    """Page CSS for the map: compact layer control, readable tooltips and popups."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .leaflet-control-layers-expanded { font-size: 12.5px; line-height: 1.35;
                padding: 5px 9px; }
            .leaflet-control-layers label { margin-bottom: 1px; font-weight: normal; }
            .leaflet-control-layers-scrollbar { overflow-y: auto; }
            .leaflet-tooltip table, .leaflet-popup-content table { border-collapse: collapse; }
            .leaflet-tooltip th, .leaflet-popup-content th { padding: 1px 8px 1px 0;
                vertical-align: top; font-weight: 600; color: #444; }
            .leaflet-tooltip td, .leaflet-popup-content td { padding: 1px 0; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapStyle"


def _swatch_circle(fill: str, ring: str, size: int = 12, ring_width: float = 1.5) -> str:
    return (f'<span style="display:inline-block;width:{size}px;height:{size}px;'
            f"border-radius:50%;background:{fill};border:{ring_width}px solid {ring};"
            f'vertical-align:middle;margin-right:6px;box-sizing:border-box"></span>')


def _swatch_line(colour: str, width: float, dash: bool = False) -> str:
    style = "dashed" if dash else "solid"
    return (f'<span style="display:inline-block;width:22px;height:0;'
            f"border-top:{max(width, 1):.0f}px {style} {colour};"
            f'vertical-align:middle;margin-right:6px"></span>')


def _legend_row(swatch: str, label: str) -> str:
    return f'<div style="white-space:nowrap">{swatch}{label}</div>'


def _legend_heading(text: str) -> str:
    return f'<div style="font-weight:600;margin-top:5px">{html.escape(text, quote=False)}</div>'


def _operators(layers: Mapping[str, gpd.GeoDataFrame | None], keys: Sequence[str]) -> list[str]:
    """Operators present in the given layers, in the settings' order, then the others."""
    present: list[str] = []
    for key in keys:
        gdf = layers.get(key)
        if gdf is not None and len(gdf) and "operator" in gdf.columns:
            present.extend(str(v) for v in gdf["operator"].dropna().unique())
    known = [op for op in SETTINGS.radio.operators if op in present]
    known += [op for op in OPERATOR_COLOURS if op in present and op not in known]
    others = sorted({op for op in present if op not in OPERATOR_COLOURS})
    return known + others


def legend_html(layers: Mapping[str, gpd.GeoDataFrame | None], lang: str) -> str:
    """HTML of the legend for the layers present, in ``lang`` (data values escaped)."""

    def present(key: str) -> bool:
        gdf = layers.get(key)
        return gdf is not None and len(gdf) > 0

    def label(key: str) -> str:
        return html.escape(t(key, lang), quote=False)

    parts: list[str] = []
    if present("points"):
        parts.append(_legend_heading(t("legend.points", lang)))
        for kind in ("commune", "village"):
            s = POINT_STYLES[kind]
            parts.append(_legend_row(_swatch_circle(s["fillColor"], s["color"] if kind == "village"
                                                    else "#cccccc", 14 if kind == "commune" else 11,
                                                    2),
                                     label(f"value.point_type.{kind}")))
    if present("sites"):
        parts.append(_legend_heading(t("legend.sites", lang)))
        for op in _operators(layers, ["sites"]):
            colour = operator_colour(op)
            parts.append(_legend_row(_swatch_circle(colour, colour, 10), escape(op)))
    if present("fibre_routes") or present("fibre_nodes"):
        parts.append(_legend_heading(t("legend.fibre", lang)))
        if present("fibre_routes"):
            parts.append(_legend_row(_swatch_line("#555555", FIBRE_WEIGHTS["backbone"]),
                                     label("legend.fibre_backbone")))
            parts.append(_legend_row(_swatch_line("#555555", FIBRE_WEIGHTS["access"]),
                                     label("legend.fibre_access")))
        if present("fibre_nodes"):
            parts.append(_legend_row(_swatch_circle("#ffffff", "#555555", 10, 2),
                                     label("legend.fibre_nodes")))
        for op in _operators(layers, ["fibre_routes", "fibre_nodes"]):
            parts.append(_legend_row(_swatch_line(operator_colour(op), 3), escape(op)))
    if present("villages") or present("osm_masts"):
        parts.append(_legend_heading(t("legend.other_layers", lang)))
    if present("villages"):
        parts.append(_legend_row(_swatch_circle(VILLAGE_STYLE["fillColor"],
                                                VILLAGE_STYLE["color"], 8),
                                 label("legend.villages")))
    if present("osm_masts"):
        parts.append(_legend_row(_swatch_circle(OSM_MAST_STYLE["fillColor"],
                                                OSM_MAST_STYLE["color"], 11, 2),
                                 label("legend.osm_masts")))
    if present("communes") or present("old_province"):
        parts.append(_legend_heading(t("legend.boundaries", lang)))
        if present("communes"):
            parts.append(_legend_row(_swatch_line(COMMUNE_STYLE["color"], 1),
                                     label("legend.communes")))
        if present("old_province"):
            parts.append(_legend_row(_swatch_line(OLD_PROVINCE_STYLE["color"], 3, dash=True),
                                     label("legend.old_province")))
    if any(is_illustrative(layers.get(key)) for key in layers):
        parts.append(f'<div style="margin-top:6px;color:#8a4b00;max-width:210px;'
                     f'white-space:normal">{label("legend.illustrative_note")}</div>')
    body = "".join(parts)
    return (
        '<details open style="background:rgba(255,255,255,0.93);padding:6px 9px;'
        "border-radius:5px;box-shadow:0 1px 5px rgba(0,0,0,0.35);font:12px/1.45 "
        'system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-height:48vh;overflow:auto">'
        f'<summary style="cursor:pointer;font-weight:700">{label("legend.title")}</summary>'
        f"{body}</details>"
    )


# --- the map ------------------------------------------------------------------------------------

def build_map(
    layers: Mapping[str, gpd.GeoDataFrame | None],
    lang: str,
    *,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> folium.Map:
    """Assemble the planner's map from ``layers`` (keys of :data:`LAYER_ORDER`) in ``lang``.

    Without ``center`` and ``zoom`` the view frames the old-province outline (the study
    area), else the communes, else ``SETTINGS.app.map_center`` / ``map_zoom``.

    Missing, ``None`` or empty layers are skipped. Each layer sits in its own FeatureGroup
    (translated name, "(minh họa)" / "(illustrative)" appended for illustrative data) under
    one LayerControl; the map adds full screen, distance/area measuring, a scale bar and a
    legend. OpenStreetMap tiles are the base map; without them the layers still draw.
    """
    unknown = sorted(set(layers) - set(LAYER_ORDER))
    if unknown:
        raise ValueError(f"unknown layer key(s) {', '.join(unknown)}; expected some of "
                         f"{', '.join(LAYER_ORDER)}.")
    m = folium.Map(
        location=list(center or SETTINGS.app.map_center),
        zoom_start=zoom or SETTINGS.app.map_zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        max_zoom=19,
    )
    folium.TileLayer(
        "OpenStreetMap",
        name=html.escape(t("layer.basemap", lang), quote=False),
        max_zoom=19,
    ).add_to(m)
    for key in LAYER_ORDER:
        gdf = layers.get(key)
        if gdf is None or len(gdf) == 0:
            continue
        LAYER_BUILDERS[key](gdf, lang).add_to(m)
    if center is None and zoom is None:
        # Frame the study area (old Lào Cai), where the points and the BTS lie.
        for key in ("old_province", "communes"):
            gdf = layers.get(key)
            if gdf is not None and len(gdf) > 0:
                minx, miny, maxx, maxy = gdf.to_crs(SETTINGS.crs.display).total_bounds
                m.fit_bounds([[float(miny), float(minx)], [float(maxy), float(maxx)]])
                break
    # Legend and layer control first: if a plugin's script failed to load from its CDN, the
    # error stops the code after it, and the map must keep its layers, control and legend.
    MapStyle().add_to(m)
    Legend(legend_html(layers, lang)).add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    Fullscreen(
        position="topleft",
        title=t("map.fullscreen", lang),
        title_cancel=t("map.fullscreen_exit", lang),
    ).add_to(m)
    MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="meters",
        primary_area_unit="hectares",
        secondary_area_unit="sqmeters",
    ).add_to(m)
    return m
