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

import json
import math
from pathlib import Path

import numpy as np
import pytest

from analysis import propagation as pr
from geo.settings import SETTINGS
from tests.analysis import oracle_profiles as op

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

METHODS = ["delta_bullington", "bullington", "deygout"]
ORACLE = json.loads((Path(__file__).parent / "data" / "p452_oracle.json").read_text())


def _flat_profile(n=101, length=10_000.0):
    return np.linspace(0.0, length, n), np.zeros(n)


def _single_edge_v(d_edge, h_edge, length, tx_h, rx_h, freq):
    bulge = pr.earth_bulge_m(d_edge, length - d_edge)
    los = tx_h + (rx_h - tx_h) * d_edge / length
    return pr.fresnel_v(h_edge + bulge - los, d_edge, length - d_edge, pr.wavelength_m(freq))


def _corrected(l_main, extra_db):
    """P.526-15 / P.452 taper: L + (1 - exp(-L/6)) * extra."""
    return l_main + (1.0 - math.exp(-l_main / 6.0)) * extra_db


@pytest.mark.parametrize(
    ("idx", "height", "tx_h", "rx_h"), [(40, 100.0, 30, 30), (75, 60.0, 45, 2)]
)
def test_single_edge_knife_edge_with_p526_correction(idx, height, tx_h, rx_h):
    d, z = _flat_profile()
    z[idx] = height
    j = pr.knife_edge_loss_db(_single_edge_v(d[idx], height, d[-1], tx_h, rx_h, 900))
    assert j > 10
    # Bullington: (10 + 0.02 d_km); Deygout (P.452-14): no secondary edge, (10 + 0.04 d_km)
    got = pr.profile_diffraction_db(d, z, tx_h, rx_h, 900, "bullington")
    assert got == pytest.approx(_corrected(j, 10.0 + 0.02 * 10), abs=1e-9)
    got = pr.profile_diffraction_db(d, z, tx_h, rx_h, 900, "deygout")
    assert got == pytest.approx(_corrected(j, 10.0 + 0.04 * 10), abs=1e-9)


def test_delta_bullington_single_knife_edge_by_hand():
    """Ridge of 100 m at 4 km on flat ground, 30 m / 30 m, 10 km, 900 MHz, worked through."""
    d, z = _flat_profile()
    z[40] = 100.0
    j = pr.knife_edge_loss_db(_single_edge_v(4_000.0, 100.0, 10_000.0, 30, 30, 900))
    # smooth earth (P.452 5.1.6.2): least-squares line through the piecewise-linear ground,
    # here by a dense resampling and np.polyfit instead of eqs. (161)-(164)
    dense = np.linspace(0.0, 10_000.0, 1_000_001)
    slope, intercept = np.polyfit(dense, np.interp(dense, d, z), 1)
    h_st, h_sr = intercept, intercept + slope * 10_000.0
    # obstruction (5.1.6.3): H = 70 m at 4 km; alpha_obt = 70/4000, alpha_obr = 70/6000
    g_t, g_r = (70 / 4000) / (70 / 4000 + 70 / 6000), (70 / 6000) / (70 / 4000 + 70 / 6000)
    h_std, h_srd = min(h_st - 70 * g_t, 0.0), min(h_sr - 70 * g_r, 0.0)
    terms = pr.delta_bullington_terms(d, z, 30, 30, 900)
    assert terms.h_te_m == pytest.approx(30 - h_std, abs=1e-4)
    assert terms.h_re_m == pytest.approx(30 - h_srd, abs=1e-4)
    assert 70 < terms.h_te_m < 74 and 57 < terms.h_re_m < 60
    assert terms.bulla_db == pytest.approx(_corrected(j, 10.0 + 0.02 * 10), abs=1e-9)
    # ~72 m and ~58 m over a 10 km smooth earth: clear path, no smooth-earth loss
    assert terms.bulls_db == 0.0 and terms.dsph_db == 0.0 and not terms.los
    assert terms.loss_db == terms.bulla_db == pr.profile_diffraction_db(d, z, 30, 30, 900)


