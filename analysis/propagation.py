"""Path-loss, diffraction and antenna models for the coverage engine.

Units: distances in metres (``_km`` when a name says so), frequencies MHz, heights metres,
losses and gains dB. Public functions accept scalars or numpy arrays and broadcast; a scalar
call returns a ``float``.

Each formula is written once, as a ``numba.njit(cache=True)`` scalar kernel (``*_kernel``)
that the coverage engine calls per grid cell inside its own numba loops. The public numpy
functions validate their inputs and call the same kernels through ``numba.vectorize`` ufuncs.

Model per band (:func:`path_loss_db`, bands used in Vietnam):

=========  ==========================  ==============  ====================================
MHz        model                       model's range   note
=========  ==========================  ==============  ====================================
700, 900   Okumura-Hata                150-1500 MHz    in range
1800       COST-231 Hata               1500-2000 MHz   in range
2100       COST-231 Hata (stretched)   1500-2000 MHz   used to ``cost231_max_mhz`` (2200)
2600-3800  3GPP TR 38.901 RMa          0.5-30 GHz      NLOS, or LOS when the caller says so
=========  ==========================  ==============  ====================================

Hata and COST-231 are fitted for 1-20 km, base 30-200 m, mobile 1-10 m; RMa for 10 m-10 km
(LOS) / 5 km (NLOS), base 10-150 m, mobile 1-10 m. Outside those ranges the formulas are
extrapolated (``SETTINGS.radio.max_radius_m`` keeps this modest), and :func:`path_loss_db`
never returns less than free space, which guards short distances.

Terrain diffraction on a profile (:func:`profile_diffraction_db`): ITU-R P.526-15 sec. 4.5 /
P.452-16 sec. 4.2.3 delta-Bullington by default, :func:`delta_bullington_terms` for its
pieces; checked against pycraf 2.1.0's P.452-16 values recorded in
``tests/analysis/data/p452_oracle.json`` (scripts/record_p452_oracle.py).
"""

from __future__ import annotations

import math
from typing import Final, Literal, NamedTuple

import numba
import numpy as np
import numpy.typing as npt

from geo.settings import SETTINGS

FloatOrArray = float | npt.NDArray[np.float64]
Environment = Literal["urban_large", "urban", "suburban", "rural"]

SPEED_OF_LIGHT_M_S: Final = 299_792_458.0
C_3GPP_M_S: Final = 3.0e8  # TR 38.901 Table 7.4.1-1 note 5 fixes c = 3.0e8 m/s for d_BP
FREE_SPACE_CONST_DB: Final = 32.44  # ITU-R P.525, d in km and f in MHz
KNIFE_EDGE_V_MIN: Final = -0.78  # ITU-R P.526 eq. (31): J(v) = 0 at and below this v
HATA_MIN_MHZ, HATA_MAX_MHZ = 150.0, 1500.0
COST231_MIN_MHZ, COST231_MAX_MHZ = 1500.0, 2000.0
RMA_MIN_MHZ, RMA_MAX_MHZ = 500.0, 30_000.0

URBAN_LARGE, URBAN, SUBURBAN, RURAL = 0, 1, 2, 3
ENVIRONMENT_CODES: Final = {"urban_large": URBAN_LARGE, "urban": URBAN, "suburban": SUBURBAN,
                            "rural": RURAL}
DEYGOUT, BULLINGTON, DELTA_BULLINGTON = 0, 1, 2
DIFFRACTION_METHODS: Final = {"deygout": DEYGOUT, "bullington": BULLINGTON,
                              "delta_bullington": DELTA_BULLINGTON}
POLARIZATIONS: Final = ("horizontal", "vertical")

_RADIO = SETTINGS.radio
_jit = numba.njit(cache=True)

# --- scalar kernels (d_m: ground distance, f: MHz, hb/hm: base/mobile antenna height, m) ---


@_jit
def free_space_kernel(d_m: float, f: float) -> float:
    """Free-space basic loss, ITU-R P.525: 32.44 + 20 log10 f_MHz + 20 log10 d_km, dB."""
    return FREE_SPACE_CONST_DB + 20.0 * math.log10(f) + 20.0 * math.log10(d_m / 1000.0)


@_jit
def _mobile_correction(f: float, hm: float, env: int) -> float:
    """Hata a(hm), dB: large-city form for ``urban_large``, small/medium-city otherwise."""
    if env == URBAN_LARGE:
        if f <= 300.0:  # Hata gives the forms for <= 200 and >= 400 MHz; split the gap
            return 8.29 * math.log10(1.54 * hm) ** 2 - 1.1
        return 3.2 * math.log10(11.75 * hm) ** 2 - 4.97
    return (1.1 * math.log10(f) - 0.7) * hm - (1.56 * math.log10(f) - 0.8)


@_jit
def _area_correction(f: float, env: int) -> float:
    """Hata suburban (-2 log(f/28)^2 - 5.4) or open-area (rural) correction, dB."""
    lf = math.log10(f)
    if env == SUBURBAN:
        return -2.0 * math.log10(f / 28.0) ** 2 - 5.4
    if env == RURAL:
        return -4.78 * lf * lf + 18.33 * lf - 40.94
    return 0.0


@_jit
def hata_kernel(d_m: float, f: float, hb: float, hm: float, env: int) -> float:
    """Okumura-Hata median loss (Hata 1980, IEEE Trans. VT-29(3)), dB; ``env`` a code."""
    lhb = math.log10(hb)
    urban = (69.55 + 26.16 * math.log10(f) - 13.82 * lhb - _mobile_correction(f, hm, env)
             + (44.9 - 6.55 * lhb) * math.log10(d_m / 1000.0))
    return urban + _area_correction(f, env)


