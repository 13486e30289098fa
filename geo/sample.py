"""Generate the bundled illustrative dataset: ``python -m geo.sample [--out DIR]``.

The real lists (support-point annex, BTS, villages, fibre) are not public, so the app ships
stand-ins generated here: deterministic (seed ``SETTINGS.sample.seed``), written to
``data/sample/`` and committed; a test regenerates them and compares. Every record carries
``source = "illustrative"``. All randomness goes through one ``numpy.random.Generator`` per
part; all geometry is built in EPSG:9208 metres and written in WGS84. Nothing here is tuned
to a published coverage or fibre percentage: those are what the analysis computes.

Parts
-----
The stand-ins cover today's province in two parts, by the ``old_province`` of its 99 units of
2025. Old Lào Cai (48 units) is built first, from ``numpy.random.default_rng(seed)``, exactly
as when the sample covered it alone (same stream, order and ids); old Yên Bái (51 units) is
built after it from its own ``default_rng([seed, 2])``, and its rows are appended after old
Lào Cai's in every file. So old Lào Cai's rows never depend on old Yên Bái's.

Rules
-----
Villages (both parts)
    Each unit gets
    ``max(min_villages_per_commune, round(population / people_per_village))`` villages.
    Half are drawn around the unit's administrative centre (normal, σ = 3 km), half uniformly
    inside the polygon (rejection sampling); the unit's population is split among them with
    Dirichlet(2) weights. Names are "Thôn minh họa N (unit)".
Support points (117, old Lào Cai only)
    The 117 points of Decision 2541 are old Lào Cai's programme; old Yên Bái has none.
    Per-district totals are the published split (``data/published/
    support_points_by_district.csv``). TP Lào Cai's 3 are its named communes. The other 66 of
    the 69 commune-type points are shared among the remaining districts in proportion to their
    totals (largest remainder), each then taking that many distinct 2020 communes (unit type
    Xã) drawn at random; the rest of each district's total are village-type points, each in
    another Xã of the district (drawn at random), at an illustrative village of the 2025 unit
    that succeeded it. Commune points lie at a random spot inside the successor 2025 unit.
BTS records (4,017 = 2,962 in old Lào Cai + 1,055 in old Yên Bái)
    ``bts_records_by_area``: old Lào Cai keeps the published 2023 count (2,962); old Yên Bái
    gets the rest of the 4,017 published for the merged province (30 July 2025). Each part
    is built separately over its own units and villages, its towers inside the part; tower
    and site numbers continue after old Lào Cai's, and towers are shared only within a part.
    In a part, the records are split among operators by ``operator_weights`` (largest
    remainder). Each operator builds
    towers until its records are used: first one at every unit centre, then near villages
    drawn by population (0–1.5 km away, inside the part); centre towers stand 100–400 m
    from the centre point. With ``share_probability`` a new tower is instead another
    operator's tower reused (same ``tower_id``, position within 30 m). Every tower
    carries 4G (1,800 MHz); 2G (900 MHz) with probability 0.6 and 3G (2,100 MHz) with 0.5;
    towers at unit centres of the three large operators carry 5G on the operator's band
    (Viettel 2,600, VinaPhone 3,700, MobiFone 3,800 MHz) with probability 0.5. Antennas are
    omni; height is drawn from the town range within 3 km of a ward (phường) centre of the
    part, else from the rural range; EIRP uniformly from ``eirp_dbm``.
Fibre
    Old Lào Cai: a VNPT backbone joins its unit centres in a minimum spanning tree rooted at
    Phường Lào Cai (a point of presence, node kind "pop"), each edge drawn with two gently
    offset bends. Old Yên Bái: its own VNPT tree over its unit centres rooted at Phường Yên
    Bái (a second "pop"), then one backbone link between the closest pair of unit centres of
    the two parts, so the backbone is one tree over all 99 centres (98 links). In each part,
    each village gets an access route from its unit's centre with probability
    ``village_fibre_probability`` (operator VNPT or Viettel at random) and a village node.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

from geo.admin import load_crosswalk, load_units
from geo.layers import SAMPLE_FILES, load_communes_2025
from geo.settings import SETTINGS, SampleSettings

_ILLUSTRATIVE = "illustrative"
_CENTRE_SIGMA_M = 3_000.0
_TOWER_OFFSET_M = 1_500.0
_SHARE_OFFSET_M = 30.0
_CENTRE_OFFSET_M = (100.0, 400.0)
_TOWN_RADIUS_M = 3_000.0
_BEND_SHARE = 0.1
_TECH_PROBABILITY = {"2G": 0.6, "3G": 0.5}
_FIVE_G_PROBABILITY = 0.5
_FIVE_G_BAND = {"Viettel": 2600, "VinaPhone": 3700, "MobiFone": 3800}
_OPERATOR_CODE = {"Viettel": "VTL", "VinaPhone": "VNP", "MobiFone": "MBF", "Vietnamobile": "VNM"}
_FIBRE_OPERATORS = ("VNPT", "Viettel")
_ROOT_UNIT = "Phường Lào Cai"
_ROOT_UNIT_YENBAI = "Phường Yên Bái"
_YENBAI_STREAM = 2  # old Yên Bái's generator: default_rng([seed, 2])


@dataclass
class SampleData:
    """The five illustrative layers, WGS84 GeoDataFrames in the canonical schemas."""

    points: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    villages: gpd.GeoDataFrame
    fibre_routes: gpd.GeoDataFrame
    fibre_nodes: gpd.GeoDataFrame


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that sum to ``total``."""
    share = total * np.asarray(weights, float) / np.sum(weights)
    counts = np.floor(share).astype(int)
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def _random_in(polygon: shapely.Geometry, n: int, rng: np.random.Generator,
               centre: tuple[float, float] | None = None) -> np.ndarray:
    """``n`` points (x, y metres) inside ``polygon``: around ``centre`` or uniform."""
    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    found: list[np.ndarray] = []
    have = 0
    while have < n:
        if centre is None:
            xy = rng.uniform((minx, miny), (maxx, maxy), size=(4 * n, 2))
        else:
            xy = rng.normal(centre, _CENTRE_SIGMA_M, size=(4 * n, 2))
        inside = xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])]
        found.append(inside)
        have += len(inside)
    return np.concatenate(found)[:n]


