"""A synthetic world for the costing tests (tests/analysis/test_costs*.py), with known answers.

161 × 161 cells of 90 m (EPSG:9208), flat at 0 m but for two ridges peaking at 300 m
(falling 50 m per cell on each side): one north–south along column 61 (every row) and one
west–east along row 99 east of it. West of the first ridge: the fibre node N (row 10,
col 10, with a short route), the support point ``P-fibre`` 6 cells (540 m) east of the
route's end, and the one existing BTS (a weak 20 dBm site in the south-west corner, so that
it covers no place). North-east: ``P-ridge`` (row 30, col 100), behind the ridge from every
fibre node and BTS, and ``P-far`` (row 40, col 150; its name starts with ``=`` to test the
CSV's formula guard). South-east: 30 villages of 300 people around (row 120, col 115),
which one new site can serve together.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, Point, box

from analysis.coverage import compute_coverage
from analysis.inputs import Inputs
from analysis.pipeline import analyse
from analysis.selection import Selection
from geo.settings import SETTINGS
from tests.worlds import Grid

GRID = Grid(size=161)
METRIC, WGS84 = SETTINGS.crs.metric, SETTINGS.crs.display
WALL_M = 300.0
POINTS = {"P-fibre": (10, 18), "P-ridge": (30, 100), "P-far": (40, 150)}
NODE = (10, 10)


def elevation() -> np.ndarray:
    rows, cols = np.mgrid[0:GRID.size, 0:GRID.size]
    ridge = np.maximum(0.0, WALL_M - 50.0 * np.abs(cols - 61))  # peaked: 300 m at col 61
    wall = np.where(cols >= 63, np.maximum(0.0, WALL_M - 50.0 * np.abs(rows - 99)), 0.0)
    return np.maximum(ridge, wall)


def cluster_cells() -> list[tuple[int, int]]:
    rng = np.random.default_rng(17)
    return [(int(120 + dr), int(115 + dc)) for dr, dc in rng.integers(-6, 7, (30, 2))]


def build():
    """The world's analysis (4G, all operators, fibre reach 100 m)."""
    dem = GRID.dem(elevation())
    square = gpd.GeoSeries([box(*GRID.bounds)], crs=METRIC).to_crs(WGS84)
    communes = gpd.GeoDataFrame({"code": ["00001"], "full_name": ["Xã Thử"],
                                 "population": [9000],
                                 "area_km2": [square.to_crs(METRIC).area.iloc[0] / 1e6],
                                 "old_province": ["laocai"]}, geometry=square.values, crs=WGS84)
    cells = cluster_cells()
    villages = gpd.GeoDataFrame({
        "village_id": [f"V{i}" for i in range(len(cells))],
        "name": [f"Thôn {i}" for i in range(len(cells))],
        "commune_code_2025": "00001", "commune_2025": "Xã Thử", "population": 300,
        "source": "illustrative"},
        geometry=[Point(GRID.xy(r, c)) for r, c in cells], crs=METRIC).to_crs(WGS84)
    points = gpd.GeoDataFrame({
        "point_id": list(POINTS), "name": [f"=cmd|{n}" if n == "P-far" else n for n in POINTS],
        "point_type": "village", "commune_code_2025": "00001",
        "commune_code_2020": "02677", "source": "illustrative"},
        geometry=[Point(GRID.xy(r, c)) for r, c in POINTS.values()], crs=METRIC).to_crs(WGS84)
    row = GRID.site_row("S0", 150, 5)
    row.update(eirp_dbm=20.0, height_m=30.0)
    sites = pd.DataFrame([row])
    sites = gpd.GeoDataFrame(sites, geometry=gpd.points_from_xy(sites.lon, sites.lat), crs=WGS84)
    routes = gpd.GeoDataFrame({"route_id": ["R"]}, geometry=[LineString(
        [GRID.xy(*NODE), GRID.xy(NODE[0], NODE[1] + 2)])], crs=METRIC).to_crs(WGS84)
    nodes = gpd.GeoDataFrame({"node_id": ["N"]}, geometry=[Point(GRID.xy(*NODE))],
                             crs=METRIC).to_crs(WGS84)
    inputs = Inputs(points, sites, villages, routes, nodes, communes, communes[["geometry"]],
                    dem, {"sites": "imported"})
    coverage = compute_coverage(pd.DataFrame(sites.drop(columns="geometry")), dem)
    return analyse(inputs, Selection(fibre_reach_m=100.0), coverage=coverage)
