"""The planner's map: ready layer specs pasted on a fresh Leaflet map with its controls.

:func:`assemble_map` only pastes ready text (or, with ``files``, the URLs of layer files the
map fetches, hidden layers when first shown), so a rerun costs a few milliseconds per layer:
the layer control, the legend, the search box, full screen and the measuring tools. The
order of the layers and of the legend comes from :mod:`ui.map.registry`.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
from folium.plugins import Fullscreen, MeasureControl

from geo.settings import SETTINGS
from i18n.translator import N_, t
from ui.map import registry
from ui.map.cached import PLANNER, PLANNING, Page
from ui.map.elements import (
    FastGeoJson,
    GuardedSearch,
    ImageLayer,
    LeanMap,
    Legend,
    MapLayer,
    MapScripts,
    MapStyle,
    RawRender,
)
from ui.map.files import MapFiles
from ui.map.legend import legend_html
from ui.map.raster import OVERLAY_OPACITY
from ui.map.spec import LayerSpec, t_html

FIT_PADDING_TOP_LEFT: tuple[int, int] = (50, 10)  # pixels: zoom buttons and search box
FIT_PADDING_BOTTOM_RIGHT: dict[Page, tuple[int, int]] = {
    PLANNER: (300, 10),  # pixels: the layer list and the legend
    PLANNING: (230, 10),  # pixels: the legend (the planning page lists few layers)
}


def fit_view(m: folium.Map, bounds: Sequence[float], page: Page = PLANNER) -> None:
    """Frame ``bounds`` (minlon, minlat, maxlon, maxlat, WGS84) on ``m``, clear of the search
    box (left) and of ``page``'s layer list and legend (right)."""
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding_top_left=FIT_PADDING_TOP_LEFT,
                 padding_bottom_right=FIT_PADDING_BOTTOM_RIGHT[page])


def _in_order(order: Sequence[str], specs: Iterable[LayerSpec]) -> list[LayerSpec]:
    """``specs`` sorted by the position of their key in ``order`` (unknown keys last)."""
    rank = {key: i for i, key in enumerate(order)}
    return sorted(specs, key=lambda s: rank.get(s.key, len(rank)))


def map_legend(specs: Iterable[LayerSpec], lang: str, *, note: str = "") -> str:
    """The legend of ``specs``: one block per layer key, in the registry's legend order, then
    ``note`` (escaped HTML)."""
    by_key = {spec.key: spec for spec in specs if spec.legend}
    blocks = [s.legend for s in _in_order(registry.legend_order(), by_key.values())]
    return legend_html(blocks, lang, note=note)


_DATA_URL_PNG = "data:image/png;base64,"


def _layer_element(spec: LayerSpec, files: MapFiles | None, *, lazy: bool,
                   lang: str) -> RawRender:
    """The map element of ``spec``: its raster, or its GeoJSON inline or from a file."""
    if spec.image_url:
        url = spec.image_url
        if files is not None and url.startswith(_DATA_URL_PNG):
            url = files.url(base64.b64decode(url[len(_DATA_URL_PNG):]), ".png")
        return ImageLayer(url, spec.image_bounds, OVERLAY_OPACITY)
    fail_text = t(lang, "The map layer “{name}” could not be loaded. Reload the page.",
                  name=html.unescape(spec.name))
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
        note = t_html(N_("Layers marked “(illustrative)” are made-up data."),
                      lang) if illustrative else ""
        return cls(t_html(N_("OpenStreetMap base map"), lang), t(lang, "Full screen"),
                   t(lang, "Exit full screen"), t(lang, "Find a commune or support point…"),
                   t(lang, "Not found"), t(lang, "Clear"), note)


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
    page: Page = PLANNER,
) -> folium.Map:
    """A fresh map with ``specs`` (in the registry's drawing order), the layer control, the
    legend and the tools.

    ``visible``: the layer keys switched on at start (default:
    :func:`ui.map.registry.shown_at_start`); the others are in the layer control, unticked.
    ``bounds`` (minlon, minlat, maxlon, maxlat, WGS84) frames the view, leaving room for
    ``page``'s controls (:func:`fit_view`); else ``center``/``zoom``, else the settings' view.
    Empty specs are skipped, but their legend rows stay in.

    ``files``: where layers of at least ``map_file_min_chars`` and raster images go, so that
    the map fetches them (hidden layers when first shown) instead of carrying them in its
    script (:mod:`ui.map.files`); without it every layer is inline.
    """
    texts = MapTexts.of(lang, illustrative=illustrative)
    shown = set(visible) if visible is not None else registry.shown_at_start()
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
    ordered = _in_order(registry.draw_order(), [s for s in specs if not s.empty])
    for spec in ordered:
        group = folium.FeatureGroup(name=spec.name, show=spec.key in shown)
        group.add_child(_layer_element(spec, files, lazy=spec.key not in shown, lang=lang))
        group.add_to(m)
    if bounds is not None:
        fit_view(m, bounds, page)
    # Legend and layer control before the plugins: if a plugin's script failed to load, the
    # map keeps its layers, control and legend.
    MapStyle().add_to(m)
    Legend(map_legend(specs, lang, note=texts.legend_note)).add_to(m)
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