@_jit
def cost231_kernel(d_m: float, f: float, hb: float, hm: float, env: int) -> float:
    """COST-231 Hata (COST 231 final report 1999, sec. 4.4.1), dB; ``env`` a code."""
    lhb = math.log10(hb)
    c_m = 3.0 if env == URBAN_LARGE else 0.0
    urban = (46.3 + 33.9 * math.log10(f) - 13.82 * lhb - _mobile_correction(f, hm, env)
             + (44.9 - 6.55 * lhb) * math.log10(d_m / 1000.0) + c_m)
    return urban + _area_correction(f, env)


@_jit
def rma_breakpoint_kernel(f: float, hb: float, hm: float) -> float:
    """RMa breakpoint d_BP = 2 pi hBS hUT fc / c (TR 38.901 Table 7.4.1-1 note 5), m."""
    return 2.0 * math.pi * hb * hm * f * 1e6 / C_3GPP_M_S


@_jit
def _rma_pl1(d3d: float, fc_ghz: float, h: float) -> float:
    h172 = h**1.72
    return (20.0 * math.log10(40.0 * math.pi * d3d * fc_ghz / 3.0)
            + min(0.03 * h172, 10.0) * math.log10(d3d) - min(0.044 * h172, 14.77)
            + 0.002 * math.log10(h) * d3d)


@_jit
def rma_los_kernel(d_m: float, f: float, hb: float, hm: float, h: float) -> float:
    """TR 38.901 RMa LOS: PL1 to d_BP, PL2 beyond; ``h`` building height, dB."""
    d3d = math.hypot(d_m, hb - hm)
    d_bp = rma_breakpoint_kernel(f, hb, hm)
    if d_m <= d_bp:
        return _rma_pl1(d3d, f / 1000.0, h)
    return _rma_pl1(d_bp, f / 1000.0, h) + 40.0 * math.log10(d3d / d_bp)


@_jit
def rma_nlos_kernel(d_m: float, f: float, hb: float, hm: float, w: float, h: float) -> float:
    """TR 38.901 RMa NLOS max(PL_LOS, PL'_NLOS); ``w`` street width, ``h`` buildings, dB."""
    lhb = math.log10(hb)
    nlos = (161.04 - 7.1 * math.log10(w) + 7.5 * math.log10(h)
            - (24.37 - 3.7 * (h / hb) ** 2) * lhb
            + (43.42 - 3.1 * lhb) * (math.log10(math.hypot(d_m, hb - hm)) - 3.0)
            + 20.0 * math.log10(f / 1000.0) - (3.2 * math.log10(11.75 * hm) ** 2 - 4.97))
    return max(rma_los_kernel(d_m, f, hb, hm, h), nlos)


@_jit
def rma_kernel(d_m: float, f: float, hb: float, hm: float, los: bool, w: float,
               h: float) -> float:
    """TR 38.901 RMa loss, LOS or NLOS, dB."""
    return rma_los_kernel(d_m, f, hb, hm, h) if los else rma_nlos_kernel(d_m, f, hb, hm, w, h)


@_jit
def path_loss_kernel(d_m: float, f: float, hb: float, hm: float, env: int, los: bool,
                     w: float, h: float, cost231_max_mhz: float) -> float:
    """Band dispatcher of :func:`path_loss_db`, floored at free space, dB."""
    if f < HATA_MAX_MHZ:
        loss = hata_kernel(d_m, f, hb, hm, env)
    elif f <= cost231_max_mhz:
        loss = cost231_kernel(d_m, f, hb, hm, env)
    else:
        loss = rma_kernel(d_m, f, hb, hm, los, w, h)
    return max(loss, free_space_kernel(d_m, f))


@_jit
def fresnel_v_kernel(h_m: float, d1_m: float, d2_m: float, wavelength_m: float) -> float:
    """v = h sqrt(2 (d1 + d2) / (lambda d1 d2)), ITU-R P.526 eq. (26)."""
    return h_m * math.sqrt(2.0 * (d1_m + d2_m) / (wavelength_m * d1_m * d2_m))


@_jit
def knife_edge_kernel(v: float) -> float:
    """Knife-edge loss J(v), ITU-R P.526 eq. (31); 0 for v <= -0.78, dB."""
    if v <= KNIFE_EDGE_V_MIN:
        return 0.0
    x = v - 0.1
    return 6.9 + 20.0 * math.log10(math.sqrt(x * x + 1.0) + x)


@_jit
def earth_bulge_kernel(d1_m: float, d2_m: float, k: float, earth_radius_m: float) -> float:
    """Earth bulge d1 d2 / (2 k a), m."""
    return d1_m * d2_m / (2.0 * k * earth_radius_m)


@_jit
def antenna_gain_kernel(bearing_deg: float, azimuth_deg: float, beamwidth_deg: float,
                        front_to_back_db: float) -> float:
    """TR 36.814 pattern -min(12 (phi/phi_3dB)^2, A_m), dB; NaN azimuth = omni (0 dB)."""
    if math.isnan(azimuth_deg):
        return 0.0
    phi = (bearing_deg - azimuth_deg + 180.0) % 360.0 - 180.0
    return -min(12.0 * (phi / beamwidth_deg) ** 2, front_to_back_db)


