"""Connection options of every place, each feasible or not with a reason code, and the
cheapest feasible one (and the runner-up) by net present cost.

Places are :func:`analysis.planning.places` (support points, then villages; metric x/y in
EPSG:9208). Options (``OPTIONS``):

``already_served``
    mobile service at the place's service level (``covered_before``) — reason ``covered`` —
    or fibre within reach (:func:`analysis.status.fibre_gap` false) — ``fibre_within_reach``;
    such a place gets no other option.
``bts``
    a new site chosen by the planner's optimiser (:func:`analysis.planning.plan`) that newly
    covers it; the site's NPC is shared equally among the unserved places it newly covers
    (``share_npc_vnd``). Not offered: ``not_in_plan``.
``fibre``
    an extension from the existing fibre along the least-cost path over the terrain
    (:mod:`analysis.costs.fibre_path`); ``no_fibre_node`` without fibre, ``no_path`` when cut
    off.
``microwave``
    a point-to-point link from a fibre node or a BTS, with a relay if needed
    (:mod:`analysis.costs.microwave`); ``hop_too_long``, ``blocked_terrain``,
    ``no_fibre_node_or_bts``.
``satellite_geo``, ``satellite_leo``
    a terminal at the place; always feasible (LEO only when ``leo_available``).

Money in VND; NPC over ``years`` at ``discount_rate`` (:mod:`analysis.costs.npc`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis import status
from analysis.costs import fibre_path as F
from analysis.costs import microwave as M
from analysis.costs.npc import annuity_factor
from analysis.pipeline import Analysis
from analysis.planning import Plan, places
from analysis.planning import plan as plan_sites
from geo.crs import transform
from geo.dem import Dem
from geo.settings import SETTINGS, CostSettings

ALREADY, BTS, FIBRE, MICROWAVE, GEO, LEO = ("already_served", "bts", "fibre", "microwave",
                                            "satellite_geo", "satellite_leo")
OPTIONS: tuple[str, ...] = (ALREADY, BTS, FIBRE, MICROWAVE, GEO, LEO)
COVERED, FIBRE_WITHIN_REACH = "covered", "fibre_within_reach"
NOT_IN_PLAN, NO_FIBRE_NODE, NO_PATH, LEO_UNAVAILABLE = ("not_in_plan", "no_fibre_node",
                                                        "no_path", "leo_not_available")
OPTION_COLUMNS = ("place", "option", "feasible", "reason", "capex_vnd", "opex_vnd_per_year",
                  "npc_vnd", "share_npc_vnd", "investment", "length_m", "clearance_pct",
                  "clearance_worst_k_pct", "relay", "latency_ms", "capacity_mbps", "end_kind",
                  "end_id")


@dataclass
class CostTable:
    """Everything the costing computed once: the places, their options (long table,
    ``OPTION_COLUMNS``), the planned sites, the fibre tree and paths, the microwave ends and
    links. The budget plan (:func:`analysis.costs.budget.plan_budget`) and the link profile
    (:func:`analysis.costs.profile.place_profile`) read it; neither recomputes it."""

    places: pd.DataFrame
    options: pd.DataFrame
    bts: pd.DataFrame  # id, x, y, lon, lat, capex_vnd, opex_vnd_per_year, npc_vnd, places
    fibre: F.FibreTree | None
    fibre_paths: F.Paths | None
    ends: M.Ends
    links: M.Links
    dem: Dem
    costs: CostSettings
    years: int
    discount_rate: float
    _choices: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def annuity(self) -> float:
        return annuity_factor(self.years, self.discount_rate)

    def choices(self) -> pd.DataFrame:
        """Per place (index aligned with ``places``): ``chosen``, its ``npc_vnd`` (the
        place's share), ``capex_vnd``, ``runner_up``, ``runner_up_npc_vnd`` and ``reasons``
        (``option:reason`` of every infeasible option, ``;``-separated)."""
        if self._choices is not None:
            return self._choices
        o = self.options
        feasible = o[o["feasible"]].sort_values(["place", "share_npc_vnd", "option"],
                                                kind="stable")
        first = feasible.groupby("place").nth(0).set_index("place")
        second = feasible.groupby("place").nth(1).set_index("place")
        bad = o[~o["feasible"]]
        reasons = (bad["option"] + ":" + bad["reason"]).groupby(bad["place"]).agg(";".join)
        index = self.places.index
        out = pd.DataFrame({
            "chosen": first["option"].reindex(index),
            "npc_vnd": first["share_npc_vnd"].reindex(index),
            "capex_vnd": first["capex_vnd"].reindex(index),
            "chosen_reason": first["reason"].reindex(index),
            "runner_up": second["option"].reindex(index).fillna(""),
            "runner_up_npc_vnd": second["share_npc_vnd"].reindex(index),
            "reasons": reasons.reindex(index).fillna(""),
        }, index=index)
        self._choices = out
        return out


def _rows(place, option, *, feasible=True, reason="", capex=0.0, opex=0.0, annuity=0.0,
          share=None, investment="", length=np.nan, clearance=np.nan, clearance_worst=np.nan,
          relay=False, latency=np.nan, capacity=np.nan, end_kind="", end_id="") -> dict:
    place = np.atleast_1d(place)
    n = place.size

    def col(v):
        return np.broadcast_to(np.asarray(v, dtype=object if isinstance(v, str) or (
            isinstance(v, np.ndarray) and v.dtype == object) else None), (n,))

    capex = np.broadcast_to(np.asarray(capex, float), (n,))
    opex = np.broadcast_to(np.asarray(opex, float), (n,))
    npc = np.where(np.asarray(col(feasible), bool), capex + opex * annuity, np.nan)
    return {"place": place, "option": col(option), "feasible": col(feasible).astype(bool),
            "reason": col(reason), "capex_vnd": capex, "opex_vnd_per_year": opex,
            "npc_vnd": npc, "share_npc_vnd": npc if share is None else col(share),
            "investment": col(investment), "length_m": col(length),
            "clearance_pct": col(clearance), "clearance_worst_k_pct": col(clearance_worst),
            "relay": col(relay), "latency_ms": col(latency), "capacity_mbps": col(capacity),
            "end_kind": col(end_kind), "end_id": col(end_id)}


def _frame(parts: list[dict]) -> pd.DataFrame:
    frames = [pd.DataFrame({k: np.asarray(v) for k, v in p.items()}) for p in parts if
              np.size(p["place"])]
    if not frames:
        return pd.DataFrame(columns=list(OPTION_COLUMNS))
    out = pd.concat(frames, ignore_index=True)
    for c in ("capex_vnd", "opex_vnd_per_year", "npc_vnd", "share_npc_vnd", "length_m",
              "clearance_pct", "clearance_worst_k_pct", "latency_ms", "capacity_mbps"):
        out[c] = out[c].astype(float)
    out["relay"] = out["relay"].astype(bool)
    out["feasible"] = out["feasible"].astype(bool)
    return out.sort_values(["place", "option"], kind="stable").reset_index(drop=True)


def fibre_within_reach(result: Analysis) -> np.ndarray:
    """Whether fibre is within reach of each place of :func:`analysis.planning.places`
    (the gap analysis' own definition, :func:`analysis.status.fibre_gap`)."""
    return ~np.r_[status.fibre_gap(result.points.table).to_numpy(bool),
                  status.fibre_gap(result.villages.table).to_numpy(bool)]


def cost_options(result: Analysis, *, costs: CostSettings = SETTINGS.costs,
                 years: int | None = None, discount_rate: float | None = None,
                 bts_plan: Plan | None = None, k: int | None = None,
                 roads: gpd.GeoDataFrame | None = None) -> CostTable:
    """Cost every connection option of every support point and village of ``result``.

    ``bts_plan``: the optimiser's plan to cost as new BTS (default: :func:`analysis.planning.
    plan` with ``k`` = ``costs.bts_candidates`` sites); ``roads``: an optional road layer
    (lines, any CRS) that makes fibre cheaper along it; ``years`` and ``discount_rate``
    default to the cost settings'.
    """
    years = costs.years if years is None else int(years)
    rate = costs.discount_rate if discount_rate is None else float(discount_rate)
    annuity = annuity_factor(years, rate)
    frame = places(result)
    n = len(frame)
    covered = frame["covered_before"].to_numpy(bool)
    reach = fibre_within_reach(result)
    served = covered | reach
    todo = np.flatnonzero(~served)
    x, y = frame["x"].to_numpy(float), frame["y"].to_numpy(float)
    parts = [_rows(np.flatnonzero(served), ALREADY,
                   reason=np.where(covered[served], COVERED, FIBRE_WITHIN_REACH).astype(object),
                   annuity=annuity)]
    # New BTS from the optimiser: the places each newly covers, among those not served.
    bts = _bts(result, frame, served, costs, annuity, bts_plan, k, todo.size)
    in_bts = np.full(n, -1, np.int64)
    for b, members in enumerate(bts["places"]):
        in_bts[members] = b
    has = todo[in_bts[todo] >= 0]
    b = in_bts[has]
    parts.append(_rows(has, BTS, capex=bts["capex_vnd"].to_numpy()[b],
                       opex=bts["opex_vnd_per_year"].to_numpy()[b], annuity=annuity,
                       share=(bts["npc_vnd"].to_numpy() / bts["places"].map(len).to_numpy())[b],
                       investment=("bts:" + bts["id"].astype(str)).to_numpy(object)[b],
                       end_kind="new_bts", end_id=bts["id"].astype(str).to_numpy(object)[b]))
    parts.append(_rows(todo[in_bts[todo] < 0], BTS, feasible=False, reason=NOT_IN_PLAN))
    # Fibre along the least-cost path from the existing fibre.
    inputs = result.inputs
    lc = inputs.landcover
    tree = None
    fibre_paths = None
    surface = F.cost_surface(inputs.dem, costs, landcover=None if lc is None else lc.classes,
                             roads=roads)
    sources = F.source_cells(surface, inputs.fibre_routes, inputs.fibre_nodes)
    tree = F.fibre_tree(surface, sources)
    if tree is None:
        parts.append(_rows(todo, FIBRE, feasible=False, reason=NO_FIBRE_NODE))
    else:
        fibre_paths = F.paths(tree, x, y)
        length, capex = fibre_paths.length_m, fibre_paths.cost_vnd
        ok = fibre_paths.reachable[todo]
        opex = length * costs.usd(costs.fibre_opex_usd_per_km_year) / 1000.0
        parts.append(_rows(todo[ok], FIBRE, capex=capex[todo[ok]], opex=opex[todo[ok]],
                           annuity=annuity, length=length[todo[ok]],
                           investment=np.array([f"fibre:{p}" for p in todo[ok]], object),
                           end_kind="fibre"))
        parts.append(_rows(todo[~ok], FIBRE, feasible=False, reason=NO_PATH))
    # Microwave from a fibre node or an existing BTS.
    ends = M.ends_of(inputs, costs)
    found = M.links(inputs.dem, x[todo], y[todo], ends, costs)
    all_links = _scatter_links(found, todo, n)
    hop_capex = costs.usd(costs.microwave_point_usd + costs.microwave_tower_usd)
    hop_opex = costs.usd(costs.microwave_opex_usd_per_year)
    relay = found.relay
    end = np.maximum(found.end, 0)
    parts.append(_rows(
        todo, MICROWAVE, feasible=found.feasible, reason=found.reason.astype(object),
        capex=np.where(found.feasible, found.hops * hop_capex + relay * costs.relay_capex_vnd,
                       0.0),
        opex=np.where(found.feasible, found.hops * hop_opex + relay * costs.relay_opex_vnd_per_year,
                      0.0),
        annuity=annuity, length=found.length_m, clearance=found.clearance_pct,
        clearance_worst=found.clearance_worst_k_pct, relay=relay,
        investment=np.array([f"microwave:{p}" for p in todo], object),
        end_kind=np.where(found.end >= 0, ends.kind[end], "").astype(object),
        end_id=np.where(found.end >= 0, ends.id[end], "").astype(object)))
    # Satellite terminals: always feasible.
    parts.append(_rows(todo, GEO, capex=costs.usd(costs.geo_terminal_usd),
                       opex=costs.usd(costs.geo_opex_usd_per_year), annuity=annuity,
                       latency=costs.geo_latency_ms, capacity=costs.geo_capacity_mbps,
                       investment=np.array([f"satellite_geo:{p}" for p in todo], object)))
    parts.append(_rows(todo, LEO, feasible=costs.leo_available,
                       reason="" if costs.leo_available else LEO_UNAVAILABLE,
                       capex=costs.usd(costs.leo_terminal_usd),
                       opex=costs.usd(costs.leo_opex_usd_per_year), annuity=annuity,
                       latency=costs.leo_latency_ms, capacity=costs.leo_capacity_mbps,
                       investment=np.array([f"satellite_leo:{p}" for p in todo], object)))
    frame["fibre_within_reach"] = reach
    frame["served_before"] = served
    return CostTable(frame, _frame(parts), bts, tree, fibre_paths, ends, all_links,
                     inputs.dem, costs, years, rate)


def _scatter_links(found: M.Links, todo: np.ndarray, n: int) -> M.Links:
    """``found`` (for the places ``todo``) spread onto all ``n`` places."""
    def spread(values, fill):
        out = np.full(n, fill, dtype=values.dtype)
        out[todo] = values
        return out

    return M.Links(spread(found.feasible, False), spread(found.reason, ""),
                   spread(found.end, -1), spread(found.relay_x, np.nan),
                   spread(found.relay_y, np.nan), spread(found.hops, 0),
                   spread(found.length_m, np.nan), spread(found.clearance_pct, np.nan),
                   spread(found.clearance_worst_k_pct, np.nan))


def _bts(result: Analysis, frame: pd.DataFrame, served: np.ndarray, costs: CostSettings,
         annuity: float, bts_plan: Plan | None, k: int | None, todo: int) -> pd.DataFrame:
    """The optimiser's new sites with the unserved places (indices into ``frame``) each
    newly covers; sites that newly serve none are left out."""
    columns = ["id", "x", "y", "lon", "lat", "capex_vnd", "opex_vnd_per_year", "npc_vnd",
               "places"]
    if todo == 0:
        return pd.DataFrame(columns=columns)
    chosen = bts_plan if bts_plan is not None else plan_sites(result, k or costs.bts_candidates)
    targets = np.flatnonzero(~frame["covered_before"].to_numpy(bool))  # the plan's targets
    rows = []
    sites = chosen.sites
    for rank, (i, newly) in enumerate(zip(chosen.result.chosen, chosen.result.covered,
                                          strict=True)):
        members = targets[np.asarray(newly, np.int64)]
        members = members[~served[members]]
        if members.size == 0:
            continue
        site = sites.iloc[i]
        sx, sy = transform([float(site["lon"])], [float(site["lat"])], SETTINGS.crs.display,
                           SETTINGS.crs.metric)
        rows.append({"id": str(site.get("site_id", f"NEW-{rank + 1:05d}")),
                     "x": float(sx[0]), "y": float(sy[0]), "lon": float(site["lon"]),
                     "lat": float(site["lat"]), "capex_vnd": costs.bts_capex_vnd,
                     "opex_vnd_per_year": costs.bts_opex_vnd_per_year,
                     "npc_vnd": costs.bts_capex_vnd + costs.bts_opex_vnd_per_year * annuity,
                     "places": members})
    return pd.DataFrame(rows, columns=columns)


def option_lines(table: CostTable, which: pd.Series) -> gpd.GeoSeries:
    """The geometry (EPSG:9208) of each place's option named in ``which`` (index aligned
    with ``table.places``): the fibre route, the microwave hop(s), a line to the new BTS,
    else the place's point."""
    p = table.places
    x, y = p["x"].to_numpy(float), p["y"].to_numpy(float)
    geoms = list(shapely.points(x, y))
    bts_of = {}
    for b, row in table.bts.iterrows():
        for m in row["places"]:
            bts_of[int(m)] = b
    for i, option in enumerate(which.to_numpy()):
        if option == FIBRE and table.fibre is not None:
            line = F.path_line(table.fibre, table.fibre_paths.of(i), x[i], y[i])
            geoms[i] = line if line is not None else geoms[i]
        elif option == MICROWAVE and table.links.end[i] >= 0:
            e = table.links.end[i]
            pts = [(x[i], y[i])]
            if table.links.relay[i]:
                pts.append((table.links.relay_x[i], table.links.relay_y[i]))
            pts.append((table.ends.x[e], table.ends.y[e]))
            geoms[i] = shapely.LineString(pts)
        elif option == BTS and i in bts_of:
            row = table.bts.loc[bts_of[i]]
            geoms[i] = shapely.LineString([(x[i], y[i]), (row["x"], row["y"])])
    return gpd.GeoSeries(geoms, index=p.index, crs=SETTINGS.crs.metric)
