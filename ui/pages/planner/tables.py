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
from analysis.status import STATUSES, in_gap, status_of, verdict_source
from geo.settings import SETTINGS
from i18n import format_int
from i18n.labels import (
    BASIS_NAMES,
    COLUMN_NAMES,
    COMMUNE_ERAS,
    INVESTMENT_AREA_NAMES,
    PLACE_KINDS,
    POINT_TYPES,
    STATUS_NAMES,
)
from i18n.translator import N_, t
from ui.map.layers import reason_text
from ui.pages.planner import charts
from ui.widgets import translated_choice


def _yes_no(values: pd.Series, lang: str) -> list[str]:
    return [t(lang, N_("Yes") if bool(v) else N_("No")) if pd.notna(v) else ""
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
        t(lang, "Point ID"): points["point_id"].to_numpy(),
        t(lang, "Name"): points["name"].to_numpy(),
        t(lang, "Point type"): [t(lang, POINT_TYPES[v]) if v in ("commune",
                                    "village") else v for v in points["point_type"]],
        t(lang, "District (2020)"): points["district"].to_numpy(),
        t(lang, "Commune (2025)"): points["commune_2025"].to_numpy(),
        t(lang, "Service"): [t(lang, STATUS_NAMES[s]) for s in status],
        t(lang, "Best {technology} signal (dBm)",
          technology=technology): tab["best_signal_dbm"].to_numpy(),
        t(lang, "{technology} sites serving", technology=technology): tab["servers"].to_numpy(),
        t(lang, "Serving operator"): tab["serving_operator"].to_numpy(),
        t(lang, "Serving site distance (m)"): tab["serving_distance_m"].to_numpy(),
        t(lang, "Assessment"): [reason_text(r, lang, technology=technology, threshold=threshold,
                                            shadow_db=s)
                                for r, s in zip(tab["reason"], tab["shadow_db"], strict=True)],
        t(lang, "Fibre within reach"): _yes_no(tab["fibre"], lang),
        t(lang, "Fibre distance (m)"): tab["fibre_distance_m"].to_numpy(),
    })
    if "measured" in tab.columns:  # field measurements decide where they settle a verdict
        out[t(lang, "Field measurements")] = [t(lang, MEASURED_VERDICTS[v]) if v else ""
                                              for v in tab["measured"].fillna("")]
        out[t(lang, "Verdict from")] = [t(lang, VERDICT_SOURCES[v])
                                        for v in verdict_source(tab)]
    return out.reset_index(drop=True)


MEASURED_VERDICTS: dict[str, str] = {
    "no_service": N_("Measured: no service"), "service": N_("Measured: service")}
VERDICT_SOURCES: dict[str, str] = {"measured": N_("Field measurements"), "model": N_("Model")}


def _share_headers(lang: str, technology: str) -> dict[str, str]:
    """Header of each share column (in %) of the commune tables, by statistics column."""
    return {c: t(lang, COLUMN_NAMES[c], technology=technology)
            for c in ("area_share", "population_share")}


def communes_frame(stats: pd.DataFrame, lang: str, *, technology: str) -> pd.DataFrame:
    """The 2025 units of the study area with their shares (in %) and places in a gap."""
    out = pd.DataFrame({
        t(lang, "Code"): stats["code"],
        t(lang, "Name"): stats["name"],
        t(lang, "Population"): stats["population"],
        t(lang, "Area (km²)"): stats["area_km2"],
        **{h: stats[c] * 100 for c, h in _share_headers(lang, technology).items()},
        t(lang, "Population without service"): stats["population_without_service"],
        t(lang, "Population estimated"): [t(lang, BASIS_NAMES[b])
                                          for b in stats["population_basis"]],
    })
    for op in SETTINGS.radio.operators:
        column = f"area_share_{op}"
        if column in stats.columns:
            out[t(lang, "{operator} (%\u00a0of area)", operator=op)] = stats[column] * 100
    for key in ("points", "points_in_gap", "villages", "villages_in_gap"):
        out[t(lang, COLUMN_NAMES[key])] = stats[key]
    if "investment_area" in stats.columns:  # reference: QĐ 2167/QĐ-UBND (2026), transcribed
        out[t(lang, "Investment area (QĐ 2167/2026)")] = [
            t(lang, INVESTMENT_AREA_NAMES.get(c, c)) for c in stats["investment_area"]]
    return out.reset_index(drop=True)


