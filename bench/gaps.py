"""Gap-analysis benchmark (issue: coverage gaps, budgets).

    python bench/gaps.py [--resolutions 90 30]

On the synthetic fractal terrain of bench/terrain.py and the bundled illustrative layers,
computes the coverage grids of every operator × technology first (timed separately, not part
of the budgets), then times, with the grids already computed:

- every per-point, per-village and per-commune result (2025 and 2020 units);
- the gap areas of the province (polygons split by commune);
- the 2G/3G switch-off scenario for support points and villages.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # as in bench/coverage.py: the repository root, not bench/

from analysis import gaps as G  # noqa: E402
from analysis.coverage import compute_coverage, prepare_sites  # noqa: E402
from analysis.inputs import load_inputs, sites_table  # noqa: E402
from analysis.selection import Selection  # noqa: E402
from bench.terrain import fractal_dem  # noqa: E402
from geo.admin import load_crosswalk  # noqa: E402


def run(res: float) -> dict[str, float]:
    inputs = load_inputs()
    inputs.dem = fractal_dem(res)
    sites = sites_table(inputs.sites)
    start = time.perf_counter()
    coverage = compute_coverage(sites, inputs.dem, by_operator=True)
    coverage_s = time.perf_counter() - start

    start = time.perf_counter()
    selection = Selection()
    prepared = prepare_sites(sites, inputs.dem)
    args = (coverage, sites, inputs.dem, inputs.fibre_routes, inputs.fibre_nodes, selection)
    points = G.assess_places(inputs.points, *args, prepared=prepared)
    villages = G.assess_places(inputs.villages, *args, prepared=prepared)
    labels = G.commune_labels(coverage, inputs.communes)
    communes = G.commune_stats(coverage, inputs.communes, inputs.villages, points, villages,
                               inputs.points, inputs.villages, selection, labels)
    G.commune_stats_2020(communes, load_crosswalk(), inputs.points, points)
    tables_s = time.perf_counter() - start

    start = time.perf_counter()
    areas = G.gap_areas(coverage, inputs.communes, selection, labels)
    areas_s = time.perf_counter() - start

    start = time.perf_counter()
    lost_points = G.lose_all_service(coverage, inputs.points, technologies_off=("2G", "3G"))
    lost_villages = G.lose_all_service(coverage, inputs.villages,
                                       technologies_off=("2G", "3G"))
    switch_s = time.perf_counter() - start
    return {"res": res, "coverage_s": coverage_s, "tables_s": tables_s, "areas_s": areas_s,
            "switch_off_s": switch_s, "gap_polygons": len(areas),
            "gap_km2": float(areas["area_km2"].sum()),
            "points_in_gap": int(points.in_gap.sum()),
            "villages_in_gap": int(villages.in_gap.sum()),
            "lost_points": len(lost_points), "lost_villages": len(lost_villages)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolutions", type=float, nargs="+", default=[90.0, 30.0])
    args = parser.parse_args(argv)
    print(f"{'res':>4} {'coverage s':>10} {'tables s':>9} {'areas s':>8} {'switch-off s':>12}"
          f" {'gap km²':>8} {'pts gap':>7} {'vil gap':>7} {'lost p/v':>8}")
    for res in args.resolutions:
        r = run(res)
        print(f"{r['res']:>4.0f} {r['coverage_s']:>10.2f} {r['tables_s']:>9.2f}"
              f" {r['areas_s']:>8.2f} {r['switch_off_s']:>12.2f} {r['gap_km2']:>8.0f}"
              f" {r['points_in_gap']:>7} {r['villages_in_gap']:>7}"
              f" {r['lost_points']:>4}/{r['lost_villages']}")


if __name__ == "__main__":
    main()
