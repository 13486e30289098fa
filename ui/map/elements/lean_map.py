"""A folium map that loads Leaflet only."""

from __future__ import annotations

from typing import ClassVar

import folium


class LeanMap(folium.Map):
    """A ``folium.Map`` that loads Leaflet only: the planner's layers draw their own icons and
    popups, so jQuery, Bootstrap, Font Awesome and awesome-markers (folium's defaults, ≈0.5 MB
    the map's frame would fetch and parse one after the other) are left out."""

    default_js: ClassVar[list[tuple[str, str]]] = [
        (name, url) for name, url in folium.Map.default_js if name == "leaflet"]
    default_css: ClassVar[list[tuple[str, str]]] = [
        (name, url) for name, url in folium.Map.default_css if name == "leaflet_css"]