def _metric_units(old_province: str) -> gpd.GeoDataFrame:
    """The 2025 units formed from ``old_province``, in metres, with centre columns cx, cy
    (each listed centre lies inside its unit: ``scripts/build_reference_data.py`` replaces
    one that does not)."""
    units = load_communes_2025()
    units = units[units["old_province"] == old_province].reset_index(drop=True)
    metric = units.to_crs(SETTINGS.crs.metric)
    cx, cy = shapely.get_coordinates(
        gpd.GeoSeries.from_xy(units["centre_lon"], units["centre_lat"], crs=SETTINGS.crs.display)
        .to_crs(SETTINGS.crs.metric).values
    ).T
    metric["cx"], metric["cy"] = cx, cy
    return metric


def make_villages(units: gpd.GeoDataFrame, cfg: SampleSettings,
                  rng: np.random.Generator) -> gpd.GeoDataFrame:
    rows = []
    for unit in units.itertuples(index=False):
        n = max(cfg.min_villages_per_commune, round(unit.population / cfg.people_per_village))
        near = n // 2
        xy = np.vstack([
            _random_in(unit.geometry, near, rng, centre=(unit.cx, unit.cy)),
            _random_in(unit.geometry, n - near, rng),
        ])
        population = _largest_remainder(int(unit.population), rng.dirichlet(np.full(n, 2.0)))
        for i in range(n):
            rows.append({
                "village_id": f"V{unit.code}-{i + 1:02d}",
                "name": f"Thôn minh họa {i + 1} ({unit.name})",
                "commune_code_2025": unit.code,
                "commune_2025": unit.full_name,
                "population": int(population[i]),
                "source": _ILLUSTRATIVE,
                "geometry": Point(xy[i]),
            })
    return gpd.GeoDataFrame(rows, crs=SETTINGS.crs.metric)


def _quota_table(cfg: SampleSettings) -> pd.DataFrame:
    quotas = pd.read_csv(SETTINGS.paths.published / "support_points_by_district.csv",
                         dtype={"district_code": str}, keep_default_na=False)
    named = quotas["named_communes"] != ""
    quotas["communes"] = 0
    quotas.loc[named, "communes"] = quotas.loc[named, "named_communes"].str.count(";") + 1
    rest = cfg.commune_points - int(quotas["communes"].sum())
    quotas.loc[~named, "communes"] = _largest_remainder(rest, quotas.loc[~named, "points"])
    quotas["villages"] = quotas["points"] - quotas["communes"]
    return quotas


