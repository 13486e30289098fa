"""GDAL viewshed reference for bench/coverage.py, run with Debian's python3 (python3-gdal).

    /usr/bin/python3 bench/_gdal_viewshed.py DEM.tif OBSERVERS.npz OUT.npz PROCESSES

OBSERVERS.npz holds x, y (EPSG:9208 m, cell centres), height (m above ground), radius (m),
curv (GDAL's curvature coefficient, 1/k) and ``mask_ids`` (observers whose visibility masks
are returned for the agreement check). Every observer is run through
``gdal.ViewshedGenerate`` in process by a pool of PROCESSES workers started and warmed before
the clock starts; OUT.npz gets the wall time and the masks.
"""

import sys
import time
from multiprocessing import Pool

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
_BAND = None


def _open(path):
    global _BAND, _DS
    _DS = gdal.Open(path)
    _BAND = _DS.GetRasterBand(1)


def _viewshed(args):
    x, y, height, radius, curv, keep = args
    out = gdal.ViewshedGenerate(_BAND, "MEM", "", [], float(x), float(y), float(height), 1.5,
                                255, 0, 0, 0, float(curv), gdal.GVM_Edge, float(radius))
    band = out.GetRasterBand(1)
    mask = band.ReadAsArray() if keep else None
    geo = out.GetGeoTransform() if keep else None
    return mask, geo


def main():
    dem_path, obs_path, out_path, processes = sys.argv[1:5]
    obs = np.load(obs_path)
    keep = set(int(i) for i in obs["mask_ids"])
    jobs = [(obs["x"][i], obs["y"][i], obs["height"][i], obs["radius"][i], float(obs["curv"]),
             i in keep) for i in range(obs["x"].size)]
    with Pool(int(processes), initializer=_open, initargs=(dem_path,)) as pool:
        pool.map(_viewshed, jobs[: int(processes)])  # warm every worker
        start = time.perf_counter()
        results = pool.map(_viewshed, jobs, chunksize=8)
        seconds = time.perf_counter() - start
    masks = {}
    for i in sorted(keep):
        mask, geo = results[i]
        masks[f"mask{i}"] = mask
        masks[f"geo{i}"] = np.array(geo)
    np.savez(out_path, seconds=seconds, version=gdal.__version__, **masks)


if __name__ == "__main__":
    main()
