"""A layer of the planner's map, inline or fetched from a file, added in declaration order."""

from __future__ import annotations

from branca.element import Template

from ui.map.elements.raw_render import RawRender
from ui.map.elements.safe_json import script_json


class MapLayer(RawRender):
    """A layer of the planner's map, drawn by ``laocai.add`` in declaration order.

    ``source`` is either the FeatureCollection as text from :func:`script_json` (inline) or
    the URL of a file holding it (:mod:`ui.map.files`), fetched when the map loads or, with
    ``lazy``, when its group is first shown. ``options`` as for :class:`FastGeoJson`;
    ``fail_text`` is shown (as text) if the file cannot be loaded. Add it to a
    ``folium.FeatureGroup``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        laocai.add({{ this._parent.get_name() }}, {{ this.source }}, {{ this.options }},
            {{ this.fail_text }}, {{ this.lazy }});
        {% endmacro %}
        """
    )

    def __init__(self, options: str, *, data: str = "", url: str = "", fail_text: str = "",
                 lazy: bool = False) -> None:
        super().__init__()
        if bool(data) == bool(url):
            raise ValueError("MapLayer takes either data or url")
        self._name = "MapLayer"
        self.source = data or script_json(url)
        self.options = options
        self.fail_text = script_json(fail_text)
        self.lazy = "true" if lazy else "false"
