"""Terrain profile of a microwave hop, for a chart: distances, terrain with the earth's
curvature, the line of sight, the first Fresnel zone and the clearance.

Positions in EPSG:9208 metres, heights in metres above the DEM's datum. The terrain is sampled
bilinearly (:meth:`geo.dem.Dem.sample`) every half DEM cell; ``terrain_curved_m`` adds the
earth bulge ``d1 d2 / (2 k R)`` (and the obstacle allowance), so that the line of sight is
straight on the chart (ITU-R P.530 §2.2.2; :mod:`analysis.costs.fresnel`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.costs.fresnel import clearance_pct, earth_bulge_m, fresnel_radius_m
from analysis.costs.options import CostTable
from geo.dem import Dem
from geo.errors import DataError
from geo.settings import SETTINGS


@dataclass
class LinkProfile:
    """One hop's profile; arrays share the samples (A at 0, B at ``distance_m[-1]``)."""

    distance_m: np.ndarray
    terrain_m: np.ndarray  # DEM heights
    terrain_curved_m: np.ndarray  # + obstacle allowance + earth bulge at k
    los_m: np.ndarray  # straight line between the antennas
    f1_radius_m: np.ndarray
    clearance_pct: np.ndarray  # (los − curved terrain) / F1, % (ends: +inf)
    worst_clearance_pct: float  # at k
    worst_index: int
    worst_clearance_worst_k_pct: float  # at the worst-case k
    k: float
    k_worst: float
    freq_ghz: float
    clear: bool  # passes P.530 at both k (SETTINGS.costs rules)


def link_profile(dem: Dem, a: tuple[float, float, float], b: tuple[float, float, float], *,
                 freq_ghz: float = SETTINGS.costs.microwave_band_ghz,
                 k: float = SETTINGS.costs.microwave_k_median,
                 k_worst: float = SETTINGS.costs.microwave_k_worst,
                 worst_share: float = SETTINGS.costs.microwave_worst_clearance,
                 obstacle_m: float = SETTINGS.costs.microwave_obstacle_m,
                 step_m: float | None = None) -> LinkProfile:
    """Profile from ``a`` to ``b``, each (x, y, antenna height above ground) in EPSG:9208
    metres."""
    (xa, ya, ha), (xb, yb, hb) = a, b
    d = float(np.hypot(xb - xa, yb - ya))
    if d <= 0:
        raise DataError("the two ends of the link are at the same place.")
    m = max(2, int(np.ceil(d / float(step_m or dem.resolution_m / 2.0))))
    t = np.linspace(0.0, 1.0, m + 1)
    dist = t * d
    terrain = dem.sample(xa + (xb - xa) * t, ya + (yb - ya) * t)
    top_a, top_b = terrain[0] + ha, terrain[-1] + hb
    if not (np.isfinite(top_a) and np.isfinite(top_b)):
        raise DataError("an end of the link is off the terrain grid.")
    filled = np.where(np.isnan(terrain), -np.inf, terrain) + obstacle_m
    d1, d2 = dist, d - dist
    pct = clearance_pct(dist, filled, top_a, top_b, freq_ghz, k)
    pct_worst = clearance_pct(dist, filled, top_a, top_b, freq_ghz, k_worst)
    inner = slice(1, m)
    worst_i = int(np.argmin(pct[inner])) + 1
    worst = float(pct[inner].min())
    worst_k = float(pct_worst[inner].min())
    return LinkProfile(dist, terrain, filled + earth_bulge_m(d1, d2, k),
                       top_a + (top_b - top_a) * t, fresnel_radius_m(d1, d2, freq_ghz), pct,
                       worst, worst_i, worst_k, k, k_worst, freq_ghz,
                       bool(worst >= 100.0 and worst_k >= 100.0 * worst_share))


def place_profile(table: CostTable, place: int, end: int | tuple[float, float, float] | None
                  = None, *, hop: int = 0) -> LinkProfile:
    """Profile of a link to place ``place`` (position in ``table.places``) from ``end``: an
    index into ``table.ends``, an (x, y, antenna height) in EPSG:9208, or None for the
    place's own microwave option (``hop`` 0: place → relay or far end, 1: relay → far end).
    """
    c = table.costs
    p = table.places.iloc[place]
    a = (float(p["x"]), float(p["y"]), c.microwave_place_mast_m)
    links = table.links
    if end is None:
        e = int(links.end[place])
        if e < 0:
            raise DataError(f"place {p['id']} has no microwave end within reach.")
        far = (float(table.ends.x[e]), float(table.ends.y[e]), float(table.ends.height_m[e]))
        if links.relay[place]:
            relay = (float(links.relay_x[place]), float(links.relay_y[place]),
                     c.microwave_relay_mast_m)
            a, far = (a, relay) if hop == 0 else (relay, far)
        end_xyz = far
    elif isinstance(end, tuple):
        end_xyz = tuple(float(v) for v in end)
    else:
        e = int(end)
        end_xyz = (float(table.ends.x[e]), float(table.ends.y[e]),
                   float(table.ends.height_m[e]))
    return link_profile(table.dem, a, end_xyz, freq_ghz=c.microwave_band_ghz,
                        k=c.microwave_k_median, k_worst=c.microwave_k_worst,
                        worst_share=c.microwave_worst_clearance,
                        obstacle_m=c.microwave_obstacle_m)
