"""Disagreement hexagons and measured verdicts against a synthetic truth.

As in test_calibration.py the measurements are the engine's own prediction plus noise on a
small flat world (tests.worlds.Grid), here two per reached cell of one Viettel 4G site: one
on 2 November 2026 and one on 3 November (two different times everywhere), 4 dB noise. In
box A (inside the covered disc) the truth is pushed 25 dB down, below the −110 dBm threshold
wherever the model predicts ≤ −90 dBm, which is all of the box; in box B (beyond the covered
edge, predictions −112 … −125 dBm) 25 dB up, above it.
"""

from __future__ import annotations

import doctest
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis import calibration as C
from analysis import disagreement as D
from analysis import status
from analysis.coverage import compute_coverage
from analysis.gaps import assess_places
from analysis.selection import Selection
from geo.settings import SETTINGS
from tests.worlds import Grid

GRID = Grid(161)
SIGMA = 4.0
BOX_A = (88, 104, 64, 96)  # rows, cols (inclusive): −25 dB
BOX_B = (114, 136, 60, 100)  # +25 dB
THRESHOLD = SETTINGS.radio.covered_dbm["4G"]


def _box_metric(box):
    r0, r1, c0, c1 = box
    return shapely.box(GRID.x0 + c0 * GRID.res, GRID.y0 - (r1 + 1) * GRID.res,
                       GRID.x0 + (c1 + 1) * GRID.res, GRID.y0 - r0 * GRID.res)


def _in(box, rows, cols):
    r0, r1, c0, c1 = box
    return (rows >= r0) & (rows <= r1) & (cols >= c0) & (cols <= c1)


@pytest.fixture(scope="module")
def world():
    sites = pd.DataFrame([GRID.site(80, 80, site_id="V1", operator="Viettel", height=30.0,
                                    eirp=60.0)])
    dem = GRID.dem(np.zeros((GRID.size, GRID.size)))
    return sites, dem, compute_coverage(sites, dem)


def _measurements(coverage, times=("2026-11-02T08:{m:02d}:00Z", "2026-11-03T15:{m:02d}:00Z"),
                  seed=5):
    best = coverage.layers[("Viettel", "4G")].best_dbm
    rows, cols = np.nonzero(np.isfinite(best))
    rng = np.random.default_rng(seed)
    frames = []
    for day, stamp in enumerate(times):
        truth = best[rows, cols].astype(float)
        truth = truth + np.where(_in(BOX_A, rows, cols), -25.0, 0.0) + np.where(
            _in(BOX_B, rows, cols), 25.0, 0.0)
        x, y = GRID.xy(rows, cols)
        minutes = rng.integers(0, 40, rows.size)
        frames.append(gpd.GeoDataFrame({
            "measurement_id": [f"D{day}-{i}" for i in range(rows.size)],
            "time": [stamp.format(m=int(m)) for m in minutes] if stamp else "",
            "operator": "Viettel", "technology": "4G",
            "signal_dbm": truth + rng.normal(0.0, SIGMA, rows.size), "cell_id": "",
            "track": f"day{day}", "source": "test"},
            geometry=gpd.points_from_xy(x, y), crs=SETTINGS.crs.metric))
    return pd.concat(frames, ignore_index=True).to_crs(SETTINGS.crs.display)


@pytest.fixture(scope="module")
def compared(world):
    sites, dem, coverage = world
    return C.compare(_measurements(coverage), coverage, sites, dem)


@pytest.fixture(scope="module")
def hexes(compared):
    return D.hexagons(compared)


def test_doctests():
    assert doctest.testmod(D).failed == 0
    assert doctest.testmod(status).failed == 0


