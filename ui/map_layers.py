"""Folium map of the planner: one small builder per layer, and :func:`assemble_map` to join them.

Pure presentation: no Streamlit here, and nothing in ``geo/`` or ``analysis/`` imports this.

Two steps, so that the app can cache the expensive one:

1. A *builder* (``points_spec``, ``coverage_spec``, ...) turns data (WGS84 GeoDataFrames, the
   analysis tables) into a :class:`LayerSpec`: the translated layer name, the GeoJSON text
   with escaped, formatted properties, the style table, the tooltip/popup fields and the
   legend rows. Specs are immutable; the app caches them per language and selection.
2. :func:`assemble_map` puts specs on a fresh map (:class:`LeanMap`: Leaflet only) with the
   layer control, legend, search box, full screen and measuring tools. It only pastes ready
   text, or with ``files`` the URLs of layer files the map fetches (hidden layers when first
   shown), so a rerun costs a few milliseconds per layer.

:func:`build_map` does both for a mapping of layers (the tests and the benchmark use it).

Safety: every value that comes from data (names, codes, operators...) is passed through
:func:`html.escape` before it reaches a tooltip, popup, search entry or the legend, because
Leaflet inserts that text as HTML; :func:`ui.leaflet.script_json` keeps ``<`` out of the
scripts. Size: coordinates are rounded to :data:`COORD_DECIMALS` decimals (about 1 m),
property keys are short, and points are canvas circle markers (``prefer_canvas=True``),
except the 117 support points, which are small SVG icons (shape = type, fill = service,
ring = fibre).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement, Template
from folium.plugins import Fullscreen, MeasureControl

from analysis.status import STATUSES, good_threshold, signal_class, status_of
from geo.settings import SETTINGS
from i18n import format_dbm, format_float, format_int, format_share, t
from ui.layer_files import MapFiles
from ui.leaflet import (
    FastGeoJson,
    GuardedSearch,
    ImageLayer,
    MapLayer,
    MapScripts,
    RawRender,
    script_json,
)
from ui.raster import CLASS_COLOURS, CLASS_GOOD, CLASS_USABLE, CLASS_WEAK, OVERLAY_OPACITY

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

# Service status of a place (analysis.status): the best generation any selected operator
# delivers there.
STATUS_COLOURS: dict[str, str] = SETTINGS.app.status_colours
FIBRE_RING: dict[bool, dict[str, str]] = {
    True: {"colour": "#111111", "dash": ""},  # fibre within reach: solid dark ring
    False: {"colour": "#111111", "dash": "2.5,2"},  # none within reach: dashed ring
}
POINT_ICON_SIZE: int = 18

COMMUNE_STYLE: dict[str, Any] = {
    "color": "#37474f", "weight": 0.8, "opacity": 0.8, "fillColor": "#607d8b", "fillOpacity": 0.0,
}
COMMUNE_HIGHLIGHT: dict[str, Any] = {"weight": 2.5, "color": "#263238", "fillOpacity": 0.12}
OLD_PROVINCE_STYLE: dict[str, Any] = {
    "color": "#b71c1c", "weight": 3, "opacity": 0.9, "dashArray": "10 6", "fill": False,
}
DISTRICT_STYLE: dict[str, Any] = {
    "color": "#6a1b9a", "weight": 2.2, "opacity": 0.85, "dashArray": "2 5", "fill": True,
    "fillOpacity": 0.0,
}
VILLAGE_STYLE: dict[str, Any] = {"radius": 3.5, "color": "#3e2723", "weight": 0.7,
                                 "fillOpacity": 0.9}
OSM_MAST_STYLE: dict[str, Any] = {"radius": 5, "fillColor": "#212121", "color": "#ffeb3b",
                                  "weight": 2, "fillOpacity": 1.0}
GAP_STYLE: dict[str, Any] = {"color": "#a50f15", "weight": 1.2, "opacity": 0.9,
                             "fillColor": "#e31a1c", "fillOpacity": 0.22, "dashArray": "4 3"}
REACH_STYLE: dict[str, Any] = {"color": "#54278f", "weight": 0.8, "opacity": 0.6,
                               "fillColor": "#807dba", "fillOpacity": 0.18}
LOST_STYLE: dict[str, Any] = {"radius": 13, "color": "#c51b7d", "weight": 3.5, "opacity": 1.0,
                              "fill": False, "dashArray": ""}
FIBRE_WEIGHTS: dict[str, float] = {"backbone": 3.5, "access": 1.6}
NODE_RADII: dict[str, float] = {"pop": 6.0, "commune": 4.5, "village": 3.5}

# Population share with service, per commune: class upper bounds and colours (red → green).
CHOROPLETH_BINS: tuple[float, ...] = (0.5, 0.8, 0.9, 0.95, 0.99)
CHOROPLETH_COLOURS: tuple[str, ...] = ("#a50026", "#f46d43", "#fdae61", "#fee08b", "#a6d96a",
                                       "#1a9850")

FIT_PADDING_TOP_LEFT: tuple[int, int] = (50, 10)  # pixels: zoom buttons and search box
FIT_PADDING_BOTTOM_RIGHT: tuple[int, int] = (300, 10)  # pixels: layer list and legend

LAYER_ORDER: tuple[str, ...] = (
    "choropleth", "communes", "districts_2020", "old_province", "coverage", "gap_areas",
    "fibre_reach", "villages", "fibre_routes", "fibre_nodes", "sites", "osm_masts", "lost",
    "points",
)
"""Layer keys in drawing order (last drawn on top) and legend order (reversed)."""

HIDDEN_BY_DEFAULT: frozenset[str] = frozenset(
    {"villages", "osm_masts", "districts_2020", "choropleth", "fibre_reach", "fibre_nodes"})
"""Layers present in the control but switched off until the user ticks them."""

LEGEND_ORDER: tuple[str, ...] = (
    "points", "lost", "coverage", "gap_areas", "sites", "fibre_routes", "fibre_nodes",
    "fibre_reach", "villages", "choropleth", "communes", "districts_2020", "old_province",
    "osm_masts",
)
"""Order of the legend blocks: what a planner reads first at the top."""

BASE_LAYERS: tuple[str, ...] = ("communes", "old_province", "villages", "fibre_routes",
                                "fibre_nodes", "sites", "osm_masts", "points")
"""Keys :func:`build_map` accepts as GeoDataFrames."""

_ILLUSTRATIVE_KEYS = frozenset({"points", "villages", "sites", "fibre_routes", "fibre_nodes",
                                "coverage", "gap_areas", "fibre_reach", "lost"})


@dataclass(frozen=True)
class LayerSpec:
    """One map layer, ready to paste: see the module docstring.

    ``data``/``options`` are JSON text for :class:`ui.leaflet.FastGeoJson`; an image layer
    has ``image_url`` and ``image_bounds`` instead. ``legend`` is escaped HTML.
    """

    key: str
    name: str
    data: str = ""
    options: str = ""
    image_url: str = ""
    image_bounds: tuple[tuple[float, float], tuple[float, float]] | None = None
    legend: str = ""
    size: int = 0  # characters of data (for the size budget)

    @property
    def empty(self) -> bool:
        return not self.data and not self.image_url


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
    return _html(str(value), quote=True)


def _html(text: str, *, quote: bool = False) -> str:
    """``text`` escaped for HTML, braces as entities too: folium/branca compile some rendered
    text (the layer control, for one) as a Jinja template, where ``{{ }}`` would run."""
    return html.escape(text, quote=quote).replace("{", "&#123;").replace("}", "&#125;")


def _label(key: str, lang: str, **fmt: Any) -> str:
    """Translated text, escaped (placeholders may carry data)."""
    return _html(t(key, lang, **fmt))


def is_illustrative(gdf: gpd.GeoDataFrame | None) -> bool:
    """True when any record of ``gdf`` has ``source == "illustrative"``."""
    if gdf is None or len(gdf) == 0 or "source" not in gdf.columns:
        return False
    return bool((gdf["source"].astype("string") == "illustrative").any())


def layer_name(key: str, gdf: gpd.GeoDataFrame | None, lang: str, *,
               illustrative: bool | None = None, **fmt: Any) -> str:
    """Translated layer-control name of layer ``key``, with "(minh họa)" when illustrative."""
    name = t(f"layer.{key}", lang, **fmt)
    if is_illustrative(gdf) if illustrative is None else illustrative:
        name = f"{name} {t('layer.illustrative_suffix', lang)}"
    return _html(name)


def operator_colour(operator: Any) -> str:
    """Display colour of an operator (grey for unknown ones)."""
    return OPERATOR_COLOURS.get(str(operator), OTHER_OPERATOR_COLOUR)


def _translated(values: Iterable[Any], prefix: str, lang: str) -> list[str]:
    """Translate coded values (``commune`` → "Xã khu vực III"); unknown codes shown escaped."""
    out = []
    for value in values:
        try:
            out.append(_label(f"{prefix}.{value}", lang))
        except KeyError:
            out.append(escape(value))
    return out


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` or an empty column, so optional fields never raise."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype="object")


def _escaped(frame: pd.DataFrame, name: str) -> list[str]:
    return [escape(v) for v in _column(frame, name)]


def _number(value: Any, lang: str, digits: int = 0, suffix: str = "") -> str:
    """One formatted number (thousands separators of ``lang``), empty for NaN / non-numbers."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    if np.isnan(number):
        return ""
    text = format_int(number, lang) if digits == 0 else format_float(number, lang, digits)
    return text + suffix


