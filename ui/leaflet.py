"""Small Leaflet elements for folium that render fast from cached, pre-serialised data.

folium's ``GeoJson`` evaluates a Python style function for every feature and serialises the
data on every render; streamlit-folium renders the map twice per rerun. For a map redrawn
on every filter change this costs about a second, so the planner's layers use
:class:`MapLayer` (and :class:`FastGeoJson` for small extra groups) instead: the GeoJSON text,
the style table and the tooltip/popup field lists are built once (and cached by the app), and
rendering only pastes the text in, or the URL of a file holding it (:mod:`ui.layer_files`),
which the map fetches, in parallel, and adds in the declared order.

The JavaScript helpers (:class:`MapScripts`, added to the map before any layer) build each
feature's tooltip and popup lazily, on first hover or click, from its properties. Property
values are HTML-escaped in Python before they get here (:func:`ui.map_layers.escape`), and
:func:`script_json` additionally encodes ``<``, ``>`` and ``&`` as ``\\u`` escapes so that no
data can close the ``<script>`` element.

Why :class:`RawRender`: branca wraps the rendered text of every element in a new
``Element(template=text)``, i.e. it *compiles the output as a Jinja template* a second time.
That is slow for large data (≈0.5 s per render for the planner's 1.6 MB of layers), and it is
a server-side template injection: a feature named ``{{ 7*7 }}`` is shown as ``49`` by
``folium.GeoJson``. The elements here add their output as plain text instead, and
:func:`script_json` breaks up ``{{``, ``{%`` and ``{#`` in any case.
"""

from __future__ import annotations

import json
from typing import Any

from branca.element import Element, Figure, MacroElement, Template
from folium.plugins import Search


def script_json(value: Any) -> str:
    """Compact JSON text of ``value`` that is safe inside an HTML ``<script>`` element.

    >>> script_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # "{{", "{%" and "{#" never occur in JSON structure, only inside strings: break them up so
    # that no template engine can read the data as a tag.
    return text.replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")


class RawText(Element):
    """Text added to a figure as is (branca's ``Element(text)`` compiles it as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawText"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        del kwargs
        return self.text


class RawRender(MacroElement):
    """A MacroElement whose header, html and script macros are added to the figure as
    :class:`RawText` (see the module docstring)."""

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("You cannot render this Element if it is not in a Figure.")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(RawText(str(macro(self, kwargs))),
                                                name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


_HELPERS = r"""
window.laocai = window.laocai || {};
laocai.cell = function (v) {
    return (v === null || v === undefined || v === "") ? "\u2014" : v;
};
laocai.table = function (p, fields, aliases) {
    var h = "<table>";
    for (var i = 0; i < fields.length; i++) {
        h += "<tr><th>" + aliases[i] + "</th><td>" + laocai.cell(p[fields[i]]) + "</td></tr>";
    }
    return h + "</table>";
};
laocai.layer = function (data, o) {
    var styles = o.styles || [{}];
    var interactive = o.interactive !== false;
    function style(f) { return styles[(f.properties && f.properties._s) || 0]; }
    function content(f, spec) {
        var title = spec.title ? "<div class=\"laocai-title\">"
            + laocai.cell(f.properties[spec.title]) + "</div>" : "";
        var note = spec.note ? "<div class=\"laocai-note\">"
            + laocai.cell(f.properties[spec.note]) + "</div>" : "";
        return title + laocai.table(f.properties, spec.fields, spec.aliases) + note;
    }
    return L.geoJson(data, {
        interactive: interactive,
        style: style,
        pointToLayer: function (f, ll) {
            var s = style(f);
            if (s.html !== undefined) {
                var n = s.size || 16;
                return L.marker(ll, {
                    icon: L.divIcon({html: s.html, className: "laocai-icon",
                                     iconSize: [n, n], iconAnchor: [n / 2, n / 2],
                                     popupAnchor: [0, -n / 2], tooltipAnchor: [n / 2, 0]}),
                    interactive: interactive, keyboard: false, riseOnHover: true
                });
            }
            return L.circleMarker(ll, Object.assign({interactive: interactive}, s));
        },
        onEachFeature: function (f, l) {
            if (o.tooltip) {
                l.bindTooltip(function () { return content(f, o.tooltip); },
                              {sticky: !!o.sticky, className: "laocai-tip"});
            }
            if (o.popup) {
                l.bindPopup(function () { return content(f, o.popup); },
                            {maxWidth: 420, minWidth: 260, maxHeight: 340,
                             className: "laocai-popup"});
            }
            if (o.highlight && l.setStyle) {
                l.on("mouseover", function () { l.setStyle(o.highlight); });
                l.on("mouseout", function () { l.setStyle(style(f)); });
            }
        }
    });
};
// Layers added in the order the map declares them (the canvas draws and hit-tests in that
// order), whether their data is inline or still being fetched from a file. A layer whose
// group starts hidden is fetched when the group is first shown. ``laocai.pending`` counts
// the declared layers not yet on the map (0: every layer shown at start is drawn).
laocai.pending = 0;
laocai.queue = [];
laocai.flush = function () {
    while (laocai.queue.length && laocai.queue[0].layer !== undefined) {
        var slot = laocai.queue.shift();
        if (slot.layer) { slot.layer.addTo(slot.group); }
        laocai.pending -= 1;
    }
};
laocai.failed = function (text) {
    var list = document.querySelector(".laocai-alerts");
    if (!list) {
        list = document.createElement("div");
        list.className = "laocai-alerts";
        list.setAttribute("role", "alert");
        document.body.appendChild(list);
    }
    var box = document.createElement("div");
    box.className = "laocai-failed";
    box.textContent = text;
    list.appendChild(box);
};
laocai.load = function (source, o, failText, done) {
    if (typeof source !== "string") { done(laocai.layer(source, o)); return; }
    fetch(source).then(function (r) {
        if (!r.ok) { throw new Error(r.status + " " + r.statusText); }
        return r.json();
    }).then(function (data) {
        done(laocai.layer(data, o));
    }).catch(function (e) {
        if (window.console) { console.error(failText, source, e); }
        laocai.failed(failText);
        done(null);
    });
};
laocai.add = function (group, source, o, failText, lazy) {
    if (lazy) {
        group.once("add", function () {
            laocai.load(source, o, failText, function (l) { if (l) { l.addTo(group); } });
        });
        return;
    }
    var slot = {group: group, layer: undefined};
    laocai.queue.push(slot);
    laocai.pending += 1;
    laocai.load(source, o, failText, function (l) { slot.layer = l; laocai.flush(); });
};
"""


class MapScripts(RawRender):
    """The ``laocai.*`` JavaScript helpers; add to the map before any :class:`FastGeoJson`."""

    _template = Template("{% macro script(this, kwargs) %}" + _HELPERS + "{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapScripts"


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


class MapLayer(RawRender):
    """A layer of the planner's map, drawn by ``laocai.add`` in declaration order.

    ``source`` is either the FeatureCollection as text from :func:`script_json` (inline) or
    the URL of a file holding it (:mod:`ui.layer_files`), fetched when the map loads or, with
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
