"""The selection: what counts as service for the figures, gaps and plans.

One technology (default 4G) from any of a set of operators (default all), at a covered
threshold (default the settings' one for the technology, dBm), with fibre counted within a
reach (metres), at a service level: outdoors, in a car or indoors (``SETTINGS.service``),
on the predictions as computed or corrected by a saved calibration
(:class:`analysis.calibration.Calibration`). The
map and villages are judged at ``service`` (default outdoor), the support points (commune
halls, cultural houses) at ``point_service`` (default indoor). This is the one place where the
service level's margin (:func:`analysis.entry_loss.service_loss_db`) joins the threshold:
everything that decides "covered" reads :attr:`Selection.threshold` or
:meth:`Selection.covered_thresholds`. The sidebar builds one, the app caches per selection
(it is frozen and hashable), and :func:`analysis.pipeline.analyse` takes it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from analysis.coverage import covered_thresholds
from analysis.entry_loss import check_service, service_loss_db
from geo.settings import SETTINGS


@dataclass(frozen=True)
class Selection:
    """What counts as service: ``technology`` from any of ``operators`` (None: all), at the
    ``service`` level (support points at ``point_service``).

    >>> Selection().threshold, Selection("3G", threshold_dbm=-95).thresholds
    (-110.0, (('3G', -95.0),))
    >>> Selection(service="indoor").threshold, Selection().at_points().threshold
    (-95.2, -95.2)
    """

    technology: str = "4G"
    operators: tuple[str, ...] | None = None
    threshold_dbm: float | None = None  # None: the settings' covered threshold (outdoors)
    fibre_reach_m: float = SETTINGS.gaps.fibre_reach_m
    service: str = SETTINGS.service.map_default
    point_service: str = SETTINGS.service.points_default
    # (name, saved at) of the workspace calibration the coverage is corrected with; None:
    # the model as computed. The save time keeps a re-saved calibration from being served
    # from the cache.
    calibration: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        check_service(self.service)
        check_service(self.point_service)

    @property
    def outdoor_threshold(self) -> float:
        """The covered threshold of the technology at an outdoor receiver, dBm."""
        if self.threshold_dbm is not None:
            return float(self.threshold_dbm)
        return covered_thresholds()[self.technology]

    @property
    def margin_db(self) -> float:
        """What the service level adds to the outdoor threshold of the technology, dB."""
        return service_loss_db(self.service, self.technology)

    @property
    def threshold(self) -> float:
        """The covered threshold of the technology at the service level, dBm."""
        return round(self.outdoor_threshold + self.margin_db, 1)

    def covered_thresholds(self) -> dict[str, float]:
        """Covered threshold of every technology at the service level, dBm (the selected
        technology's at :attr:`threshold`)."""
        base = covered_thresholds({self.technology: self.outdoor_threshold})
        return {tech: round(value + service_loss_db(self.service, tech), 1)
                for tech, value in base.items()}

    def at_points(self) -> Selection:
        """This selection as the support points are judged (at ``point_service``)."""
        return self.replace(service=self.point_service)

    @property
    def thresholds(self) -> tuple[tuple[str, float], ...]:
        """The coverage thresholds this selection needs (``()``: the settings' ones), as a
        hashable key of the coverage grids. The grids are computed at the outdoor thresholds
        (the widest radii) for every service level: a service level only raises the bar."""
        if self.threshold_dbm is None:
            return ()
        return ((self.technology, float(self.threshold_dbm)),)

    def takes(self, operator: str) -> bool:
        """Whether ``operator`` is one of the selected operators."""
        return self.operators is None or operator in self.operators

    def replace(self, **changes: Any) -> Selection:
        """A copy with ``changes`` (e.g. ``fibre_reach_m=0.0``)."""
        return dataclasses.replace(self, **changes)
