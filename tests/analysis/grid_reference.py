"""The grid engine's terrain terms against P.452-16 on the exact profiles of the same cells.

For an antenna on a synthetic DEM, :func:`compare` takes receiver cells in its disc, cuts the
exact profile from the antenna's cell centre to each (bilinear, every quarter cell), and
evaluates ITU-R P.452-16's delta-Bullington on it with
:func:`analysis.propagation.delta_bullington_terms` (itself checked against pycraf 2.1.0 on
recorded fixtures, ``tests/analysis/data/p452_oracle.json``). Beside it the engine's
:func:`analysis.coverage.path_terms` at those cells. Shared by the tests and
``bench/diffraction.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.coverage import path_terms
from analysis.propagation import delta_bullington_terms
from geo.settings import SETTINGS
from tests.analysis.oracle_profiles import bilinear, obstacle_class
from tests.worlds import Grid


@dataclass
class Comparison:
    """Per receiver: class (los / one / two_plus), engine and reference terms, dB / m."""

    cls: np.ndarray
    engine_db: np.ndarray  # the engine's diffraction term
    reference_db: np.ndarray  # P.452-16 L_d on the exact profile
    engine_terrain_db: np.ndarray  # engine: its L_d on the path less its L_d over flat ground
    reference_terrain_db: np.ndarray  # P.452-16: L_d on the path less L_d over flat ground
    cells: np.ndarray  # (row, col) of each receiver

    def errors(self, cls: str) -> np.ndarray:
        """Engine minus reference diffraction, dB, for receivers of class ``cls``."""
        keep = self.cls == cls
        return self.engine_db[keep] - self.reference_db[keep]

    def terrain_errors(self, cls: str = "los") -> np.ndarray:
        """The engine's terrain term (what the path adds to the median model over flat
        ground) minus P.452-16's (L_d of the path less L_d over flat ground), dB."""
        keep = self.cls == cls
        return self.engine_terrain_db[keep] - self.reference_terrain_db[keep]


def compare(elevation: np.ndarray, res: float, row: int, col: int, *, mast_m: float = 30.0,
            band_mhz: float = 900.0, radius_cells: int = 100, samples: int = 200,
            seed: int = 0, rx_m: float = SETTINGS.radio.receiver_height_m) -> Comparison:
    """Engine against reference at ``samples`` random cells of the antenna's disc."""
    grid = Grid(size=elevation.shape[0], res=res)
    dem = grid.dem(elevation)
    terms = path_terms(dem, row, col, mast_m, band_mhz, radius_cells)
    rng = np.random.default_rng(seed)
    rr, cc = np.nonzero(np.isfinite(terms["diffraction_db"]))
    far = np.hypot(rr - row, cc - col) >= 3
    pick = rng.choice(np.flatnonzero(far), size=min(samples, int(far.sum())), replace=False)
    cls, eng, ref, eng_t, ref_t = [], [], [], [], []
    z = dem.elevation.astype(float)
    for i in pick:
        r, c = int(rr[i]), int(cc[i])
        length = float(np.hypot(r - row, c - col) * res)
        n = max(int(np.ceil(length / (res / 4.0))), 4) + 1
        t = np.linspace(0.0, 1.0, n)
        prof = {"d_m": t * length, "z_m": bilinear(z, row + (r - row) * t, col + (c - col) * t),
                "tx_h": mast_m, "rx_h": rx_m}
        prof["z_m"][0], prof["z_m"][-1] = z[row, col], z[r, c]
        ref_terms = delta_bullington_terms(prof["d_m"], prof["z_m"], mast_m, rx_m, band_mhz)
        flat = delta_bullington_terms(prof["d_m"], np.zeros(n), mast_m, rx_m, band_mhz)
        cls.append(obstacle_class(prof))
        eng.append(terms["diffraction_db"][r, c])
        ref.append(ref_terms.loss_db)
        eng_t.append(terms["diffraction_db"][r, c] - terms["flat_db"][r, c])
        ref_t.append(ref_terms.loss_db - flat.loss_db)
    return Comparison(np.array(cls), np.array(eng), np.array(ref), np.array(eng_t),
                      np.array(ref_t), np.stack([rr[pick], cc[pick]], axis=1))


def summary(errors: np.ndarray) -> tuple[int, float, float, float]:
    """(count, mean, RMS, P95 of |error|), dB."""
    if errors.size == 0:
        return 0, float("nan"), float("nan"), float("nan")
    return (int(errors.size), float(errors.mean()), float(np.sqrt(np.mean(errors ** 2))),
            float(np.percentile(np.abs(errors), 95)))
