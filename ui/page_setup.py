"""The set-up every analysis page shares: workspace, cached inputs, the layers' problems,
the sidebar and the analysis."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import streamlit as st

from analysis.inputs import Inputs
from analysis.pipeline import Analysis
from analysis.selection import Selection
from geo.errors import DataError
from geo.layers import DATA_LAYERS, area_summary
from geo.settings import SETTINGS, get_settings
from i18n import format_float, format_int
from i18n.labels import LAYER_NAMES
from i18n.translator import t
from ui import cache
from ui.map import registry
from ui.sidebar import Controls, sidebar, study_area_choice
from ui.widgets import md_escape


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
        st.warning(t(lang,
                     "Could not read the imported data; using the illustrative data: {detail}",
                     detail=workspace_error),
                   icon=":material/warning:")
    area = study_area_choice(lang)
    key = cache.data_key(imported=imported, resolution_m=get_settings().app.resolution_m,
                         area=area)
    layers, problems = cache.reference_layers(key)
    layer_problems(problems, lang)
    try:
        with st.spinner(t(lang, "Reading the data…")):
            inputs, terrain_error = cache.inputs(key)
    except (DataError, OSError, ValueError) as exc:
        st.error(t(lang, "Could not read the data for the analysis: {detail}", detail=str(exc)),
                 icon=":material/error:")
        st.stop()
    area_caption(inputs.area, lang)
    controls = sidebar(lang, operators=sorted(set(inputs.sites["operator"]),
                                              key=operator_rank),
                       technologies=sorted(set(inputs.sites["technology"])),
                       calibrations=cache.calibrations())
    return PageData(key, layers, inputs, terrain_error, controls)


def page_analysis(data: PageData, lang: str) -> Analysis:
    """Coverage and gap analysis for the sidebar's selection (cached), with spinners."""
    with st.spinner(t(lang, "Computing the coverage (the first time may take tens of seconds)…")):
        cache.coverage_of(data.key, data.controls.selection)
    with st.spinner(t(lang, "Analysing the gaps…")):
        result = cache.analysis(data.key, data.controls.selection)
    calibration_caption(data.controls.selection, lang)
    return result


def calibration_caption(sel: Selection, lang: str) -> None:
    """Under the area line, when the predictions are calibrated: with what, on how many
    measurements, and the error before, after and on held-out measurements."""
    if sel.calibration is None:
        return
    s = cache.saved_calibration(*sel.calibration).summary()
    st.caption(t(lang, "**Calibrated predictions** (“{name}”): calibrated on {n} measurements, "
                       "error {after} dB (was {before} dB; {cv} dB on held-out measurements).",
                 name=md_escape(sel.calibration[0]), n=format_int(s["n"], lang),
                 after=format_float(s["rms_after_db"], lang, 1),
                 before=format_float(s["rms_before_db"], lang, 1),
                 cv=format_float(s["rms_cv_db"], lang, 1)))


def area_caption(area: str, lang: str) -> None:
    """One line saying which area every figure, table and map of the page covers."""
    summary = area_summary(area)
    st.caption(t(lang, "**Study area: {area}**: {units} communes and wards, {km2} km², {people} "
                       "people (2025 boundaries). Every figure, table, map and download below "
                       "covers this area.",
                 area=SETTINGS.study_area.label(area, lang),
                 units=format_int(summary.units, lang), km2=format_int(summary.area_km2, lang),
                 people=format_int(summary.population, lang)))


def layer_problems(problems: Mapping[str, str], lang: str) -> None:
    """One error line per layer that could not be loaded, plus how to create the sample data."""
    if not problems:
        return
    for key in (k for k in registry.file_layers() if k in problems):
        st.error(t(lang, "Could not load the layer {layer}: {detail}",
                   layer=t(lang, LAYER_NAMES[key]),
                   detail=problems[key]), icon=":material/error:")
    if set(registry.data_layers()) & set(problems):
        st.info(t(lang, "To create the illustrative dataset, run `python -m geo.sample` in the "
                        "project folder."), icon=":material/info:")



def operator_rank(operator: str) -> tuple[int, str]:
    """Sort key: the operators of the settings in their order, then the others by name."""
    known = SETTINGS.radio.operators
    return (known.index(operator) if operator in known else len(known), str(operator))


def illustrative_layer_names(sources: Mapping[str, str], lang: str) -> list[str]:
    """Translated names of the loaded layers whose records are illustrative (``sources``:
    :attr:`analysis.inputs.Inputs.sources`)."""
    return [t(lang, LAYER_NAMES[key]) for key in registry.file_layers()
            if registry.is_illustrative(registry.layer(key), sources)]


def illustrative_banner(sources: Mapping[str, str], lang: str) -> list[str]:
    """Warn that some layers are illustrative, naming them; returns the names (empty: no banner)."""
    names = illustrative_layer_names(sources, lang)
    if names:
        quoted = ", ".join(f"“{name}”" for name in names)
        st.warning(t(lang, "**Illustrative data.** The layers {layers} are made-up data generated "
                           "by `python -m geo.sample`, not real records: do not base decisions "
                           "on them. Only the administrative boundaries and the OpenStreetMap "
                           "layer are real data.", layers=quoted), icon=":material/warning:")
    return names