@_jit
def _max_v(x: np.ndarray, h: np.ndarray, i0: int, i1: int, wavelength_m: float):
    """Index and v of the point strictly between i0 and i1 with the largest v."""
    best_i, best_v = -1, -np.inf
    for i in range(i0 + 1, i1):
        d1, d2 = x[i] - x[i0], x[i1] - x[i]
        v = fresnel_v_kernel(h[i] - h[i0] - (h[i1] - h[i0]) * d1 / (d1 + d2), d1, d2,
                             wavelength_m)
        if v > best_v:
            best_i, best_v = i, v
    return best_i, best_v


@_jit
def _deygout(x: np.ndarray, h: np.ndarray, wavelength_m: float) -> float:
    """Deygout main + two secondary edges with P.452-14 eq. (24)'s empirical correction."""
    n = x.size
    im, vm = _max_v(x, h, 0, n - 1, wavelength_m)
    if im < 0 or vm <= KNIFE_EDGE_V_MIN:
        return 0.0
    l_m = knife_edge_kernel(vm)
    l_t = knife_edge_kernel(_max_v(x, h, 0, im, wavelength_m)[1])
    l_r = knife_edge_kernel(_max_v(x, h, im, n - 1, wavelength_m)[1])
    return l_m + (1.0 - math.exp(-l_m / 6.0)) * (l_t + l_r + 10.0 + 0.04 * x[n - 1] / 1000.0)


@_jit
def _bullington_v(x: np.ndarray, h: np.ndarray, wavelength_m: float):
    """Bullington point's v and whether the path is line of sight (P.526-15 sec. 4.5.1).

    ``h``: heights of the profile above the chord's datum with the earth bulge already added
    to the intermediate points and the antennas' heights above sea level at both ends.
    """
    n = x.size
    total, hts, hrs = x[n - 1], h[0], h[n - 1]
    s_tim, s_rim = -np.inf, -np.inf
    for i in range(1, n - 1):
        s_tim = max(s_tim, (h[i] - hts) / x[i])
        s_rim = max(s_rim, (h[i] - hrs) / (total - x[i]))
    # Line of sight (P.526 case 1) or grazing (s_tim + s_rim == 0): most intrusive point.
    if s_tim < (hrs - hts) / total or s_tim + s_rim <= 0.0:
        return _max_v(x, h, 0, n - 1, wavelength_m)[1], s_tim < (hrs - hts) / total
    d_bp = (hrs - hts + s_rim * total) / (s_tim + s_rim)
    h_bp = hts + s_tim * d_bp - (hts * (total - d_bp) + hrs * d_bp) / total
    return fresnel_v_kernel(h_bp, d_bp, total - d_bp, wavelength_m), False


@_jit
def bullington_loss_kernel(v: float, d_km: float) -> float:
    """General-path Bullington loss L_uc + (1 - exp(-L_uc/6))(10 + 0.02 d_km), P.526-15."""
    l_uc = knife_edge_kernel(v)
    return l_uc + (1.0 - math.exp(-l_uc / 6.0)) * (10.0 + 0.02 * d_km)


@_jit
def _bullington(x: np.ndarray, h: np.ndarray, wavelength_m: float) -> float:
    return bullington_loss_kernel(_bullington_v(x, h, wavelength_m)[0], x[x.size - 1] / 1000.0)


@_jit
def _g_height_gain(b: float, k: float) -> float:
    """P.452-16 eq. (33) G(Y) from B = beta_dft Y, limited to >= 2 + 20 log K, dB."""
    floor = 2.0 + 20.0 * math.log10(k)
    if b > 2.0:
        g = 17.6 * math.sqrt(b - 1.1) - 5.0 * math.log10(b - 1.1) - 8.0
    elif b > 0.0:
        g = 20.0 * math.log10(b + 0.1 * b ** 3)
    else:
        return floor
    return max(g, floor)


@_jit
def _l_dft_land(a_km: float, d_km: float, f_ghz: float, h_te: float, h_re: float,
                vertical: bool) -> float:
    """First-term spherical-earth loss over land (eps_r 22, sigma 0.003 S/m), P.452-16
    eqs. (30)-(33), dB; ``a_km`` the earth radius, heights m."""
    eps_r, sigma = 22.0, 0.003
    kk = (0.036 * (a_km * f_ghz) ** (-1.0 / 3.0)
          * ((eps_r - 1.0) ** 2 + (18.0 * sigma / f_ghz) ** 2) ** -0.25)
    if vertical:
        kk *= math.sqrt(eps_r ** 2 + (18.0 * sigma / f_ghz) ** 2)
    k2 = kk * kk
    k4 = k2 * k2
    beta = (1.0 + 1.6 * k2 + 0.67 * k4) / (1.0 + 4.5 * k2 + 1.53 * k4)
    x = 21.88 * beta * (f_ghz / a_km ** 2) ** (1.0 / 3.0) * d_km
    y = 0.9575 * beta * (f_ghz ** 2 / a_km) ** (1.0 / 3.0)
    if x >= 1.6:
        f_x = 11.0 + 10.0 * math.log10(x) - 17.6 * x
    else:
        f_x = -20.0 * math.log10(x) - 5.6488 * x ** 1.425
    return -f_x - _g_height_gain(beta * y * h_te, kk) - _g_height_gain(beta * y * h_re, kk)