def _numbers(values: Iterable[Any], lang: str, digits: int = 0, suffix: str = "") -> list[str]:
    return [_number(v, lang, digits, suffix) for v in values]


def reason_text(reason: Any, lang: str, *, technology: str, threshold: float,
                shadow_db: Any = None) -> str:
    """The gap reason of a place in plain words (not escaped: translation text only)."""
    code = str(reason) if reason is not None and not pd.isna(reason) else ""
    key = f"reason.{code or 'served'}"
    thr = format_dbm(threshold, lang)
    db = "" if shadow_db is None or pd.isna(shadow_db) else format_float(shadow_db, lang, 1)
    try:
        return t(key, lang, technology=technology, threshold=thr, db=db or "?")
    except KeyError:
        return code


def feature_collection(
    gdf: gpd.GeoDataFrame, properties: Mapping[str, Sequence[Any]],
    styles: Sequence[int] | None = None,
) -> dict[str, Any]:
    """GeoJSON FeatureCollection of ``gdf`` in WGS84 with rounded coordinates.

    ``properties`` maps a property key to one (already escaped) value per row; ``styles``
    gives each row's index into the layer's style table (property ``_s``). Features get
    integer ids (their row position).
    """
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(SETTINGS.crs.display)
    geoms = shapely.transform(
        np.asarray(gdf.geometry.values, dtype=object),
        lambda xy: np.round(xy, COORD_DECIMALS),
    )
    columns = {key: list(values) for key, values in properties.items()}
    style_ids = list(styles) if styles is not None else None
    features = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        props = {key: values[i] for key, values in columns.items()}
        if style_ids is not None and style_ids[i]:
            props["_s"] = int(style_ids[i])
        features.append({
            "type": "Feature",
            "id": i,
            "properties": props,
            "geometry": shapely.geometry.mapping(geom),
        })
    return {"type": "FeatureCollection", "features": features}


def _fields(rows: Sequence[tuple[str, Sequence[str]]], lang: str, *,
            first: int = 0) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Short property keys (``f0``, ``f1``...) for ``rows`` of (label key or text, values).

    Returns the properties and a tooltip/popup spec (fields and translated aliases). Labels
    that are not translation keys are used as given (already escaped).
    """
    props: dict[str, list[str]] = {}
    aliases = []
    for i, (label, values) in enumerate(rows, start=first):
        props[f"f{i}"] = list(values)
        try:
            aliases.append(_label(label, lang))
        except KeyError:
            aliases.append(label)
    return props, {"fields": list(props), "aliases": aliases}


def _spec(key: str, name: str, gdf: gpd.GeoDataFrame, props: Mapping[str, Sequence[Any]], *,
          styles: Sequence[Mapping[str, Any]], style_ids: Sequence[int] | None = None,
          tooltip: Mapping[str, Any] | None = None, popup: Mapping[str, Any] | None = None,
          interactive: bool = True, highlight: Mapping[str, Any] | None = None,
          sticky: bool = False, legend: str = "") -> LayerSpec:
    data = script_json(feature_collection(gdf, props, style_ids))
    options: dict[str, Any] = {"styles": list(styles), "interactive": interactive}
    if tooltip:
        options["tooltip"] = dict(tooltip)
    if popup:
        options["popup"] = dict(popup)
    if highlight:
        options["highlight"] = dict(highlight)
    if sticky:
        options["sticky"] = True
    return LayerSpec(key, name, data, script_json(options), legend=legend, size=len(data))


# --- legend pieces ------------------------------------------------------------------------------

def _swatch_circle(fill: str, ring: str, size: int = 12, ring_width: float = 1.5) -> str:
    return (f'<span style="display:inline-block;width:{size}px;height:{size}px;'
            f"border-radius:50%;background:{fill};border:{ring_width}px solid {ring};"
            f'vertical-align:middle;margin-right:6px;box-sizing:border-box"></span>')


def _swatch_box(fill: str, ring: str = "transparent", opacity: float = 1.0,
                dash: bool = False) -> str:
    style = "dashed" if dash else "solid"
    return (f'<span style="display:inline-block;width:16px;height:11px;background:{fill};'
            f"opacity:{opacity:g};border:1.5px {style} {ring};vertical-align:middle;"
            f'margin-right:6px;box-sizing:border-box"></span>')


def _swatch_line(colour: str, width: float, dash: bool = False) -> str:
    style = "dashed" if dash else "solid"
    return (f'<span style="display:inline-block;width:22px;height:0;'
            f"border-top:{max(width, 1):.0f}px {style} {colour};"
            f'vertical-align:middle;margin-right:6px"></span>')


def _swatch_svg(svg: str) -> str:
    return f'<span style="display:inline-block;vertical-align:middle;margin-right:6px">{svg}</span>'


def _legend_row(swatch: str, label: str) -> str:
    return f'<div style="white-space:nowrap">{swatch}{label}</div>'


def _legend_heading(text: str) -> str:
    return f'<div style="font-weight:600;margin-top:5px">{text}</div>'


def _legend_note(text: str) -> str:
    return (f'<div style="color:#555;max-width:230px;white-space:normal;font-size:11px">'
            f"{text}</div>")


def legend_html(specs: Iterable[LayerSpec], lang: str, *, note: str = "") -> str:
    """The legend: the rows of every spec (topmost layer first) in a collapsible box.

    ``note`` (escaped HTML) is added at the end, e.g. the illustrative-data warning.
    """
    by_key = {spec.key: spec for spec in specs if spec.legend}
    blocks = [by_key[key].legend for key in LEGEND_ORDER if key in by_key]
    blocks += [spec.legend for key, spec in by_key.items() if key not in LEGEND_ORDER]
    parts = [f'<div style="margin-top:{4 if i else 2}px;padding-top:{3 if i else 0}px;'
             f'border-top:{"1px solid #e0e0e0" if i else "none"}">{block}</div>'
             for i, block in enumerate(blocks)]
    if note:
        parts.append(f'<div style="margin-top:6px;color:#8a4b00;max-width:230px;'
                     f'white-space:normal">{note}</div>')
    return (
        '<details open style="background:rgba(255,255,255,0.94);padding:6px 9px;'
        "border-radius:5px;box-shadow:0 1px 5px rgba(0,0,0,0.35);font:12px/1.45 "
        'system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-height:46vh;overflow:auto;'
        'max-width:300px">'
        f'<summary style="cursor:pointer;font-weight:700">{_label("legend.title", lang)}'
        f"</summary>{''.join(parts)}</details>"
    )


def _operators(values: Iterable[Any]) -> list[str]:
    """Operators present, in the settings' order, then the other known ones, then the rest."""
    present = {str(v) for v in values if v is not None and not pd.isna(v)}
    known = [op for op in SETTINGS.radio.operators if op in present]
    known += [op for op in OPERATOR_COLOURS if op in present and op not in known]
    return known + sorted(present - set(known))


