"""Costing on a synthetic world with known answers (tests/analysis/costs_world.py): each
option is the cheapest where it should be; the CLI writes the places."""

import dataclasses
import json

import numpy as np
import pytest

from analysis import __main__ as cli
from analysis.costs import cost_options, place_profile, plan_budget
from analysis.costs.options import BTS, FIBRE, MICROWAVE
from analysis.planning import plan
from geo.export import read_export
from geo.settings import SETTINGS
from tests.analysis import costs_world as W


@pytest.fixture(scope="module")
def world():
    result = W.build()
    return result, plan(result, 10)


def _by_id(table):
    return table.places.join(table.choices()).set_index("id")


def test_a_point_beside_the_fibre_takes_fibre(world):
    result, sites = world
    table = cost_options(result, bts_plan=sites)
    row = _by_id(table).loc["P-fibre"]
    assert row["chosen"] == FIBRE
    fibre = table.options[(table.options["place"] == 0) & (table.options["option"] == FIBRE)]
    assert fibre["length_m"].iloc[0] == pytest.approx(540.0, abs=1.0)  # 2 routing cells


def test_far_from_everything_takes_satellite(world):
    result, sites = world
    row = _by_id(cost_options(result, bts_plan=sites)).loc["P-far"]
    assert row["chosen"] == "satellite_leo" and row["runner_up"] == "satellite_geo"
    no_leo = dataclasses.replace(SETTINGS.costs, leo_available=False)
    row = _by_id(cost_options(result, bts_plan=sites, costs=no_leo)).loc["P-far"]
    assert row["chosen"] == "satellite_geo"
    assert "satellite_leo:leo_not_available" in row["reasons"]


def test_behind_a_ridge_a_microwave_relay_wins_when_satellite_is_dear(world):
    result, sites = world
    dear = dataclasses.replace(SETTINGS.costs, leo_available=False,
                               geo_opex_usd_per_year=50_000.0)  # a big capacity need
    table = cost_options(result, bts_plan=sites, costs=dear)
    i = int(np.flatnonzero(table.places["id"] == "P-ridge")[0])
    assert table.choices().iloc[i]["chosen"] == MICROWAVE
    assert table.links.relay[i] and table.links.clearance_pct[i] >= 100.0
    assert table.links.clearance_worst_k_pct[i] >= 60.0
    # the direct hop to the nearest end is blocked by the ridge
    direct = place_profile(table, i, int(np.argmin(np.hypot(table.ends.x - table.places["x"][i],
                                                            table.ends.y - table.places["y"][i]))))
    assert not direct.clear and direct.worst_clearance_pct < 0
    hop = place_profile(table, i, hop=0)  # place → relay
    assert hop.clear and hop.worst_clearance_pct >= 100.0


def test_a_cluster_is_best_served_by_one_shared_bts(world):
    result, sites = world
    table = cost_options(result, bts_plan=sites)
    choices = table.choices()
    villages = table.places["kind"].to_numpy() == "village"
    assert (choices["chosen"][villages] == BTS).all()
    shared = table.bts[table.bts["places"].map(len) == villages.sum()]
    assert len(shared) == 1
    share = shared["npc_vnd"].iloc[0] / villages.sum()
    assert choices["npc_vnd"][villages].to_numpy() == pytest.approx(share)
    # one BTS is bought once in a budget plan that serves the cluster
    budget = plan_budget(table, 20.0)
    assert (budget.investments["kind"] == BTS).sum() == 1
    assert budget.villages == villages.sum()


def test_link_profile_is_fast_and_consistent(world):
    import time

    result, sites = world
    table = cost_options(result, bts_plan=sites)
    place_profile(table, 1, hop=0)
    start = time.perf_counter()
    profile = place_profile(table, 1, hop=1)
    assert time.perf_counter() - start < 0.2
    n = profile.distance_m.size
    for values in (profile.terrain_m, profile.terrain_curved_m, profile.los_m,
                   profile.f1_radius_m, profile.clearance_pct):
        assert values.size == n
    assert profile.f1_radius_m[0] == profile.f1_radius_m[-1] == 0.0


def test_cli_writes_geojson_and_a_defused_csv(world, tmp_path, monkeypatch, capsys):
    result, _ = world
    monkeypatch.setattr(cli, "_analysis", lambda args: result)
    out = tmp_path / "costs.geojson"
    assert cli.main(["costs", "--budget", "5", "--k", "10", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    places = [f for f in data["features"] if f["layer"] == "places"]
    assert len(places) == len(result.inputs.points) + len(result.inputs.villages)
    for f in places:
        lon, lat = np.asarray(f["geometry"]["coordinates"], float).reshape(-1, 2)[0]
        assert 102 < lon < 106 and 20 < lat < 24  # WGS84 lon/lat
        assert {"chosen", "npc_vnd", "runner_up", "reasons", "budget_option"} <= set(
            f["properties"])
    printed = capsys.readouterr().out
    assert "support points" in printed and "tỷ" in printed
    csv_out = tmp_path / "costs.csv"
    assert cli.main(["costs", "--out", str(csv_out)]) == 0
    text = csv_out.read_text(encoding="utf-8-sig")
    assert "'=cmd|P-far" in text and ",=cmd" not in text
    back = read_export(csv_out)["places"]
    assert "=cmd|P-far" in set(back["name"])


def test_cli_bad_toml_names_the_file_and_key(world, tmp_path, monkeypatch, capsys):
    result, _ = world
    monkeypatch.setattr(cli, "_analysis", lambda args: result)
    bad = tmp_path / "costs.toml"
    bad.write_text('bts_capex_vnd = "cheap"\n', encoding="utf-8")
    assert cli.main(["costs", "--costs", str(bad), "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "bts_capex_vnd" in err
