"""Parse KML (the document inside a KMZ, or a .kml file) with ``xml.etree``, safely.

Why not GDAL's driver: this GDAL (``pyogrio.list_drivers()`` has LIBKML and KML) reads the
file, but LIBKML turns Vietnamese ``ExtendedData`` field names into underscores ("Đơn vị" →
``____n_v___``), which loses the very columns a fibre list is described by. This parser keeps
them, and is small: every ``Placemark`` becomes one row with its ``name``, ``description``,
the path of the ``Folder`` names it sits in (``folder``), its ``ExtendedData`` (``Data`` /
``SimpleData``) and its geometry (Point, LineString, Polygon, MultiGeometry; altitude dropped).

Safety: a document with a DTD or an entity declaration is refused before parsing (KML never
needs one), so no external or recursive entity is ever expanded; nothing is fetched (network
links are not followed).
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

import geopandas as gpd
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.errors import DataError

_FORBIDDEN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _ascii_view(data: bytes) -> bytes:
    """The document's bytes with UTF-16/32 text narrowed to one byte per character, so a
    declaration is found whatever the encoding."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").encode("utf-8", errors="replace")
    return data.replace(b"\x00", b"")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in elem if _local(c.tag) == name), None)


def _text(elem: ET.Element | None) -> str | None:
    if elem is None or elem.text is None:
        return None
    value = unicodedata.normalize("NFC", elem.text).strip()
    return value or None


def _coords(elem: ET.Element, source: str) -> list[tuple[float, float]]:
    node = next((c for c in elem.iter() if _local(c.tag) == "coordinates"), None)
    if node is None or not node.text:
        return []
    out = []
    for token in node.text.split():
        parts = token.split(",")
        try:
            out.append((float(parts[0]), float(parts[1])))
        except (ValueError, IndexError) as exc:
            raise DataError(f"bad KML coordinate {token!r}.", source=source,
                            fix="export the file again from Google Earth or QGIS.") from exc
    return out


def _geometry(elem: ET.Element, source: str) -> BaseGeometry | None:
    kind = _local(elem.tag)
    if kind == "Point":
        pts = _coords(elem, source)
        return Point(pts[0]) if pts else None
    if kind in ("LineString", "LinearRing"):
        pts = _coords(elem, source)
        return LineString(pts) if len(pts) >= 2 else None
    if kind == "Polygon":
        outer = next((c for c in elem.iter() if _local(c.tag) == "outerBoundaryIs"), None)
        pts = _coords(outer, source) if outer is not None else []
        return Polygon(pts) if len(pts) >= 4 else None
    if kind == "MultiGeometry":
        parts = [g for g in (_geometry(c, source) for c in elem) if g is not None]
        if not parts:
            return None
        if all(p.geom_type == "LineString" for p in parts):
            return shapely.MultiLineString(parts)
        if len(parts) == 1:
            return parts[0]
        return shapely.GeometryCollection(parts)
    return None


def _placemark(pm: ET.Element, folders: list[str], source: str) -> dict[str, object]:
    row: dict[str, object] = {
        "name": _text(_child(pm, "name")),
        "description": _text(_child(pm, "description")),
        "folder": "/".join(folders) or None,
    }
    extended = _child(pm, "ExtendedData")
    if extended is not None:
        for item in extended.iter():
            tag = _local(item.tag)
            key = item.get("name")
            if not key:
                continue
            key = unicodedata.normalize("NFC", key).strip()
            if tag == "Data":
                row.setdefault(key, _text(_child(item, "value")))
            elif tag == "SimpleData":
                row.setdefault(key, _text(item))
    geom = None
    for child in pm:
        if _local(child.tag) in ("Point", "LineString", "LinearRing", "Polygon",
                                 "MultiGeometry"):
            geom = _geometry(child, source)
            break
    row["geometry"] = geom
    return row


def _walk(elem: ET.Element, folders: list[str], rows: list[dict[str, object]],
          source: str) -> None:
    for child in elem:
        tag = _local(child.tag)
        if tag == "Placemark":
            rows.append(_placemark(child, folders, source))
        elif tag in ("Folder", "Document"):
            name = _text(_child(child, "name"))
            inner = [*folders, name] if tag == "Folder" and name else folders
            _walk(child, inner, rows, source)


def parse_kml(data: bytes, source: str) -> gpd.GeoDataFrame:
    """Placemarks of a KML document as a GeoDataFrame in EPSG:4326 (one row each).

    Raises :class:`DataError` for a DTD/entity declaration, malformed or cut-short XML, and a
    document without placemarks.
    """
    if _FORBIDDEN.search(_ascii_view(data)):
        raise DataError("refused: the KML declares a DTD or entities.", source=source,
                        fix="export the file again from Google Earth or QGIS.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise DataError(f"the KML is malformed or cut short ({exc}).", source=source,
                        fix="export the file again from Google Earth or QGIS.") from exc
    rows: list[dict[str, object]] = []
    if _local(root.tag) == "Placemark":
        rows.append(_placemark(root, [], source))
    else:
        _walk(root, [], rows, source)
    if not rows:
        raise DataError("the KML holds no placemarks.", source=source)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
