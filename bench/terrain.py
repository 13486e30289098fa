"""Synthetic terrain for the benchmarks: fractional-Brownian surfaces over a study area."""

from __future__ import annotations

import numpy as np
from rasterio.transform import from_origin

from geo.crs import to_metric
from geo.dem import Dem
from geo.layers import load_study_area
from geo.settings import SETTINGS

SEED = 2541
LOWEST_M, HIGHEST_M = 60.0, 3_143.0  # Lào Cai's range (Fansipan)


def fractal_dem(res: float, seed: int = SEED, area: str | None = None) -> Dem:
    """Fractional-Brownian terrain over the study ``area``'s box (default
    ``SETTINGS.study_area.default``) plus the grid margin, 60–3,143 m, EPSG:9208."""
    minx, miny, maxx, maxy = to_metric(load_study_area(area)).total_bounds
    margin = SETTINGS.study_area.margin_m
    minx, miny = np.floor((minx - margin) / res) * res, np.floor((miny - margin) / res) * res
    maxx, maxy = maxx + margin, maxy + margin
    ny, nx = int(np.ceil((maxy - miny) / res)), int(np.ceil((maxx - minx) / res))
    rng = np.random.default_rng(seed)
    fy = np.fft.fftfreq(ny)[:, None]
    fx = np.fft.rfftfreq(nx)[None, :]
    k = np.hypot(fy * res, fx * res)  # cycles per metre
    k[0, 0] = np.inf
    amplitude = k ** -1.1  # power spectrum ~ k^-2.2: mountainous fBm
    phase = rng.uniform(0, 2 * np.pi, amplitude.shape)
    field = np.fft.irfft2(amplitude * np.exp(1j * phase), s=(ny, nx)).astype(np.float32)
    field -= field.min()
    field *= (HIGHEST_M - LOWEST_M) / field.max()
    field += LOWEST_M
    return Dem(field, from_origin(minx, miny + ny * res, res, res), res,
               source=f"synthetic fBm seed {seed}")
