"""A whole planner map from GeoDataFrames, for the tests (the app builds its maps through
:func:`ui.map.registry.page_layers` on cached data instead)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import folium
import geopandas as gpd

from geo.settings import SETTINGS
from ui.map import layers as L
from ui.map.assemble import assemble_map
from ui.map.registry import is_illustrative, layer
from ui.map.spec import LayerSpec

BUILDERS: dict[str, Callable[..., LayerSpec]] = {
    "communes": L.communes_spec,
    "old_province": L.old_province_spec,
    "villages": L.villages_spec,
    "fibre_routes": L.fibre_routes_spec,
    "fibre_nodes": L.fibre_nodes_spec,
    "sites": L.sites_spec,
    "osm_masts": L.osm_masts_spec,
    "points": L.points_spec,
}
"""The builders that take one loaded layer file (the registry's file layers)."""


def sources_of(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, str]:
    """The ``source`` of each layer as :func:`analysis.inputs.load_inputs` records it."""
    out = {}
    for key, gdf in layers.items():
        if "source" in gdf.columns and len(gdf):
            kinds = set(gdf["source"].astype(str))
            out[key] = kinds.pop() if len(kinds) == 1 else "mixed"
    return out


def layer_specs(layers: Mapping[str, gpd.GeoDataFrame | None], lang: str) -> list[LayerSpec]:
    """The spec of every non-empty layer of ``layers`` (keys of :data:`BUILDERS`)."""
    present = {k: g for k, g in layers.items() if g is not None and len(g) > 0}
    sources = sources_of(present)
    specs = []
    for key, gdf in present.items():
        build = BUILDERS[key]
        if layer(key).source_layer is None:
            specs.append(build(gdf, lang))
        else:
            specs.append(build(gdf, lang, illustrative=is_illustrative(layer(key), sources)))
    return specs


def build_map(layers: Mapping[str, gpd.GeoDataFrame | None], lang: str, *,
              extra: Sequence[LayerSpec] = (), visible: Iterable[str] | None = None,
              ) -> folium.Map:
    """The planner's map from GeoDataFrames and ready specs, framed on the old-province
    outline (else the communes); the support points and communes are searchable."""
    unknown = sorted(set(layers) - set(BUILDERS))
    if unknown:
        raise ValueError(f"unknown layer key(s) {', '.join(unknown)}")
    present = {k: g for k, g in layers.items() if g is not None and len(g) > 0}
    bounds = None
    for key in ("old_province", "communes"):
        if key in present:
            bounds = present[key].to_crs(SETTINGS.crs.display).total_bounds
            break
    illustrative = bool(set(sources_of(present).values()) & {"illustrative"})
    return assemble_map([*layer_specs(present, lang), *extra], lang, visible=visible,
                        search=L.search_spec(present.get("communes"), present.get("points"),
                                             lang),
                        bounds=bounds, illustrative=illustrative)
