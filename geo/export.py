"""Exports of analysis results: GeoJSON, CSV, GeoPackage and KML, and reading them back.

Every writer takes ``frames``, an ordered mapping of layer name → GeoDataFrame in any CRS.
Every output is WGS84 (EPSG:4326) lon/lat with coordinates rounded to 6 decimals (≈ 0.1 m),
polygons oriented as RFC 7946 asks (exterior counter-clockwise, holes clockwise), text in
UTF-8 and Unicode NFC. A frame without a CRS is refused.

- GeoJSON: one RFC 7946 FeatureCollection, no ``crs`` member; each Feature carries its layer
  name in the foreign member ``"layer"`` so that ``properties`` hold exactly the frame's
  columns. Empty frames contribute nothing.
- CSV (``utf-8-sig`` for Excel): ``layer``, the union of all attribute columns, ``lon``,
  ``lat`` (the point, or a representative point inside other geometries) and ``wkt``.
  Booleans are ``true``/``false``, nulls empty; text that Excel would run as a formula
  (starting with ``= + - @``, tab or CR) or that starts with ``'`` gets a leading ``'``.
  Empty frames contribute nothing.
- GeoPackage: one layer per frame (empty frames give empty layers).
- KML 2.2: one Folder per frame; each Placemark has ``<name>`` (the ``name`` column) and
  typed ``ExtendedData/SchemaData`` (a ``Schema`` per layer declares int/double/bool/string;
  booleans are written 1/0, which GDAL/QGIS read correctly; a null is an absent SimpleData).

:func:`read_export` reads the four formats back; it exists for round-trip tests and QA.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import tempfile
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from datetime import date, time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import mapping, shape

from geo.crs import DISPLAY_CRS
from geo.errors import DataError
from geo.settings import SETTINGS

Frames = Mapping[str, gpd.GeoDataFrame]

DECIMALS = 6
KML_NS = "http://www.opengis.net/kml/2.2"
CSV_FIELDS: tuple[str, ...] = ("layer", "lon", "lat", "wkt")  # columns the CSV adds
FORMATS: tuple[str, ...] = ("geojson", "gpkg", "csv", "kml")

_INT = re.compile(r"-?(?:0|[1-9]\d*)")
_FLOAT = re.compile(r"-?(?:(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|inf)")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBERS = ("int", "uint", "short", "ushort", "float", "double")  # KML SimpleField types
_KML_GEOMETRIES = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry")


# --- shared preparation ------------------------------------------------------------------

def _prepare(frames: Frames) -> list[tuple[str, gpd.GeoDataFrame]]:
    """Frames in WGS84, 2-D, rounded to 6 decimals, RFC 7946-oriented, strings in NFC."""
    out = []
    for name, frame in frames.items():
        if frame.crs is None:
            raise DataError("has no CRS.", source=f"layer '{name}'",
                            fix=f"set it, e.g. frame.set_crs('{SETTINGS.crs.metric}').")
        frame = frame.to_crs(DISPLAY_CRS)
        geoms = shapely.force_2d(np.asarray(frame.geometry.values))
        geoms = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
        frame[frame.geometry.name] = gpd.GeoSeries(
            shapely.orient_polygons(geoms), index=frame.index, crs=DISPLAY_CRS)
        for column in _columns(frame):
            if pd.api.types.infer_dtype(frame[column], skipna=True) == "string":
                frame[column] = frame[column].str.normalize("NFC")
        out.append((str(name), frame))
    return out


def _columns(frame: gpd.GeoDataFrame) -> list[Any]:
    return [c for c in frame.columns if c != frame.geometry.name]


def _native(value: Any) -> Any:
    """A JSON-ready scalar: None for NaN/NA/inf, numpy scalars to Python, dates to ISO text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _kind(series: pd.Series) -> str:
    """The KML type of a column (bool, int, double, string), from its values."""
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    return {"boolean": "bool", "integer": "int", "floating": "double",
            "mixed-integer-float": "double", "decimal": "double"}.get(inferred, "string")


def _records(frame: gpd.GeoDataFrame) -> tuple[list[str], list[list[Any]]]:
    """Column names (as text) and rows of native values."""
    columns = _columns(frame)
    rows = frame[columns].to_numpy(dtype=object).tolist()
    return [str(c) for c in columns], [[_native(v) for v in row] for row in rows]


def _text(value: Any, bools: tuple[str, str] = ("false", "true")) -> str:
    if isinstance(value, bool):
        return bools[value]
    return repr(value) if isinstance(value, float) else str(value)


# --- writers -----------------------------------------------------------------------------