# --- support points and villages ----------------------------------------------------------------

def point_icon(point_type: str, status: str, fibre: bool | None) -> str:
    """SVG of a support point: circle (commune) or triangle (village), filled by status,
    ringed solid (fibre within reach) or dashed (none); grey ring when fibre is unknown."""
    n = POINT_ICON_SIZE
    fill = STATUS_COLOURS.get(status, "#9e9e9e")
    ring = FIBRE_RING.get(bool(fibre), FIBRE_RING[False]) if fibre is not None else None
    stroke = ring["colour"] if ring else "#ffffff"
    dash = f' stroke-dasharray="{ring["dash"]}"' if ring and ring["dash"] else ""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="2.2"{dash}'
    if point_type == "village":
        shape = f'<polygon points="{n / 2:g},1.8 {n - 1.6:g},{n - 2.4:g} 1.6,{n - 2.4:g}" {paint}/>'
    else:
        shape = f'<circle cx="{n / 2:g}" cy="{n / 2:g}" r="{n / 2 - 2.2:g}" {paint}/>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{n}" height="{n}" '
            f'viewBox="0 0 {n} {n}">{shape}</svg>')


def _status_legend(lang: str, heading: str, *, with_shapes: bool) -> str:
    parts = [_legend_heading(heading)]
    if with_shapes:
        for kind in ("commune", "village"):
            parts.append(_legend_row(_swatch_svg(point_icon(kind, "unknown", None)),
                                     _label(f"value.point_type.{kind}", lang)))
    for status in STATUSES:
        colour = STATUS_COLOURS[status]
        parts.append(_legend_row(_swatch_circle(colour, "#333333", 12, 1),
                                 _label(f"status.{status}", lang)))
    if with_shapes:
        for fibre in (True, False):
            parts.append(_legend_row(_swatch_svg(point_icon("commune", "unknown", fibre)),
                                     _label(f"legend.fibre_ring.{str(fibre).lower()}", lang)))
    return "".join(parts)


def _place_rows(places: gpd.GeoDataFrame, table: pd.DataFrame | None, lang: str, *,
                technology: str, threshold: float, fibre_reach_m: float,
                ) -> dict[str, tuple[str, list[str]]]:
    """Popup rows (label, escaped values) of the analysis fields of places (support points or
    villages), by name: status, signal, servers, serving, reason, by_operator, nearest,
    fibre. Empty when there is no assessment ``table``."""
    if table is None:
        return {}
    table = table.reindex(places.index)
    good = good_threshold(technology)
    n = len(table)
    status = [_label(f"status.{status_of(v)}", lang)
              + (f" ({_html(str(v))})" if status_of(v) == "4g" else "")
              for v in table["best_technology"]]
    signal = []
    for value in _column(table, "best_signal_dbm"):
        cls = signal_class(value, threshold, good)
        word = t(f"signal.{cls}", lang)
        signal.append(_html(f"{format_dbm(value, lang)} ({word})" if cls != "none" else word))
    servers = []
    for count, red in zip(_column(table, "servers"), _column(table, "redundancy"), strict=True):
        if count is None or pd.isna(count):
            servers.append("")
        else:
            servers.append(f"{format_int(count, lang)} · "
                           f"{_label('field.redundancy', lang)} {escape(red)}")
    serving = []
    for site, op, dist in zip(_column(table, "serving_site"), _column(table, "serving_operator"),
                              _column(table, "serving_distance_m"), strict=True):
        if site is None or pd.isna(site):
            serving.append("")
        else:
            metres = _number(dist, lang, suffix=" m")
            serving.append(f"{escape(site)} ({escape(op)}, {metres})")
    per_op: list[list[str]] = [[] for _ in range(n)]
    nearest: list[list[str]] = [[] for _ in range(n)]
    for op in SETTINGS.radio.operators:
        sig = f"signal_{op}_dbm"
        if sig in table.columns:
            for i, v in enumerate(table[sig]):
                per_op[i].append(f"{escape(op)}: {format_dbm(v, lang) or '—'}")
        near, near_site = f"nearest_{op}_m", f"nearest_{op}_site"
        if near in table.columns:
            metres = _numbers(table[near], lang, suffix=" m")
            for i, site in enumerate(_column(table, near_site)):
                nearest[i].append(f"{escape(op)}: {metres[i] or '—'} ({escape(site)})")
    reasons = [_html(reason_text(r, lang, technology=technology, threshold=threshold,
                                 shadow_db=s))
               for r, s in zip(table["reason"], _column(table, "shadow_db"), strict=True)]
    fibre = []
    reach = format_int(fibre_reach_m, lang)
    for within, dist in zip(_column(table, "fibre"), _column(table, "fibre_distance_m"),
                            strict=True):
        metres = _number(dist, lang)
        if within is None or pd.isna(within):
            fibre.append("")
        else:
            key = "value.fibre.yes" if bool(within) else "value.fibre.no"
            fibre.append(_label(key, lang, distance=metres or "?", reach=reach))
    tech = technology
    return {
        "status": (_label("field.status", lang), status),
        "signal": (_label("field.best_signal", lang, technology=tech), signal),
        "servers": (_label("field.servers", lang, technology=tech), servers),
        "serving": (_label("field.serving_site", lang), serving),
        "reason": (_label("field.reason", lang), reasons),
        "by_operator": (_label("field.signal_by_operator", lang, technology=tech),
                        ["<br>".join(v) for v in per_op]),
        "nearest": (_label("field.nearest_by_operator", lang), ["<br>".join(v) for v in nearest]),
        "fibre": (_label("field.fibre", lang), fibre),
    }


