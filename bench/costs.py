"""Costing benchmark (what would close each gap, and what it costs).

    python bench/costs.py [--resolution 30] [--k 30] [--budget 50]

On the synthetic fractal terrain (bench/terrain.py) with the bundled illustrative layers:
computes coverage (disk-cached) and the gap analysis first (not timed), then times

- the optimiser's K new sites (:func:`analysis.planning.plan`, the BTS options' input);
- costing every support point and village (:func:`analysis.costs.cost_options` given that
  plan: fibre least-cost tree, microwave links and relays, satellite; wanted ≤ 15 s at 30 m);
- one link profile (wanted ≤ 200 ms);
- the budget problem's preparation and a re-plan for several budgets (wanted ≤ 1 s each).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # as in bench/coverage.py: the repository root, not bench/

import numpy as np  # noqa: E402

from analysis import planning as P  # noqa: E402
from analysis.costs import cost_options, place_profile, plan_budget, prepare  # noqa: E402
from analysis.coverage import cached_coverage  # noqa: E402
from analysis.inputs import load_inputs, sites_table  # noqa: E402
from analysis.pipeline import analyse  # noqa: E402
from bench.terrain import fractal_dem  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", type=float, default=30.0)
    parser.add_argument("--k", type=int, default=30)
    parser.add_argument("--budget", type=float, default=50.0, help="tỷ đồng")
    args = parser.parse_args(argv)
    inputs = load_inputs()
    inputs.dem = fractal_dem(args.resolution)
    start = time.perf_counter()
    coverage = cached_coverage(sites_table(inputs.sites), inputs.dem, by_operator=True)
    result = analyse(inputs, coverage=coverage)
    print(f"setup (coverage + gaps, not in the budget): {time.perf_counter() - start:.1f} s; "
          f"grid {inputs.dem.shape[0]} × {inputs.dem.shape[1]} at {args.resolution:g} m")
    cost_options(result, bts_plan=P.plan(result, 1))  # compile the kernels (numba cache)
    start = time.perf_counter()
    sites = P.plan(result, args.k)
    plan_s = time.perf_counter() - start
    start = time.perf_counter()
    table = cost_options(result, bts_plan=sites)
    choices = table.choices()
    cost_s = time.perf_counter() - start
    places = len(table.places)
    todo = int((~table.places["served_before"]).sum())
    counts = ", ".join(f"{n} {o}" for o, n in choices["chosen"].value_counts().items())
    print(f"optimiser's {args.k} sites: {plan_s:.1f} s")
    print(f"costing {places} places ({todo} not served): {cost_s:.1f} s (wanted ≤ 15 s); "
          f"chosen: {counts}")
    microwave = table.links
    print(f"  microwave feasible for {int(microwave.feasible.sum())} of {todo}, "
          f"{int(microwave.relay.sum())} via a relay")
    linkable = np.flatnonzero(microwave.end >= 0)
    if linkable.size:
        times = []
        for i in linkable[:20]:
            start = time.perf_counter()
            place_profile(table, int(i))
            times.append(time.perf_counter() - start)
        print(f"link profile: median {np.median(times) * 1000:.1f} ms, max "
              f"{max(times) * 1000:.1f} ms over {len(times)} (wanted ≤ 200 ms)")
    start = time.perf_counter()
    prepared = prepare(table)
    print(f"budget problem prepared once: {time.perf_counter() - start:.2f} s")
    for budget in (args.budget / 10, args.budget, args.budget * 10):
        start = time.perf_counter()
        plan = plan_budget(prepared, budget)
        print(f"re-plan at {budget:g} tỷ: {time.perf_counter() - start:.2f} s (wanted ≤ 1 s); "
              + plan.summary())


if __name__ == "__main__":
    main()
