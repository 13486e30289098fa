"""Field measurements on the map: the measured points (coloured by signal class) and the
hexagons where the measurements and the model disagree (:mod:`analysis.disagreement`)."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.status import signal_class
from i18n import format_int
from i18n.translator import N_
from ui.map.legend import legend_heading, legend_row, swatch_box, swatch_circle
from ui.map.spec import (
    LayerSpec,
    column,
    escaped,
    fields,
    geojson_spec,
    layer_name,
    numbers,
    t_html,
)
from ui.map.style import (
    DISAGREEMENT_FLAG_STYLES,
    MEASURED_CLASS_COLOURS,
    RESIDUAL_BINS_DB,
    RESIDUAL_COLOURS,
)

SIGNAL_CLASS_LABELS: dict[str, str] = {
    "good": N_("Good (at or above the good level)"),
    "usable": N_("Usable (at or above the covered level)"),
    "weak": N_("Weak (below the covered level)"),
    "none": N_("No signal recorded"),
}
FLAG_LABELS: dict[str, str] = {
    "measured_no_service": N_("Measured: no service (the model says covered)"),
    "measured_service": N_("Measured: service (the model says not covered)"),
    "": N_("Measurements agree with the model"),
}


def measurements_spec(compared: pd.DataFrame, points: gpd.GeoDataFrame, lang: str, *,
                      covered_dbm: float, good_dbm: float, total: int) -> LayerSpec:
    """Measured points as small circles coloured by signal class at the technology's covered
    and good levels (dBm). ``compared``: rows of :func:`analysis.calibration.compare` (same
    order as ``points``, WGS84); ``total``: how many measurements there are before the map's
    cap (the name says when only a part is drawn)."""
    signal = compared["signal_dbm"].to_numpy(float)
    classes = [signal_class(v, covered_dbm, good_dbm) for v in signal]
    order = list(MEASURED_CLASS_COLOURS)
    styles = [{"radius": 3.0, "color": "#212121", "weight": 0.4,
               "fillColor": MEASURED_CLASS_COLOURS[c], "fillOpacity": 0.9} for c in order]
    rows = [
        (N_("Operator"), escaped(compared, "operator")),
        (N_("Technology"), escaped(compared, "technology")),
        (N_("Measured (dBm)"), numbers(signal, lang, 1)),
        (N_("Predicted (dBm)"), numbers(column(compared, "predicted_dbm"), lang, 1)),
        (N_("Measured − predicted (dB)"), numbers(column(compared, "residual_db"), lang, 1)),
        (N_("Time"), escaped(compared, "time")),
        (N_("Data source"), escaped(compared, "source")),
    ]
    props, tooltip = fields(rows, lang)
    name = layer_name("measurements", lang)
    if len(compared) < total:
        name += " " + t_html(N_("({shown} of {total} drawn)"), lang,
                             shown=format_int(len(compared), lang),
                             total=format_int(total, lang))
    legend = legend_heading(t_html(N_("Field measurements"), lang)) + "".join(
        legend_row(swatch_circle(MEASURED_CLASS_COLOURS[c], "#212121", 9),
                   t_html(SIGNAL_CLASS_LABELS[c], lang)) for c in order)
    return geojson_spec("measurements", name, points, props, styles=styles,
                        style_ids=[order.index(c) for c in classes], tooltip=tooltip,
                        legend=legend)


def residual_class(mean_residual_db: np.ndarray) -> np.ndarray:
    """Index into :data:`ui.map.style.RESIDUAL_COLOURS` of each mean residual (dB)."""
    return np.digitize(np.asarray(mean_residual_db, float), RESIDUAL_BINS_DB)


def disagreement_spec(hexes: gpd.GeoDataFrame, lang: str) -> LayerSpec:
    """Hexagons (WGS84) filled by mean residual (measured − predicted, dB; blue: better than
    the model, red: worse) and outlined where the measurements overturn the model's verdict."""
    bins = residual_class(column(hexes, "mean_residual_db"))
    flags = [str(f) for f in column(hexes, "flag")]
    combos = sorted({(int(b), f) for b, f in zip(bins, flags, strict=True)})
    index = {c: i for i, c in enumerate(combos)}
    styles = [{"fillColor": RESIDUAL_COLOURS[b], "fillOpacity": 0.55,
               **DISAGREEMENT_FLAG_STYLES[f]} for b, f in combos]
    rows = [
        (N_("Operator"), escaped(hexes, "operator")),
        (N_("Technology"), escaped(hexes, "technology")),
        (N_("Measurements"), numbers(column(hexes, "count"), lang)),
        (N_("Mean measured (dBm)"), numbers(column(hexes, "measured_mean_dbm"), lang, 1)),
        (N_("Mean predicted (dBm)"), numbers(column(hexes, "predicted_mean_dbm"), lang, 1)),
        (N_("Mean measured − predicted (dB)"),
         numbers(column(hexes, "mean_residual_db"), lang, 1)),
        (N_("Verdict"), [t_html(FLAG_LABELS.get(f, ""), lang) if f in FLAG_LABELS else ""
                         for f in flags]),
    ]
    props, tooltip = fields(rows, lang)
    edges = ["< " + format_int(RESIDUAL_BINS_DB[0], lang)]
    edges += [f"{format_int(a, lang)} … {format_int(b, lang)}"
              for a, b in itertools.pairwise(RESIDUAL_BINS_DB)]
    edges += ["≥ " + format_int(RESIDUAL_BINS_DB[-1], lang)]
    legend = (legend_heading(t_html(N_("Measured − predicted (dB), per hexagon"), lang))
              + "".join(legend_row(swatch_box(colour, "#616161", 0.55), text)
                        for colour, text in zip(RESIDUAL_COLOURS, edges, strict=True))
              + "".join(legend_row(swatch_box("#ffffff", style["color"]),
                                   t_html(FLAG_LABELS[f], lang))
                        for f, style in DISAGREEMENT_FLAG_STYLES.items() if f))
    return geojson_spec("disagreement", layer_name("disagreement", lang), hexes, props,
                        styles=styles or [{}], style_ids=[index[c] for c in
                                                          zip(bins, flags, strict=True)],
                        tooltip=tooltip, legend=legend)
