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
"""

from __future__ import annotations

import math
from typing import Final, Literal

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
DEYGOUT, BULLINGTON = 0, 1
DIFFRACTION_METHODS: Final = {"deygout": DEYGOUT, "bullington": BULLINGTON}

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
    n = x.size
    im, vm = _max_v(x, h, 0, n - 1, wavelength_m)
    if im < 0 or vm <= KNIFE_EDGE_V_MIN:
        return 0.0
    return (knife_edge_kernel(vm) + knife_edge_kernel(_max_v(x, h, 0, im, wavelength_m)[1])
            + knife_edge_kernel(_max_v(x, h, im, n - 1, wavelength_m)[1]))


@_jit
def _bullington(x: np.ndarray, h: np.ndarray, wavelength_m: float) -> float:
    n = x.size
    total, hts, hrs = x[n - 1], h[0], h[n - 1]
    s_tim, s_rim = -np.inf, -np.inf
    for i in range(1, n - 1):
        s_tim = max(s_tim, (h[i] - hts) / x[i])
        s_rim = max(s_rim, (h[i] - hrs) / (total - x[i]))
    # Line of sight (P.526 case 1) or grazing (s_tim + s_rim == 0): most intrusive point.
    if s_tim < (hrs - hts) / total or s_tim + s_rim <= 0.0:
        return knife_edge_kernel(_max_v(x, h, 0, n - 1, wavelength_m)[1])
    d_bp = (hrs - hts + s_rim * total) / (s_tim + s_rim)
    h_bp = hts + s_tim * d_bp - (hts * (total - d_bp) + hrs * d_bp) / total
    return knife_edge_kernel(fresnel_v_kernel(h_bp, d_bp, total - d_bp, wavelength_m))


@_jit
def profile_diffraction_kernel(distances_m: np.ndarray, elevations_m: np.ndarray,
                               tx_height_m: float, rx_height_m: float, f: float, method: int,
                               k: float, earth_radius_m: float) -> float:
    """Terrain diffraction loss on one profile (see :func:`profile_diffraction_db`), dB."""
    n = distances_m.size
    if n < 3:
        return 0.0
    x = distances_m - distances_m[0]
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


def profile_diffraction_db(distances_m: npt.ArrayLike, elevations_m: npt.ArrayLike,
                           tx_height_m: float, rx_height_m: float, freq_mhz: float,
                           method: Literal["deygout", "bullington"] = "deygout", *,
                           k: float = _RADIO.k_factor) -> float:
    """Multiple-edge terrain diffraction loss on a profile, ITU-R P.526, dB.

    Parameters
    ----------
    distances_m, elevations_m
        Profile from the transmitter (index 0) to the receiver (last): strictly increasing
        distances and ground elevations above sea level, m. Intermediate points are raised
        by the earth bulge :func:`earth_bulge_m` with factor ``k``.
    tx_height_m, rx_height_m
        Antenna heights above the ground at the two ends, m.
    freq_mhz
        Frequency, MHz.
    method
        ``"deygout"``: main edge (largest v), plus the largest-v edge on each side of it
        taken between its terminal and the main edge, losses summed: up to three edges,
        without empirical correction (Deygout 1966; ITU-R P.526-11 sec. 4.5.1).
        ``"bullington"``: ITU-R P.526-15 sec. 4.5.1, one equivalent edge where the
        steepest transmitter-side and receiver-side slopes meet (the most intrusive point
        on a line-of-sight path); the L_uc term, without the (1 - exp(-L_uc/6))(10 + 0.02 d)
        correction of the general-path method.

    Returns
    -------
    float
        Loss in dB; 0 when the path has clearance (v <= -0.78 at every point).
    """
    if method not in DIFFRACTION_METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {sorted(DIFFRACTION_METHODS)}")
    d = np.ascontiguousarray(_floats("distances_m", distances_m, positive=False))
    z = np.ascontiguousarray(_floats("elevations_m", elevations_m, positive=False))
    if d.ndim != 1 or d.shape != z.shape or d.size < 2:
        raise ValueError("distances_m and elevations_m must be 1-D, same length, >= 2 points")
    if np.any(np.diff(d) <= 0.0):
        raise ValueError("distances_m must increase strictly from transmitter to receiver")
    if not (tx_height_m >= 0.0 and rx_height_m >= 0.0):
        raise ValueError("antenna heights above ground must be >= 0 m")
    return float(profile_diffraction_kernel(
        d, z, float(tx_height_m), float(rx_height_m), float(_floats("freq_mhz", freq_mhz)),
        DIFFRACTION_METHODS[method], float(_floats("k", k)), _RADIO.earth_radius_m))


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