@pytest.mark.parametrize("method", ["deygout", "bullington"])
def test_three_point_profile_and_grazing(method):
    d = np.array([0.0, 5_000.0, 10_000.0])
    bulge = pr.earth_bulge_m(5_000, 5_000)
    z = np.array([0.0, 30.0 - bulge, 0.0])  # edge exactly on the line of sight: v = 0
    j0 = pr.knife_edge_loss_db(0.0)
    assert j0 == pytest.approx(6.03, abs=0.01)
    extra = 10.0 + (0.04 if method == "deygout" else 0.02) * 10
    got = pr.profile_diffraction_db(d, z, 30, 30, 1800, method)
    assert got == pytest.approx(_corrected(j0, extra), abs=1e-9)


@pytest.mark.parametrize("method", METHODS)
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
    l_m, l_t = pr.knife_edge_loss_db(v60), pr.knife_edge_loss_db(v30)
    expected = _corrected(l_m, l_t + 0.0 + 10.0 + 0.04 * 10)  # P.452-14 eq. (24)
    got = pr.profile_diffraction_db(d, z, 30, 30, 900, "deygout")
    assert got == pytest.approx(expected, abs=1e-9)
    # Bullington: equivalent edge where the two horizon rays cross
    s_t = (heff[30] - heff[0]) / d[30]
    s_r = (heff[60] - heff[-1]) / (d[-1] - d[60])
    d_b = (heff[-1] - heff[0] + s_r * d[-1]) / (s_t + s_r)
    v_b = pr.fresnel_v(heff[0] + s_t * d_b - 30, d_b, d[-1] - d_b, lam)
    bull = pr.profile_diffraction_db(d, z, 30, 30, 900, "bullington")
    assert bull == pytest.approx(_corrected(pr.knife_edge_loss_db(v_b), 10.2), abs=1e-9)
    assert l_m < bull < got


def _oracle_rows():
    profiles = {p["name"]: p for p in op.all_profiles()}
    for rec in ORACLE["records"]:
        p = profiles[rec["name"]]
        np.testing.assert_allclose(op.fingerprint(p), rec["fingerprint"], rtol=1e-9, atol=1e-6)
        yield rec, p


def test_oracle_fixture_provenance_and_mix():
    prov = ORACLE["provenance"]
    assert prov["tool"].startswith("pycraf 2.1.0")
    assert prov["parameters"]["a_e_km"] == pytest.approx(
        RADIO.k_factor * RADIO.earth_radius_m / 1000.0)
    assert all(r["a_e_50_km"] == pytest.approx(prov["parameters"]["a_e_km"], abs=1e-5)
               for r in ORACLE["records"])
    classes = {}
    for rec in ORACLE["records"]:
        classes[rec["class"]] = classes.get(rec["class"], 0) + 1
    assert classes["los"] >= 30 and classes["one"] >= 100 and classes["two_plus"] >= 100
    assert len({r["name"] for r in ORACLE["records"]}) <= 300


def test_delta_bullington_agrees_with_p452_16_oracle():
    """Every fixture value of pycraf's P.452-16 L_d_50, to the fixture's rounding (1e-6)."""
    worst = 0.0
    for rec, p in _oracle_rows():
        terms = pr.delta_bullington_terms(p["d_m"], p["z_m"], p["tx_h"], p["rx_h"],
                                          rec["freq_mhz"])
        worst = max(worst, abs(terms.loss_db - rec["L_d_50_p452_16"]))
        assert terms.h_te_m == pytest.approx(rec["h_te_diff_m"], abs=1e-5), rec["name"]
        assert terms.h_re_m == pytest.approx(rec["h_re_diff_m"], abs=1e-5), rec["name"]
        assert terms.los == (rec["path_type_50"] == 0), rec["name"]
        assert pr.profile_diffraction_db(p["d_m"], p["z_m"], p["tx_h"], p["rx_h"],
                                         rec["freq_mhz"]) == terms.loss_db
    assert worst < 1e-5


