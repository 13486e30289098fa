"""Regression check of the coverage engine's results across a change of its code.

    python bench/engine_regression.py save BASE.npz [--sites 400] [--res 90]
    python bench/engine_regression.py compare BASE.npz [--sites 400] [--res 90]

Runs :func:`analysis.coverage.compute_coverage` (all technologies, best server, servers at
or above the threshold) and the line-of-sight count on the synthetic fractal DEM of
:mod:`bench.terrain` with the first ``--sites`` bundled records, then ``save`` writes the
grids and ``compare`` prints, per layer, the share of cells whose best-server power (dBm)
is within 0.05 dB of the saved one (and the largest difference), the cells whose serving
site differs (and of those, where the power is unchanged: ties between sites), the
server-count and line-of-sight-count cells that differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # as in bench/coverage.py: the repository root, not bench/

from analysis.coverage import compute_coverage  # noqa: E402
from bench.coverage import _sites_in  # noqa: E402
from bench.terrain import fractal_dem  # noqa: E402

TOLERANCE_DB = 0.05


def _grids(res: float, n_sites: int) -> dict[str, np.ndarray]:
    dem = fractal_dem(res)
    sites = _sites_in(None).head(n_sites)
    out: dict[str, np.ndarray] = {}
    result = compute_coverage(sites, dem, by_operator=False)
    for (_, tech), layer in result.layers.items():
        out[f"best_{tech}"] = layer.best_dbm
        out[f"serving_{tech}"] = layer.serving
        out[f"servers_{tech}"] = layer.servers
    out["los_count"] = compute_coverage(sites, dem, los_only=True).los_count
    return out


def _compare(base: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> bool:
    ok = True
    for key in sorted(k for k in base if k.startswith("best_")):
        tech = key[5:]
        a, b = base[key], new[key]
        both = np.isfinite(a) & np.isfinite(b)
        reach_differs = int((np.isfinite(a) != np.isfinite(b)).sum())
        diff = np.abs(a[both] - b[both])
        within = float((diff <= TOLERANCE_DB).mean()) if diff.size else 1.0
        sa, sb = base[f"serving_{tech}"], new[f"serving_{tech}"]
        id_diff = sa != sb
        # Where the power is unchanged a different server is a tie between two sites.
        ties = id_diff & both & (np.abs(a - b) <= 1e-6)
        servers = int((base[f"servers_{tech}"] != new[f"servers_{tech}"]).sum())
        print(f"{tech}: {both.sum()} cells, within {TOLERANCE_DB} dB {within:.5%}, "
              f"max |diff| {diff.max(initial=0.0):.4f} dB, mean {diff.mean():.2e} dB, "
              f"reach differs {reach_differs}, server id differs {int(id_diff.sum())} "
              f"(at unchanged power {int(ties.sum())}), server counts differ {servers}")
        ok &= within >= 0.999 and reach_differs == 0
    los = int((base["los_count"] != new["los_count"]).sum())
    print(f"line-of-sight count: {los} of {base['los_count'].size} cells differ")
    return ok


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--sites", type=int, default=400)
    parser.add_argument("--res", type=float, default=90.0)
    args = parser.parse_args(argv)
    grids = _grids(args.res, args.sites)
    if args.action == "save":
        np.savez_compressed(args.path, **grids)
        return
    with np.load(args.path) as data:
        base = {k: data[k] for k in data.files}
    print("OK" if _compare(base, grids) else "CHANGED")


if __name__ == "__main__":
    main()