def test_hexagon_columns_and_geometry(hexes, compared):
    assert list(hexes.columns) == [*D.HEX_COLUMNS, "geometry"]
    assert hexes.crs.to_epsg() == 4326
    assert (hexes["count"] >= SETTINGS.disagreement.min_measurements).all()
    assert hexes["count"].sum() <= len(compared)
    assert set(hexes["flag"]) <= {*D.FLAGS, ""}
    assert (hexes["times"] == 2).all()  # one pass a day, two days
    assert hexes["h3"].str.fullmatch(r"8[0-9a-f]{14}").all()
    # lon, lat order (the world lies near 104.2° E, 22.5° N), counter-clockwise exteriors
    bounds = hexes.total_bounds
    assert 103 < bounds[0] < bounds[2] < 106 and 21 < bounds[1] < bounds[3] < 24
    assert shapely.is_ccw(shapely.get_exterior_ring(hexes.geometry.values)).all()
    # the hexagon of a measurement holds it
    one = compared.iloc[[0]]
    lon, lat = D._lonlat(one)
    cell = f"{int(D.cells_of(lon, lat)[0]):x}"
    assert hexes.set_index("h3").geometry[cell].contains(shapely.Point(lon[0], lat[0]))


def test_measured_no_service_flags_are_the_pushed_down_box(hexes):
    """Every ``measured_no_service`` hexagon overlaps box A (tolerance: a hexagon across the
    box's edge, ≈ 0.9 km wide, may be flagged when most of its covered measurements lie
    inside), none lies outside it; every model-covered hexagon wholly inside is flagged
    (there the truth is ≥ 5 dB = 1.25 σ below the threshold, so well over half of ~180
    measurements are below)."""
    metric = hexes.to_crs(SETTINGS.crs.metric)
    box = _box_metric(BOX_A)
    flagged = metric[metric["flag"] == D.FLAG_NO_SERVICE]
    assert len(flagged) >= 3
    assert flagged.intersects(box).all()
    inside = metric[metric.within(box) & metric["model_covered"]]
    assert len(inside) >= 1
    assert (inside["flag"] == D.FLAG_NO_SERVICE).all()
    assert (inside["mean_residual_db"] < -20).all()


def test_measured_service_flags_are_the_pushed_up_box(hexes):
    metric = hexes.to_crs(SETTINGS.crs.metric)
    box = _box_metric(BOX_B)
    flagged = metric[metric["flag"] == D.FLAG_SERVICE]
    assert len(flagged) >= 3
    assert flagged.intersects(box).all()
    inside = metric[metric.within(box) & ~metric["model_covered"]]
    assert len(inside) >= 1 and (inside["flag"] == D.FLAG_SERVICE).all()
    # outside both boxes the model and the truth agree: no flag at all
    outside = metric[~metric.intersects(_box_metric(BOX_A))
                     & ~metric.intersects(_box_metric(BOX_B))]
    assert len(outside) > 20 and (outside["flag"] == "").all()


def test_one_time_or_unknown_times_never_flag(world):
    sites, dem, coverage = world
    for times in (("2026-11-02T08:{m:02d}:00Z", "2026-11-02T08:{m:02d}:30Z"), ("", "")):
        compared = C.compare(_measurements(coverage, times=times), coverage, sites, dem)
        hexes = D.hexagons(compared)
        assert (hexes["count"] >= SETTINGS.disagreement.flag_min_measurements).any()
        assert (hexes["flag"] == "").all()
        assert (hexes["times"] == (1 if times[0] else 0)).all()


def test_distinct_times_are_an_hour_apart():
    h = 3600.0
    group = np.zeros(5, np.int64)
    assert D.distinct_times(group, np.array([0, 59 * 60, 2 * h, 2 * h + 1, np.nan]), 1)[0] == 2
    assert D.distinct_times(group, np.array([0, h, 2 * h, 3 * h, 4 * h]), 1)[0] == 5


def _places(world, cells):
    """Places at the centres of grid cells (rows, cols), with a fibre node on each (so that
    "in a gap" is the mobile gap), assessed by the model at the outdoor 4G threshold."""
    sites, dem, coverage = world
    x, y = GRID.xy(np.array([r for r, _ in cells]), np.array([c for _, c in cells]))
    places = gpd.GeoDataFrame({"name": [f"P{i}" for i in range(len(cells))]},
                              geometry=gpd.points_from_xy(x, y), crs=SETTINGS.crs.metric
                              ).to_crs(SETTINGS.crs.display)
    routes = gpd.GeoDataFrame(geometry=[], crs=SETTINGS.crs.display)
    return places, assess_places(places, coverage, sites, dem, routes, places[["geometry"]],
                                 Selection())


