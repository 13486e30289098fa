"""Leadership briefing: a short A4 PDF and an HTML page made from one analysis.

Built from exactly what the app shows (:class:`analysis.pipeline.Analysis`): the data behind
it and its assumptions, the headline figures beside the published ones, a map rendered
offline with matplotlib (communes, coverage / gap areas, support points by status, sites,
legend, scale bar, north arrow, hillshade when terrain is loaded), the support points in a
gap, the communes ranked by people without service, the old districts, and, with a scenario,
the before / after figures and the proposed sites. Vietnamese by default (DejaVu Sans, shipped
with matplotlib, covers every Vietnamese letter and is embedded in the PDF); English on
request. Every text from data is HTML-escaped in the HTML version.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from fpdf import FPDF
from matplotlib.colors import LightSource, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.gaps import covered_mask
from analysis.pipeline import Analysis
from geo.admin import load_districts
from geo.settings import SETTINGS
from i18n import format_float, format_int, t

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_SCALE_KM = 20.0
_MAX_ROWS = 40


@dataclass
class Table:
    """A titled table of already formatted text cells."""

    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Briefing:
    """The briefing's parts in order; render with :meth:`pdf` or :meth:`html`."""

    lang: str
    title: str
    subtitle: str
    data_box: Table
    assumptions: list[str]
    warning: str | None
    headline: Table
    map_title: str
    map_png: bytes
    tables: list[Table] = field(default_factory=list)
    recommendation: str = ""
    footer: str = ""

    def html(self) -> str:
        """A standalone HTML page (map embedded as a data URI), data text escaped."""
        import base64

        def table(tab: Table) -> str:
            head = "".join(f"<th>{html.escape(h)}</th>" for h in tab.header)
            body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                           for row in tab.rows)
            note = f"<p class='note'>{html.escape(tab.note)}</p>" if tab.note else ""
            return (f"<h2>{html.escape(tab.title)}</h2><table><thead><tr>{head}</tr></thead>"
                    f"<tbody>{body}</tbody></table>{note}")

        png = base64.b64encode(self.map_png).decode("ascii")
        warning = (f"<p class='warning'>{html.escape(self.warning)}</p>"
                   if self.warning else "")
        assumptions = "".join(f"<li>{html.escape(a)}</li>" for a in self.assumptions)
        parts = [
            "<!DOCTYPE html>", f"<html lang='{self.lang}'><head><meta charset='utf-8'>",
            f"<title>{html.escape(self.title)}</title>",
            "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60em;margin:auto;"
            "padding:1em;color:#222}table{border-collapse:collapse;width:100%;margin:.5em 0}"
            "td,th{border:1px solid #bbb;padding:.2em .4em;font-size:.9em;text-align:left}"
            "th{background:#eef}.warning{background:#fff3cd;border:1px solid #e0b000;"
            "padding:.5em}.note{font-size:.85em;color:#555}img{max-width:100%}</style>",
            "</head><body>", f"<h1>{html.escape(self.title)}</h1>",
            f"<p>{html.escape(self.subtitle)}</p>", warning, table(self.data_box),
            f"<ul>{assumptions}</ul>", table(self.headline),
            f"<h2>{html.escape(self.map_title)}</h2>",
            f"<img alt='{html.escape(self.map_title)}' src='data:image/png;base64,{png}'>",
            *[table(tab) for tab in self.tables],
            f"<h2>{html.escape(t('brief.recommend', self.lang))}</h2>",
            f"<p>{html.escape(self.recommendation)}</p>",
            f"<p class='note'>{html.escape(self.footer)}</p>", "</body></html>"]
        return "\n".join(parts)

    def pdf(self) -> bytes:
        """An A4 PDF with the DejaVu Sans font embedded."""
        pdf = FPDF(format="A4", unit="mm")
        pdf.set_auto_page_break(True, margin=15)
        pdf.add_font("DejaVu", "", str(_FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
        pdf.set_title(self.title)
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 14)
        _para(pdf, 7, self.title)
        pdf.set_font("DejaVu", "", 9)
        _para(pdf, 5, self.subtitle)
        if self.warning:
            pdf.ln(1)
            pdf.set_fill_color(255, 243, 205)
            _para(pdf, 5, self.warning, fill=True, border=1)
        _pdf_table(pdf, self.data_box)
        for line in self.assumptions:
            _para(pdf, 5, "• " + line)
        _pdf_table(pdf, self.headline)
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 11)
        _para(pdf, 6, self.map_title)
        pdf.image(io.BytesIO(self.map_png), w=pdf.epw)
        for tab in self.tables:
            _pdf_table(pdf, tab)
        pdf.set_font("DejaVu", "B", 11)
        _para(pdf, 6, t("brief.recommend", self.lang))
        pdf.set_font("DejaVu", "", 9)
        _para(pdf, 5, self.recommendation)
        pdf.ln(2)
        pdf.set_font("DejaVu", "", 7)
        _para(pdf, 4, self.footer)
        return bytes(pdf.output())