def _popup_layer(gdf: gpd.GeoDataFrame, rows: Sequence[tuple[str, Sequence[str]]],
                 tip_rows: Sequence[int], lang: str) -> tuple[dict[str, list[str]],
                                                               dict[str, Any], dict[str, Any]]:
    """Properties (``f0`` = escaped name, then one per row), the popup spec (title + every
    row) and the tooltip spec (name + the rows at positions ``tip_rows``)."""
    props, popup = _fields(rows, lang, first=1)
    props["f0"] = _escaped(gdf, "name")
    popup["title"] = "f0"
    tooltip = {"fields": ["f0"] + [popup["fields"][i] for i in tip_rows],
               "aliases": [_label("field.name", lang)] + [popup["aliases"][i] for i in tip_rows]}
    return props, popup, tooltip


def points_spec(gdf: gpd.GeoDataFrame, lang: str, table: pd.DataFrame | None = None, *,
                technology: str = "4G", threshold: float | None = None,
                fibre_reach_m: float = SETTINGS.gaps.fibre_reach_m) -> LayerSpec:
    """The IT-support points: shape by type, fill by service status, ring by fibre; the popup
    holds every gap field with the reason in plain words (``table`` = the assessment)."""
    threshold = SETTINGS.radio.covered_dbm[technology] if threshold is None else threshold
    kinds = [str(v) for v in _column(gdf, "point_type")]
    if table is not None:
        aligned = table.reindex(gdf.index)
        statuses = [status_of(v) for v in aligned["best_technology"]]
        fibres: list[bool | None] = [bool(v) if pd.notna(v) else None for v in aligned["fibre"]]
    else:
        statuses, fibres = ["unknown"] * len(gdf), [None] * len(gdf)
    combos = sorted(set(zip(kinds, statuses, fibres, strict=True)), key=str)
    index = {combo: i for i, combo in enumerate(combos)}
    styles = [{"html": point_icon(*combo), "size": POINT_ICON_SIZE} for combo in combos]
    style_ids = [index[c] for c in zip(kinds, statuses, fibres, strict=True)]
    place = _place_rows(gdf, table, lang, technology=technology, threshold=threshold,
                        fibre_reach_m=fibre_reach_m)
    rows = [
        ("field.point_type", _translated(kinds, "value.point_type", lang)),
        ("field.commune_2025", _escaped(gdf, "commune_2025")),
        ("field.district", _escaped(gdf, "district")),
        ("field.commune_2020", _escaped(gdf, "commune_2020")),
        ("field.village", _escaped(gdf, "village")),
        *place.values(),
        ("field.location", _translated(_column(gdf, "location"), "value.location", lang)),
        ("field.source", _translated(_column(gdf, "source"), "value.source", lang)),
    ]
    tips = [0, 5, 9] if place else [0, 1]  # type, then status and reason
    props, popup, tooltip = _popup_layer(gdf, rows, tips, lang)
    return _spec("points", layer_name("points", gdf, lang), gdf, props, styles=styles,
                 style_ids=style_ids, tooltip=tooltip, popup=popup,
                 legend=_status_legend(lang, _label("legend.points", lang),
                                       with_shapes=True))


def villages_spec(gdf: gpd.GeoDataFrame, lang: str, table: pd.DataFrame | None = None, *,
                  technology: str = "4G", threshold: float | None = None,
                  fibre_reach_m: float = SETTINGS.gaps.fibre_reach_m) -> LayerSpec:
    """Villages (thôn, bản) as small dots coloured by service status."""
    threshold = SETTINGS.radio.covered_dbm[technology] if threshold is None else threshold
    if table is not None:
        statuses = [status_of(v) for v in table.reindex(gdf.index)["best_technology"]]
    else:
        statuses = ["unknown"] * len(gdf)
    order = [*STATUSES, "unknown"]
    styles = [{**VILLAGE_STYLE, "fillColor": STATUS_COLOURS.get(s, "#8d6e63")} for s in order]
    style_ids = [order.index(s) for s in statuses]
    place = _place_rows(gdf, table, lang, technology=technology, threshold=threshold,
                        fibre_reach_m=fibre_reach_m)
    rows = [
        ("field.commune_2025", _escaped(gdf, "commune_2025")),
        ("field.population", _numbers(_column(gdf, "population"), lang)),
        *[place[k] for k in ("status", "signal", "servers", "reason", "fibre") if k in place],
        ("field.source", _translated(_column(gdf, "source"), "value.source", lang)),
    ]
    props, popup, tooltip = _popup_layer(gdf, rows, [0, 2] if place else [0], lang)
    legend = (_status_legend(lang, _label("legend.villages", lang), with_shapes=False)
              if table is not None else
              _legend_row(_swatch_circle("#8d6e63", VILLAGE_STYLE["color"], 8),
                          _label("legend.villages", lang)))
    return _spec("villages", layer_name("villages", gdf, lang), gdf, props, styles=styles,
                 style_ids=style_ids, tooltip=tooltip, popup=popup, legend=legend)


def lost_spec(places: Sequence[tuple[gpd.GeoDataFrame, pd.DataFrame, str]], lang: str, *,
              illustrative: bool = True) -> LayerSpec:
    """Scenario: the places that lose all service, as thick rings around them.

    ``places`` holds (layer, lost table of :func:`analysis.gaps.lose_all_service`, kind)
    with kind ``points`` or ``villages``.
    """
    frames = []
    for gdf, lost, kind in places:
        if lost is None or len(lost) == 0:
            continue
        part = gdf.loc[lost.index, ["name", "geometry"]].copy()
        part["kind"] = _label(f"value.place.{kind}", lang)
        part["had"] = [escape(v) for v in lost["had"]]
        frames.append(part)
    name = layer_name("lost", None, lang, illustrative=illustrative)
    legend = _legend_row(_swatch_circle("transparent", LOST_STYLE["color"], 16, 3),
                         _label("legend.lost", lang))
    if not frames:
        return LayerSpec("lost", name, legend=legend)
    gdf = gpd.GeoDataFrame(pd.concat(frames), geometry="geometry", crs=SETTINGS.crs.display)
    rows = [("field.place", list(gdf["kind"])), ("field.had", list(gdf["had"]))]
    props, tip = _fields(rows, lang, first=1)
    props["f0"] = _escaped(gdf, "name")
    tip["title"] = "f0"
    return _spec("lost", name, gdf, props, styles=[LOST_STYLE], tooltip=tip, legend=legend)


# --- boundaries ---------------------------------------------------------------------------------

