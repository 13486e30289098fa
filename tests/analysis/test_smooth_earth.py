"""The smooth-earth terms of delta-Bullington and their tables (analysis.smooth_earth)."""

from __future__ import annotations

import math

import numpy as np

from analysis import smooth_earth as se
from analysis.propagation import delta_bullington_terms, spherical_earth_loss_kernel
from geo.settings import SETTINGS

A_E = SETTINGS.radio.k_factor * SETTINGS.radio.earth_radius_m


def _exact(d, f, hte, hre):
    sph = spherical_earth_loss_kernel(d / 1e3, f, A_E / 1e3, hte, hre, False)
    bulls = se.smooth_bullington_db(d, f, hte, hre, A_E)
    return max(sph - bulls, 0.0), max(sph, bulls)


def test_tables_read_trilinearly_in_log_coordinates_follow_the_formulas():
    tab = se.delta_sph_table(1800.0)
    d_axis, h_axis = se.table_axes()
    rng = np.random.default_rng(7)
    errors = []
    for _ in range(1500):
        x = (math.exp(rng.uniform(math.log(100.0), math.log(30_000.0))),
             math.exp(rng.uniform(0.0, math.log(2_000.0))),
             math.exp(rng.uniform(math.log(1.5), math.log(1_000.0))))
        pos = [(math.log(v) - math.log(ax[0])) / math.log(ax[1] / ax[0])
               for v, ax in zip(x, (d_axis, h_axis, h_axis), strict=True)]
        i, w = np.floor(pos).astype(int), np.array(pos) % 1.0
        corner = tab[i[0]:i[0] + 2, i[1]:i[1] + 2, i[2]:i[2] + 2]  # (2, 2, 2, field)
        weights = np.einsum("i,j,k->ijk", *[np.array([1 - v, v]) for v in w])
        got = np.einsum("ijk,ijkf->f", weights, corner)
        errors.append(got - np.array(_exact(x[0], 1800.0, x[1], x[2])))
    errors = np.abs(np.array(errors))
    assert errors.max() < 0.75 and np.sqrt(np.mean(errors ** 2)) < 0.06


def test_flat_ground_is_delta_bullington_over_a_flat_profile():
    d = np.array([1_000.0, 3_000.0, 8_000.0, 15_000.0])
    got = se.flat_ground_db(d, 900.0, 30.0, 1.5)
    for dist, value in zip(d, got, strict=True):
        x = np.linspace(0.0, dist, int(dist / 10.0) + 1)
        ref = delta_bullington_terms(x, np.zeros_like(x), 30.0, 1.5, 900.0).loss_db
        assert abs(value - ref) < 0.3
    assert got[0] < got[1] < got[2] < got[3]  # the earth's bulge costs more with distance


def test_smooth_bullington_beyond_the_horizon_is_the_knife_edge_of_the_two_horizons():
    # 20 km between two 10 m antennas (radio horizons 13 km each): the Bullington point is
    # where the two tangents meet; worked by hand from P.526-15 §4.5.2.
    d, h = 40_000.0, 10.0
    x = math.sqrt(2.0 * A_E * h)
    s_tim = (d - x) / (2.0 * A_E) - h / x
    db = d / 2.0  # symmetric
    height = h + s_tim * db - h
    lam = 299_792_458.0 / 900e6
    v = height * math.sqrt(2.0 * d / (lam * db * (d - db)))
    j = 6.9 + 20.0 * math.log10(math.sqrt((v - 0.1) ** 2 + 1.0) + v - 0.1)
    expected = j + (1.0 - math.exp(-j / 6.0)) * (10.0 + 0.02 * d / 1000.0)
    assert abs(se.smooth_bullington_db(d, 900.0, h, h, A_E) - expected) < 1e-6
