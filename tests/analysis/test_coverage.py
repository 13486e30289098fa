"""Coverage engine on synthetic terrain with known answers (EPSG:9208 grids of tests.worlds)."""

import numpy as np
import pandas as pd
import pytest
import rasterio

from analysis import __main__ as cli
from analysis.coverage import cached_coverage, compute_coverage, prepare_sites, run_grids
from analysis.incremental import CoverageState
from analysis.propagation import (
    fresnel_v,
    knife_edge_loss_db,
    path_loss_db,
    wavelength_m,
)
from geo.errors import DataError
from geo.settings import SETTINGS
from tests.worlds import Grid

GRID = Grid(size=241)  # 21.6 km square of 90 m cells, centre cell 120
RES, N, CENTRE = GRID.res, GRID.size, GRID.centre


def _expected_flat(d_m: np.ndarray, site: dict) -> np.ndarray:
    ref = site["eirp_dbm"] + SETTINGS.coverage.reference_offset_db[site["technology"]]
    return ref - path_loss_db(d_m, site["band_mhz"], site["height_m"],
                              SETTINGS.radio.receiver_height_m, SETTINGS.coverage.environment,
                              los=True)


def test_flat_ground_signal_follows_the_model():
    site = GRID.site()
    result = compute_coverage(pd.DataFrame([site]), GRID.dem(np.zeros((N, N))))
    layer = result.layers[("Viettel", "4G")]
    cols = np.arange(CENTRE + 5, N - 5)
    d = (cols - CENTRE) * RES
    got = layer.best_dbm[CENTRE, cols]
    reached = np.isfinite(got)
    assert reached[:20].all()
    # Tables are sampled every RES/4 m: within 0.5 dB of the model beyond 450 m.
    np.testing.assert_allclose(got[reached], _expected_flat(d, site)[reached], atol=0.5)
    assert np.all(np.diff(got[reached]) < 0)  # falls with distance
    assert (layer.serving[CENTRE, cols[reached]] == 0).all()
    assert result.warnings == []  # a Dem built from an array counts as loaded terrain


def test_receiver_behind_ridge_gets_at_least_the_knife_edge_loss():
    elev = np.zeros((N, N))
    ridge_col, ridge_h = CENTRE + 13, 200.0  # ~1.2 km east, a north-south wall
    elev[:, ridge_col] = ridge_h
    site = GRID.site(height=30.0)
    layer = compute_coverage(pd.DataFrame([site]), GRID.dem(elev)).layers[("Viettel", "4G")]
    k = 26  # receiver ~2.3 km east, behind the ridge; mirror cell ~2.3 km west, open
    behind, mirror = layer.best_dbm[CENTRE, CENTRE + k], layer.best_dbm[CENTRE, CENTRE - k]
    d, d1 = k * RES, 13 * RES
    curv = 1.0 / (2 * SETTINGS.radio.k_factor * SETTINGS.radio.earth_radius_m)
    tx, rx = site["height_m"], SETTINGS.radio.receiver_height_m - d * d * curv
    h = (ridge_h - d1 * d1 * curv) - (tx + (rx - tx) * d1 / d)
    j = knife_edge_loss_db(fresnel_v(h, d1, d - d1, wavelength_m(site["band_mhz"])))
    assert j > 20.0
    assert behind <= mirror - j + 0.5
    assert not layer.covered[CENTRE, CENTRE + k] and layer.covered[CENTRE, CENTRE - k]