def communes_spec(gdf: gpd.GeoDataFrame, lang: str, stats: pd.DataFrame | None = None, *,
                  technology: str = "4G") -> LayerSpec:
    """The 2025 communes and wards: thin outlines; tooltip with name, code, population and,
    inside the study area, the shares with ``technology`` and the points in a gap."""
    names = [escape(full) or escape(short)
             for full, short in zip(_column(gdf, "full_name"), _column(gdf, "name"), strict=True)]
    rows: list[tuple[str, list[str]]] = [
        ("field.code", _escaped(gdf, "code")),
        ("field.population", _numbers(_column(gdf, "population"), lang)),
    ]
    tech = technology
    if stats is not None:
        s = stats.set_index("code").reindex(gdf["code"].astype(str))
        outside = _label("value.outside_study_area", lang)
        inside = s["area_share"].notna().to_numpy()

        def col(values: list[str]) -> list[str]:
            return [v if ok else outside for v, ok in zip(values, inside, strict=True)]

        gap_points = [f"{format_int(g, lang)} / {format_int(n, lang)}" if ok else outside
                      for g, n, ok in zip(s["points_in_gap"].fillna(0), s["points"].fillna(0),
                                          inside, strict=True)]
        gap_villages = [f"{format_int(g, lang)} / {format_int(n, lang)}" if ok else outside
                        for g, n, ok in zip(s["villages_in_gap"].fillna(0),
                                            s["villages"].fillna(0), inside, strict=True)]
        rows += [
            (_label("field.area_share", lang, technology=tech),
             col([format_share(v, lang) for v in s["area_share"]])),
            (_label("field.population_share", lang, technology=tech),
             col([format_share(v, lang) for v in s["population_share"]])),
            ("field.points_in_gap", gap_points),
            ("field.villages_in_gap", gap_villages),
        ]
    props, tooltip = _fields(rows, lang, first=1)
    props["f0"] = names
    tooltip["title"] = "f0"
    legend = _legend_row(_swatch_line(COMMUNE_STYLE["color"], 1), _label("legend.communes", lang))
    return _spec("communes", layer_name("communes", gdf, lang), gdf, props,
                 styles=[COMMUNE_STYLE], tooltip=tooltip, highlight=COMMUNE_HIGHLIGHT,
                 sticky=True, legend=legend)


def choropleth_class(share: Any) -> int:
    """Class of a population share (0–1) in :data:`CHOROPLETH_BINS` (−1 for NaN)."""
    if share is None or pd.isna(share):
        return -1
    return int(np.searchsorted(CHOROPLETH_BINS, float(share), side="right"))


def choropleth_spec(gdf: gpd.GeoDataFrame, stats: pd.DataFrame, lang: str, *,
                    technology: str = "4G") -> LayerSpec:
    """The study-area communes filled by the share of their population with service."""
    s = stats.set_index("code")["population_share"]
    inside = gdf[gdf["code"].astype(str).isin(s.index)]
    classes = [choropleth_class(s.get(str(c))) for c in inside["code"]]
    styles = [{"stroke": False, "fillColor": colour, "fillOpacity": 0.6}
              for colour in CHOROPLETH_COLOURS]
    edges = [0.0, *CHOROPLETH_BINS, 1.0]
    rows = []
    for i, colour in enumerate(CHOROPLETH_COLOURS):
        if i == 0:
            text = f"< {format_share(edges[1], lang, 0)}"
        elif i == len(CHOROPLETH_COLOURS) - 1:
            text = f"≥ {format_share(edges[i], lang, 0)}"
        else:
            text = f"{format_share(edges[i], lang, 0)} – {format_share(edges[i + 1], lang, 0)}"
        rows.append(_legend_row(_swatch_box(colour, opacity=0.75), _html(text)))
    heading = _label("legend.choropleth", lang, technology=technology)
    return _spec("choropleth", layer_name("choropleth", None, lang, technology=technology),
                 inside, {}, styles=styles, style_ids=[max(c, 0) for c in classes],
                 interactive=False, legend=_legend_heading(heading) + "".join(rows))


def district_outlines(communes: gpd.GeoDataFrame, origins: pd.DataFrame,
                      units_2020: pd.DataFrame, districts: pd.DataFrame) -> gpd.GeoDataFrame:
    """Approximate 2020 district outlines: the 2025 units dissolved by their old district.

    A 2025 unit formed from one district goes to it; one formed from several goes to the
    district that gave it most 2020 units (the first code on a tie). Units without an old
    district (old Yên Bái) are left out. Returns ``district_code``, ``district``, ``units``.
    """
    unit_district = units_2020.set_index("code")["district_code"]
    chosen: dict[str, str] = {}
    for row in origins.itertuples(index=False):
        codes = [c for c in str(row.old_district_codes).split(";") if c]
        if not codes:
            continue
        if len(codes) > 1:
            counts = pd.Series([unit_district.get(c) for c in str(row.codes_2020).split(";")])
            counts = counts[counts.isin(codes)].value_counts()
            best = counts[counts == counts.max()].index if len(counts) else codes
            codes = sorted(best)
        chosen[str(row.code_2025)] = codes[0]
    frame = communes.assign(district_code=communes["code"].astype(str).map(chosen))
    frame = frame[frame["district_code"].notna()]
    if frame.empty:
        return gpd.GeoDataFrame(columns=["district_code", "district", "units", "geometry"],
                                geometry="geometry", crs=communes.crs)
    dissolved = frame.dissolve(by="district_code", aggfunc={"code": "count"}).reset_index()
    dissolved = dissolved.rename(columns={"code": "units"})
    names = districts.set_index("district_code")["full_name"]
    dissolved["district"] = dissolved["district_code"].map(names)
    dissolved["geometry"] = dissolved.geometry.buffer(0)
    return dissolved[["district_code", "district", "units", "geometry"]]


def districts_spec(outlines: gpd.GeoDataFrame, lang: str) -> LayerSpec:
    """Approximate 2020 district outlines (see :func:`district_outlines`)."""
    rows = [("field.district_code", _escaped(outlines, "district_code")),
            ("field.units_2025", _numbers(_column(outlines, "units"), lang)),
            ("field.note", [_label("value.district_approximate", lang)] * len(outlines))]
    props, tooltip = _fields(rows, lang, first=1)
    props["f0"] = _escaped(outlines, "district")
    tooltip["title"] = "f0"
    legend = _legend_row(_swatch_line(DISTRICT_STYLE["color"], 2, dash=True),
                         _label("legend.districts_2020", lang))
    return _spec("districts_2020", layer_name("districts_2020", outlines, lang), outlines, props,
                 styles=[DISTRICT_STYLE], tooltip=tooltip, sticky=True, legend=legend)


def old_province_spec(gdf: gpd.GeoDataFrame, lang: str) -> LayerSpec:
    """Outline of old Lào Cai (before 2025): thick dashed line, not clickable."""
    legend = _legend_row(_swatch_line(OLD_PROVINCE_STYLE["color"], 3, dash=True),
                         _label("legend.old_province", lang))
    return _spec("old_province", layer_name("old_province", gdf, lang), gdf, {},
                 styles=[OLD_PROVINCE_STYLE], interactive=False, legend=legend)


# --- coverage and gaps --------------------------------------------------------------------------

