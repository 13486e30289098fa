"""The map layers, declared once (modelled on :mod:`geo.schema`).

Each :class:`MapLayerDef` says how a layer is built for a page (:mod:`ui.map.cached`), where
it is drawn (``draw_rank``: higher on top) and listed in the legend (``legend_rank``: lower
first), whether it is ticked when the map opens, whether the sidebar offers it, which loaded
layer's ``source`` decides its "(minh họa)" suffix, and the pages that draw it. Everything that
lists layers (draw and legend order, the sidebar's choices, the layers shown at start, the
names in the sidebar summary) is derived from :data:`LAYERS`.

Adding a layer: one row here, one builder (:mod:`ui.map.layers`) and its texts: its names in
:data:`i18n.labels.LAYER_NAMES` and :data:`i18n.labels.LAYER_SHORT_NAMES`, and the Vietnamese of
every new English text in ``locale/vi/LC_MESSAGES/laocai.po`` (``make i18n`` adds the entries).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from analysis.selection import Selection
from ui import cache
from ui.map import cached
from ui.map.cached import PLANNER, PLANNING, LayerQuery, Page
from ui.map.spec import LayerSpec

ILLUSTRATIVE: str = "illustrative"
"""The :data:`geo.schema.SOURCES` value of illustrative stand-in records."""


@dataclass(frozen=True)
class MapLayerDef:
    """One map layer (see the module docstring).

    ``build`` returns the layer for a query, or None when it is not drawn for it.
    ``source_layer`` is the key of :attr:`analysis.inputs.Inputs.sources` whose value decides
    whether the layer is illustrative (None: official or reference data, never).
    ``from_file``: the layer is one loaded file drawn as is (a data or reference layer), named
    in the sidebar summary and the load problems.
    """

    key: str
    build: Callable[[LayerQuery], LayerSpec | None]
    draw_rank: int
    legend_rank: int
    shown: bool = True
    toggle: bool = True
    source_layer: str | None = None
    from_file: bool = False
    pages: tuple[Page, ...] = (PLANNER,)


LAYERS: tuple[MapLayerDef, ...] = (
    MapLayerDef("landcover", cached.landcover, -1, 15, shown=False),
    MapLayerDef("choropleth", cached.choropleth, 0, 9, shown=False),
    MapLayerDef("communes", cached.communes, 1, 10, from_file=True,
                pages=(PLANNER, PLANNING)),
    MapLayerDef("districts_2020", cached.districts_2020, 2, 11, shown=False),
    MapLayerDef("investment_areas", cached.investment_areas, 2, 11, shown=False),
    MapLayerDef("old_province", cached.old_province, 3, 12, from_file=True),
    MapLayerDef("coverage", cached.coverage, 4, 2, source_layer="sites"),
    MapLayerDef("gap_areas", cached.gap_areas, 5, 3, source_layer="sites",
                pages=(PLANNER, PLANNING)),
    MapLayerDef("disagreement", cached.disagreement, 6, 16),
    MapLayerDef("fibre_reach", cached.fibre_reach, 6, 7, shown=False,
                source_layer="fibre_routes"),
    MapLayerDef("villages", cached.villages, 7, 8, shown=False, source_layer="villages",
                from_file=True),
    MapLayerDef("fibre_routes", cached.fibre_routes, 8, 5, source_layer="fibre_routes",
                from_file=True),
    MapLayerDef("fibre_nodes", cached.fibre_nodes, 9, 6, shown=False,
                source_layer="fibre_nodes", from_file=True),
    MapLayerDef("sites", cached.sites, 10, 4, source_layer="sites", from_file=True,
                pages=(PLANNER, PLANNING)),
    MapLayerDef("osm_masts", cached.osm_masts, 11, 13, shown=False, from_file=True),
    MapLayerDef("measurements", cached.measurements, 11, 17, shown=False),
    MapLayerDef("lost", cached.lost, 12, 1, toggle=False, source_layer="sites"),
    MapLayerDef("points", cached.points, 13, 0, source_layer="points", from_file=True,
                pages=(PLANNER, PLANNING)),
    MapLayerDef("new_sites", cached.new_sites, 14, 14, toggle=False, pages=(PLANNING,)),
)
"""Every layer of the planner's maps. "lost" follows the scenario switch, not the sidebar;
"new_sites" is only the legend of the planning page's own symbols; "landcover" is drawn
only when a land cover is imported (under everything)."""


def layer(key: str) -> MapLayerDef:
    """The row of ``key`` (KeyError for an unknown key)."""
    for defn in LAYERS:
        if defn.key == key:
            return defn
    raise KeyError(key)


def draw_order() -> tuple[str, ...]:
    """Layer keys in drawing order (last drawn on top)."""
    return tuple(d.key for d in sorted(LAYERS, key=lambda d: d.draw_rank))


def legend_order() -> tuple[str, ...]:
    """Layer keys in legend order: what a planner reads first at the top."""
    return tuple(d.key for d in sorted(LAYERS, key=lambda d: d.legend_rank))


def shown_at_start() -> frozenset[str]:
    """Layers ticked when the map opens (the others are in the layer control, unticked)."""
    return frozenset(d.key for d in LAYERS if d.shown)


def toggleable() -> tuple[str, ...]:
    """Layers the sidebar can switch on at start, topmost first."""
    return tuple(k for k in reversed(draw_order())
                 if layer(k).toggle and PLANNER in layer(k).pages)


def file_layers() -> tuple[str, ...]:
    """Layers drawn from one loaded file, in legend order (how the page lists them)."""
    return tuple(k for k in legend_order() if layer(k).from_file)


def data_layers() -> tuple[str, ...]:
    """The file layers whose own records say whether they are illustrative (the layers of the
    sample data set), in legend order."""
    return tuple(k for k in file_layers() if layer(k).source_layer == k)


def is_illustrative(defn: MapLayerDef, sources: Mapping[str, str]) -> bool:
    """Whether layer ``defn`` is shown as illustrative: every record of its source layer is an
    illustrative stand-in (``sources``: :attr:`analysis.inputs.Inputs.sources`)."""
    return defn.source_layer is not None and sources.get(defn.source_layer) == ILLUSTRATIVE


def illustrative_layers(sources: Mapping[str, str]) -> frozenset[str]:
    """Keys of the layers :func:`is_illustrative` marks for ``sources``."""
    return frozenset(d.key for d in LAYERS if is_illustrative(d, sources))


def page_layers(key: cache.DataKey, sel: Selection, lang: str, page: Page, *,
                site_technologies: Sequence[str] = (), scenario: bool = False,
                ) -> list[LayerSpec]:
    """Every layer ``page`` draws for the data ``key``, the selection and the language (each
    cached on its own). ``site_technologies`` and ``scenario``: the sidebar's BTS filter and
    2G/3G switch-off (the sites layer is left out without technologies)."""
    data, _ = cache.inputs(key)
    query = LayerQuery(key, sel, lang, page, tuple(site_technologies), scenario,
                       illustrative_layers(data.sources))
    specs = (d.build(query) for d in LAYERS if page in d.pages)
    return [spec for spec in specs if spec is not None]
