"""Clutter loss at the receiver (ITU-R P.2108-1 §3.1) and its use by the coverage engine.

The reference values are worked by hand from P.2108-1 §3.1 (h = 1.5 m, w_s = 27 m):

1800 MHz, f = 1.8 GHz: K_h2 = 21.8 + 6.2 log10 1.8 = 23.3827, K_nu = 0.342 √1.8 = 0.458836.
- open/rural, R = 10 m: A_h = −K_h2 log10(1.5/10) = 23.3827 × 0.823909 = 19.2652 dB.
- suburban, R = 10 m: h_dif = 8.5, θ = atan(8.5/27) = 17.4749°, ν = K_nu √(8.5 × 17.4749)
  = 0.458836 × 12.1875 = 5.59207; J = 6.9 + 20 log10(√(5.49207² + 1) + 5.49207)
  = 6.9 + 20 log10(11.07236) = 27.7846; A_h = 21.7546 dB.
- trees/forest, R = 15 m: h_dif = 13.5, θ = atan(0.5) = 26.5651°, ν = 0.458836 × √358.629
  = 0.458836 × 18.9375 = 8.68920; J = 6.9 + 20 log10(√(8.58920² + 1) + 8.58920)
  = 6.9 + 20 log10(17.23642) = 31.6286; A_h = 25.5986 dB.
900 MHz, f = 0.9 GHz: K_h2 = 21.8 + 6.2 log10 0.9 = 21.5163; open/rural R = 10 m:
  A_h = 21.5163 × 0.823909 = 17.7275 dB.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.clutter import (
    apply_clutter,
    clutter_correction_db,
    terminal_clutter_loss_db,
)
from analysis.coverage import DIFFRACTION_MODEL, compute_coverage
from geo.settings import SETTINGS
from tests.worlds import Grid

HAND = [  # (MHz, clutter type, R m, A_h dB worked by hand above)
    (1800.0, "open_rural", 10.0, 19.2652),
    (1800.0, "suburban", 10.0, 21.7546),
    (1800.0, "trees_forest", 15.0, 25.5986),
    (900.0, "open_rural", 10.0, 17.7275),
]


@pytest.mark.parametrize(("freq", "clutter", "height", "expected"), HAND)
def test_terminal_clutter_loss_matches_hand_worked_p2108(freq, clutter, height, expected):
    assert terminal_clutter_loss_db(freq, clutter, height) == pytest.approx(expected, abs=0.01)


def test_no_loss_above_the_clutter_and_clamped_frequency():
    assert terminal_clutter_loss_db(1800.0, "trees_forest", 15.0, antenna_height_m=20.0) == 0.0
    # P.2108 §3.1 stops at 3 GHz: 3.7 GHz gets the 3 GHz value.
    assert (terminal_clutter_loss_db(3700.0, "urban", 15.0)
            == terminal_clutter_loss_db(3000.0, "urban", 15.0))
    with pytest.raises(ValueError, match="clutter type"):
        terminal_clutter_loss_db(1800.0, "jungle", 15.0)


def test_correction_is_relative_to_the_median_models_own_clutter():
    # Tree cover (10): forest minus suburban at 1800 MHz = 25.5986 − 21.7546 dB.
    assert clutter_correction_db(1800.0, 10) == pytest.approx(3.8440, abs=0.01)
    # Cropland (40): open ground fares better than the suburban assumption.
    assert clutter_correction_db(1800.0, 40) == pytest.approx(19.2652 - 21.7546, abs=0.01)
    assert clutter_correction_db(1800.0, 0) == 0.0  # nodata
    assert clutter_correction_db(1800.0, 7) == 0.0  # not a class


def test_apply_clutter_uses_the_serving_sites_band():
    best = np.full((1, 3), -80.0, np.float32)
    serving = np.array([[0, 1, -1]])
    classes = np.full((1, 3), 10, np.uint8)
    out = apply_clutter(best, serving, np.array([1800.0, 900.0]), classes)
    assert out[0, 0] == pytest.approx(-80.0 - clutter_correction_db(1800.0, 10), abs=1e-4)
    assert out[0, 1] == pytest.approx(-80.0 - clutter_correction_db(900.0, 10), abs=1e-4)
    assert out[0, 2] == -80.0  # no server: nothing to lose
    assert apply_clutter(best, serving, np.array([1800.0, 900.0]), None) is best


GRID = Grid(size=61)


def test_forest_cell_loses_the_tables_db_and_no_landcover_changes_nothing():
    n, c = GRID.size, GRID.centre
    sites = pd.DataFrame([GRID.site(band=1800.0)])
    dem = GRID.dem(np.zeros((n, n)))
    plain = compute_coverage(sites, dem).layers[("Viettel", "4G")]
    classes = np.full((n, n), 50, np.uint8)  # built-up
    classes[:, c + 10:] = 10  # tree cover to the east
    classes[:, : c - 10] = 40  # cropland to the west
    result = compute_coverage(sites, dem, landcover=classes, landcover_source="wc.tif")
    layer = result.layers[("Viettel", "4G")]
    assert result.landcover == "wc.tif" and plain.best_dbm.shape == layer.best_dbm.shape
    forest = clutter_correction_db(1800.0, 10)
    crop = clutter_correction_db(1800.0, 40)
    built = clutter_correction_db(1800.0, 50)
    np.testing.assert_allclose(plain.best_dbm[c, c + 15] - layer.best_dbm[c, c + 15], forest,
                               atol=1e-4)
    np.testing.assert_allclose(plain.best_dbm[c, c - 15] - layer.best_dbm[c, c - 15], crop,
                               atol=1e-4)
    np.testing.assert_allclose(plain.best_dbm[c, c + 3] - layer.best_dbm[c, c + 3], built,
                               atol=1e-4)
    assert forest > 3.0 and crop < 0.0
    # Without land cover: the same grids as before, and no land cover source.
    again = compute_coverage(sites, dem, landcover=None)
    np.testing.assert_array_equal(again.layers[("Viettel", "4G")].best_dbm, plain.best_dbm)
    assert again.landcover == ""
    # Cells the forest pushes below the covered threshold count no server.
    thr = SETTINGS.radio.covered_dbm["4G"]
    lost = (plain.best_dbm >= thr) & ~(np.nan_to_num(layer.best_dbm, nan=-999) >= thr)
    assert (layer.servers[lost] == 0).all()


def test_command_line_landcover_and_its_tags(tmp_path, capsys):
    import rasterio

    from analysis import __main__ as cli
    from tests.geo import test_landcover as lc_tests

    grid = Grid(size=121)  # 10.9 km: the effective height's 3–15 km annulus partly inside
    dem_path = grid.dem(np.zeros((grid.size, grid.size))).to_geotiff(tmp_path / "dem.tif")
    tile = lc_tests._tile(tmp_path / "ESA_WorldCover_10m_2021_v200_N21E102_Map.tif", grid=grid)
    sites = pd.DataFrame([grid.site()])
    sites.insert(0, "site_id", ["A"])
    sites.to_csv(tmp_path / "sites.csv", index=False)
    base = ["coverage", "--sites", str(tmp_path / "sites.csv"), "--dem", str(dem_path),
            "--resolution", "90", "--out"]
    assert cli.main([*base, str(tmp_path / "plain")]) == 0
    assert "land cover not loaded" in capsys.readouterr().err
    assert cli.main([*base, str(tmp_path / "lc"), "--landcover", str(tile)]) == 0
    assert "land cover not loaded" not in capsys.readouterr().err
    # West third of the tile is tree cover: those cells lose the forest's dB.
    cells = [grid.xy(row, col) for row in (50, 60, 70) for col in (25, 30, 35)]
    with rasterio.open(tmp_path / "plain" / "best_signal_dbm.tif") as src:
        plain, tags = np.array([v[0] for v in src.sample(cells)]), src.tags()
    assert tags["landcover"] == "none" and tags["landcover_warning"].startswith("land cover")
    assert tags["diffraction_model"] == DIFFRACTION_MODEL
    with rasterio.open(tmp_path / "lc" / "best_signal_dbm.tif") as src:
        with_lc, tags = np.array([v[0] for v in src.sample(cells)]), src.tags()
    assert tags["landcover"] == tile.name and not tags.get("landcover_warning")
    assert tags["clutter_model"].startswith("ITU-R P.2108")
    assert (plain > -9999).all()
    np.testing.assert_allclose(plain - with_lc, clutter_correction_db(1800.0, 10), atol=1e-3)


def test_bands_of_the_group_only():
    from analysis.clutter import band_by_site

    bands = band_by_site(np.array([0, 1, 2]), np.array([1800.0, 2100.0, 900.0]),
                         np.array([True, False, True]))
    assert bands[0] == 1800.0 and np.isnan(bands[1]) and bands[2] == 900.0
    best = np.full((1, 2), -80.0, np.float32)
    out = apply_clutter(best, np.array([[0, 2]]), bands, np.full((1, 2), 10, np.uint8))
    np.testing.assert_allclose(out[0], [-80.0 - clutter_correction_db(1800.0, 10),
                                        -80.0 - clutter_correction_db(900.0, 10)], atol=1e-4)
