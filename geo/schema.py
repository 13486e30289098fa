"""Canonical schema of each data layer, and validation against it.

One schema per layer (``points``, ``sites``, ``villages``, ``fibre_routes``, ``fibre_nodes``,
``measurements``: field measurements of the received level, imported only),
documented in ``data/README.md``. Validation either returns a clean, typed copy or raises a
:class:`~geo.errors.DataError` that names the file, the rows and the fix; it never returns a
half-valid layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import DataError
from geo.settings import SETTINGS

SOURCES: tuple[str, ...] = ("official", "imported", "osm", "illustrative")


@dataclass(frozen=True)
class Column:
    """One attribute: name, type (``str``, ``int``, ``float``), and what values it takes."""

    name: str
    dtype: str
    required: bool = True
    allowed: tuple[str, ...] | None = None
    value_range: tuple[float, float] | None = None
    doc: str = ""


@dataclass(frozen=True)
class LayerSchema:
    """Columns and geometry type of one layer; ``id_column`` values must be unique."""

    name: str
    geometry: tuple[str, ...]
    columns: tuple[Column, ...]
    id_column: str

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_names(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


_radio = SETTINGS.radio
_SOURCE = Column("source", "str", allowed=SOURCES, doc="official / imported / osm / illustrative")

POINTS = LayerSchema(
    "points",
    ("Point",),
    (
        Column("point_id", "str", doc="unique id of the IT-support point"),
        Column("name", "str", doc="name shown to planners (NFC)"),
        Column("point_type", "str", allowed=("commune", "village"),
               doc="commune = region-III commune, village = extremely difficult village"),
        Column("district_code", "str",
               doc="2020 district-level code (080–089 old Lào Cai, 132–141 old Yên Bái)"),
        Column("district", "str", doc="2020 district-level unit name"),
        Column("commune_code_2020", "str", doc="5-digit code of the 2020 commune"),
        Column("commune_2020", "str", doc="2020 commune full name"),
        Column("village", "str", required=False, doc="village (thôn/bản) name, village points"),
        Column("commune_code_2025", "str", doc="5-digit code of the 2025 unit"),
        Column("commune_2025", "str", doc="2025 unit full name"),
        Column("location", "str", allowed=("exact", "commune_centre", "illustrative"),
               doc="how the point was placed"),
        _SOURCE,
    ),
    "point_id",
)

SITES = LayerSchema(
    "sites",
    ("Point",),
    (
        Column("site_id", "str", doc="unique id of the BTS record (one operator × technology)"),
        Column("tower_id", "str", required=False, doc="physical tower the record sits on"),
        Column("operator", "str", doc="Viettel, VinaPhone, MobiFone, Vietnamobile, ..."),
        Column("technology", "str", allowed=_radio.technologies, doc="2G / 3G / 4G / 5G"),
        Column("band_mhz", "float", value_range=_radio.band_range_mhz, doc="carrier, MHz"),
        Column("lon", "float", value_range=(-180.0, 180.0), doc="WGS84 longitude"),
        Column("lat", "float", value_range=(-90.0, 90.0), doc="WGS84 latitude"),
        Column("height_m", "float", value_range=_radio.height_range_m,
               doc="antenna height above ground, m"),
        Column("eirp_dbm", "float", value_range=_radio.eirp_range_dbm, doc="EIRP, dBm"),
        Column("azimuth_deg", "float", required=False, value_range=(0.0, 360.0),
               doc="sector azimuth, degrees from north; empty = omni"),
        Column("beamwidth_deg", "float", required=False, value_range=(1.0, 360.0),
               doc="horizontal 3 dB beamwidth, degrees"),
        Column("assumed", "str", required=False,
               doc="fields filled from settings, not from the source (e.g. 'height_m;eirp_dbm')"),
        _SOURCE,
    ),
    "site_id",
)

VILLAGES = LayerSchema(
    "villages",
    ("Point",),
    (
        Column("village_id", "str", doc="unique id"),
        Column("name", "str", doc="village (thôn/bản) name"),
        Column("commune_code_2025", "str", doc="5-digit code of the 2025 unit"),
        Column("commune_2025", "str", doc="2025 unit full name"),
        Column("population", "int", value_range=(0.0, 1e6), doc="residents"),
        _SOURCE,
    ),
    "village_id",
)

FIBRE_ROUTES = LayerSchema(
    "fibre_routes",
    ("LineString", "MultiLineString"),
    (
        Column("route_id", "str", doc="unique id"),
        Column("operator", "str", doc="owner of the cable"),
        Column("kind", "str", allowed=("backbone", "access"), doc="backbone / access"),
        _SOURCE,
    ),
    "route_id",
)

FIBRE_NODES = LayerSchema(
    "fibre_nodes",
    ("Point",),
    (
        Column("node_id", "str", doc="unique id"),
        Column("operator", "str", doc="owner"),
        Column("kind", "str", allowed=("pop", "commune", "village"),
               doc="point of presence / commune node / village node"),
        _SOURCE,
    ),
    "node_id",
)

MEASUREMENTS = LayerSchema(
    "measurements",
    ("Point",),
    (
        Column("measurement_id", "str", doc="unique id of the sample (the file's, else made up "
                                             "from the row number)"),
        Column("time", "str", required=False,
               doc="when it was measured: ISO 8601 in UTC (2025-06-30T01:15:00Z); empty when "
                   "the file has no time"),
        Column("operator", "str", allowed=_radio.operators,
               doc="network measured: Viettel, VinaPhone, MobiFone, Vietnamobile (from the name "
                   "or MCC-MNC 452-04, 452-02, 452-01, 452-05)"),
        Column("technology", "str", allowed=_radio.technologies,
               doc="2G / 3G / 4G / 5G (GSM/EDGE/GPRS, UMTS/HSPA/WCDMA, LTE/LTE-A, NR/NR-NSA)"),
        Column("signal_dbm", "float",
               value_range=SETTINGS.imports.measurement_signal_range_dbm,
               doc="received level, dBm: RSRP for 4G and 5G (SS-RSRP), RSCP for 3G, RxLev "
                   "in dBm for 2G"),
        Column("cell_id", "str", required=False,
               doc="serving cell as logged (CGI, ECI/NCI or CID), empty when not logged"),
        Column("track", "str", required=False,
               doc="drive / walk the sample belongs to: the file's session column, else the "
                   "file name"),
        _SOURCE,
    ),
    "measurement_id",
)

SCHEMAS: dict[str, LayerSchema] = {
    s.name: s for s in (POINTS, SITES, VILLAGES, FIBRE_ROUTES, FIBRE_NODES, MEASUREMENTS)
}



def _rows(mask: pd.Series | np.ndarray) -> list[int]:
    """1-based data row numbers where ``mask`` is true."""
    return [int(i) + 1 for i in np.flatnonzero(np.asarray(mask))]


def _coerce(frame: pd.DataFrame, col: Column, source: str) -> pd.Series:
    raw = frame[col.name]
    if col.dtype == "str":
        values = raw.astype("string").str.strip()
        return values.mask(values == "", pd.NA)
    numeric = pd.to_numeric(raw, errors="coerce")
    bad = numeric.isna() & raw.notna() & (raw.astype("string").str.strip() != "")
    if bad.any():
        raise DataError(
            f"column '{col.name}' must be a number; found {raw[bad].iloc[0]!r}.",
            source=source, rows=_rows(bad), fix="correct or empty these cells.",
        )
    if col.dtype == "int":
        if (numeric.dropna() % 1 != 0).any():
            raise DataError(f"column '{col.name}' must be a whole number.", source=source,
                            rows=_rows(numeric % 1 != 0), fix="round these values.")
        return numeric.astype("Int64")
    return numeric.astype("float64")


def validate(gdf: gpd.GeoDataFrame, schema: LayerSchema | str, source: str) -> gpd.GeoDataFrame:
    """Check ``gdf`` against ``schema`` and return a typed copy in WGS84.

    Raises :class:`DataError` (naming ``source``, the rows and the fix) for missing columns,
    no or wrong CRS, empty or invalid geometries, missing required values, values outside
    the allowed set or range, and duplicate ids.
    """
    schema = SCHEMAS[schema] if isinstance(schema, str) else schema
    missing = [c for c in schema.required_names if c not in gdf.columns]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)} for layer '{schema.name}'.",
            source=source,
            fix=f"add them; the layer needs {', '.join(schema.required_names)}.",
        )
    if gdf.crs is None:
        raise DataError("the file has no coordinate reference system (CRS).", source=source,
                        fix="save it with a CRS, normally EPSG:4326 (WGS84).")
    if len(gdf) == 0:
        raise DataError(f"layer '{schema.name}' has no rows.", source=source)
    geoms = gdf.geometry
    empty = geoms.isna() | geoms.is_empty
    if empty.any():
        raise DataError("empty geometry.", source=source, rows=_rows(empty),
                        fix="give these rows a location or remove them.")
    wrong_type = ~geoms.geom_type.isin(schema.geometry)
    if wrong_type.any():
        raise DataError(
            f"geometry must be {' or '.join(schema.geometry)}, "
            f"found {geoms[wrong_type].geom_type.iloc[0]}.",
            source=source, rows=_rows(wrong_type),
        )
    invalid = ~geoms.is_valid
    if invalid.any():
        raise DataError("invalid geometry (self-intersecting or degenerate).", source=source,
                        rows=_rows(invalid), fix="repair it, e.g. with QGIS 'Fix geometries'.")
    gdf = gdf.to_crs(SETTINGS.crs.display)
    minx, miny, maxx, maxy = gdf.total_bounds
    lon0, lon1 = SETTINGS.crs.lon_range
    lat0, lat1 = SETTINGS.crs.lat_range
    outside = ~gdf.geometry.intersects(
        gpd.GeoSeries.from_xy([lon0, lon1], [lat0, lat1]).union_all().envelope
    )
    if outside.all():
        raise DataError(
            f"no feature lies in {SETTINGS.study_area.province} under the declared CRS (bounds "
            f"{minx:.0f}, {miny:.0f}, "
            f"{maxx:.0f}, {maxy:.0f}).", source=source,
            fix="the declared CRS is probably wrong: VN-2000 metres need EPSG:9208 or "
                "EPSG:3405, not EPSG:4326.",
        )
    out = gpd.GeoDataFrame(geometry=gdf.geometry.values, crs=gdf.crs, index=range(len(gdf)))
    frame = gdf.reset_index(drop=True)
    for col in schema.columns:
        if col.name not in frame.columns:
            out[col.name] = pd.Series(pd.NA, index=out.index,
                                      dtype="string" if col.dtype == "str" else "Float64")
            continue
        values = _coerce(frame, col, source)
        if col.required and values.isna().any():
            raise DataError(f"column '{col.name}' is empty.", source=source,
                            rows=_rows(values.isna()), fix="fill these cells.")
        if col.allowed is not None:
            bad = values.notna() & ~values.isin(col.allowed)
            if bad.any():
                raise DataError(
                    f"column '{col.name}' has {values[bad].iloc[0]!r}; allowed: "
                    f"{', '.join(col.allowed)}.", source=source, rows=_rows(bad),
                )
        if col.value_range is not None:
            lo, hi = col.value_range
            bad = values.notna() & ((values < lo) | (values > hi))
            if bad.any():
                raise DataError(
                    f"column '{col.name}' must be between {lo:g} and {hi:g}; found "
                    f"{values[bad].iloc[0]}.", source=source, rows=_rows(bad),
                )
        out[col.name] = values.values
    dup = out[schema.id_column].duplicated(keep=False)
    if dup.any():
        raise DataError(f"duplicate {schema.id_column} {out.loc[dup, schema.id_column].iloc[0]!r}.",
                        source=source, rows=_rows(dup), fix="give every row its own id.")
    return out[[*schema.column_names, "geometry"]]
