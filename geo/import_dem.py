"""Import a terrain file (GeoTIFF, SRTM ``.hgt`` / ``.hgt.zip``, zipped tiles).

:func:`check_dem` checks it with :mod:`geo.dem`'s readers (size and zip safety first, then CRS
and data) and gives its lon/lat bounds; :func:`import_dem` refuses it when it does not overlap
the province. The file itself is stored by the workspace (:meth:`geo.workspace.Workspace.save`).
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rasterio.errors import RasterioError
from rasterio.warp import transform_bounds
from shapely.geometry import box

from geo.dem_sources import check_source, open_source
from geo.errors import DataError
from geo.import_common import ImportReport, import_area
from geo.safe_files import check_size, check_zip
from geo.settings import SETTINGS


@dataclass(frozen=True)
class DemInfo:
    """A checked terrain file: its lon/lat bounds and CRS."""

    bounds_lonlat: tuple[float, float, float, float]
    crs: str
    tiles: int


def check_dem(path: str | Path, file_name: str | None = None) -> DemInfo:
    """Check a terrain file with :mod:`geo.dem`'s readers (zip checks first) and return its
    lon/lat bounds; refuses files without CRS, with only nodata, or damaged."""
    path = Path(path)
    source = file_name or path.name
    check_size(path, source)
    if path.name.lower().endswith(".zip"):
        check_zip(path, source)
    bounds = []
    crs = ""
    with ExitStack() as stack:
        try:
            datasets = open_source(path, stack)
            for ds in datasets:
                check_source(path, ds)
                bounds.append(transform_bounds(ds.crs, SETTINGS.crs.display, *ds.bounds,
                                               densify_pts=21))
                crs = ds.crs.to_string()
        except DataError as exc:
            raise DataError(exc.problem, source=source, fix=exc.fix) from exc
        except (RasterioError, OSError) as exc:
            raise DataError(f"cannot read the terrain file ({exc}).", source=source,
                            fix="use a GeoTIFF, an SRTM .hgt or .hgt.zip tile.") from exc
    arr = np.asarray(bounds)
    box = (float(arr[:, 0].min()), float(arr[:, 1].min()),
           float(arr[:, 2].max()), float(arr[:, 3].max()))
    return DemInfo(box, crs, len(bounds))


def import_dem(path: Path, report: ImportReport) -> None:
    """Check a terrain file and fill ``report`` (``dem_file``, ``dem_bounds``)."""
    info = check_dem(path, report.file_name)
    report.rows_read = info.tiles
    if not box(*info.bounds_lonlat).intersects(import_area()):
        b = info.bounds_lonlat
        report.problem(None, None, f"the terrain (lon {b[0]:.2f}–{b[2]:.2f}, lat "
                       f"{b[1]:.2f}–{b[3]:.2f}) does not cover Lào Cai.", "dem_outside")
        return
    report.dem_file = path
    report.dem_bounds = info.bounds_lonlat
    report.rows_accepted = info.tiles
    report.warn("terrain in {crs}, {count} tile(s)", "dem_info", crs=info.crs,
                count=info.tiles)