def test_a_place_in_a_flagged_hexagon_takes_its_verdict(world, compared, hexes):
    # box A's centre (model covered), box B's centre (model not covered), near the site
    places, model = _places(world, [(96, 80), (125, 80), (70, 80)])
    assert model.table["reason"].tolist()[0] == "" and model.table["reason"].iloc[1] != ""
    before = model.in_gap.tolist()
    assert before == [False, True, False]
    judged = D.with_measured(model, places, compared)
    assert judged.table["measured"].tolist() == ["no_service", "service", ""]
    assert judged.table["verdict_source"].tolist() == ["measured", "measured", "model"]
    assert judged.in_gap.tolist() == [True, False, False]  # both verdicts flipped
    assert (judged.table["measured_count"].iloc[:2] >= 5).all()
    assert judged.table["measured_h3"].iloc[0] in set(
        hexes.loc[hexes["flag"] == D.FLAG_NO_SERVICE, "h3"])
    assert judged.table["measured_operator"].tolist() == ["Viettel", "Viettel", ""]
    # the model's own columns are untouched, the input assessment too
    assert judged.table["reason"].equals(model.table["reason"])
    assert "measured" not in model.table.columns
    changes = D.changed(judged.table)
    assert changes["change"].tolist() == ["lost", "gained"]


def test_verdict_distance_and_other_operators():
    cell = D.cells_of(np.array([104.2]), np.array([22.5]))
    hexes = gpd.GeoDataFrame({"h3": [f"{int(cell[0]):x}"], "operator": ["Viettel"],
                              "technology": ["4G"], "count": [9],
                              "flag": [D.FLAG_NO_SERVICE]},
                             geometry=D.cell_polygons(cell), crs=SETTINGS.crs.display)
    shape = hexes.to_crs(SETTINGS.crs.metric).geometry.iloc[0]
    centre = shape.centroid
    edge = shapely.Point(shape.exterior.coords[0])  # a vertex
    direction = np.array([edge.x - centre.x, edge.y - centre.y])
    direction /= np.linalg.norm(direction)
    reach = SETTINGS.disagreement.verdict_distance_m
    near = shapely.Point(*(np.array(edge.coords[0]) + direction * (reach - 50)))
    far = shapely.Point(*(np.array(edge.coords[0]) + direction * (reach + 50)))
    places = gpd.GeoDataFrame(geometry=[centre, near, far], crs=SETTINGS.crs.metric,
                              index=[10, 11, 12])
    verdicts = D.measured_verdicts(places, hexes)
    assert list(verdicts.index) == [10, 11, 12]
    assert verdicts["measured"].tolist() == ["no_service", "no_service", ""]
    assert verdicts["measured_count"].tolist() == [9, 9, 0]
    # another selected operator covering the place by the model keeps it served
    covered = pd.DataFrame({"Viettel": [True] * 3, "VinaPhone": [True, False, False]},
                           index=places.index)
    assert D.measured_verdicts(places, hexes, covered=covered)["measured"].tolist() == [
        "", "no_service", ""]
    # another technology's or operator's hexagons say nothing
    assert (D.measured_verdicts(places, hexes, technology="3G")["measured"] == "").all()
    assert (D.measured_verdicts(places, hexes, operators=("MobiFone",))["measured"] == ""
            ).all()


def test_tables_without_measured_are_unchanged(world):
    _, model = _places(world, [(96, 80), (125, 80), (70, 80)])
    table = model.table
    assert status.verdict_source(table).tolist() == ["model"] * 3
    empty = table.assign(measured="")
    assert status.gaps(empty).tolist() == status.gaps(table).tolist()
    assert status.mobile_gap(table).tolist() == (table["reason"] != "").tolist()
    assert D.changed(table).empty


def test_summary_counts(hexes):
    s = D.summary(hexes)
    assert s["count"] == len(hexes) and s["resolution"] == 8
    assert s["measured_no_service"] == int((hexes["flag"] == D.FLAG_NO_SERVICE).sum()) > 0
    assert s["by_group"]["Viettel/4G"]["count"] == len(hexes)
    json.dumps(s)


def test_thresholds_follow_the_service_level(compared):
    indoor = Selection(service="indoor").covered_thresholds()
    hexes = D.hexagons(compared, indoor)
    assert (hexes["threshold_dbm"] == indoor["4G"]).all()
    assert (D.hexagons(compared, -100.0)["threshold_dbm"] == -100.0).all()


