"""Boundary layers: the 2025 communes (with their figures), the population choropleth, the
approximate 2020 districts and the outline of the former province. None of them is ever
illustrative (official boundaries)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from i18n import format_int, format_share
from i18n.labels import INVESTMENT_AREA_NAMES
from i18n.translator import N_, NP_
from ui.map.legend import legend_heading, legend_row, swatch_box, swatch_line
from ui.map.spec import (
    LayerSpec,
    column,
    escape,
    escape_text,
    escaped,
    fields,
    geojson_spec,
    layer_name,
    numbers,
    t_html,
    translated,
)
from ui.map.style import (
    CHOROPLETH_BINS,
    CHOROPLETH_COLOURS,
    COMMUNE_HIGHLIGHT,
    COMMUNE_STYLE,
    DISTRICT_STYLE,
    INVESTMENT_AREA_STYLES,
    OLD_PROVINCE_STYLE,
)


def communes_spec(gdf: gpd.GeoDataFrame, lang: str, stats: pd.DataFrame | None = None, *,
                  technology: str = "4G") -> LayerSpec:
    """The 2025 communes and wards: thin outlines; tooltip with name, code, population and,
    inside the study area, the shares with ``technology`` and the points in a gap."""
    names = [escape(full) or escape(short)
             for full, short in zip(column(gdf, "full_name"), column(gdf, "name"), strict=True)]
    rows: list[tuple[str, list[str]]] = [
        (N_("Unit code"), escaped(gdf, "code")),
        (N_("Population"), numbers(column(gdf, "population"), lang)),
    ]
    tech = technology
    if stats is not None:
        s = stats.set_index("code").reindex(gdf["code"].astype(str))
        outside = t_html(N_("outside the analysed area"), lang)
        inside = s["area_share"].notna().to_numpy()

        def col(values: list[str]) -> list[str]:
            return [v if ok else outside for v, ok in zip(values, inside, strict=True)]

        gap_points = [f"{format_int(g, lang)} / {format_int(n, lang)}" if ok else outside
                      for g, n, ok in zip(s["points_in_gap"].fillna(0), s["points"].fillna(0),
                                          inside, strict=True)]
        gap_villages = [f"{format_int(g, lang)} / {format_int(n, lang)}" if ok else outside
                        for g, n, ok in zip(s["villages_in_gap"].fillna(0),
                                            s["villages"].fillna(0), inside, strict=True)]
        rows += [
            (t_html(N_("Area with {technology}"), lang, technology=tech),
             col([format_share(v, lang) for v in s["area_share"]])),
            (t_html(N_("Population with {technology}"), lang, technology=tech),
             col([format_share(v, lang) for v in s["population_share"]])),
            (N_("Support points in a gap"), gap_points),
            (NP_("field", "Villages in a gap"), gap_villages),
        ]
    props, tooltip = fields(rows, lang, first=1)
    props["f0"] = names
    tooltip["title"] = "f0"
    legend = legend_row(swatch_line(COMMUNE_STYLE["color"], 1), t_html(
                                                                          N_("Commune or ward "
                                                                             "(2025)"), lang))
    return geojson_spec("communes", layer_name("communes", lang), gdf, props,
                        styles=[COMMUNE_STYLE], tooltip=tooltip, highlight=COMMUNE_HIGHLIGHT,
                        sticky=True, legend=legend)


def choropleth_class(share: Any) -> int:
    """Class of a population share (0–1) in :data:`CHOROPLETH_BINS` (−1 for NaN)."""
    if share is None or pd.isna(share):
        return -1
    return int(np.searchsorted(CHOROPLETH_BINS, float(share), side="right"))


def choropleth_spec(gdf: gpd.GeoDataFrame, stats: pd.DataFrame, lang: str, *,
                    technology: str = "4G") -> LayerSpec:
    """The study-area communes filled by the share of their population with service."""
    s = stats.set_index("code")["population_share"]
    inside = gdf[gdf["code"].astype(str).isin(s.index)]
    classes = [choropleth_class(s.get(str(c))) for c in inside["code"]]
    styles = [{"stroke": False, "fillColor": colour, "fillOpacity": 0.6}
              for colour in CHOROPLETH_COLOURS]
    edges = [0.0, *CHOROPLETH_BINS, 1.0]
    rows = []
    for i, colour in enumerate(CHOROPLETH_COLOURS):
        if i == 0:
            text = f"< {format_share(edges[1], lang, 0)}"
        elif i == len(CHOROPLETH_COLOURS) - 1:
            text = f"≥ {format_share(edges[i], lang, 0)}"
        else:
            text = f"{format_share(edges[i], lang, 0)} – {format_share(edges[i + 1], lang, 0)}"
        rows.append(legend_row(swatch_box(colour, opacity=0.75), escape_text(text)))
    heading = t_html(N_("Population with {technology} (by commune)"), lang, technology=technology)
    return geojson_spec("choropleth", layer_name("choropleth", lang, technology=technology),
                        inside, {}, styles=styles, style_ids=[max(c, 0) for c in classes],
                        interactive=False, legend=legend_heading(heading) + "".join(rows))


def investment_areas_spec(gdf: gpd.GeoDataFrame, areas: pd.DataFrame, lang: str) -> LayerSpec:
    """The 2025 units that Quyết định 2167/QĐ-UBND (2026) lists as extremely difficult or
    difficult investment areas (``areas``: :func:`geo.admin.load_investment_areas`), hatched
    by category; a reference layer transcribed by a third party (said in its name)."""
    category = areas.set_index("code")["category"]
    listed = gdf[gdf["code"].astype(str).isin(category.index)]
    codes = [str(category[str(c)]) for c in listed["code"]]
    order = list(INVESTMENT_AREA_STYLES)
    rows = [(N_("Name"), escaped(listed, "full_name")),
            (N_("QĐ 2167/2026"), translated(codes, INVESTMENT_AREA_NAMES, lang))]
    props, tooltip = fields(rows, lang)
    styles = [INVESTMENT_AREA_STYLES[c] for c in order]
    heading = legend_heading(t_html(N_("Investment areas, QĐ 2167/QĐ-UBND (2026)"), lang))
    legend = heading + "".join(
        legend_row(swatch_box(INVESTMENT_AREA_STYLES[c]["color"], opacity=0.45),
                   t_html(INVESTMENT_AREA_NAMES[c], lang)) for c in order)
    return geojson_spec("investment_areas", layer_name("investment_areas", lang), listed, props,
                        styles=styles, style_ids=[order.index(c) for c in codes],
                        tooltip=tooltip, legend=legend)


def districts_spec(outlines: gpd.GeoDataFrame, lang: str) -> LayerSpec:
    """Approximate 2020 district outlines (see :func:`geo.admin.district_outlines`)."""
    rows = [(N_("District code"), escaped(outlines, "district_code")),
            (N_("2025 units dissolved"), numbers(column(outlines, "units"), lang)),
            (N_("Note"), [t_html(N_("Approximate: the 2025 units grouped by the old district they "
                                    "were formed from (no open 2020 district boundaries exist)."),
                                 lang)] * len(outlines))]
    props, tooltip = fields(rows, lang, first=1)
    props["f0"] = escaped(outlines, "district")
    tooltip["title"] = "f0"
    legend = legend_row(swatch_line(DISTRICT_STYLE["color"], 2, dash=True),
                        t_html(N_("2020 district (approximate)"), lang))
    return geojson_spec("districts_2020", layer_name("districts_2020", lang), outlines, props,
                        styles=[DISTRICT_STYLE], tooltip=tooltip, sticky=True, legend=legend)


def old_province_spec(gdf: gpd.GeoDataFrame, lang: str) -> LayerSpec:
    """Outline of old Lào Cai (before 2025): thick dashed line, not clickable."""
    legend = legend_row(swatch_line(OLD_PROVINCE_STYLE["color"], 3, dash=True),
                        t_html(N_("Former Lào Cai province"), lang))
    return geojson_spec("old_province", layer_name("old_province", lang), gdf, {},
                        styles=[OLD_PROVINCE_STYLE], interactive=False, legend=legend)
