"""Numba kernels of the coverage engine: one terrain sweep per observer, records folded in.

Grids are north-up rasters in EPSG:9208 (row 0 north), cell size ``res`` metres. For each
observer (a site position and antenna height) :func:`sweep_observer` visits every cell of a
disc once, in two independent halves (south, north; :func:`run_observers` spreads them over
the threads) row by row outward from the observer, carrying the *horizon* of each cell: the
steepest elevation slope seen from the antenna on the way to it (the cell itself excluded)
and the distance of that obstacle, over the bilinear surface through the cell centres. As in
the XDraw family of viewshed algorithms a cell's horizon comes from the two cells its sight
line passes between in the previous row (steep cells) or column (shallow cells), but not by
interpolating their slopes (on steep terrain that loses cells behind down-slope diagonals and
finds sight over peaks that block): the terrain *on the cell's own sight line* is taken at the
distances of the neighbours' obstacles (and half a cell either side), then at the point P where
the line enters the cell's last bilinear patch, and the patch's own maximum between P and the
cell (analytic: the profile is quadratic there). Only two rows of horizons are kept per
half. Terrain heights are lowered by the earth's bulge d² / (2 k a).

Along the same sight lines the sweep carries what ITU-R P.526-15 §4.5 delta-Bullington (as in
P.452-16 §4.2) needs, each cell taking it from the entry point P as it takes the horizon: the
integrals of the profile's height and first moment (interpolated at P, plus the trapezoid to
the cell), which give the least-squares smooth surface of the path and so the antennas'
heights above it (P.452-16 §5.1.6); and one receiver-side candidate obstacle (the point of the
path steepest seen back from the cell's receiver, among the neighbours' candidates and P).
Per cell :func:`_path_terms` then finds the Bullington point where the steepest rays from the
two ends meet (or, on line of sight, the most intrusive of the candidates) and the table
positions of the smooth-earth term; every record of the observer turns them into loss with
its own wavelength and tables (:func:`_apply_row`): the median model less delta-Bullington
over flat ground, plus the path's delta-Bullington (P.526-15 eq. 45 general-path correction,
the smooth-earth term of :mod:`analysis.smooth_earth`), and folds the power into best-server
grids.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from analysis.propagation import KNIFE_EDGE_V_MIN, knife_edge_kernel

NO_OBSTACLE = -1.0e9  # slope sentinel: nothing between antenna and cell
NO_SIGNAL = -1.0e30  # power sentinel in working grids
NO_TERRAIN = -1.0e9  # relative height of a nodata cell: blocks nothing
UNKNOWN = -2  # runner-up id unknown (after a removal)

# Fast-math without the no-NaN assumption: nodata cells are NaN.
_FAST = {"contract", "arcp", "nsz", "afn", "reassoc"}
_jit = numba.njit(cache=True, fastmath=_FAST, nogil=True)
_inline = numba.njit(cache=True, fastmath=_FAST, nogil=True, inline="always")


@_jit
def distance_tables(ext, res, axes):
    """Distance (m), its inverse and its fractional index on the smooth-earth tables'
    distance axis (``axes[0:3]``) for every |row|, |col| offset up to ``ext`` cells."""
    dtab = np.empty((ext + 1, ext + 1), np.float32)
    itab = np.empty((ext + 1, ext + 1), np.float32)
    ptab = np.empty((ext + 1, ext + 1), np.float32)
    for i in range(ext + 1):
        for j in range(ext + 1):
            d = math.sqrt(i * i + j * j) * res
            dtab[i, j] = d if d > 0.0 else 0.5 * res
            itab[i, j] = 1.0 / dtab[i, j]
            ptab[i, j] = min(max((math.log(dtab[i, j]) - axes[0]) * axes[1], 0.0), axes[2])
    return dtab, itab, ptab


@_inline
def _height_on_ray(dem, r0, c0, dr, dc, s, inv_d, z_obs, curv):
    """Height above the antenna (earth bulge removed) of the bilinear terrain ``s`` m along
    the sight line to offset (dr, dc) (``1 / inv_d`` m long); NO_TERRAIN on nodata."""
    ny, nx = dem.shape
    f = s * inv_d
    y = r0 + dr * f
    x = c0 + dc * f
    i = min(max(int(y), 0), ny - 2)  # y >= -1: truncation is floor where it matters
    j = min(max(int(x), 0), nx - 2)
    wy = y - i
    wx = x - j
    top = dem[i, j] + wx * (dem[i, j + 1] - dem[i, j])
    bottom = dem[i + 1, j] + wx * (dem[i + 1, j + 1] - dem[i + 1, j])
    z = top + wy * (bottom - top)
    if not (z > -1.0e6):
        return NO_TERRAIN
    return z - s * s * curv - z_obs


@_inline
def _ray_horizon(dem, r0, c0, dr, dc, d, inv_d, z_obs, curv, s1, d1, s2, d2, res):
    """Horizon (slope, distance) of the sight line to (dr, dc) from the obstacles of the two
    neighbouring sight lines: the terrain on this line at their distances (a ridge crosses
    neighbouring lines at nearly the same distance), and half a cell (``res`` m) either side
    of the higher. Never above this line's true horizon, where interpolating the neighbours'
    slopes may be. Candidates (height h, distance s) are compared as h1 s2 > h2 s1: one
    division per cell."""
    hz, hd = NO_TERRAIN, 1.0
    if s1 > 0.5 * NO_OBSTACLE and d1 > 0.0:
        hz = _height_on_ray(dem, r0, c0, dr, dc, d1, inv_d, z_obs, curv)
        hd = d1
    if s2 > 0.5 * NO_OBSTACLE and d2 > 0.0 and d2 != d1:
        z = _height_on_ray(dem, r0, c0, dr, dc, d2, inv_d, z_obs, curv)
        if z * hd > hz * d2:
            hz, hd = z, d2
    if hz <= 0.5 * NO_TERRAIN:
        return NO_OBSTACLE, 0.0
    # The crest on this line may lie a little nearer or farther.
    for off in (-0.5 * res, 0.5 * res):
        dd = hd + off
        if 0.0 < dd < d:
            z = _height_on_ray(dem, r0, c0, dr, dc, dd, inv_d, z_obs, curv)
            if z * hd > hz * dd:
                hz, hd = z, dd
    return hz / hd, hd


@_inline
def _sector_gain(dr, dc, azimuth, beamwidth, max_att):
    """3GPP TR 36.814 horizontal pattern towards offset (dr, dc); omni if azimuth < 0."""
    if azimuth < 0.0:
        return 0.0
    bearing = math.degrees(math.atan2(dc, -dr))
    phi = (bearing - azimuth + 180.0) % 360.0 - 180.0
    return -min(12.0 * (phi / beamwidth) ** 2, max_att)


@_inline
def _bullington(v, d, jtab, ftab, v_max, inv_dv):
    """P.526-15 eq. (45): knife-edge loss of the Bullington point, corrected for a general
    path of ``d`` m (``ftab`` holds 1 - exp(-J / 6) beside ``jtab``), dB."""
    if v <= KNIFE_EDGE_V_MIN:
        return 0.0
    if v < v_max:
        i = int((v - KNIFE_EDGE_V_MIN) * inv_dv)
        return jtab[i] + ftab[i] * (10.0 + 2.0e-5 * d)
    luc = knife_edge_kernel(v)
    return luc + (1.0 - math.exp(-luc / 6.0)) * (10.0 + 2.0e-5 * d)


@_inline
def _trilinear(tab, pd, pt, pr, f):
    """Field ``f`` of ``tab`` (last index) read trilinearly at fractional indices (pd, pt,
    pr)."""
    i, j, k = int(pd), int(pt), int(pr)
    wi, wj, wk = pd - i, pt - j, pr - k
    a = tab[i, j, k, f] + wk * (tab[i, j, k + 1, f] - tab[i, j, k, f])
    b = tab[i, j + 1, k, f] + wk * (tab[i, j + 1, k + 1, f] - tab[i, j + 1, k, f])
    c = tab[i + 1, j, k, f] + wk * (tab[i + 1, j, k + 1, f] - tab[i + 1, j, k, f])
    e = tab[i + 1, j + 1, k, f] + wk * (tab[i + 1, j + 1, k + 1, f] - tab[i + 1, j + 1, k, f])
    lo = a + wj * (b - a)
    return lo + wi * (c + wj * (e - c) - lo)


@_inline
def _position(x, log0, scale, top):
    """Fractional index of ``x`` on a log axis starting at exp(log0), clamped to [0, top].
    The logarithm is a short series (error < 2e-5, an index error below 1e-4): the sweep
    takes two per cell, where the library's is several times slower."""
    m, e = math.frexp(max(x, 1e-3))
    q = (m - 1.0) / (m + 1.0)
    q2 = q * q
    log_x = 2.0 * q * (1.0 + q2 * (1.0 / 3.0 + q2 * (0.2 + q2 / 7.0))) + e * 0.6931471805599453
    return min(max((log_x - log0) * scale, 0.0), top)