def _ring_area(ring):
    """Shoelace area of a closed [lon, lat] ring: > 0 counter-clockwise."""
    xy = np.asarray(ring, float)
    return 0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]))


def test_cli_hexagons_geojson_and_measured_gaps(tmp_path, capsys, monkeypatch):
    """``calibrate --hexagons`` writes RFC 7946 hexagons (lon, lat; closed CCW rings) and
    ``--json`` their summary; ``gaps --measurements`` exports the measured verdicts."""
    from analysis import __main__ as cli
    from analysis.inputs import coverage_for, load_inputs

    monkeypatch.setenv("LAOCAI_WORKSPACE", str(tmp_path / "ws.gpkg"))
    rows = [{"site_id": "S0", "tower_id": "T0", "operator": "Viettel", "technology": "4G",
             "band_mhz": 1800.0, "lon": 104.0, "lat": 22.45, "height_m": 30.0,
             "eirp_dbm": 60.0, "azimuth_deg": "", "beamwidth_deg": "", "assumed": "",
             "source": "imported"}]
    data = tmp_path / "data"
    data.mkdir()
    pd.DataFrame(rows).to_csv(data / "sites.csv", index=False)
    coverage = coverage_for(load_inputs(data))
    t = coverage.transform
    best = coverage.layers[("Viettel", "4G")].best_dbm
    r, c = np.nonzero(np.nan_to_num(best, nan=-999) >= THRESHOLD + 5)  # well covered
    x, y = t.c + (c + 0.5) * t.a, t.f + (r + 0.5) * t.e
    frame = pd.concat([pd.DataFrame({
        "time": f"2026-11-0{day}T08:00:00Z", "operator": "Viettel", "technology": "4G",
        "signal_dbm": best[r, c] - 40.0, "x": x, "y": y}) for day in (2, 3)])  # no service
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["x"], frame["y"]),
                              crs=SETTINGS.crs.metric).to_crs(SETTINGS.crs.display)
    csv = tmp_path / "m.csv"
    points.assign(lon=points.geometry.x, lat=points.geometry.y).drop(
        columns=["geometry", "x", "y"]).to_csv(csv, index=False)
    out = tmp_path / "hex.geojson"
    capsys.readouterr()
    assert cli.main(["calibrate", "--data", str(data), "--measurements", str(csv), "--json",
                     "--hexagons", str(out)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["hexagons"]["count"] > 0 and doc["hexagons"]["model"] == "uncalibrated"
    assert doc["hexagons"]["measured_no_service"] > 0
    # Against the calibrated model the uniform −40 dB is absorbed by the offset: no flag.
    assert cli.main(["calibrate", "--data", str(data), "--measurements", str(csv), "--json",
                     "--hexagons-calibrated"]) == 0
    calibrated = json.loads(capsys.readouterr().out)["hexagons"]
    assert calibrated["model"] == "calibrated" and calibrated["count"] == doc["hexagons"]["count"]
    assert calibrated["measured_no_service"] == 0
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert len(collection["features"]) == doc["hexagons"]["count"]
    for feature in collection["features"]:
        geometry = feature["geometry"]
        assert geometry["type"] == "Polygon" and len(geometry["coordinates"]) == 1
        ring = geometry["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) == 7  # closed hexagon
        lon, lat = ring[0]
        assert 103.5 < lon < 104.5 and 22.0 < lat < 23.0  # lon first
        assert _ring_area(ring) > 0  # exterior counter-clockwise (RFC 7946 §3.1.6)
        assert set(feature["properties"]) >= set(D.HEX_COLUMNS)
    gaps = tmp_path / "gaps.geojson"
    assert cli.main(["gaps", "--data", str(data), "--measurements", str(csv),
                     "--out", str(gaps)]) == 0
    captured = capsys.readouterr()
    assert "measured verdicts from" in captured.err
    features = json.loads(gaps.read_text(encoding="utf-8"))["features"]
    places = [f["properties"] for f in features if f["properties"]["kind"] != "gap_area"]
    assert places and all({"measured", "verdict_source"} <= set(p) for p in places)
    assert {p["verdict_source"] for p in places} <= {"measured", "model"}
