"""Which gaps to close within a budget (tỷ đồng), and how far from the best that is.

Budgets are in net present cost (VND; :mod:`analysis.costs.npc`). The places not served
before compete for the money in two tiers: **support points first** (the most points), then
**people reached per tỷ** (villages by population). Each step buys the investment with the
highest value per VND that still fits: one place's own option (microwave, a satellite
terminal, or its fibre extension at its *marginal* cost: the parts of its least-cost path
not already laid for another place), or a whole new BTS, which serves every unserved place it
newly covers. Shared investments — a fibre trunk, a BTS — are paid once.

The bound (:attr:`BudgetPlan.bound_people`, ``bound_points``) is a fractional-knapsack
upper bound on what any plan within the budget can reach: each place is given a lower bound
of what serving it costs — the least of its own options, its BTS's NPC divided by the places
that site could serve, and its fibre path with every edge's cost divided among the places
whose paths use it — and the knapsack of those costs is solved fractionally. Every feasible
plan's places fit that knapsack (each shared investment costs at least the sum of the shares
of the places it serves), so no plan does better.

Everything the plan needs is precomputed by :func:`prepare` once per :class:`CostTable`;
:func:`plan_budget` then takes milliseconds to a second for a new budget.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.costs.npc import TY
from analysis.costs.options import BTS, FIBRE, CostTable

SOLO = ("microwave", "satellite_geo", "satellite_leo")


@dataclass
class Prepared:
    """The budget problem of a :class:`CostTable`: the unserved places (``place``: indices
    into ``table.places``), their cheapest own option, fibre edges and BTS sets."""

    table: CostTable
    place: np.ndarray
    point: np.ndarray  # support point?
    people: np.ndarray
    solo_npc: np.ndarray  # cheapest own option (inf: none)
    solo_option: np.ndarray
    edge_npc: np.ndarray  # per fibre edge (local ids)
    path_start: np.ndarray  # CSR of local edge ids per place
    path_edges: np.ndarray
    edge_users_start: np.ndarray  # CSR: places using each edge
    edge_users: np.ndarray
    bts_npc: np.ndarray
    bts_start: np.ndarray  # CSR of local place ids per BTS
    bts_members: np.ndarray
    bts_id: np.ndarray
    has_fibre: np.ndarray | None = None  # per place: a fibre path exists
    lower_cost: np.ndarray | None = None  # per place: least it can cost, for the bound


def _csr(groups: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    start = np.zeros(len(groups) + 1, np.int64)
    start[1:] = np.cumsum([g.size for g in groups])
    flat = np.concatenate(groups).astype(np.int64) if groups else np.zeros(0, np.int64)
    return start, flat


def prepare(table: CostTable) -> Prepared:
    """Precompute the budget problem (once per cost table)."""
    served = table.places["served_before"].to_numpy(bool)
    place = np.flatnonzero(~served)
    local = np.full(len(table.places), -1, np.int64)
    local[place] = np.arange(place.size)
    o = table.options
    o = o[o["feasible"] & (local[o["place"].to_numpy(np.int64)] >= 0)]
    solo = o[o["option"].isin(SOLO)].sort_values(["place", "npc_vnd"], kind="stable")
    solo = solo.drop_duplicates("place")
    solo_npc = np.full(place.size, np.inf)
    solo_option = np.full(place.size, "", object)
    li = local[solo["place"].to_numpy(np.int64)]
    solo_npc[li] = solo["npc_vnd"].to_numpy(float)
    solo_option[li] = solo["option"].to_numpy(object)
    # Fibre: the tree edges of each place's path, NPC of each edge (capex + opex by length).
    fib = o[o["option"] == FIBRE]
    has_fibre = np.zeros(place.size, bool)
    has_fibre[local[fib["place"].to_numpy(np.int64)]] = True
    groups, edge_npc = [], np.zeros(0)
    if table.fibre_paths is not None and has_fibre.any():
        fp = table.fibre_paths
        cells = [fp.of(p) if has_fibre[i] else np.zeros(0, np.int64)
                 for i, p in enumerate(place)]
        all_cells = np.concatenate(cells) if cells else np.zeros(0, np.int64)
        unique, inverse = np.unique(all_cells, return_inverse=True)
        first = np.zeros(unique.size, np.int64)  # any occurrence gives the edge's figures
        positions = np.concatenate([np.arange(fp.start[p], fp.start[p + 1]) if has_fibre[i]
                                    else np.zeros(0, np.int64) for i, p in enumerate(place)])
        first[inverse] = positions
        per_m = table.costs.usd(table.costs.fibre_opex_usd_per_km_year) / 1000.0
        edge_npc = fp.edge_vnd[first] + fp.edge_m[first] * per_m * table.annuity
        sizes = np.array([c.size for c in cells], np.int64)
        splits = np.cumsum(sizes)[:-1]
        groups = np.split(inverse.astype(np.int64), splits)
    else:
        groups = [np.zeros(0, np.int64) for _ in place]
    path_start, path_edges = _csr(groups)
    owners = np.repeat(np.arange(place.size), np.diff(path_start))
    order = np.argsort(path_edges, kind="stable")
    edge_users = owners[order]
    edge_users_start = np.searchsorted(path_edges[order], np.arange(edge_npc.size + 1))
    bts = table.bts
    members = [local[np.asarray(m, np.int64)] for m in bts["places"]]
    bts_start, bts_members = _csr(members)
    prep = Prepared(table, place, table.places["kind"].to_numpy()[place] == "support_point",
                    table.places["population"].to_numpy(float)[place], solo_npc, solo_option,
                    edge_npc, path_start, path_edges, edge_users_start, edge_users,
                    bts["npc_vnd"].to_numpy(float), bts_start, bts_members,
                    bts["id"].astype(str).to_numpy(object))
    prep.has_fibre = has_fibre
    # Lower bound of what serving each place costs (see the module's docstring).
    lower = solo_npc.copy()
    if edge_npc.size:
        users = np.diff(edge_users_start).astype(float)
        share = edge_npc / users
        fibre_lb = np.add.reduceat(np.append(share[path_edges], 0.0), path_start[:-1])
        fibre_lb = np.where(has_fibre & (np.diff(path_start) > 0), fibre_lb,
                            np.where(has_fibre, 0.0, np.inf))
        lower = np.minimum(lower, fibre_lb)
    for b in range(len(members)):
        m = bts_members[bts_start[b]:bts_start[b + 1]]
        if m.size:
            lower[m] = np.minimum(lower[m], prep.bts_npc[b] / m.size)
    prep.lower_cost = lower
    return prep


def fractional_knapsack(values: np.ndarray, weights: np.ndarray, capacity: float) -> float:
    """The fractional knapsack optimum: items by value per weight, the last one in part.
    Zero-weight items are taken whole; infinite-weight ones never."""
    values, weights = np.asarray(values, float), np.asarray(weights, float)
    ok = np.isfinite(weights) & (values > 0)
    values, weights = values[ok], weights[ok]
    free = weights <= 0
    total = float(values[free].sum())
    values, weights = values[~free], weights[~free]
    order = np.argsort(-values / weights, kind="stable")
    cum = np.cumsum(weights[order])
    whole = np.searchsorted(cum, capacity, side="right")
    total += float(values[order][:whole].sum())
    if whole < order.size:
        left = capacity - (cum[whole - 1] if whole else 0.0)
        total += float(values[order][whole] * left / weights[order][whole])
    return total


@dataclass
class BudgetPlan:
    """What a budget buys: the investments in order and the places they serve."""

    budget_vnd: float
    investments: pd.DataFrame  # step, kind, id, npc_vnd, places (indices into table.places)
    place_option: pd.Series  # per place of table.places: option bought, "" none
    points: int  # support points newly served
    villages: int
    people: int
    bound_points: float  # no plan within the budget serves more support points
    bound_people: float  # … or reaches more people

    @property
    def spent_vnd(self) -> float:
        return float(self.investments["npc_vnd"].sum())

    def summary(self) -> str:
        """The plan's totals in one line (English, tỷ đồng)."""
        return (f"budget {self.budget_vnd / TY:,.2f} tỷ, spent {self.spent_vnd / TY:,.2f} tỷ "
                f"(NPC) on {len(self.investments)} investments: {self.points} support points, "
                f"{self.villages} villages, {self.people:,} people newly served; no plan "
                f"within the budget serves more than {int(self.bound_points + 1e-9)} "
                f"points or reaches more than {int(self.bound_people + 1e-9):,} people")


