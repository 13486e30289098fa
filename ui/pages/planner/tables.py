"""The tables and charts below the planner's map: support points, communes (2025 units, or
2020 units through the crosswalk), places lost at the 2G/3G switch-off, and the charts.

Table builders (:func:`points_frame`, :func:`communes_frame`, :func:`communes_2020_frame`,
:func:`lost_frame`) are pure and tested directly; the ``*_section`` functions draw them with
Streamlit. Tables are ``st.dataframe`` (sortable by clicking a column) with filters above them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from analysis.pipeline import Analysis
from analysis.status import STATUSES, in_gap, status_of
from geo.settings import SETTINGS
from i18n import format_int, t
from ui.map.layers import reason_text
from ui.pages.planner import charts
from ui.widgets import translated_choice


def _yes_no(values: pd.Series, lang: str) -> list[str]:
    return [t("value.yes" if bool(v) else "value.no", lang) if pd.notna(v) else ""
            for v in values]


def points_frame(points: gpd.GeoDataFrame, table: pd.DataFrame, lang: str, *,
                 technology: str, threshold: float) -> pd.DataFrame:
    """The support points with their assessment, translated; column ``_status`` keeps the
    status code (for filtering) and ``_gap`` whether the point is in a gap."""
    tab = table.reindex(points.index)
    status = tab["best_technology"].map(status_of)
    out = pd.DataFrame({
        "_status": status.to_numpy(),
        "_gap": in_gap(tab).to_numpy(),
        t("col.point_id", lang): points["point_id"].to_numpy(),
        t("col.name", lang): points["name"].to_numpy(),
        t("col.point_type", lang): [t(f"value.point_type.{v}", lang) if v in ("commune",
                                    "village") else v for v in points["point_type"]],
        t("col.district", lang): points["district"].to_numpy(),
        t("col.commune_2025", lang): points["commune_2025"].to_numpy(),
        t("col.status", lang): [t(f"status.{s}", lang) for s in status],
        t("col.best_signal", lang, technology=technology): tab["best_signal_dbm"].to_numpy(),
        t("col.servers", lang, technology=technology): tab["servers"].to_numpy(),
        t("col.serving_operator", lang): tab["serving_operator"].to_numpy(),
        t("col.serving_distance", lang): tab["serving_distance_m"].to_numpy(),
        t("col.reason", lang): [reason_text(r, lang, technology=technology, threshold=threshold,
                                            shadow_db=s)
                                for r, s in zip(tab["reason"], tab["shadow_db"], strict=True)],
        t("col.fibre", lang): _yes_no(tab["fibre"], lang),
        t("col.fibre_distance", lang): tab["fibre_distance_m"].to_numpy(),
    })
    return out.reset_index(drop=True)


def communes_frame(stats: pd.DataFrame, lang: str, *, technology: str) -> pd.DataFrame:
    """The 2025 units of the study area with their shares (in %) and places in a gap."""
    out = pd.DataFrame({
        t("col.code", lang): stats["code"],
        t("col.name", lang): stats["name"],
        t("col.population", lang): stats["population"],
        t("col.area_km2", lang): stats["area_km2"],
        t("col.area_share", lang, technology=technology): stats["area_share"] * 100,
        t("col.population_share", lang, technology=technology):
            stats["population_share"] * 100,
        t("col.population_without", lang): stats["population_without_service"],
        t("col.population_basis", lang): [t(f"value.basis.{b}", lang)
                                          for b in stats["population_basis"]],
    })
    for op in SETTINGS.radio.operators:
        column = f"area_share_{op}"
        if column in stats.columns:
            out[t("col.area_share_operator", lang, operator=op)] = stats[column] * 100
    for key in ("points", "points_in_gap", "villages", "villages_in_gap"):
        out[t(f"col.{key}", lang)] = stats[key]
    return out.reset_index(drop=True)


def communes_2020_frame(stats: pd.DataFrame, lang: str, *, technology: str) -> pd.DataFrame:
    """The 2020–2024 units through the crosswalk (shares of their 2025 successor)."""
    return pd.DataFrame({
        t("col.code_2020", lang): stats["code_2020"],
        t("col.name_2020", lang): stats["full_name_2020"],
        t("col.district", lang): stats["district"],
        t("col.code_2025", lang): stats["code_2025"],
        t("col.name_2025", lang): stats["full_name_2025"],
        t("col.area_share", lang, technology=technology): stats["area_share"] * 100,
        t("col.population_share", lang, technology=technology):
            stats["population_share"] * 100,
        t("col.points", lang): stats["points"],
        t("col.points_in_gap", lang): stats["points_in_gap"],
    }).reset_index(drop=True)


def lost_frame(lost: list[tuple[gpd.GeoDataFrame, pd.DataFrame, str]],
               lang: str) -> pd.DataFrame:
    """The places losing all service (scenario): kind, id, name, commune, what they had."""
    rows = []
    for gdf, table, kind in lost:
        if table is None or len(table) == 0:
            continue
        part = gdf.loc[table.index]
        ids = part["point_id"] if "point_id" in part else part.get("village_id")
        rows.append(pd.DataFrame({
            t("col.kind", lang): t(f"value.place.{kind}", lang),
            t("col.id", lang): ids.to_numpy() if ids is not None else "",
            t("col.name", lang): part["name"].to_numpy(),
            t("col.commune_2025", lang): part["commune_2025"].to_numpy(),
            t("col.had", lang): table["had"].str.replace(",", ", ").to_numpy(),
        }))
    columns = [t(f"col.{c}", lang) for c in ("kind", "id", "name", "commune_2025", "had")]
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)[columns]


def _percent(label: str) -> st.column_config.ProgressColumn:
    return st.column_config.ProgressColumn(label, min_value=0.0, max_value=100.0,
                                           format="%.1f %%")


def _text_filter(frame: pd.DataFrame, text: str, columns: list[str]) -> pd.DataFrame:
    if not text.strip():
        return frame
    needle = text.strip().casefold()
    hit = pd.Series(False, index=frame.index)
    for column in columns:
        hit |= frame[column].astype(str).str.casefold().str.contains(needle, regex=False)
    return frame[hit]


def points_section(result: Analysis, lang: str) -> None:
    """Support-point table with status, district, gap and text filters."""
    sel = result.selection
    frame = points_frame(result.inputs.points, result.points.table, lang,
                         technology=sel.technology, threshold=sel.threshold)
    district_col, name_col = t("col.district", lang), t("col.name", lang)
    c1, c2, c3, c4 = st.columns([2, 2, 2, 1.5], vertical_alignment="bottom")
    with c1:
        statuses = translated_choice(st.multiselect, t("table.filter_status", lang),
                                     list(STATUSES), default=[], key="pt_status", lang=lang,
                                     format_func=lambda s: t(f"status.{s}", lang),
                                     placeholder=t("table.all", lang))
    districts = c2.multiselect(t("table.filter_district", lang),
                               sorted(frame[district_col].dropna().unique()), key="pt_district",
                               placeholder=t("table.all", lang))
    text = c3.text_input(t("table.filter_text", lang), key="pt_text")
    only_gaps = c4.checkbox(t("table.only_gaps", lang), key="pt_gaps")
    shown = frame
    if statuses:
        shown = shown[shown["_status"].isin(statuses)]
    if districts:
        shown = shown[shown[district_col].isin(districts)]
    if only_gaps:
        shown = shown[shown["_gap"]]
    shown = _text_filter(shown, text, [name_col, t("col.commune_2025", lang),
                                       t("col.point_id", lang)])
    tech = sel.technology
    st.dataframe(
        shown.drop(columns=["_status", "_gap"]), hide_index=True, key="points_table",
        column_config={
            t("col.best_signal", lang, technology=tech): st.column_config.NumberColumn(
                format="%.1f"),
            t("col.serving_distance", lang): st.column_config.NumberColumn(format="%.0f"),
            t("col.fibre_distance", lang): st.column_config.NumberColumn(format="%.0f"),
            t("col.reason", lang): st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(t("table.count", lang, shown=format_int(len(shown), lang),
                 total=format_int(len(frame), lang)))


def communes_section(result: Analysis, lang: str) -> None:
    """Commune table: the 2025 units, or the 2020 units through the crosswalk."""
    tech = result.selection.technology
    era = translated_choice(st.radio, t("commune.era", lang), ["2025", "2020"], default="2025",
                            key="commune_era", lang=lang, horizontal=True,
                            format_func=lambda e: t(f"commune.era_{e}", lang))
    c1, c2 = st.columns([2, 2], vertical_alignment="bottom")
    text = c1.text_input(t("table.filter_text", lang), key="cm_text")
    percent = {t("col.area_share", lang, technology=tech):
               _percent(t("col.area_share", lang, technology=tech)),
               t("col.population_share", lang, technology=tech):
               _percent(t("col.population_share", lang, technology=tech))}
    if era == "2020":
        frame = communes_2020_frame(result.communes_2020, lang, technology=tech)
        district_col = t("col.district", lang)
        districts = c2.multiselect(t("table.filter_district", lang),
                                   sorted(frame[district_col].dropna().unique()),
                                   key="cm_district", placeholder=t("table.all", lang))
        shown = frame[frame[district_col].isin(districts)] if districts else frame
        shown = _text_filter(shown, text, [t("col.name_2020", lang), t("col.name_2025", lang)])
        st.caption(t("commune.note_2020", lang))
    else:
        frame = communes_frame(result.communes, lang, technology=tech)
        only = c2.checkbox(t("table.only_gap_communes", lang), key="cm_gaps")
        shown = frame
        if only:
            gap = (result.communes["points_in_gap"] + result.communes["villages_in_gap"]) > 0
            shown = shown[gap.to_numpy()]
        shown = _text_filter(shown, text, [t("col.name", lang), t("col.code", lang)])
        for op in SETTINGS.radio.operators:
            label = t("col.area_share_operator", lang, operator=op)
            if label in frame.columns:
                percent[label] = st.column_config.NumberColumn(label, format="%.1f")
        percent[t("col.area_km2", lang)] = st.column_config.NumberColumn(format="%.1f")
        for label in (t("col.population", lang), t("col.population_without", lang)):
            percent[label] = st.column_config.NumberColumn(format="localized")
    st.dataframe(shown, hide_index=True, key="communes_table", column_config=percent)
    st.caption(t("table.count", lang, shown=format_int(len(shown), lang),
                 total=format_int(len(frame), lang)))


def charts_section(result: Analysis, lang: str) -> None:
    """Status breakdown, share by commune and BTS records per operator."""
    tech = result.selection.technology
    left, right = st.columns(2)
    left.plotly_chart(charts.status_chart(result.points.table, result.villages.table, lang),
                      key="chart_status", config={"displaylogo": False})
    right.plotly_chart(charts.sites_chart(result.inputs.sites, lang), key="chart_sites",
                       config={"displaylogo": False})
    st.plotly_chart(charts.commune_share_chart(result.communes, lang, tech),
                    key="chart_communes", config={"displaylogo": False})
