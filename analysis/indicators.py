"""Headline figures, each with its denominator, beside the published ones.

Every figure is computed from the data in force (never copied from a publication); the
published figures of ``data/published/facts.csv`` are shown next to them, marked as
published, with their source. Labels here are English; the app translates them by ``key``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis import status
from analysis.gaps import Assessment
from geo.settings import SETTINGS

_CONNECTED = ("3G", "4G", "5G")


@dataclass(frozen=True)
class Indicator:
    """One headline figure: ``value`` is a percentage (``unit == "%"``) or a count."""

    key: str
    label: str
    value: float
    unit: str
    numerator: int
    denominator: int | None
    denominator_label: str
    published: str | None = None  # value as published, with unit
    published_source: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def load_published() -> pd.DataFrame:
    """Published figures (``data/published/facts.csv``), indexed by key."""
    return pd.read_csv(SETTINGS.paths.published / "facts.csv", dtype=str).set_index("key")


def site_clusters(sites: gpd.GeoDataFrame,
                  distance_m: float = SETTINGS.gaps.shared_site_distance_m) -> np.ndarray:
    """Cluster number per record: records within ``distance_m`` (EPSG:9208) form one site."""
    geoms = sites.to_crs(SETTINGS.crs.metric).geometry.values
    n = len(geoms)
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=distance_m)
    for a, b in zip(left, right, strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([root(i) for i in range(n)])


def _pct(num: int, den: int) -> float:
    return round(100.0 * num / den, 1) if den else float("nan")


#: The published figures an indicator may be shown beside, by indicator: each is shown only
#: when the analysis covers the figure's area (``area_key`` of ``facts.csv``, a key of
#: ``SETTINGS.study_area.areas``).
PUBLISHED_FOR: dict[str, tuple[str, ...]] = {
    "village_centres_3g4g": ("village_centres_3g4g_pct", "village_centres_3g4g_pct_later",
                             "villages_3g4g_pct_2025"),
    "villages_fibre": ("villages_fibre_pct", "villages_fibre_pct_later"),
    "bts_records": ("bts", "bts_2025"),
    "shared_sites": ("infrastructure_sharing_pct",),
}


def headline(sites: gpd.GeoDataFrame, points: Assessment, villages: Assessment,
             commune_stats: pd.DataFrame, clusters: np.ndarray | None = None,
             area: str = SETTINGS.study_area.default) -> list[Indicator]:
    """The headline figures for the current data and selection over the study ``area``
    (``clusters``: the result of :func:`site_clusters` for ``sites``, computed when not
    given), each beside the published figure of the same area, if there is one: the first
    of :data:`PUBLISHED_FOR` as the figure, later ones of the same area added to its source."""
    published = load_published()
    tech = points.selection.technology

    def pub(indicator: str) -> dict[str, str | None]:
        keys = [k for k in PUBLISHED_FOR[indicator]
                if k in published.index and published.loc[k, "area_key"] == area]
        if not keys:
            return {}
        rows = [published.loc[k] for k in keys]
        units = ["" if r["unit"] in ("BTS", "points") else r["unit"] for r in rows]
        first = rows[0]
        later = "".join(f"; {r['value']}{u} ({r['source']}, {r['year']})"
                        for r, u in zip(rows[1:], units[1:], strict=True))
        return {"published": f"{first['value']}{units[0]}",
                "published_source": f"{first['source']} ({first['area']}, {first['year']})"
                                    f"{later}"}

    vt, pt = villages.table, points.table
    n_v, n_p = len(vt), len(pt)
    v_conn = int(vt["best_technology"].isin(_CONNECTED).sum())
    v_fibre = int(vt["fibre"].sum())
    clusters = site_clusters(sites) if clusters is None else clusters
    ops = pd.Series(sites["operator"].to_numpy()).groupby(clusters).nunique()
    n_sites, n_shared = len(ops), int((ops >= 2).sum())
    p_gap = status.gaps(pt)
    p_tech = int((~status.mobile_gap(pt)).sum())
    p_fibre = int((~status.fibre_gap(pt)).sum())
    p_neither = int((p_gap == status.MOBILE_AND_FIBRE).sum())
    cells = commune_stats["area_km2"].to_numpy(float)
    area_share = float(np.nansum(commune_stats["area_share"] * cells) / cells.sum())
    pop = commune_stats["population"].to_numpy(float)
    pop_share = float(np.nansum(commune_stats["population_share"] * pop) / pop.sum())
    return [
        Indicator("village_centres_3g4g", "Village centres with 3G/4G",
                  _pct(v_conn, n_v), "%", v_conn, n_v, "of village centres",
                  **pub("village_centres_3g4g")),
        Indicator("villages_fibre", "Villages with fibre within reach", _pct(v_fibre, n_v),
                  "%", v_fibre, n_v, "of villages", **pub("villages_fibre")),
        Indicator("bts_records", "BTS records", len(sites), "count", len(sites), None,
                  "records (operator × technology)", **pub("bts_records")),
        Indicator("bts_sites", "BTS sites", n_sites, "count", n_sites, None,
                  f"locations (records within {SETTINGS.gaps.shared_site_distance_m:g} m "
                  "merged)"),
        Indicator("shared_sites", "Shared sites", _pct(n_shared, n_sites), "%", n_shared,
                  n_sites, "of sites", **pub("shared_sites")),
        Indicator("points_tech", f"Support points with {tech}", _pct(p_tech, n_p), "%", p_tech,
                  n_p, "of support points"),
        Indicator("points_fibre", "Support points with fibre within reach",
                  _pct(p_fibre, n_p), "%", p_fibre, n_p, "of support points"),
        Indicator("points_neither", f"Support points with neither {tech} nor fibre",
                  _pct(p_neither, n_p), "%", p_neither, n_p, "of support points"),
        Indicator("area_tech", f"Area with {tech}", round(100 * area_share, 1), "%",
                  round(area_share * cells.sum()), round(cells.sum()),
                  "of area (km²)"),
        Indicator("population_tech", f"Population with {tech}", round(100 * pop_share, 1),
                  "%", round(pop_share * pop.sum()), int(pop.sum()), "of population"),
    ]