# Fields of the per-cell output row (``orow``) the records read.
O_G, O_D, O_T, O_R = 0, 1, 2, 3
# Fields of the carried state rows (``st``): horizon slope and distance, the cell's height,
# the profile's mean height and first moment, the receiver-side candidate's distance.
S_S, S_D, S_Z, S_M1, S_M2, S_X = 0, 1, 2, 3, 4, 5
N_STATE = 6
N_OUT = 4


@_jit
def _apply_row(dr, lo, hi, ext, col_shift, orow, drow, ref, pl_los, pl_nlos, inv_step, isl, jtab,
               ftab, v_max, inv_dv, dsph, azimuth, beamwidth, max_att, threshold, rec, best,
               best_id, servers, second, second_id, track_second):
    """Fold one record's power over one row segment lo <= dc <= hi into the row's grids:
    the record's tables (median model less delta-Bullington over flat ground), plus
    delta-Bullington on the path."""
    for dc in range(lo, hi + 1):
        b = ext + dc
        g = orow[O_G, b]
        if not (g == g):  # NaN: no output here
            continue
        d = drow[abs(dc)]
        i = int(d * inv_step)
        pd, pt, pr = orow[O_D, b], orow[O_T, b], orow[O_R, b]
        loss = _trilinear(dsph, pd, pt, pr, 0)
        if g > NO_OBSTACLE:
            loss += _bullington(g * isl, d, jtab, ftab, v_max, inv_dv)
        if g <= 0.0:
            # Line of sight: the profile's most intrusive point is sought among the sweep's
            # candidates; the smooth surface's own loss is the least the path is given.
            loss = pl_los[i] + max(loss, _trilinear(dsph, pd, pt, pr, 1))
        else:
            loss += pl_nlos[i]
        p = ref - loss
        if azimuth >= 0.0:
            p += _sector_gain(dr, dc, azimuth, beamwidth, max_att)
        c = dc + col_shift
        if p >= threshold:
            servers[c] += 1
        if p > best[c]:
            if track_second:
                second[c] = best[c]
                second_id[c] = best_id[c]
            best[c] = p
            best_id[c] = rec
        elif track_second and p > second[c]:
            second[c] = p
            second_id[c] = rec