def plan_budget(prepared: Prepared | CostTable, budget_ty: float) -> BudgetPlan:
    """The greedy plan within ``budget_ty`` tỷ đồng (NPC), support points first."""
    prep = prepared if isinstance(prepared, Prepared) else prepare(prepared)
    budget = float(budget_ty) * TY
    remaining = budget
    n = prep.place.size
    served = np.zeros(n, bool)
    built = np.zeros(prep.edge_npc.size, bool)
    bts_built = np.zeros(prep.bts_npc.size, bool)
    fib = np.full(n, np.inf)
    if prep.edge_npc.size:
        fib = np.add.reduceat(np.append(prep.edge_npc[prep.path_edges], 0.0),
                              prep.path_start[:-1])
        fib = np.where(prep.has_fibre, np.where(np.diff(prep.path_start) > 0, fib, 0.0),
                       np.inf)
    bought = np.full(n, "", object)
    steps = []
    bts_of = np.repeat(np.arange(prep.bts_npc.size), np.diff(prep.bts_start))
    eps = 1e-9
    for tier in (prep.point, ~prep.point):
        # Support points count one each; villages their people (at least one).
        value = (tier.astype(float) if tier is prep.point
                 else np.where(tier, np.maximum(prep.people, 1.0), 0.0))
        while True:
            cost = np.minimum(prep.solo_npc, fib)
            open_ = tier & ~served & (cost <= remaining + eps)
            ratio = np.where(open_, value / np.maximum(cost, 1.0), -np.inf)
            best_place = int(np.argmax(ratio)) if n else -1
            best = ratio[best_place] if n else -np.inf
            best_bts = -1
            if prep.bts_npc.size:
                gain = np.bincount(bts_of, weights=np.where(~served, value, 0.0)[
                    prep.bts_members], minlength=prep.bts_npc.size)
                ok = ~bts_built & (gain > 0) & (prep.bts_npc <= remaining + eps)
                bratio = np.where(ok, gain / prep.bts_npc, -np.inf)
                b = int(np.argmax(bratio))
                if bratio[b] > best:
                    best, best_bts = bratio[b], b
            if not np.isfinite(best):
                break
            if best_bts >= 0:
                members = prep.bts_members[prep.bts_start[best_bts]:prep.bts_start[best_bts + 1]]
                new = members[~served[members]]
                served[new] = True
                bought[new] = BTS
                bts_built[best_bts] = True
                remaining -= prep.bts_npc[best_bts]
                steps.append((BTS, prep.bts_id[best_bts], prep.bts_npc[best_bts], new))
                continue
            p = best_place
            if fib[p] <= prep.solo_npc[p]:
                edges = prep.path_edges[prep.path_start[p]:prep.path_start[p + 1]]
                new_edges = edges[~built[edges]]
                built[new_edges] = True
                spent = float(fib[p])
                users = np.unique(np.concatenate(
                    [prep.edge_users[prep.edge_users_start[e]:prep.edge_users_start[e + 1]]
                     for e in new_edges])) if new_edges.size else np.zeros(0, np.int64)
                for u in users:
                    ue = prep.path_edges[prep.path_start[u]:prep.path_start[u + 1]]
                    fib[u] = float(prep.edge_npc[ue[~built[ue]]].sum())
                option = FIBRE
            else:
                spent, option = float(prep.solo_npc[p]), prep.solo_option[p]
            served[p] = True
            bought[p] = option
            remaining -= spent
            steps.append((option, str(prep.table.places["id"].iloc[prep.place[p]]), spent,
                          np.array([p])))
    investments = pd.DataFrame(
        [{"step": i + 1, "kind": kind, "id": ident, "npc_vnd": float(cost),
          "places": prep.place[members]} for i, (kind, ident, cost, members)
         in enumerate(steps)], columns=["step", "kind", "id", "npc_vnd", "places"])
    option = pd.Series("", index=prep.table.places.index, dtype=object)
    option.iloc[prep.place] = bought
    people = int(prep.people[served].sum())
    return BudgetPlan(
        budget, investments, option, int((served & prep.point).sum()),
        int((served & ~prep.point).sum()), people,
        fractional_knapsack(prep.point.astype(float), prep.lower_cost, budget),
        fractional_knapsack(prep.people, prep.lower_cost, budget))