def test_deygout_close_to_p452_14_oracle():
    """P.452-14's Deygout also multiplies each v by the inclination factor zeta = cos(atan(
    dh/d)) (eqs. 14-21), which P.526's construction here leaves out: up to ~1 dB on steep
    mountain paths, 0.05 dB on LOS ones."""
    err = {"los": [], "one": [], "two_plus": []}
    for rec, p in _oracle_rows():
        got = pr.profile_diffraction_db(p["d_m"], p["z_m"], p["tx_h"], p["rx_h"],
                                        rec["freq_mhz"], "deygout")
        err[rec["class"]].append(got - rec["L_d_50_p452_14"])
    for cls, e in err.items():
        e = np.asarray(e)
        assert abs(e.mean()) < 0.2 and np.sqrt(np.mean(e ** 2)) < 0.3, cls
        assert np.abs(e).max() < (0.1 if cls == "los" else 1.2), cls


def test_flat_ground_loss_is_smooth_earth_diffraction():
    """Over flat ground a 1.5 m receiver does see 5-21 dB at 3-15 km (900 MHz, 30 m tx): the
    spherical-earth term of P.452-16, not an artefact. Deygout, now tapered, tells the same
    story as P.452-14 (within 0.05 dB) and delta-Bullington as P.452-16."""
    flats = [(r, p) for r, p in _oracle_rows() if r["family"] == "flat" and p["tx_h"] == 30
             and r["freq_mhz"] == 900 and 3_000 <= p["d_m"][-1] <= 15_000]
    assert len(flats) == 4
    for rec, p in flats:
        args = (p["d_m"], p["z_m"], p["tx_h"], p["rx_h"], 900.0)
        terms = pr.delta_bullington_terms(*args)
        assert terms.bulla_db == pytest.approx(terms.bulls_db, abs=1e-9)  # flat: same path
        assert terms.loss_db == pytest.approx(max(terms.bulla_db, terms.dsph_db), abs=1e-9)
        assert 4.0 < terms.loss_db < 21.0
        assert pr.profile_diffraction_db(*args, "deygout") == pytest.approx(
            rec["L_d_50_p452_14"], abs=0.05)


def test_spherical_earth_beyond_the_horizon():
    """Two-point 60 km profile over flat ground: no Bullington edge, L_d = L_dsph (beyond
    d_los = sqrt(2 a_e)(sqrt(h_te/1000) + sqrt(h_re/1000)) = 27.6 km, first-term L_dft)."""
    terms = pr.delta_bullington_terms([0.0, 60_000.0], [0.0, 0.0], 30, 1.5, 900)
    assert terms.bulla_db == 0.0 and terms.bulls_db == 0.0
    assert terms.loss_db == terms.dsph_db > 30.0
    vertical = pr.delta_bullington_terms([0.0, 60_000.0], [0.0, 0.0], 30, 1.5, 900,
                                         polarization="vertical")
    assert vertical.dsph_db != terms.dsph_db


def test_profile_validation():
    with pytest.raises(ValueError, match="increase"):
        pr.profile_diffraction_db([0, 10, 5], [0, 0, 0], 30, 2, 900)
    with pytest.raises(ValueError, match="same length"):
        pr.profile_diffraction_db([0, 10, 20], [0, 0], 30, 2, 900)
    with pytest.raises(ValueError, match="method"):
        pr.profile_diffraction_db([0, 10, 20], [0, 0, 0], 30, 2, 900, "epstein")
    with pytest.raises(ValueError, match="increase"):
        pr.delta_bullington_terms([0, 10, 5], [0, 0, 0], 30, 2, 900)
    with pytest.raises(ValueError, match="polarization"):
        pr.delta_bullington_terms([0, 10, 20], [0, 0, 0], 30, 2, 900, polarization="circular")
    with pytest.raises(ValueError, match="heights"):
        pr.delta_bullington_terms([0, 10, 20], [0, 0, 0], -1, 2, 900)


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
    for name, code in pr.DIFFRACTION_METHODS.items():
        assert pr.profile_diffraction_kernel(
            dd, z, 30.0, 30.0, 900.0, code, RADIO.k_factor, RADIO.earth_radius_m
        ) == pr.profile_diffraction_db(dd, z, 30, 30, 900, name)
    assert pr.delta_bullington_kernel(
        dd, z, 30.0, 30.0, 900.0, RADIO.k_factor, RADIO.earth_radius_m, False
    )[0] == pr.profile_diffraction_db(dd, z, 30, 30, 900)