def _para(pdf: FPDF, height: float, text: str, **kwargs: object) -> None:
    """A paragraph across the page; the next one starts at the left margin below it."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", **kwargs)


def _pdf_table(pdf: FPDF, tab: Table) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    _para(pdf, 6, tab.title)
    pdf.set_font("DejaVu", "", 8)
    with pdf.table(text_align="LEFT", line_height=4.5) as table:
        head = table.row()
        for h in tab.header:
            head.cell(h)
        for values in tab.rows:
            row = table.row()
            for value in values:
                row.cell(value)
    if tab.note:
        pdf.set_font("DejaVu", "", 7)
        _para(pdf, 4, tab.note)


def _pct(value: float, lang: str) -> str:
    return "—" if not np.isfinite(value) else f"{format_float(value, lang)} %"


def _data_box(result: Analysis, lang: str) -> Table:
    rows = [[t("layer.boundaries", lang), t("brief.status.official", lang),
             "gis.vn, sapnhap.bando.com.vn (2025-07)"]]
    for key in ("points", "sites", "villages", "fibre_routes", "fibre_nodes"):
        status = result.inputs.sources.get(key, "illustrative")
        origin = ("python -m geo.sample" if status == "illustrative"
                  else t("brief.status.imported", lang))
        rows.append([t(f"layer.{key}", lang), t(f"brief.status.{status}", lang), origin])
    return Table(t("brief.data_box", lang), [t("brief.layer", lang), t("brief.status", lang),
                                             t("brief.origin", lang)], rows)


def _headline(result: Analysis, lang: str) -> Table:
    tech = result.selection.technology
    rows = []
    for i in result.indicators:
        counts = t(f"den.{i.key}", lang, num=format_int(i.numerator, lang),
                   den=format_int(i.denominator or 0, lang),
                   distance=format_int(SETTINGS.gaps.shared_site_distance_m, lang))
        value = (f"{_pct(i.value, lang)} ({counts})" if i.unit == "%"
                 else f"{format_int(i.value, lang)} ({counts})")
        rows.append([t(f"indicator.{i.key}", lang, technology=tech), value, i.published or "—"])
    return Table(t("brief.headline", lang), [t("brief.figure", lang), t("brief.value", lang),
                                             t("brief.published", lang)], rows)


def render_map(result: Analysis, lang: str, *, dpi: int = 150) -> bytes:
    """The briefing map as PNG (EPSG:9208 metres, no tile server needed)."""
    sel, cov = result.selection, result.coverage
    fig, ax = plt.subplots(figsize=(7.5, 7.0), dpi=dpi)
    minx, maxx = cov.transform.c, cov.transform.c + cov.shape[1] * cov.transform.a
    maxy, miny = cov.transform.f, cov.transform.f + cov.shape[0] * cov.transform.e
    extent = (minx, maxx, miny, maxy)
    dem = result.inputs.dem
    if dem.terrain_loaded:
        shade = LightSource(azdeg=315, altdeg=45).hillshade(
            np.nan_to_num(dem.elevation, nan=0.0), vert_exag=1.0, dx=dem.resolution_m,
            dy=dem.resolution_m)
        ax.imshow(shade, cmap="gray", extent=extent, alpha=0.5, zorder=0)
    covered = covered_mask(cov, sel.technology, sel.operators, sel.threshold)
    ax.imshow(np.where(covered, 1.0, np.nan), cmap=ListedColormap(["#7fc97f"]),
              extent=extent, alpha=0.45, zorder=1, interpolation="nearest")
    communes = result.inputs.communes.to_crs(cov.crs)
    communes.boundary.plot(ax=ax, color="#666", linewidth=0.4, zorder=2)
    result.inputs.study_area.to_crs(cov.crs).boundary.plot(ax=ax, color="black", linewidth=1.0,
                                                           zorder=3)
    if len(result.gap_areas):
        result.gap_areas.plot(ax=ax, color="#e41a1c", alpha=0.35, linewidth=0, zorder=2)
    sites = result.inputs.sites.to_crs(cov.crs)
    ax.scatter(sites.geometry.x, sites.geometry.y, s=1.5, c="#555", zorder=4)
    points = result.inputs.points.to_crs(cov.crs)
    status = np.select([result.points.table["reason"] == "",
                        result.points.table["best_technology"].isin(["3G", "2G"])],
                       ["#1a9641", "#fdae61"], "#d7191c")
    ax.scatter(points.geometry.x, points.geometry.y, s=22, c=status, edgecolors="black",
               linewidths=0.5, zorder=5)
    tech = sel.technology
    handles = [
        Patch(color="#7fc97f", alpha=0.45, label=t("brief.legend.covered", lang, tech=tech)),
        Patch(color="#e41a1c", alpha=0.35, label=t("brief.legend.gap", lang, tech=tech)),
        Line2D([], [], color="#666", lw=0.6, label=t("brief.legend.communes", lang)),
        Line2D([], [], ls="", marker="o", ms=2, color="#555",
               label=t("brief.legend.sites", lang)),
        *[Line2D([], [], ls="", marker="o", ms=6, mfc=c, mec="black",
                 label=t(f"brief.legend.{k}", lang, tech=tech))
          for c, k in (("#1a9641", "point_ok"), ("#fdae61", "point_lower"),
                       ("#d7191c", "point_none"))]]
    ax.legend(handles=handles, loc="lower left", fontsize=6.5, framealpha=0.9)
    x0 = minx + 0.62 * (maxx - minx)
    y0 = miny + 0.04 * (maxy - miny)
    ax.plot([x0, x0 + _SCALE_KM * 1000], [y0, y0], color="black", lw=2.5, zorder=6)
    ax.text(x0 + _SCALE_KM * 500, y0 + 0.012 * (maxy - miny),
            t("brief.scale", lang, km=_SCALE_KM), ha="center", fontsize=7, zorder=6)
    nx, ny = maxx - 0.06 * (maxx - minx), maxy - 0.12 * (maxy - miny)
    ax.annotate(t("brief.north", lang), xy=(nx, ny + 0.07 * (maxy - miny)), xytext=(nx, ny),
                ha="center", fontsize=9, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black"}, zorder=6)
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.tight_layout(pad=0.2)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return buffer.getvalue()


def _points_gap(result: Analysis, lang: str) -> Table:
    table = result.points.table
    points = result.inputs.points
    names = result.inputs.communes.set_index("code")["full_name"]
    gap = table[table["reason"] != ""].sort_values(["reason", "best_signal_dbm"])
    rows = []
    for idx, row in gap.head(_MAX_ROWS).iterrows():
        p = points.loc[idx]
        signal = "—" if pd.isna(row["best_signal_dbm"]) else format_float(
            row["best_signal_dbm"], lang)
        rows.append([str(p["name"]), str(p.get("district", "")),
                     str(names.get(p["commune_code_2025"], p["commune_code_2025"])),
                     t(f"brief.reason.{row['reason']}", lang), signal,
                     format_int(row["fibre_distance_m"], lang)])
    note = "" if len(gap) else t("brief.no_points_gap", lang)
    return Table(t("brief.points_gap", lang),
                 [t(f"brief.col.{c}", lang) for c in ("name", "district", "commune", "reason",
                                                      "signal", "fibre")], rows, note)


def _communes(result: Analysis, lang: str) -> Table:
    tab = result.communes.assign(without=100 * (1 - result.communes["population_share"]))
    tab = tab.sort_values("without", ascending=False).head(15)
    rows = [[str(r["name"]), format_int(r["population"], lang), _pct(r["without"], lang)]
            for _, r in tab.iterrows()]
    tech = result.selection.technology
    return Table(t("brief.communes", lang, tech=tech),
                 [t("brief.col.commune", lang), t("brief.col.population", lang),
                  t("brief.col.without", lang)], rows)


def _districts(result: Analysis, lang: str) -> Table:
    table = result.points.table
    points = result.inputs.points.assign(mobile=(table["reason"] == "").to_numpy(),
                                         fibre=table["fibre"].to_numpy())
    points["working"] = points["mobile"] | points["fibre"]
    grouped = points.groupby("district_code")[["mobile", "fibre", "working"]].sum()
    grouped["points"] = points.groupby("district_code").size()
    short = load_districts().set_index("district_code")["short_name"]
    rows = [[str(short.get(code, code)), format_int(r["points"], lang),
             format_int(r["working"], lang), format_int(r["mobile"], lang),
             format_int(r["fibre"], lang)] for code, r in grouped.iterrows()]
    tech = result.selection.technology
    return Table(t("brief.districts", lang),
                 [t("brief.col.district", lang), t("brief.col.points", lang),
                  t("brief.col.working", lang), t("brief.col.mobile", lang, tech=tech),
                  t("brief.col.with_fibre", lang)], rows,
                 t("brief.connected_note", lang, tech=tech,
                   reach=result.selection.fibre_reach_m))


def _scenario_tables(before: Analysis, after: Analysis, name: str, proposed: pd.DataFrame,
                     lang: str) -> list[Table]:
    tech = before.selection.technology
    rows = [[t(f"indicator.{b.key}", lang, technology=tech),
             f"{format_float(b.value, lang)}{' %' if b.unit == '%' else ''}",
             f"{format_float(a.value, lang)}{' %' if a.unit == '%' else ''}"]
            for b, a in zip(before.indicators, after.indicators, strict=True)]
    compare = Table(t("brief.scenario", lang, name=name),
                    [t("brief.figure", lang), t("brief.before", lang), t("brief.after", lang)],
                    rows)
    sites = Table(t("brief.proposed", lang),
                  [t("brief.col.site", lang), t("brief.col.operator", lang),
                   t("brief.col.position", lang)],
                  [[str(r["site_id"]), str(r["operator"]),
                    f"{float(r['lon']):.5f}, {float(r['lat']):.5f}"]
                   for _, r in proposed.iterrows()])
    return [compare, sites]


def build_briefing(result: Analysis, *, lang: str = SETTINGS.app.default_language,
                   scenario: tuple[str, pd.DataFrame, Analysis] | None = None,
                   today: date | None = None) -> Briefing:
    """Assemble the briefing; ``scenario`` = (name, proposed sites, analysis with them)."""
    sel, inputs = result.selection, result.inputs
    operators = ", ".join(sel.operators) if sel.operators else t("brief.all_operators", lang)
    assumptions = [
        t("brief.assumptions", lang, tech=sel.technology, threshold=sel.threshold,
          operators=operators, res=result.coverage.resolution_m, reach=sel.fibre_reach_m),
        t("brief.terrain_yes", lang, source=inputs.dem.source) if inputs.dem.terrain_loaded
        else t("brief.terrain_no", lang),
    ]
    illustrative = [t(f"layer.{key}", lang) for key in inputs.illustrative]
    warning = (t("brief.illustrative_warning", lang, layers=", ".join(illustrative))
               if illustrative else None)
    tables = [_points_gap(result, lang), _communes(result, lang), _districts(result, lang)]
    if scenario is not None:
        name, proposed, after = scenario
        tables += _scenario_tables(result, after, name, proposed, lang)
    table = result.points.table
    recommendation = t("brief.recommend.text", lang, tech=sel.technology,
                       gap=int((table["reason"] != "").sum()),
                       neither=int(((table["reason"] != "") & ~table["fibre"]).sum()))
    return Briefing(
        lang, t("brief.title", lang),
        t("brief.date", lang, date=(today or date.today()).isoformat()),
        _data_box(result, lang), assumptions, warning, _headline(result, lang),
        t("brief.map", lang, tech=sel.technology), render_map(result, lang), tables,
        recommendation, t("brief.footer", lang))


def write_briefing(briefing: Briefing, out: Path) -> tuple[Path, Path]:
    """Write ``out`` (.pdf) and the HTML version next to it; returns both paths."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf_path = out.with_suffix(".pdf")
    html_path = out.with_suffix(".html")
    pdf_path.write_bytes(briefing.pdf())
    html_path.write_text(briefing.html(), encoding="utf-8")
    return pdf_path, html_path