def make_points(units: gpd.GeoDataFrame, villages: gpd.GeoDataFrame, cfg: SampleSettings,
                rng: np.random.Generator) -> gpd.GeoDataFrame:
    units_2020 = load_units(2020)
    successor = load_crosswalk().set_index("code_2020")["code_2025"]
    by_code = units.set_index("code")
    rows = []
    for q in _quota_table(cfg).itertuples(index=False):
        pool = units_2020[(units_2020["district_code"] == q.district_code)
                          & (units_2020["unit_type"] == "Xã")].reset_index(drop=True)
        if q.named_communes:
            picked = pool[pool["name"].isin(q.named_communes.split(";"))]
        else:
            picked = pool.iloc[rng.choice(len(pool), q.communes, replace=False)]
        others = pool[~pool["code"].isin(picked["code"])]
        others = others if len(others) else pool
        hosts = others.iloc[rng.choice(len(others), q.villages, replace=True)]
        for kind, chosen in (("commune", picked), ("village", hosts)):
            for unit in chosen.itertuples(index=False):
                code_2025 = successor[unit.code]
                new = by_code.loc[code_2025]
                village = None
                if kind == "commune":
                    where = Point(_random_in(new.geometry, 1, rng)[0])
                    name = f"Điểm hỗ trợ {unit.full_name}"
                else:
                    local = villages[villages["commune_code_2025"] == code_2025]
                    pick = local.iloc[int(rng.integers(len(local)))]
                    village, where = pick["name"], pick.geometry
                    name = f"Điểm hỗ trợ {village}"
                rows.append({
                    "name": name, "point_type": kind, "district_code": q.district_code,
                    "district": q.district, "commune_code_2020": unit.code,
                    "commune_2020": unit.full_name, "village": village,
                    "commune_code_2025": code_2025, "commune_2025": new.full_name,
                    "location": _ILLUSTRATIVE, "source": _ILLUSTRATIVE, "geometry": where,
                })
    points = gpd.GeoDataFrame(rows, crs=SETTINGS.crs.metric)
    points.insert(0, "point_id", [f"P{i + 1:03d}" for i in range(len(points))])
    return points


def make_sites(units: gpd.GeoDataFrame, villages: gpd.GeoDataFrame, area: shapely.Geometry,
               cfg: SampleSettings, rng: np.random.Generator, total: int, *,
               tower_offset: int = 0, record_offset: int = 0) -> gpd.GeoDataFrame:
    """``total`` BTS records on towers over ``units`` and ``villages``, inside ``area``.

    Tower and site numbers start after ``tower_offset`` and ``record_offset`` (the numbers
    an earlier part used), so ids stay unique when parts are appended.
    """
    operators = list(cfg.operator_weights)
    budget = dict(zip(operators, _largest_remainder(
        total, np.array([cfg.operator_weights[o] for o in operators])
    ), strict=True))
    centres = units[["cx", "cy"]].to_numpy()
    ward_centres = units.loc[units["unit_type"] == "Phường", ["cx", "cy"]].to_numpy()
    village_xy = shapely.get_coordinates(villages.geometry.values)
    weights = villages["population"].to_numpy(float) + 1.0
    weights /= weights.sum()
    shapely.prepare(area)
    towers: list[tuple[str, float, float, bool, str]] = []  # operator, x, y, at_centre, id
    records = []
    for op in operators:
        left = int(budget[op])
        made = 0
        while left > 0:
            tower_id = f"T{tower_offset + len(towers) + 1:05d}"
            if made < len(centres):
                angle = rng.uniform(0, 2 * np.pi)
                dist = rng.uniform(*_CENTRE_OFFSET_M)
                x, y = centres[made] + dist * np.array([np.cos(angle), np.sin(angle)])
                at_centre = True
            elif towers and rng.random() < cfg.share_probability and any(
                t[0] != op for t in towers
            ):
                host = [t for t in towers if t[0] != op]
                _, hx, hy, at_centre, tower_id = host[int(rng.integers(len(host)))]
                angle = rng.uniform(0, 2 * np.pi)
                dist = rng.uniform(0, _SHARE_OFFSET_M)
                x, y = hx + dist * np.cos(angle), hy + dist * np.sin(angle)
            else:
                while True:
                    vx, vy = village_xy[rng.choice(len(village_xy), p=weights)]
                    angle = rng.uniform(0, 2 * np.pi)
                    dist = rng.uniform(0, _TOWER_OFFSET_M)
                    x, y = vx + dist * np.cos(angle), vy + dist * np.sin(angle)
                    if shapely.contains_xy(area, x, y):
                        break
                at_centre = False
            made += 1
            techs = ["4G"]
            techs += [t for t in ("2G", "3G") if rng.random() < _TECH_PROBABILITY[t]]
            if at_centre and op in _FIVE_G_BAND and rng.random() < _FIVE_G_PROBABILITY:
                techs.append("5G")
            techs = sorted(techs)[:left]
            town = len(ward_centres) and np.min(
                np.hypot(ward_centres[:, 0] - x, ward_centres[:, 1] - y)
            ) <= _TOWN_RADIUS_M
            height = rng.uniform(*(cfg.town_tower_height_m if town else cfg.rural_tower_height_m))
            towers.append((op, x, y, at_centre, tower_id))
            for tech in techs:
                band = _FIVE_G_BAND[op] if tech == "5G" else SETTINGS.radio.default_band_mhz[tech]
                records.append({
                    "site_id": f"{_OPERATOR_CODE[op]}-{tech}-"
                               f"{record_offset + len(records) + 1:05d}",
                    "tower_id": tower_id, "operator": op, "technology": tech,
                    "band_mhz": float(band), "height_m": round(float(height), 1),
                    "eirp_dbm": round(float(rng.uniform(*cfg.eirp_dbm)), 1),
                    "azimuth_deg": None, "beamwidth_deg": None, "assumed": None,
                    "source": _ILLUSTRATIVE, "geometry": Point(x, y),
                })
            left -= len(techs)
    sites = gpd.GeoDataFrame(records, crs=SETTINGS.crs.metric)
    lonlat = sites.to_crs(SETTINGS.crs.display).geometry
    sites.insert(5, "lon", lonlat.x.round(6).values)
    sites.insert(6, "lat", lonlat.y.round(6).values)
    return sites


