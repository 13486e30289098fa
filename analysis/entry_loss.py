"""Loss added by where the receiver is: outdoors, in a car, inside a building.

:func:`building_entry_loss_db` is ITU-R P.2109-1 (08/2019) §3; :func:`service_loss_db` is the
margin a service level adds to a technology's covered threshold (``SETTINGS.service``, where
the sources are stated), taken at the technology's default band.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from geo.settings import SETTINGS

_SERVICE = SETTINGS.service


def building_entry_loss_db(f_mhz: float | np.ndarray, *,
                           building_type: str = _SERVICE.building_type,
                           probability: float = _SERVICE.building_probability,
                           elevation_deg: float = _SERVICE.facade_elevation_deg
                           ) -> float | np.ndarray:
    """Building entry loss not exceeded with ``probability`` (0–1), ITU-R P.2109-1 eq. (1)–(7),
    for ``building_type`` (``traditional`` or ``thermally_efficient``, Table 1) at ``f_mhz``
    (about 80 MHz–100 GHz) and a path at ``elevation_deg`` to the façade, dB."""
    if not 0.0 < probability < 1.0:
        raise ValueError(f"probability must be between 0 and 1, not {probability!r}")
    r, s, t, u, v, w, x, y, z = _SERVICE.p2109_coefficients[building_type]
    log_f = np.log10(np.asarray(f_mhz, float) / 1000.0)
    inv = NormalDist().inv_cdf(probability)  # F⁻¹(P), the inverse normal distribution
    horizontal = r + s * log_f + t * log_f ** 2  # L_h, eq. (3)
    a = inv * (u + v * log_f) + horizontal + 0.212 * abs(elevation_deg)  # eq. (2), (4), (6)
    b = inv * (y + z * log_f) + w + x * log_f  # eq. (5), (7)
    loss = 10.0 * np.log10(10.0 ** (0.1 * a) + 10.0 ** (0.1 * b) + 10.0 ** (0.1 * -3.0))
    return float(loss) if np.ndim(loss) == 0 else loss


def check_service(service: str) -> str:
    """``service`` if it is one of the service levels, else ValueError."""
    if service not in _SERVICE.levels:
        raise ValueError(f"unknown service level {service!r}; expected "
                         f"{', '.join(_SERVICE.levels)}")
    return service


def service_loss_db(service: str, technology: str) -> float:
    """Margin of ``service`` over outdoor service for ``technology``, dB: 0 outdoors, the car
    penetration loss in a car, P.2109 building entry loss at the technology's default band
    indoors (``SETTINGS.service``)."""
    check_service(service)
    if service == "incar":
        return float(_SERVICE.incar_loss_db)
    if service == "indoor":
        band = SETTINGS.radio.default_band_mhz[technology]
        return round(float(building_entry_loss_db(band)), 1)
    return 0.0


def service_model(service: str, technology: str) -> str:
    """One line naming the loss model of ``service`` for ``technology`` (English, for file
    tags and logs; the app and the briefing translate their own)."""
    loss = service_loss_db(service, technology)
    if service == "incar":
        return (f"in car: {loss:g} dB vehicle penetration loss (3GPP TR 38.901 §7.4.3.2, "
                "median)")
    if service == "indoor":
        band = SETTINGS.radio.default_band_mhz[technology]
        return (f"indoor: {loss:g} dB building entry loss (ITU-R P.2109-1, "
                f"{_SERVICE.building_type.replace('_', ' ')} building, "
                f"P = {_SERVICE.building_probability:.0%}, {band} MHz)")
    return "outdoor: 0 dB"
