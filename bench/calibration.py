"""Calibration benchmark (issue 16): compare + fit of 200,000 measurements, budget ≤ 10 s;
their disagreement hexagons (:func:`analysis.disagreement.hexagons`), budget ≤ 1 s.

    python bench/calibration.py [--n 200000] [--resolution 90] [--slope] [--los]

On the bundled illustrative layers over the default area's terrain (flat ground unless the
workspace holds a DEM), at 90 m, the coverage of every operator × technology is read from
the disk cache (or computed first, not timed). Synthetic measurements are drawn in random
reached cells of the 4G layers of every operator (the engine's prediction + a known offset
per operator + 6 dB noise, seeded), then :func:`analysis.calibration.compare` (with the
sites: distances, named sites; with ``--los`` also the line of sight over the DEM) and
:func:`analysis.calibration.fit` (with ``--slope`` the slope too) are timed, then the H3
hexagons of the comparison (times spread over two days, so that hexagons can be flagged).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # as in bench/coverage.py: the repository root, not bench/

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis import calibration as C  # noqa: E402
from analysis import disagreement as D  # noqa: E402
from analysis.inputs import coverage_for, load_inputs, sites_table  # noqa: E402
from geo.settings import SETTINGS  # noqa: E402

BUDGET_S = 10.0
HEXAGON_BUDGET_S = 1.0
OFFSETS = {"Viettel": 7.0, "VinaPhone": -4.0, "MobiFone": 2.0, "Vietnamobile": -1.0}


def synthetic(coverage, n: int, seed: int = 16) -> gpd.GeoDataFrame:
    """``n`` measurements in reached 4G cells, split evenly over the operators (WGS84)."""
    rng = np.random.default_rng(seed)
    t = coverage.transform
    frames = []
    ops = [op for op in OFFSETS if (op, "4G") in coverage.layers]
    for i, op in enumerate(ops):
        best = coverage.layers[(op, "4G")].best_dbm
        rows, cols = np.nonzero(np.isfinite(best))
        k = n // len(ops) + (1 if i < n % len(ops) else 0)
        pick = rng.integers(0, rows.size, k)
        r, c = rows[pick], cols[pick]
        x = t.c + (c + rng.random(k)) * t.a
        y = t.f + (r + rng.random(k)) * t.e
        stamps = (pd.Timestamp("2026-11-02T01:00:00Z")
                  + pd.to_timedelta(rng.integers(0, 2 * 86_400, k), unit="s"))
        frames.append(pd.DataFrame({
            "measurement_id": [f"{op[:3]}{j}" for j in range(k)],
            "time": stamps.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "operator": op, "technology": "4G",
            "signal_dbm": best[r, c] + OFFSETS[op] + rng.normal(0.0, 6.0, k),
            "cell_id": "", "track": f"{op}-track", "source": "synthetic", "x": x, "y": y}))
    table = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(table.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(
        table["x"], table["y"]), crs=SETTINGS.crs.metric).to_crs(SETTINGS.crs.display)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--resolution", type=int, default=90)
    parser.add_argument("--slope", action="store_true")
    parser.add_argument("--los", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    inputs = load_inputs(resolution_m=args.resolution)
    coverage = coverage_for(inputs)
    sites = sites_table(inputs.sites)
    print(f"inputs and coverage ({len(sites)} records, grid {coverage.shape}, "
          f"{args.resolution} m): {time.perf_counter() - start:.1f} s (not timed)")
    measured = synthetic(coverage, args.n)
    start = time.perf_counter()
    compared = C.compare(measured, coverage, sites, inputs.dem if args.los else None)
    compare_s = time.perf_counter() - start
    start = time.perf_counter()
    fitted = C.fit(compared, slope=args.slope)
    fit_s = time.perf_counter() - start
    total = compare_s + fit_s
    start = time.perf_counter()
    hexes = D.hexagons(compared)
    hex_s = time.perf_counter() - start
    for g in fitted.groups.values():
        print(f"  {g.operator:<13} {g.technology} n={g.n:>7,} offset {g.offset_db:+.2f} dB "
              f"(true {OFFSETS[g.operator]:+.1f}), RMS {g.rms_before_db:.2f} → "
              f"{g.rms_after_db:.2f} dB, CV {g.rms_cv_db:.2f} dB")
    print(f"compare {compare_s:.2f} s + fit {fit_s:.2f} s = {total:.2f} s for "
          f"{len(measured):,} measurements (budget {BUDGET_S:g} s): "
          f"{'OK' if total <= BUDGET_S else 'OVER BUDGET'}")
    counts = D.summary(hexes)
    print(f"hexagons {hex_s:.2f} s for {len(compared):,} measurements (budget "
          f"{HEXAGON_BUDGET_S:g} s): {counts['count']:,} hexagons, "
          f"{counts[D.FLAG_NO_SERVICE]} measured_no_service, {counts[D.FLAG_SERVICE]} "
          f"measured_service: {'OK' if hex_s <= HEXAGON_BUDGET_S else 'OVER BUDGET'}")


if __name__ == "__main__":
    main()