def to_feature_collection(frames: Frames) -> dict:
    """One RFC 7946 FeatureCollection (WGS84 lon/lat, 6 decimals, no ``crs``) of all frames.

    Properties are the frame's columns (NaN/None → null); each Feature names its layer in the
    foreign member ``"layer"``.
    """
    features = []
    for name, frame in _prepare(frames):
        columns, rows = _records(frame)
        for geom, row in zip(frame.geometry.values, rows, strict=True):
            geometry = None if geom is None or geom.is_empty else json.loads(
                json.dumps(mapping(geom)))  # tuples → lists
            features.append({"type": "Feature", "layer": name, "geometry": geometry,
                             "properties": dict(zip(columns, row, strict=True))})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(frames: Frames, path: str | Path) -> None:
    """Write :func:`to_feature_collection` as UTF-8 JSON (characters, not ``\\u`` escapes)."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(to_feature_collection(frames), f, ensure_ascii=False, allow_nan=False,
                  separators=(",", ":"))
        f.write("\n")


def defuse_formula(text: str) -> str:
    """Prefix ``'`` so Excel shows the text instead of running it as a formula (text
    starting with ``= + - @``, tab, CR or ``'``); also used by :mod:`geo.audit`."""
    return "'" + text if text.startswith((*_FORMULA, "'")) else text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    return defuse_formula(value) if isinstance(value, str) else _text(value)


def write_csv(frames: Frames, path: str | Path) -> None:
    """One CSV (UTF-8 with BOM): ``layer``, attribute columns, ``lon``, ``lat``, ``wkt`` (WGS84)."""
    layers = [(name, *_records(frame), frame.geometry.values) for name, frame in _prepare(frames)]
    columns = list(dict.fromkeys(
        c for _, names, _, _ in layers for c in names if c not in CSV_FIELDS))
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["layer", *columns, "lon", "lat", "wkt"])
        for name, names, rows, geoms in layers:
            for row, geom in zip(rows, geoms, strict=True):
                record = dict(zip(names, row, strict=True))
                cells = [_csv_cell(record.get(c)) for c in columns]
                if geom is None or geom.is_empty:
                    place = ["", "", ""]
                else:
                    point = geom if geom.geom_type == "Point" else geom.representative_point()
                    place = [f"{point.x:.{DECIMALS}f}", f"{point.y:.{DECIMALS}f}",
                             shapely.to_wkt(geom, rounding_precision=DECIMALS, trim=True)]
                writer.writerow([name, *cells, *place])


def write_gpkg(frames: Frames, path: str | Path) -> None:
    """GeoPackage, one WGS84 layer per frame (layer name = key); replaces an existing file."""
    path = Path(path)
    path.unlink(missing_ok=True)
    for name, frame in _prepare(frames):
        for column in _columns(frame):  # object columns of bool and null: a GPKG boolean
            if frame[column].dtype == object and _kind(frame[column]) == "bool":
                frame[column] = frame[column].astype("boolean")
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")


def _coordinates(parent: ET.Element, coords: Any) -> None:
    ET.SubElement(parent, "coordinates").text = " ".join(
        f"{x:.{DECIMALS}f},{y:.{DECIMALS}f}" for x, y in coords)


def _kml_geometry(parent: ET.Element, geom: Any) -> None:
    if geom is None or geom.is_empty:
        return
    kind = geom.geom_type
    if kind == "Point":
        _coordinates(ET.SubElement(parent, "Point"), geom.coords)
    elif kind in ("LineString", "LinearRing"):
        _coordinates(ET.SubElement(parent, "LineString"), geom.coords)
    elif kind == "Polygon":
        polygon = ET.SubElement(parent, "Polygon")
        rings = [("outerBoundaryIs", geom.exterior)]
        rings += [("innerBoundaryIs", ring) for ring in geom.interiors]
        for tag, ring in rings:
            _coordinates(ET.SubElement(ET.SubElement(polygon, tag), "LinearRing"), ring.coords)
    else:  # MultiPoint, MultiLineString, MultiPolygon, GeometryCollection
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in geom.geoms:
            _kml_geometry(multi, part)


