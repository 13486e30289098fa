"""What-if planning: where would new sites close the most gaps?

Targets are the places without service for a selection (technology, operators): support
points, villages. Each weighs ``weight_support_point`` or ``weight_village`` plus
``weight_per_1000_people`` per thousand residents (``SETTINGS.planning``). Candidates are
positions inside the gap areas, one per block of ``candidate_spacing_m`` (the highest ground
of the block when terrain is loaded, else the gap cell nearest the block's centre), optionally
only those near fibre or existing sites. Each candidate is evaluated with the coverage
engine's own terrain sweep (:func:`analysis._sweep.candidate_power`), so a plan covers exactly
what a full recompute with its sites added covers.

The choice of K sites is the maximum-coverage problem; :func:`greedy` runs the lazy greedy
algorithm (Minoux's accelerated greedy / CELF), which guarantees at least (1 − 1/e) of the
optimum, and reports the data-dependent upper bound of Leskovec et al. (2007): for every
prefix S_i of the greedy choice, OPT ≤ f(S_i) + the sum of the K largest marginal gains with
respect to S_i; the smallest such value is reported as ``upper_bound``.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.prepared

from analysis.clutter import class_loss_table
from analysis.coverage import PreparedSites, power_at_cells, prepare_sites
from analysis.gaps import covered_mask
from analysis.pipeline import Analysis, commune_labels
from analysis.scenarios import site_rows
from analysis.selection import Selection
from geo.admin import investment_area_of
from geo.crs import transform
from geo.dem import Dem
from geo.errors import DataError, Notice
from geo.settings import SETTINGS

_PLAN = SETTINGS.planning
_RADIO = SETTINGS.radio


@dataclass
class Targets:
    """Places to cover: metric positions, weights and what they are."""

    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    frame: pd.DataFrame  # kind, id, name, commune_code_2025, population
    threshold: np.ndarray | None = None  # covered threshold per place, dBm (its service level)

    def __len__(self) -> int:
        return self.x.size


def place_weights(kind: str, population: np.ndarray | float) -> np.ndarray:
    """Weight of newly covering a place of ``kind`` (support_point / village)."""
    base = _PLAN.weight_support_point if kind == "support_point" else _PLAN.weight_village
    return base + _PLAN.weight_per_1000_people * np.asarray(population, float) / 1000.0


def places(result: Analysis, *,
           investment_weight: float = _PLAN.investment_area_weight) -> pd.DataFrame:
    """Support points then villages: kind, id, name, commune_code_2025, population, metric
    ``x``/``y`` (EPSG:9208), ``covered_before`` (not in a mobile gap for the selection),
    ``threshold_dbm`` (the covered threshold at the service level it is judged at: support
    points at the selection's ``point_service``) and the ``weight`` of newly covering each
    (times ``investment_weight`` in a unit listed by Quyết định 2167/QĐ-UBND; 1.0, the
    settings' default, weighs them like the others)."""
    parts = []
    for kind, layer, assessment, id_col in (
        ("support_point", result.inputs.points, result.points, "point_id"),
        ("village", result.inputs.villages, result.villages, "village_id"),
    ):
        pop = (layer["population"].to_numpy(float) if "population" in layer
               else np.zeros(len(layer)))
        listed = investment_area_of(layer["commune_code_2025"]).to_numpy() != ""
        factor = np.where(listed, investment_weight, 1.0)
        metric = layer.to_crs(SETTINGS.crs.metric).geometry
        parts.append(pd.DataFrame({
            "kind": kind, "id": layer[id_col].to_numpy(), "name": layer["name"].to_numpy(),
            "commune_code_2025": layer["commune_code_2025"].to_numpy(), "population": pop,
            "x": metric.x.to_numpy(), "y": metric.y.to_numpy(),
            "covered_before": (~assessment.mobile_gap).to_numpy(),
            "threshold_dbm": assessment.selection.threshold,
            "weight": place_weights(kind, pop) * factor}))
    return pd.concat(parts, ignore_index=True)


def uncovered_targets(result: Analysis) -> Targets:
    """Support points and villages in a gap for the analysis' selection."""
    frame = places(result)
    frame = frame[~frame["covered_before"].to_numpy()].reset_index(drop=True)
    return Targets(frame["x"].to_numpy(), frame["y"].to_numpy(), frame["weight"].to_numpy(),
                   frame.drop(columns=["x", "y", "weight", "covered_before", "threshold_dbm"]),
                   frame["threshold_dbm"].to_numpy(float))


def candidates(result: Analysis, *, spacing_m: float = _PLAN.candidate_spacing_m,
               near: str | None = None, near_distance_m: float = _PLAN.near_distance_m,
               max_candidates: int = _PLAN.max_candidates) -> pd.DataFrame:
    """Candidate positions (EPSG:9208 ``x``, ``y``; ``row``, ``col``) inside the gap areas.

    One per block of ``spacing_m``: the highest gap cell of the block when terrain is
    loaded, else the gap cell nearest the block centre. ``near`` = ``"fibre"`` or
    ``"sites"`` keeps only candidates within ``near_distance_m`` of them.
    """
    cov, sel = result.coverage, result.selection
    dem = result.inputs.dem
    # Where the map's or the support points' service level lacks service (the stricter).
    strict = max(sel.threshold, sel.at_points().threshold)
    gap = ~covered_mask(cov, sel.technology, sel.operators, strict)
    gap &= commune_labels(result.inputs, cov) > 0
    block = max(1, round(spacing_m / cov.resolution_m))
    rows, cols = np.nonzero(gap)
    if dem.terrain_loaded:
        score = dem.elevation[rows, cols].astype(float)
    else:
        cr = (rows // block) * block + block / 2.0
        cc = (cols // block) * block + block / 2.0
        score = -np.hypot(rows - cr, cols - cc)
    key = (rows // block) * (cov.shape[1] // block + 1) + cols // block
    order = np.lexsort((-score, key))
    first = np.ones(order.size, bool)
    first[1:] = key[order][1:] != key[order][:-1]
    pick = order[first]
    out = pd.DataFrame({"row": rows[pick], "col": cols[pick]})
    t = cov.transform
    out["x"] = t.c + (out["col"] + 0.5) * t.a
    out["y"] = t.f + (out["row"] + 0.5) * t.e
    if near is not None:
        layers = {"fibre": [result.inputs.fibre_routes, result.inputs.fibre_nodes],
                  "sites": [result.inputs.sites]}[near]
        geoms = np.concatenate([g.to_crs(SETTINGS.crs.metric).geometry.values for g in layers])
        tree = shapely.STRtree(geoms)
        hits = tree.query(shapely.points(out["x"], out["y"]), predicate="dwithin",
                          distance=near_distance_m)[0]
        out = out.iloc[np.unique(hits)].reset_index(drop=True)
    if len(out) > max_candidates:
        out = out.iloc[np.linspace(0, len(out) - 1, max_candidates).astype(int)]
    return out.reset_index(drop=True)


def candidate_sites(cands: pd.DataFrame, selection: Selection, *,
                    operator: str = _PLAN.operator, height_m: float = _PLAN.height_m,
                    eirp_dbm: float = _PLAN.eirp_dbm,
                    band_mhz: float | None = None) -> pd.DataFrame:
    """Candidates as rows of the canonical sites table (:func:`analysis.scenarios.site_rows`,
    WGS84 lon/lat), named ``NEW-00001``…"""
    lon, lat = transform(cands["x"].to_numpy(), cands["y"].to_numpy(), SETTINGS.crs.metric,
                         SETTINGS.crs.display)
    tech = selection.technology
    return site_rows([f"NEW-{i + 1:05d}" for i in range(len(cands))], operator=operator,
                     technology=tech, band_mhz=float(band_mhz or _RADIO.default_band_mhz[tech]),
                     lon=lon, lat=lat, height_m=height_m, eirp_dbm=eirp_dbm)


@dataclass
class CandidatePairs:
    """Candidate sites prepared on the grid and the (candidate, target) pairs within reach."""

    prepared: PreparedSites
    targets: Targets
    cand: np.ndarray  # candidate index per pair, sorted
    target: np.ndarray  # target index per pair
    dist: np.ndarray  # metres
    start: np.ndarray  # pairs of candidate k: start[k]:start[k + 1]
    threshold: np.ndarray  # covered threshold of each pair's target, dBm


def candidate_pairs(sites: pd.DataFrame, targets: Targets, dem: Dem,
                    selection: Selection) -> CandidatePairs:
    """Check and prepare the candidate sites and find the targets within their reach."""
    # Radii at the outdoor threshold (the widest); each target's own threshold decides.
    thresholds = {selection.technology: selection.outdoor_threshold}
    prepared = prepare_sites(sites, dem, "candidate sites", thresholds=thresholds)
    rec = prepared.records
    tree = shapely.STRtree(shapely.points(targets.x, targets.y))
    cand, target = tree.query(shapely.points(rec["x"], rec["y"]), predicate="dwithin",
                              distance=float(rec["reach_m"].max(initial=0.0)))
    dist = np.hypot(rec["x"][cand] - targets.x[target], rec["y"][cand] - targets.y[target])
    keep = dist <= rec["reach_m"][cand]
    order = np.argsort(cand[keep], kind="stable")
    cand, target, dist = cand[keep][order], target[keep][order], dist[keep][order]
    start = np.searchsorted(cand, np.arange(rec["row"].size + 1))
    own = (targets.threshold if targets.threshold is not None
           else np.full(len(targets), selection.threshold))
    return CandidatePairs(prepared, targets, cand, target, dist, start, own[target])


def flat_sets(pairs: CandidatePairs) -> list[np.ndarray]:
    """Targets each candidate could cover at best: the median model at the highest
    effective height with no diffraction, an upper bound of the terrain sets."""
    p = pairs.prepared
    power = p.records["ref_dbm"][pairs.cand] - p.least_loss_db(pairs.cand, pairs.dist)
    ok = power >= pairs.threshold
    return [pairs.target[a:b][ok[a:b]] for a, b in zip(pairs.start[:-1], pairs.start[1:],
                                                        strict=True)]


def terrain_sets(pairs: CandidatePairs, dem: Dem, which: Sequence[int],
                 landcover: np.ndarray | None = None) -> list[np.ndarray]:
    """Targets each candidate in ``which`` covers over the terrain, computed with the grid
    engine's own sweep (each swept only out to its farthest target), less the clutter loss
    of each target's land-cover class (``landcover`` on the DEM grid; None: none), as the
    grid engine subtracts it."""
    rec = pairs.prepared.records
    which = np.asarray(which, np.int64)
    t = dem.transform
    trow = np.floor((pairs.targets.y - t.f) / t.e).astype(np.int64)
    tcol = np.floor((pairs.targets.x - t.c) / t.a).astype(np.int64)
    counts = pairs.start[which + 1] - pairs.start[which]
    local_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    pair_ids = np.concatenate([np.arange(pairs.start[k], pairs.start[k + 1]) for k in which]
                              ) if which.size else np.zeros(0, np.int64)
    farthest = np.array([pairs.dist[pairs.start[k]:pairs.start[k + 1]].max(initial=0.0)
                         for k in which])
    radius = np.minimum(rec["radius_cells"][which],
                        np.ceil(farthest / dem.resolution_m).astype(np.int64) + 1)
    rows, cols = trow[pairs.target[pair_ids]], tcol[pairs.target[pair_ids]]
    power = power_at_cells(pairs.prepared, dem, which, radius, local_start, rows, cols)
    if landcover is not None and power.size:
        band = np.repeat(rec["band_mhz"][which], counts)
        bands, band_row = np.unique(band, return_inverse=True)
        power = power - class_loss_table(bands)[band_row, landcover[rows, cols]]
    ok = power >= pairs.threshold[pair_ids]
    targets = pairs.target[pair_ids]
    return [targets[a:b][ok[a:b]] for a, b in itertools.pairwise(local_start)]


@dataclass
class PlanResult:
    """The greedy choice: candidate indices in order, their marginal gains and the bounds."""

    chosen: list[int]
    gains: list[float]
    totals: list[float]
    covered: list[np.ndarray]  # target indices newly covered by each chosen site
    upper_bound: float
    requested_k: int
    messages: list[Notice] = field(default_factory=list)  # codes: plan.msg.<code>

    @property
    def total(self) -> float:
        return self.totals[-1] if self.totals else 0.0

    @property
    def bound_share(self) -> float | None:
        """The share of the best possible score the plan is proven to reach (None: no
        bound)."""
        if self.upper_bound <= 0:
            return None
        return min(1.0, self.total / self.upper_bound)


def greedy(sets: Sequence[np.ndarray], weights: np.ndarray, k: int, *,
           exact: Callable[[list[int]], list[np.ndarray]] | None = None,
           batch: int = 64,
           progress: Callable[[float], None] | None = None) -> PlanResult:
    """Lazy greedy maximum weighted coverage of ``k`` sets (ties: lower index first).

    With ``exact``, ``sets`` are optimistic supersets (e.g. flat-ground coverage) and
    ``exact(indices)`` gives the true sets; a candidate is evaluated exactly (in batches of
    the best-ranked ones) only when it reaches the top of the queue, which is correct
    because an optimistic gain is an upper bound of the true one.
    """
    messages = []
    n = len(sets)
    if k > n:
        messages.append(Notice.of("K = {k} is more than the {n} candidates: clipped to {n}.",
                                  "clipped", k=k, n=n))
    k = min(k, n)
    final = list(sets) if exact is None else [None] * n
    covered = np.zeros(weights.size, bool)
    heap = [(-float(weights[s].sum()), i, 0) for i, s in enumerate(sets)]
    heapq.heapify(heap)
    chosen, gains, totals, newly = [], [], [], []
    best_bound = float(sum(sorted((-g for g, _, _ in heap), reverse=True)[:k]))
    total = 0.0
    evaluated = 0

    def gain(s: np.ndarray) -> float:
        return float(weights[s[~covered[s]]].sum())

    for step in range(k):
        while True:
            neg, i, stamp = heapq.heappop(heap)
            if final[i] is None:  # only an optimistic gain so far: evaluate a batch
                todo, held = [(neg, i)], []
                while heap and len(todo) < batch:
                    entry = heapq.heappop(heap)
                    if final[entry[1]] is None:
                        todo.append(entry[:2])
                    else:
                        held.append(entry)
                for entry in held:
                    heapq.heappush(heap, entry)
                for (_, j), s in zip(todo, exact([j for _, j in todo]), strict=True):
                    final[j] = s
                    heapq.heappush(heap, (-gain(s), j, step))
                evaluated += len(todo)
                if progress is not None:
                    progress(evaluated / n)
                continue
            if stamp == step:
                break
            heapq.heappush(heap, (-gain(final[i]), i, step))
        if -neg <= 0.0:
            messages.append(Notice.of("No candidate adds coverage after {n} site(s).",
                                      "exhausted", n=step))
            break
        new = final[i][~covered[final[i]]]
        covered[new] = True
        total += -neg
        chosen.append(i)
        gains.append(-neg)
        totals.append(total)
        newly.append(new)
        # Online bound: f(S) + the k largest marginal gains w.r.t. S; stale or optimistic
        # gains in the heap are upper bounds of the true ones, so the bound stays valid.
        top = heapq.nsmallest(k, heap)
        best_bound = min(best_bound, total + sum(-g for g, _, _ in top))
    if exact is not None:
        messages.append(Notice.of("{e} of {n} candidates evaluated over the terrain; the "
                                  "others could not beat them even over flat ground.",
                                  "evaluated", e=evaluated, n=n))
    return PlanResult(chosen, gains, totals, newly, best_bound, k, messages)


@dataclass
class Plan:
    """A planning run: the chosen sites (canonical sites rows) and what each adds."""

    sites: pd.DataFrame
    result: PlanResult
    targets: Targets
    candidates: int

    def sites_frame(self) -> gpd.GeoDataFrame:
        """Chosen sites with their marginal gain, running total and places newly covered."""
        rows = self.sites.iloc[self.result.chosen].reset_index(drop=True).copy()
        rows["rank"] = np.arange(1, len(rows) + 1)
        rows["gain"] = np.round(self.result.gains, 1)
        rows["total"] = np.round(self.result.totals, 1)
        frame = self.targets.frame
        rows["points_added"] = [int((frame["kind"].to_numpy()[c] == "support_point").sum())
                                for c in self.result.covered]
        rows["villages_added"] = [int((frame["kind"].to_numpy()[c] == "village").sum())
                                  for c in self.result.covered]
        rows["people_added"] = [int(frame["population"].to_numpy()[c].sum())
                                for c in self.result.covered]
        return gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy(rows["lon"], rows["lat"]),
                                crs=SETTINGS.crs.display)

    def covered_frame(self) -> pd.DataFrame:
        """Every newly covered place with the rank of the site that covers it."""
        parts = [self.targets.frame.iloc[c].assign(by_rank=rank + 1)
                 for rank, c in enumerate(self.result.covered)]
        return pd.concat(parts) if parts else self.targets.frame.iloc[:0]


def plan(result: Analysis, k: int, *, operator: str = _PLAN.operator,
         spacing_m: float = _PLAN.candidate_spacing_m, near: str | None = None,
         progress: Callable[[float], None] | None = None) -> Plan:
    """Choose ``k`` new sites of ``operator`` for the analysis' selection."""
    if k < 1:
        raise DataError(f"K must be at least 1, got {k}.")
    targets = uncovered_targets(result)
    cands = candidates(result, spacing_m=spacing_m, near=near)
    sites = candidate_sites(cands, result.selection, operator=operator)
    if len(sites) == 0 or len(targets) == 0:
        empty = PlanResult([], [], [], [], 0.0, k, [Notice(
            "nothing", "Nothing to plan: no gap or no candidate position.")])
        return Plan(sites, empty, targets, len(sites))
    dem = result.inputs.dem
    lc = result.inputs.landcover
    classes = None if lc is None else lc.classes
    pairs = candidate_pairs(sites, targets, dem, result.selection)
    chosen = greedy(flat_sets(pairs), targets.weight, k,
                    exact=lambda which: terrain_sets(pairs, dem, which, classes),
                    progress=progress)
    if progress is not None:
        progress(1.0)
    return Plan(sites, chosen, targets, len(sites))


@dataclass(frozen=True)
class Totals:
    """Places with service before and after the proposed sites, and how many there are."""

    points: tuple[int, int, int]  # before, after, all
    villages: tuple[int, int, int]
    people: tuple[int, int, int]


class WhatIf:
    """Proposed sites added by hand, with what they change for every place.

    Holds the best-server grids of the analysis' selection (:class:`CoverageState`) and the
    support points and villages; each add / move / delete updates only the site's disc.
    """

    def __init__(self, result: Analysis) -> None:
        from analysis.incremental import CoverageState
        from analysis.inputs import sites_table

        self.result = result
        sel = result.selection
        self.dem = result.inputs.dem
        lc = result.inputs.landcover
        self.state = CoverageState(sites_table(result.inputs.sites), self.dem,
                                   technology=sel.technology, operators=sel.operators,
                                   thresholds={sel.technology: sel.outdoor_threshold},
                                   landcover=None if lc is None else lc.classes)
        self.places = places(result)
        t = self.dem.transform
        self._rows = np.floor((self.places["y"] - t.f) / t.e).astype(np.int64).to_numpy()
        self._cols = np.floor((self.places["x"] - t.c) / t.a).astype(np.int64).to_numpy()
        self.proposed: dict[int, dict] = {}
        outline = result.inputs.study_area.to_crs(SETTINGS.crs.display).geometry.union_all()
        self._area = shapely.prepared.prep(outline)

    def _check(self, site: dict) -> dict:
        full = {"operator": _PLAN.operator, "technology": self.result.selection.technology,
                "band_mhz": _RADIO.default_band_mhz[self.result.selection.technology],
                "height_m": _PLAN.height_m, "eirp_dbm": _PLAN.eirp_dbm, **site}
        if not self._area.contains(shapely.Point(float(full["lon"]), float(full["lat"]))):
            raise DataError(f"proposed site at {full['lon']:.5f}, {full['lat']:.5f} is outside "
                            f"the study area ({self.result.inputs.area}).",
                            fix="place it inside the study area.", code="outside_province",
                            params={"area": self.result.inputs.area})
        return full

    def add(self, site: dict) -> int:
        """Add a proposed site (lon/lat WGS84 and any site fields); returns its index."""
        full = self._check(site)
        index = self.state.add_site(full)
        self.proposed[index] = full
        return index

    def move(self, index: int, lon: float, lat: float) -> None:
        self._check({**self.proposed[index], "lon": lon, "lat": lat})
        self.state.move_site(index, lon, lat)
        self.proposed[index].update(lon=lon, lat=lat)

    def remove(self, index: int) -> None:
        self.state.remove_site(index)
        del self.proposed[index]

    def covered_now(self) -> np.ndarray:
        """Whether each place is covered with the proposed sites in."""
        ny, nx = self.state.best.shape
        inside = ((self._rows >= 0) & (self._rows < ny) & (self._cols >= 0)
                  & (self._cols < nx))
        values = np.full(self._rows.size, -np.inf)
        values[inside] = self.state.best[self._rows[inside], self._cols[inside]]
        return values >= self.places["threshold_dbm"].to_numpy(float)

    def totals(self) -> Totals:
        """Support points, villages and people (of villages) with service, before and after
        the proposed sites."""
        before = self.places["covered_before"].to_numpy(bool)
        after = before | self.covered_now()
        kind = self.places["kind"].to_numpy()
        pop = self.places["population"].to_numpy(float)

        def count(mask: np.ndarray) -> tuple[int, int, int]:
            return int((before & mask).sum()), int((after & mask).sum()), int(mask.sum())

        return Totals(count(kind == "support_point"), count(kind == "village"),
                      (int(pop[before].sum()), int(pop[after].sum()), int(pop.sum())))

    def gains(self) -> pd.DataFrame:
        """Per 2025 unit: support points, villages and people newly covered."""
        new = self.covered_now() & ~self.places["covered_before"].to_numpy()
        added = self.places[new]
        by = added["commune_code_2025"]
        out = pd.DataFrame({
            "points": (added["kind"] == "support_point").groupby(by).sum(),
            "villages": (added["kind"] == "village").groupby(by).sum(),
            "people": added["population"].groupby(by).sum(),
        }).astype(int)
        names = self.result.inputs.communes.set_index("code")["full_name"]
        out.insert(0, "commune_2025", out.index.map(names))
        return out.reset_index(names="commune_code_2025")