def test_site_on_a_peak_covers_more_than_in_a_valley():
    yy, xx = np.mgrid[0:N, 0:N]
    r = np.hypot(yy - CENTRE, xx - CENTRE) * RES
    # A hill 500 m high, 2 km base radius, over a plain; and the same hill upside down, a
    # pit. On the hill's own flank (a plane, seen from the summit) the mast does as over
    # flat ground; beyond its foot it overlooks the plain, clear of the earth's bulge that
    # costs the same mast on flat ground its smooth-earth diffraction; in the pit the rim
    # hides it.
    peak = np.clip(500.0 - r * 0.25, 0.0, None)
    valley = np.clip(r * 0.25, None, 500.0)
    site = pd.DataFrame([GRID.site(height=30.0)])
    layers = [compute_coverage(site, GRID.dem(z)).layers[("Viettel", "4G")]
              for z in (peak, valley, np.zeros_like(r))]
    on_peak, in_valley, on_flat = layers
    assert on_peak.covered.sum() > 1.5 * in_valley.covered.sum()
    assert not in_valley.covered[r > 2_300.0].any()
    both = np.isfinite(on_peak.best_dbm) & np.isfinite(on_flat.best_dbm)
    assert (on_peak.best_dbm[both] >= on_flat.best_dbm[both] - 0.5).all()
    plain = both & (r > 3_000.0)
    assert np.mean(on_peak.best_dbm[plain] - on_flat.best_dbm[plain]) > 1.5


def test_symmetric_terrain_gives_symmetric_coverage():
    yy, xx = np.mgrid[0:N, 0:N]
    r = np.hypot(yy - CENTRE, xx - CENTRE) * RES
    hills = 300.0 * np.cos(r / 1500.0) ** 2  # concentric ridges
    layer = compute_coverage(pd.DataFrame([GRID.site()]), GRID.dem(hills)).layers[("Viettel", "4G")]
    best = np.nan_to_num(layer.best_dbm, nan=-200.0)
    inner = best[CENTRE - 60:CENTRE + 61, CENTRE - 60:CENTRE + 61]
    np.testing.assert_allclose(inner, inner[::-1, :], atol=1e-3)
    np.testing.assert_allclose(inner, inner[:, ::-1], atol=1e-3)
    np.testing.assert_allclose(inner, inner.T, atol=1.0)  # steep/shallow interpolation


def test_line_of_sight_matches_exact_rays_on_rough_terrain():
    rng = np.random.default_rng(3)
    coarse = rng.normal(0, 120, (13, 13))
    elev = np.kron(coarse, np.ones((20, 20)))[:N, :N]
    elev = np.pad(elev, ((0, N - elev.shape[0]), (0, N - elev.shape[1])), mode="edge")
    site = GRID.site(height=40.0)
    dem = GRID.dem(elev)
    los = compute_coverage(pd.DataFrame([site]), dem, los_only=True).los_count
    # Exact visibility along straight rays, sampled every 10 m, earth curvature k = 4/3.
    curv = 1.0 / (2 * SETTINGS.radio.k_factor * SETTINGS.radio.earth_radius_m)
    z0 = dem.elevation[CENTRE, CENTRE] + 40.0
    cells = rng.integers(CENTRE - 100, CENTRE + 101, (400, 2))
    agree = 0
    for r, c in cells:
        d = np.hypot(r - CENTRE, c - CENTRE) * RES
        if d < 2 * RES:
            agree += 1
            continue
        t = np.linspace(0, 1, int(d / 10))[1:-1]
        zr = dem.elevation[np.rint(CENTRE + t * (r - CENTRE)).astype(int),
                           np.rint(CENTRE + t * (c - CENTRE)).astype(int)]
        zr = zr - (t * d) ** 2 * curv
        target = dem.elevation[r, c] - d * d * curv + SETTINGS.radio.receiver_height_m
        visible = np.all((zr - z0) / (t * d) <= (target - z0) / d)
        agree += visible == (los[r, c] > 0)
    assert agree / len(cells) >= 0.9


def test_best_server_count_and_serving_site_with_two_sites():
    left, right = GRID.site(col=CENTRE - 15), GRID.site(col=CENTRE + 15, operator="MobiFone")
    result = compute_coverage(pd.DataFrame([left, right]), GRID.dem(np.zeros((N, N))),
                              by_operator=False)
    layer = result.layers[("all", "4G")]
    assert layer.serving[CENTRE, CENTRE - 25] == 0 and layer.serving[CENTRE, CENTRE + 25] == 1
    both = layer.servers[CENTRE, CENTRE]
    assert both == 2 and layer.covered[CENTRE, CENTRE]
    per_op = compute_coverage(pd.DataFrame([left, right]), GRID.dem(np.zeros((N, N))))
    assert set(per_op.layers) == {("Viettel", "4G"), ("MobiFone", "4G")}
    assert per_op.layers[("MobiFone", "4G")].servers[CENTRE, CENTRE] == 1


