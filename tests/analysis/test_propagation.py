"""Propagation models against published worked values and hand calculations.

Sources of the reference numbers:

* ITU-R P.525-4: free-space loss 32.44 + 20 log f_MHz + 20 log d_km.
* ns-3 ``src/propagation/test/okumura-hata-test-suite.cc`` (reference values from its octave
  scripts): f = 869 MHz, d = 2 km, hb = 30 m, hm = 1 m -> large city 137.93 dB, small city
  137.88 dB, suburban 128.03 dB; COST-231 medium city at 2114 MHz -> 150.64 dB. (Its
  open-area and COST-231 large-city scripts deviate from Hata/COST-231: 4.70 instead of 4.78
  and a(hm) without the -4.97 term, so those two values are not used.)
* ns-3 ``src/propagation/test/three-gpp-propagation-loss-model-test-suite.cc``: TR 38.901 RMa
  at 5 GHz, hBS = 35 m, hUT = 1.5 m, W = 20 m, h = 5 m, Pt = 0 dBm, shadowing off.
* Rappaport, *Wireless Communications*, 2nd ed., Example 4.7: lambda = 1/3 m,
  d1 = d2 = 1 km, h = 25 m -> v = 2.74, loss ~ 22 dB (21.7 dB with Lee's approximation).
* ITU-R P.526-15: J(v) eq. (31) and the exact Fresnel-integral loss eq. (27) (J(0) = 6.02 dB).
* 3GPP TR 36.814 Table A.2.1.1-2: sector pattern, -3 dB at half the beamwidth, A_m = 25 dB.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import propagation as pr
from geo.settings import SETTINGS

RADIO = SETTINGS.radio
BANDS_MHZ = sorted(RADIO.max_radius_m)


# --- free space ---------------------------------------------------------------------------


def test_free_space_p525_values():
    assert pr.free_space_loss_db(1_000, 900) == pytest.approx(91.52, abs=0.01)
    # 10 km at 2100 MHz: 32.44 + 66.444 + 20 = 118.88 dB
    assert pr.free_space_loss_db(10_000, 2100) == pytest.approx(118.88, abs=0.01)
    # 20 dB per decade of distance, 6.02 dB per doubling of frequency
    loss = pr.free_space_loss_db(np.array([1e3, 1e4]), np.array([[900.0], [1800.0]]))
    assert loss.shape == (2, 2)
    assert loss[0, 1] - loss[0, 0] == pytest.approx(20.0)
    assert loss[1, 0] - loss[0, 0] == pytest.approx(6.0206, abs=1e-3)


def test_scalar_in_float_out():
    assert isinstance(pr.free_space_loss_db(1_000, 900), float)
    assert isinstance(pr.okumura_hata_db(2_000, 900, 30, 1.5, "rural"), float)


# --- Okumura-Hata / COST-231 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [("urban_large", 137.93), ("urban", 137.88), ("suburban", 128.03)],
)
def test_hata_ns3_reference(environment, expected):
    assert pr.okumura_hata_db(2_000, 869, 30, 1, environment) == pytest.approx(expected, abs=0.02)


def test_hata_open_area_hand_value():
    # 137.877 (small city) - 4.78 (log 869)^2 + 18.33 log 869 - 40.94 = 109.52 dB
    assert pr.okumura_hata_db(2_000, 869, 30, 1, "rural") == pytest.approx(109.52, abs=0.02)


def test_hata_textbook_large_city():
    # f = 900 MHz, hb = 100 m, hm = 2 m, d = 4 km, large city (f >= 300 MHz a(hm)):
    # 69.55 + 77.283 - 27.64 - 1.046 + 31.8 * 0.60206 = 137.29 dB
    assert pr.okumura_hata_db(4_000, 900, 100, 2, "urban_large") == pytest.approx(137.29, abs=0.02)


def test_hata_distance_slope_and_order():
    d = np.array([1_000.0, 10_000.0])
    loss = pr.okumura_hata_db(d, 900, 30, 1.5, "urban")
    assert loss[1] - loss[0] == pytest.approx(44.9 - 6.55 * math.log10(30), abs=1e-9)
    envs = ["urban_large", "urban", "suburban", "rural"]
    vals = [pr.okumura_hata_db(5_000, 900, 35, 1.5, e) for e in envs]
    assert vals[1] > vals[2] > vals[3]


def test_cost231_values():
    # ns-3 COST-231 medium city at 2114 MHz goes through the stretched dispatcher range
    assert pr.path_loss_db(2_000, 2114, 30, 1, "urban") == pytest.approx(150.64, abs=0.02)
    # 1800 MHz, 30 m / 1.5 m, 5 km, medium city, by hand:
    # 46.3 + 110.354 - 20.414 - 0.043 + 35.225 * 0.69897 = 160.82 dB
    urban = pr.cost231_hata_db(5_000, 1800, 30, 1.5, "urban")
    assert urban == pytest.approx(160.82, abs=0.02)
    large = pr.cost231_hata_db(5_000, 1800, 30, 1.5, "urban_large")
    a_small = (1.1 * math.log10(1800) - 0.7) * 1.5 - (1.56 * math.log10(1800) - 0.8)
    a_large = 3.2 * math.log10(11.75 * 1.5) ** 2 - 4.97
    assert large - urban == pytest.approx(3.0 + a_small - a_large, abs=1e-9)
    rural = pr.cost231_hata_db(5_000, 1800, 30, 1.5, "rural")
    lf = math.log10(1800)
    assert rural - urban == pytest.approx(-4.78 * lf**2 + 18.33 * lf - 40.94, abs=1e-9)


@pytest.mark.parametrize(
    ("func", "freq"),
    [
        (pr.okumura_hata_db, 1800.0),
        (pr.okumura_hata_db, 100.0),
        (pr.cost231_hata_db, 900.0),
        (pr.cost231_hata_db, 2100.0),
    ],
)
def test_hata_frequency_range_enforced(func, freq):
    with pytest.raises(ValueError, match="MHz"):
        func(2_000, freq, 30, 1.5, "urban")


def test_bad_inputs_rejected():
    with pytest.raises(ValueError, match="environment"):
        pr.okumura_hata_db(2_000, 900, 30, 1.5, "jungle")
    with pytest.raises(ValueError, match="distance_m"):
        pr.free_space_loss_db([1_000, 0], 900)
    with pytest.raises(ValueError, match="MHz"):
        pr.rma_38901_db(1_000, 400, 35, 1.5, False)
    with pytest.raises(ValueError, match="MHz"):
        pr.path_loss_db(1_000, 7_000, 35, 1.5)


# --- 3GPP TR 38.901 RMa -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d2d", "los", "expected"),
    [
        (10.0, True, 77.3784), (100.0, True, 87.2965), (1_000.0, True, 108.5577),
        (10_000.0, True, 140.3896), (10.0, False, 77.3784), (100.0, False, 95.7718),
        (1_000.0, False, 133.5223), (5_000.0, False, 160.5169),
    ],
)
def test_rma_ns3_reference(d2d, los, expected):
    loss = pr.rma_38901_db(d2d, 5_000, 35, 1.5, los, street_width_m=20, building_height_m=5)
    assert loss == pytest.approx(expected, abs=0.05)


def test_rma_breakpoint():
    # d_BP = 2 pi * 35 * 1.5 * 3.5e9 / 3e8 = 3848.45 m
    d_bp = pr.rma_breakpoint_m(3_500, 35, 1.5)
    assert d_bp == pytest.approx(3848.45, abs=0.01)
    below, above = pr.rma_38901_db([d_bp * 0.999, d_bp * 1.001], 3_500, 35, 1.5, True)
    assert abs(above - below) < 0.1  # continuous across the breakpoint
    far = pr.rma_38901_db([2 * d_bp, 4 * d_bp], 3_500, 35, 1.5, True)
    assert far[1] - far[0] == pytest.approx(40 * math.log10(2), abs=0.01)  # 40 dB/decade


def test_rma_nlos_never_below_los():
    d = np.geomspace(10, 5_000, 50)
    nlos = pr.rma_38901_db(d, 3_700, 30, 1.5, False)
    los = pr.rma_38901_db(d, 3_700, 30, 1.5, True)
    assert np.all(nlos >= los)
    mixed = pr.rma_38901_db(d, 3_700, 30, 1.5, d < 1_000)
    np.testing.assert_allclose(mixed, np.where(d < 1_000, los, nlos))


# --- dispatcher ---------------------------------------------------------------------------


@pytest.mark.parametrize("band", BANDS_MHZ)
def test_dispatcher_model_per_band(band):
    d = np.array([200.0, 1_000.0, 5_000.0])
    got = pr.path_loss_db(d, band, 35, RADIO.receiver_height_m, "rural")
    fs = pr.free_space_loss_db(d, band)
    if band < 1_500:
        model = pr.okumura_hata_db(d, band, 35, RADIO.receiver_height_m, "rural")
    elif band <= 2_000:
        model = pr.cost231_hata_db(d, band, 35, RADIO.receiver_height_m, "rural")
    elif band <= RADIO.cost231_max_mhz:  # 2100: COST-231 stretched past its 2000 MHz limit
        model = np.array(
            [pr.cost231_kernel(x, band, 35, RADIO.receiver_height_m, pr.RURAL) for x in d]
        )
        assert band == 2_100
    else:
        model = pr.rma_38901_db(d, band, 35, RADIO.receiver_height_m, False)
    np.testing.assert_allclose(got, np.maximum(model, fs), atol=1e-9)
    assert np.all(got >= fs - 1e-9)
    assert np.all(np.diff(got) > 0)


def test_dispatcher_boundaries():
    d, hb, hm, env, code = 5_000.0, 35.0, 1.5, "urban", pr.URBAN
    assert pr.path_loss_db(d, 1_499.0, hb, hm, env) == pr.okumura_hata_db(d, 1_499.0, hb, hm, env)
    assert pr.path_loss_db(d, 1_500.0, hb, hm, env) == pr.cost231_hata_db(d, 1_500.0, hb, hm, env)
    top = RADIO.cost231_max_mhz
    assert pr.path_loss_db(d, top, hb, hm, env) == pr.cost231_kernel(d, top, hb, hm, code)
    above = top + 1.0
    assert pr.path_loss_db(d, above, hb, hm, env) == pr.rma_38901_db(d, above, hb, hm, False)


def test_dispatcher_free_space_floor_and_los():
    # Hata open area at 100 m is far below free space; the dispatcher floors it.
    hata = pr.okumura_hata_db(100, 900, 35, 1.5, "rural")
    fs = pr.free_space_loss_db(100, 900)
    assert hata < fs
    assert pr.path_loss_db(100, 900, 35, 1.5, "rural") == pytest.approx(fs)
    los = pr.path_loss_db(2_000, 3_700, 35, 1.5, los=True)
    nlos = pr.path_loss_db(2_000, 3_700, 35, 1.5)
    assert los == pytest.approx(pr.rma_38901_db(2_000, 3_700, 35, 1.5, True))
    assert nlos > los + 10


# --- knife edge, earth bulge --------------------------------------------------------------


def _exact_knife_edge_db(v: float) -> float:
    """P.526-15 eq. (27) with numerically integrated Fresnel integrals."""
    t = np.linspace(0.0, v, 20_001)
    c = np.trapezoid(np.cos(np.pi * t**2 / 2), t)
    s = np.trapezoid(np.sin(np.pi * t**2 / 2), t)
    return -20 * math.log10(math.hypot(1 - c - s, c - s) / 2)


def test_knife_edge_p526_values():
    assert pr.knife_edge_loss_db(0.0) == pytest.approx(6.02, abs=0.05)
    assert pr.knife_edge_loss_db(1.0) == pytest.approx(13.9, abs=0.1)
    assert pr.knife_edge_loss_db(-0.78) == pytest.approx(0.0, abs=0.01)
    assert pr.knife_edge_loss_db(-2.0) == 0.0
    assert pr.knife_edge_loss_db(-0.77) == pytest.approx(0.0, abs=0.1)
    v = np.linspace(-0.7, 5, 60)
    assert np.all(np.diff(pr.knife_edge_loss_db(v)) > 0)
    for vi in (0.0, 0.5, 1.0, 2.0, 3.0):  # approximation within 0.5 dB of the exact loss
        assert pr.knife_edge_loss_db(vi) == pytest.approx(_exact_knife_edge_db(vi), abs=0.5)


def test_knife_edge_rappaport_example():
    v = pr.fresnel_v(25, 1_000, 1_000, 1 / 3)
    assert v == pytest.approx(2.74, abs=0.005)
    assert pr.knife_edge_loss_db(v) == pytest.approx(21.7, abs=0.3)
    assert pr.fresnel_v(-25, 1_000, 1_000, 1 / 3) == pytest.approx(-2.74, abs=0.005)
    assert pr.knife_edge_loss_db(pr.fresnel_v(0, 1_000, 1_000, 1 / 3)) == pytest.approx(6.03, 0.01)


def test_earth_bulge():
    assert pr.earth_bulge_m(25_000, 25_000) == pytest.approx(36.79, abs=0.05)
    assert pr.earth_bulge_m(0, 50_000) == 0.0
    assert pr.earth_bulge_m(25_000, 25_000, k=1.0) == pytest.approx(36.79 * 4 / 3, abs=0.05)


# --- terrain profiles ---------------------------------------------------------------------


def _flat_profile(n=101, length=10_000.0):
    return np.linspace(0.0, length, n), np.zeros(n)


def _single_edge_expected(d_edge, h_edge, length, tx_h, rx_h, freq):
    bulge = pr.earth_bulge_m(d_edge, length - d_edge)
    los = tx_h + (rx_h - tx_h) * d_edge / length
    v = pr.fresnel_v(h_edge + bulge - los, d_edge, length - d_edge, pr.wavelength_m(freq))
    return pr.knife_edge_loss_db(v)


@pytest.mark.parametrize("method", ["deygout", "bullington"])
@pytest.mark.parametrize(
    ("idx", "height", "tx_h", "rx_h"), [(40, 100.0, 30, 30), (75, 60.0, 45, 2)]
)
def test_single_edge_equals_knife_edge(method, idx, height, tx_h, rx_h):
    d, z = _flat_profile()
    z[idx] = height
    expected = _single_edge_expected(d[idx], height, d[-1], tx_h, rx_h, 900)
    assert expected > 10
    got = pr.profile_diffraction_db(d, z, tx_h, rx_h, 900, method)
    assert got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("method", ["deygout", "bullington"])
def test_three_point_profile_and_grazing(method):
    d = np.array([0.0, 5_000.0, 10_000.0])
    bulge = pr.earth_bulge_m(5_000, 5_000)
    z = np.array([0.0, 30.0 - bulge, 0.0])  # edge exactly on the line of sight: v = 0
    assert pr.profile_diffraction_db(d, z, 30, 30, 1800, method) == pytest.approx(6.03, abs=0.01)


@pytest.mark.parametrize("method", ["deygout", "bullington"])
def test_clear_path_is_zero(method):
    d, z = _flat_profile()
    assert pr.profile_diffraction_db(d, z, 30, 30, 900, method) == 0.0
    z[50] = 5.0  # small hump far below the first Fresnel zone
    assert pr.profile_diffraction_db(d, z, 30, 30, 900, method) == 0.0


def test_deygout_two_edges_by_hand():
    d, z = _flat_profile()
    z[30], z[60] = 80.0, 90.0
    lam = pr.wavelength_m(900)
    heff = z + pr.earth_bulge_m(d, d[-1] - d)
    heff[0] += 30
    heff[-1] += 30
    # main edge: index 60 (largest v over tx-rx); secondary: index 30 between tx and edge 60
    v60 = pr.fresnel_v(heff[60] - 30, d[60], d[-1] - d[60], lam)
    v30_main = pr.fresnel_v(heff[30] - 30, d[30], d[-1] - d[30], lam)
    assert v60 > v30_main
    los30 = heff[0] + (heff[60] - heff[0]) * d[30] / d[60]
    v30 = pr.fresnel_v(heff[30] - los30, d[30], d[60] - d[30], lam)
    expected = pr.knife_edge_loss_db(v60) + pr.knife_edge_loss_db(v30)
    got = pr.profile_diffraction_db(d, z, 30, 30, 900, "deygout")
    assert got == pytest.approx(expected, abs=1e-9)
    # Bullington: equivalent edge where the two horizon rays cross
    s_t = (heff[30] - heff[0]) / d[30]
    s_r = (heff[60] - heff[-1]) / (d[-1] - d[60])
    d_b = (heff[-1] - heff[0] + s_r * d[-1]) / (s_t + s_r)
    v_b = pr.fresnel_v(heff[0] + s_t * d_b - 30, d_b, d[-1] - d_b, lam)
    bull = pr.profile_diffraction_db(d, z, 30, 30, 900, "bullington")
    assert bull == pytest.approx(pr.knife_edge_loss_db(v_b), abs=1e-9)
    assert pr.knife_edge_loss_db(v60) < bull < got


def test_profile_validation():
    with pytest.raises(ValueError, match="increase"):
        pr.profile_diffraction_db([0, 10, 5], [0, 0, 0], 30, 2, 900)
    with pytest.raises(ValueError, match="same length"):
        pr.profile_diffraction_db([0, 10, 20], [0, 0], 30, 2, 900)
    with pytest.raises(ValueError, match="method"):
        pr.profile_diffraction_db([0, 10, 20], [0, 0, 0], 30, 2, 900, "epstein")


# --- antenna ------------------------------------------------------------------------------


def test_antenna_pattern_36814():
    bw = 65.0
    bearings = np.array([120.0, 120 + bw / 2, 120 - bw / 2, 300.0, 120 + bw])
    gain = pr.antenna_gain_db(bearings, 120.0, bw)
    np.testing.assert_allclose(gain, [0.0, -3.0, -3.0, -RADIO.antenna_front_to_back_db, -12.0])
    assert pr.antenna_gain_db(350.0, 10.0, bw) == pytest.approx(pr.antenna_gain_db(30.0, 10.0, bw))
    assert pr.antenna_gain_db(0.0, 90.0, bw, front_to_back_db=20) == pytest.approx(-20.0)
    assert pr.antenna_gain_db(77.0, None, bw) == 0.0
    np.testing.assert_array_equal(pr.antenna_gain_db([10.0, 200.0], None, bw), [0.0, 0.0])
    np.testing.assert_allclose(pr.antenna_gain_db(200.0, [np.nan, 20.0], bw), [0.0, -25.0])


# --- kernels equal the vectorised functions -----------------------------------------------


def test_kernels_match_vectorised():
    rng = np.random.default_rng(7)
    n = 40
    d = rng.uniform(50, 20_000, n)
    hb = rng.uniform(15, 60, n)
    hm = rng.uniform(1, 3, n)
    f_hata = rng.uniform(150, 1500, n)
    f_cost = rng.uniform(1500, 2000, n)
    f_rma = rng.uniform(2200, 6000, n)
    f_any = rng.choice(BANDS_MHZ, n).astype(float)
    los = rng.random(n) < 0.5
    w, h = RADIO.rma_street_width_m, RADIO.rma_building_height_m
    for env, code in pr.ENVIRONMENT_CODES.items():
        hata = pr.okumura_hata_db(d, f_hata, hb, hm, env)
        cost = pr.cost231_hata_db(d, f_cost, hb, hm, env)
        disp = pr.path_loss_db(d, f_any, hb, hm, env, los=los)
        for i in range(n):
            assert pr.hata_kernel(d[i], f_hata[i], hb[i], hm[i], code) == hata[i]
            assert pr.cost231_kernel(d[i], f_cost[i], hb[i], hm[i], code) == cost[i]
            assert pr.path_loss_kernel(
                d[i], f_any[i], hb[i], hm[i], code, los[i], w, h, RADIO.cost231_max_mhz
            ) == disp[i]
    fs = pr.free_space_loss_db(d, f_any)
    rma = pr.rma_38901_db(d, f_rma, hb, hm, los)
    v = rng.uniform(-2, 5, n)
    j = pr.knife_edge_loss_db(v)
    bearing = rng.uniform(0, 360, n)
    gain = pr.antenna_gain_db(bearing, 45.0, 65.0)
    for i in range(n):
        assert pr.free_space_kernel(d[i], f_any[i]) == fs[i]
        if los[i]:
            assert pr.rma_los_kernel(d[i], f_rma[i], hb[i], hm[i], h) == rma[i]
        else:
            assert pr.rma_nlos_kernel(d[i], f_rma[i], hb[i], hm[i], w, h) == rma[i]
        assert pr.knife_edge_kernel(v[i]) == j[i]
        assert pr.antenna_gain_kernel(
            bearing[i], 45.0, 65.0, RADIO.antenna_front_to_back_db
        ) == gain[i]
    dd, z = _flat_profile()
    z[40] = 100.0
    assert pr.profile_diffraction_kernel(
        dd, z, 30.0, 30.0, 900.0, pr.DEYGOUT, RADIO.k_factor, RADIO.earth_radius_m
    ) == pr.profile_diffraction_db(dd, z, 30, 30, 900)
