"""A GeoJSON layer pasted inline from ready-made JSON text."""

from __future__ import annotations

from branca.element import Template

from ui.map.elements.raw_render import RawRender


class FastGeoJson(RawRender):
    """A GeoJSON layer drawn by ``laocai.layer`` from ready-made JSON text.

    ``data`` is the FeatureCollection and ``options`` the options object, both as text from
    :func:`script_json`. Options: ``styles`` (list of Leaflet path options, or for DOM icons
    ``{"html": ..., "size": px}``; a feature picks one by its ``_s`` property),
    ``tooltip`` / ``popup`` (``{"fields": [...], "aliases": [...], "title": key?,
    "note": key?}``), ``interactive``, ``sticky``, ``highlight`` (style on hover).
    Add it to a ``folium.FeatureGroup``, which gives it its place in the layer control.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = laocai.layer({{ this.data }}, {{ this.options }})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: str, options: str) -> None:
        super().__init__()
        self._name = "FastGeoJson"
        self.data = data
        self.options = options
