"""Minimal GeoPackage plumbing for the workspace: the core tables and geometry blobs.

The workspace writes its feature tables itself (inside its own SQLite transaction), so it
needs the GeoPackage 1.4 core tables (``gpkg_spatial_ref_sys``, ``gpkg_contents``,
``gpkg_geometry_columns``; GDAL's ``gpkg_ogr_contents`` for fast feature counts) and the
geometry blob format: ``GP``, version, flags, SRS id, optional envelope, then ISO WKB.
"""

from __future__ import annotations

import struct

import shapely
from pyproj import CRS

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10400
SRS_ID = 4326
_ENVELOPE_BYTES = (0, 32, 48, 48, 64)


def schema_sql(versions_table: str) -> list[str]:
    """Statements creating an empty GeoPackage with the attribute table ``versions_table``."""
    wkt = CRS.from_epsg(SRS_ID).to_wkt("WKT1_GDAL").replace("'", "''")
    return [
        f"PRAGMA application_id = {GPKG_APPLICATION_ID}",
        f"PRAGMA user_version = {GPKG_USER_VERSION}",
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL "
        "PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, "
        "definition TEXT NOT NULL, description TEXT)",
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined Cartesian SRS', -1, 'NONE', -1, "
        "'undefined', 'undefined Cartesian coordinate reference system')",
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, "
        "'undefined', 'undefined geographic coordinate reference system')",
        f"INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', {SRS_ID}, 'EPSG', "
        f"{SRS_ID}, '{wkt}', 'longitude/latitude coordinates in decimal degrees on the WGS "
        "84 spheroid')",
        "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT "
        "NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT "
        "NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, "
        "max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY "
        "(srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))",
        "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT "
        "NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, "
        "m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), "
        "CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY "
        "(table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY "
        "(srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))",
        "CREATE TABLE gpkg_ogr_contents (table_name TEXT NOT NULL PRIMARY KEY, feature_count "
        "INTEGER DEFAULT NULL)",
        f"CREATE TABLE {versions_table} (version_id TEXT NOT NULL PRIMARY KEY, layer TEXT NOT "
        "NULL, number INTEGER NOT NULL, table_name TEXT, created_utc TEXT NOT NULL, file_name "
        "TEXT NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL, warnings TEXT NOT NULL "
        "DEFAULT '[]', active INTEGER NOT NULL DEFAULT 0, files TEXT NOT NULL DEFAULT '[]', "
        "kind TEXT, UNIQUE (layer, number))",
        f"INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES "
        f"('{versions_table}', 'attributes', '{versions_table}', 'imported layer versions')",
    ]


def gpkg_blob(geom: shapely.Geometry, srs_id: int = SRS_ID) -> bytes:
    """A GeoPackage geometry blob: header (little-endian, envelope for non-points) + WKB."""
    wkb = shapely.to_wkb(geom, byte_order=1, flavor="iso", output_dimension=2)
    if geom.geom_type == "Point":
        return b"GP\x00\x01" + struct.pack("<i", srs_id) + wkb
    minx, miny, maxx, maxy = geom.bounds
    return b"GP\x00\x03" + struct.pack("<i4d", srs_id, minx, maxx, miny, maxy) + wkb


def geometry_from_blob(blob: bytes) -> shapely.Geometry:
    """The geometry of a GeoPackage blob (any envelope)."""
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    envelope = (blob[3] >> 1) & 0x07
    return shapely.from_wkb(blob[8 + _ENVELOPE_BYTES[envelope]:])


