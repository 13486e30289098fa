"""Plotly charts of the dashboard: service status, share by commune, BTS per operator.

Pure functions returning :class:`plotly.graph_objects.Figure`; all texts from
:mod:`i18n`; names from data are passed as data (plotly escapes them in the SVG).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.status import STATUSES, status_of
from geo.settings import SETTINGS
from i18n import t
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
    x = [t("chart.points", lang), t("chart.villages", lang)]
    fig = go.Figure()
    for status in STATUSES:
        values = [int(counts.loc[status, "points"]), int(counts.loc[status, "villages"])]
        shares = [v / totals[c] * 100 if totals[c] else 0.0
                  for v, c in zip(values, ("points", "villages"), strict=True)]
        fig.add_bar(name=t(f"status.{status}", lang), x=x, y=shares,
                    marker_color=STATUS_COLOURS[status], customdata=values,
                    text=[str(v) if v else "" for v in values], textposition="inside",
                    hovertemplate="%{x}: %{customdata} (%{y:.1f} %)<extra>%{fullData.name}"
                                  "</extra>")
    return _layout(fig, lang, barmode="stack", title=t("chart.status_title", lang),
                   yaxis={"title": t("chart.share_pct", lang), "range": [0, 100]}, height=420)


def commune_share_chart(communes: pd.DataFrame, lang: str, technology: str) -> go.Figure:
    """Horizontal bars per 2025 unit: share of area and of population with service,
    the least covered at the top."""
    frame = communes.sort_values(["area_share", "population_share"]).reset_index(drop=True)
    names = frame["name"].astype(str)
    fig = go.Figure()
    fig.add_bar(name=t("chart.share_area", lang), y=names, x=frame["area_share"] * 100,
                orientation="h", marker_color="#74a9cf",
                hovertemplate="%{y}: %{x:.1f} %<extra>%{fullData.name}</extra>")
    fig.add_bar(name=t("chart.share_population", lang), y=names,
                x=frame["population_share"] * 100, orientation="h", marker_color="#1a9850",
                hovertemplate="%{y}: %{x:.1f} %<extra>%{fullData.name}</extra>")
    return _layout(fig, lang, barmode="group",
                   title=t("chart.share_title", lang, technology=technology),
                   xaxis={"title": t("chart.share_pct", lang), "range": [0, 100]},
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
        fig.add_bar(name=tech, x=operators, y=[int(counts.loc[op, tech]) for op in operators],
                    marker_color=TECH_COLOURS.get(tech, "#999999"),
                    hovertemplate="%{x} " + tech + ": %{y}<extra></extra>")
    return _layout(fig, lang, barmode="stack", title=t("chart.sites_title", lang),
                   yaxis={"title": t("chart.records", lang)}, height=420)