def test_incremental_edits_equal_a_full_recompute():
    rng = np.random.default_rng(5)
    elev = rng.normal(300, 60, (N, N)).cumsum(axis=0) * 0.02 + 200
    dem = GRID.dem(elev)
    base = [GRID.site(r, c, operator=op) for r, c, op in (
        (100, 100, "Viettel"), (130, 140, "MobiFone"), (120, 90, "Viettel"),
        (150, 120, "VinaPhone"))] + [GRID.site(110, 110, tech="3G", band=2100.0)]
    state = CoverageState(pd.DataFrame(base), dem, technology="4G")
    added = GRID.site(125, 115, operator="Vietnamobile")
    state.add_site(added)
    state.remove_site(0)
    state.move_site(1, *GRID.lonlat(118, 128))
    state.remove_site(2)  # its runner-up cells were invalidated by the first removal
    state.move_site(5, *GRID.lonlat(100, 150))
    final = [base[i] for i in (3, 4)] + [
        {**base[1], "lon": GRID.lonlat(118, 128)[0], "lat": GRID.lonlat(118, 128)[1]},
        {**added, "lon": GRID.lonlat(100, 150)[0], "lat": GRID.lonlat(100, 150)[1]},
    ]
    full = compute_coverage(pd.DataFrame(final), dem, by_operator=False,
                            technologies=["4G"]).layers[("all", "4G")]
    inc = state.layer()
    np.testing.assert_allclose(np.nan_to_num(inc.best_dbm, nan=-999),
                               np.nan_to_num(full.best_dbm, nan=-999), atol=1e-4)
    np.testing.assert_array_equal(inc.servers, full.servers)
    index_map = {3: 0, 4: 1, 1: 2, 5: 3, -1: -1}
    serving = np.vectorize(index_map.get)(inc.serving)
    # Where two sites give the very same power (the tables are sampled every RES / 4 m), the
    # server is either: the mismatches must be such ties, and rare.
    alone = {i: compute_coverage(pd.DataFrame([s]), dem, by_operator=False).layers[("all", "4G")]
             for i, s in enumerate(final) if s["technology"] == "4G"}
    rows, cols = np.nonzero(serving != full.serving)
    assert rows.size <= 5
    for r, c in zip(rows, cols, strict=True):
        assert alone[serving[r, c]].best_dbm[r, c] == alone[full.serving[r, c]].best_dbm[r, c]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"height_m": 250.0}, "antenna height"),
        ({"eirp_dbm": 95.0}, "EIRP"),
        ({"band_mhz": 50.0}, "band"),
        ({"technology": "6G"}, "unknown technology"),
        ({"lon": 110.0}, "outside the terrain grid"),
    ],
)
def test_bad_sites_are_refused_with_the_row(change, message):
    sites = pd.DataFrame([GRID.site(), {**GRID.site(), **change}])
    with pytest.raises(DataError, match=rf"sites\.csv: row 2: .*{message}"):
        compute_coverage(sites, GRID.dem(np.zeros((N, N))), source="sites.csv")


def test_site_on_nodata_terrain_is_refused():
    elev = np.zeros((N, N))
    elev[CENTRE, CENTRE] = np.nan
    with pytest.raises(DataError, match="no data"):
        compute_coverage(pd.DataFrame([GRID.site()]), GRID.dem(elev))


def test_radius_is_capped_per_band():
    prepared = prepare_sites(pd.DataFrame([GRID.site(band=900.0, tech="2G"), GRID.site()]),
                             GRID.dem(np.zeros((N, N))))
    radii = prepared.records["radius_cells"] * RES
    assert radii[0] <= SETTINGS.radio.max_radius_m[900] + RES
    assert radii[1] <= SETTINGS.radio.max_radius_m[1800] + RES


