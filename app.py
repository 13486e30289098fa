"""Lào Cai connectivity planner: the Streamlit page. Run with ``streamlit run app.py``.

This file only wires widgets to functions: data loading is :mod:`ui.loading`, the map is
:mod:`ui.map_layers`, page pieces and texts are :mod:`ui.sections` and :mod:`ui.i18n`.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.settings import SETTINGS
from ui import sections
from ui.i18n import DEFAULT_LANGUAGE, t
from ui.loading import file_stamps, load_map_layers, source_paths
from ui.map_layers import build_map

st.set_page_config(
    page_title=t("app.page_title", DEFAULT_LANGUAGE),
    page_icon="📡",
    layout="wide",
)


@st.cache_resource(show_spinner=False)
def cached_layers(
    sample_dir: str, stamps: tuple[tuple[str, str, float], ...]
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, str]]:
    """Read all layers once per set of files (paths and modification times are the key)."""
    del stamps  # part of the cache key only: a changed file is read again
    return load_map_layers(sample_dir)


@st.fragment
def map_fragment(layers: Mapping[str, gpd.GeoDataFrame], lang: str) -> None:
    """The map, in a fragment so that interacting with it reruns only this part."""
    st.subheader(t("app.map_header", lang))
    st_folium(
        build_map(layers, lang),
        key="map",
        returned_objects=[],
        use_container_width=True,
        height=650,
    )


lang = sections.language_switch()
sections.page_header(lang)
sample_dir = str(SETTINGS.paths.sample)
layers, problems = cached_layers(sample_dir, file_stamps(source_paths(sample_dir)))
sections.illustrative_banner(layers, lang)
sections.layer_problems(problems, lang)
sections.layer_summary(layers, lang)
map_fragment(layers, lang)
sections.about_data(lang)