@_jit
def spherical_earth_loss_kernel(d_km: float, f_mhz: float, a_km: float, h_te: float,
                                h_re: float, vertical: bool) -> float:
    """Spherical-earth diffraction loss L_dsph over land, P.452-16 sec. 4.2.2 (omega = 0), dB.

    ``h_te``, ``h_re``: antenna heights above the smooth earth, m; ``a_km``: a_e, km.
    """
    h_te, h_re = max(h_te, 1e-9), max(h_re, 1e-9)  # a 0 m antenna on the ground
    f_ghz = f_mhz / 1000.0
    d_los = math.sqrt(2.0 * a_km) * (math.sqrt(0.001 * h_te) + math.sqrt(0.001 * h_re))
    if d_km >= d_los:
        return _l_dft_land(a_km, d_km, f_ghz, h_te, h_re, vertical)
    c = (h_te - h_re) / (h_te + h_re)
    m = 250.0 * d_km * d_km / (a_km * (h_te + h_re))
    arg = min(1.0, max(-1.0, 1.5 * c * math.sqrt(3.0 * m / (m + 1.0) ** 3)))
    b = 2.0 * math.sqrt((m + 1.0) / (3.0 * m)) * math.cos(math.pi / 3.0 + math.acos(arg) / 3.0)
    d_se1 = 0.5 * d_km * (1.0 + b)
    d_se2 = d_km - d_se1
    h_se = ((h_te - 500.0 * d_se1 * d_se1 / a_km) * d_se2
            + (h_re - 500.0 * d_se2 * d_se2 / a_km) * d_se1) / d_km
    wavelength = SPEED_OF_LIGHT_M_S / (f_mhz * 1e6)
    h_req = 17.456 * math.sqrt(d_se1 * d_se2 * wavelength / d_km)
    if h_se > h_req:
        return 0.0
    a_em = 500.0 * (d_km / (math.sqrt(h_te) + math.sqrt(h_re))) ** 2
    l_dft = _l_dft_land(a_em, d_km, f_ghz, h_te, h_re, vertical)
    if l_dft < 0.0:
        return 0.0
    return (1.0 - h_se / h_req) * l_dft


@_jit
def smooth_earth_heights_kernel(x: np.ndarray, z: np.ndarray, hts: float, hrs: float):
    """Smooth-earth heights at the terminals for the diffraction model, h_std and h_srd, m.

    P.452-16 sec. 5.1.6.2 least-squares line (eqs. 161-164) through the ground ``z``, then
    sec. 5.1.6.3: lowered by the highest obstruction h_obs of the straight line between the
    antennas (``hts``, ``hrs`` above sea level; no earth bulge, eqs. 165-168) and clipped to
    the ground heights at the two ends.
    """
    n = x.size
    d = x[n - 1]
    v1, v2 = 0.0, 0.0
    for i in range(1, n):
        dx = x[i] - x[i - 1]
        v1 += dx * (z[i] + z[i - 1])
        v2 += dx * (z[i] * (2.0 * x[i] + x[i - 1]) + z[i - 1] * (x[i] + 2.0 * x[i - 1]))
    h_st = (2.0 * v1 * d - v2) / (d * d)
    h_sr = (v2 - v1 * d) / (d * d)
    h_obs, a_obt, a_obr = -np.inf, -np.inf, -np.inf
    for i in range(1, n - 1):
        hi = z[i] - (hts * (d - x[i]) + hrs * x[i]) / d
        h_obs = max(h_obs, hi)
        a_obt = max(a_obt, hi / x[i])
        a_obr = max(a_obr, hi / (d - x[i]))
    if h_obs > 0.0:
        h_st -= h_obs * a_obt / (a_obt + a_obr)
        h_sr -= h_obs * a_obr / (a_obt + a_obr)
    return min(h_st, z[0]), min(h_sr, z[n - 1])


@_jit
def delta_bullington_kernel(x: np.ndarray, z: np.ndarray, tx_height_m: float,
                            rx_height_m: float, f: float, k: float, earth_radius_m: float,
                            vertical: bool):
    """Delta-Bullington pieces on one profile (P.452-16 sec. 4.2.3 / P.526-15 sec. 4.5).

    ``x``: distances from the transmitter, starting at 0, strictly increasing, m; ``z``:
    ground elevations, m. Returns ``(L_d, L_bulla, L_bulls, L_dsph, h'ts, h'rs, los)``:
    losses in dB, effective heights above the smooth earth in m, ``los`` whether the actual
    profile is line of sight (P.452's S_tim < S_tr). L_d = L_bulla + max(L_dsph - L_bulls, 0).
    """
    n = x.size
    total = x[n - 1]
    d_km = total / 1000.0
    a_m = k * earth_radius_m
    wavelength = SPEED_OF_LIGHT_M_S / (f * 1e6)
    hts, hrs = z[0] + tx_height_m, z[n - 1] + rx_height_m
    h = np.empty(n)
    h0 = np.empty(n)
    for i in range(n):
        bulge = x[i] * (total - x[i]) / (2.0 * a_m)
        h[i] = z[i] + bulge
        h0[i] = bulge
    h[0], h[n - 1] = hts, hrs
    v_a, los = _bullington_v(x, h, wavelength)
    l_bulla = bullington_loss_kernel(v_a, d_km)
    h_std, h_srd = smooth_earth_heights_kernel(x, z, hts, hrs)
    h_te, h_re = hts - h_std, hrs - h_srd
    h0[0], h0[n - 1] = h_te, h_re
    l_bulls = bullington_loss_kernel(_bullington_v(x, h0, wavelength)[0], d_km)
    l_dsph = spherical_earth_loss_kernel(d_km, f, a_m / 1000.0, h_te, h_re, vertical)
    l_d = l_bulla + max(l_dsph - l_bulls, 0.0)
    return l_d, l_bulla, l_bulls, l_dsph, h_te, h_re, los


