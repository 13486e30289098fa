"""Coverage engine benchmark (issue: terrain-aware coverage, budgets).

    python bench/coverage.py [--resolutions 90 30] [--adds 20] [--masks 60] [--area A]

Builds a synthetic fractal DEM the size of the study area (its outline's box plus the 5 km
margin; old Lào Cai ~130 × 125 km, the whole province ~170 × 180 km; 60–3,143 m) and takes
the bundled illustrative BTS records inside the area (2,962 in old Lào Cai, 4,017 in the
whole province).
For each resolution it prints, each measured in a fresh child process after a small warm-up
(numba's compiled code is cached on disk):

- wall time and peak resident memory of the full signal run (all technologies, terrain
  diffraction, best server, servers above threshold);
- the time to add one site (4G) and to move one, updating the best-server grids;
- GDAL's line-of-sight viewshed (Debian's python3-gdal, in process, a pool of 2 workers,
  15 km radius, curvature coefficient 1/k) on the same 2,962 records and the ratio;
- the share of cells where our line of sight agrees with GDAL's, on a sample of observers
  with the same 15 km radius;
- what the parts cost: our line of sight alone (the horizon sweep, same radii as the signal
  run), and the time per cell visit (cores × wall time / cells visited: the sweep's discs, and
  the records' discs for the full run) beside the machine's floor of about 1 ns.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder would come first on sys.path and this file would shadow the
# `coverage` package that numba looks for: put the repository root there instead.
sys.path[0] = str(ROOT)

import numba  # noqa: E402

from analysis.coverage import _observers, compute_coverage, prepare_sites, run_grids  # noqa: E402
from analysis.incremental import CoverageState  # noqa: E402
from analysis.inputs import sites_within  # noqa: E402
from bench.terrain import SEED, fractal_dem  # noqa: E402
from geo.crs import transform  # noqa: E402
from geo.dem import Dem  # noqa: E402
from geo.layers import load_layer, load_study_area  # noqa: E402
from geo.settings import SETTINGS  # noqa: E402

GDAL_PYTHON = "/usr/bin/python3"
GDAL_RADIUS_M = 15_000.0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _sites_in(area: str | None):
    """The bundled records standing inside the study ``area`` (:func:`analysis.inputs.
    sites_within`: 2,962 in old Lào Cai, 4,017 in the whole province), table columns."""
    sites = load_layer("sites")
    inside = sites_within(sites, load_study_area(area))
    return sites[inside].drop(columns="geometry").reset_index(drop=True)


def child(res: float, adds: int, area: str | None = None) -> dict:
    """One resolution, in its own process: full run, then incremental edits."""
    dem = fractal_dem(res, area=area)
    sites = _sites_in(area)
    compute_coverage(sites.head(30), dem, by_operator=False)  # warm-up (loads numba cache)
    rss_before = _peak_rss_mb()
    start = time.perf_counter()
    result = compute_coverage(sites, dem, by_operator=False)
    full_s = time.perf_counter() - start
    peak_mb = _peak_rss_mb()
    # Cell visits: each observer's sweep visits its disc once; each record then its own disc.
    prepared = prepare_sites(sites, dem)
    obs, _ = _observers(prepared.records)
    sweep_cells = float(np.sum(np.pi * (obs["radius"] + 0.5) ** 2))
    record_cells = float(np.sum(np.pi * (prepared.records["radius_cells"] + 0.5) ** 2))
    cores = numba.get_num_threads()
    start = time.perf_counter()
    run_grids(prepared, dem, np.zeros(len(sites), np.int64), 1, los_only=True)
    los_s = time.perf_counter() - start
    covered = {tech: float(layer.covered.mean()) for (_, tech), layer in result.layers.items()}
    del result
    state = CoverageState(sites, dem, technology="4G")
    rng = np.random.default_rng(SEED)
    four_g = sites[sites["technology"] == "4G"].reset_index(drop=True)
    add_times, move_times = [], []
    for _i in range(adds + 1):
        new = four_g.iloc[int(rng.integers(len(four_g)))].to_dict()
        new["lon"] += rng.uniform(-0.02, 0.02)
        new["lat"] += rng.uniform(-0.02, 0.02)
        t = time.perf_counter()
        index = state.add_site(new)
        add_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        state.move_site(index, new["lon"] + 0.005, new["lat"] - 0.005)
        move_times.append(time.perf_counter() - t)
    return {
        "res": res, "shape": list(dem.shape), "records": len(sites), "full_s": full_s,
        "sweep_only_s": los_s, "sweep_cells_M": sweep_cells / 1e6,
        "record_cells_M": record_cells / 1e6, "cores": cores,
        "ns_per_sweep_cell": los_s * cores / sweep_cells * 1e9,
        "ns_per_record_cell": full_s * cores / record_cells * 1e9,
        "peak_rss_mb": peak_mb, "rss_before_mb": rss_before, "covered_share": covered,
        "add_ms_median": 1e3 * float(np.median(add_times[1:])),
        "add_ms_max": 1e3 * float(np.max(add_times[1:])),
        "move_ms_median": 1e3 * float(np.median(move_times[1:])),
    }


def _our_los(dem: Dem, sites, ids: np.ndarray) -> dict[int, np.ndarray]:
    """Our line of sight for records ``ids`` with GDAL's radius: boolean (rows, cols) masks."""
    prepared = prepare_sites(sites, dem)
    prepared.records["radius_cells"][:] = int(np.ceil(GDAL_RADIUS_M / dem.resolution_m))
    masks = {}
    for i in ids:
        group = np.where(np.arange(len(sites)) == i, 0, -1)
        masks[int(i)] = run_grids(prepared, dem, group, 1, los_only=True)["los_count"] > 0
    return masks


