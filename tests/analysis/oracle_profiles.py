"""Deterministic terrain profiles for the ITU-R P.452-16 diffraction oracle (numpy only).

Shared by ``scripts/record_p452_oracle.py`` (which runs in a separate venv with pycraf and
records pycraf's values into ``tests/analysis/data/p452_oracle.json``) and by
``tests/analysis/test_propagation.py`` (which rebuilds the same profiles and compares). It
must import nothing but numpy so that both environments can load it.

Every profile is a dict: ``name``, ``family`` (flat / ridge / multi / mountain), distances
``d_m`` from the transmitter (index 0) to the receiver (last), ground elevations ``z_m``
(metres above sea level), antenna heights ``tx_h`` and ``rx_h`` above the ground (m).
"""

from __future__ import annotations

import numpy as np

K_FACTOR = 4.0 / 3.0
EARTH_RADIUS_M = 6_371_000.0
STEP_M = 30.0
FREQS_MHZ = (900.0, 1800.0)
# P.452 a_e = 6371 km * 157 / (157 - dN); dN = 39.25 gives a_e = 4/3 * 6371 km exactly.
DELTA_N = 157.0 * (1.0 - 1.0 / K_FACTOR)
N0 = 325.0  # irrelevant for the median diffraction loss; any sea-level refractivity

TERRAIN_SEED = 20_261_203
TERRAIN_CELLS = 800  # 800 x 30 m = 24 km
TERRAIN_RELIEF_M = 2_500.0


def _axis(length_m: float) -> np.ndarray:
    n = round(length_m / STEP_M) + 1
    return np.linspace(0.0, length_m, max(n, 5))


def _profile(name, family, d, z, tx_h, rx_h) -> dict:
    return {"name": name, "family": family, "d_m": np.asarray(d, dtype=np.float64),
            "z_m": np.asarray(z, dtype=np.float64), "tx_h": float(tx_h), "rx_h": float(rx_h)}


def flat_profiles() -> list[dict]:
    out = []
    for tx_h in (30.0, 50.0):
        for km in (1, 3, 5, 10, 15, 20, 30):
            d = _axis(km * 1000.0)
            out.append(_profile(f"flat_{km}km_tx{tx_h:g}", "flat", d, np.full(d.size, 120.0),
                                tx_h, 1.5))
    return out


def _ridge(d: np.ndarray, centre_m: float, height_m: float, half_width_m: float) -> np.ndarray:
    """Triangular ridge of ``height_m`` at ``centre_m``, ``half_width_m`` to each foot."""
    return height_m * np.clip(1.0 - np.abs(d - centre_m) / half_width_m, 0.0, None)


def ridge_profiles() -> list[dict]:
    out = []
    for km in (5, 10, 20):
        length = km * 1000.0
        d = _axis(length)
        for frac in (0.2, 0.5, 0.85):
            for height in (40.0, 120.0, 300.0):
                for half_width in (60.0, 600.0):
                    z = 200.0 + _ridge(d, frac * length, height, half_width)
                    out.append(_profile(f"ridge_{km}km_at{frac:g}_h{height:g}_w{half_width:g}",
                                        "ridge", d, z, 30.0, 1.5))
    return out


def multi_ridge_profiles() -> list[dict]:
    rng = np.random.default_rng(TERRAIN_SEED + 1)
    out = []
    for i in range(40):
        length = float(rng.uniform(4_000.0, 25_000.0))
        d = _axis(length)
        n_ridges = int(rng.integers(2, 5))
        z = np.full(d.size, 300.0)
        for _ in range(n_ridges):
            z += _ridge(d, rng.uniform(0.1, 0.9) * length, rng.uniform(30.0, 350.0),
                        rng.uniform(80.0, 1500.0))
        tx_h = float(rng.choice([10.0, 30.0, 50.0]))
        out.append(_profile(f"multi_{i:02d}_{n_ridges}ridges", "multi", d, z, tx_h, 1.5))
    return out


def fractal_terrain() -> np.ndarray:
    """800 x 800 spectral-synthesis terrain, 30 m cells, 0..2,500 m (fixed seed)."""
    rng = np.random.default_rng(TERRAIN_SEED)
    n = TERRAIN_CELLS
    kx = np.fft.fftfreq(n)[:, None]
    ky = np.fft.rfftfreq(n)[None, :]
    kk = np.hypot(kx, ky)
    kk[0, 0] = 1.0
    amp = kk ** -1.9  # beta = 3.8: mountain-like roughness
    amp[0, 0] = 0.0
    phase = rng.uniform(0.0, 2.0 * np.pi, kk.shape)
    field = np.fft.irfft2(amp * np.exp(1j * phase), s=(n, n))
    field -= field.min()
    return field * (TERRAIN_RELIEF_M / field.max())


def bilinear(terrain: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    r0 = np.clip(np.floor(rows).astype(int), 0, terrain.shape[0] - 2)
    c0 = np.clip(np.floor(cols).astype(int), 0, terrain.shape[1] - 2)
    fr, fc = rows - r0, cols - c0
    top = terrain[r0, c0] * (1 - fc) + terrain[r0, c0 + 1] * fc
    bot = terrain[r0 + 1, c0] * (1 - fc) + terrain[r0 + 1, c0 + 1] * fc
    return top * (1 - fr) + bot * fr


def mountain_profiles(count: int = 120) -> list[dict]:
    terrain = fractal_terrain()
    rng = np.random.default_rng(TERRAIN_SEED + 2)
    n = TERRAIN_CELLS - 1
    out = []
    while len(out) < count:
        a = rng.uniform(0.0, n, 2)
        b = rng.uniform(0.0, n, 2)
        length = float(np.hypot(*(b - a)) * STEP_M)
        if length < 2_000.0:
            continue
        d = _axis(length)
        t = d / length
        z = bilinear(terrain, a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        tx_h = float(rng.choice([10.0, 30.0, 50.0]))
        out.append(_profile(f"mountain_{len(out):03d}", "mountain", d, z, tx_h, 1.5))
    return out


def all_profiles() -> list[dict]:
    return flat_profiles() + ridge_profiles() + multi_ridge_profiles() + mountain_profiles()


def obstacle_class(p: dict, k: float = K_FACTOR, earth_radius_m: float = EARTH_RADIUS_M) -> str:
    """``los`` / ``one`` / ``two_plus``: runs of points above the straight tx-rx line.

    Intermediate ground points are raised by the earth bulge d1 d2 / (2 k a) and compared
    with the straight line between the two antennas.
    """
    d, z = p["d_m"] - p["d_m"][0], p["z_m"]
    total = d[-1]
    h_t, h_r = z[0] + p["tx_h"], z[-1] + p["rx_h"]
    inner = slice(1, d.size - 1)
    ground = z[inner] + d[inner] * (total - d[inner]) / (2.0 * k * earth_radius_m)
    line = h_t + (h_r - h_t) * d[inner] / total
    above = (ground > line).astype(np.int8)
    runs = int(above[0]) + int(np.count_nonzero(np.diff(above) == 1)) if above.size else 0
    return "los" if runs == 0 else "one" if runs == 1 else "two_plus"


def fingerprint(p: dict) -> list[float]:
    """Length, point count, mean and max elevation: checks that a rebuilt profile is the same."""
    return [float(p["d_m"][-1]), float(p["d_m"].size), float(p["z_m"].mean()),
            float(p["z_m"].max())]
