"""One analysis run: coverage, gaps, commune tables, gap areas and headline figures.

Shared by the CLI, the app and the briefing so that all three show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis import gaps as G
from analysis.coverage import CoverageResult, prepare_sites
from analysis.indicators import Indicator, headline, site_clusters
from analysis.inputs import Inputs, coverage_for, sites_table
from analysis.selection import Selection
from geo.admin import investment_area_of, load_crosswalk

if TYPE_CHECKING:
    from analysis.calibration import Calibration

KIND_POINT, KIND_VILLAGE, KIND_AREA = "support_point", "village", "gap_area"


@dataclass
class Analysis:
    """Everything computed for one selection over one set of inputs."""

    inputs: Inputs
    selection: Selection
    coverage: CoverageResult
    points: G.Assessment
    villages: G.Assessment
    communes: pd.DataFrame
    communes_2020: pd.DataFrame
    gap_areas: gpd.GeoDataFrame
    indicators: list[Indicator]
    # Drive-test measurements against this coverage (analysis.calibration.compare), when
    # given: the points' and villages' verdicts then follow them (analysis.disagreement).
    measurements: pd.DataFrame | None = None
    calibration: Calibration | None = None  # the calibration applied to the coverage, if any

    @property
    def warnings(self) -> list[str]:
        return list(self.coverage.warnings)


def commune_labels(inputs: Inputs, coverage: CoverageResult) -> np.ndarray:
    """Raster of the study-area communes on the coverage grid, computed once per inputs."""
    return inputs.memoised(("labels", coverage.shape, tuple(coverage.transform)),
                           lambda: G.commune_labels(coverage, inputs.communes))


def analyse(inputs: Inputs, selection: Selection | None = None, *,
            coverage: CoverageResult | None = None,
            measurements: pd.DataFrame | None = None,
            calibration: Calibration | None = None) -> Analysis:
    """Run every gap analysis for ``selection`` (default: 4G, all operators; coverage
    computed or read from the disk cache).

    ``measurements``: drive-test measurements (the canonical table,
    :mod:`analysis.calibration`), compared with the coverage in use; the support points and
    villages then take the measured verdict where the measurements settle one
    (:func:`analysis.disagreement.with_measured`), and every count follows
    (:mod:`analysis.status`). ``calibration``: the one applied to ``coverage``, recorded for
    the briefing's validation section."""
    selection = selection or Selection()
    overrides = ({selection.technology: selection.threshold_dbm}
                 if selection.threshold_dbm is not None else None)
    coverage = coverage or coverage_for(inputs, thresholds=overrides)
    sites = inputs.memoised(("sites_table",), lambda: sites_table(inputs.sites))
    # Radii and reach at the outdoor threshold (the widest), whatever the service level.
    thresholds = {selection.technology: selection.outdoor_threshold}
    prepared = inputs.memoised(
        ("prepared", selection.technology, selection.outdoor_threshold),
        lambda: prepare_sites(sites, inputs.dem, thresholds=thresholds))
    args = (coverage, sites, inputs.dem, inputs.fibre_routes, inputs.fibre_nodes, selection)
    points = G.assess_places(inputs.points, *args[:-1], selection.at_points(),
                             prepared=prepared)
    villages = G.assess_places(inputs.villages, *args, prepared=prepared)
    compared = None
    if measurements is not None:
        from analysis.calibration import compare
        from analysis.disagreement import with_measured

        compared = measurements if "predicted_dbm" in measurements.columns else compare(
            measurements, coverage, sites)
        points = with_measured(points, inputs.points, compared)
        villages = with_measured(villages, inputs.villages, compared)
    labels = commune_labels(inputs, coverage)
    communes = G.commune_stats(coverage, inputs.communes, inputs.villages, points, villages,
                               inputs.points, inputs.villages, selection, labels)
    communes["investment_area"] = investment_area_of(communes["code"])  # QĐ 2167/2026
    communes_2020 = G.commune_stats_2020(communes, load_crosswalk(), inputs.points, points)
    areas = G.gap_areas(coverage, inputs.communes, selection, labels)
    own = inputs.own_sites
    clusters = inputs.memoised(("site_clusters",), lambda: site_clusters(own))
    return Analysis(inputs, selection, coverage, points, villages, communes, communes_2020,
                    areas, headline(own, points, villages, communes, clusters, inputs.area),
                    compared, calibration)


def with_sites(inputs: Inputs, extra: pd.DataFrame) -> Inputs:
    """``inputs`` with ``extra`` sites (canonical sites rows, WGS84 lon/lat) appended."""
    from dataclasses import replace

    rows = pd.DataFrame(extra).reindex(columns=inputs.sites.columns.drop("geometry"))
    table = pd.concat([pd.DataFrame(inputs.sites.drop(columns="geometry")), rows],
                      ignore_index=True)
    sites = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                             crs=inputs.sites.crs)
    return replace(inputs, sites=sites, memo={})


def _places_frame(layer: gpd.GeoDataFrame, assessment: G.Assessment, kind: str,
                  communes: gpd.GeoDataFrame, only_gaps: bool) -> gpd.GeoDataFrame:
    table = assessment.table
    frame = layer.join(table)
    frame.insert(0, "kind", kind)
    names = communes.set_index("code")["full_name"]
    frame["commune_name_2025"] = frame["commune_code_2025"].map(names)
    frame["gap"] = assessment.gap
    if only_gaps:
        frame = frame[frame["gap"] != ""]
    return frame


def export_frames(result: Analysis, *, only_gaps: bool = True) -> dict[str, gpd.GeoDataFrame]:
    """The results as export layers (WGS84), each with the documented common properties:
    ``kind, name, commune_code_2025, commune_name_2025, best_technology, best_signal_dbm,
    servers, reason, fibre_distance_m, source, study_area`` (the key of the inputs' study
    area, ``SETTINGS.study_area.areas``)."""
    communes = result.inputs.communes
    points = _places_frame(result.inputs.points, result.points, KIND_POINT, communes,
                           only_gaps)
    villages = _places_frame(result.inputs.villages, result.villages, KIND_VILLAGE, communes,
                             only_gaps)
    areas = result.gap_areas.copy()
    areas.insert(0, "kind", KIND_AREA)
    areas["name"] = areas["commune_name_2025"]
    areas["best_technology"] = G.NONE
    areas["best_signal_dbm"] = np.nan
    areas["servers"] = 0
    areas["reason"] = "no_" + result.selection.technology
    areas["fibre_distance_m"] = np.nan
    areas["source"] = result.inputs.sources.get("sites", "illustrative")
    common = ["kind", "name", "commune_code_2025", "commune_name_2025", "best_technology",
              "best_signal_dbm", "servers", "reason", "fibre_distance_m", "source",
              "study_area"]
    frames = {}
    for key, frame in (("support_points", points), ("villages", villages),
                       ("gap_areas", areas)):
        frame["study_area"] = result.inputs.area
        extra = [c for c in frame.columns if c not in common and c != "geometry"]
        frames[key] = gpd.GeoDataFrame(frame[[*common, *extra, "geometry"]],
                                       geometry="geometry").to_crs("EPSG:4326")
    return frames
