"""Best-server grids of one selection kept up to date as sites are added, moved or removed.

:class:`CoverageState` holds, for one technology and a set of operators, the best and the
runner-up signal per cell with their sites, and the number of sites at or above the covered
threshold (EPSG:9208 grid of the DEM). An edit recomputes only the disc of the site it
touches: adding folds the new site in; removing promotes the runner-up where the site was
best, and where that runner-up is unknown (after earlier removals) recomputes that part of
the disc from every site that reaches it. The grids always equal a full recompute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numba
import numpy as np
import pandas as pd

from analysis import _sweep
from analysis.clutter import apply_clutter_layer, band_by_site
from analysis.coverage import (
    CoverageLayer,
    Records,
    _prepare,
    check_sites,
    concat,
    covered_thresholds,
    run_grids,
    take,
)
from geo.dem import Dem


@numba.njit(cache=True, nogil=True)
def _fold_in(best, best_id, second, second_id, servers, r0, c0, p, pid, threshold):
    """Fold a window of one site's power ``p`` (id ``pid``, −1 outside its reach) in."""
    for r in range(p.shape[0]):
        for c in range(p.shape[1]):
            if pid[r, c] < 0:
                continue
            v = p[r, c]
            rr, cc = r0 + r, c0 + c
            if v >= threshold:
                servers[rr, cc] += 1
            if v > best[rr, cc]:
                second[rr, cc] = best[rr, cc]
                second_id[rr, cc] = best_id[rr, cc]
                best[rr, cc] = v
                best_id[rr, cc] = pid[r, c]
            elif second_id[rr, cc] != _sweep.UNKNOWN and v > second[rr, cc]:
                second[rr, cc] = v
                second_id[rr, cc] = pid[r, c]


@numba.njit(cache=True, nogil=True)
def _take_out(best, best_id, second, second_id, servers, r0, c0, p, pid, site, threshold):
    """Remove ``site`` from a window; returns True where a cell needs a recompute."""
    stale = np.zeros(p.shape, np.bool_)
    for r in range(p.shape[0]):
        for c in range(p.shape[1]):
            if pid[r, c] < 0:
                continue
            rr, cc = r0 + r, c0 + c
            if p[r, c] >= threshold:
                servers[rr, cc] -= 1
            if best_id[rr, cc] == site:
                if second_id[rr, cc] == _sweep.UNKNOWN:
                    stale[r, c] = True
                else:
                    best[rr, cc] = second[rr, cc]
                    best_id[rr, cc] = second_id[rr, cc]
                    second[rr, cc] = _sweep.NO_SIGNAL
                    second_id[rr, cc] = _sweep.UNKNOWN if best_id[rr, cc] >= 0 else -1
            elif second_id[rr, cc] == site:
                second[rr, cc] = _sweep.NO_SIGNAL
                second_id[rr, cc] = _sweep.UNKNOWN
    return stale