def coverage_legend(lang: str, *, technology: str, threshold: float, good: float,
                    terrain_loaded: bool) -> str:
    """Legend rows of the coverage overlay: the classes in plain words and in dBm."""
    good = max(good, threshold)
    measure = _label(f"measure.{technology}", lang) if technology in ("2G", "3G") else \
        _label("measure.4G", lang)
    thr, gd = format_dbm(threshold, lang), format_dbm(good, lang)
    rows = [
        (CLASS_GOOD, _label("signal.good", lang), f"≥ {gd}"),
        (CLASS_USABLE, _label("signal.usable", lang), f"{thr} – {gd}"),
        (CLASS_WEAK, _label("signal.weak", lang), f"< {thr}"),
    ]
    parts = [_legend_heading(_label("legend.coverage", lang, technology=technology,
                                    measure=measure))]
    for code, word, rng in rows:
        parts.append(_legend_row(_swatch_box(CLASS_COLOURS[code], opacity=0.8),
                                 f"{word}: {_html(rng)}"))
    parts.append(_legend_row(_swatch_box("transparent", "#999999"),
                             _label("signal.none_legend", lang)))
    if not terrain_loaded:
        parts.append(_legend_note(_label("legend.flat_terrain", lang)))
    return "".join(parts)


def coverage_spec(url: str, bounds: tuple[tuple[float, float], tuple[float, float]], lang: str,
                  *, technology: str, threshold: float, good: float | None = None,
                  operators: Sequence[str] | None = None, terrain_loaded: bool = False,
                  illustrative: bool = True) -> LayerSpec:
    """The coverage overlay (a PNG of :func:`ui.raster.coverage_image`) and its legend;
    ``operators`` (None: all) are named in the layer name."""
    good = good_threshold(technology) if good is None else good
    names = f", {', '.join(operators)}" if operators else ""
    name = layer_name("coverage", None, lang, illustrative=illustrative, technology=technology,
                      operators=names)
    legend = coverage_legend(lang, technology=technology, threshold=threshold, good=good,
                             terrain_loaded=terrain_loaded)
    return LayerSpec("coverage", name, image_url=url, image_bounds=bounds, legend=legend,
                     size=len(url))


def gap_areas_spec(gaps: gpd.GeoDataFrame, lang: str, *, technology: str = "4G",
                   illustrative: bool = True) -> LayerSpec:
    """Areas inside the study-area communes where the selection has no service."""
    rows = [("field.area", _numbers(_column(gaps, "area_km2"), lang, digits=2))]
    props, tooltip = _fields(rows, lang, first=1)
    props["f0"] = _escaped(gaps, "commune_name_2025")
    tooltip["title"] = "f0"
    name = layer_name("gap_areas", None, lang, illustrative=illustrative, technology=technology)
    legend = _legend_row(_swatch_box(GAP_STYLE["fillColor"], GAP_STYLE["color"], 0.6, True),
                         _label("legend.gap_areas", lang, technology=technology))
    if gaps is None or len(gaps) == 0:
        return LayerSpec("gap_areas", name, legend=legend)
    return _spec("gap_areas", name, gaps, props, styles=[GAP_STYLE], tooltip=tooltip,
                 sticky=True, legend=legend)


def fibre_reach_area(routes: gpd.GeoDataFrame, nodes: gpd.GeoDataFrame,
                     reach_m: float) -> gpd.GeoDataFrame:
    """One polygon (WGS84): everything within ``reach_m`` of a fibre route or node,
    buffered in EPSG:9208 and simplified to 25 m."""
    metric = SETTINGS.crs.metric
    geoms = [g for frame in (routes, nodes) if frame is not None and len(frame)
             for g in frame.to_crs(metric).geometry.values]
    if not geoms:
        return gpd.GeoDataFrame(geometry=[], crs=SETTINGS.crs.display)
    area = shapely.union_all(shapely.buffer(np.asarray(geoms, dtype=object), reach_m,
                                            quad_segs=4))
    area = shapely.simplify(area, 25.0, preserve_topology=True)
    return gpd.GeoDataFrame(geometry=[area], crs=metric).to_crs(SETTINGS.crs.display)


def fibre_reach_spec(area: gpd.GeoDataFrame, lang: str, *, reach_m: float,
                     illustrative: bool = True) -> LayerSpec:
    """The fibre reach polygon (see :func:`fibre_reach_area`), translucent, not clickable."""
    reach = format_int(reach_m, lang)
    name = layer_name("fibre_reach", None, lang, illustrative=illustrative, reach=reach)
    legend = _legend_row(_swatch_box(REACH_STYLE["fillColor"], REACH_STYLE["color"], 0.5),
                         _label("legend.fibre_reach", lang, reach=reach))
    if area is None or len(area) == 0:
        return LayerSpec("fibre_reach", name, legend=legend)
    return _spec("fibre_reach", name, area, {}, styles=[REACH_STYLE], interactive=False,
                 legend=legend)


# --- infrastructure -----------------------------------------------------------------------------

def sites_spec(gdf: gpd.GeoDataFrame, lang: str, *,
               technologies: Sequence[str] | None = None) -> LayerSpec:
    """BTS records as small canvas circles coloured by operator (``technologies`` shown in
    the layer name when the layer is filtered)."""
    rows = [
        ("field.operator", _escaped(gdf, "operator")),
        ("field.technology", _escaped(gdf, "technology")),
        # A band is a label ("2100 MHz"), written without a thousands separator.
        ("field.band", [f"{v:.0f}" if pd.notna(v) else ""
                        for v in pd.to_numeric(_column(gdf, "band_mhz"), errors="coerce")]),
        ("field.height", _numbers(_column(gdf, "height_m"), lang)),
        ("field.site_id", _escaped(gdf, "site_id")),
    ]
    operators = _operators(_column(gdf, "operator"))
    styles = [{"radius": 3.5, "color": operator_colour(op), "fillColor": operator_colour(op),
               "weight": 0.6, "fillOpacity": 0.75} for op in operators]
    position = {op: i for i, op in enumerate(operators)}
    style_ids = [position.get(str(op), 0) for op in _column(gdf, "operator")]
    props, tooltip = _fields(rows, lang)
    name = layer_name("sites", gdf, lang)
    if technologies:
        name = f"{name} · {_html(', '.join(technologies))}"
    legend = _legend_heading(_label("legend.sites", lang)) + "".join(
        _legend_row(_swatch_circle(operator_colour(op), operator_colour(op), 10), escape(op))
        for op in operators)
    return _spec("sites", name, gdf, props, styles=styles or [{}], style_ids=style_ids,
                 tooltip=tooltip, legend=legend)


