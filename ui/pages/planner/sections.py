"""Pieces of the planner page: header, banners, layer summary, analysis warnings, About.

Each function draws one part of the page in the language given and returns what the caller
needs (the names it showed); all text comes from :mod:`i18n`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import streamlit as st

from geo.dem import TERRAIN_NOT_LOADED_WARNING
from geo.settings import SETTINGS
from i18n import format_dbm, format_int, t
from ui.map import registry
from ui.map.spec import escape


def page_header(lang: str) -> None:
    """Title and one-line explanation of the page."""
    st.title(t("app.title", lang))
    st.caption(t("app.caption", lang))


def layer_summary(layers: Mapping[str, gpd.GeoDataFrame | None], sources: Mapping[str, str],
                  lang: str) -> None:
    """Sidebar list: how many features each loaded layer has."""
    lines = []
    for key in registry.file_layers():
        gdf = layers.get(key)
        if key == "old_province" or gdf is None or len(gdf) == 0:
            continue
        illustrative = registry.is_illustrative(registry.layer(key), sources)
        suffix = f" {t('layer.illustrative_suffix', lang)}" if illustrative else ""
        lines.append(f"- {t(f'layer.{key}', lang)}{suffix}: **{format_int(len(gdf), lang)}**")
    if lines:
        st.sidebar.markdown(f"**{t('sidebar.layer_counts', lang)}**\n\n" + "\n".join(lines))


def analysis_warnings(warnings: Sequence[str], lang: str) -> None:
    """Warnings of the analysis other than the terrain one (shown with its button)."""
    for warning in warnings:
        if warning != TERRAIN_NOT_LOADED_WARNING:
            st.warning(warning, icon=":material/warning:")


def _published_items(lang: str) -> list[str]:
    from analysis.indicators import load_published
    from i18n.indicators import format_published

    items = []
    for key, row in load_published().iterrows():
        unit = "" if row["unit"] in ("BTS", "points") else row["unit"]
        value = format_published(f"{row['value']}{unit}", lang)
        what = t(f"published.{key}", lang) if f"published.{key}" in _published_keys() else key
        items.append(f"{what}: **{value}** ({escape(row['area'])}, {escape(row['year'])}; "
                     f"{escape(row['source'])})")
    return items


def _published_keys() -> set[str]:
    from i18n import TRANSLATIONS

    return {k for k in TRANSLATIONS if k.startswith("published.")}


def about_data(lang: str, *, inputs: Any = None,
               resolution_m: int = SETTINGS.terrain.default_resolution_m) -> None:
    """"About the data" expander: source, licence and date of every layer, the terrain, the
    model's thresholds and the published figures shown beside the computed ones. Its text is
    drawn only once the planner opens it (it reruns the page then), so a page load does not
    pay for it."""
    about = st.expander(t("about.title", lang), key="about_data", on_change="rerun")
    if not about.open:
        return
    with about:
        items = [t(k, lang) for k in ("about.boundaries", "about.codes_2020", "about.crosswalk",
                                      "about.osm", "about.geonames", "about.illustrative",
                                      "about.dates")]
        dem = getattr(inputs, "dem", None)
        if dem is not None and dem.terrain_loaded:
            items.append(t("about.terrain_loaded", lang, tiles=escape(dem.source),
                           resolution=resolution_m))
        else:
            items.append(t("about.terrain_flat", lang))
        radio = SETTINGS.radio
        items.append(t("about.model", lang, resolution=resolution_m,
                       t2g=format_dbm(radio.covered_dbm["2G"], lang),
                       t3g=format_dbm(radio.covered_dbm["3G"], lang),
                       t4g=format_dbm(radio.covered_dbm["4G"], lang),
                       g2g=format_dbm(radio.good_dbm["2G"], lang),
                       g3g=format_dbm(radio.good_dbm["3G"], lang),
                       g4g=format_dbm(radio.good_dbm["4G"], lang)))
        st.markdown(t("about.intro", lang) + "\n\n" + "\n".join(f"- {item}" for item in items))
        st.markdown(f"**{t('about.published', lang)}**\n\n"
                    + "\n".join(f"- {item}" for item in _published_items(lang)))
