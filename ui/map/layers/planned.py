"""Planning-page layers: the proposed sites and the sites the optimiser chose, as diamonds,
and the legend rows of their symbols."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.settings import SETTINGS
from i18n import format_float, format_int
from i18n.translator import N_, t
from ui.map.elements import FastGeoJson, script_json
from ui.map.legend import legend_heading, legend_row, swatch_svg
from ui.map.spec import LayerSpec, escape, feature_collection, t_html

PROPOSED_COLOUR: str = "#6a1b9a"
PLANNED_COLOUR: str = "#e65100"
SITE_ICON_SIZE: int = 22  # pixels


def site_icon(colour: str, label: str = "") -> str:
    """SVG of a new site: a diamond in ``colour`` with a white ring and an optional short
    label (digits only, e.g. the rank)."""
    n = SITE_ICON_SIZE
    text = ""
    if label:
        text = (f'<text x="{n / 2:g}" y="{n / 2 + 3.5:g}" font-size="9" font-weight="700" '
                f'text-anchor="middle" fill="#ffffff" font-family="sans-serif">'
                f"{escape(label)}</text>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{n}" height="{n}" '
            f'viewBox="0 0 {n} {n}"><polygon points="{n / 2:g},1.5 {n - 1.5:g},{n / 2:g} '
            f'{n / 2:g},{n - 1.5:g} 1.5,{n / 2:g}" fill="{colour}" stroke="#ffffff" '
            f'stroke-width="2"/>{text}</svg>')


def new_sites_layer(sites: pd.DataFrame, lang: str, *, planned: bool) -> FastGeoJson:
    """Proposed (``planned=False``) or chosen sites (WGS84 ``lon``/``lat``) as a
    :class:`FastGeoJson`, every text escaped; chosen sites carry their rank in the symbol."""
    gdf = gpd.GeoDataFrame(sites.reset_index(drop=True),
                           geometry=gpd.points_from_xy(sites["lon"], sites["lat"]),
                           crs=SETTINGS.crs.display)
    colour = PLANNED_COLOUR if planned else PROPOSED_COLOUR
    kind = t(lang, N_("Optimised site") if planned else N_("Proposed site"))
    labels = ([str(int(r)) for r in gdf["rank"]] if planned and "rank" in gdf
              else [""] * len(gdf))
    styles = [{"html": site_icon(colour, label), "size": SITE_ICON_SIZE} for label in labels]
    props = {
        "f0": [escape(f"{kind} {s}") for s in gdf["site_id"]],
        "f1": [escape(v) for v in gdf["operator"]],
        "f2": [escape(v) for v in gdf["technology"]],
        "f3": [escape(f"{format_int(v, lang)} m") for v in gdf["height_m"]],
        "f4": [escape(f"{format_float(v, lang, 1)} dBm") for v in gdf["eirp_dbm"]],
        "f5": [escape(f"{x:.5f}, {y:.5f}") for x, y in zip(gdf["lon"], gdf["lat"], strict=True)],
    }
    aliases = [t_html(k, lang) for k in (N_("Operator"), N_("Technology"),
                                         N_("Antenna height"), N_("EIRP"),
                                         N_("Longitude, latitude"))]
    data = feature_collection(gdf, props, styles=list(range(len(gdf))))
    options = {"styles": styles or [{}], "interactive": True,
               "tooltip": {"title": "f0", "fields": ["f1", "f2", "f3", "f4", "f5"],
                           "aliases": aliases}}
    return FastGeoJson(script_json(data), script_json(options))


def symbols_legend(lang: str) -> LayerSpec:
    """Legend rows (no data) for the proposed and the chosen sites."""
    rows = "".join(legend_row(swatch_svg(site_icon(colour)), t_html(key, lang))
                   for colour, key in ((PROPOSED_COLOUR, N_("Proposed site")),
                                       (PLANNED_COLOUR, N_("Optimised site"))))
    return LayerSpec("new_sites", "", legend=legend_heading(t_html(N_("New sites"), lang))
                     + rows)