def test_cache_returns_the_same_grids(tmp_path):
    sites = pd.DataFrame([GRID.site()])
    dem = GRID.dem(np.zeros((N, N)))
    first = cached_coverage(sites, dem, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    second = cached_coverage(sites, dem, cache_dir=tmp_path)
    a, b = first.layers[("Viettel", "4G")], second.layers[("Viettel", "4G")]
    np.testing.assert_array_equal(a.best_dbm, b.best_dbm)
    np.testing.assert_array_equal(a.serving, b.serving)
    cached_coverage(sites.assign(height_m=40.0), dem, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 2


def test_cli_writes_geotiffs_on_the_dem_grid(tmp_path):
    dem = GRID.dem(np.zeros((N, N)))
    dem_path = dem.to_geotiff(tmp_path / "dem.tif")
    sites = pd.DataFrame([GRID.site(), GRID.site(tech="3G", band=2100.0)])
    sites.insert(0, "site_id", ["A", "B"])
    sites.to_csv(tmp_path / "sites.csv", index=False)
    out = tmp_path / "out"
    code = cli.main(["coverage", "--sites", str(tmp_path / "sites.csv"), "--dem", str(dem_path),
                     "--resolution", "90", "--out", str(out)])
    assert code == 0
    with rasterio.open(out / "best_signal_dbm.tif") as src:
        best = src.read(1)
        assert src.crs.to_epsg() == 9208 and src.nodata == -9999 and best.dtype == np.float32
    with rasterio.open(out / "serving_site.tif") as src:
        serving = src.read(1)
        assert serving.dtype == np.int32 and set(np.unique(serving)) <= {-1, 0}
    with rasterio.open(out / "servers.tif") as src:
        assert src.read(1).dtype == np.uint16
    assert (best > -9999).any() and (best[serving == -1] == -9999).all()
    flat = tmp_path / "flat"
    assert cli.main(["coverage", "--sites", str(tmp_path / "sites.csv"), "--out", str(flat)]) == 0
    with rasterio.open(flat / "best_signal_dbm.tif") as src:
        assert src.tags()["warning"] == "terrain not loaded: coverage is optimistic in mountains"
    code = cli.main(["coverage", "--sites", str(tmp_path / "sites.csv"), "--los-only",
                     "--dem", str(dem_path), "--resolution", "90", "--out", str(out)])
    assert code == 0 and (out / "los_count.tif").exists()
    bad = tmp_path / "bad.csv"
    sites.assign(height_m=[30.0, 500.0]).to_csv(bad, index=False)
    assert cli.main(["coverage", "--sites", str(bad), "--out", str(out)]) == 2


@pytest.mark.parametrize("window", [(150, 40, 60, 120), (10, 100, 40, 100), (60, 0, 120, 50)])
def test_a_window_away_from_the_sites_equals_the_same_crop_of_a_full_run(window):
    # Windows that leave out the sites' own rows (south, north) or columns (west): the sweep
    # must still carry each row's state from the observer to the window.
    rng = np.random.default_rng(11)
    elev = np.kron(rng.normal(400, 150, (25, 25)), np.ones((10, 10)))[:N, :N]
    elev = np.pad(elev, ((0, N - elev.shape[0]), (0, N - elev.shape[1])), mode="edge")
    dem = GRID.dem(elev)
    sites = pd.DataFrame([GRID.site(110, 130, height=35.0), GRID.site(125, 150, height=25.0)])
    prepared = prepare_sites(sites, dem)
    group_of = np.zeros(len(sites), np.int64)
    full = run_grids(prepared, dem, group_of, 1)
    part = run_grids(prepared, dem, group_of, 1, window=window)
    r0, c0, ny, nx = window
    crop = np.s_[:, r0:r0 + ny, c0:c0 + nx]
    assert (full["best"][crop] > -200).any()  # the window is within reach
    np.testing.assert_array_equal(part["best"], full["best"][crop])
    np.testing.assert_array_equal(part["best_id"], full["best_id"][crop])
    np.testing.assert_array_equal(part["servers"], full["servers"][crop])