def gdal_reference(res: float, n_masks: int, area: str | None = None) -> dict:
    """GDAL viewshed on every record (timed) and agreement on ``n_masks`` of them."""
    dem = fractal_dem(res, area=area)
    sites = _sites_in(area)
    x, y = transform(sites["lon"].to_numpy(), sites["lat"].to_numpy(), SETTINGS.crs.display,
                     SETTINGS.crs.metric)
    t = dem.transform
    col = np.floor((x - t.c) / t.a)
    row = np.floor((y - t.f) / t.e)
    cx, cy = t.c + (col + 0.5) * t.a, t.f + (row + 0.5) * t.e
    ids = np.random.default_rng(SEED).choice(len(sites), n_masks, replace=False)
    with tempfile.TemporaryDirectory() as tmp:
        dem_path = dem.to_geotiff(Path(tmp) / "dem.tif")
        obs = Path(tmp) / "obs.npz"
        np.savez(obs, x=cx, y=cy, height=sites["height_m"].to_numpy(float),
                 radius=np.full(len(sites), GDAL_RADIUS_M), curv=1.0 / SETTINGS.radio.k_factor,
                 mask_ids=ids)
        out = Path(tmp) / "out.npz"
        subprocess.run([GDAL_PYTHON, str(ROOT / "bench" / "_gdal_viewshed.py"), str(dem_path),
                        str(obs), str(out), "2"], check=True)
        with np.load(out) as data:
            gdal_s, version = float(data["seconds"]), str(data["version"])
            theirs = {int(i): (data[f"mask{i}"], data[f"geo{i}"]) for i in ids}
    ours = _our_los(dem, sites, ids)
    agree = total = 0
    radius_cells = GDAL_RADIUS_M / res - 1.0
    for i in ids:
        mask, geo = theirs[int(i)]
        r0 = round((geo[3] - t.f) / t.e)
        c0 = round((geo[0] - t.c) / t.a)
        rows, cols = np.mgrid[r0:r0 + mask.shape[0], c0:c0 + mask.shape[1]]
        inside = np.hypot(rows - row[i], cols - col[i]) <= radius_cells
        inside &= (rows >= 0) & (rows < dem.shape[0]) & (cols >= 0) & (cols < dem.shape[1])
        g = mask[inside] == 255
        o = ours[int(i)][rows[inside], cols[inside]]
        agree += int((g == o).sum())
        total += int(inside.sum())
    return {"res": res, "gdal_s": gdal_s, "gdal_version": version,
            "los_agreement": agree / total, "cells_compared": total, "observers": n_masks}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolutions", type=float, nargs="+", default=[90.0, 30.0])
    parser.add_argument("--adds", type=int, default=20)
    parser.add_argument("--masks", type=int, default=60)
    parser.add_argument("--area", choices=list(SETTINGS.study_area.areas),
                        default=SETTINGS.study_area.default,
                        help="study area whose box the terrain covers")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--gdal", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.adds, args.area)))
        return
    if args.gdal:
        print(json.dumps(gdal_reference(args.gdal, args.masks, args.area)))
        return
    rows = []
    for res in args.resolutions:
        ours = json.loads(subprocess.run(
            [sys.executable, __file__, "--child", str(res), "--adds", str(args.adds),
             "--area", args.area],
            check=True, capture_output=True, text=True).stdout)
        ref = json.loads(subprocess.run(
            [sys.executable, __file__, "--gdal", str(res), "--masks", str(args.masks),
             "--area", args.area],
            check=True, capture_output=True, text=True).stdout)
        rows.append((ours, ref))
    print(f"{'res':>4} {'grid':>11} {'ours s':>7} {'peak MB':>8} {'GDAL LOS s':>10} "
          f"{'ratio':>6} {'LOS agree':>9} {'add ms':>12} {'move ms':>8} {'LOS s':>6} "
          f"{'ns/visit':>9}")
    for ours, ref in rows:
        grid = "x".join(str(v) for v in ours["shape"])
        print(f"{ours['res']:>4.0f} {grid:>11} {ours['full_s']:>7.2f} {ours['peak_rss_mb']:>8.0f}"
              f" {ref['gdal_s']:>10.2f} {ref['gdal_s'] / ours['full_s']:>6.2f}"
              f" {ref['los_agreement']:>9.2%} "
              f"{ours['add_ms_median']:>5.1f} (≤{ours['add_ms_max']:.0f})"
              f" {ours['move_ms_median']:>8.1f} {ours['sweep_only_s']:>6.2f}"
              f" {ours['ns_per_record_cell']:>9.0f}")
    print(json.dumps({"runs": [dict(ours, **ref) for ours, ref in rows]}, indent=1))


if __name__ == "__main__":
    main()
