"""Clutter loss at the receiver from land cover: ITU-R P.2108-1 §3.1.

:func:`terminal_clutter_loss_db` is P.2108-1 §3.1, the height-gain terminal correction model
(median loss due to the terminal's surroundings, 0.03–3 GHz):

    h ≥ R:                         A_h = 0
    h_dif = R − h                  θ_clut = atan(h_dif / w_s)  (degrees)
    K_h2 = 21.8 + 6.2 log10(f)     K_nu = 0.342 √f            (f in GHz)
    water/sea, open/rural:         A_h = −K_h2 log10(h / R)             (height-gain model)
    suburban, urban, trees/forest,
    dense urban:                   A_h = J(ν) − 6.03,  ν = K_nu √(h_dif θ_clut)  (diffraction)

with J(ν) the knife-edge loss of ITU-R P.526 (6.9 + 20 log10(√((ν−0.1)² + 1) + ν − 0.1) for
ν > −0.78, else 0).

:func:`clutter_correction_db` turns a class grid into the loss the coverage engine subtracts
from the received signal: the class's loss minus that of the clutter the median model already
contains (``SETTINGS.landcover.reference_clutter``). :func:`apply_clutter` does that on a
best-server grid, at the band of each cell's serving site. Pure numpy; no I/O.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from analysis.propagation import knife_edge_kernel
from geo.settings import SETTINGS

__all__ = [
    "CLUTTER_TYPES",
    "LANDCOVER_NOT_LOADED_WARNING",
    "apply_clutter",
    "class_loss_table",
    "clutter_correction_db",
    "terminal_clutter_loss_db",
]

LANDCOVER_NOT_LOADED_WARNING = "land cover not loaded: no clutter loss (forest, built-up)"
HEIGHT_GAIN_TYPES = ("water_sea", "open_rural")
DIFFRACTION_TYPES = ("suburban", "urban", "trees_forest", "dense_urban")
CLUTTER_TYPES = (*HEIGHT_GAIN_TYPES, *DIFFRACTION_TYPES)
_LC = SETTINGS.landcover


def terminal_clutter_loss_db(freq_mhz: float, clutter: str, clutter_height_m: float, *,
                             antenna_height_m: float = SETTINGS.radio.receiver_height_m,
                             street_width_m: float = _LC.street_width_m) -> float:
    """Median terminal clutter loss A_h, ITU-R P.2108-1 §3.1, dB (see the module docstring).

    ``freq_mhz`` outside 30–3,000 MHz is clamped to that range (the model's validity).
    """
    if clutter not in CLUTTER_TYPES:
        raise ValueError(f"unknown P.2108 clutter type {clutter!r}; expected one of "
                         f"{', '.join(CLUTTER_TYPES)}")
    if clutter_height_m <= 0 or antenna_height_m <= 0 or street_width_m <= 0:
        raise ValueError("clutter height, antenna height and street width must be > 0 m")
    lo, hi = _LC.frequency_range_mhz
    f_ghz = min(max(float(freq_mhz), lo), hi) / 1000.0
    h, r = float(antenna_height_m), float(clutter_height_m)
    if h >= r:
        return 0.0
    if clutter in HEIGHT_GAIN_TYPES:
        k_h2 = 21.8 + 6.2 * math.log10(f_ghz)
        return -k_h2 * math.log10(h / r)
    h_dif = r - h
    theta_deg = math.degrees(math.atan(h_dif / street_width_m))
    nu = 0.342 * math.sqrt(f_ghz) * math.sqrt(h_dif * theta_deg)
    return knife_edge_kernel(nu) - 6.03


def clutter_correction_db(freq_mhz: float, code: int) -> float:
    """Loss the engine applies to a receiver in land-cover class ``code`` at ``freq_mhz``:
    P.2108 loss of the class minus that of the median model's own clutter, dB (0 for
    unknown classes and nodata)."""
    cls = _LC.classes.get(int(code))
    if cls is None:
        return 0.0
    reference = terminal_clutter_loss_db(freq_mhz, _LC.reference_clutter,
                                         _LC.reference_height_m)
    return terminal_clutter_loss_db(freq_mhz, cls.clutter, cls.height_m) - reference


def class_loss_table(bands_mhz: npt.ArrayLike) -> np.ndarray:
    """(len(bands), 256) float32 table: loss per band and class code (0 off the table)."""
    bands = np.atleast_1d(np.asarray(bands_mhz, float))
    table = np.zeros((bands.size, 256), np.float32)
    for i, band in enumerate(bands):
        for code in _LC.classes:
            if 0 <= code < 256:
                table[i, code] = clutter_correction_db(float(band), code)
    return table


def apply_clutter(best_dbm: np.ndarray, serving: np.ndarray, site_band_mhz: np.ndarray,
                  classes: np.ndarray | None) -> np.ndarray:
    """Best-server signal with each cell's clutter loss subtracted, dBm.

    ``serving`` holds the serving site's index into ``site_band_mhz`` (−1: none; NaN bands:
    sites that serve no cell); the loss is that of the cell's class (``classes``, uint8 on the
    same grid) at that site's band.
    Without land cover (``classes`` None) the grid is returned unchanged.
    """
    if classes is None:
        return best_dbm
    if classes.shape != best_dbm.shape:
        raise ValueError(f"land cover grid {classes.shape} is not the coverage grid "
                         f"{best_dbm.shape}")
    site_bands = np.asarray(site_band_mhz, float)
    known = np.isfinite(site_bands)  # NaN: a site that serves no cell of this grid
    if not known.any():
        return best_dbm
    site_bands = np.where(known, site_bands, site_bands[known][0])
    bands, band_index = np.unique(site_bands, return_inverse=True)
    table = class_loss_table(bands)
    if bands.size == 1:  # one band (the usual technology): no per-cell band lookup
        loss = table[0][classes]
    else:
        cell_band = band_index.astype(np.int32)[np.maximum(serving, 0)]
        loss = np.take(table.ravel(), (cell_band << 8) | classes.astype(np.int32))
    return np.where(serving >= 0, best_dbm - loss, best_dbm).astype(best_dbm.dtype)


def apply_clutter_layer(best_dbm: np.ndarray, serving: np.ndarray, servers: np.ndarray,
                        threshold_dbm: float, band_by_site: np.ndarray,
                        classes: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`apply_clutter` on one coverage layer; cells pushed below the covered threshold
    count no server. Unchanged without land cover."""
    if classes is None:
        return best_dbm, servers
    best = apply_clutter(best_dbm, serving, band_by_site, classes)
    covered = np.nan_to_num(best, nan=-np.inf) >= threshold_dbm
    return best, np.where(covered, servers, 0).astype(servers.dtype)


def band_by_site(site_index: np.ndarray, band_mhz: np.ndarray,
                 keep: np.ndarray | None = None) -> np.ndarray:
    """Band (MHz) of each site index (row of the sites table) among the records ``keep``
    (default: all); NaN for the others."""
    site_index, band_mhz = np.asarray(site_index, np.int64), np.asarray(band_mhz, float)
    out = np.full(int(np.max(site_index, initial=-1)) + 1, np.nan)
    keep = np.ones(site_index.size, bool) if keep is None else np.asarray(keep, bool)
    out[site_index[keep]] = band_mhz[keep]
    return out
