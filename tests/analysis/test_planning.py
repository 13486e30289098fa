"""What-if planning on synthetic worlds: greedy vs optimum, plans that hold, terrain sense."""

import itertools
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from analysis import planning as P
from analysis.coverage import compute_coverage
from analysis.incremental import CoverageState
from analysis.inputs import Inputs
from analysis.pipeline import analyse
from analysis.scenarios import Scenario, proposed_rows, site_fields
from analysis.selection import Selection
from geo.errors import DataError
from geo.schema import SITES
from geo.settings import SETTINGS
from tests.worlds import Grid

GRID = Grid(size=161)
RES, N = GRID.res, GRID.size
METRIC, WGS84 = SETTINGS.crs.metric, SETTINGS.crs.display


def _world(elev, village_cells, point_cells=(), site_cells=((80, 20),)):
    dem = GRID.dem(elev)
    square = gpd.GeoSeries([box(*GRID.bounds)], crs=METRIC).to_crs(WGS84)
    communes = gpd.GeoDataFrame({"code": ["00001"], "full_name": ["Xã Thử"],
                                 "population": [5000], "area_km2": [square.to_crs(METRIC)
                                                                   .area.iloc[0] / 1e6],
                                 "old_province": ["laocai"]}, geometry=square.values, crs=WGS84)
    villages = gpd.GeoDataFrame({
        "village_id": [f"V{i}" for i in range(len(village_cells))],
        "name": [f"Thôn {i}" for i in range(len(village_cells))],
        "commune_code_2025": "00001", "commune_2025": "Xã Thử",
        "population": [100 * (i + 1) for i in range(len(village_cells))],
        "source": "illustrative"},
        geometry=[Point(GRID.xy(r, c)) for r, c in village_cells], crs=METRIC).to_crs(WGS84)
    points = gpd.GeoDataFrame({
        "point_id": [f"P{i}" for i in range(len(point_cells))],
        "name": [f"Điểm {i}" for i in range(len(point_cells))], "point_type": "village",
        "commune_code_2025": "00001", "commune_code_2020": "02677", "source": "illustrative"},
        geometry=[Point(GRID.xy(r, c)) for r, c in point_cells], crs=METRIC).to_crs(WGS84)
    sites = pd.DataFrame([GRID.site_row(f"S{i}", r, c) for i, (r, c) in enumerate(site_cells)])
    sites = gpd.GeoDataFrame(sites, geometry=gpd.points_from_xy(sites.lon, sites.lat), crs=WGS84)
    routes = gpd.GeoDataFrame({"route_id": ["R"]}, geometry=[LineString(
        [GRID.xy(0, 0), GRID.xy(0, 5)])], crs=METRIC).to_crs(WGS84)
    nodes = gpd.GeoDataFrame({"node_id": ["N"]}, geometry=[Point(GRID.xy(0, 0))],
                             crs=METRIC).to_crs(WGS84)
    inputs = Inputs(points, sites, villages, routes, nodes, communes, communes[["geometry"]],
                    dem, {"sites": "imported"})
    coverage = compute_coverage(pd.DataFrame(sites.drop(columns="geometry")), dem)
    return analyse(inputs, Selection(), coverage=coverage)


def _exhaustive(sets, weights, k):
    """Best total weight over every choice of ``k`` sets (small instances only)."""
    best = 0.0
    for combo in itertools.combinations(range(len(sets)), min(k, len(sets))):
        union = np.unique(np.concatenate([sets[i] for i in combo])) if combo else []
        best = max(best, float(weights[union].sum()) if len(union) else 0.0)
    return best


def _coverage_sets(sites, targets, dem, selection):
    """For every candidate site, the indices of the targets it covers over the terrain."""
    pairs = P.candidate_pairs(sites, targets, dem, selection)
    return P.terrain_sets(pairs, dem, range(pairs.start.size - 1))


def test_greedy_matches_the_optimum_within_its_bound_on_small_instances():
    rng = np.random.default_rng(7)
    for _ in range(30):
        weights = rng.uniform(1, 10, 15)
        sets = [np.flatnonzero(rng.random(15) < 0.3) for _ in range(8)]
        result = P.greedy(sets, weights, 3)
        opt = _exhaustive(sets, weights, 3)
        assert result.total >= (1 - 1 / np.e) * opt - 1e-9
        assert opt <= result.upper_bound + 1e-9
        assert result.totals == sorted(result.totals)
    sets = [np.array([0, 1]), np.array([2]), np.array([0, 1, 2])]
    exact = P.greedy(sets, np.ones(3), 1)
    assert exact.chosen == [2] and exact.total == _exhaustive(sets, np.ones(3), 1) == 3


