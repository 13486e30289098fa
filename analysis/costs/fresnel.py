"""First-Fresnel-zone clearance of a microwave hop (ITU-R P.530-18 §2.2.2).

Along the path from end A to end B (horizontal distances in metres, EPSG:9208 positions),
at distance d1 from A and d2 = d − d1 from B:

- first Fresnel zone radius ``F1 = sqrt(λ d1 d2 / d)`` (λ = c / f, metres);
- earth bulge ``b = d1 d2 / (2 k R)`` (k the effective earth-radius factor, R the earth's
  radius, ``SETTINGS.radio.earth_radius_m``): the terrain rises by ``b`` relative to the
  straight line between the antennas;
- clearance ``c = h_los − (terrain + obstacle + b)``, ``h_los`` the straight line from
  ``z_A + h_A`` to ``z_B + h_B``; in % of F1: ``100 c / F1`` (negative: the line is blocked).

The hop is clear when the worst clearance is ≥ 100 % of F1 at the median k (4/3) and ≥
``SETTINGS.costs.microwave_worst_clearance`` (60 %) of F1 at the worst-case k (2/3). The terrain
is sampled bilinearly every half DEM cell (:meth:`geo.dem.Dem.sample`'s interpolation, also in
the compiled kernel :func:`worst_clearance`).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from geo.dem import Dem
from geo.settings import SETTINGS

C_M_PER_S = 299_792_458.0


def wavelength_m(freq_ghz: float) -> float:
    """Wavelength (m) of ``freq_ghz``."""
    return C_M_PER_S / (float(freq_ghz) * 1e9)


def fresnel_radius_m(d1_m: np.ndarray | float, d2_m: np.ndarray | float,
                     freq_ghz: float) -> np.ndarray:
    """First Fresnel zone radius (m) at ``d1_m`` from one end and ``d2_m`` from the other."""
    d1, d2 = np.asarray(d1_m, float), np.asarray(d2_m, float)
    return np.sqrt(wavelength_m(freq_ghz) * d1 * d2 / np.maximum(d1 + d2, 1e-9))


def earth_bulge_m(d1_m: np.ndarray | float, d2_m: np.ndarray | float, k: float,
                  radius_m: float = SETTINGS.radio.earth_radius_m) -> np.ndarray:
    """Rise (m) of the earth's surface above the chord between the ends, at effective
    earth-radius factor ``k``."""
    return np.asarray(d1_m, float) * np.asarray(d2_m, float) / (2.0 * k * radius_m)


def clearance_pct(distance_m: np.ndarray, terrain_m: np.ndarray, top_a_m: float,
                  top_b_m: float, freq_ghz: float, k: float,
                  radius_m: float = SETTINGS.radio.earth_radius_m) -> np.ndarray:
    """Clearance (% of F1) at every sample of a profile: ``distance_m`` from A (0 … d, the
    ends included), ``terrain_m`` the heights there (obstacles included), ``top_a_m`` and
    ``top_b_m`` the antenna heights above the same datum. The ends themselves give +inf."""
    dist = np.asarray(distance_m, float)
    d = dist[-1]
    d1, d2 = dist, d - dist
    los = top_a_m + (top_b_m - top_a_m) * d1 / d
    f1 = fresnel_radius_m(d1, d2, freq_ghz)
    clear = los - (np.asarray(terrain_m, float) + earth_bulge_m(d1, d2, k, radius_m))
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(f1 > 0, 100.0 * clear / f1, np.inf)
    return pct


@numba.njit(cache=True, nogil=True)
def _bilinear(z, inv_a, inv_c, inv_e, inv_f, x, y):  # pragma: no cover - compiled
    h, w = z.shape
    col = inv_a * x + inv_c
    row = inv_e * y + inv_f
    if col < 0 or col > w or row < 0 or row > h:
        return np.nan
    fc = min(max(col - 0.5, 0.0), w - 1.0)
    fr = min(max(row - 0.5, 0.0), h - 1.0)
    c0 = min(int(fc), w - 2) if w > 1 else 0
    r0 = min(int(fr), h - 2) if h > 1 else 0
    c1 = min(c0 + 1, w - 1)
    r1 = min(r0 + 1, h - 1)
    tc = fc - c0
    tr = fr - r0
    total = 0.0
    weight = 0.0
    for rr, cc, ww in ((r0, c0, (1 - tr) * (1 - tc)), (r0, c1, (1 - tr) * tc),
                       (r1, c0, tr * (1 - tc)), (r1, c1, tr * tc)):
        v = z[rr, cc]
        if not np.isnan(v) and ww > 0:
            total += v * ww
            weight += ww
    if weight <= 0:
        return np.nan
    return total / weight


@numba.njit(cache=True, nogil=True, parallel=True)
def _worst(z, inv_a, inv_c, inv_e, inv_f, xa, ya, ha, xb, yb, hb, lam, ks, radius, step,
           obstacle):  # pragma: no cover - compiled
    n = xa.size
    out = np.full((n, ks.size), np.inf)
    for i in numba.prange(n):
        d = math.hypot(xb[i] - xa[i], yb[i] - ya[i])
        if d <= 0:
            continue
        za = _bilinear(z, inv_a, inv_c, inv_e, inv_f, xa[i], ya[i])
        zb = _bilinear(z, inv_a, inv_c, inv_e, inv_f, xb[i], yb[i])
        if np.isnan(za) or np.isnan(zb):
            out[i, :] = np.nan
            continue
        top_a = za + ha[i]
        top_b = zb + hb[i]
        m = max(2, math.ceil(d / step))
        for j in range(1, m):
            t = j / m
            d1 = d * t
            d2 = d - d1
            zt = _bilinear(z, inv_a, inv_c, inv_e, inv_f, xa[i] + (xb[i] - xa[i]) * t,
                           ya[i] + (yb[i] - ya[i]) * t)
            if np.isnan(zt):
                continue
            f1 = math.sqrt(lam * d1 * d2 / d)
            los = top_a + (top_b - top_a) * t
            for q in range(ks.size):
                bulge = d1 * d2 / (2.0 * ks[q] * radius)
                pct = 100.0 * (los - (zt + obstacle + bulge)) / f1
                if pct < out[i, q]:
                    out[i, q] = pct
    return out


def worst_clearance(dem: Dem, xa: np.ndarray, ya: np.ndarray, ha: np.ndarray,
                    xb: np.ndarray, yb: np.ndarray, hb: np.ndarray, freq_ghz: float,
                    ks: tuple[float, ...], *, obstacle_m: float = 0.0,
                    step_m: float | None = None) -> np.ndarray:
    """Worst clearance (% of F1) of each hop A→B (EPSG:9208 metres; antennas ``ha``/``hb``
    metres above the ground at each end) for each k of ``ks``: shape (hops, len(ks)).

    The terrain (plus ``obstacle_m``) is sampled bilinearly every ``step_m`` (default half a
    DEM cell), the ends excluded; NaN where an end is off the terrain, +inf for a hop of
    zero length.
    """
    inv = ~dem.transform
    arrays = [np.ascontiguousarray(np.broadcast_to(np.asarray(v, float), np.shape(xa)))
              for v in (xa, ya, ha, xb, yb, hb)]
    step = float(step_m or dem.resolution_m / 2.0)
    return _worst(dem.elevation, inv.a, inv.c, inv.e, inv.f, *arrays,
                  wavelength_m(freq_ghz), np.asarray(ks, float),
                  float(SETTINGS.radio.earth_radius_m), step, float(obstacle_m))


def hop_clear(worst_pct: np.ndarray, worst_share: float) -> np.ndarray:
    """Whether hops pass P.530: column 0 (median k) ≥ 100 % and column 1 (worst k) ≥
    ``100 × worst_share`` % (NaN fails)."""
    w = np.asarray(worst_pct, float)
    return (w[..., 0] >= 100.0) & (w[..., 1] >= 100.0 * worst_share)
