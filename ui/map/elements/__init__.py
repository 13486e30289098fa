"""Small Leaflet elements for folium that render fast from cached, pre-serialised data.

folium's ``GeoJson`` evaluates a Python style function for every feature and serialises the
data on every render; streamlit-folium renders the map twice per rerun. For a map redrawn
on every filter change this costs about a second, so the planner's layers use
:class:`MapLayer` (and :class:`FastGeoJson` for small extra groups) instead: the GeoJSON text,
the style table and the tooltip/popup field lists are built once (and cached by the app), and
rendering only pastes the text in, or the URL of a file holding it (:mod:`ui.map.files`),
which the map fetches, in parallel, and adds in the declared order.

The JavaScript helpers (:class:`MapScripts`, added to the map before any layer) build each
feature's tooltip and popup lazily, on first hover or click, from its properties. Property
values are HTML-escaped in Python before they get here (:func:`ui.map.spec.escape`), and
:func:`script_json` additionally encodes ``<``, ``>`` and ``&`` as ``\\u`` escapes so that no
data can close the ``<script>`` element.

Why :class:`RawRender`: branca wraps the rendered text of every element in a new
``Element(template=text)``, i.e. it *compiles the output as a Jinja template* a second time.
That is slow for large data (≈0.5 s per render for the planner's 1.6 MB of layers), and it is
a server-side template injection: a feature named ``{{ 7*7 }}`` is shown as ``49`` by
``folium.GeoJson``. The elements here add their output as plain text instead, and
:func:`script_json` breaks up ``{{``, ``{%`` and ``{#`` in any case.

One element per module, as folium/plugins does; import them from here.
"""

from ui.map.elements.fast_geojson import FastGeoJson
from ui.map.elements.guarded_search import GuardedSearch
from ui.map.elements.image_layer import ImageLayer
from ui.map.elements.lean_map import LeanMap
from ui.map.elements.legend import Legend
from ui.map.elements.map_layer import MapLayer
from ui.map.elements.map_scripts import MapScripts
from ui.map.elements.map_style import MapStyle
from ui.map.elements.raw_render import RawRender
from ui.map.elements.raw_text import RawText
from ui.map.elements.safe_json import script_json

__all__ = [
    "FastGeoJson",
    "GuardedSearch",
    "ImageLayer",
    "LeanMap",
    "Legend",
    "MapLayer",
    "MapScripts",
    "MapStyle",
    "RawRender",
    "RawText",
    "script_json",
]