@_jit
def profile_diffraction_kernel(distances_m: np.ndarray, elevations_m: np.ndarray,
                               tx_height_m: float, rx_height_m: float, f: float, method: int,
                               k: float, earth_radius_m: float) -> float:
    """Terrain diffraction loss on one profile (see :func:`profile_diffraction_db`), dB."""
    n = distances_m.size
    x = distances_m - distances_m[0]
    if method == DELTA_BULLINGTON:
        return delta_bullington_kernel(x, elevations_m, tx_height_m, rx_height_m, f, k,
                                       earth_radius_m, False)[0]
    if n < 3:
        return 0.0
    h = np.empty(n)
    for i in range(n):
        h[i] = elevations_m[i] + earth_bulge_kernel(x[i], x[n - 1] - x[i], k, earth_radius_m)
    h[0] += tx_height_m
    h[n - 1] += rx_height_m
    wavelength = SPEED_OF_LIGHT_M_S / (f * 1e6)
    return _deygout(x, h, wavelength) if method == DEYGOUT else _bullington(x, h, wavelength)


# --- ufuncs over the kernels (broadcasting; compiled once, cached) -------------------------

_D, _B, _I = "float64", "boolean", "int64"


@numba.vectorize([f"{_D}({_D},{_D})"], cache=True)
def _free_space_u(d, f):
    return free_space_kernel(d, f)


@numba.vectorize([f"{_D}({_D},{_D},{_D},{_D},{_I})"], cache=True)
def _hata_u(d, f, hb, hm, env):
    return hata_kernel(d, f, hb, hm, env)


@numba.vectorize([f"{_D}({_D},{_D},{_D},{_D},{_I})"], cache=True)
def _cost231_u(d, f, hb, hm, env):
    return cost231_kernel(d, f, hb, hm, env)


@numba.vectorize([f"{_D}({_D},{_D},{_D})"], cache=True)
def _breakpoint_u(f, hb, hm):
    return rma_breakpoint_kernel(f, hb, hm)


@numba.vectorize([f"{_D}({_D},{_D},{_D},{_D},{_B},{_D},{_D})"], cache=True)
def _rma_u(d, f, hb, hm, los, w, h):
    return rma_kernel(d, f, hb, hm, los, w, h)


@numba.vectorize([f"{_D}({_D},{_D},{_D},{_D},{_I},{_B},{_D},{_D},{_D})"], cache=True)
def _path_loss_u(d, f, hb, hm, env, los, w, h, fmax):
    return path_loss_kernel(d, f, hb, hm, env, los, w, h, fmax)


@numba.vectorize([f"{_D}({_D},{_D},{_D},{_D})"], cache=True)
def _fresnel_v_u(h, d1, d2, lam):
    return fresnel_v_kernel(h, d1, d2, lam)


@numba.vectorize([f"{_D}({_D})"], cache=True)
def _knife_edge_u(v):
    return knife_edge_kernel(v)


@numba.vectorize([f"{_D}({_D},{_D},{_D},{_D})"], cache=True)
def _bulge_u(d1, d2, k, a):
    return earth_bulge_kernel(d1, d2, k, a)


@numba.vectorize([f"{_D}({_D},{_D},{_D},{_D})"], cache=True)
def _gain_u(bearing, azimuth, beamwidth, am):
    return antenna_gain_kernel(bearing, azimuth, beamwidth, am)


# --- validation helpers -------------------------------------------------------------------


def _floats(name: str, value: npt.ArrayLike, *, positive: bool = True) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    bad = ~(arr > 0.0) if positive else ~np.isfinite(arr)
    if np.any(bad):
        raise ValueError(f"{name} must be {'positive' if positive else 'finite'}; "
                         f"got {arr[bad].ravel()[:5].tolist()}")
    return arr


def _freq_in(model: str, freq_mhz: npt.ArrayLike, lo: float, hi: float) -> np.ndarray:
    f = _floats("freq_mhz", freq_mhz)
    bad = (f < lo) | (f > hi)
    if np.any(bad):
        raise ValueError(f"{model} is valid for {lo:g}-{hi:g} MHz; got "
                         f"{f[bad].ravel()[:5].tolist()} MHz. Use path_loss_db() to pick the "
                         "model that fits the band.")
    return f


def _geometry(d: npt.ArrayLike, hb: npt.ArrayLike, hm: npt.ArrayLike) -> tuple[np.ndarray, ...]:
    return _floats("distance_m", d), _floats("tx_height_m", hb), _floats("rx_height_m", hm)


def _env(environment: str) -> int:
    if environment not in ENVIRONMENT_CODES:
        raise ValueError(f"unknown environment {environment!r}; "
                         f"use one of {sorted(ENVIRONMENT_CODES)}")
    return ENVIRONMENT_CODES[environment]