@_inline
def _path_terms(orow, b, d, pd, inv_d, hs, hd, zc, rx_height, curv, m1, m2, xr, zxr, h_obs,
                axes):
    """Per-path terms of the cell at distance ``d`` for the records: the geometry of the
    Bullington point (``g`` with v = g / sqrt(λ); g <= 0 on line of sight, where it is the
    most intrusive of the candidate points), and the fractional table indices of the distance
    and of the antennas' heights above the path's smooth surface (P.452-16 §5.1.6)."""
    zr = zc + rx_height  # receiver, heights relative to the antenna, bulge removed
    excess = hs - zr * inv_d
    # Least-squares smooth surface of the profile (heights relative to the antenna, with
    # the bulge): its heights at the two ends, then lowered by the obstruction (§5.1.6.3).
    bulge = d * d * curv
    zr_u = zr + bulge
    h_st = 4.0 * m1 - 6.0 * m2
    h_sr = 6.0 * m2 - 2.0 * m1
    h_o, a_t, a_r = -1.0e30, -1.0e30, -1.0e30
    if hs > 0.5 * NO_OBSTACLE and d > hd > 0.0:
        ht = hs * hd + hd * hd * curv - zr_u * hd * inv_d
        h_o, a_t, a_r = ht, ht / hd, ht / (d - hd)
    if d > xr > 0.0:
        hr = zxr + xr * xr * curv - zr_u * xr * inv_d
        h_o, a_t, a_r = max(h_o, hr), max(a_t, hr / xr), max(a_r, hr / (d - xr))
    if h_o > 0.0:
        h_st -= h_o * a_t / (a_t + a_r)
        h_sr -= h_o * a_r / (a_t + a_r)
    hte = max(-h_st, h_obs)  # the smooth surface is not above the ground at either end
    hre = max(zr_u - h_sr, rx_height)
    orow[O_D, b] = pd
    orow[O_T, b] = _position(hte, axes[3], axes[4], axes[5])
    orow[O_R, b] = _position(hre, axes[3], axes[4], axes[5])
    if excess > 0.0 and d > hd > 0.0:
        # Bullington point: where the steepest rays from the two ends meet (P.526-15 §4.5.2).
        s_r = (hs * hd - zr) / (d - hd)
        if d > xr > 0.0:
            s_r = max(s_r, (zxr - zr) / (d - xr))
        db = min(max((zr + s_r * d) / (hs + s_r), 1e-3 * d), 0.999 * d)
        orow[O_G, b] = db * excess * math.sqrt(2.0 * d / (db * (d - db)))
        return
    # Line of sight: the most intrusive point, of the transmitter horizon and the candidate.
    g = NO_OBSTACLE
    if hs > 0.5 * NO_OBSTACLE and d > hd > 0.0:
        g = (hs * hd - zr * hd * inv_d) * math.sqrt(2.0 * d / (hd * (d - hd)))
    if d > xr > 0.0:
        g = max(g, (zxr - zr * xr * inv_d) * math.sqrt(2.0 * d / (xr * (d - xr))))
    orow[O_G, b] = min(g, 0.0) if g > 0.5 * NO_OBSTACLE else NO_OBSTACLE


