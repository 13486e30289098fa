"""One map layer ready to paste (:class:`LayerSpec`) and the helpers builders make it with.

A builder (:mod:`ui.map.layers`) turns WGS84 GeoDataFrames and analysis tables into a
:class:`LayerSpec`: the translated layer name, the GeoJSON text with escaped, formatted
properties under short keys (``f0``, ``f1``...), the style table, the tooltip/popup fields
and the legend rows. Specs are immutable; the app caches them per language and selection.

Safety: every value that comes from data (names, codes, operators...) goes through
:func:`escape` before it reaches a tooltip, popup, search entry or the legend, because
Leaflet inserts that text as HTML; :func:`ui.map.elements.script_json` keeps ``<`` out of the
scripts. Size: coordinates are rounded to :data:`COORD_DECIMALS` decimals (about 1 m)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.settings import SETTINGS
from i18n import format_float, format_int
from i18n.labels import LAYER_NAMES
from i18n.translator import t
from ui.map.elements import script_json

COORD_DECIMALS: int = 5  # ≈ 1.1 m at Lào Cai's latitude; the boundaries are simplified to ~50 m


@dataclass(frozen=True)
class LayerSpec:
    """One map layer, ready to paste (see :mod:`ui.map`).

    ``data``/``options`` are JSON text for :class:`ui.map.elements.MapLayer`; an image layer
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


def escape(value: Any) -> str:
    """Text of ``value`` safe to insert as HTML (empty for None / NaN / NA)."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return escape_text(str(value), quote=True)


def escape_text(text: str, *, quote: bool = False) -> str:
    """``text`` escaped for HTML, braces as entities too: folium/branca compile some rendered
    text (the layer control, for one) as a Jinja template, where ``{{ }}`` would run."""
    return html.escape(text, quote=quote).replace("{", "&#123;").replace("}", "&#125;")


class Html(str):
    """Text already translated and escaped for HTML (what :func:`t_html` returns), so that
    :func:`fields` neither translates nor escapes it again."""


def t_html(message: str, lang: str, **fmt: Any) -> Html:
    """``message`` (an English msgid) in ``lang``, escaped (placeholders may carry data)."""
    return Html(escape_text(t(lang, message, **fmt)))


def layer_name(key: str, lang: str, *, illustrative: bool = False, **fmt: Any) -> str:
    """Translated layer-control name of layer ``key``, with "(minh họa)" when ``illustrative``
    (decided by :func:`ui.map.registry.is_illustrative`)."""
    name = t(lang, LAYER_NAMES[key], **fmt)
    if illustrative:
        name = f"{name} {t(lang, '(illustrative)')}"
    return escape_text(name)


def translated(values: Iterable[Any], labels: dict[str, str], lang: str) -> list[str]:
    """Translate coded values (``commune`` → "Xã khu vực III"); unknown codes shown escaped."""
    out = []
    for value in values:
        try:
            out.append(t_html(labels[value], lang))
        except KeyError:
            out.append(escape(value))
    return out


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` or an empty column, so optional fields never raise."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype="object")


def escaped(frame: pd.DataFrame, name: str) -> list[str]:
    return [escape(v) for v in column(frame, name)]


def number(value: Any, lang: str, digits: int = 0, suffix: str = "") -> str:
    """One formatted number (thousands separators of ``lang``), empty for NaN / non-numbers."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return ""
    if np.isnan(x):
        return ""
    text = format_int(x, lang) if digits == 0 else format_float(x, lang, digits)
    return text + suffix


def numbers(values: Iterable[Any], lang: str, digits: int = 0, suffix: str = "") -> list[str]:
    return [number(v, lang, digits, suffix) for v in values]


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


def fields(rows: Sequence[tuple[str, Sequence[str]]], lang: str, *,
           first: int = 0) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Short property keys (``f0``, ``f1``...) for ``rows`` of (label, values).

    Returns the properties and a tooltip/popup spec (fields and translated aliases). A label
    is an English msgid, translated and escaped here, or an :class:`Html` text used as given.
    """
    props: dict[str, list[str]] = {}
    aliases = []
    for i, (label, values) in enumerate(rows, start=first):
        props[f"f{i}"] = list(values)
        aliases.append(label if isinstance(label, Html) else t_html(label, lang))
    return props, {"fields": list(props), "aliases": aliases}


def geojson_spec(key: str, name: str, gdf: gpd.GeoDataFrame,
                 props: Mapping[str, Sequence[Any]], *,
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
