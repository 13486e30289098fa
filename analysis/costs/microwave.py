"""Microwave point-to-point links from a fibre node or an existing BTS to a place, with a
relay when the terrain blocks the direct hop.

Positions in EPSG:9208 metres. A hop is feasible when it is at most the band's maximum hop
(``SETTINGS.costs.microwave_max_hop_km``) and clears the first Fresnel zone as ITU-R P.530
asks (:mod:`analysis.costs.fresnel`). The nearest ``microwave_ends`` far ends are tried; when
every one in reach is blocked, relay sites are searched among the highest DEM cells of blocks
of ``relay_block_m`` near the path (those whose two hops are both within reach), the highest
first, at most ``relay_candidates`` per end; the relay whose two hops both clear with the
shortest total length is taken.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from analysis.costs.fresnel import hop_clear, worst_clearance
from analysis.inputs import Inputs
from geo.crs import transform
from geo.dem import Dem
from geo.settings import SETTINGS, CostSettings

BLOCKED, HOP_TOO_LONG, NO_END = "blocked_terrain", "hop_too_long", "no_fibre_node_or_bts"


@dataclass
class Ends:
    """Far ends a link may start from: fibre nodes and existing BTS towers (one per
    position, the highest antenna), metric ``x``/``y`` and antenna ``height_m``."""

    kind: np.ndarray  # "fibre_node" or "bts"
    id: np.ndarray
    x: np.ndarray
    y: np.ndarray
    height_m: np.ndarray

    def __len__(self) -> int:
        return self.x.size


def ends_of(inputs: Inputs, costs: CostSettings = SETTINGS.costs) -> Ends:
    """The fibre nodes (mast ``costs.microwave_node_mast_m``) and the BTS of ``inputs``."""
    nodes = inputs.fibre_nodes.to_crs(SETTINGS.crs.metric)
    nodes = nodes[nodes.geometry.geom_type == "Point"]
    sites = pd.DataFrame(inputs.sites.drop(columns="geometry"))
    sx, sy = transform(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float),
                       SETTINGS.crs.display, SETTINGS.crs.metric)
    towers = pd.DataFrame({"id": sites["site_id"].astype(str).to_numpy(), "x": np.round(sx, 0),
                           "y": np.round(sy, 0),
                           "h": sites["height_m"].to_numpy(float)})
    towers = (towers.sort_values("h", ascending=False).drop_duplicates(["x", "y"])
              .sort_index())
    id_col = "node_id" if "node_id" in nodes else nodes.columns[0]
    return Ends(
        np.r_[np.full(len(nodes), "fibre_node", object), np.full(len(towers), "bts", object)],
        np.r_[nodes[id_col].astype(str).to_numpy(object), towers["id"].to_numpy(object)],
        np.r_[nodes.geometry.x.to_numpy(), towers["x"].to_numpy(float)],
        np.r_[nodes.geometry.y.to_numpy(), towers["y"].to_numpy(float)],
        np.r_[np.full(len(nodes), costs.microwave_node_mast_m),
              np.nan_to_num(towers["h"].to_numpy(float), nan=costs.microwave_node_mast_m)])


def relay_candidates(dem: Dem, block_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The highest DEM cell of each block of ``block_m``: metric x, y and elevation."""
    f = max(1, round(block_m / dem.resolution_m))
    z = dem.elevation
    ny, nx = z.shape
    py, px = -ny % f, -nx % f
    padded = np.pad(z, ((0, py), (0, px)), constant_values=np.nan)
    by, bx = padded.shape[0] // f, padded.shape[1] // f
    blocks = padded.reshape(by, f, bx, f).transpose(0, 2, 1, 3).reshape(by, bx, f * f)
    filled = np.where(np.isnan(blocks), -np.inf, blocks)
    arg = filled.argmax(axis=2)
    top = np.take_along_axis(filled, arg[..., None], axis=2)[..., 0]
    rows = np.arange(by)[:, None] * f + arg // f
    cols = np.arange(bx)[None, :] * f + arg % f
    keep = np.isfinite(top)
    t = dem.transform
    return (t.c + (cols[keep] + 0.5) * t.a, t.f + (rows[keep] + 0.5) * t.e,
            top[keep].astype(float))


@dataclass
class Links:
    """The microwave option of each place (arrays aligned with the places)."""

    feasible: np.ndarray
    reason: np.ndarray  # "" when feasible
    end: np.ndarray  # index into Ends (−1: none)
    relay_x: np.ndarray  # NaN: direct hop
    relay_y: np.ndarray
    hops: np.ndarray  # 1 direct, 2 via a relay, 0 none
    length_m: np.ndarray  # total hop length
    clearance_pct: np.ndarray  # worst clearance at the median k, % of F1 (worst hop)
    clearance_worst_k_pct: np.ndarray  # … at the worst-case k

    @property
    def relay(self) -> np.ndarray:
        return self.hops == 2


