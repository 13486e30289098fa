"""The set-up every analysis page shares: workspace, cached inputs, sidebar and analysis."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import streamlit as st

from analysis.inputs import Inputs
from analysis.pipeline import Analysis
from geo.errors import DataError
from geo.layers import DATA_LAYERS
from geo.settings import get_settings
from i18n import t
from ui import cache, sections
from ui.controls import Controls, sidebar


@dataclass
class PageData:
    """What a page draws from: the data key, reference layers, inputs, filters, analysis."""

    key: cache.DataKey
    layers: dict[str, gpd.GeoDataFrame]
    inputs: Inputs
    terrain_error: str
    controls: Controls

    @property
    def data_layers(self) -> dict[str, gpd.GeoDataFrame]:
        return {name: getattr(self.inputs, name) for name in DATA_LAYERS}


def page_data(lang: str) -> PageData:
    """Inputs (cached) and the sidebar; stops the page with a translated message when the
    inputs cannot be read. Run :func:`page_analysis` after drawing the banners."""
    imported, workspace_error = cache.workspace_paths()
    if workspace_error:
        st.warning(t("message.workspace_failed", lang, detail=workspace_error),
                   icon=":material/warning:")
    key = cache.data_key(imported=imported, resolution_m=get_settings().app.resolution_m)
    layers, problems = cache.reference_layers(key)
    sections.layer_problems(problems, lang)
    try:
        with st.spinner(t("spinner.inputs", lang)):
            inputs, terrain_error = cache.inputs(key)
    except (DataError, OSError, ValueError) as exc:
        st.error(t("message.inputs_failed", lang, detail=str(exc)), icon=":material/error:")
        st.stop()
    controls = sidebar(lang, operators=sorted(set(inputs.sites["operator"]),
                                              key=sections.operator_rank),
                       technologies=sorted(set(inputs.sites["technology"])))
    return PageData(key, layers, inputs, terrain_error, controls)


def page_analysis(data: PageData, lang: str) -> Analysis:
    """Coverage and gap analysis for the sidebar's selection (cached), with spinners."""
    with st.spinner(t("spinner.coverage", lang)):
        cache.coverage(data.key, data.controls.sel.thresholds)
    with st.spinner(t("spinner.analysis", lang)):
        return cache.analysis(data.key, data.controls.sel)
