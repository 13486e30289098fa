"""What a place's service is called, and what "in a gap" means: one definition for the map,
the dashboard, the tables, the exports and the briefing.

A place's **status** is the best generation any selected operator delivers there at its
covered threshold (``4g`` for 4G or 5G, ``3g``, ``2g``, ``none``), from the
``best_technology`` column of :func:`analysis.gaps.assess_places`.

A place is **in a mobile gap** when the selected technology does not reach it at the chosen
threshold (its ``reason`` is not empty: out of range, terrain shadow or weak signal), and
**in a fibre gap** when no fibre route or node is within the fibre reach.
Where drive-test measurements have settled it (a ``measured`` column, filled by
:func:`analysis.disagreement.with_measured`: ``no_service``, ``service`` or ``""`` where
the measurements say nothing), the measured verdict replaces the model's: ``no_service``
is a mobile gap, ``service`` is not, ``""`` leaves the model's reason. Tables without the
column are judged by the model alone. :func:`verdict_source` says which decided. Its **gap** is
``mobile_and_fibre``, ``mobile``, ``fibre`` or ``""`` (none); it is **in a gap** when that is
not empty.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from geo.settings import SETTINGS

STATUSES: tuple[str, ...] = ("4g", "3g", "2g", "none")
"""Status codes, best first."""

_STATUS_OF_TECHNOLOGY: dict[str, str] = {"5G": "4g", "4G": "4g", "3G": "3g", "2G": "2g"}

MOBILE_AND_FIBRE, MOBILE, FIBRE, NO_GAP = "mobile_and_fibre", "mobile", "fibre", ""
GAPS: tuple[str, ...] = (MOBILE_AND_FIBRE, MOBILE, FIBRE)
"""Gap codes, worst first (``""`` is no gap)."""

MEASURED_NO_SERVICE, MEASURED_SERVICE = "no_service", "service"
"""Values of the ``measured`` column (``""``: no measured verdict)."""
SOURCE_MEASURED, SOURCE_MODEL = "measured", "model"
"""Values of :func:`verdict_source`."""


def status_of(best_technology: Any) -> str:
    """Status code of a place from its best technology.

    >>> [status_of(v) for v in ("5G", "4G", "3G", "2G", "none", None)]
    ['4g', '4g', '3g', '2g', 'none', 'none']
    """
    return _STATUS_OF_TECHNOLOGY.get(str(best_technology), "none")


def statuses(table: pd.DataFrame) -> pd.Series:
    """The status of every place of an assessment table (index aligned)."""
    return table["best_technology"].map(status_of)


def mobile_gap(table: pd.DataFrame) -> pd.Series:
    """True where the selected technology does not reach the place (index aligned): the
    measured verdict where the table has one, else the model's reason.

    >>> t = pd.DataFrame({"reason": ["", "weak_signal", "", "weak_signal"]})
    >>> mobile_gap(t).tolist()
    [False, True, False, True]
    >>> mobile_gap(t.assign(measured=["no_service", "service", "", ""])).tolist()
    [True, False, False, True]
    """
    model = table["reason"].fillna("") != ""
    if "measured" not in table.columns:
        return model
    measured = table["measured"].fillna("")
    return (measured == MEASURED_NO_SERVICE) | ((measured == "") & model)


def verdict_source(table: pd.DataFrame) -> pd.Series:
    """``measured`` where drive-test measurements decided the place's mobile verdict,
    ``model`` elsewhere (every place of a table without a ``measured`` column).

    >>> t = pd.DataFrame({"reason": ["", "weak_signal"]})
    >>> verdict_source(t).tolist(), verdict_source(t.assign(measured=["", "service"])).tolist()
    (['model', 'model'], ['model', 'measured'])
    """
    if "measured" not in table.columns:
        return pd.Series(SOURCE_MODEL, index=table.index, dtype=object)
    measured = table["measured"].fillna("").isin((MEASURED_NO_SERVICE, MEASURED_SERVICE))
    return pd.Series(np.where(measured, SOURCE_MEASURED, SOURCE_MODEL), index=table.index,
                     dtype=object)


def fibre_gap(table: pd.DataFrame) -> pd.Series:
    """True where no fibre is within reach of the place (index aligned)."""
    return ~table["fibre"].fillna(False).astype(bool)


def gaps(table: pd.DataFrame) -> pd.Series:
    """The gap code of every place of an assessment table (index aligned).

    >>> t = pd.DataFrame({"reason": ["", "weak_signal", "", "out_of_range"],
    ...                   "fibre": [True, True, False, False]})
    >>> gaps(t).tolist()
    ['', 'mobile', 'fibre', 'mobile_and_fibre']
    """
    mobile, fibre = mobile_gap(table), fibre_gap(table)
    codes = np.select([mobile & fibre, mobile, fibre], [MOBILE_AND_FIBRE, MOBILE, FIBRE],
                      NO_GAP)
    return pd.Series(codes, index=table.index, dtype=object)


def in_gap(table: pd.DataFrame) -> pd.Series:
    """True where the place is in a mobile or a fibre gap (index aligned)."""
    return mobile_gap(table) | fibre_gap(table)


def signal_class(value: Any, covered_dbm: float, good_dbm: float) -> str:
    """``good``, ``usable``, ``weak`` or ``none`` for a signal in dBm (NaN: none).

    >>> [signal_class(v, -110, -100) for v in (-95, -105, -111, float("nan"))]
    ['good', 'usable', 'weak', 'none']
    """
    if value is None or pd.isna(value):
        return "none"
    if value >= max(good_dbm, covered_dbm):
        return "good"
    return "usable" if value >= covered_dbm else "weak"


def good_threshold(technology: str) -> float:
    """The settings' "good" signal level of ``technology``, dBm."""
    return float(SETTINGS.radio.good_dbm.get(technology, SETTINGS.radio.covered_dbm["4G"] + 10))