def write_kml(frames: Frames, path: str | Path) -> None:
    """KML 2.2 (UTF-8, lon/lat): a Folder per frame, a Placemark per feature, typed data."""
    kml = ET.Element("kml", xmlns=KML_NS)
    document = ET.SubElement(kml, "Document")
    for i, (name, frame) in enumerate(_prepare(frames)):
        schema_id = f"layer{i}"
        columns, rows = _records(frame)
        schema = ET.Element("Schema", name=name, id=schema_id)
        document.insert(i, schema)  # Schemas precede the Folders
        for column, original in zip(columns, _columns(frame), strict=True):
            ET.SubElement(schema, "SimpleField", name=column, type=_kind(frame[original]))
        folder = ET.SubElement(document, "Folder")
        ET.SubElement(folder, "name").text = name
        for row, geom in zip(rows, frame.geometry.values, strict=True):
            record = dict(zip(columns, row, strict=True))
            placemark = ET.SubElement(folder, "Placemark")
            if record.get("name") is not None:
                ET.SubElement(placemark, "name").text = _text(record["name"])
            data = ET.SubElement(ET.SubElement(placemark, "ExtendedData"), "SchemaData",
                                 schemaUrl=f"#{schema_id}")
            for column, value in record.items():
                if value is not None:  # a null is an absent SimpleData
                    ET.SubElement(data, "SimpleData", name=column).text = _text(value, ("0", "1"))
            _kml_geometry(placemark, geom)
    tree = ET.ElementTree(kml)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


_WRITERS: dict[str, Callable[[Frames, Path], None]] = {
    ".geojson": write_geojson, ".json": write_geojson, ".gpkg": write_gpkg,
    ".csv": write_csv, ".kml": write_kml,
}


def _unsupported(suffix: str) -> ValueError:
    return ValueError(f"unsupported export format '{suffix}'; use .geojson, .gpkg, .csv or .kml")


def write_export(frames: Frames, path: str | Path) -> Path:
    """Write ``frames`` in the format of the extension (.geojson/.json, .gpkg, .csv, .kml).

    Parent folders are created; the file is written to a temporary name in the same folder
    and moved into place, so a reader never sees half a file. Returns ``path``.
    """
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise _unsupported(path.suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.tmp{path.suffix}")
    try:
        writer(frames, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def export_bytes(frames: Frames, fmt: str) -> bytes:
    """The bytes :func:`write_export` writes for ``fmt`` (geojson, gpkg, csv or kml)."""
    suffix = "." + fmt.lower().lstrip(".")
    if suffix[1:] not in FORMATS:
        raise _unsupported(suffix)
    with tempfile.TemporaryDirectory() as tmp:
        return write_export(frames, Path(tmp) / f"export{suffix}").read_bytes()


# --- readers -----------------------------------------------------------------------------

def _typed(texts: list[str | None], kind: str | None = None) -> pd.Series:
    """Text values (None = null) as a column of a KML type; ``kind=None`` infers it.

    Inference is strict so that codes keep their leading zeros: a column is int / float
    only if every value is written as Python writes numbers (``02677`` stays text).
    """
    present = [t for t in texts if t is not None]
    if kind is None:
        if present and all(t.lower() in ("true", "false") for t in present):
            kind = "bool"
        elif present and all(_INT.fullmatch(t) for t in present):
            kind = "int"
        elif present and all(_FLOAT.fullmatch(t) for t in present):
            kind = "double"
    if kind == "bool":
        return pd.Series([None if t is None else t.strip().lower() in ("true", "1")
                          for t in texts], dtype=None if None in texts else bool)
    if kind in _NUMBERS:
        return pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce")
    return pd.Series(texts)


def _frame(columns: dict[str, pd.Series], geoms: list[Any]) -> gpd.GeoDataFrame:
    """A WGS84 frame from columns indexed 0..n-1 and their geometries."""
    data = pd.DataFrame(columns, index=pd.RangeIndex(len(geoms)))
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=DISPLAY_CRS))


def _read_geojson(path: Path) -> dict[str, gpd.GeoDataFrame]:
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    features = data.get("features", []) if data.get("type") == "FeatureCollection" else [data]
    groups: dict[str, list[dict]] = {}
    for feature in features:
        props = feature.get("properties") or {}
        name = feature.get("layer") or props.get("kind") or "features"
        groups.setdefault(str(name), []).append(feature)
    out = {}
    for name, group in groups.items():
        records = pd.DataFrame([f.get("properties") or {} for f in group])
        geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in group]
        out[name] = _frame({c: records[c] for c in records.columns}, geoms)
    return out


def _read_csv(path: Path) -> dict[str, gpd.GeoDataFrame]:
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out = {}
    for name, part in table.groupby("layer", sort=False):
        columns = {}
        for column in part.columns:
            texts = [t if t != "" else None for t in part[column]]
            if column in CSV_FIELDS or all(t is None for t in texts):
                continue  # an all-empty column belongs to another layer
            values = _typed(texts)
            if all(isinstance(v, str) for v in values.dropna()):
                values = values.map(_undefuse, na_action="ignore")
            columns[column] = values
        out[str(name)] = _frame(columns, list(shapely.from_wkt([t or None for t in part["wkt"]])))
    return out