def _spanning_tree(xy: np.ndarray, root: int) -> list[tuple[int, int]]:
    """Prim's minimum spanning tree on straight-line distances: (parent, child) edges."""
    n = len(xy)
    dist = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    in_tree = np.zeros(n, bool)
    in_tree[root] = True
    best = dist[root].copy()
    parent = np.full(n, root)
    edges = []
    for _ in range(n - 1):
        child = int(np.argmin(np.where(in_tree, np.inf, best)))
        edges.append((int(parent[child]), child))
        in_tree[child] = True
        closer = dist[child] < best
        parent[closer] = child
        best = np.minimum(best, dist[child])
    return edges


def _bent_line(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> LineString:
    d = b - a
    normal = np.array([-d[1], d[0]])
    bends = [a + d * t + normal * rng.uniform(-_BEND_SHARE, _BEND_SHARE) for t in (1 / 3, 2 / 3)]
    return LineString([a, *bends, b])


def _closest_pair(a: np.ndarray, b: np.ndarray) -> tuple[int, int]:
    """Indices (i, j) of the closest pair of points ``a[i]``, ``b[j]`` (first on ties)."""
    dist = np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])
    i, j = np.unravel_index(int(np.argmin(dist)), dist.shape)
    return int(i), int(j)


def make_fibre(units: gpd.GeoDataFrame, villages: gpd.GeoDataFrame, cfg: SampleSettings,
               rng: np.random.Generator, root_name: str,
               join: gpd.GeoDataFrame | None = None,
               ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """VNPT backbone over ``units`` rooted at ``root_name`` (a "pop" node), then, when
    ``join`` (the units of a backbone built earlier) is given, one backbone link from the
    closest of its unit centres to the closest of ours, then the villages' access routes."""
    centres = units[["cx", "cy"]].to_numpy()
    root = int(np.flatnonzero(units["full_name"] == root_name)[0])
    routes, nodes = [], []
    for i, unit in enumerate(units.itertuples(index=False)):
        nodes.append({"node_id": f"N{unit.code}", "operator": "VNPT",
                      "kind": "pop" if i == root else "commune", "source": _ILLUSTRATIVE,
                      "geometry": Point(centres[i])})
    for parent, child in _spanning_tree(centres, root):
        routes.append({"route_id": f"B{units.code[parent]}-{units.code[child]}",
                       "operator": "VNPT", "kind": "backbone", "source": _ILLUSTRATIVE,
                       "geometry": _bent_line(centres[parent], centres[child], rng)})
    if join is not None:
        theirs = join[["cx", "cy"]].to_numpy()
        i, j = _closest_pair(theirs, centres)
        routes.append({"route_id": f"B{join.code[i]}-{units.code[j]}",
                       "operator": "VNPT", "kind": "backbone", "source": _ILLUSTRATIVE,
                       "geometry": _bent_line(theirs[i], centres[j], rng)})
    centre_of = dict(zip(units["code"], map(tuple, centres), strict=True))
    for v in villages.itertuples(index=False):
        if rng.random() >= cfg.village_fibre_probability:
            continue
        operator = _FIBRE_OPERATORS[int(rng.integers(len(_FIBRE_OPERATORS)))]
        start = np.array(centre_of[v.commune_code_2025])
        end = np.array(v.geometry.coords[0])
        routes.append({"route_id": f"A{v.village_id}", "operator": operator, "kind": "access",
                       "source": _ILLUSTRATIVE, "geometry": _bent_line(start, end, rng)})
        nodes.append({"node_id": f"N{v.village_id}", "operator": operator, "kind": "village",
                      "source": _ILLUSTRATIVE, "geometry": v.geometry})
    return (gpd.GeoDataFrame(routes, crs=SETTINGS.crs.metric),
            gpd.GeoDataFrame(nodes, crs=SETTINGS.crs.metric))


def _tower_number(sites: gpd.GeoDataFrame) -> int:
    """The highest tower number used by ``sites`` (ids ``T00001``…)."""
    return int(sites["tower_id"].str[1:].astype(int).max()) if len(sites) else 0


def generate(cfg: SampleSettings | None = None) -> SampleData:
    """Build the illustrative dataset (deterministic for a given ``cfg.seed``).

    Old Lào Cai is built first with ``default_rng(seed)``, then old Yên Bái with its own
    ``default_rng([seed, 2])``; Yên Bái's rows are appended after Lào Cai's.
    """
    cfg = cfg or SETTINGS.sample
    # Old Lào Cai: one stream, in this order (its rows do not depend on old Yên Bái's).
    rng = np.random.default_rng(cfg.seed)
    units = _metric_units("laocai")
    area = shapely.union_all(units.geometry.values)
    villages = make_villages(units, cfg, rng)
    points = make_points(units, villages, cfg, rng)
    sites = make_sites(units, villages, area, cfg, rng, cfg.bts_records_by_area["laocai"])
    routes, nodes = make_fibre(units, villages, cfg, rng, _ROOT_UNIT)
    # Old Yên Bái: its own stream; no support points (Decision 2541 is old Lào Cai's).
    rng_yb = np.random.default_rng([cfg.seed, _YENBAI_STREAM])
    units_yb = _metric_units("yenbai")
    area_yb = shapely.union_all(units_yb.geometry.values)
    villages_yb = make_villages(units_yb, cfg, rng_yb)
    sites_yb = make_sites(units_yb, villages_yb, area_yb, cfg, rng_yb,
                          cfg.bts_records_by_area["yenbai"],
                          tower_offset=_tower_number(sites), record_offset=len(sites))
    routes_yb, nodes_yb = make_fibre(units_yb, villages_yb, cfg, rng_yb, _ROOT_UNIT_YENBAI,
                                     join=units)
    villages = pd.concat([villages, villages_yb], ignore_index=True)
    sites = pd.concat([sites, sites_yb], ignore_index=True)
    routes = pd.concat([routes, routes_yb], ignore_index=True)
    nodes = pd.concat([nodes, nodes_yb], ignore_index=True)
    display = SETTINGS.crs.display
    return SampleData(points.to_crs(display), sites.to_crs(display), villages.to_crs(display),
                      routes.to_crs(display), nodes.to_crs(display))


def write(data: SampleData, out: Path) -> list[Path]:
    """Write the layers to ``out`` (GeoJSON with 6 decimals; sites as CSV) and list them."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, filename in SAMPLE_FILES.items():
        gdf: gpd.GeoDataFrame = getattr(data, name)
        path = out / filename
        path.unlink(missing_ok=True)
        if path.suffix == ".csv":
            gdf.drop(columns="geometry").to_csv(path, index=False, lineterminator="\n")
        else:
            gdf = gdf.set_geometry(shapely.set_precision(gdf.geometry.values, 1e-6))
            gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=6, RFC7946="YES",
                        WRITE_NAME="NO")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the illustrative dataset.")
    parser.add_argument("--out", type=Path, default=SETTINGS.paths.sample)
    args = parser.parse_args(argv)
    for path in write(generate(), args.out):
        print(path)


if __name__ == "__main__":
    main()