def test_k_larger_than_the_candidates_is_clipped_and_said():
    result = P.greedy([np.array([0]), np.array([1])], np.ones(2), 5)
    message = result.messages[0]
    assert len(result.chosen) == 2 and "clipped to 2" in message.message
    assert message.code == "clipped" and dict(message.params) == {"k": "5", "n": "2"}


def test_the_proven_share_of_the_optimum():
    result = P.greedy([np.array([0, 1]), np.array([1, 2])], np.ones(3), 1)
    assert result.bound_share == pytest.approx(result.total / result.upper_bound)
    assert 0 < result.bound_share <= 1
    assert P.PlanResult([], [], [], [], 0.0, 1).bound_share is None


def test_candidates_and_proposed_sites_are_the_same_canonical_rows():
    world = _world(np.zeros((N, N)), [(30, 120)])
    x, y = GRID.xy(40, 40)
    chosen = P.candidate_sites(pd.DataFrame({"x": [x], "y": [y]}), world.selection)
    proposed = proposed_rows({0: {**site_fields(chosen.iloc[0])}})
    pd.testing.assert_frame_equal(chosen, proposed)
    assert list(chosen.columns) == list(SITES.column_names)
    assert chosen.loc[0, "tower_id"] == "NEW-00001" and chosen.loc[0, "source"] == "imported"


def test_chosen_sites_cover_exactly_what_the_plan_claimed_after_a_full_recompute():
    villages = [(30, 120), (40, 130), (120, 140), (140, 60), (100, 100)]
    world = _world(np.zeros((N, N)), villages, point_cells=[(35, 125)])
    plan = P.plan(world, 2, spacing_m=900.0)
    assert len(plan.result.chosen) == 2
    claimed = set(plan.covered_frame()["id"])
    assert claimed and plan.result.total > 0
    chosen = plan.sites_frame()
    before = set(world.villages.table.index[world.villages.mobile_gap]) | set(
        world.points.table.index[world.points.mobile_gap])
    assert before  # something to cover
    sites = pd.concat([pd.DataFrame(world.inputs.sites.drop(columns="geometry")),
                       pd.DataFrame(chosen.drop(columns="geometry"))[
                           world.inputs.sites.columns.drop("geometry")]], ignore_index=True)
    inputs = world.inputs
    inputs_after = Inputs(inputs.points, gpd.GeoDataFrame(
        sites, geometry=gpd.points_from_xy(sites.lon, sites.lat), crs=WGS84), inputs.villages,
        inputs.fibre_routes, inputs.fibre_nodes, inputs.communes, inputs.study_area,
        inputs.dem, inputs.sources)
    after = analyse(inputs_after, Selection(), coverage=compute_coverage(sites, inputs.dem))
    newly = set(inputs.villages.loc[world.villages.mobile_gap & ~after.villages.mobile_gap,
                                    "village_id"])
    newly |= set(inputs.points.loc[world.points.mobile_gap & ~after.points.mobile_gap, "point_id"])
    assert newly == claimed


def test_a_ridge_top_is_chosen_over_a_deep_valley_seeing_the_same_villages():
    elev = np.full((N, N), 300.0)
    cols = np.arange(N)
    # A ridge 270 m wide along col 80: a mast on its crest sees over its edges.
    elev[:, :] += np.where(np.abs(cols - 80) <= 1, 400.0, 0.0)[None, :]
    elev[:, 40:43] = 0.0  # a deep, narrow valley at col 41
    villages = [(60, 60), (100, 60), (60, 100), (100, 100)]  # both sides of the ridge
    world = _world(elev, villages, site_cells=((5, 5),))
    ridge, valley = GRID.xy(80, 80), GRID.xy(80, 41)
    cands = pd.DataFrame({"x": [valley[0], ridge[0]], "y": [valley[1], ridge[1]]})
    sites = P.candidate_sites(cands, world.selection)
    targets = P.uncovered_targets(world)
    sets = _coverage_sets(sites, targets, world.inputs.dem, world.selection)
    assert len(sets[1]) > len(sets[0])
    assert P.greedy(sets, targets.weight, 1).chosen == [1]