class CoverageState:
    """Best-server grids of ``technology`` over ``operators`` (default all), editable.

    Site indices are row numbers of the table given at construction; added sites take the
    next numbers, removed ones keep theirs (they stop counting).
    """

    def __init__(self, sites: pd.DataFrame, dem: Dem, *, technology: str = "4G",
                 operators: Sequence[str] | None = None,
                 thresholds: Mapping[str, float] | None = None,
                 source: str = "sites", landcover: np.ndarray | None = None) -> None:
        self.dem = dem
        self.landcover = landcover  # classes on the DEM grid: clutter loss (None: none)
        self.technology = technology
        self.operators = tuple(operators) if operators else None
        self.thresholds = covered_thresholds(thresholds)
        self.threshold_dbm = self.thresholds[technology]
        self.records: Records = check_sites(sites, dem, source)
        self.active = self._selected(self.records)
        grids = self._run(self.active, track_second=True)
        self.best, self.best_id = grids["best"][0], grids["best_id"][0]
        self.second, self.second_id = grids["second"][0], grids["second_id"][0]
        self.servers = grids["servers"][0]
        # The power window of the site folded last, (index, _field's result): moving a site
        # just added or moved takes it out without sweeping it again.
        self._last_field: tuple[int, tuple[int, int, np.ndarray, np.ndarray]] | None = None

    def _selected(self, records: Records) -> np.ndarray:
        keep = records["technology"] == self.technology
        if self.operators:
            keep &= np.isin(records["operator"], list(self.operators))
        return keep

    def _run(self, which: np.ndarray, *, track_second: bool = False,
             window: tuple[int, int, int, int] | None = None) -> dict[str, np.ndarray]:
        prepared = _prepare(take(self.records, which), self.dem, self.thresholds)
        n = prepared.records["row"].size
        return run_grids(prepared, self.dem, np.zeros(n, np.int64), 1,
                         track_second=track_second, window=window)

    def _field(self, index: int) -> tuple[int, int, np.ndarray, np.ndarray]:
        """Power of one site over its disc: (row0, col0, power, id-or-−1) windows."""
        one = np.array([index])
        prepared = _prepare(take(self.records, one), self.dem, self.thresholds)
        radius = int(prepared.records["radius_cells"][0])
        row, col = int(self.records["row"][index]), int(self.records["col"][index])
        ny, nx = self.dem.shape
        r0, c0 = max(0, row - radius), max(0, col - radius)
        r1, c1 = min(ny, row + radius + 1), min(nx, col + radius + 1)
        grids = run_grids(prepared, self.dem, np.zeros(1, np.int64), 1,
                          window=(r0, c0, r1 - r0, c1 - c0))
        return r0, c0, grids["best"][0], grids["best_id"][0]

    def _fold(self, index: int) -> None:
        field = self._field(index)
        self._last_field = (index, field)
        r0, c0, p, pid = field
        _fold_in(self.best, self.best_id, self.second, self.second_id, self.servers, r0, c0,
                 p, pid, self.threshold_dbm)

    def add_site(self, site: Mapping[str, object]) -> int:
        """Add a site (same fields as the sites table); returns its index."""
        new = check_sites(pd.DataFrame([dict(site)]), self.dem, "new site")
        index = self.records["row"].size
        new["site_index"] = np.array([index], np.int32)
        self.records = concat(self.records, new)
        selected = bool(self._selected(new)[0])
        self.active = np.append(self.active, selected)
        if selected:
            self._fold(index)
        return index

    def remove_site(self, index: int) -> None:
        """Stop counting site ``index``."""
        if not self.active[index]:
            return
        if self._last_field is not None and self._last_field[0] == index:
            r0, c0, p, pid = self._last_field[1]
        else:
            r0, c0, p, pid = self._field(index)
        self._last_field = None
        self.active[index] = False
        stale = _take_out(self.best, self.best_id, self.second, self.second_id, self.servers,
                          r0, c0, p, pid, index, self.threshold_dbm)
        if stale.any():
            rows, cols = np.nonzero(stale)
            window = (r0 + rows.min(), c0 + cols.min(), rows.max() - rows.min() + 1,
                      cols.max() - cols.min() + 1)
            grids = self._run(self.active, track_second=True, window=window)
            win = (slice(window[0], window[0] + window[2]),
                   slice(window[1], window[1] + window[3]))
            self.best[win], self.best_id[win] = grids["best"][0], grids["best_id"][0]
            self.second[win] = grids["second"][0]
            self.second_id[win] = grids["second_id"][0]
            self.servers[win] = grids["servers"][0]

    def move_site(self, index: int, lon: float, lat: float) -> None:
        """Move site ``index`` to (lon, lat) WGS84, keeping its index and parameters."""
        fields = ("operator", "technology", "band_mhz", "height_m", "eirp_dbm")
        site = {f: self.records[f][index] for f in fields}
        site.update(lon=lon, lat=lat, azimuth_deg=self.records["azimuth"][index],
                    beamwidth_deg=self.records["beamwidth"][index])
        if site["azimuth_deg"] < 0:
            site["azimuth_deg"] = np.nan
        moved = check_sites(pd.DataFrame([site]), self.dem, "moved site")
        was_active = bool(self.active[index])
        self.remove_site(index)
        for key, values in moved.items():
            if key != "site_index":
                self.records[key][index] = values[0]
        self.active[index] = was_active
        if was_active:
            self._fold(index)

    def layer(self) -> CoverageLayer:
        """The current grids as a :class:`~analysis.coverage.CoverageLayer`, with the land
        cover's clutter loss subtracted as :func:`~analysis.coverage.compute_coverage` does."""
        best = np.where(self.best <= _sweep.NO_SIGNAL * 0.5, np.nan, self.best)
        operator = ",".join(self.operators) if self.operators else "all"
        best, servers = apply_clutter_layer(
            best.astype(np.float32), self.best_id, self.servers.copy(), self.threshold_dbm,
            band_by_site(self.records["site_index"], self.records["band_mhz"], self.active),
            self.landcover)
        return CoverageLayer(operator, self.technology, self.threshold_dbm, best,
                             self.best_id.copy(), servers)
