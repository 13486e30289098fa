"""Import a land-cover raster (ESA WorldCover 10 m GeoTIFF tiles as downloaded, or any
GeoTIFF whose values are the classes of ``SETTINGS.landcover.classes``).

:func:`import_landcover` checks it with :func:`geo.landcover.check_landcover` and refuses it
when it does not overlap the province. The file itself is stored by the workspace
(:meth:`geo.workspace.Workspace.save`), like a terrain file; the coverage reads it onto the
analysis grid (:func:`geo.landcover.read_landcover`, EPSG:9208, nearest class).
"""

from __future__ import annotations

from pathlib import Path

from shapely.geometry import box

from geo.import_common import ImportReport, import_area
from geo.landcover import check_landcover
from geo.settings import SETTINGS


def import_landcover(path: Path, report: ImportReport) -> None:
    """Check a land-cover file and fill ``report`` (``landcover_file``, its bounds)."""
    info = check_landcover(path, report.file_name)
    report.rows_read = 1
    if not box(*info.bounds_lonlat).intersects(import_area()):
        b = info.bounds_lonlat
        report.problem(None, None, f"the land cover (lon {b[0]:.2f}–{b[2]:.2f}, lat "
                       f"{b[1]:.2f}–{b[3]:.2f}) does not cover {SETTINGS.study_area.province}.",
                       "landcover_outside",
                       west=f"{b[0]:.2f}", east=f"{b[2]:.2f}", south=f"{b[1]:.2f}",
                       north=f"{b[3]:.2f}")
        return
    report.landcover_file = path
    report.landcover_bounds = info.bounds_lonlat
    report.rows_accepted = 1
    names = ", ".join(SETTINGS.landcover.classes[c].name for c in info.classes)
    report.warn("land cover in {crs}, classes: {classes}", "landcover_info", crs=info.crs,
                classes=names)
