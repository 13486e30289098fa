"""The costing's parts against hand computations: P.530 clearance, least-cost fibre paths,
net present cost, the budget plan and its bound, the cost file."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from analysis.costs import fibre_path as F
from analysis.costs.budget import fractional_knapsack, plan_budget, prepare
from analysis.costs.fresnel import (
    earth_bulge_m,
    fresnel_radius_m,
    hop_clear,
    wavelength_m,
    worst_clearance,
)
from analysis.costs.npc import TY, annuity_factor, npc
from analysis.costs.options import CostTable
from analysis.costs.overrides import load_costs
from analysis.costs.profile import link_profile
from geo.errors import DataError
from geo.settings import SETTINGS
from tests.worlds import Grid

R = SETTINGS.radio.earth_radius_m


# --- ITU-R P.530 first-Fresnel-zone clearance ------------------------------------------

def test_fresnel_radius_and_bulge_by_hand():
    # 8 GHz: λ = 299792458 / 8e9 = 0.0374741 m. Mid-point of a 10 km hop: d1 = d2 = 5 km:
    # F1 = sqrt(0.0374741 × 5000 × 5000 / 10000) = sqrt(93.685) = 9.6791 m.
    assert wavelength_m(8.0) == pytest.approx(0.0374741, rel=1e-5)
    assert float(fresnel_radius_m(5000, 5000, 8.0)) == pytest.approx(9.6791, abs=1e-3)
    # Earth bulge at k = 4/3: 5000 × 5000 / (2 × 4/3 × 6371000) = 1.47151 m; at k = 2/3 twice.
    assert float(earth_bulge_m(5000, 5000, 4 / 3)) == pytest.approx(1.47151, abs=1e-4)
    assert float(earth_bulge_m(5000, 5000, 2 / 3)) == pytest.approx(2.94302, abs=1e-4)


def test_clearance_over_a_mid_path_obstacle_by_hand():
    g = Grid(size=341, res=30.0)
    z = np.zeros((g.size, g.size))
    z[160:181, 160:181] = 8.0  # a plateau at the middle, 630 m wide
    dem = g.dem(z)
    d = 9_000.0  # from col 20 to col 320 along row 170
    xa, ya = g.xy(170, 20)
    xb, yb = xa + d, ya
    # At the middle: d1 = d2 = 4500 m. F1 = sqrt(λ × 4500 × 4500 / 9000) =
    # sqrt(0.0374741 × 2250) = 9.18253 m. LOS at 20 m; bulge(4/3) = 4500² / (2 × 4/3 × R)
    # = 1.19192 m; clearance = 20 − 8 − 1.19192 = 10.80808 m = 117.70 % of F1.
    # bulge(2/3) = 2.38384 m; clearance 9.61616 m = 104.72 %.
    f1 = math.sqrt(wavelength_m(8.0) * 4500 * 4500 / 9000)
    median = 100 * (20 - 8 - 4500 * 4500 / (2 * 4 / 3 * R)) / f1
    worst_k = 100 * (20 - 8 - 4500 * 4500 / (2 * 2 / 3 * R)) / f1
    assert median == pytest.approx(117.70, abs=0.01)
    assert worst_k == pytest.approx(104.72, abs=0.01)
    got = worst_clearance(dem, np.array([xa]), np.array([ya]), np.array([20.0]),
                          np.array([xb]), np.array([yb]), np.array([20.0]), 8.0,
                          (4 / 3, 2 / 3), step_m=15.0)[0]
    assert got == pytest.approx([median, worst_k], abs=0.05)
    assert hop_clear(got[None, :], 0.6)[0]
    profile = link_profile(dem, (xa, ya, 20.0), (xb, yb, 20.0), obstacle_m=0.0, step_m=15.0)
    assert profile.worst_clearance_pct == pytest.approx(median, abs=0.05)
    assert profile.worst_clearance_worst_k_pct == pytest.approx(worst_k, abs=0.05)
    assert profile.clear
    # 2 m higher: 20 − 10 − 1.19192 = 8.808 m = 95.92 % < 100 % at k = 4/3: fails.
    z[160:181, 160:181] = 10.0
    low = link_profile(g.dem(z), (xa, ya, 20.0), (xb, yb, 20.0), obstacle_m=0.0, step_m=15.0)
    assert low.worst_clearance_pct == pytest.approx(
        100 * (10 - 4500 * 4500 / (2 * 4 / 3 * R)) / f1, abs=0.05)
    assert not low.clear


def test_the_worst_k_rule_can_fail_alone():
    # Flat ground, 40 km hop, 55 m antennas: at the middle d1 = d2 = 20 km,
    # F1 = sqrt(λ × 20000 × 20000 / 40000) = sqrt(374.74) = 19.358 m.
    # k = 4/3: bulge 20000² / (2 × 4/3 × R) = 23.545 m → clearance 31.455 m = 162.5 % (passes);
    # k = 2/3: bulge 47.090 m → clearance 7.910 m = 40.9 % < 60 %: the hop fails.
    g = Grid(size=1400, res=30.0)
    dem = g.dem(np.zeros((g.size, g.size)))
    xa, ya = g.xy(700, 10)
    w = worst_clearance(dem, np.array([xa]), np.array([ya]), np.array([55.0]),
                        np.array([xa + 40_000.0]), np.array([ya]), np.array([55.0]), 8.0,
                        (4 / 3, 2 / 3), step_m=100.0)[0]
    f1 = math.sqrt(wavelength_m(8.0) * 20000 * 20000 / 40000)
    assert w[0] == pytest.approx(100 * (55 - 20000**2 / (2 * 4 / 3 * R)) / f1, abs=0.1)
    assert w[1] == pytest.approx(100 * (55 - 20000**2 / (2 * 2 / 3 * R)) / f1, abs=0.1)
    assert w[0] == pytest.approx(162.5, abs=0.1) and w[1] == pytest.approx(40.9, abs=0.1)
    assert not hop_clear(w[None, :], 0.6)[0]


# --- least-cost fibre paths ---------------------------------------------------------------

def test_least_cost_path_goes_through_the_gap_in_a_wall():
    g = Grid(size=60, res=50.0)
    z = np.zeros((g.size, g.size))
    z[:, 30] = np.nan  # impassable wall along column 30 …
    z[45, 30] = 0.0  # … with one gap at row 45
    surface = F.cost_surface(g.dem(z), cell_m=50.0)
    sources = np.zeros(surface.shape, bool)
    sources[10, 5] = True
    tree = F.fibre_tree(surface, sources)
    x, y = g.xy(10, 55)
    paths = F.paths(tree, np.array([x]), np.array([y]))
    cells = paths.of(0)
    rows, cols = np.divmod(cells, surface.shape[1])
    assert 30 in cols and set(rows[cols == 30]) == {45}
    # Best route: 35 diagonal steps to the gap and back (Δrow 35 each way, Δcol 25 + 25)
    # and straight steps for the rest: 2 × (25 × √2 + 10) cells of 50 m.
    best = 2 * (25 * math.sqrt(2) + 10) * 50.0
    assert paths.length_m[0] == pytest.approx(best, rel=1e-9)
    per_m = SETTINGS.costs.usd(SETTINGS.costs.fibre_capex_usd_per_km) / 1000.0
    assert paths.cost_vnd[0] == pytest.approx(best * per_m, rel=1e-9)  # flat: slope class 1


def test_slope_landcover_and_roads_change_the_cost():
    c = SETTINGS.costs
    assert F.slope_multiplier(np.array([0.0, 10.0, 11.0, 30.0, 99.0]),
                              c.fibre_slope_classes).tolist() == [1.0, 1.0, 1.3, 1.8, 2.5]
    g = Grid(size=20, res=50.0)
    dem = g.dem(np.zeros((g.size, g.size)))
    lc = np.full((g.size, g.size), 10, np.uint8)  # tree cover
    import geopandas as gpd
    from shapely.geometry import LineString

    road = gpd.GeoDataFrame(geometry=[LineString([g.xy(5, 0), g.xy(5, 19)])],
                            crs=SETTINGS.crs.metric)
    s = F.cost_surface(dem, landcover=lc, roads=road, cell_m=50.0)
    base = c.usd(c.fibre_capex_usd_per_km) / 1000.0
    assert s.vnd_per_m[0, 0] == pytest.approx(base * c.fibre_landcover_factor[10])
    assert s.vnd_per_m[5, 3] == pytest.approx(base * c.fibre_landcover_factor[10]
                                              * c.fibre_road_factor)


# --- net present cost --------------------------------------------------------------------

def test_npc_by_hand():
    # capex 100, opex 10 a year for 3 years at 10 %: 100 + 10/1.1 + 10/1.21 + 10/1.331
    # = 100 + 9.0909 + 8.2645 + 7.5131 = 124.8685
    assert float(npc(100.0, 10.0, 3, 0.10)) == pytest.approx(124.8685, abs=1e-4)
    assert annuity_factor(5, 0.0) == 5.0
    assert float(npc(1.0, 2.0, 0, 0.1)) == 1.0
    with pytest.raises(DataError):
        annuity_factor(3, -1.5)


# --- budget plan ---------------------------------------------------------------------------

def _table(places, options, bts=(), fibre_paths=None):
    """A cost table from hand-written places (id, kind, population) and options
    (place, option, npc_vnd in tỷ); BTS as (id, npc tỷ, [places])."""
    p = pd.DataFrame(places, columns=["id", "kind", "population"])
    p["served_before"] = False
    rows = [{"place": i, "option": o, "feasible": True, "reason": "", "npc_vnd": c * TY,
             "share_npc_vnd": c * TY} for i, o, c in options]
    b = pd.DataFrame([{"id": i, "npc_vnd": c * TY, "places": np.array(m)} for i, c, m in bts],
                     columns=["id", "npc_vnd", "places"])
    o = pd.DataFrame(rows, columns=["place", "option", "feasible", "reason", "npc_vnd",
                                    "share_npc_vnd"])
    return CostTable(p, o, b, None, fibre_paths, None, None, None,
                     SETTINGS.costs, 10, 0.0)


def _exhaustive_people(table, budget_ty):
    """Best people reached over every set of investments within the budget (tiny cases)."""
    items = [(c, {i}) for i, o, c in
             [(r.place, r.option, r.npc_vnd / TY) for r in table.options.itertuples()]]
    items += [(c / TY, set(m.tolist())) for c, m in zip(table.bts["npc_vnd"],
                                                        table.bts["places"], strict=True)]
    pop = table.places["population"].to_numpy()
    best = 0
    for r in range(len(items) + 1):
        for combo in itertools.combinations(items, r):
            if sum(c for c, _ in combo) <= budget_ty + 1e-9:
                served = set().union(*(s for _, s in combo)) if combo else set()
                best = max(best, int(pop[list(served)].sum()) if served else 0)
    return best


def test_budget_points_first_and_shared_bts_once():
    table = _table(
        [("P", "support_point", 0), ("V1", "village", 500), ("V2", "village", 500),
         ("V3", "village", 100)],
        [(0, "satellite_leo", 0.2), (1, "satellite_leo", 0.2), (2, "satellite_leo", 0.2),
         (3, "satellite_leo", 0.2)],
        bts=[("B", 1.0, [1, 2, 3])])
    # 0.5 tỷ: the point first (0.2), then one village on satellite (500 people / 0.2 tỷ)
    plan = plan_budget(table, 0.5)
    assert plan.points == 1 and plan.people == 500
    assert plan.investments["kind"].iloc[0] == "satellite_leo"
    assert plan.investments["id"].iloc[0] == "P"
    # 1.2 tỷ: the point, then the BTS (1,100 people / 1.0 tỷ beats 500 / 0.2 × … no: 2,500
    # per tỷ on satellite vs 1,100 per tỷ) — satellites for V1, V2 (0.4), then V3 (0.2):
    plan = plan_budget(table, 1.2)
    assert plan.points == 1 and plan.people == 1100
    assert plan.spent_vnd == pytest.approx(0.8 * TY)
    # Only the BTS gives the villages: it is bought once and serves all three.
    only_bts = _table([("V1", "village", 500), ("V2", "village", 500), ("V3", "village", 100)],
                      [], bts=[("B", 1.0, [0, 1, 2])])
    plan = plan_budget(only_bts, 1.0)
    assert len(plan.investments) == 1 and plan.people == 1100
    assert plan.spent_vnd == pytest.approx(1.0 * TY)
    for budget in (0.0, 0.5, 1.0, 1.2, 3.0):
        p = plan_budget(table, budget)
        assert p.bound_people >= p.people - 1e-9 and p.bound_points >= p.points - 1e-9
        assert p.bound_people >= _exhaustive_people(table, budget) - 1e-9


def test_budget_tiny_case_reaches_the_known_optimum():
    # Three villages; a BTS serving V0 and V1 for 0.5 tỷ; V2 only by satellite for 0.3 tỷ;
    # V0 also on satellite for 0.3. Budget 0.8: the optimum is BTS + V2 = 900 people.
    table = _table([("V0", "village", 300), ("V1", "village", 300), ("V2", "village", 300)],
                   [(0, "satellite_leo", 0.3), (2, "satellite_leo", 0.3)],
                   bts=[("B", 0.5, [0, 1])])
    assert _exhaustive_people(table, 0.8) == 900
    plan = plan_budget(table, 0.8)
    assert plan.people == 900 and plan.bound_people >= 900
    # the bound: lower costs V0, V1 = 0.25 each, V2 = 0.3 → all 900 people fit in 0.8
    assert plan.bound_people == pytest.approx(900)


def test_fibre_trunk_shared_once():
    # Two places whose fibre paths share a trunk edge (cell 10, 0.6 tỷ) and each have a
    # 0.1 tỷ branch: together 0.8 tỷ, not 1.4.
    paths = F.Paths(start=np.array([0, 2, 4]), cells=np.array([1, 10, 2, 10]),
                    edge_vnd=np.array([0.1, 0.6, 0.1, 0.6]) * TY, edge_m=np.zeros(4),
                    reachable=np.array([True, True]))
    table = _table([("V0", "village", 100), ("V1", "village", 100)],
                   [(0, "fibre", 0.7), (1, "fibre", 0.7), (0, "satellite_leo", 5.0),
                    (1, "satellite_leo", 5.0)], fibre_paths=paths)
    plan = plan_budget(table, 0.8)
    assert plan.people == 200 and plan.spent_vnd == pytest.approx(0.8 * TY)
    assert list(plan.place_option) == ["fibre", "fibre"]
    assert prepare(table).lower_cost.tolist() == pytest.approx([0.4 * TY, 0.4 * TY])


def test_fractional_knapsack():
    assert fractional_knapsack([10, 6, 4], [5, 3, 4], 6) == pytest.approx(10 + 6 * 1 / 3)
    assert fractional_knapsack([1, 1], [np.inf, 0.0], 0.0) == 1.0


# --- cost file -----------------------------------------------------------------------------

def test_cost_file_overrides_and_errors(tmp_path):
    good = tmp_path / "costs.toml"
    good.write_text("usd_vnd = 26000\nyears = 15\nfibre_slope_classes = [[10, 1.0], [1e9, 2.0]]"
                    "\n[fibre_landcover_factor]\n10 = 1.5\n", encoding="utf-8")
    costs = load_costs(good)
    assert costs.usd_vnd == 26000.0 and costs.years == 15
    assert costs.fibre_slope_classes == ((10.0, 1.0), (1e9, 2.0))
    assert costs.fibre_landcover_factor[10] == 1.5 and costs.fibre_landcover_factor[80] == 4.0
    for text, key in (("bts_capex_vnd = 'cheap'", "bts_capex_vnd"),
                      ("no_such_cost = 1", "no_such_cost"), ("years = 2.5", "years"),
                      ("fibre_slope_classes = [[30, 1], [10, 2]]", "fibre_slope_classes"),
                      ("[fibre_landcover_factor]\nforest = 2", "fibre_landcover_factor.forest"),
                      ("microwave_band_ghz = 9.5", "microwave_band_ghz")):
        bad = tmp_path / f"bad_{key}.toml"
        bad.write_text(text + "\n", encoding="utf-8")
        with pytest.raises(DataError) as info:
            load_costs(bad)
        assert str(bad) in str(info.value) and key in str(info.value)
    broken = tmp_path / "broken.toml"
    broken.write_text("usd_vnd = = 3\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.toml"):
        load_costs(broken)


def test_the_costing_core_imports_no_ui():
    import subprocess
    import sys

    code = ("import sys, analysis.costs, analysis.costs.budget, analysis.costs.profile; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('streamlit', 'folium', 'streamlit_folium', 'ui')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    assert out.stdout.strip() == "[]"
