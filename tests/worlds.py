"""Synthetic worlds with known answers for the analysis tests (in the spirit of
``geopandas.testing``): a square, north-up grid in the metric CRS (EPSG:9208) near Lào Cai city,
and the terrain, sites and places built on its cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from rasterio.transform import from_origin
from shapely.geometry import Point

from geo.crs import transform
from geo.dem import Dem
from geo.settings import SETTINGS


@dataclass(frozen=True)
class Grid:
    """``size`` × ``size`` cells of ``res`` metres whose top-left corner is (``x0``, ``y0``),
    in metres of ``SETTINGS.crs.metric``; rows run south, columns east."""

    size: int
    res: float = 90.0
    x0: float = 420_000.0
    y0: float = 2_490_000.0

    @property
    def centre(self) -> int:
        """Row (and column) of the centre cell."""
        return self.size // 2

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y) of the whole grid, metres."""
        return self.x0, self.y0 - self.size * self.res, self.x0 + self.size * self.res, self.y0

    def xy(self, row: float, col: float) -> tuple[float, float]:
        """Metric (x, y) of the centre of cell (row, col)."""
        return self.x0 + (col + 0.5) * self.res, self.y0 - (row + 0.5) * self.res

    def lonlat(self, row: float, col: float) -> tuple[float, float]:
        """(lon, lat) in ``SETTINGS.crs.display`` (EPSG:4326) of the centre of cell (row, col)."""
        x, y = self.xy(row, col)
        lon, lat = transform([x], [y], SETTINGS.crs.metric, SETTINGS.crs.display)
        return float(lon[0]), float(lat[0])

    def dem(self, elevation: np.ndarray) -> Dem:
        """Terrain of ``elevation`` (metres, shape ``size`` × ``size``) on this grid."""
        return Dem(elevation.astype(np.float32), from_origin(self.x0, self.y0, self.res, self.res),
                   self.res, source="test")

    def site(self, row: float | None = None, col: float | None = None, *,
             site_id: str | None = None, operator: str = "Viettel", tech: str = "4G",
             band: float = 1800.0, height: float = 30.0, eirp: float = 60.0) -> dict:
        """A site's radio fields at the centre of cell (row, col), the centre cell by default:
        lon/lat in EPSG:4326, ``band_mhz``, ``height_m`` above ground, ``eirp_dbm``; with
        ``site_id`` first when given."""
        lon, lat = self.lonlat(self.centre if row is None else row,
                               self.centre if col is None else col)
        radio = {"operator": operator, "technology": tech, "band_mhz": band, "lon": lon,
                 "lat": lat, "height_m": height, "eirp_dbm": eirp}
        return radio if site_id is None else {"site_id": site_id, **radio}

    def site_row(self, site_id: str, row: float, col: float) -> dict:
        """A whole imported row of ``geo.schema.SITES`` (a 4G Viettel site, omnidirectional)
        at the centre of cell (row, col)."""
        return {"site_id": site_id, "tower_id": None, **self.site(row, col),
                "azimuth_deg": np.nan, "beamwidth_deg": np.nan, "assumed": None,
                "source": "imported"}

    def places(self, cells: dict[str, tuple[float, float]]) -> gpd.GeoDataFrame:
        """Places named by the keys of ``cells``, at the centres of their (row, col) cells, in
        the metric CRS."""
        return gpd.GeoDataFrame({"name": list(cells)},
                                geometry=[Point(self.xy(r, c)) for r, c in cells.values()],
                                crs=SETTINGS.crs.metric)