def communes_2020_frame(stats: pd.DataFrame, lang: str, *, technology: str) -> pd.DataFrame:
    """The 2020–2024 units through the crosswalk (shares of their 2025 successor)."""
    return pd.DataFrame({
        t(lang, "2020 code"): stats["code_2020"],
        t(lang, "2020 commune"): stats["full_name_2020"],
        t(lang, "District (2020)"): stats["district"],
        t(lang, "2025 code"): stats["code_2025"],
        t(lang, "2025 commune"): stats["full_name_2025"],
        **{h: stats[c] * 100 for c, h in _share_headers(lang, technology).items()},
        t(lang, "Support points"): stats["points"],
        t(lang, "Points in a gap"): stats["points_in_gap"],
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
            t(lang, "Kind"): t(lang, PLACE_KINDS[kind]),
            t(lang, "ID"): ids.to_numpy() if ids is not None else "",
            t(lang, "Name"): part["name"].to_numpy(),
            t(lang, "Commune (2025)"): part["commune_2025"].to_numpy(),
            t(lang, "Has today"): table["had"].str.replace(",", ", ").to_numpy(),
        }))
    columns = [t(lang, COLUMN_NAMES[c]) for c in ("kind", "id", "name", "commune_2025", "had")]
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
                         technology=sel.technology, threshold=result.points.selection.threshold)
    district_col, name_col = t(lang, "District (2020)"), t(lang, "Name")
    c1, c2, c3, c4 = st.columns([2, 2, 2, 1.5], vertical_alignment="bottom")
    with c1:
        statuses = translated_choice(st.multiselect, t(lang, "Service"),
                                     list(STATUSES), default=[], key="pt_status", lang=lang,
                                     format_func=lambda s: t(lang, STATUS_NAMES[s]),
                                     placeholder=t(lang, "All"))
    districts = c2.multiselect(t(lang, "District (2020)"),
                               sorted(frame[district_col].dropna().unique()), key="pt_district",
                               placeholder=t(lang, "All"))
    text = c3.text_input(t(lang, "Find by name or code"), key="pt_text")
    only_gaps = c4.checkbox(t(lang, "Gaps only"), key="pt_gaps")
    shown = frame
    if statuses:
        shown = shown[shown["_status"].isin(statuses)]
    if districts:
        shown = shown[shown[district_col].isin(districts)]
    if only_gaps:
        shown = shown[shown["_gap"]]
    shown = _text_filter(shown, text, [name_col, t(lang, "Commune (2025)"),
                                       t(lang, "Point ID")])
    tech = sel.technology
    st.dataframe(
        shown.drop(columns=["_status", "_gap"]), hide_index=True, key="points_table",
        column_config={
            t(lang, "Best {technology} signal (dBm)",
              technology=tech): st.column_config.NumberColumn(
                format="%.1f"),
            t(lang, "Serving site distance (m)"): st.column_config.NumberColumn(format="%.0f"),
            t(lang, "Fibre distance (m)"): st.column_config.NumberColumn(format="%.0f"),
            t(lang, "Assessment"): st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(t(lang, "Showing {shown}/{total} rows. Click a column name to sort.",
                 shown=format_int(len(shown), lang),
                 total=format_int(len(frame), lang)))


def communes_section(result: Analysis, lang: str) -> None:
    """Commune table: the 2025 units, or the 2020 units through the crosswalk."""
    tech = result.selection.technology
    era = translated_choice(st.radio, t(lang, "Administrative units"), ["2025", "2020"],
                            default="2025",
                            key="commune_era", lang=lang, horizontal=True,
                            format_func=lambda e: t(lang, COMMUNE_ERAS[e]))
    c1, c2 = st.columns([2, 2], vertical_alignment="bottom")
    text = c1.text_input(t(lang, "Find by name or code"), key="cm_text")
    percent = {h: _percent(h) for h in _share_headers(lang, tech).values()}
    if era == "2020":
        frame = communes_2020_frame(result.communes_2020, lang, technology=tech)
        district_col = t(lang, "District (2020)")
        districts = c2.multiselect(t(lang, "District (2020)"),
                                   sorted(frame[district_col].dropna().unique()),
                                   key="cm_district", placeholder=t(lang, "All"))
        shown = frame[frame[district_col].isin(districts)] if districts else frame
        shown = _text_filter(shown, text, [t(lang, "2020 commune"), t(lang, "2025 commune")])
        st.caption(t(lang, "No old commune boundaries exist: each old commune shows the shares of "
                           "its 2025 successor; the support points are its own."))
    else:
        frame = communes_frame(result.communes, lang, technology=tech)
        only = c2.checkbox(t(lang, "Only communes with places in a gap"), key="cm_gaps")
        shown = frame
        if only:
            gap = (result.communes["points_in_gap"] + result.communes["villages_in_gap"]) > 0
            shown = shown[gap.to_numpy()]
        shown = _text_filter(shown, text, [t(lang, "Name"), t(lang, "Code")])
        for op in SETTINGS.radio.operators:
            label = t(lang, "{operator} (%\u00a0of area)", operator=op)
            if label in frame.columns:
                percent[label] = st.column_config.NumberColumn(label, format="%.1f")
        percent[t(lang, "Area (km²)")] = st.column_config.NumberColumn(format="%.1f")
        for label in (t(lang, "Population"), t(lang, "Population without service")):
            percent[label] = st.column_config.NumberColumn(format="localized")
    st.dataframe(shown, hide_index=True, key="communes_table", column_config=percent)
    st.caption(t(lang, "Showing {shown}/{total} rows. Click a column name to sort.",
                 shown=format_int(len(shown), lang),
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
