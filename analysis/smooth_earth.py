"""Smooth-earth terms of the delta-Bullington terrain diffraction (ITU-R P.526-15 §4.5,
as in ITU-R P.452-16 §4.2), and their tables for the grid engine.

Delta-Bullington adds to the Bullington loss of the real profile the part of the spherical-earth
diffraction loss that Bullington misses over a smooth earth:

    L_d = L_bull(profile) + max(L_sph(d, h'te, h're) - L_bull(smooth; d, h'te, h're), 0)

with ``h'te``, ``h're`` the antenna heights above the least-squares smooth surface of the path.
This module holds the second term, ``delta_sph_db``: the spherical-earth loss of P.452-16
§4.2.2 (land, ``SETTINGS.coverage.polarisation``; :mod:`analysis.propagation`) and Bullington
over a smooth earth with the same heights, with the P.526-15 general-path correction. The smooth
Bullington takes the horizons of the smooth surface exactly (the profile is continuous here),
where P.452 takes them at the profile's sample points. Distances and heights in metres,
frequency MHz, effective earth radius ``a_e`` metres.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from analysis.propagation import (
    SPEED_OF_LIGHT_M_S,
    bullington_loss_kernel,
    spherical_earth_loss_kernel,
)
from geo.settings import SETTINGS

_jit = numba.njit(cache=True)
_LOS_SAMPLES = 256  # points of the smooth path where a line-of-sight path's v is sought
_COV = SETTINGS.coverage


@_jit
def smooth_bullington_db(d_m: float, f_mhz: float, hte: float, hre: float,
                         a_e_m: float) -> float:
    """Bullington loss (P.526-15 §4.5.2, with eq. 45) over a smooth earth of radius ``a_e_m``
    between antennas ``hte`` and ``hre`` metres above it, ``d_m`` metres apart, dB."""
    lam = SPEED_OF_LIGHT_M_S / (f_mhz * 1e6)
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
        return bullington_loss_kernel(v, 1e-3 * d)
    xr = min(max(d - math.sqrt(two_a * hre), eps), d - eps)
    s_rim = (xr * (d - xr) / two_a - hre) / (d - xr)
    db = (hre - hte + s_rim * d) / (s_tim + s_rim)
    db = min(max(db, eps), d - eps)
    h = hte + s_tim * db - (hte * (d - db) + hre * db) / d
    return bullington_loss_kernel(h * math.sqrt(2.0 * d / (lam * db * (d - db))), 1e-3 * d)


@_jit
def delta_sph_db(d_m: float, f_mhz: float, hte: float, hre: float, a_e_m: float,
                 vertical: bool) -> float:
    """max(L_sph - L_bull(smooth), 0): the smooth-earth term of delta-Bullington, dB."""
    return max(spherical_earth_loss_kernel(1e-3 * d_m, f_mhz, 1e-3 * a_e_m, hte, hre, vertical)
               - smooth_bullington_db(d_m, f_mhz, hte, hre, a_e_m), 0.0)


# Axes of the tables: log-spaced distance (m) and heights above the smooth surface (m).
# 64 × 56 × 56 × 2 float32 per band (1.6 MB); read trilinearly, within 0.7 dB of the formulas
# (RMS 0.04 dB; tests/analysis/test_smooth_earth.py).
TABLE_D = (20.0, 100_000.0, 64)
TABLE_H = (0.5, 5_000.0, 56)


def table_axes() -> tuple[np.ndarray, np.ndarray]:
    """Distance and height axes of :func:`delta_sph_table`, m (log-spaced)."""
    return np.geomspace(*TABLE_D[:2], TABLE_D[2]), np.geomspace(*TABLE_H[:2], TABLE_H[2])


@_jit
def _flat(d_axis, f_mhz, hte, hre, a_e_m, vertical, out):
    for i in range(d_axis.size):
        out[i] = max(spherical_earth_loss_kernel(1e-3 * d_axis[i], f_mhz, 1e-3 * a_e_m, hte,
                                                 hre, vertical),
                     smooth_bullington_db(d_axis[i], f_mhz, hte, hre, a_e_m))


def flat_ground_db(d_m: np.ndarray, f_mhz: float, hte: float, hre: float) -> np.ndarray:
    """Delta-Bullington loss over flat ground (a smooth earth, the antennas ``hte`` and
    ``hre`` metres above it) at distances ``d_m``, dB: max(L_sph, L_bull(smooth))."""
    d = np.ascontiguousarray(d_m, np.float64)
    out = np.empty(d.size)
    radio = SETTINGS.radio
    _flat(d, float(f_mhz), max(float(hte), 0.5), max(float(hre), 0.5),
          radio.k_factor * radio.earth_radius_m, _COV.polarisation == "vertical", out)
    return out


@numba.njit(cache=True, parallel=True)
def _fill(d_axis, h_axis, f_mhz, a_e_m, vertical, out):
    for i in numba.prange(d_axis.size):
        for j in range(h_axis.size):
            for k in range(h_axis.size):
                d, hte, hre = d_axis[i], h_axis[j], h_axis[k]
                sph = spherical_earth_loss_kernel(1e-3 * d, f_mhz, 1e-3 * a_e_m, hte, hre,
                                                  vertical)
                bulls = smooth_bullington_db(d, f_mhz, hte, hre, a_e_m)
                out[i, j, k, 0] = max(sph - bulls, 0.0)
                out[i, j, k, 1] = max(sph, bulls)


def delta_sph_table(f_mhz: float) -> np.ndarray:
    """Smooth-earth tables at frequency ``f_mhz`` on (distance, h'te, h're) of
    :func:`table_axes` (last index: which), float32 dB: [..., 0] :func:`delta_sph_db`, the
    term delta-Bullington adds to the profile's Bullington loss, and [..., 1] max(L_sph,
    L_bull(smooth)), delta-Bullington over the smooth surface itself, the least a
    line-of-sight path is given. The engine reads them trilinearly in log coordinates."""
    d_axis, h_axis = table_axes()
    out = np.empty((d_axis.size, h_axis.size, h_axis.size, 2), np.float64)
    radio = SETTINGS.radio
    _fill(d_axis, h_axis, float(f_mhz), radio.k_factor * radio.earth_radius_m,
          _COV.polarisation == "vertical", out)
    return out.astype(np.float32)
