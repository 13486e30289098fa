"""Smooth-earth terms of the delta-Bullington terrain diffraction (ITU-R P.526-15 §4.5,
as in ITU-R P.452-16 §4.2), and their tables for the grid engine.

Delta-Bullington adds to the Bullington loss of the real profile the part of the spherical-earth
diffraction loss that Bullington misses over a smooth earth:

    L_d = L_bull(profile) + max(L_sph(d, h'te, h're) - L_bull(smooth; d, h'te, h're), 0)

with ``h'te``, ``h're`` the antenna heights above the least-squares smooth surface of the path.
This module holds the second term, ``delta_sph_db``: the spherical-earth loss of P.452-16
§4.2.2 (land, ``SETTINGS.coverage.polarisation``) and Bullington over a smooth earth with the
same heights, with the P.526-15 general-path correction :func:`bullington_db`. The smooth
Bullington takes the horizons of the smooth surface exactly (the profile is continuous here),
where P.452 takes them at the profile's sample points. Distances and heights in metres,
frequency MHz, effective earth radius ``a_e`` metres.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from geo.settings import SETTINGS

_jit = numba.njit(cache=True)
_C = 299_792_458.0
_LOS_SAMPLES = 256  # points of the smooth path where a line-of-sight path's v is sought
_COV = SETTINGS.coverage


@_jit
def knife_edge_db(v: float) -> float:
    """J(v), ITU-R P.526-15 eq. (31); 0 for v <= -0.78, dB."""
    if v <= -0.78:
        return 0.0
    return 6.9 + 20.0 * math.log10(math.sqrt((v - 0.1) ** 2 + 1.0) + v - 0.1)


@_jit
def bullington_db(l_uc: float, d_m: float) -> float:
    """P.526-15 eq. (45): knife-edge loss ``l_uc`` of the Bullington point, corrected for a
    general path of ``d_m`` metres, dB."""
    return l_uc + (1.0 - math.exp(-l_uc / 6.0)) * (10.0 + 0.02e-3 * d_m)


@_jit
def _g_height(beta: float, y: float, k: float) -> float:
    b = beta * y
    if b > 2.0:
        g = 17.6 * math.sqrt(b - 1.1) - 5.0 * math.log10(b - 1.1) - 8.0
    else:
        g = 20.0 * math.log10(b + 0.1 * b ** 3)
    return max(g, 2.0 + 20.0 * math.log10(k))


@_jit
def first_term_db(a_km: float, d_km: float, f_ghz: float, hte: float, hre: float,
                  vertical: bool, eps_r: float, sigma: float) -> float:
    """First-term spherical-earth diffraction loss, P.452-16 eqs. (30)-(36), dB (heights m)."""
    k = 0.036 * (a_km * f_ghz) ** (-1.0 / 3.0) * (
        (eps_r - 1.0) ** 2 + (18.0 * sigma / f_ghz) ** 2) ** -0.25
    if vertical:
        k *= math.sqrt(eps_r ** 2 + (18.0 * sigma / f_ghz) ** 2)
    k2 = k * k
    beta = (1.0 + 1.6 * k2 + 0.67 * k2 * k2) / (1.0 + 4.5 * k2 + 1.53 * k2 * k2)
    x = 21.88 * beta * (f_ghz / a_km ** 2) ** (1.0 / 3.0) * d_km
    y = 0.9575 * beta * (f_ghz ** 2 / a_km) ** (1.0 / 3.0)
    if x >= 1.6:
        fx = 11.0 + 10.0 * math.log10(x) - 17.6 * x
    else:
        fx = -20.0 * math.log10(x) - 5.6488 * x ** 1.425
    return -fx - _g_height(beta, y * hte, k) - _g_height(beta, y * hre, k)


@_jit
def spherical_earth_db(d_m: float, f_mhz: float, hte: float, hre: float, a_e_m: float,
                       vertical: bool) -> float:
    """Spherical-earth diffraction loss over land, P.452-16 §4.2.2 (eqs. 20-29), dB."""
    d = d_m * 1e-3
    a = a_e_m * 1e-3
    f = f_mhz * 1e-3
    d_los = math.sqrt(2.0 * a) * (math.sqrt(1e-3 * hte) + math.sqrt(1e-3 * hre))
    if d >= d_los:
        return first_term_db(a, d, f, hte, hre, vertical, 22.0, 0.003)
    c = (hte - hre) / (hte + hre)
    m = 250.0 * d * d / (a * (hte + hre))
    b = 2.0 * math.sqrt((m + 1.0) / (3.0 * m)) * math.cos(
        math.pi / 3.0 + math.acos(1.5 * c * math.sqrt(3.0 * m / (m + 1.0) ** 3)) / 3.0)
    d1 = 0.5 * d * (1.0 + b)
    d2 = d - d1
    h_se = ((hte - 500.0 * d1 * d1 / a) * d2 + (hre - 500.0 * d2 * d2 / a) * d1) / d
    h_req = 17.456 * math.sqrt(d1 * d2 * (_C / (f_mhz * 1e6)) / d)
    if h_se > h_req:
        return 0.0
    a_em = 500.0 * (d / (math.sqrt(hte) + math.sqrt(hre))) ** 2
    loss = first_term_db(a_em, d, f, hte, hre, vertical, 22.0, 0.003)
    if loss < 0.0:
        return 0.0
    return (1.0 - h_se / h_req) * loss


@_jit
def smooth_bullington_db(d_m: float, f_mhz: float, hte: float, hre: float,
                         a_e_m: float) -> float:
    """Bullington loss (P.526-15 §4.5.2, with eq. 45) over a smooth earth of radius ``a_e_m``
    between antennas ``hte`` and ``hre`` metres above it, ``d_m`` metres apart, dB."""
    lam = _C / (f_mhz * 1e6)
    d = d_m
    two_a = 2.0 * a_e_m
    eps = 1e-6 * d
    # Transmitter horizon: max over x of (x (d - x) / 2a - hte) / x, at x = sqrt(2 a hte).
    xt = min(max(math.sqrt(two_a * hte), eps), d - eps)
    s_tim = (d - xt) / two_a - hte / xt
    if s_tim < (hre - hte) / d:  # line of sight: the most intrusive point
        v = -1e30
        for i in range(_LOS_SAMPLES):
            x = d * (i + 0.5) / _LOS_SAMPLES
            h = x * (d - x) / two_a - (hte * (d - x) + hre * x) / d
            v = max(v, h * math.sqrt(2.0 * d / (lam * x * (d - x))))
        return bullington_db(knife_edge_db(v), d)
    xr = min(max(d - math.sqrt(two_a * hre), eps), d - eps)
    s_rim = (xr * (d - xr) / two_a - hre) / (d - xr)
    db = (hre - hte + s_rim * d) / (s_tim + s_rim)
    db = min(max(db, eps), d - eps)
    h = hte + s_tim * db - (hte * (d - db) + hre * db) / d
    return bullington_db(knife_edge_db(h * math.sqrt(2.0 * d / (lam * db * (d - db)))), d)


@_jit
def delta_sph_db(d_m: float, f_mhz: float, hte: float, hre: float, a_e_m: float,
                 vertical: bool) -> float:
    """max(L_sph - L_bull(smooth), 0): the smooth-earth term of delta-Bullington, dB."""
    return max(spherical_earth_db(d_m, f_mhz, hte, hre, a_e_m, vertical)
               - smooth_bullington_db(d_m, f_mhz, hte, hre, a_e_m), 0.0)


# Axes of the tables: log-spaced distance (m) and heights above the smooth surface (m).
TABLE_D = (20.0, 100_000.0, 64)
TABLE_H = (0.5, 5_000.0, 56)


def table_axes() -> tuple[np.ndarray, np.ndarray]:
    """Distance and height axes of :func:`delta_sph_table`, m (log-spaced)."""
    return np.geomspace(*TABLE_D[:2], TABLE_D[2]), np.geomspace(*TABLE_H[:2], TABLE_H[2])


@numba.njit(cache=True, parallel=True)
def _fill(d_axis, h_axis, f_mhz, a_e_m, vertical, out):
    for i in numba.prange(d_axis.size):
        for j in range(h_axis.size):
            for k in range(h_axis.size):
                out[i, j, k] = delta_sph_db(d_axis[i], f_mhz, h_axis[j], h_axis[k], a_e_m,
                                            vertical)


def delta_sph_table(f_mhz: float) -> np.ndarray:
    """:func:`delta_sph_db` at frequency ``f_mhz`` on (distance, h'te, h're) of
    :func:`table_axes`, float32 dB; the engine reads it trilinearly in log coordinates."""
    d_axis, h_axis = table_axes()
    out = np.empty((d_axis.size, h_axis.size, h_axis.size), np.float64)
    radio = SETTINGS.radio
    _fill(d_axis, h_axis, float(f_mhz), radio.k_factor * radio.earth_radius_m,
          _COV.polarisation == "vertical", out)
    return out.astype(np.float32)
