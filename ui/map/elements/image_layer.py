"""An image overlay (the coverage raster) between two lat/lon corners."""

from __future__ import annotations

from typing import Any

from branca.element import Template

from ui.map.elements.raw_render import RawRender


class ImageLayer(RawRender):
    """An image overlay (e.g. a ``data:`` PNG URL) between lat/lon ``bounds``
    ``[[south, west], [north, east]]``, not interactive; add it to a FeatureGroup."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.imageOverlay({{ this.url|tojson }},
            {{ this.bounds|tojson }}, {opacity: {{ this.opacity|tojson }}, interactive: false,
            className: "laocai-raster"}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str, bounds: Any, opacity: float = 0.6) -> None:
        super().__init__()
        self._name = "ImageLayer"
        self.url = url
        self.bounds = [list(b) for b in bounds]
        self.opacity = opacity