def fibre_routes_spec(gdf: gpd.GeoDataFrame, lang: str) -> LayerSpec:
    """Fibre cables: colour by operator, thick for backbone and thin for access."""
    rows = [
        ("field.operator", _escaped(gdf, "operator")),
        ("field.kind", _translated(_column(gdf, "kind"), "value.kind", lang)),
        ("field.route_id", _escaped(gdf, "route_id")),
    ]
    combos = sorted({(str(op), str(kind)) for op, kind in
                     zip(_column(gdf, "operator"), _column(gdf, "kind"), strict=True)})
    index = {c: i for i, c in enumerate(combos)}
    styles = [{"color": operator_colour(op), "weight": FIBRE_WEIGHTS.get(kind, 2.0),
               "opacity": 0.85} for op, kind in combos]
    style_ids = [index[(str(op), str(kind))] for op, kind in
                 zip(_column(gdf, "operator"), _column(gdf, "kind"), strict=True)]
    props, tooltip = _fields(rows, lang)
    legend = (_legend_heading(_label("legend.fibre", lang))
              + _legend_row(_swatch_line("#555555", FIBRE_WEIGHTS["backbone"]),
                            _label("legend.fibre_backbone", lang))
              + _legend_row(_swatch_line("#555555", FIBRE_WEIGHTS["access"]),
                            _label("legend.fibre_access", lang))
              + "".join(_legend_row(_swatch_line(operator_colour(op), 3), escape(op))
                        for op in _operators(_column(gdf, "operator"))))
    return _spec("fibre_routes", layer_name("fibre_routes", gdf, lang), gdf, props,
                 styles=styles or [{}], style_ids=style_ids, tooltip=tooltip, legend=legend)


def fibre_nodes_spec(gdf: gpd.GeoDataFrame, lang: str) -> LayerSpec:
    """Fibre nodes: white discs ringed in the operator's colour, larger for a POP."""
    rows = [
        ("field.operator", _escaped(gdf, "operator")),
        ("field.kind", _translated(_column(gdf, "kind"), "value.kind", lang)),
        ("field.node_id", _escaped(gdf, "node_id")),
    ]
    combos = sorted({(str(op), str(kind)) for op, kind in
                     zip(_column(gdf, "operator"), _column(gdf, "kind"), strict=True)})
    index = {c: i for i, c in enumerate(combos)}
    styles = [{"radius": NODE_RADII.get(kind, 4.0), "color": operator_colour(op),
               "fillColor": "#ffffff", "weight": 2, "fillOpacity": 1.0} for op, kind in combos]
    style_ids = [index[(str(op), str(kind))] for op, kind in
                 zip(_column(gdf, "operator"), _column(gdf, "kind"), strict=True)]
    props, tooltip = _fields(rows, lang)
    legend = _legend_row(_swatch_circle("#ffffff", "#555555", 10, 2),
                         _label("legend.fibre_nodes", lang))
    return _spec("fibre_nodes", layer_name("fibre_nodes", gdf, lang), gdf, props,
                 styles=styles or [{}], style_ids=style_ids, tooltip=tooltip, legend=legend)


def osm_masts_spec(gdf: gpd.GeoDataFrame, lang: str) -> LayerSpec:
    """OpenStreetMap masts and towers (reference; © OpenStreetMap contributors)."""
    unnamed = _label("value.unnamed", lang)
    names = [escape(v) or unnamed for v in _column(gdf, "name")]
    kinds = []
    for value in _column(gdf, "man_made"):
        try:
            kinds.append(_label(f"value.{value}", lang))
        except KeyError:
            kinds.append(escape(value))
    rows = [
        ("field.name", names),
        ("field.mast_type", kinds),
        ("field.osm_id", _escaped(gdf, "osm_id")),
        ("field.source", ["© OpenStreetMap contributors"] * len(gdf)),
    ]
    props, tooltip = _fields(rows, lang)
    legend = _legend_row(_swatch_circle(OSM_MAST_STYLE["fillColor"], OSM_MAST_STYLE["color"],
                                        11, 2), _label("legend.osm_masts", lang))
    return _spec("osm_masts", layer_name("osm_masts", gdf, lang), gdf, props,
                 styles=[OSM_MAST_STYLE], tooltip=tooltip, legend=legend)


# --- search index -------------------------------------------------------------------------------

def search_spec(communes: gpd.GeoDataFrame | None, points: gpd.GeoDataFrame | None,
                lang: str) -> LayerSpec:
    """Invisible points the search box looks through: each commune (at its administrative
    centre, else inside it) and each support point, labelled "name (kind)"."""
    frames = []
    if communes is not None and len(communes):
        c = communes.to_crs(SETTINGS.crs.display)
        if {"centre_lon", "centre_lat"} <= set(c.columns):
            lon = pd.to_numeric(c["centre_lon"], errors="coerce")
            lat = pd.to_numeric(c["centre_lat"], errors="coerce")
            inside = c.geometry.representative_point()
            geom = [shapely.Point(x, y) if pd.notna(x) and pd.notna(y) else p
                    for x, y, p in zip(lon, lat, inside, strict=True)]
        else:
            geom = list(c.geometry.representative_point())
        names = [escape(f) or escape(n) for f, n in
                 zip(_column(c, "full_name"), _column(c, "name"), strict=True)]
        frames.append(gpd.GeoDataFrame(
            {"q": [f"{n} ({_label('search.kind.commune', lang)})" for n in names]},
            geometry=geom, crs=SETTINGS.crs.display))
    if points is not None and len(points):
        p = points.to_crs(SETTINGS.crs.display)
        frames.append(gpd.GeoDataFrame(
            {"q": [f"{escape(n)} ({_label('search.kind.point', lang)})" for n in p["name"]]},
            geometry=list(p.geometry), crs=SETTINGS.crs.display))
    if not frames:
        return LayerSpec("search", "")
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry",
                           crs=SETTINGS.crs.display)
    style = {"radius": 1, "opacity": 0, "fillOpacity": 0}
    return _spec("search", "", gdf, {"q": list(gdf["q"])}, styles=[style], interactive=False)


# --- assembling the map -------------------------------------------------------------------------

