"""The selection: what counts as service for the figures, gaps and plans.

One technology (default 4G) from any of a set of operators (default all), at a covered
threshold (default the settings' one for the technology, dBm), with fibre counted within a
reach (metres). The sidebar builds one, the app caches per selection (it is frozen and
hashable), and :func:`analysis.pipeline.analyse` takes it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from analysis.coverage import covered_thresholds
from geo.settings import SETTINGS


@dataclass(frozen=True)
class Selection:
    """What counts as service: ``technology`` from any of ``operators`` (None: all).

    >>> Selection().threshold, Selection("3G", threshold_dbm=-95).thresholds
    (-110.0, (('3G', -95.0),))
    """

    technology: str = "4G"
    operators: tuple[str, ...] | None = None
    threshold_dbm: float | None = None  # None: the settings' covered threshold
    fibre_reach_m: float = SETTINGS.gaps.fibre_reach_m

    @property
    def threshold(self) -> float:
        """The covered threshold of the technology, dBm."""
        if self.threshold_dbm is not None:
            return float(self.threshold_dbm)
        return covered_thresholds()[self.technology]

    @property
    def thresholds(self) -> tuple[tuple[str, float], ...]:
        """The coverage thresholds this selection needs (``()``: the settings' ones), as a
        hashable key of the coverage grids."""
        if self.threshold_dbm is None:
            return ()
        return ((self.technology, float(self.threshold_dbm)),)

    def takes(self, operator: str) -> bool:
        """Whether ``operator`` is one of the selected operators."""
        return self.operators is None or operator in self.operators

    def replace(self, **changes: Any) -> Selection:
        """A copy with ``changes`` (e.g. ``fibre_reach_m=0.0``)."""
        return dataclasses.replace(self, **changes)