def links(dem: Dem, x: np.ndarray, y: np.ndarray, ends: Ends,
          costs: CostSettings = SETTINGS.costs, *, place_mast_m: float | None = None,
          obstacle_m: float | None = None) -> Links:
    """The best microwave link to each place at metric ``x``, ``y`` (EPSG:9208)."""
    n = np.size(x)
    x, y = np.asarray(x, float), np.asarray(y, float)
    mast = costs.microwave_place_mast_m if place_mast_m is None else place_mast_m
    obstacle = costs.microwave_obstacle_m if obstacle_m is None else obstacle_m
    freq = costs.microwave_band_ghz
    max_hop = costs.microwave_max_hop_km[freq] * 1000.0
    ks = (costs.microwave_k_median, costs.microwave_k_worst)
    share = costs.microwave_worst_clearance
    out = Links(np.zeros(n, bool), np.full(n, NO_END, object), np.full(n, -1, np.int64),
                np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, np.int64),
                np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan))
    if n == 0 or len(ends) == 0:
        return out
    k = min(costs.microwave_ends, len(ends))
    tree = cKDTree(np.column_stack([ends.x, ends.y]))
    dist, idx = tree.query(np.column_stack([x, y]), k=k)
    dist, idx = dist.reshape(n, k), idx.reshape(n, k)
    in_reach = dist <= max_hop
    out.reason[:] = HOP_TOO_LONG
    pi, ki = np.nonzero(in_reach)
    e = idx[pi, ki]
    worst = worst_clearance(dem, x[pi], y[pi], np.full(pi.size, mast), ends.x[e], ends.y[e],
                            ends.height_m[e], freq, ks, obstacle_m=obstacle)
    ok = hop_clear(worst, share)
    best_tried = np.full((n, 2), -np.inf)
    for j in range(pi.size):  # nearest first: the first clear end wins
        p = pi[j]
        if not out.feasible[p] and (ok[j] or worst[j, 0] > best_tried[p, 0]):
            best_tried[p] = worst[j]
            out.clearance_pct[p], out.clearance_worst_k_pct[p] = worst[j]
            out.end[p] = e[j]
            out.length_m[p] = dist[p, ki[j]]
            if ok[j]:
                out.feasible[p], out.reason[p], out.hops[p] = True, "", 1
    blocked = np.flatnonzero(~out.feasible & in_reach.any(axis=1))
    out.reason[blocked] = BLOCKED
    if blocked.size:
        _relays(dem, x, y, ends, blocked, idx, in_reach, out, costs, mast, obstacle,
                max_hop, ks, share)
    return out


def _relays(dem, x, y, ends, blocked, idx, in_reach, out, costs, mast, obstacle, max_hop,
            ks, share) -> None:
    rx, ry, rz = relay_candidates(dem, costs.relay_block_m)
    if rx.size == 0:
        return
    rtree = cKDTree(np.column_stack([rx, ry]))
    cand_p, cand_e, cand_r = [], [], []
    for p in blocked:
        for e in idx[p][in_reach[p]][:2]:  # the two nearest ends in reach
            mx, my = (x[p] + ends.x[e]) / 2, (y[p] + ends.y[e]) / 2
            d = np.hypot(x[p] - ends.x[e], y[p] - ends.y[e])
            near = np.asarray(rtree.query_ball_point([mx, my], r=max(0.75 * d,
                                                                     2 * costs.relay_block_m)))
            if near.size == 0:
                continue
            da = np.hypot(rx[near] - x[p], ry[near] - y[p])
            db = np.hypot(rx[near] - ends.x[e], ry[near] - ends.y[e])
            near = near[(da <= max_hop) & (db <= max_hop) & (da > 0) & (db > 0)]
            near = near[np.argsort(-rz[near], kind="stable")][:costs.relay_candidates]
            cand_p.append(np.full(near.size, p))
            cand_e.append(np.full(near.size, e))
            cand_r.append(near)
    if not cand_p:
        return
    cp, ce, cr = np.concatenate(cand_p), np.concatenate(cand_e), np.concatenate(cand_r)
    relay_mast = np.full(cp.size, costs.microwave_relay_mast_m)
    first = worst_clearance(dem, x[cp], y[cp], np.full(cp.size, mast), rx[cr], ry[cr],
                            relay_mast, costs.microwave_band_ghz, ks, obstacle_m=obstacle)
    second = worst_clearance(dem, rx[cr], ry[cr], relay_mast, ends.x[ce], ends.y[ce],
                             ends.height_m[ce], costs.microwave_band_ghz, ks,
                             obstacle_m=obstacle)
    ok = hop_clear(first, share) & hop_clear(second, share)
    total = (np.hypot(rx[cr] - x[cp], ry[cr] - y[cp])
             + np.hypot(rx[cr] - ends.x[ce], ry[cr] - ends.y[ce]))
    for j in np.flatnonzero(ok)[np.argsort(total[ok], kind="stable")]:
        p = cp[j]
        if out.feasible[p]:
            continue
        out.feasible[p], out.reason[p], out.hops[p], out.end[p] = True, "", 2, ce[j]
        out.relay_x[p], out.relay_y[p], out.length_m[p] = rx[cr[j]], ry[cr[j]], total[j]
        out.clearance_pct[p] = min(first[j, 0], second[j, 0])
        out.clearance_worst_k_pct[p] = min(first[j, 1], second[j, 1])