class Legend(RawRender):
    """A Leaflet control (bottom right, under the layer control) holding escaped legend HTML.

    Being a map control, it stays visible in full-screen mode and inside streamlit-folium.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: {{ this.position|tojson }}});
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

    def __init__(self, html_text: str, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.position = position


class MapStyle(MacroElement):
    """Page CSS for the map: compact layer control, readable tooltips and popups."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .leaflet-control-layers-expanded { font-size: 12.5px; line-height: 1.35;
                padding: 5px 9px; max-height: 60vh; overflow-y: auto; }
            .leaflet-control-layers label { margin-bottom: 1px; font-weight: normal; }
            .leaflet-tooltip table, .leaflet-popup-content table { border-collapse: collapse; }
            .leaflet-tooltip th, .leaflet-popup-content th { padding: 1px 8px 1px 0;
                vertical-align: top; font-weight: 600; color: #444; text-align: left; }
            .leaflet-tooltip td, .leaflet-popup-content td { padding: 1px 0; }
            .leaflet-tooltip.laocai-tip { font-size: 12px; min-width: 240px; max-width: 380px;
                white-space: normal; }
            .leaflet-tooltip.laocai-tip th { white-space: nowrap; }
            .leaflet-popup-content { font-size: 12.5px; min-width: 240px; }
            .laocai-title { font-weight: 700; font-size: 13px; margin-bottom: 3px; }
            .laocai-icon { background: none; border: none; }
            body { margin: 0; }
            .leaflet-container { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans",
                "Helvetica Neue", Arial, sans-serif; }
            .laocai-alerts { position: absolute; top: 8px; left: 50%; z-index: 2000;
                transform: translateX(-50%); display: flex; flex-direction: column;
                gap: 4px; }
            .laocai-failed { background: #fdecea; color: #611a15; border: 1px solid #f5c6cb;
                border-radius: 4px; padding: 6px 10px; font: 13px system-ui, sans-serif; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapStyle"


class LeanMap(folium.Map):
    """A ``folium.Map`` that loads Leaflet only: the planner's layers draw their own icons and
    popups, so jQuery, Bootstrap, Font Awesome and awesome-markers (folium's defaults, ≈0.5 MB
    the map's frame would fetch and parse one after the other) are left out."""

    default_js: ClassVar[list[tuple[str, str]]] = [
        (name, url) for name, url in folium.Map.default_js if name == "leaflet"]
    default_css: ClassVar[list[tuple[str, str]]] = [
        (name, url) for name, url in folium.Map.default_css if name == "leaflet_css"]


_DATA_URL_PNG = "data:image/png;base64,"


def _layer_element(spec: LayerSpec, files: MapFiles | None, *, lazy: bool,
                   lang: str) -> RawRender:
    """The map element of ``spec``: its raster, or its GeoJSON inline or from a file."""
    if spec.image_url:
        url = spec.image_url
        if files is not None and url.startswith(_DATA_URL_PNG):
            url = files.url(base64.b64decode(url[len(_DATA_URL_PNG):]), ".png")
        return ImageLayer(url, spec.image_bounds, OVERLAY_OPACITY)
    fail_text = t("map.layer_failed", lang, name=html.unescape(spec.name))
    if files is not None and len(spec.data) >= SETTINGS.app.map_file_min_chars:
        return MapLayer(spec.options, url=files.url(spec.data), fail_text=fail_text,
                        lazy=lazy)
    return MapLayer(spec.options, data=spec.data, fail_text=fail_text)


@dataclass(frozen=True)
class MapTexts:
    """Texts of the map's controls in one language."""

    basemap: str
    fullscreen: str
    fullscreen_exit: str
    search: str
    search_error: str
    search_cancel: str
    legend_note: str = ""

    @classmethod
    def of(cls, lang: str, *, illustrative: bool = True) -> MapTexts:
        note = _label("legend.illustrative_note", lang) if illustrative else ""
        return cls(_label("layer.basemap", lang), t("map.fullscreen", lang),
                   t("map.fullscreen_exit", lang), t("map.search", lang),
                   t("map.search_error", lang), t("map.search_cancel", lang), note)


def assemble_map(
    specs: Sequence[LayerSpec],
    lang: str,
    *,
    visible: Iterable[str] | None = None,
    search: LayerSpec | None = None,
    bounds: Sequence[float] | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    illustrative: bool = True,
    files: MapFiles | None = None,
) -> folium.Map:
    """A fresh map with ``specs`` (in :data:`LAYER_ORDER`), the layer control and tools.

    ``visible``: the layer keys switched on at start (default: all but
    :data:`HIDDEN_BY_DEFAULT`); the others are in the layer control, unticked. ``bounds``
    (minlon, minlat, maxlon, maxlat) frames the view; else ``center``/``zoom``, else the
    settings' view. Empty specs are skipped, but their legend rows stay out too.

    ``files``: where layers of at least ``map_file_min_chars`` and raster images go, so that
    the map fetches them (hidden layers when first shown) instead of carrying them in its
    script (:mod:`ui.layer_files`); without it every layer is inline.
    """
    texts = MapTexts.of(lang, illustrative=illustrative)
    shown = (set(visible) if visible is not None
             else {key for key in LAYER_ORDER if key not in HIDDEN_BY_DEFAULT})
    m = LeanMap(
        location=list(center or SETTINGS.app.map_center),
        zoom_start=zoom or SETTINGS.app.map_zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        max_zoom=19,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    folium.TileLayer("OpenStreetMap", name=texts.basemap, max_zoom=19).add_to(m)
    MapScripts().add_to(m)
    rank = {key: i for i, key in enumerate(LAYER_ORDER)}
    ordered = sorted((s for s in specs if not s.empty), key=lambda s: rank.get(s.key, 99))
    for spec in ordered:
        group = folium.FeatureGroup(name=spec.name, show=spec.key in shown)
        group.add_child(_layer_element(spec, files, lazy=spec.key not in shown, lang=lang))
        group.add_to(m)
    if bounds is not None:
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        # Leave room for the search box (left) and the layer list and legend (right).
        m.fit_bounds([[miny, minx], [maxy, maxx]], padding_top_left=FIT_PADDING_TOP_LEFT,
                     padding_bottom_right=FIT_PADDING_BOTTOM_RIGHT)
    # Legend and layer control before the plugins: if a plugin's script failed to load, the
    # map keeps its layers, control and legend.
    MapStyle().add_to(m)
    Legend(legend_html([s for s in specs if s.legend], lang, note=texts.legend_note)).add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    Fullscreen(position="topleft", title=texts.fullscreen,
               title_cancel=texts.fullscreen_exit).add_to(m)
    MeasureControl(position="topleft", primary_length_unit="kilometers",
                   secondary_length_unit="meters", primary_area_unit="hectares",
                   secondary_area_unit="sqmeters").add_to(m)
    if search is not None and not search.empty:
        index = folium.FeatureGroup(name="search", control=False, show=True)
        index.add_child(FastGeoJson(search.data, search.options))
        index.add_to(m)
        GuardedSearch(index, placeholder=texts.search, text_error=texts.search_error,
                      text_cancel=texts.search_cancel).add_to(m)
    return m


# --- one call for tests and benchmarks ------------------------------------------------------

BASE_BUILDERS: dict[str, Callable[[gpd.GeoDataFrame, str], LayerSpec]] = {
    "communes": communes_spec,
    "old_province": old_province_spec,
    "villages": villages_spec,
    "fibre_routes": fibre_routes_spec,
    "fibre_nodes": fibre_nodes_spec,
    "sites": sites_spec,
    "osm_masts": osm_masts_spec,
    "points": points_spec,
}


def build_map(
    layers: Mapping[str, gpd.GeoDataFrame | None],
    lang: str,
    *,
    extra: Sequence[LayerSpec] = (),
    visible: Iterable[str] | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> folium.Map:
    """The planner's map from GeoDataFrames (keys of :data:`BASE_LAYERS`) and ready specs.

    Without ``center`` and ``zoom`` the view frames the old-province outline (the study
    area), else the communes. Missing, ``None`` or empty layers are skipped; the support
    points and communes are searchable.
    """
    unknown = sorted(set(layers) - set(BASE_LAYERS))
    if unknown:
        raise ValueError(f"unknown layer key(s) {', '.join(unknown)}; expected some of "
                         f"{', '.join(BASE_LAYERS)}.")
    present = {k: g for k, g in layers.items() if g is not None and len(g) > 0}
    specs = [BASE_BUILDERS[key](gdf, lang) for key, gdf in present.items()]
    bounds = None
    if center is None and zoom is None:
        for key in ("old_province", "communes"):
            if key in present:
                bounds = present[key].to_crs(SETTINGS.crs.display).total_bounds
                break
    illustrative = any(is_illustrative(g) for g in present.values())
    return assemble_map([*specs, *extra], lang, visible=visible,
                        search=search_spec(present.get("communes"), present.get("points"),
                                           lang),
                        bounds=bounds, center=center, zoom=zoom, illustrative=illustrative)
