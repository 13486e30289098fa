"""The ``laocai.*`` JavaScript helpers that draw every layer of the planner's map."""

from __future__ import annotations

from branca.element import Template

from ui.map.elements.raw_render import RawRender

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
