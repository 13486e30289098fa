"""What-if planning benchmark (issue: what-if planning, budgets).

    python bench/planning.py [--resolution 30] [--k 10]

On the synthetic fractal terrain (bench/terrain.py) with the bundled illustrative layers:
computes coverage and the gap analysis first (not timed), then times

- K new sites chosen from the candidates in the gaps (≥ 5,000 wanted; the spacing is halved
  until there are that many), with the greedy's proven bound;
- one proposed site added by hand, from the call to the updated numbers (gains by commune).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # as in bench/coverage.py: the repository root, not bench/

from analysis import planning as P  # noqa: E402
from analysis.coverage import compute_coverage  # noqa: E402
from analysis.inputs import load_inputs, sites_table  # noqa: E402
from analysis.pipeline import analyse  # noqa: E402
from bench.terrain import fractal_dem  # noqa: E402

MIN_CANDIDATES = 5_000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", type=float, default=30.0)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args(argv)
    inputs = load_inputs()
    inputs.dem = fractal_dem(args.resolution)
    start = time.perf_counter()
    coverage = compute_coverage(sites_table(inputs.sites), inputs.dem, by_operator=True)
    result = analyse(inputs, coverage=coverage)
    print(f"setup (coverage + gaps, not in the budget): {time.perf_counter() - start:.1f} s")
    spacing = 1_000.0
    while len(P.candidates(result, spacing_m=spacing)) < MIN_CANDIDATES and spacing > 100:
        spacing /= 2
    start = time.perf_counter()
    chosen = P.plan(result, args.k, spacing_m=spacing)
    plan_s = time.perf_counter() - start
    r = chosen.result
    print(f"plan: K={args.k} from {chosen.candidates} candidates (spacing {spacing:g} m), "
          f"{len(chosen.targets)} places in a gap: {plan_s:.1f} s; gain {r.total:.0f}, "
          f"bound {r.upper_bound:.0f} ({r.total / r.upper_bound:.0%} of it proven)")
    whatif = P.WhatIf(result)
    site = chosen.sites_frame().iloc[0]
    times = []
    for dlon in (0.0, 0.01, -0.01, 0.02, -0.02):
        start = time.perf_counter()
        index = whatif.add({"lon": site["lon"] + dlon, "lat": site["lat"]})
        gains = whatif.gains()
        times.append(time.perf_counter() - start)
        whatif.remove(index)
    print(f"what-if add → updated gains: median {1e3 * sorted(times)[2]:.0f} ms, "
          f"max {1e3 * max(times):.0f} ms ({len(gains)} communes gain)")


if __name__ == "__main__":
    main()