def _undefuse(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in (*_FORMULA, "'") else text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kml_coordinates(element: ET.Element) -> list[tuple[float, float]]:
    node = next(e for e in element.iter() if _local(e.tag) == "coordinates")
    return [tuple(float(v) for v in token.split(",")[:2]) for token in (node.text or "").split()]


def _kml_shape(element: ET.Element) -> Any:
    tag = _local(element.tag)
    if tag == "Point":
        return shapely.Point(_kml_coordinates(element)[0])
    if tag in ("LineString", "LinearRing"):
        return shapely.LineString(_kml_coordinates(element))
    if tag == "Polygon":
        rings = {"outerBoundaryIs": [], "innerBoundaryIs": []}
        for boundary in element:
            rings.get(_local(boundary.tag), []).append(_kml_coordinates(boundary))
        return shapely.Polygon(rings["outerBoundaryIs"][0], rings["innerBoundaryIs"])
    parts = [_kml_shape(e) for e in element if _local(e.tag) in _KML_GEOMETRIES]
    kinds = {p.geom_type for p in parts}
    multi = {"Point": shapely.MultiPoint, "LineString": shapely.MultiLineString,
             "Polygon": shapely.MultiPolygon}
    if len(kinds) == 1 and parts[0].geom_type in multi:
        return multi[parts[0].geom_type](parts)
    return shapely.GeometryCollection(parts)


def _read_kml(path: Path) -> dict[str, gpd.GeoDataFrame]:
    root = ET.parse(path).getroot()
    schemas = {"#" + (e.get("id") or ""): {f.get("name"): f.get("type", "string")
                                           for f in e if _local(f.tag) == "SimpleField"}
               for e in root.iter() if _local(e.tag) == "Schema"}
    containers = [e for e in root.iter() if _local(e.tag) in ("Document", "Folder")]
    out = {}
    for container in containers:
        placemarks = [e for e in container if _local(e.tag) == "Placemark"]
        name_el = next((e for e in container if _local(e.tag) == "name"), None)
        if _local(container.tag) == "Document":
            if not placemarks:
                continue
            name = "features"
        else:
            name = (name_el.text or "") if name_el is not None else f"folder{len(out) + 1}"
        records, types, geoms = [], {}, []
        for placemark in placemarks:
            record: dict[str, str] = {}
            for element in placemark.iter():
                tag = _local(element.tag)
                if tag == "SchemaData":
                    declared = schemas.get(element.get("schemaUrl") or "", {})
                    for field in element:
                        key = field.get("name")
                        record[key] = field.text or ""
                        types[key] = declared.get(key, "string")
                elif tag == "Data":
                    value = next((e for e in element if _local(e.tag) == "value"), None)
                    record[element.get("name")] = "" if value is None else value.text or ""
            records.append(record)
            shapes = [_kml_shape(e) for e in placemark if _local(e.tag) in _KML_GEOMETRIES]
            geoms.append(shapes[0] if shapes else None)
        keys = list(dict.fromkeys(k for r in records for k in r))
        out[name] = _frame({k: _typed([r.get(k) for r in records], types.get(k)) for k in keys},
                           geoms)
    return out


def _read_gpkg(path: Path) -> dict[str, gpd.GeoDataFrame]:
    out = {}
    for name, _ in pyogrio.list_layers(path):
        frame = gpd.read_file(path, layer=name).to_crs(DISPLAY_CRS)
        info = pyogrio.read_info(path, layer=name)
        for column, dtype in zip(info["fields"], info["dtypes"], strict=True):
            if dtype == "bool" and frame[column].dtype != bool:  # nulls make it float
                frame[column] = frame[column].map({1.0: True, 0.0: False}).astype(object)
        out[str(name)] = frame
    return out


_READERS: dict[str, Callable[[Path], dict[str, gpd.GeoDataFrame]]] = {
    ".geojson": _read_geojson, ".json": _read_geojson, ".gpkg": _read_gpkg,
    ".csv": _read_csv, ".kml": _read_kml,
}


def read_export(path: str | Path) -> dict[str, gpd.GeoDataFrame]:
    """Read an export back into WGS84 frames keyed by layer name (for tests and QA).

    GeoJSON: grouped by each Feature's ``"layer"`` member, else by its ``kind`` property, else
    one ``"features"`` frame. CSV: grouped by ``layer``, geometry from ``wkt``, empty cells
    null, columns empty on every row of a layer dropped, numbers and ``true``/``false``
    typed back when the whole column is written that way. GeoPackage: every layer. KML: every
    Folder (Placemarks directly in the Document form ``"features"``), attributes from
    SchemaData (typed by the Schema) or Data (inferred as in CSV).
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise _unsupported(path.suffix)
    return reader(path)