def test_candidates_take_the_highest_ground_of_each_block():
    elev = np.zeros((N, N))
    elev[70, 33] = 250.0  # the summit of one block
    world = _world(elev, [(70, 30)], site_cells=((5, 5),))
    cands = P.candidates(world, spacing_m=10 * RES)
    hit = cands[(cands["row"] // 10 == 7) & (cands["col"] // 10 == 3)]
    assert list(zip(hit["row"], hit["col"], strict=True)) == [(70, 33)]


def test_what_if_adds_moves_removes_and_refuses_outside():
    villages = [(30, 120), (40, 130)]
    world = _world(np.zeros((N, N)), villages)
    whatif = P.WhatIf(world)
    assert whatif.gains().empty
    lon, lat = GRID.lonlat(35, 125)
    before = whatif.totals()
    index = whatif.add({"lon": lon, "lat": lat})
    assert whatif.gains()["villages"].sum() == 2
    after = whatif.totals()
    assert before.villages == (0, 0, 2) and after.villages == (0, 2, 2)
    assert after.points == before.points
    whatif.move(index, *GRID.lonlat(150, 10))
    assert whatif.gains()["villages"].sum() == 0
    assert whatif.totals() == before
    whatif.remove(index)
    assert whatif.proposed == {}
    with pytest.raises(DataError, match=r"outside the study area \(province\)") as outside:
        whatif.add({"lon": 110.0, "lat": 22.0})
    assert outside.value.code == "outside_province"
    with pytest.raises(DataError, match="antenna height") as height:
        whatif.add({"lon": lon, "lat": lat, "height_m": 500.0})
    assert height.value.code == "out_of_range"
    assert dict(height.value.params)["column"] == "height_m"


def test_saved_scenarios_round_trip(tmp_path):
    from geo.workspace import Workspace

    sites = pd.DataFrame([GRID.site_row("NEW-1", 10, 10), GRID.site_row("NEW-2", 20, 20)])
    scenario = Scenario("Phương án 1 – Bát Xát", sites, {"k": 2, "technology": "4G"})
    workspace = Workspace(tmp_path / "workspace.gpkg")
    store = workspace.scenarios
    assert scenario.save_to(store) is False
    assert Scenario("Phương án 2", sites.iloc[:1]).save_to(store) is False
    assert store.names() == ["Phương án 1 – Bát Xát", "Phương án 2"]
    back = Scenario.load_from(store, "Phương án 1 – Bát Xát")
    assert back.settings == {"k": 2, "technology": "4G"}
    pd.testing.assert_frame_equal(back.sites[["site_id", "lon", "lat", "height_m"]],
                                  sites[["site_id", "lon", "lat", "height_m"]])
    assert back.sites_csv().startswith(b"\xef\xbb\xbfsite_id,")
    assert Scenario("Phương án 2", sites).save_to(store) is True  # replaced
    with pytest.raises(DataError, match="no scenario"):
        Scenario.load_from(store, "missing")
    store.delete("Phương án 2")
    assert store.names() == ["Phương án 1 – Bát Xát"]
    assert workspace.list_versions("sites") == []
    empty = Workspace(tmp_path / "none" / "workspace.gpkg")
    assert empty.scenarios.names() == [] and not empty.path.exists()  # reading never writes
    empty.scenarios.delete("any")
    assert not empty.path.exists()


def test_a_damaged_workspace_raises_a_workspace_error_not_sqlite(tmp_path):
    from geo.errors import AppError, WorkspaceError
    from geo.workspace import Workspace

    workspace = Workspace(tmp_path / "workspace.gpkg")
    Scenario("A", pd.DataFrame([GRID.site_row("NEW-1", 10, 10)])).save_to(workspace.scenarios)
    with sqlite3.connect(workspace.path) as conn:  # a scenario table of the wrong shape
        conn.execute("DROP TABLE planner_scenarios")
        conn.execute("CREATE TABLE planner_scenarios (name TEXT)")
    with pytest.raises(WorkspaceError) as caught:
        Scenario("B", pd.DataFrame([GRID.site_row("NEW-2", 20, 20)])).save_to(workspace.scenarios)
    assert isinstance(caught.value, AppError)
    assert isinstance(caught.value.__cause__, sqlite3.Error)


def test_lazy_terrain_evaluation_chooses_like_evaluating_every_candidate():
    rng = np.random.default_rng(11)
    elev = np.abs(np.cumsum(rng.normal(0, 25, (N, N)), axis=1)) + 100.0
    villages = [tuple(v) for v in rng.integers(10, N - 10, (12, 2))]
    world = _world(elev, villages, site_cells=((5, 5),))
    targets = P.uncovered_targets(world)
    sites = P.candidate_sites(P.candidates(world, spacing_m=900.0), world.selection)
    pairs = P.candidate_pairs(sites, targets, world.inputs.dem, world.selection)
    every = _coverage_sets(sites, targets, world.inputs.dem, world.selection)
    optimistic = P.flat_sets(pairs)
    assert all(set(e) <= set(o) for e, o in zip(every, optimistic, strict=True))
    full = P.greedy(every, targets.weight, 3)
    lazy = P.greedy(optimistic, targets.weight, 3, batch=4,
                    exact=lambda which: P.terrain_sets(pairs, world.inputs.dem, which))
    assert lazy.totals == full.totals
    assert lazy.upper_bound >= full.total


def test_investment_areas_weigh_their_places_only_when_asked():
    """QĐ 2167/2026 weighting (a setting, off by default): places in a listed unit weigh
    ``investment_weight`` times as much; the others are unchanged."""
    from geo.admin import load_investment_areas

    world = _world(np.zeros((N, N)), [(30, 120), (40, 100)])
    listed = load_investment_areas()["code"].iloc[0]
    world.inputs.villages.loc[world.inputs.villages.index[0], "commune_code_2025"] = listed
    base, weighted = P.places(world), P.places(world, investment_weight=3.0)
    assert (weighted["weight"] / base["weight"]).tolist() == [3.0, 1.0]
    assert SETTINGS.planning.investment_area_weight == 1.0  # off by default


def test_proposed_sites_lose_the_clutter_of_the_land_cover_as_the_grid_does():
    # Forest (WorldCover 10) over the east half: a candidate's power at a target there is the
    # grid's, clutter included; with the same land cover the what-if grids equal a full
    # recompute; without land cover nothing changes.
    villages = [(80, 120), (80, 124), (80, 127), (80, 130), (80, 133), (80, 75), (80, 70)]
    world = _world(np.zeros((N, N)), villages)
    forest = np.zeros((N, N), np.uint8)
    forest[:, N // 2:] = 10
    x, y = GRID.xy(80, 100)
    sites = P.candidate_sites(pd.DataFrame({"x": [x], "y": [y]}), world.selection)
    targets = P.uncovered_targets(world)
    pairs = P.candidate_pairs(sites, targets, world.inputs.dem, world.selection)
    bare = P.terrain_sets(pairs, world.inputs.dem, [0])[0]
    wooded = P.terrain_sets(pairs, world.inputs.dem, [0], forest)[0]
    table = pd.DataFrame(sites.drop(columns="geometry", errors="ignore"))
    grid = compute_coverage(table, world.inputs.dem,
                            by_operator=False, landcover=forest).layers[
        ("all", world.selection.technology)]
    t = world.inputs.dem.transform
    rows = np.floor((targets.y - t.f) / t.e).astype(int)
    cols = np.floor((targets.x - t.c) / t.a).astype(int)
    expected = np.flatnonzero(np.nan_to_num(grid.best_dbm[rows, cols], nan=-999.0)
                              >= pairs.threshold[0])
    np.testing.assert_array_equal(np.sort(wooded), expected)
    assert set(wooded) < set(bare)  # the forest costs some of the targets east
    state = CoverageState(table.iloc[:0], world.inputs.dem,
                          technology=world.selection.technology, landcover=forest)
    state.add_site(table.iloc[0].to_dict())
    np.testing.assert_allclose(np.nan_to_num(state.layer().best_dbm, nan=-999.0),
                               np.nan_to_num(grid.best_dbm, nan=-999.0), atol=1e-4)
    np.testing.assert_array_equal(state.layer().servers, grid.servers)
