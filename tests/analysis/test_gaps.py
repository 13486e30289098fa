"""Gap analysis on small synthetic worlds with known answers (EPSG:9208 grids of tests.worlds)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from rasterio.transform import from_origin
from shapely.geometry import LineString, Point, box

from analysis import gaps as G
from analysis.coverage import CoverageLayer, CoverageResult, compute_coverage
from analysis.selection import Selection
from geo.settings import SETTINGS
from tests.worlds import Grid

GRID = Grid(size=241)
RES, N, CENTRE = GRID.res, GRID.size, GRID.centre
METRIC = SETTINGS.crs.metric


def _no_fibre():
    routes = gpd.GeoDataFrame(geometry=[LineString([GRID.xy(0, 0), GRID.xy(0, 10)])], crs=METRIC)
    nodes = gpd.GeoDataFrame(geometry=[Point(GRID.xy(0, 0))], crs=METRIC)
    return routes, nodes


def test_reasons_shadow_out_of_range_and_serving_site():
    elev = np.zeros((N, N))
    elev[:, CENTRE + 13] = 200.0  # ridge 1.2 km east of the site
    dem = GRID.dem(elev)
    sites = pd.DataFrame([GRID.site(CENTRE, CENTRE, site_id="S1")])
    result = compute_coverage(sites, dem)
    far_x = GRID.x0 + 40_000.0 + CENTRE * RES  # 40 km east of the site, off the grid
    places = gpd.GeoDataFrame(
        {"name": ["behind ridge", "open side", "far away"]},
        geometry=[Point(GRID.xy(CENTRE, CENTRE + 26)), Point(GRID.xy(CENTRE, CENTRE - 26)),
                  Point(far_x, GRID.xy(CENTRE, 0)[1])], crs=METRIC)
    routes, nodes = _no_fibre()
    table = G.assess_places(places, result, sites, dem, routes, nodes).table
    assert list(table["reason"]) == ["terrain_shadow", "", "out_of_range"]
    assert table.loc[0, "shadow_db"] > 20.0
    assert table.loc[1, "serving_site"] == "S1" and table.loc[1, "serving_operator"] == "Viettel"
    assert abs(table.loc[1, "serving_distance_m"] - 26 * RES) < 1.0
    assert table.loc[1, "best_technology"] == "4G" and table.loc[1, "redundancy"] == "1"
    assert table.loc[0, "best_technology"] == "none"
    assert table.loc[1, "nearest_Viettel_site"] == "S1"


def test_weak_signal_in_range_but_too_far_over_flat_ground():
    dem = GRID.dem(np.zeros((N, N)))
    sites = pd.DataFrame([GRID.site(CENTRE, CENTRE, site_id="S1")])
    result = compute_coverage(sites, dem)
    radius = result.layers[("Viettel", "4G")]
    edge = np.flatnonzero(np.isfinite(radius.best_dbm[CENTRE]) & ~radius.covered[CENTRE])
    col = int(edge.max())  # beyond the covered threshold, still inside the modelled radius
    routes, nodes = _no_fibre()
    table = G.assess_places(GRID.places({"edge": (CENTRE, col)}), result, sites, dem, routes,
                            nodes).table
    assert table.loc[0, "reason"] == "weak_signal"


def test_fibre_distance_and_reach():
    dem = GRID.dem(np.zeros((N, N)))
    sites = pd.DataFrame([GRID.site(CENTRE, CENTRE, site_id="S1")])
    result = compute_coverage(sites, dem)
    routes = gpd.GeoDataFrame(geometry=[LineString([GRID.xy(CENTRE, 0), GRID.xy(CENTRE, 100)])],
                              crs=METRIC)
    nodes = gpd.GeoDataFrame(geometry=[Point(GRID.xy(0, 200))], crs=METRIC)
    places = GRID.places({"on route": (CENTRE, 50), "1.8 km off": (CENTRE + 20, 50),
                      "near node": (5, 200)})
    table = G.assess_places(places, result, sites, dem, routes, nodes).table
    np.testing.assert_allclose(table["fibre_distance_m"], [0.0, 1800.0, 450.0], atol=1.0)
    assert list(table["fibre"]) == [True, False, True]


def test_fibre_reach_area_is_the_buffer_in_metres_returned_in_wgs84():
    routes = gpd.GeoDataFrame(geometry=[LineString([GRID.xy(CENTRE, 0), GRID.xy(CENTRE, 100)])],
                              crs=METRIC)
    nodes = gpd.GeoDataFrame(geometry=[Point(GRID.xy(0, 200))], crs=METRIC)
    area = G.fibre_reach_area(routes, nodes, 500.0)
    assert len(area) == 1 and area.crs.to_epsg() == 4326
    metric = area.to_crs(METRIC).geometry.iloc[0]
    assert metric.contains(Point(GRID.xy(CENTRE + 4, 50)))  # 360 m off the route
    assert not metric.contains(Point(GRID.xy(CENTRE + 6, 50)))  # 540 m off
    assert metric.contains(Point(GRID.xy(4, 200)))  # 360 m from the node
    assert G.fibre_reach_area(routes.iloc[0:0], nodes.iloc[0:0], 500.0).empty


def _grid_result(covered: np.ndarray, operator="Viettel") -> CoverageResult:
    best = np.where(covered, -80.0, -120.0).astype(np.float32)
    layer = CoverageLayer(operator, "4G", -110.0, best, np.zeros(covered.shape, np.int32),
                          covered.astype(np.uint16))
    return CoverageResult(from_origin(0.0, 400.0, 100.0, 100.0), covered.shape, 100.0, True,
                          {(operator, "4G"): layer}, crs=METRIC)


def test_commune_shares_on_a_two_by_two_grid_by_hand():
    # Four square communes of 2 × 2 cells on a 4 × 4 grid of 100 m cells.
    covered = np.array([[1, 1, 1, 0],
                        [1, 1, 0, 0],
                        [0, 0, 1, 1],
                        [0, 0, 1, 1]], bool)
    result = _grid_result(covered)
    squares = [box(0, 200, 200, 400), box(200, 200, 400, 400), box(0, 0, 200, 200),
               box(200, 0, 400, 200)]
    communes = gpd.GeoDataFrame({
        "code": ["00001", "00002", "00003", "00004"], "full_name": ["A", "B", "C", "D"],
        "population": [100, 200, 300, 400], "area_km2": [0.04] * 4}, geometry=squares,
        crs=METRIC)
    # Villages: two in B (one covered), none in C (population spread over area).
    villages = gpd.GeoDataFrame({
        "commune_code_2025": ["00001", "00002", "00002", "00004"],
        "population": [100, 150, 50, 400]},
        geometry=[Point(50, 350), Point(250, 350), Point(350, 250), Point(350, 50)], crs=METRIC)
    points = gpd.GeoDataFrame({"commune_code_2025": ["00003"]}, geometry=[Point(50, 50)],
                              crs=METRIC)
    routes, nodes = _no_fibre()
    sites = pd.DataFrame(columns=["site_id", "operator", "technology"])
    vil = G.Assessment(pd.DataFrame({"reason": ["", "", "out_of_range", ""]}))
    pts = G.Assessment(pd.DataFrame({"reason": ["out_of_range"]}))
    stats = G.commune_stats(result, communes, villages, pts, vil, points, villages)
    np.testing.assert_allclose(stats["area_share"], [1.0, 0.25, 0.0, 1.0])
    np.testing.assert_allclose(stats["area_share_Viettel"], [1.0, 0.25, 0.0, 1.0])
    np.testing.assert_allclose(stats["population_share"], [1.0, 0.75, 0.0, 1.0])
    assert list(stats["population_basis"]) == ["villages", "villages", "area", "villages"]
    assert list(stats["points_in_gap"]) == [0, 0, 1, 0]
    assert list(stats["villages_in_gap"]) == [0, 1, 0, 0]
    np.testing.assert_allclose(stats["population_without_service"], [0, 50, 300, 0])
    assert sites.empty and not routes.empty and not nodes.empty


def test_gap_areas_split_by_commune_and_drop_slivers():
    covered = np.ones((40, 40), bool)
    covered[0:10, 0:30] = False  # 10 × 30 cells of 100 m: 3 km², across two communes
    covered[35, 35] = False  # one cell, 0.01 km²: a sliver
    result = CoverageResult(from_origin(0.0, 4000.0, 100.0, 100.0), covered.shape, 100.0, True,
                            {("Viettel", "4G"): CoverageLayer(
                                "Viettel", "4G", -110.0,
                                np.where(covered, -80.0, -120.0).astype(np.float32),
                                np.zeros(covered.shape, np.int32),
                                covered.astype(np.uint16))}, crs=METRIC)
    communes = gpd.GeoDataFrame({"code": ["00001", "00002"], "full_name": ["West", "East"]},
                                geometry=[box(0, 0, 2000, 4000), box(2000, 0, 4000, 4000)],
                                crs=METRIC)
    areas = G.gap_areas(result, communes, min_area_km2=0.05)
    assert list(areas["commune_code_2025"]) == ["00001", "00002"]
    np.testing.assert_allclose(areas["area_km2"], [2.0, 1.0])
    assert areas.crs.to_epsg() == 9208 and areas.is_valid.all()


def test_switch_off_2g_3g_drops_exactly_the_points_served_only_by_2g_3g():
    dem = GRID.dem(np.zeros((N, N)))
    sites = pd.DataFrame([GRID.site(CENTRE, 60, site_id="A", tech="2G", band=900.0),
                          GRID.site(CENTRE, 150, site_id="B", tech="4G", band=1800.0)])
    result = compute_coverage(sites, dem)
    places = GRID.places({"P1 2G only": (CENTRE, 70), "P2 2G+4G": (CENTRE, 160),
                      "P3 nothing": (0, 240)})
    covered = {
        name: {tech for (_, tech), layer in result.layers.items()
               if layer.covered[round((GRID.y0 - p.y) / RES - 0.5),
                                round((p.x - GRID.x0) / RES - 0.5)]}
        for name, p in zip(places["name"], places.geometry, strict=True)}
    assert covered == {"P1 2G only": {"2G"}, "P2 2G+4G": {"2G", "4G"}, "P3 nothing": set()}
    lost = G.lose_all_service(result, places, technologies_off=("2G", "3G"))
    assert list(places.loc[lost.index, "name"]) == ["P1 2G only"]
    assert lost["had"].tolist() == ["2G"]
    off_viettel = G.lose_all_service(result, places, operator_off="Viettel")
    assert len(off_viettel) == 2
    # One site off: P1 loses everything without A; P2 keeps B's 4G.
    off_a = G.lose_all_service(result, places, site_off=0)
    assert list(places.loc[off_a.index, "name"]) == ["P1 2G only"]
    assert G.lose_all_service(result, places, site_off=1).empty


@pytest.mark.parametrize("threshold", [-110.0, -95.0])
def test_threshold_override_moves_the_gap(threshold):
    dem = GRID.dem(np.zeros((N, N)))
    sites = pd.DataFrame([GRID.site(CENTRE, CENTRE, site_id="S1")])
    result = compute_coverage(sites, dem, thresholds={"4G": threshold})
    routes, nodes = _no_fibre()
    table = G.assess_places(GRID.places({"p": (CENTRE, CENTRE + 20)}), result, sites, dem, routes,
                            nodes, Selection(threshold_dbm=threshold)).table
    signal = table.loc[0, "best_signal_dbm"]
    assert (table.loc[0, "reason"] == "") == (signal >= threshold)


def test_commune_stats_2020_keeps_the_area_s_old_province_only():
    from geo.admin import load_crosswalk, load_origins

    walk = load_crosswalk()
    origins = load_origins()
    yen_bai = origins.loc[origins["old_province"] == "yenbai", "code_2025"]
    stats = pd.DataFrame({"code": yen_bai.to_numpy(), "area_share": 0.5,
                          "population_share": 0.25, "population_basis": "area"})
    points = gpd.GeoDataFrame({"commune_code_2020": ["04480", "04630", "02677"]},
                              geometry=[Point(0, 0)] * 3)
    assessed = G.Assessment(pd.DataFrame({"reason": ["shadow", "", ""]}))
    out = G.commune_stats_2020(stats, walk, points, assessed)
    assert len(out) == 173 and out["code_2020"].str.startswith("04").all()
    assert set(out["district_code"]) == {"132", "133", "135", "136", "137", "138", "139",
                                         "140", "141"}
    assert out["area_share"].notna().all()
    by_code = out.set_index("code_2020")
    assert by_code.loc["04480", "points_in_gap"] == 1 and by_code.loc["04630", "points"] == 1
    lao_cai = origins.loc[origins["old_province"] == "laocai", "code_2025"]
    both = pd.concat([stats, stats.iloc[:48].assign(code=lao_cai.to_numpy())])
    assert len(G.commune_stats_2020(both, walk, points, assessed)) == 325
