"""The search box over the invisible search index, harmless when its plugin is missing."""

from __future__ import annotations

from typing import Any

from branca.element import Template
from folium.plugins import Search

from ui.map.elements.raw_render import RawRender


class GuardedSearch(RawRender, Search):
    """folium's leaflet-search control over a layer, indexing the ``q`` property.

    Guarded: when the plugin's script could not be loaded (no internet and no local copy)
    the rest of the map still works. On a match the map zooms in and opens the feature's
    popup, if it has one.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (L.Control && L.Control.Search) {
            var {{ this.get_name() }} = new L.Control.Search({
                layer: {{ this.layer.get_name() }},
                propertyName: {{ this.search_label|tojson }},
                initial: false,
                zoom: {{ this.search_zoom|tojson }},
                collapsed: {{ this.collapsed|tojson }},
                textPlaceholder: {{ this.placeholder|tojson }},
                textErr: {{ this.text_error|tojson }},
                textCancel: {{ this.text_cancel|tojson }},
                position: {{ this.position|tojson }},
                marker: {icon: false, animate: true,
                         circle: {radius: 18, weight: 3, color: "#d50000", fill: false}},
                hideMarkerOnCollapse: true
            });
            {{ this.get_name() }}.on("search:locationfound", function (e) {
                if (e.layer && e.layer.getPopup && e.layer.getPopup()) { e.layer.openPopup(); }
            });
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        }
        {% endmacro %}
        """
    )

    def __init__(self, layer: Any, *, placeholder: str, text_error: str, text_cancel: str,
                 search_zoom: int = 13, position: str = "topleft") -> None:
        super().__init__(layer, search_label="q", search_zoom=search_zoom,
                         geom_type="Point", position=position, placeholder=placeholder,
                         collapsed=False)
        self._name = "GuardedSearch"
        self.text_error = text_error
        self.text_cancel = text_cancel
