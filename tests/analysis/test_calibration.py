"""Calibration against a synthetic truth: measurements are the engine's own prediction plus a
known offset per operator (+7 dB Viettel, −4 dB VinaPhone) and 6 dB log-normal noise, along
seeded tracks on a small flat world (tests.worlds.Grid)."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from analysis import calibration as C
from analysis.coverage import compute_coverage
from geo.errors import DataError
from geo.settings import SETTINGS
from geo.workspace import Workspace
from tests.worlds import Grid

GRID = Grid(161)
OFFSETS = {"Viettel": 7.0, "VinaPhone": -4.0}
SIGMA = 6.0


@pytest.fixture(scope="module")
def world():
    cells = [("V1", "Viettel", 50, 50), ("V2", "Viettel", 110, 115),
             ("N1", "VinaPhone", 40, 120), ("N2", "VinaPhone", 120, 40),
             ("M1", "MobiFone", 80, 80)]
    sites = pd.DataFrame([GRID.site(r, c, site_id=i, operator=op, height=30.0, eirp=50.0)
                          for i, op, r, c in cells])
    dem = GRID.dem(np.zeros((GRID.size, GRID.size)))
    return sites, dem, compute_coverage(sites, dem)


def _tracks(coverage, operator, n, seed):
    """``n`` cells along random straight tracks where ``operator``'s 4G reaches: (rows,
    cols, predicted dBm, track names)."""
    rng = np.random.default_rng(seed)
    best = coverage.layers[(operator, "4G")].best_dbm
    rows, cols, names = [], [], []
    k = 0
    while len(rows) < n:
        r0, c0, r1, c1 = rng.integers(5, GRID.size - 5, 4)
        steps = max(abs(r1 - r0), abs(c1 - c0))
        rr = np.round(np.linspace(r0, r1, steps + 1)).astype(int)
        cc = np.round(np.linspace(c0, c1, steps + 1)).astype(int)
        ok = np.isfinite(best[rr, cc])
        rows += list(rr[ok])
        cols += list(cc[ok])
        names += [f"{operator}-T{k}"] * int(ok.sum())
        k += 1
    rows, cols = np.array(rows[:n]), np.array(cols[:n])
    return rows, cols, best[rows, cols].astype(float), names[:n]


def _measurements(coverage, operators=OFFSETS, n=2500, seed=1, slope=0.0, outliers=0.0,
                  sites=None):
    frames = []
    rng = np.random.default_rng(seed + 100)
    for i, (operator, offset) in enumerate(operators.items()):
        rows, cols, truth, names = _tracks(coverage, operator, n, seed + i)
        x, y = GRID.xy(rows, cols)
        signal = truth + offset + rng.normal(0.0, SIGMA, truth.size)
        if slope:
            server = coverage.layers[(operator, "4G")].serving[rows, cols]
            sx, sy = GRID.xy(*_site_cells(sites, server))
            d_km = np.maximum(np.hypot(x - sx, y - sy) / 1000.0, 0.01)
            signal = signal + slope * np.log10(d_km)
        if outliers:
            hit = rng.random(truth.size) < outliers
            signal = np.where(hit, signal + 40.0, signal)
        frames.append(gpd.GeoDataFrame({
            "measurement_id": [f"{operator[:2]}{j}" for j in range(truth.size)],
            "time": "2026-11-02T08:00:00Z", "operator": operator, "technology": "4G",
            "signal_dbm": signal, "cell_id": "", "track": names, "source": "test"},
            geometry=gpd.points_from_xy(x, y), crs=SETTINGS.crs.metric))
    return pd.concat(frames, ignore_index=True).to_crs(SETTINGS.crs.display)


def _site_cells(sites, index):
    x, y = _metric(sites)
    cols = np.floor((x[index] - GRID.x0) / GRID.res)
    rows = np.floor((GRID.y0 - y[index]) / GRID.res)
    return rows, cols


def _metric(sites):
    from geo.crs import transform

    return transform(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float),
                     SETTINGS.crs.display, SETTINGS.crs.metric)


def test_offsets_rms_and_cross_validation_are_recovered(world):
    sites, dem, coverage = world
    compared = C.compare(_measurements(coverage), coverage, sites, dem)
    assert np.isfinite(compared["predicted_dbm"]).all()  # every track cell is reached
    cal = C.fit(compared, name="truth")
    for operator, offset in OFFSETS.items():
        g = cal.groups[(operator, "4G")]
        assert g.calibrated and g.n == 2500
        assert abs(g.offset_db - offset) < 1.0
        assert abs(g.rms_after_db - SIGMA) < 1.0
        assert g.rms_before_db > g.rms_after_db
        assert abs(g.rms_cv_db - g.rms_after_db) < 0.3
    summary = cal.summary()
    assert summary["n"] == 5000 and abs(summary["rms_after_db"] - SIGMA) < 1.0
    assert cal.describe().startswith("calibrated on 5,000 measurements, error ")
    # distances: every measurement lies within the disc of a site of its operator
    assert (compared["distance_km"] <= compared["server_distance_km"] + 1e-9).all()
    assert (compared["distance_km"] < 15.0).all()
    assert compared["los"].all()  # flat ground: every server is in sight
    # a plain table with lon/lat gives the same
    measured = _measurements(coverage, n=50)
    plain = pd.DataFrame(measured.drop(columns="geometry")).assign(
        lon=measured.geometry.x, lat=measured.geometry.y)
    pd.testing.assert_frame_equal(C.compare(plain, coverage, sites, dem),
                                  C.compare(measured, coverage, sites, dem))


def test_slope_is_recovered(world):
    sites, _dem, coverage = world
    measured = _measurements(coverage, slope=-8.0, sites=sites, seed=3)
    compared = C.compare(measured, coverage, sites)
    cal = C.fit(compared, slope=True)
    for operator, offset in OFFSETS.items():
        g = cal.groups[(operator, "4G")]
        assert abs(g.slope_db_per_decade - -8.0) < 1.5
        assert abs(g.offset_db - offset) < 1.0
        assert abs(g.rms_after_db - SIGMA) < 1.0
    # without the slope the same data leave more error
    flat = C.fit(compared)
    assert all(flat.groups[k].rms_after_db > cal.groups[k].rms_after_db for k in cal.groups)


def test_offsets_by_landcover_class(world):
    sites, dem, coverage = world
    classes = np.full(coverage.shape, 40, np.uint8)  # cropland ...
    classes[:, : GRID.size // 2] = 10  # ... and tree cover in the west
    measured = _measurements(coverage, n=2000, seed=9)
    compared = C.compare(measured, coverage, sites, dem, classes)
    west = compared["landcover_class"].to_numpy() == 10
    assert 0 < west.sum() < len(west)
    compared.loc[west, "signal_dbm"] -= 5.0  # the forest costs 5 dB more than predicted
    compared["residual_db"] = compared["signal_dbm"] - compared["predicted_dbm"]
    cal = C.fit(compared, by_landcover=True)
    plain = C.fit(compared)
    for operator, offset in OFFSETS.items():
        g = cal.groups[(operator, "4G")]
        lc = g.landcover_offsets_db
        assert abs((lc[10] - lc[40]) - -5.0) < 1.0
        assert abs(g.offset_db + lc[40] - offset) < 1.0
        assert g.rms_after_db < plain.groups[(operator, "4G")].rms_after_db
        assert abs(g.rms_after_db - SIGMA) < 1.0
    after = cal.apply(coverage, sites, classes)
    key = ("Viettel", "4G")
    diff = after.layers[key].best_dbm - coverage.layers[key].best_dbm
    lc = cal.groups[key].landcover_offsets_db
    west_cells = np.isfinite(diff) & (classes == 10)
    assert np.allclose(diff[west_cells], cal.groups[key].offset_db + lc[10], atol=1e-3)
    assert any("land-cover offsets not applied" in w for w in cal.apply(coverage).warnings)
    back = C.Calibration.from_json(cal.to_json())
    assert back.groups == cal.groups and back.by_landcover
    with pytest.raises(DataError):
        C.fit(C.compare(measured, coverage, sites), by_landcover=True)


def test_huber_resists_outliers_that_move_the_mean(world):
    sites, _dem, coverage = world
    compared = C.compare(_measurements(coverage, outliers=0.05, seed=5), coverage, sites)
    cal = C.fit(compared)
    for operator, offset in OFFSETS.items():
        mine = compared[compared["operator"] == operator]
        mean = float(mine["residual_db"].mean())  # least squares' offset
        assert abs(mean - offset) > 1.5
        assert abs(cal.groups[(operator, "4G")].offset_db - offset) < 1.0


def test_small_groups_stay_uncalibrated_and_the_residual_table(world):
    sites, dem, coverage = world
    few = _measurements(coverage, operators={"MobiFone": 3.0}, n=10, seed=7)
    compared = C.compare(pd.concat([_measurements(coverage, n=300), few], ignore_index=True),
                         coverage, sites, dem)
    cal = C.fit(compared)
    small = cal.groups[("MobiFone", "4G")]
    assert not small.calibrated and small.offset_db == 0.0 and "fewer than" in small.note
    assert "MobiFone/4G" in cal.summary()["uncalibrated"]
    table = C.residual_table(compared)
    overall = table[(table["by"] == "all")].set_index("operator")
    assert overall.loc["Viettel", "count"] == 300
    assert abs(overall.loc["Viettel", "mean_db"] - 7.0) < 1.5
    assert overall.loc["Viettel", "p10_db"] < overall.loc["Viettel", "p90_db"]
    bands = table[(table["operator"] == "Viettel") & (table["by"] == "distance")]
    assert list(bands["band"]) == C.band_labels() and bands["count"].sum() == 300
    los = table[(table["operator"] == "Viettel") & (table["by"] == "los")]
    assert los.set_index("band").loc[C.LOS, "count"] == 300
    assert overall.loc["Viettel", "rating"] in ("very good", "accepted", "poor")


def test_apply_moves_the_covered_area_the_right_way(world):
    sites, _dem, coverage = world
    cal = C.fit(C.compare(_measurements(coverage, n=500), coverage, sites))
    after = cal.apply(coverage, sites)
    assert after.calibration == "unnamed" and coverage.calibration == ""
    up, down = ("Viettel", "4G"), ("VinaPhone", "4G")
    assert after.layers[up].covered.sum() > coverage.layers[up].covered.sum()
    assert after.layers[down].covered.sum() < coverage.layers[down].covered.sum()
    diff = after.layers[up].best_dbm - coverage.layers[up].best_dbm
    assert np.allclose(diff[np.isfinite(diff)], cal.groups[up].offset_db, atol=1e-3)
    assert after.layers[("MobiFone", "4G")] is coverage.layers[("MobiFone", "4G")]
    assert not (after.layers[down].servers[~after.layers[down].covered]).any()
    # a slope calibration applied with the sites: the correction grows with distance
    sloped = C.fit(C.compare(_measurements(coverage, slope=-8.0, sites=sites, n=500),
                             coverage, sites), slope=True)
    corr = sloped.apply(coverage, sites).layers[up].best_dbm - coverage.layers[up].best_dbm
    r, c = 50, 50  # the V1 site
    assert np.isfinite(corr[r, c + 15]) and corr[r, c + 3] > corr[r, c + 15]
    no_sites = sloped.apply(coverage)
    assert any("slopes not applied" in w for w in no_sites.warnings)


def test_los_flag_behind_a_ridge():
    dem_z = np.zeros((GRID.size, GRID.size))
    dem_z[:, 90:93] = 300.0  # a north-south wall east of the site
    dem = GRID.dem(dem_z)
    sites = pd.DataFrame([GRID.site(80, 60, site_id="S", height=30.0)])
    coverage = compute_coverage(sites, dem)
    best = coverage.layers[("Viettel", "4G")].best_dbm
    cells = [(80, 70), (80, 100)]
    pts = [GRID.xy(r, c) for r, c in cells]
    measured = gpd.GeoDataFrame({"operator": "Viettel", "technology": "4G",
                                 "signal_dbm": [best[r, c] for r, c in cells],
                                 "cell_id": ["S", "X"]},
                                geometry=gpd.points_from_xy(*zip(*pts, strict=True)),
                                crs=SETTINGS.crs.metric)
    compared = C.compare(measured, coverage, sites, dem)
    assert list(compared["los"]) == [True, False]
    assert compared["named_site"].tolist() == [0, -1]
    assert compared["named_is_server"].tolist()[0] is True
    assert compared["named_is_server"].isna().tolist() == [False, True]
    assert np.allclose(compared["residual_db"], 0.0)


def test_save_load_round_trip(world, tmp_path):
    sites, _dem, coverage = world
    compared = C.compare(_measurements(coverage, n=300), coverage, sites)
    cal = C.fit(compared, slope=True, name="drive 2026-11", measurements_version="m.gpkg")
    store = Workspace(tmp_path / "ws.gpkg").calibrations
    assert cal.save_to(store) is False
    assert store.names() == ["drive 2026-11"]
    back = C.Calibration.load_from(store, "drive 2026-11")
    assert back.groups == cal.groups and back.slope and back.created == cal.created
    assert back.measurements_sha256 == cal.measurements_sha256 == C.measurements_sha256(
        compared)
    assert json.loads(back.to_json())["format"] == SETTINGS.calibration.store_format
    assert Workspace(tmp_path / "ws.gpkg").scenarios.names() == []  # a table of its own


def test_cli_calibrate_json_and_apply(tmp_path, capsys, monkeypatch):
    """``calibrate --json`` on a data folder of three sites over the default area's flat
    terrain, then ``indicators --apply``."""
    from analysis import __main__ as cli
    from analysis.inputs import coverage_for, load_inputs

    monkeypatch.setenv("LAOCAI_WORKSPACE", str(tmp_path / "ws.gpkg"))
    rows = [{"site_id": f"S{i}", "tower_id": f"T{i}", "operator": op, "technology": "4G",
             "band_mhz": 1800.0, "lon": lon, "lat": 22.45, "height_m": 30.0,
             "eirp_dbm": 60.0, "azimuth_deg": "", "beamwidth_deg": "", "assumed": "",
             "source": "imported"}
            for i, (op, lon) in enumerate([("Viettel", 103.95), ("Viettel", 104.05),
                                           ("VinaPhone", 104.0)])]
    data = tmp_path / "data"
    data.mkdir()
    pd.DataFrame(rows).to_csv(data / "sites.csv", index=False)
    inputs = load_inputs(data)
    coverage = coverage_for(inputs)
    t = coverage.transform
    rng = np.random.default_rng(11)
    frames = []
    for op, offset in OFFSETS.items():
        best = coverage.layers[(op, "4G")].best_dbm
        r, c = np.nonzero(np.isfinite(best))
        pick = rng.choice(r.size, 400, replace=False)
        r, c = r[pick], c[pick]
        x, y = t.c + (c + 0.5) * t.a, t.f + (r + 0.5) * t.e
        frames.append(gpd.GeoDataFrame(
            {"operator": op, "technology": "4G", "track": "T",
             "signal_dbm": best[r, c] + offset + rng.normal(0, SIGMA, r.size)},
            geometry=gpd.points_from_xy(x, y), crs=SETTINGS.crs.metric))
    measured = pd.concat(frames, ignore_index=True).to_crs(SETTINGS.crs.display)
    csv = tmp_path / "m.csv"
    measured.assign(lon=measured.geometry.x, lat=measured.geometry.y).drop(
        columns="geometry").to_csv(csv, index=False)
    capsys.readouterr()
    assert cli.main(["calibrate", "--data", str(data), "--measurements", str(csv), "--json",
                     "--save", "cli"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"format", "name", "created", "measurements_version", "measurements_sha256",
            "slope", "n", "rms_before_db", "rms_after_db", "rms_cv_db", "groups",
            "residuals"} <= set(doc)
    assert doc["name"] == "cli" and doc["measurements_version"] == "m.csv" and doc["n"] == 800
    groups = {g["operator"]: g for g in doc["groups"]}
    assert set(groups["Viettel"]) >= {"operator", "technology", "n", "offset_db",
                                      "slope_db_per_decade", "rms_before_db", "rms_after_db",
                                      "rms_cv_db", "calibrated", "note"}
    assert abs(groups["Viettel"]["offset_db"] - 7.0) < 1.0
    assert abs(groups["VinaPhone"]["offset_db"] + 4.0) < 1.0
    assert cli.main(["calibrate", "--data", str(data), "--measurements", str(csv)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("calibrated on 800 measurements") and "Viettel" in text
    assert cli.main(["indicators", "--data", str(data), "--json", "--apply", "cli"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert cli.main(["indicators", "--data", str(data), "--apply", "nothing"]) == 2
    assert "no calibration named 'nothing'" in capsys.readouterr().err
    import rasterio

    grids = {}
    for name, extra in (("plain", []), ("calibrated", ["--apply", "cli"])):
        out = tmp_path / name
        assert cli.main(["coverage", "--sites", str(data / "sites.csv"), "--out", str(out),
                         *extra]) == 0
        with rasterio.open(out / "best_signal_dbm.tif") as src:
            grids[name] = src.read(1)
    reached = grids["plain"] > SETTINGS.coverage.nodata_dbm
    diff = (grids["calibrated"] - grids["plain"])[reached]
    assert set(np.round(np.unique(np.round(diff, 2)))) <= {7.0, -4.0}  # per serving operator
    assert (np.abs(diff - groups["Viettel"]["offset_db"]) < 1e-3).any()
