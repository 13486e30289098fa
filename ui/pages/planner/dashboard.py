"""The figures around the planner's map: headline figures beside the published ones, the
2G/3G switch-off scenario and the downloads of the gaps.

:func:`gap_counts` is pure and tested directly (the headline texts are
:func:`i18n.indicators.indicator_texts`); the ``*_section`` functions draw with Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from analysis.pipeline import Analysis, export_frames
from geo.export import export_bytes
from geo.settings import SETTINGS
from i18n import format_int
from i18n.indicators import indicator_texts
from i18n.labels import DOWNLOAD_LABELS
from i18n.translator import t
from ui.pages.planner.tables import lost_frame
from ui.widgets import METRIC_CSS

DOWNLOAD_FORMATS: tuple[tuple[str, str, str], ...] = (
    ("geojson", "geojson", "application/geo+json"),
    ("gpkg", "gpkg", "application/geopackage+sqlite3"),
    ("csv", "csv", "text/csv"),
    ("kml", "kml", "application/vnd.google-earth.kml+xml"),
)
"""(format, file extension, MIME type) of each download button (key ``dl_<format>``)."""
DOWNLOAD_STEM = "lo-hong-phu-song"


# --- headline figures ---------------------------------------------------------------------------

def headline_section(result: Analysis, lang: str, *, operators_label: str) -> None:
    """The headline figures as metrics, five per row, published figures beside."""
    tech = result.selection.technology
    st.subheader(t(lang, "Headline figures: {technology}, {operators}", technology=tech,
                   operators=operators_label))
    st.caption(t(lang, "Computed from the data in use with the sidebar filters, over {area}. "
                       "Figures marked “published” are published figures of the same area (year "
                       "and source in each figure's note), for comparison only.",
                 area=SETTINGS.study_area.label(result.inputs.area, lang)))
    # Let metric labels wrap (Streamlit cuts them with "…"): the denominator must show.
    st.html(METRIC_CSS)
    items = [indicator_texts(ind, lang, tech) for ind in result.indicators]
    per_row = 5
    for start in range(0, len(items), per_row):
        columns = st.columns(per_row)
        for column, item in zip(columns, items[start:start + per_row], strict=False):
            column.metric(item.label, item.value, delta=item.published_note,
                          delta_color="off", delta_arrow="off", help=item.help,
                          border=True, height="stretch")


# --- scenario and downloads ---------------------------------------------------------------------

def scenario_section(result: Analysis, lost_points: pd.DataFrame, lost_villages: pd.DataFrame,
                     lang: str, *, operators_label: str) -> None:
    """The 2G/3G switch-off: how many places lose all service, and which."""
    st.subheader(t(lang, "2G/3G switch-off scenario"))
    data = result.inputs
    frame = lost_frame([(data.points, lost_points, "points"),
                        (data.villages, lost_villages, "villages")], lang)
    if frame.empty:
        st.success(t(lang, "If {operators} switch off 2G and 3G, no support point or village loses "
                           "all service: every place with service keeps 4G or 5G.",
                     operators=operators_label),
                   icon=":material/check_circle:")
        return
    st.error(t(lang, "If {operators} switch off 2G and 3G: **{points}** support point(s) and "
                     "**{villages}** village(s) lose all mobile service (circled on the map).",
               operators=operators_label,
               points=format_int(len(lost_points), lang),
               villages=format_int(len(lost_villages), lang)),
             icon=":material/signal_cellular_off:")
    st.dataframe(frame, hide_index=True, key="lost_table")


def gap_counts(result: Analysis) -> tuple[int, int, int]:
    """Support points and villages in a gap (mobile or fibre) and gap areas: what the
    downloads hold."""
    return (int(result.points.in_gap.sum()), int(result.villages.in_gap.sum()),
            len(result.gap_areas))


def file_name(fmt: str, today: date, area: str = SETTINGS.study_area.default) -> str:
    """``lo-hong-phu-song_laocai_2026-11-30.geojson``: what, the study area's key, the date."""
    return f"{DOWNLOAD_STEM}_{area}_{today.isoformat()}.{fmt}"


def export_data(result: Analysis, fmt: str) -> Callable[[], bytes]:
    """The bytes of the gap export in ``fmt``, made only when the user clicks."""
    def make() -> bytes:
        return export_bytes(export_frames(result), fmt)
    return make


def downloads_section(result: Analysis, lang: str, *, today: date | None = None) -> None:
    """Four download buttons (GeoJSON, GeoPackage, CSV, KML) of the gaps, filters applied."""
    today = today or date.today()
    st.subheader(t(lang, "Download the gaps (with the filters applied)"))
    points, villages, areas = gap_counts(result)
    st.caption(t(lang, "{points} support points and {villages} villages lacking {technology} or "
                       "fibre, and {areas} gap areas, each with its reason. Files mark "
                       "illustrative data (source = illustrative).",
                 points=format_int(points, lang),
                 villages=format_int(villages, lang), areas=format_int(areas, lang),
                 technology=result.selection.technology))
    columns = st.columns(len(DOWNLOAD_FORMATS))
    for column, (fmt, ext, mime) in zip(columns, DOWNLOAD_FORMATS, strict=True):
        column.download_button(t(lang, DOWNLOAD_LABELS[fmt]), data=export_data(result, fmt),
                               file_name=file_name(ext, today, result.inputs.area), mime=mime,
                               key=f"dl_{fmt}",
                               on_click="ignore", icon=":material/download:",
                               use_container_width=True)
