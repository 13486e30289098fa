"""The leadership briefing's content, made from one analysis (rendered by :mod:`report`).

Built from exactly what the app shows (:class:`analysis.pipeline.Analysis`): the data behind
it and its assumptions, the headline figures beside the published ones, what the map draws
(communes, coverage / gap areas, support points by status, sites, terrain), the support
points in a gap, the communes ranked by people without service, the old districts, and, with
a scenario, the before / after figures and the proposed sites. Every text is in the
briefing's language (Vietnamese by default, English on request) and not escaped: the
renderers escape it. The map's geometry is in the coverage grid's CRS (EPSG:9208, metres).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis import status
from analysis.entry_loss import service_loss_db
from analysis.gaps import covered_mask
from analysis.model_card import coverage_model, model_lines
from analysis.pipeline import Analysis
from analysis.selection import Selection
from geo.admin import load_districts
from geo.settings import SETTINGS
from i18n import format_date, format_float, format_int, format_percent
from i18n.indicators import indicator_texts
from i18n.labels import LAYER_NAMES
from i18n.report_labels import BRIEF_COLUMNS, BRIEF_DATA_STATUS, BRIEF_REASONS
from i18n.translator import pt, t

MAX_ROWS = 40
"""At most this many support points are listed in the gap table."""

ScenarioResult = tuple[str, pd.DataFrame, Analysis]
"""A saved scenario: (name, its proposed sites, the analysis with them)."""


@dataclass(frozen=True)
class Table:
    """A titled table of already formatted text cells."""

    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass(frozen=True)
class BriefingMap:
    """What the briefing map draws; coordinates in EPSG:9208 metres."""

    title: str
    technology: str
    extent: tuple[float, float, float, float]  # (min x, max x, min y, max y) of the grid, m
    covered: np.ndarray  # bool grid, True where the selected technology is covered
    elevation: np.ndarray | None  # terrain grid in m (None when no terrain is loaded)
    resolution_m: float  # cell size of ``elevation``, m
    communes: gpd.GeoDataFrame
    study_area: gpd.GeoDataFrame
    gap_areas: gpd.GeoDataFrame
    sites_xy: np.ndarray  # (n, 2) site positions, m
    points_xy: np.ndarray  # (n, 2) support-point positions, m
    point_status: list[str]  # status code of each point (analysis.status.STATUSES)


@dataclass(frozen=True)
class Validation:
    """The briefing's validation section: the measurements behind the verdicts.

    ``measurements``: count; ``by_commune``: ``code``, ``name``, ``count`` per 2025 commune
    holding any (point in polygon, EPSG:9208), most first; ``outside``: measurements in no
    commune of the study area; ``rms_before_db`` / ``rms_after_db``: the error of the model
    (RMS of measured − predicted, dB) before and after calibration (``rms_after_db`` None
    without a calibration; then ``rms_before_db`` is the coverage in use's); ``lost``: places
    the model covers that the measurements put in a gap, ``gained``: the reverse (support
    points and villages); ``lines`` and ``tables``: the same as text in the briefing's
    language."""

    title: str
    lines: list[str]
    tables: list[Table]
    measurements: int
    by_commune: pd.DataFrame
    outside: int
    rms_before_db: float
    rms_after_db: float | None
    lost: int
    gained: int


@dataclass(frozen=True)
class Briefing:
    """The briefing's parts in the order they are shown."""

    lang: str
    title: str
    subtitle: str
    warning: str | None
    data_box: Table
    assumptions: list[str]
    headline: Table
    map: BriefingMap
    tables: list[Table] = field(default_factory=list)
    recommendation_title: str = ""
    recommendation: str = ""
    footer: str = ""
    validation: Validation | None = None  # only with measurements


def service_text(service: str, technology: str, lang: str) -> str:
    """The loss model of a service level for ``technology``, in ``lang`` (the app's "About the
    data" and the briefing)."""
    loss = format_float(service_loss_db(service, technology), lang, 1)
    if service == "incar":
        return t(lang, "in a car, {loss} dB vehicle penetration loss (3GPP TR 38.901 §7.4.3.2, "
                       "median)", loss=loss)
    if service == "indoor":
        return t(lang, "indoors, {loss} dB building entry loss (ITU-R P.2109-1, traditional "
                       "building, median, {band} MHz)", loss=loss,
                 band=SETTINGS.radio.default_band_mhz[technology])
    return t(lang, "outdoors, no added loss")


def service_summary(selection: Selection, lang: str) -> str:
    """Both service levels of ``selection``: the map's and the support points'."""
    tech = selection.technology
    return t(lang, "Service level of the map and villages: {service}. Support points (commune "
                   "halls and cultural houses, judged indoors by default): {points}.",
             service=service_text(selection.service, tech, lang),
             points=service_text(selection.point_service, tech, lang))


def _data_box(result: Analysis, lang: str) -> Table:
    rows = [[t(lang, "Boundaries, admin codes"), t(lang, "Real (official)"),
             "gis.vn, sapnhap.bando.com.vn (2025-07)"]]
    for key in ("points", "sites", "villages", "fibre_routes", "fibre_nodes"):
        source = result.inputs.sources.get(key, "illustrative")
        origin = ("python -m geo.sample" if source == "illustrative"
                  else t(lang, "Imported (real)"))
        rows.append([t(lang, LAYER_NAMES[key]), t(lang, BRIEF_DATA_STATUS[source]), origin])
    sel = result.selection
    for name, level in ((t(lang, "Service level: map and villages"), sel.service),
                        (t(lang, "Service level: support points"), sel.point_service)):
        rows.append([name, t(lang, "Model"), service_text(level, sel.technology, lang)])
    return Table(t(lang, "Data and assumptions"), [t(lang, "Layer"), t(lang, "Status"),
                                             t(lang, "Source")], rows)


def _headline(result: Analysis, lang: str) -> Table:
    rows = []
    for ind in result.indicators:
        texts = indicator_texts(ind, lang, result.selection.technology)
        rows.append([texts.name, f"{texts.value} ({texts.counts})", texts.published or "—"])
    return Table(t(lang, "Headline figures"), [t(lang, "Figure"), t(lang, "Computed"),
                                             t(lang, "Published")], rows)


def briefing_map(result: Analysis, lang: str) -> BriefingMap:
    """What the map draws: coverage of the selection, gap areas, communes, sites and points."""
    sel, cov = result.selection, result.coverage
    minx, maxx = cov.transform.c, cov.transform.c + cov.shape[1] * cov.transform.a
    maxy, miny = cov.transform.f, cov.transform.f + cov.shape[0] * cov.transform.e
    dem = result.inputs.dem
    sites = result.inputs.sites.to_crs(cov.crs)
    points = result.inputs.points.to_crs(cov.crs)
    return BriefingMap(
        title=t(lang, "Map: support points and {tech} coverage", tech=sel.technology),
        technology=sel.technology,
        extent=(minx, maxx, miny, maxy),
        covered=covered_mask(cov, sel.technology, sel.operators, sel.threshold),
        elevation=dem.elevation if dem.terrain_loaded else None,
        resolution_m=dem.resolution_m,
        communes=result.inputs.communes.to_crs(cov.crs),
        study_area=result.inputs.study_area.to_crs(cov.crs),
        gap_areas=result.gap_areas,
        sites_xy=np.column_stack([sites.geometry.x, sites.geometry.y]),
        points_xy=np.column_stack([points.geometry.x, points.geometry.y]),
        point_status=result.points.status.reindex(points.index).fillna("none").tolist(),
    )


def _points_gap(result: Analysis, lang: str) -> Table:
    table = result.points.table
    points = result.inputs.points
    names = result.inputs.communes.set_index("code")["full_name"]
    gap = table[result.points.mobile_gap].sort_values(["reason", "best_signal_dbm"])
    rows = []
    for idx, row in gap.head(MAX_ROWS).iterrows():
        p = points.loc[idx]
        signal = "—" if pd.isna(row["best_signal_dbm"]) else format_float(
            row["best_signal_dbm"], lang)
        reason = row["reason"] or "measured_no_service"  # a gap the measurements found
        rows.append([str(p["name"]), str(p.get("district", "")),
                     str(names.get(p["commune_code_2025"], p["commune_code_2025"])),
                     t(lang, BRIEF_REASONS[reason]), signal,
                     format_int(row["fibre_distance_m"], lang)])
    note = "" if len(gap) else t(lang, "No support point is in a gap.")
    return Table(t(lang, "Support points in a gap"),
                 [t(lang, BRIEF_COLUMNS[c]) for c in ("name", "district", "commune", "reason",
                                                      "signal", "fibre")], rows, note)


def _communes(result: Analysis, lang: str) -> Table:
    tab = result.communes.assign(without=100 * (1 - result.communes["population_share"]))
    tab = tab.sort_values("without", ascending=False).head(15)
    rows = [[str(r["name"]), format_int(r["population"], lang),
             format_percent(r["without"], lang)] for _, r in tab.iterrows()]
    tech = result.selection.technology
    return Table(t(lang, "Communes ranked by the share of people without {tech}", tech=tech),
                 [t(lang, "Commune (2025)"), t(lang, "Population"),
                  t(lang, "Without service (% people)")], rows)


def _districts(result: Analysis, lang: str) -> Table:
    points = result.inputs.points.assign(
        mobile=(~result.points.mobile_gap).to_numpy(),
        fibre=(~status.fibre_gap(result.points.table)).to_numpy())
    points["working"] = points["mobile"] | points["fibre"]
    grouped = points.groupby("district_code")[["mobile", "fibre", "working"]].sum()
    grouped["points"] = points.groupby("district_code").size()
    short = load_districts().set_index("district_code")["short_name"]
    rows = [[str(short.get(code, code)), format_int(r["points"], lang),
             format_int(r["working"], lang), format_int(r["mobile"], lang),
             format_int(r["fibre"], lang)] for code, r in grouped.iterrows()]
    tech = result.selection.technology
    return Table(t(lang, "Per old district: planned points and how many are connected"),
                 [t(lang, "District (2020)"), t(lang, "Points"),
                  t(lang, "Connected"), t(lang, "With {tech}", tech=tech),
                  t(lang, "With fibre")], rows,
                 t(lang, "Connected: {tech} signal, or fibre within {reach:g} m.", tech=tech,
                   reach=result.selection.fibre_reach_m))


def _scenario_tables(before: Analysis, scenario: ScenarioResult, lang: str) -> list[Table]:
    name, proposed, after = scenario
    tech = before.selection.technology
    rows = []
    for b, a in zip(before.indicators, after.indicators, strict=True):
        texts = indicator_texts(b, lang, tech)
        rows.append([texts.name, texts.value, indicator_texts(a, lang, tech).value])
    compare = Table(t(lang, "Scenario: {name}", name=name),
                    [t(lang, "Figure"), t(lang, "Today"), t(lang, "With the scenario")],
                    rows)
    sites = Table(t(lang, "Proposed sites"),
                  [t(lang, "Site"), t(lang, "Operator"),
                   t(lang, "Position (lon, lat)")],
                  [[str(r["site_id"]), str(r["operator"]),
                    f"{float(r['lon']):.5f}, {float(r['lat']):.5f}"]
                   for _, r in proposed.iterrows()])
    return [compare, sites]


def _rms(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    return float(np.sqrt(np.mean(values ** 2))) if values.size else float("nan")


def _measurements_by_commune(compared: pd.DataFrame,
                             communes: gpd.GeoDataFrame) -> tuple[pd.DataFrame, int]:
    """Measurements per commune (point in polygon, EPSG:9208) and those outside all."""
    points = shapely.points(compared["x"].to_numpy(float), compared["y"].to_numpy(float))
    shapes = np.asarray(communes.to_crs(SETTINGS.crs.metric).geometry.values, dtype=object)
    point_i, commune_j = shapely.STRtree(shapes).query(points, predicate="within")
    first = pd.Series(commune_j).groupby(point_i).first()  # a point on a shared edge once
    counts = np.bincount(first.to_numpy(np.int64), minlength=len(communes))
    table = pd.DataFrame({"code": communes["code"].to_numpy(),
                          "name": communes["full_name"].to_numpy(), "count": counts})
    table = table[table["count"] > 0].sort_values(["count", "name"],
                                                  ascending=[False, True])
    return table.reset_index(drop=True), int(len(compared) - len(first))


def validation(result: Analysis, lang: str) -> Validation | None:
    """The validation section of ``result`` in ``lang``; None without measurements."""
    from analysis.disagreement import changed

    compared = result.measurements
    if compared is None or len(compared) == 0:
        return None
    residual = compared["residual_db"].to_numpy(float)
    by_commune, outside = _measurements_by_commune(compared, result.inputs.communes)
    cal = result.calibration
    if cal is not None:
        summary = cal.summary()
        before, after = float(summary["rms_before_db"]), float(summary["rms_after_db"])
        error = t(lang, "Error of the model against the measurements (RMS): {before} dB "
                        "before calibration, {after} dB after (calibration {name}).",
                  before=format_float(before, lang, 1), after=format_float(after, lang, 1),
                  name=cal.name)
    else:
        before, after = _rms(residual), None
        error = t(lang, "Error of the model against the measurements (RMS): {error} dB "
                        "(not calibrated).", error=format_float(before, lang, 1))
    moved = []
    for kind, layer, assessment in ((t(lang, "Support point"), result.inputs.points,
                                     result.points),
                                    (t(lang, "Village"), result.inputs.villages,
                                     result.villages)):
        for idx, row in changed(assessment.table).iterrows():
            moved.append((kind, str(layer.loc[idx].get("name", idx)),
                          str(layer.loc[idx].get("commune_code_2025", "")), row["change"]))
    lost = sum(1 for m in moved if m[3] == "lost")
    gained = len(moved) - lost
    names = result.inputs.communes.set_index("code")["full_name"]
    changes = {"lost": t(lang, "Model: covered; measured: no service"),
               "gained": t(lang, "Model: not covered; measured: service")}
    lines = [
        t(lang, "{n} drive-test measurements in {communes} communes ({outside} outside the "
                "study area's communes).", n=format_int(len(compared), lang),
          communes=format_int(len(by_commune), lang), outside=format_int(outside, lang)),
        error,
        t(lang, "The measurements changed the verdict of {lost} places the model covers (no "
                "service measured) and of {gained} places it does not (service measured).",
          lost=format_int(lost, lang), gained=format_int(gained, lang)),
    ]
    groups = []
    for (op, tech), part in compared.groupby(["operator", "technology"], sort=True):
        groups.append([str(op), str(tech), format_int(len(part), lang),
                       format_float(_rms(part["residual_db"].to_numpy(float)), lang, 1)])
    tables = [
        Table(t(lang, "Measurements by operator and technology"),
              [t(lang, "Operator"), t(lang, "Technology"), t(lang, "Measurements"),
               t(lang, "Error of the model in use (RMS, dB)")], groups),
        Table(t(lang, "Measurements by commune"),
              [t(lang, "Commune (2025)"), t(lang, "Measurements")],
              [[str(r["name"]), format_int(r["count"], lang)]
               for _, r in by_commune.head(15).iterrows()]),
        Table(t(lang, "Places whose verdict the measurements changed"),
              [t(lang, "Place"), t(lang, "Name"), t(lang, "Commune (2025)"),
               t(lang, "Change")],
              [[kind, name, str(names.get(code, code)), changes[change]]
               for kind, name, code, change in moved[:MAX_ROWS]],
              "" if moved else t(lang, "The measurements changed no verdict.")),
    ]
    return Validation(t(lang, "Validation against drive-test measurements"), lines, tables,
                      len(compared), by_commune, outside, before, after, lost, gained)


def build_briefing(result: Analysis, *, lang: str = SETTINGS.app.default_language,
                   scenario: ScenarioResult | None = None, today: date | None = None) -> Briefing:
    """The briefing of ``result`` in ``lang``, with the before / after of ``scenario``, dated
    ``today`` (default: the current date)."""
    sel, inputs = result.selection, result.inputs
    operators = ", ".join(sel.operators) if sel.operators else t(lang, "all")
    assumptions = [
        t(lang, "{tech} coverage threshold: {threshold:g} dBm; operators: {operators}; grid: "
                "{res:g} m; fibre reach: {reach:g} m.", tech=sel.technology,
          threshold=sel.threshold,
          operators=operators, res=result.coverage.resolution_m, reach=sel.fibre_reach_m),
        *model_lines(coverage_model(
            terrain_loaded=inputs.dem.terrain_loaded,
            landcover_source="" if inputs.landcover is None else inputs.landcover.source,
            resolution_m=result.coverage.resolution_m, technology=sel.technology), lang),
        service_summary(sel, lang),
        t(lang, "Terrain included ({source}).",
          source=inputs.dem.source) if inputs.dem.terrain_loaded
        else pt(lang, "brief", "Terrain not loaded: coverage is optimistic in mountains."),
    ]
    illustrative = [t(lang, LAYER_NAMES[key]) for key in inputs.illustrative]
    warning = (t(lang, "Warning: this briefing uses illustrative data ({layers}). The figures only "
                       "illustrate the tool and must not be used for decisions.",
                 layers=", ".join(illustrative))
               if illustrative else None)
    tables = [_points_gap(result, lang), _communes(result, lang), _districts(result, lang)]
    if scenario is not None:
        tables += _scenario_tables(result, scenario, lang)
    gap = result.points.gap
    recommendation = t(lang, "{gap} support points have no {tech}; {neither} have neither signal "
                             "nor fibre. Address the points in the table above first: points in "
                             "a terrain shadow need a new or taller site, points out of range a "
                             "new site, points with a weak signal more power or fibre where a "
                             "route is near.", tech=sel.technology,
                       gap=int(result.points.mobile_gap.sum()),
                       neither=int((gap == status.MOBILE_AND_FIBRE).sum()))
    return Briefing(
        lang=lang, title=t(lang, "Briefing: connectivity at the IT-support points for "
                                 "ethnic-minority people, {province} province"),
        subtitle=t(lang, "Study area: {area}. Date: {date}",
                   area=SETTINGS.study_area.label(inputs.area, lang),
                   date=format_date(today or date.today(), lang)),
        warning=warning, data_box=_data_box(result, lang), assumptions=assumptions,
        headline=_headline(result, lang), map=briefing_map(result, lang), tables=tables,
        recommendation_title=t(lang, "What to do"),
        recommendation=recommendation, validation=validation(result, lang),
        footer=t(lang, "Made with the {province} connectivity planner. Boundaries: gis.vn, "
                       "sapnhap.bando.com.vn; © OpenStreetMap contributors (ODbL)."))
