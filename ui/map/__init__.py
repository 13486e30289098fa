"""The planner's Folium map, in two steps so that the app can cache the expensive one.

1. A *builder* (:mod:`ui.map.layers`) turns data (WGS84 GeoDataFrames, the analysis tables)
   into a :class:`ui.map.spec.LayerSpec`: translated name, escaped GeoJSON text, styles,
   tooltip/popup fields and legend rows. :mod:`ui.map.cached` caches them per data key,
   selection and language; :mod:`ui.map.registry` declares every layer once and answers
   "which layers does this page draw" (:func:`ui.map.registry.page_layers`).
2. :func:`ui.map.assemble.assemble_map` pastes specs on a fresh Leaflet-only map
   (:mod:`ui.map.elements`) with the layer control, legend, search box and tools.

Around them: :mod:`ui.map.style` (colours and path styles), :mod:`ui.map.legend` (legend
HTML), :mod:`ui.map.raster` (the coverage PNG), :mod:`ui.map.files` (layers served as files)
and :mod:`ui.map.assets` (the map's JavaScript and CSS served by the app).
"""
