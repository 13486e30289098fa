"""Net present cost of an option, VND.

``NPC = capex + Σ_{t=1..years} opex / (1 + rate)^t``: capex spent now, opex at the end of
each year of the appraisal period (``SETTINGS.costs.years``, ``discount_rate``).
"""

from __future__ import annotations

import numpy as np

from geo.errors import DataError


def annuity_factor(years: int, rate: float) -> float:
    """``Σ_{t=1..years} 1 / (1 + rate)^t`` (years with rate 0)."""
    if years < 0:
        raise DataError(f"the appraisal period must be 0 years or more, got {years}.")
    if rate <= -1.0:
        raise DataError(f"the discount rate must be above −100 %, got {rate:g}.")
    if rate == 0:
        return float(years)
    return float(sum((1.0 + rate) ** -t for t in range(1, years + 1)))


def npc(capex_vnd: np.ndarray | float, opex_vnd_per_year: np.ndarray | float, years: int,
        rate: float) -> np.ndarray:
    """Net present cost (VND) of ``capex_vnd`` now and ``opex_vnd_per_year`` each year."""
    return (np.asarray(capex_vnd, float)
            + np.asarray(opex_vnd_per_year, float) * annuity_factor(years, rate))


TY = 1e9  # VND in one tỷ đồng


def to_ty(vnd: np.ndarray | float) -> np.ndarray:
    """VND in tỷ đồng (10⁹ VND)."""
    return np.asarray(vnd, float) / TY