def _out(result: np.ndarray | float) -> FloatOrArray:
    arr = np.asarray(result, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else arr


# --- public vectorised API ----------------------------------------------------------------


def free_space_loss_db(distance_m: npt.ArrayLike, freq_mhz: npt.ArrayLike) -> FloatOrArray:
    """Free-space basic loss, ITU-R P.525-4: 32.44 + 20 log10 f_MHz + 20 log10 d_km, dB."""
    return _out(_free_space_u(_floats("distance_m", distance_m), _floats("freq_mhz", freq_mhz)))


def okumura_hata_db(distance_m: npt.ArrayLike, freq_mhz: npt.ArrayLike,
                    tx_height_m: npt.ArrayLike, rx_height_m: npt.ArrayLike,
                    environment: Environment) -> FloatOrArray:
    """Okumura-Hata median path loss, 150-1500 MHz, dB.

    Reference: M. Hata, "Empirical formula for propagation loss in land mobile radio
    services", IEEE Trans. Veh. Technol. VT-29(3), 1980:
    L = 69.55 + 26.16 log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d_km.
    ``urban_large`` uses the large-city a(hm) (8.29 form at f <= 300 MHz, 3.2 form above),
    the others the small/medium-city a(hm); ``suburban`` adds -2 [log(f/28)]^2 - 5.4 and
    ``rural`` the open-area term -4.78 (log f)^2 + 18.33 log f - 40.94.

    Raises
    ------
    ValueError
        Frequency outside 150-1500 MHz, non-positive distance or height, unknown environment.
    """
    f = _freq_in("Okumura-Hata", freq_mhz, HATA_MIN_MHZ, HATA_MAX_MHZ)
    d, hb, hm = _geometry(distance_m, tx_height_m, rx_height_m)
    return _out(_hata_u(d, f, hb, hm, _env(environment)))


def cost231_hata_db(distance_m: npt.ArrayLike, freq_mhz: npt.ArrayLike,
                    tx_height_m: npt.ArrayLike, rx_height_m: npt.ArrayLike,
                    environment: Environment) -> FloatOrArray:
    """COST-231 Hata median path loss, 1500-2000 MHz, dB.

    Reference: COST Action 231 final report (EUR 18957, 1999), sec. 4.4.1:
    L = 46.3 + 33.9 log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d_km + C_m.
    Choices: C_m = 3 dB for ``urban_large`` (metropolitan centres), 0 otherwise; a(hm) as in
    :func:`okumura_hata_db`. COST-231 defines no suburban or open-area terms, so, as commonly
    done, Hata's suburban and open-area corrections are added at the same frequency.

    Raises
    ------
    ValueError
        Frequency outside 1500-2000 MHz (:func:`path_loss_db` stretches the model to
        ``SETTINGS.radio.cost231_max_mhz``), non-positive inputs, unknown environment.
    """
    f = _freq_in("COST-231 Hata", freq_mhz, COST231_MIN_MHZ, COST231_MAX_MHZ)
    d, hb, hm = _geometry(distance_m, tx_height_m, rx_height_m)
    return _out(_cost231_u(d, f, hb, hm, _env(environment)))


def rma_breakpoint_m(freq_mhz: npt.ArrayLike, tx_height_m: npt.ArrayLike,
                     rx_height_m: npt.ArrayLike) -> FloatOrArray:
    """RMa breakpoint d_BP = 2 pi hBS hUT fc / c, c = 3e8 m/s (TR 38.901 Table 7.4.1-1), m."""
    return _out(_breakpoint_u(_floats("freq_mhz", freq_mhz), _floats("tx_height_m", tx_height_m),
                              _floats("rx_height_m", rx_height_m)))


def rma_38901_db(distance_m: npt.ArrayLike, freq_mhz: npt.ArrayLike,
                 tx_height_m: npt.ArrayLike, rx_height_m: npt.ArrayLike,
                 los: bool | npt.ArrayLike,
                 street_width_m: float = _RADIO.rma_street_width_m,
                 building_height_m: float = _RADIO.rma_building_height_m) -> FloatOrArray:
    """3GPP TR 38.901 (v17) Table 7.4.1-1 rural macro (RMa) path loss, 0.5-30 GHz, dB.

    LOS: PL1 = 20 log10(40 pi d3D fc/3) + min(0.03 h^1.72, 10) log10 d3D
    - min(0.044 h^1.72, 14.77) + 0.002 log10(h) d3D up to d_BP (:func:`rma_breakpoint_m`),
    PL2 = PL1(d_BP) + 40 log10(d3D/d_BP) beyond. NLOS: max(PL_LOS, PL'_NLOS),
    PL'_NLOS = 161.04 - 7.1 log10 W + 7.5 log10 h - (24.37 - 3.7 (h/hBS)^2) log10 hBS
    + (43.42 - 3.1 log10 hBS)(log10 d3D - 3) + 20 log10 fc - (3.2 (log10 11.75 hUT)^2 - 4.97),
    fc in GHz, W street width, h building height. ``distance_m`` is the ground (2D) distance.
    Specified for d2D 10 m-10 km (LOS) / 5 km (NLOS), W and h 5-50 m, hBS 10-150 m,
    hUT 1-10 m; extrapolated outside.

    Raises
    ------
    ValueError
        Frequency outside 500-30000 MHz or non-positive inputs.
    """
    f = _freq_in("3GPP TR 38.901 RMa", freq_mhz, RMA_MIN_MHZ, RMA_MAX_MHZ)
    d, hb, hm = _geometry(distance_m, tx_height_m, rx_height_m)
    return _out(_rma_u(d, f, hb, hm, np.asarray(los, dtype=bool),
                       _floats("street_width_m", street_width_m),
                       _floats("building_height_m", building_height_m)))


def path_loss_db(distance_m: npt.ArrayLike, freq_mhz: npt.ArrayLike,
                 tx_height_m: npt.ArrayLike, rx_height_m: npt.ArrayLike,
                 environment: Environment = "rural", *,
                 los: bool | npt.ArrayLike = False) -> FloatOrArray:
    """Median path loss from the model that fits each band, never below free space, dB.

    * 150 <= f < 1500 MHz: :func:`okumura_hata_db` (700 and 900 MHz bands).
    * 1500 <= f <= ``SETTINGS.radio.cost231_max_mhz`` (2200): COST-231 Hata, i.e. 1800 MHz
      and the 2100 MHz band, 100-200 MHz past the model's 2000 MHz limit (its 33.9 log f
      term extrapolates smoothly; the error is small next to the model's spread).
    * above, up to 6000 MHz: TR 38.901 RMa (2600, 3700, 3800 MHz) for every environment,
      NLOS unless ``los`` (Lào Cai's terrain seldom gives a clear path; the engine may pass
      ``los`` from a terrain profile).

    The result is ``max(model, free space)`` (ITU-R P.525), which guards short distances
    where the empirical fits fall below free space. References: see the model functions.

    Raises
    ------
    ValueError
        Frequency outside ``SETTINGS.radio.band_range_mhz``, non-positive inputs, unknown
        environment.
    """
    f = _freq_in("path_loss_db", freq_mhz, *_RADIO.band_range_mhz)
    d, hb, hm = _geometry(distance_m, tx_height_m, rx_height_m)
    return _out(_path_loss_u(d, f, hb, hm, _env(environment), np.asarray(los, dtype=bool),
                             _RADIO.rma_street_width_m, _RADIO.rma_building_height_m,
                             _RADIO.cost231_max_mhz))


def wavelength_m(freq_mhz: npt.ArrayLike) -> FloatOrArray:
    """Free-space wavelength c / f, m."""
    return _out(SPEED_OF_LIGHT_M_S / (_floats("freq_mhz", freq_mhz) * 1e6))


def fresnel_v(h_m: npt.ArrayLike, d1_m: npt.ArrayLike, d2_m: npt.ArrayLike,
              wavelength_m: npt.ArrayLike) -> FloatOrArray:
    """Diffraction parameter v = h sqrt(2 (d1 + d2) / (lambda d1 d2)), ITU-R P.526-15 (26).

    ``h_m`` is the edge's height above (positive) or below (negative) the straight line
    between the terminals, ``d1_m`` and ``d2_m`` the terminal-to-edge distances, m.
    """
    return _out(_fresnel_v_u(_floats("h_m", h_m, positive=False), _floats("d1_m", d1_m),
                             _floats("d2_m", d2_m), _floats("wavelength_m", wavelength_m)))


def knife_edge_loss_db(v: npt.ArrayLike) -> FloatOrArray:
    """Knife-edge loss J(v), ITU-R P.526-15 eq. (31), dB.

    J(v) = 6.9 + 20 log10(sqrt((v - 0.1)^2 + 1) + v - 0.1) for v > -0.78, else 0.
    """
    return _out(_knife_edge_u(_floats("v", v, positive=False)))


def earth_bulge_m(d1_m: npt.ArrayLike, d2_m: npt.ArrayLike, k: float = _RADIO.k_factor,
                  earth_radius_m: float = _RADIO.earth_radius_m) -> FloatOrArray:
    """Height of the effective earth's bulge above the chord, d1 d2 / (2 k a), m.

    The term 500 d1 d2 / a_e (km) of ITU-R P.526-15 sec. 4.5.1 / P.452-17 eq. (14).
    """
    return _out(_bulge_u(_floats("d1_m", d1_m, positive=False),
                         _floats("d2_m", d2_m, positive=False), _floats("k", k),
                         _floats("earth_radius_m", earth_radius_m)))


def _profile_inputs(distances_m: npt.ArrayLike, elevations_m: npt.ArrayLike,
                    tx_height_m: float, rx_height_m: float) -> tuple[np.ndarray, np.ndarray]:
    d = np.ascontiguousarray(_floats("distances_m", distances_m, positive=False))
    z = np.ascontiguousarray(_floats("elevations_m", elevations_m, positive=False))
    if d.ndim != 1 or d.shape != z.shape or d.size < 2:
        raise ValueError("distances_m and elevations_m must be 1-D, same length, >= 2 points")
    if np.any(np.diff(d) <= 0.0):
        raise ValueError("distances_m must increase strictly from transmitter to receiver")
    if not (tx_height_m >= 0.0 and rx_height_m >= 0.0):
        raise ValueError("antenna heights above ground must be >= 0 m")
    return d, z


def profile_diffraction_db(distances_m: npt.ArrayLike, elevations_m: npt.ArrayLike,
                           tx_height_m: float, rx_height_m: float, freq_mhz: float,
                           method: Literal["delta_bullington", "bullington", "deygout"]
                           = "delta_bullington", *,
                           k: float = _RADIO.k_factor) -> float:
    """Terrain diffraction loss on a profile, ITU-R P.526-15 / P.452-16, dB.

    Parameters
    ----------
    distances_m, elevations_m
        Profile from the transmitter (index 0) to the receiver (last): strictly increasing
        distances and ground elevations above sea level, m. Intermediate points are raised
        by the earth bulge :func:`earth_bulge_m` with factor ``k`` (a_e = k * 6371 km).
    tx_height_m, rx_height_m
        Antenna heights above the ground at the two ends, m.
    freq_mhz
        Frequency, MHz.
    method
        ``"delta_bullington"`` (default): P.526-15 sec. 4.5 / P.452-16 sec. 4.2.3, the
        general method for terrain paths: L_bulla + max(L_dsph - L_bulls, 0), see
        :func:`delta_bullington_terms` (land, horizontal polarisation).
        ``"bullington"``: the general-path Bullington loss of P.526-15 sec. 4.5.1 on the
        actual profile: one equivalent edge where the steepest transmitter-side and
        receiver-side slopes meet (the most intrusive point on a line-of-sight path),
        L_uc = J(v_b), plus (1 - exp(-L_uc/6))(10 + 0.02 d_km).
        ``"deygout"``: main edge (largest v), plus the largest-v edge on each side of it
        taken between its terminal and the main edge (Deygout 1966), with P.452-14
        eq. (24)'s empirical correction L_m + (1 - exp(-L_m/6))(L_t + L_r + 10 + 0.04 d_km).

    Returns
    -------
    float
        Loss in dB; 0 when the path has clearance (v <= -0.78 at every point) and, for
        ``delta_bullington``, the smooth earth does not diffract either.
    """
    if method not in DIFFRACTION_METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {sorted(DIFFRACTION_METHODS)}")
    d, z = _profile_inputs(distances_m, elevations_m, tx_height_m, rx_height_m)
    return float(profile_diffraction_kernel(
        d, z, float(tx_height_m), float(rx_height_m), float(_floats("freq_mhz", freq_mhz)),
        DIFFRACTION_METHODS[method], float(_floats("k", k)), _RADIO.earth_radius_m))


class DeltaBullington(NamedTuple):
    """Pieces of the delta-Bullington loss on one profile (:func:`delta_bullington_terms`)."""

    loss_db: float  # L_d = L_bulla + max(L_dsph - L_bulls, 0)
    bulla_db: float  # general-path Bullington on the actual profile
    bulls_db: float  # the same on the zero-height profile with h'ts, h'rs
    dsph_db: float  # spherical-earth loss L_dsph for h'ts, h'rs
    h_te_m: float  # h'ts = h_ts - h_std: transmitter above the smooth earth, m
    h_re_m: float  # h'rs = h_rs - h_srd: receiver above the smooth earth, m
    los: bool  # actual profile line of sight (S_tim < S_tr)


def delta_bullington_terms(distances_m: npt.ArrayLike, elevations_m: npt.ArrayLike,
                           tx_height_m: float, rx_height_m: float, freq_mhz: float, *,
                           k: float = _RADIO.k_factor,
                           polarization: Literal["horizontal", "vertical"] = "horizontal",
                           ) -> DeltaBullington:
    """Delta-Bullington diffraction on one profile, term by term (P.452-16 sec. 4.2.3), dB.

    The exact-profile reference of the coverage engine's diffraction term. Inputs as in
    :func:`profile_diffraction_db` (distances from the transmitter, ground elevations, m;
    antenna heights above the ground, m; MHz; a_e = k * 6371 km). Land path (omega = 0).

    * L_bulla: P.526-15 sec. 4.5.1 Bullington on the actual profile, earth bulge included,
      L_uc + (1 - exp(-L_uc/6))(10 + 0.02 d_km).
    * h'ts = h_ts - h_std, h'rs = h_rs - h_srd: P.452-16 sec. 5.1.6.2 least-squares smooth
      earth, lowered by the obstruction of sec. 5.1.6.3 and clipped to the ground heights.
    * L_bulls: the same Bullington on the zero-height profile with h'ts, h'rs.
    * L_dsph: spherical-earth loss, P.452-16 sec. 4.2.2, for h'ts, h'rs.

    Returns
    -------
    DeltaBullington
        ``(loss_db, bulla_db, bulls_db, dsph_db, h_te_m, h_re_m, los)``; ``loss_db`` equals
        ``profile_diffraction_db(..., method="delta_bullington")`` for horizontal polarisation.
    """
    if polarization not in POLARIZATIONS:
        raise ValueError(f"unknown polarization {polarization!r}; use one of {POLARIZATIONS}")
    d, z = _profile_inputs(distances_m, elevations_m, tx_height_m, rx_height_m)
    out = delta_bullington_kernel(
        d - d[0], z, float(tx_height_m), float(rx_height_m), float(_floats("freq_mhz", freq_mhz)),
        float(_floats("k", k)), _RADIO.earth_radius_m, polarization == "vertical")
    return DeltaBullington(*(float(v) for v in out[:6]), bool(out[6]))


def antenna_gain_db(bearing_deg: npt.ArrayLike, azimuth_deg: float | npt.ArrayLike | None,
                    beamwidth_deg: npt.ArrayLike = _RADIO.default_beamwidth_deg,
                    front_to_back_db: npt.ArrayLike = _RADIO.antenna_front_to_back_db,
                    ) -> FloatOrArray:
    """Sector horizontal pattern relative to boresight, 3GPP TR 36.814 Table A.2.1.1-2, dB.

    A(phi) = -min(12 (phi / phi_3dB)^2, A_m) with phi = bearing - azimuth wrapped to
    [-180, 180) degrees, phi_3dB = ``beamwidth_deg``, A_m = ``front_to_back_db``. Azimuth
    ``None`` (or NaN, element-wise) is an omni antenna: 0 dB.
    """
    bearing = _floats("bearing_deg", bearing_deg, positive=False)
    if azimuth_deg is None:
        return _out(np.zeros_like(bearing))
    return _out(_gain_u(bearing, np.asarray(azimuth_deg, dtype=np.float64),
                        _floats("beamwidth_deg", beamwidth_deg),
                        _floats("front_to_back_db", front_to_back_db)))
