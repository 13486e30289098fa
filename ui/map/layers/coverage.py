"""Coverage layers: the modelled signal overlay, the gap areas and the fibre reach."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd

from analysis.status import good_threshold
from i18n import format_dbm, format_int
from i18n.labels import SIGNAL_MEASURES
from i18n.translator import N_, NP_
from ui.map.legend import legend_heading, legend_note, legend_row, swatch_box
from ui.map.raster import CLASS_COLOURS, CLASS_GOOD, CLASS_USABLE, CLASS_WEAK
from ui.map.spec import (
    LayerSpec,
    column,
    escape_text,
    escaped,
    fields,
    geojson_spec,
    layer_name,
    numbers,
    t_html,
)
from ui.map.style import GAP_STYLE, REACH_STYLE


def coverage_legend(lang: str, *, technology: str, threshold: float, good: float,
                    terrain_loaded: bool) -> str:
    """Legend rows of the coverage overlay: the classes in plain words and in dBm."""
    good = max(good, threshold)
    measure = t_html(SIGNAL_MEASURES[technology], lang) if technology in ("2G", "3G") else \
        t_html(N_("RSRP"), lang)
    thr, gd = format_dbm(threshold, lang), format_dbm(good, lang)
    rows = [
        (CLASS_GOOD, t_html(N_("good"), lang), f"≥ {gd}"),
        (CLASS_USABLE, t_html(N_("usable"), lang), f"{thr} – {gd}"),
        (CLASS_WEAK, t_html(N_("weak"), lang), f"< {thr}"),
    ]
    parts = [legend_heading(t_html(N_("Modelled {technology} signal ({measure})"), lang,
                                   technology=technology,
                                   measure=measure))]
    for code, word, rng in rows:
        parts.append(legend_row(swatch_box(CLASS_COLOURS[code], opacity=0.8),
                                f"{word}: {escape_text(rng)}"))
    parts.append(legend_row(swatch_box("transparent", "#999999"),
                            t_html(N_("None (not coloured)"), lang)))
    if not terrain_loaded:
        parts.append(legend_note(t_html(N_("Terrain not loaded: coverage is optimistic in "
                                           "mountains."), lang)))
    return "".join(parts)


def coverage_spec(url: str, bounds: tuple[tuple[float, float], tuple[float, float]], lang: str,
                  *, technology: str, threshold: float, good: float | None = None,
                  operators: Sequence[str] | None = None, terrain_loaded: bool = False,
                  illustrative: bool = False) -> LayerSpec:
    """The coverage overlay (a PNG of :func:`ui.map.raster.coverage_image`) and its legend;
    ``operators`` (None: all) are named in the layer name."""
    good = good_threshold(technology) if good is None else good
    names = f", {', '.join(operators)}" if operators else ""
    name = layer_name("coverage", lang, illustrative=illustrative, technology=technology,
                      operators=names)
    legend = coverage_legend(lang, technology=technology, threshold=threshold, good=good,
                             terrain_loaded=terrain_loaded)
    return LayerSpec("coverage", name, image_url=url, image_bounds=bounds, legend=legend,
                     size=len(url))


def gap_areas_spec(gaps: gpd.GeoDataFrame, lang: str, *, technology: str = "4G",
                   illustrative: bool = False) -> LayerSpec:
    """Areas inside the study-area communes where the selection has no service."""
    rows = [(N_("Area (km²)"), numbers(column(gaps, "area_km2"), lang, digits=2))]
    props, tooltip = fields(rows, lang, first=1)
    props["f0"] = escaped(gaps, "commune_name_2025")
    tooltip["title"] = "f0"
    name = layer_name("gap_areas", lang, illustrative=illustrative, technology=technology)
    legend = legend_row(swatch_box(GAP_STYLE["fillColor"], GAP_STYLE["color"], 0.6, True),
                        t_html(N_("{technology} gap area"), lang, technology=technology))
    if gaps is None or len(gaps) == 0:
        return LayerSpec("gap_areas", name, legend=legend)
    return geojson_spec("gap_areas", name, gaps, props, styles=[GAP_STYLE], tooltip=tooltip,
                        sticky=True, legend=legend)


def fibre_reach_spec(area: gpd.GeoDataFrame, lang: str, *, reach_m: float,
                     illustrative: bool = False) -> LayerSpec:
    """The fibre reach polygon (:func:`analysis.gaps.fibre_reach_area`, WGS84), translucent,
    not clickable."""
    reach = format_int(reach_m, lang)
    name = layer_name("fibre_reach", lang, illustrative=illustrative, reach=reach)
    legend = legend_row(swatch_box(REACH_STYLE["fillColor"], REACH_STYLE["color"], 0.5),
                        t_html(NP_("legend", "Within fibre reach ({reach} m)"), lang, reach=reach))
    if area is None or len(area) == 0:
        return LayerSpec("fibre_reach", name, legend=legend)
    return geojson_spec("fibre_reach", name, area, {}, styles=[REACH_STYLE],
                        interactive=False, legend=legend)