@_jit
def sweep_observer(dem, r0, c0, z_obs, radius, res, rx_height, curv, dtab, itab, ptab, st,
                   orow,
                   recs, rec_r2, rec_ref, rec_pl_los, rec_pl_nlos, rec_isl, rec_threshold,
                   rec_group, rec_index, rec_azimuth, rec_beamwidth, rec_band, max_att,
                   inv_step, jtab, ftab, v_max, inv_dv, dsph, axes, best, best_id, servers,
                   second, second_id, track_second, los_count, los_weight, los_only, row0,
                   col0, half):
    """Sweep one half of the disc of ``radius`` cells around (r0, c0) and fold records
    ``recs`` in: the observer's row and those south of it (``half`` 1), or those north of it
    (``half`` -1; the observer's row is swept again for their start but not output).

    Output grids are windowed at (row0, col0); the sweep stops at the window's (and the
    grid's) edges, since a cell's terms depend only on cells no farther from the observer
    in rows and in columns. ``st`` is (N_STATE, 2, side) scratch: per field the previous row
    and the current one; ``orow`` (N_OUT, side) holds the current row's per-path terms (its
    O_G field NaN where no output).
    """
    ny, nx = dem.shape
    h_obs = z_obs - dem[r0, c0]
    oy, ox = best.shape[1], best.shape[2]
    if los_only:
        oy, ox = los_count.shape
    ext = radius + 2
    rlim2 = (radius + 0.5) ** 2
    res2curv = res * res * curv
    n_rec = recs.size
    # The last row and the last column offsets either side that reach the window and grid.
    last_row = min(ny, row0 + oy) - 1 - r0 if half > 0 else r0 - max(0, row0)
    last_east = min(nx, col0 + ox) - 1 - c0
    last_west = c0 - max(0, col0)
    prev, cur = 0, 1
    frac = np.empty(ext + 2)  # (a - 1) / a: fraction of the way at the previous column
    frac[0] = 0.0
    for a in range(1, ext + 2):
        frac[a] = (a - 1) / a
    for adr in range(min(ext, last_row) + 1):
        dr = half * adr
        rr = r0 + dr
        row_ok = 0 <= rr < ny
        orow_i = rr - row0
        out_row = 0 <= orow_i < oy and (half > 0 or adr > 0)
        width = int(math.sqrt(ext * ext - adr * adr))
        east, west = min(width, last_east), min(width, last_west)
        inv_adr = 1.0 / adr if adr > 0 else 0.0
        f0_row = (adr - 1) * inv_adr  # fraction of the way at the previous row
        for sgn in range(2):
            side = 1 if sgn == 0 else -1
            # Column 0 is swept with the east side: the west side's first cell needs it.
            for a in range(sgn, (max(east, 0) if sgn == 0 else west) + 1):
                dc = side * a
                bc = ext + dc
                if a == 0 and adr == 0:  # the observer's own cell: line of sight
                    st[S_S, cur, bc] = NO_OBSTACLE
                    st[S_D, cur, bc] = 0.0
                    st[S_Z, cur, bc] = -h_obs
                    st[S_M1, cur, bc] = -h_obs
                    st[S_M2, cur, bc] = -0.5 * h_obs
                    st[S_X, cur, bc] = 0.0
                    inside = row_ok and out_row and 0 <= c0 - col0 < ox and 0 <= c0 < nx
                    orow[O_G, bc] = NO_OBSTACLE if inside else np.nan
                    if inside and not los_only:
                        _path_terms(orow, bc, 0.5 * res, ptab[0, 0], 2.0 / res, NO_OBSTACLE, 0.0,
                                    -h_obs, rx_height, curv, -h_obs, -0.5 * h_obs, 0.0, 0.0,
                                    h_obs, axes)
                        orow[O_G, bc] = NO_OBSTACLE
                    continue
                d = dtab[adr, a]
                inv_d = itab[adr, a]
                cells2 = adr * adr + a * a
                cc = c0 + dc
                z = np.nan
                if row_ok and 0 <= cc < nx:
                    z = dem[rr, cc]
                valid = z > -1.0e6  # False for NaN / nodata: it blocks nothing
                zc = z - cells2 * res2curv - z_obs if valid else NO_TERRAIN
                st[S_Z, cur, bc] = zc
                # The sight line enters this cell's last bilinear patch at P (on the previous
                # row, or column), between the cells (l1, c1) and (l2, c2), a fraction w of
                # the way to the second; P is the observer on the first ring.
                hs, hd = NO_OBSTACLE, 0.0
                l1, k1, l2, k2, w, has_p = cur, bc, cur, bc, 0.0, False
                if a <= adr:  # steep: P on the previous row, at |column| a - a / adr
                    f0 = f0_row
                    if adr > 1:
                        l1, k1 = prev, (bc - side if a > 0 else bc)
                        l2, k2 = prev, bc
                        w = 1.0 - a * inv_adr if a > 0 else 0.0
                        has_p = True
                else:  # shallow: P on the previous column, at adr (a - 1) / a rows out
                    f0 = frac[a]
                    if a > 1:
                        has_p = True
                        if adr == 0:
                            l1, k1, l2, k2 = cur, bc - side, cur, bc - side
                        else:
                            l1, k1, l2, k2 = prev, bc - side, cur, bc - side
                            w = adr * f0 - (adr - 1)
                zp = -h_obs
                if has_p:
                    z1, z2 = st[S_Z, l1, k1], st[S_Z, l2, k2]
                    zp = z1 + w * (z2 - z1)
                    if adr == 0:
                        hs, hd = st[S_S, l1, k1], st[S_D, l1, k1]
                    else:
                        # The horizon there is the interpolated horizon before the two cells
                        # P lies between, or the terrain at P if higher.
                        hs, hd = _ray_horizon(dem, r0, c0, dr, dc, d, inv_d, z_obs, curv,
                                              st[S_S, l1, k1], st[S_D, l1, k1],
                                              st[S_S, l2, k2], st[S_D, l2, k2], res)
                    sp = zp * inv_d / f0
                    if sp > hs:
                        hs, hd = sp, d * f0
                if a > 0 and adr > 0 and valid:
                    # Highest slope of the bilinear surface between P and the cell: along the
                    # sight line z(f) = A f^2 + B f + C (f the fraction of the distance), whose
                    # slope z / (f d) has its maximum where f^2 = C / A, both negative.
                    z00 = st[S_Z, prev, bc - side]
                    z01 = st[S_Z, prev, bc]
                    z10 = st[S_Z, cur, bc - side]
                    alpha = adr * a * (z00 - z01 - z10 + zc)
                    beta = adr * (zc - z01) + a * (zc - z10)
                    cq = alpha - beta + zc
                    if alpha < cq < f0 * f0 * alpha and min(z00, z01, z10) > 0.5 * NO_TERRAIN:
                        f = math.sqrt(cq / alpha)
                        s_in = (2.0 * cq / f + beta - 2.0 * alpha) * inv_d
                        if s_in > hs:
                            hs, hd = s_in, f * d
                st[S_S, cur, bc] = hs
                st[S_D, cur, bc] = hd
                ocol = cc - col0
                out = valid and out_row and 0 <= ocol < ox and cells2 <= rlim2
                if los_only:
                    if out:
                        excess = hs - (zc + rx_height) * inv_d
                        orow[O_G, bc] = excess if hs > 0.5 * NO_OBSTACLE else NO_OBSTACLE
                    else:
                        orow[O_G, bc] = np.nan
                    continue
                # Carried along the sight line for the per-path terms: the integrals of the
                # profile's height (m1 d) and first moment (m2 d^2), heights relative to the
                # antenna with the bulge, interpolated at P, plus the trapezoid from P; and
                # the receiver-side horizon candidate (its distance).
                dp = d * f0
                zp_ok = zp > 0.5 * NO_TERRAIN
                up_ = zp + dp * dp * curv if zp_ok else 0.0
                m1p, m2p = 0.0, 0.0
                if has_p:
                    m1p = st[S_M1, l1, k1] + w * (st[S_M1, l2, k2] - st[S_M1, l1, k1])
                    m2p = st[S_M2, l1, k1] + w * (st[S_M2, l2, k2] - st[S_M2, l1, k1])
                if not zp_ok:
                    up_ = m1p if has_p else -h_obs
                uc = zc + d * d * curv if valid else up_
                seg = d - dp
                m1 = (m1p * dp + 0.5 * seg * (up_ + uc)) * inv_d
                m2 = (m2p * dp * dp + seg * (uc * (2.0 * d + dp) + up_ * (d + 2.0 * dp))
                      / 6.0) * inv_d * inv_d
                st[S_M1, cur, bc] = m1
                st[S_M2, cur, bc] = m2
                zr = (zc if valid else up_ - d * d * curv) + rx_height
                xr, zxr, best_s = 0.0, 0.0, -1.0e30
                if zp_ok and dp > 0.0:
                    xr, zxr, best_s = dp, zp, (zp - zr) / seg
                if has_p:
                    for x in (st[S_X, l1, k1], st[S_X, l2, k2]):
                        if 0.0 < x < dp and x != xr:
                            zx = _height_on_ray(dem, r0, c0, dr, dc, x, inv_d, z_obs, curv)
                            if zx > 0.5 * NO_TERRAIN and (zx - zr) / (d - x) > best_s:
                                xr, zxr, best_s = x, zx, (zx - zr) / (d - x)
                st[S_X, cur, bc] = xr
                if not out:
                    orow[O_G, bc] = np.nan
                    continue
                _path_terms(orow, bc, d, ptab[adr, a], inv_d, hs, hd, zc, rx_height, curv, m1,
                            m2, xr, zxr, h_obs, axes)
        if not out_row:
            prev, cur = cur, prev
            continue
        if los_only:
            lrow = los_count[orow_i]
            for dc in range(-west, east + 1):
                g = orow[O_G, ext + dc]
                if g <= 0.0:  # False for NaN
                    lrow[c0 + dc - col0] += los_weight
        else:
            drow = dtab[adr]
            for j in range(n_rec):
                k = recs[j]
                left = rec_r2[k] - adr * adr
                if left < 0.0:
                    continue
                wk = int(math.sqrt(left))
                _apply_row(dr, max(-wk, -west), min(wk, east), ext, c0 - col0, orow, drow,
                           rec_ref[k], rec_pl_los[k], rec_pl_nlos[k], inv_step, rec_isl[k],
                           jtab, ftab, v_max, inv_dv,
                           dsph[rec_band[k]], rec_azimuth[k], rec_beamwidth[k], max_att,
                           rec_threshold[k], rec_index[k], best[rec_group[k], orow_i],
                           best_id[rec_group[k], orow_i], servers[rec_group[k], orow_i],
                           second[rec_group[k], orow_i], second_id[rec_group[k], orow_i],
                           track_second)
        prev, cur = cur, prev  # the finished row becomes the previous row


