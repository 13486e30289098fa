"""Plotly charts of the dashboard: service status, share by commune, BTS per operator.

Pure functions returning :class:`plotly.graph_objects.Figure`; all texts from
:mod:`i18n`; names from data are passed as data (plotly escapes them in the SVG).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.status import STATUSES, status_of
from geo.settings import SETTINGS
from i18n import format_int, format_percent, format_share
from i18n.labels import STATUS_NAMES
from i18n.translator import N_, t
from ui.map.style import STATUS_COLOURS

TECH_COLOURS: dict[str, str] = {"2G": "#bdbdbd", "3G": "#6baed6", "4G": "#2171b5",
                                "5G": "#08306b"}
_LAYOUT = {"margin": {"l": 10, "r": 10, "t": 70, "b": 10}, "legend": {"orientation": "h",
                                                                       "y": -0.15},
           "separators": None}


def _layout(fig: go.Figure, lang: str, **kwargs: object) -> go.Figure:
    # Decimal and thousands separators of the language: "," "." in Vietnamese.
    fig.update_layout(**{**_LAYOUT, "separators": ",." if lang == "vi" else ".,"}, **kwargs)
    return fig


def status_counts(points: pd.DataFrame, villages: pd.DataFrame) -> pd.DataFrame:
    """Places per status: index the statuses (:data:`analysis.status.STATUSES`), columns
    ``points`` and ``villages`` (counts)."""
    out = pd.DataFrame(index=list(STATUSES))
    for name, table in (("points", points), ("villages", villages)):
        status = table["best_technology"].map(status_of)
        out[name] = status.value_counts().reindex(out.index, fill_value=0).astype(int)
    return out


def status_chart(points: pd.DataFrame, villages: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked bars: support points and villages by service status (counts and shares)."""
    counts = status_counts(points, villages)
    totals = counts.sum()
    x = [t(lang, "Support points"), t(lang, "Villages")]
    fig = go.Figure()
    for status in STATUSES:
        values = [int(counts.loc[status, "points"]), int(counts.loc[status, "villages"])]
        shares = [v / totals[c] * 100 if totals[c] else 0.0
                  for v, c in zip(values, ("points", "villages"), strict=True)]
        hover = [f"{format_int(v, lang)} ({format_percent(p, lang)})"
                 for v, p in zip(values, shares, strict=True)]
        fig.add_bar(name=t(lang, STATUS_NAMES[status]), x=x, y=shares,
                    marker_color=STATUS_COLOURS[status], customdata=hover,
                    text=[format_int(v, lang) if v else "" for v in values],
                    textposition="inside",
                    hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>")
    return _layout(fig, lang, barmode="stack", title=t(lang,
            "Service at the support points and villages"),
                   yaxis={"title": t(lang, "Share (%)"), "range": [0, 100]}, height=420)


def commune_share_chart(communes: pd.DataFrame, lang: str, technology: str) -> go.Figure:
    """Horizontal bars per 2025 unit: share of area and of population with service,
    the least covered at the top."""
    frame = communes.sort_values(["area_share", "population_share"]).reset_index(drop=True)
    names = frame["name"].astype(str)
    fig = go.Figure()
    for label, share, colour in ((N_("Area"), frame["area_share"], "#74a9cf"),
                                 (N_("Population"), frame["population_share"], "#1a9850")):
        fig.add_bar(name=t(lang, label), y=names, x=share * 100, orientation="h",
                    marker_color=colour, customdata=[format_share(v, lang) for v in share],
                    hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>")
    return _layout(fig, lang, barmode="group",
                   title=t(lang, "Share with {technology} by commune (2025)",
                           technology=technology),
                   xaxis={"title": t(lang, "Share (%)"), "range": [0, 100]},
                   yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
                   height=max(420, 22 * len(frame) + 120))


def sites_chart(sites: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked bars: BTS records per operator and technology."""
    counts = (sites.groupby(["operator", "technology"]).size().unstack(fill_value=0)
              if len(sites) else pd.DataFrame())
    operators = [op for op in SETTINGS.radio.operators if op in counts.index]
    operators += sorted(op for op in counts.index if op not in operators)
    fig = go.Figure()
    for tech in [x for x in SETTINGS.radio.technologies if x in counts.columns]:
        values = [int(counts.loc[op, tech]) for op in operators]
        fig.add_bar(name=tech, x=operators, y=values,
                    marker_color=TECH_COLOURS.get(tech, "#999999"),
                    customdata=[format_int(v, lang) for v in values],
                    hovertemplate="%{x} " + tech + ": %{customdata}<extra></extra>")
    return _layout(fig, lang, barmode="stack", title=t(lang,
                                                       "BTS records by operator and technology"),
                   yaxis={"title": t(lang, "Records")}, height=420)
