"""The legend box as a Leaflet control."""

from __future__ import annotations

from branca.element import Template

from ui.map.elements.raw_render import RawRender


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