@numba.njit(cache=True, parallel=True, nogil=True)
def run_observers(dem, res, rx_height, curv, chunks, obs_r, obs_c, obs_z, obs_radius,
                  obs_start, obs_count, rec_r2, rec_ref, rec_pl_los, rec_pl_nlos, rec_isl,
                  rec_threshold, rec_group, rec_index, rec_azimuth, rec_beamwidth, rec_band,
                  max_att, inv_step, jtab, ftab, v_max, inv_dv, dsph, axes, best, best_id,
                  servers, second, second_id, track_second, los_count, los_only, row0, col0):
    """Sweep every observer and fold its records in; thread ``t`` writes layer ``t``.

    ``chunks[t]`` lists the half sweeps of thread ``t`` (-1 padded): ``2 o`` is the southern
    half of observer ``o``, ``2 o + 1`` its northern half (:func:`sweep_observer`); observer
    ``o`` owns the records ``obs_start[o] .. obs_start[o] + obs_count[o]``. Output grids have shape
    (threads, groups, rows, cols) (``los_count``: (threads, rows, cols)); merge them with
    :func:`merge_threads` / :func:`merge_los`.
    """
    n_threads = chunks.shape[0]
    max_ext = 2
    for i in range(obs_radius.size):
        max_ext = max(max_ext, obs_radius[i] + 2)
    dtab, itab, ptab = distance_tables(max_ext, res, axes)
    for t in numba.prange(n_threads):
        # Zeroed: a zero-weight neighbour past a row's end must still be finite.
        st = np.zeros((N_STATE, 2, 2 * max_ext + 2), np.float32)
        orow = np.zeros((N_OUT, 2 * max_ext + 1), np.float32)
        for j in range(chunks.shape[1]):
            task = chunks[t, j]
            if task < 0:
                break
            o = task // 2
            ext = obs_radius[o] + 2
            off = max_ext - ext
            recs = np.arange(obs_start[o], obs_start[o] + obs_count[o])
            sweep_observer(dem, obs_r[o], obs_c[o], obs_z[o], obs_radius[o], res, rx_height,
                           curv, dtab, itab, ptab, st[:, :, off:off + 2 * ext + 2],
                           orow[:, off:off + 2 * ext + 1], recs, rec_r2, rec_ref, rec_pl_los,
                           rec_pl_nlos, rec_isl, rec_threshold, rec_group, rec_index,
                           rec_azimuth, rec_beamwidth, rec_band, max_att, inv_step, jtab, ftab,
                           v_max, inv_dv, dsph, axes, best[t], best_id[t], servers[t],
                           second[t], second_id[t], track_second, los_count[t], obs_count[o],
                           los_only, row0, col0, 1 - 2 * (task % 2))


