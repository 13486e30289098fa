"""Sight lines of the sweep against an exact profile walk on steep synthetic terrain.

The reference walks the straight line from the antenna to each cell centre, sampling the
bilinear surface through the cell centres every 5 m, lowers it by the earth's bulge
(k = 4/3) and calls the cell visible when nothing rises above the line to a receiver 1.5 m
above it. Terrain: fractional-Brownian relief of 2,500 m (the benchmark's spectrum), as
steep as Lào Cai's mountains or steeper; observers 35 m up on the steepest slopes facing each
of the eight octants (down-slope towards N, NE, ..., NW), on the highest peak and on the
valley floor.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import pandas as pd
import pytest

from analysis.coverage import prepare_sites, run_grids
from geo.settings import SETTINGS
from tests.worlds import Grid

HEIGHT = 35.0
STEP_M = 5.0
CURV = 1.0 / (2 * SETTINGS.radio.k_factor * SETTINGS.radio.earth_radius_m)
OCTANTS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]


@numba.njit(cache=True)
def exact_visibility(z, r0, c0, h, rx, res, radius, step, curv):
    """1 visible / 0 hidden / -1 beyond ``radius`` cells, by a profile walk every ``step`` m."""
    ny, nx = z.shape
    out = np.full((ny, nx), -1, np.int8)
    z0 = z[r0, c0] + h
    for r in range(ny):
        for c in range(nx):
            cells = math.hypot(r - r0, c - c0)
            if cells > radius:
                continue
            if cells == 0.0:
                out[r, c] = 1
                continue
            d = cells * res
            target = (z[r, c] - d * d * curv + rx - z0) / d
            n = int(d / step) + 1  # samples at most step apart
            out[r, c] = 1
            for k in range(1, n):
                f = k / n
                y, x = r0 + f * (r - r0), c0 + f * (c - c0)
                i, j = min(int(y), ny - 2), min(int(x), nx - 2)
                wy, wx = y - i, x - j
                zb = ((z[i, j] * (1 - wx) + z[i, j + 1] * wx) * (1 - wy)
                      + (z[i + 1, j] * (1 - wx) + z[i + 1, j + 1] * wx) * wy)
                s = f * d
                if (zb - s * s * curv - z0) / s > target:
                    out[r, c] = 0
                    break
    return out


def steep_terrain(n: int, res: float, relief: float = 2500.0, seed: int = 7) -> np.ndarray:
    """fBm terrain (amplitude ~ k^-1.1, as bench/terrain.py) scaled to ``relief`` metres."""
    rng = np.random.default_rng(seed)
    k = np.hypot(np.fft.fftfreq(n)[:, None], np.fft.rfftfreq(n)[None, :]) / res
    k[0, 0] = np.inf
    amplitude = k ** -1.1
    field = np.fft.irfft2(amplitude * np.exp(1j * rng.uniform(0, 2 * np.pi, amplitude.shape)),
                          s=(n, n))
    field -= field.min()
    return (field * relief / field.max()).astype(np.float32)


def observers(z: np.ndarray, res: float, margin: int) -> dict[str, tuple[int, int]]:
    """Steepest cell whose down-slope faces each octant (within 10°), the peak, the valley."""
    n = z.shape[0]
    gy, gx = np.gradient(z.astype(float), res)  # rows run south, columns east
    downhill = np.degrees(np.arctan2(-gx, gy)) % 360.0  # bearing of -gradient, from north
    inner = np.zeros(z.shape, bool)
    inner[margin:n - margin, margin:n - margin] = True
    slope = np.hypot(gx, gy)
    found = {}
    for i, name in enumerate(OCTANTS):
        off = np.abs((downhill - 45.0 * i + 180.0) % 360.0 - 180.0)
        found[name] = np.unravel_index(np.argmax(np.where(inner & (off < 10), slope, -1)),
                                       z.shape)
    found["peak"] = np.unravel_index(np.argmax(np.where(inner, z, -np.inf)), z.shape)
    found["valley"] = np.unravel_index(np.argmin(np.where(inner, z, np.inf)), z.shape)
    return {k: (int(r), int(c)) for k, (r, c) in found.items()}


@pytest.mark.parametrize(("res", "size", "radius_m"), [(30.0, 800, 8_000.0),
                                                       (90.0, 300, 12_000.0)])
def test_every_observer_agrees_with_an_exact_profile_walk(res, size, radius_m):
    grid = Grid(size, res=res)
    z = steep_terrain(size, res)
    dem = grid.dem(z)
    radius = int(radius_m / res)
    agreement, found = {}, {}
    for name, (r, c) in observers(z, res, radius // 2).items():
        prepared = prepare_sites(pd.DataFrame([grid.site(r, c, height=HEIGHT)]), dem)
        prepared.records["radius_cells"][:] = radius
        ours = run_grids(prepared, dem, np.zeros(1, np.int64), 1, los_only=True)["los_count"]
        exact = exact_visibility(dem.elevation, r, c, HEIGHT, SETTINGS.radio.receiver_height_m,
                                 res, radius - 1.0, STEP_M, CURV)
        inside = exact >= 0
        seen = exact[inside] == 1
        agreement[name] = float(((ours[inside] > 0) == seen).mean())
        found[name] = (int((ours[inside][seen] > 0).sum()), int(seen.sum()))
    print(f"{res:.0f} m agreement", agreement, "visible found / exact", found)
    assert min(agreement.values()) >= 0.99, agreement
    # Not only hidden cells agree: most of what the exact walk sees is found.
    assert sum(f for f, _ in found.values()) >= 0.97 * sum(n for _, n in found.values()) > 5000
