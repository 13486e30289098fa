"""Place layers: the IT-support points, the villages and the places a 2G/3G switch-off leaves
without service, with their assessment in plain words.

The 117 support points are small SVG icons (shape = type, fill = service status, ring =
fibre within reach); villages and lost places are canvas circles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from analysis.status import STATUSES, good_threshold, signal_class, status_of
from geo.settings import SETTINGS
from i18n import format_dbm, format_float, format_int
from i18n.labels import (
    DATA_SOURCES,
    FIBRE_RING_LEGEND,
    GAP_REASONS,
    PLACE_KINDS,
    POINT_LOCATIONS,
    POINT_TYPES,
    SIGNAL_CLASSES,
    STATUS_NAMES,
)
from i18n.translator import N_, t
from ui.map.legend import legend_heading, legend_row, swatch_circle, swatch_svg
from ui.map.spec import (
    LayerSpec,
    column,
    escape,
    escape_text,
    escaped,
    fields,
    geojson_spec,
    layer_name,
    number,
    numbers,
    t_html,
    translated,
)
from ui.map.style import FIBRE_RING, LOST_STYLE, POINT_ICON_SIZE, STATUS_COLOURS, VILLAGE_STYLE


def reason_text(reason: Any, lang: str, *, technology: str, threshold: float,
                shadow_db: Any = None) -> str:
    """The gap reason of a place in plain words (not escaped: translation text only)."""
    code = str(reason) if reason is not None and not pd.isna(reason) else ""
    thr = format_dbm(threshold, lang)
    db = "" if shadow_db is None or pd.isna(shadow_db) else format_float(shadow_db, lang, 1)
    try:
        return t(lang, GAP_REASONS[code or 'served'], technology=technology, threshold=thr,
                 db=db or "?")
    except KeyError:
        return code


def point_icon(point_type: str, status: str, fibre: bool | None) -> str:
    """SVG of a support point: circle (commune) or triangle (village), filled by status,
    ringed solid (fibre within reach) or dashed (none); grey ring when fibre is unknown."""
    n = POINT_ICON_SIZE
    fill = STATUS_COLOURS.get(status, "#9e9e9e")
    ring = FIBRE_RING.get(bool(fibre), FIBRE_RING[False]) if fibre is not None else None
    stroke = ring["colour"] if ring else "#ffffff"
    dash = f' stroke-dasharray="{ring["dash"]}"' if ring and ring["dash"] else ""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="2.2"{dash}'
    if point_type == "village":
        shape = f'<polygon points="{n / 2:g},1.8 {n - 1.6:g},{n - 2.4:g} 1.6,{n - 2.4:g}" {paint}/>'
    else:
        shape = f'<circle cx="{n / 2:g}" cy="{n / 2:g}" r="{n / 2 - 2.2:g}" {paint}/>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{n}" height="{n}" '
            f'viewBox="0 0 {n} {n}">{shape}</svg>')


def status_legend(lang: str, heading: str, *, with_shapes: bool) -> str:
    parts = [legend_heading(heading)]
    if with_shapes:
        for kind in ("commune", "village"):
            parts.append(legend_row(swatch_svg(point_icon(kind, "unknown", None)),
                                    t_html(POINT_TYPES[kind], lang)))
    for status in STATUSES:
        colour = STATUS_COLOURS[status]
        parts.append(legend_row(swatch_circle(colour, "#333333", 12, 1),
                                t_html(STATUS_NAMES[status], lang)))
    if with_shapes:
        for fibre in (True, False):
            parts.append(legend_row(swatch_svg(point_icon("commune", "unknown", fibre)),
                                    t_html(FIBRE_RING_LEGEND[str(fibre).lower()], lang)))
    return "".join(parts)


def _place_rows(places: gpd.GeoDataFrame, table: pd.DataFrame | None, lang: str, *,
                technology: str, threshold: float, fibre_reach_m: float,
                ) -> dict[str, tuple[str, list[str]]]:
    """Popup rows (label, escaped values) of the analysis fields of places (support points or
    villages), by name: status, signal, servers, serving, reason, by_operator, nearest,
    fibre. Empty when there is no assessment ``table``."""
    if table is None:
        return {}
    table = table.reindex(places.index)
    good = good_threshold(technology)
    n = len(table)
    status = [t_html(STATUS_NAMES[status_of(v)], lang)
              + (f" ({escape_text(str(v))})" if status_of(v) == "4g" else "")
              for v in table["best_technology"]]
    signal = []
    for value in column(table, "best_signal_dbm"):
        cls = signal_class(value, threshold, good)
        word = t(lang, SIGNAL_CLASSES[cls])
        signal.append(escape_text(f"{format_dbm(value, lang)} ({word})" if cls != "none" else word))
    servers = []
    for count, red in zip(column(table, "servers"), column(table, "redundancy"), strict=True):
        if count is None or pd.isna(count):
            servers.append("")
        else:
            servers.append(f"{format_int(count, lang)} · "
                           f"{t_html(N_('redundancy'), lang)} {escape(red)}")
    serving = []
    for site, op, dist in zip(column(table, "serving_site"), column(table, "serving_operator"),
                              column(table, "serving_distance_m"), strict=True):
        if site is None or pd.isna(site):
            serving.append("")
        else:
            metres = number(dist, lang, suffix=" m")
            serving.append(f"{escape(site)} ({escape(op)}, {metres})")
    per_op: list[list[str]] = [[] for _ in range(n)]
    nearest: list[list[str]] = [[] for _ in range(n)]
    for op in SETTINGS.radio.operators:
        sig = f"signal_{op}_dbm"
        if sig in table.columns:
            for i, v in enumerate(table[sig]):
                per_op[i].append(f"{escape(op)}: {format_dbm(v, lang) or '—'}")
        near, near_site = f"nearest_{op}_m", f"nearest_{op}_site"
        if near in table.columns:
            metres = numbers(table[near], lang, suffix=" m")
            for i, site in enumerate(column(table, near_site)):
                nearest[i].append(f"{escape(op)}: {metres[i] or '—'} ({escape(site)})")
    reasons = [escape_text(reason_text(r, lang, technology=technology, threshold=threshold,
                                       shadow_db=s))
               for r, s in zip(table["reason"], column(table, "shadow_db"), strict=True)]
    fibre = []
    reach = format_int(fibre_reach_m, lang)
    for within, dist in zip(column(table, "fibre"), column(table, "fibre_distance_m"),
                            strict=True):
        metres = number(dist, lang)
        if within is None or pd.isna(within):
            fibre.append("")
        else:
            key = (N_("Yes: {distance} m away (within {reach} m)") if bool(within)
                   else N_("No: {distance} m away (beyond {reach} m)"))
            fibre.append(t_html(key, lang, distance=metres or "?", reach=reach))
    tech = technology
    return {
        "status": (t_html(N_("Service (any technology)"), lang), status),
        "signal": (t_html(N_("Best {technology} signal"), lang, technology=tech), signal),
        "servers": (t_html(N_("{technology} sites serving"), lang, technology=tech), servers),
        "serving": (t_html(N_("Serving site"), lang), serving),
        "reason": (t_html(N_("Assessment"), lang), reasons),
        "by_operator": (t_html(N_("{technology} signal by operator"), lang, technology=tech),
                        ["<br>".join(v) for v in per_op]),
        "nearest": (t_html(N_("Nearest site by operator"), lang),
                    ["<br>".join(v) for v in nearest]),
        "fibre": (t_html(N_("Fibre"), lang), fibre),
    }


def _popup_layer(gdf: gpd.GeoDataFrame, rows: Sequence[tuple[str, Sequence[str]]],
                 tip_rows: Sequence[int], lang: str) -> tuple[dict[str, list[str]],
                                                              dict[str, Any], dict[str, Any]]:
    """Properties (``f0`` = escaped name, then one per row), the popup spec (title + every
    row) and the tooltip spec (name + the rows at positions ``tip_rows``)."""
    props, popup = fields(rows, lang, first=1)
    props["f0"] = escaped(gdf, "name")
    popup["title"] = "f0"
    tooltip = {"fields": ["f0"] + [popup["fields"][i] for i in tip_rows],
               "aliases": [t_html(N_("Name"), lang)] + [popup["aliases"][i] for i in tip_rows]}
    return props, popup, tooltip


def points_spec(gdf: gpd.GeoDataFrame, lang: str, table: pd.DataFrame | None = None, *,
                technology: str = "4G", threshold: float | None = None,
                fibre_reach_m: float = SETTINGS.gaps.fibre_reach_m,
                illustrative: bool = False) -> LayerSpec:
    """The IT-support points: shape by type, fill by service status, ring by fibre; the popup
    holds every gap field with the reason in plain words (``table`` = the assessment)."""
    threshold = SETTINGS.radio.covered_dbm[technology] if threshold is None else threshold
    kinds = [str(v) for v in column(gdf, "point_type")]
    if table is not None:
        aligned = table.reindex(gdf.index)
        statuses = [status_of(v) for v in aligned["best_technology"]]
        fibres: list[bool | None] = [bool(v) if pd.notna(v) else None for v in aligned["fibre"]]
    else:
        statuses, fibres = ["unknown"] * len(gdf), [None] * len(gdf)
    combos = sorted(set(zip(kinds, statuses, fibres, strict=True)), key=str)
    index = {combo: i for i, combo in enumerate(combos)}
    styles = [{"html": point_icon(*combo), "size": POINT_ICON_SIZE} for combo in combos]
    style_ids = [index[c] for c in zip(kinds, statuses, fibres, strict=True)]
    place = _place_rows(gdf, table, lang, technology=technology, threshold=threshold,
                        fibre_reach_m=fibre_reach_m)
    rows = [
        (N_("Point type"), translated(kinds, POINT_TYPES, lang)),
        (N_("Commune or ward (2025)"), escaped(gdf, "commune_2025")),
        (N_("District (2020)"), escaped(gdf, "district")),
        (N_("Commune (2020)"), escaped(gdf, "commune_2020")),
        (N_("Village"), escaped(gdf, "village")),
        *place.values(),
        (N_("How it was located"), translated(column(gdf, "location"), POINT_LOCATIONS, lang)),
        (N_("Data source"), translated(column(gdf, "source"), DATA_SOURCES, lang)),
    ]
    tips = [0, 5, 9] if place else [0, 1]  # type, then status and reason
    props, popup, tooltip = _popup_layer(gdf, rows, tips, lang)
    name = layer_name("points", lang, illustrative=illustrative)
    return geojson_spec("points", name, gdf, props, styles=styles, style_ids=style_ids,
                        tooltip=tooltip, popup=popup,
                        legend=status_legend(lang, t_html(N_("Support points"), lang),
                                             with_shapes=True))


def villages_spec(gdf: gpd.GeoDataFrame, lang: str, table: pd.DataFrame | None = None, *,
                  technology: str = "4G", threshold: float | None = None,
                  fibre_reach_m: float = SETTINGS.gaps.fibre_reach_m,
                  illustrative: bool = False) -> LayerSpec:
    """Villages (thôn, bản) as small dots coloured by service status."""
    threshold = SETTINGS.radio.covered_dbm[technology] if threshold is None else threshold
    if table is not None:
        statuses = [status_of(v) for v in table.reindex(gdf.index)["best_technology"]]
    else:
        statuses = ["unknown"] * len(gdf)
    order = [*STATUSES, "unknown"]
    styles = [{**VILLAGE_STYLE, "fillColor": STATUS_COLOURS.get(s, "#8d6e63")} for s in order]
    style_ids = [order.index(s) for s in statuses]
    place = _place_rows(gdf, table, lang, technology=technology, threshold=threshold,
                        fibre_reach_m=fibre_reach_m)
    rows = [
        (N_("Commune or ward (2025)"), escaped(gdf, "commune_2025")),
        (N_("Population"), numbers(column(gdf, "population"), lang)),
        *[place[k] for k in ("status", "signal", "servers", "reason", "fibre") if k in place],
        (N_("Data source"), translated(column(gdf, "source"), DATA_SOURCES, lang)),
    ]
    props, popup, tooltip = _popup_layer(gdf, rows, [0, 2] if place else [0], lang)
    legend = (status_legend(lang, t_html(N_("Village"), lang), with_shapes=False)
              if table is not None else
              legend_row(swatch_circle("#8d6e63", VILLAGE_STYLE["color"], 8),
                         t_html(N_("Village"), lang)))
    name = layer_name("villages", lang, illustrative=illustrative)
    return geojson_spec("villages", name, gdf, props, styles=styles, style_ids=style_ids,
                        tooltip=tooltip, popup=popup, legend=legend)


def lost_spec(places: Sequence[tuple[gpd.GeoDataFrame, pd.DataFrame, str]], lang: str, *,
              illustrative: bool = False) -> LayerSpec:
    """Scenario: the places that lose all service, as thick rings around them.

    ``places`` holds (layer, lost table of :func:`analysis.gaps.lose_all_service`, kind)
    with kind ``points`` or ``villages``.
    """
    frames = []
    for gdf, lost, kind in places:
        if lost is None or len(lost) == 0:
            continue
        part = gdf.loc[lost.index, ["name", "geometry"]].copy()
        part["kind"] = t_html(PLACE_KINDS[kind], lang)
        part["had"] = [escape(v) for v in lost["had"]]
        frames.append(part)
    name = layer_name("lost", lang, illustrative=illustrative)
    legend = legend_row(swatch_circle("transparent", LOST_STYLE["color"], 16, 3),
                        t_html(N_("Loses all service at 2G/3G off"), lang))
    if not frames:
        return LayerSpec("lost", name, legend=legend)
    gdf = gpd.GeoDataFrame(pd.concat(frames), geometry="geometry", crs=SETTINGS.crs.display)
    rows = [(N_("Kind"), list(gdf["kind"])), (N_("Has today"), list(gdf["had"]))]
    props, tip = fields(rows, lang, first=1)
    props["f0"] = escaped(gdf, "name")
    tip["title"] = "f0"
    return geojson_spec("lost", name, gdf, props, styles=[LOST_STYLE], tooltip=tip,
                        legend=legend)