@numba.njit(cache=True, parallel=True, nogil=True)
def merge_threads(best, best_id, servers, second, second_id, track_second):
    """Fold thread layers 1.. into layer 0 (max, argmax, sum, and the runner-up)."""
    n_threads, n_groups, ny, nx = best.shape
    for r in numba.prange(ny):
        for t in range(1, n_threads):
            for g in range(n_groups):
                for c in range(nx):
                    servers[0, g, r, c] += servers[t, g, r, c]
                    p = best[t, g, r, c]
                    if not track_second:
                        if p > best[0, g, r, c]:
                            best[0, g, r, c] = p
                            best_id[0, g, r, c] = best_id[t, g, r, c]
                        continue
                    # Top two of {best0, second0, best_t, second_t}.
                    b0, i0 = best[0, g, r, c], best_id[0, g, r, c]
                    s0 = second[0, g, r, c]
                    bt, it = p, best_id[t, g, r, c]
                    st, jt = second[t, g, r, c], second_id[t, g, r, c]
                    if bt > b0:
                        best[0, g, r, c], best_id[0, g, r, c] = bt, it
                        if b0 >= st:
                            second[0, g, r, c], second_id[0, g, r, c] = b0, i0
                        else:
                            second[0, g, r, c], second_id[0, g, r, c] = st, jt
                    elif bt > s0:
                        second[0, g, r, c], second_id[0, g, r, c] = bt, it
                    elif st > s0:
                        second[0, g, r, c], second_id[0, g, r, c] = st, jt


