"""Colours, symbol sizes and Leaflet path styles of the planner's map layers.

Status colours are the setting shared with the briefing (``SETTINGS.app.status_colours``);
operator colours are ColorBrewer Set1, distinct from each other and from the point styles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from geo.settings import SETTINGS

# Categorical colours (ColorBrewer Set1), distinct from each other and from the point styles.
OPERATOR_COLOURS: dict[str, str] = {
    "Viettel": "#e41a1c",
    "VinaPhone": "#377eb8",
    "MobiFone": "#4daf4a",
    "Vietnamobile": "#ff7f00",
    "VNPT": "#377eb8",  # VinaPhone's parent group: same colour for its fibre
    "FPT": "#d4a017",
}
OTHER_OPERATOR_COLOUR: str = "#7f7f7f"

# Service status of a place (analysis.status): the best generation any selected operator
# delivers there.
STATUS_COLOURS: dict[str, str] = SETTINGS.app.status_colours
FIBRE_RING: dict[bool, dict[str, str]] = {
    True: {"colour": "#111111", "dash": ""},  # fibre within reach: solid dark ring
    False: {"colour": "#111111", "dash": "2.5,2"},  # none within reach: dashed ring
}
POINT_ICON_SIZE: int = 18

COMMUNE_STYLE: dict[str, Any] = {
    "color": "#37474f", "weight": 0.8, "opacity": 0.8, "fillColor": "#607d8b", "fillOpacity": 0.0,
}
COMMUNE_HIGHLIGHT: dict[str, Any] = {"weight": 2.5, "color": "#263238", "fillOpacity": 0.12}
OLD_PROVINCE_STYLE: dict[str, Any] = {
    "color": "#b71c1c", "weight": 3, "opacity": 0.9, "dashArray": "10 6", "fill": False,
}
DISTRICT_STYLE: dict[str, Any] = {
    "color": "#6a1b9a", "weight": 2.2, "opacity": 0.85, "dashArray": "2 5", "fill": True,
    "fillOpacity": 0.0,
}
VILLAGE_STYLE: dict[str, Any] = {"radius": 3.5, "color": "#3e2723", "weight": 0.7,
                                 "fillOpacity": 0.9}
OSM_MAST_STYLE: dict[str, Any] = {"radius": 5, "fillColor": "#212121", "color": "#ffeb3b",
                                  "weight": 2, "fillOpacity": 1.0}
GAP_STYLE: dict[str, Any] = {"color": "#a50f15", "weight": 1.2, "opacity": 0.9,
                             "fillColor": "#e31a1c", "fillOpacity": 0.22, "dashArray": "4 3"}
REACH_STYLE: dict[str, Any] = {"color": "#54278f", "weight": 0.8, "opacity": 0.6,
                               "fillColor": "#807dba", "fillOpacity": 0.18}
LOST_STYLE: dict[str, Any] = {"radius": 13, "color": "#c51b7d", "weight": 3.5, "opacity": 1.0,
                              "fill": False, "dashArray": ""}
FIBRE_WEIGHTS: dict[str, float] = {"backbone": 3.5, "access": 1.6}
NODE_RADII: dict[str, float] = {"pop": 6.0, "commune": 4.5, "village": 3.5}

# Population share with service, per commune: class upper bounds and colours (red → green).
CHOROPLETH_BINS: tuple[float, ...] = (0.5, 0.8, 0.9, 0.95, 0.99)
CHOROPLETH_COLOURS: tuple[str, ...] = ("#a50026", "#f46d43", "#fdae61", "#fee08b", "#a6d96a",
                                       "#1a9850")

# Investment areas of Quyết định 2167/QĐ-UBND (2026), by category (geo.admin.INVESTMENT_AREAS).
INVESTMENT_AREA_STYLES: dict[str, dict[str, Any]] = {
    "extremely_difficult": {"color": "#8c510a", "weight": 1.2, "opacity": 0.9,
                            "fillColor": "#8c510a", "fillOpacity": 0.28},
    "difficult": {"color": "#dfc27d", "weight": 1.2, "opacity": 0.9, "fillColor": "#dfc27d",
                  "fillOpacity": 0.28},
}


def operator_colour(operator: Any) -> str:
    """Display colour of an operator (grey for unknown ones)."""
    return OPERATOR_COLOURS.get(str(operator), OTHER_OPERATOR_COLOUR)


def operator_order(values: Iterable[Any]) -> list[str]:
    """Operators present, in the settings' order, then the other known ones, then the rest."""
    present = {str(v) for v in values if v is not None and not pd.isna(v)}
    known = [op for op in SETTINGS.radio.operators if op in present]
    known += [op for op in OPERATOR_COLOURS if op in present and op not in known]
    return known + sorted(present - set(known))

# Field measurements (ui.map.layers.measurements): signal class of each measured point
# (analysis.status.signal_class) in the status colours, and the hexagons of measured −
# predicted signal (dB) on a diverging scale (ColorBrewer RdBu: red, measured worse than the
# model; blue, better), outlined where the measurements overturn the model's verdict.
MEASURED_CLASS_COLOURS: dict[str, str] = {
    "good": STATUS_COLOURS["4g"], "usable": STATUS_COLOURS["3g"],
    "weak": STATUS_COLOURS["2g"], "none": STATUS_COLOURS["none"]}
RESIDUAL_BINS_DB: tuple[float, ...] = (-10.0, -5.0, -2.0, 2.0, 5.0, 10.0)
RESIDUAL_COLOURS: tuple[str, ...] = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0",
                                     "#67a9cf", "#2166ac")
DISAGREEMENT_FLAG_STYLES: dict[str, dict[str, Any]] = {
    "": {"color": "#616161", "weight": 0.6, "opacity": 0.7},
    "measured_no_service": {"color": "#67001f", "weight": 3.0, "opacity": 1.0},
    "measured_service": {"color": "#053061", "weight": 3.0, "opacity": 1.0, "dashArray": "5 3"},
}