@numba.njit(cache=True, parallel=True, nogil=True)
def merge_los(los_count):
    """Sum thread layers of ``los_count`` into layer 0."""
    n_threads, ny, nx = los_count.shape
    for r in numba.prange(ny):
        for t in range(1, n_threads):
            for c in range(nx):
                los_count[0, r, c] += los_count[t, r, c]


@numba.njit(cache=True, parallel=True, nogil=True)
def candidate_power(dem, res, rx_height, curv, cand_r, cand_c, cand_z, cand_radius,
                    pair_start, pair_row, pair_col, rec_r2, rec_ref, rec_pl_los, rec_pl_nlos,
                    rec_isl, rec_azimuth, rec_beamwidth, rec_band, max_att, inv_step, jtab,
                    ftab, v_max, inv_dv, dsph, axes, n_chunks, out):
    """Power of each candidate site at its target cells, dBm (NO_SIGNAL beyond reach).

    Candidate ``k`` (record ``k``) is swept like any observer into a window around it, and
    ``out[pair_start[k]:pair_start[k + 1]]`` receives its power at the cells
    (``pair_row``, ``pair_col``) of its targets: exactly what the grid engine would put there.
    """
    n = cand_r.size
    max_ext = 2
    for i in range(n):
        max_ext = max(max_ext, cand_radius[i] + 2)
    dtab, itab, ptab = distance_tables(max_ext, res, axes)
    side = 2 * max_ext + 1
    no_threshold = np.full(n, 1e9)  # server counts are not needed here
    groups = np.zeros(n, np.int64)
    ids = np.arange(n).astype(np.int32)
    for t in numba.prange(n_chunks):
        st = np.zeros((N_STATE, 2, side + 1), np.float32)
        orow = np.zeros((N_OUT, side), np.float32)
        best = np.empty((1, side, side), np.float32)
        best_id = np.empty((1, side, side), np.int32)
        servers = np.zeros((1, side, side), np.uint16)
        dummy_f = np.empty((1, 1, 1), np.float32)
        dummy_i = np.empty((1, 1, 1), np.int32)
        los = np.zeros((1, 1), np.uint16)
        zero = np.zeros(1, np.int64)
        for k in range(t, n, n_chunks):
            if pair_start[k + 1] == pair_start[k]:
                continue
            ext = cand_radius[k] + 2
            off = max_ext - ext
            w = 2 * ext + 1
            best[:, :w, :w] = NO_SIGNAL
            r0 = cand_r[k] - ext
            c0 = cand_c[k] - ext
            recs = zero + k
            for half in (1, -1):
                sweep_observer(dem, cand_r[k], cand_c[k], cand_z[k], cand_radius[k], res,
                               rx_height, curv, dtab, itab, ptab,
                               st[:, :, off:off + 2 * ext + 2], orow[:, off:off + 2 * ext + 1],
                               recs, rec_r2, rec_ref, rec_pl_los, rec_pl_nlos, rec_isl,
                               no_threshold, groups, ids, rec_azimuth, rec_beamwidth, rec_band,
                               max_att, inv_step, jtab, ftab, v_max, inv_dv, dsph, axes,
                               best[:, :w, :w], best_id[:, :w, :w], servers[:, :w, :w],
                               dummy_f, dummy_i, False, los, 1, False, r0, c0, half)
            for p in range(pair_start[k], pair_start[k + 1]):
                rr = pair_row[p] - r0
                cc = pair_col[p] - c0
                if 0 <= rr < w and 0 <= cc < w:
                    out[p] = best[0, rr, cc]
