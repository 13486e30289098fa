"""Import fibre maps (routes and nodes from one KML/KMZ, zipped Shapefile, GeoJSON or
GeoPackage).

Fibre
    Lines become ``fibre_routes``, points ``fibre_nodes`` (both saved together). The kind is
    read from a kind column, else the KML folder, else the name ("trục", "backbone", "liên
    huyện" → backbone; "nhánh", "truy nhập", "access" → access; "POP", "tổng đài" → pop;
    "xã" → commune; "thôn", "bản" → village); when nothing says, a route is assumed
    ``access`` and a node ``village`` (the modest choices), with a warning listing the rows.
    The operator comes from a column, else ``operator=`` (``--operator``). Ids come from an id
    column, else the name; repeated ones get ``-<row>`` appended (warned).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo.errors import DataError, RowList
from geo.import_common import (
    ImportReport,
    finish,
    geometry_to_wgs84,
    imported_frame,
    no_geometry,
    report_outside,
    table_rows,
)
from geo.readers import RawTable
from geo.text import fold

FIBRE_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("ma tuyen", "ma nut", "route id", "node id", "id", "ma", "ma so"),
    "name": ("name", "ten", "ten tuyen", "ten nut"),
    "operator": ("don vi quan ly", "don vi", "chu so huu", "operator", "owner", "nha mang",
                 "doanh nghiep", "so huu"),
    "kind": ("loai", "cap", "kind", "type", "loai tuyen", "loai nut", "phan loai", "cap tuyen"),
    "folder": ("folder", "layer", "lop"),
}
_ROUTE_WORDS = {
    "backbone": ("truc", "backbone", "lien tinh", "lien huyen", "trung ke", "core", "ring",
                 "vong ring"),
    "access": ("nhanh", "access", "truy nhap", "thue bao", "phan phoi", "drop", "ftth"),
}
_NODE_WORDS = {
    "pop": ("pop", "tong dai", "trung tam", "host", "olt", "core"),
    "commune": ("xa", "commune", "phuong", "thi tran"),
    "village": ("thon", "ban", "village", "to dan pho"),
}
_OPERATORS = {"vnpt": "VNPT", "viettel": "Viettel", "mobifone": "MobiFone", "fpt": "FPT Telecom",
              "cmc": "CMC Telecom", "evn": "EVNTelecom", "vtvcab": "VTVcab", "scts": "SCTV"}


def _kind(texts: list[str], words: dict[str, tuple[str, ...]]) -> str | None:
    for text in texts:
        key = f" {fold(text)} "
        for kind, options in words.items():
            if any(f" {w} " in key for w in options):
                return kind
    return None


def _operator(text: str) -> str:
    key = fold(text).replace(" ", "")
    for needle, name in _OPERATORS.items():
        if needle in key:
            return name
    return text.strip()


def import_fibre(raw: RawTable, report: ImportReport, operator: str | None = None) -> None:
    """Fill ``report`` with ``fibre_routes`` and ``fibre_nodes`` (see the module docstring)."""
    source = raw.file_name
    if raw.frame is None:
        raise DataError("a fibre map must be a KML/KMZ, zipped Shapefile, GeoJSON or "
                        "GeoPackage file.", source=source,
                        fix="export the routes from Google Earth or QGIS.", code="fibre_format")
    rows = table_rows(raw, FIBRE_ALIASES, report)
    geoms = geometry_to_wgs84(rows.geometry, report, source)
    text = {k: rows.text(k) for k in FIBRE_ALIASES}
    routes: dict[str, list] = {"route_id": [], "operator": [], "kind": []}
    nodes: dict[str, list] = {"node_id": [], "operator": [], "kind": []}
    r_geoms, r_index, n_geoms, n_index = [], [], [], []
    assumed_r, assumed_n = [], []
    for row in rows.frame.index:
        row = int(row)
        geom = geoms[row]
        if no_geometry(geom):
            report.problem(row, None, "no geometry.", "missing_value", column="geometry")
            continue
        geom = shapely.force_2d(geom)
        if geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        op = _operator(text["operator"][row]) if text["operator"][row] else (operator or "")
        if not op:
            report.problem(row, rows.columns.get("operator"),
                           "no operator (owner of the cable).", "missing_operator")
            continue
        hints = [text["kind"][row], text["folder"][row], text["name"][row]]
        ident = text["id"][row] or text["name"][row]
        if geom.geom_type in ("LineString", "MultiLineString"):
            kind = _kind(hints, _ROUTE_WORDS)
            if kind is None:
                kind = "access"
                assumed_r.append(row)
            routes["route_id"].append(ident or f"IMP-R{row:05d}")
            routes["operator"].append(op)
            routes["kind"].append(kind)
            r_geoms.append(geom)
            r_index.append(row)
        elif geom.geom_type == "Point":
            kind = _kind(hints, _NODE_WORDS)
            if kind is None:
                kind = "village"
                assumed_n.append(row)
            nodes["node_id"].append(ident or f"IMP-N{row:05d}")
            nodes["operator"].append(op)
            nodes["kind"].append(kind)
            n_geoms.append(geom)
            n_index.append(row)
        else:
            report.problem(row, None, f"geometry must be a line or a point, not "
                           f"{geom.geom_type}.", "geometry_type", found=geom.geom_type,
                           expected="LineString / Point")
    if assumed_r:
        report.warn("route row(s) {rows}: kind not stated, assumed access", "fibre_route_kind",
                    rows=RowList.of(assumed_r))
    if assumed_n:
        report.warn("node row(s) {rows}: kind not stated, assumed village", "fibre_node_kind",
                    rows=RowList.of(assumed_n))
    if not r_geoms and not n_geoms and not report.problems:
        raise DataError("the file holds no lines or points.", source=source,
                        code="no_features")
    for ids, index, name in ((routes["route_id"], r_index, "route_id"),
                             (nodes["node_id"], n_index, "node_id")):
        series = pd.Series(ids)
        dup = series.duplicated(keep=False).to_numpy()
        if dup.any():
            for i in dup.nonzero()[0]:
                ids[i] = f"{ids[i]}-{index[i]}"
            report.warn("repeated {column} made unique with the row number on row(s) {rows}",
                        "fibre_repeated_id", column=name,
                        rows=RowList.of(index[i] for i in dup.nonzero()[0]))
    all_geoms = gpd.GeoSeries([*r_geoms, *n_geoms], index=[*r_index, *n_index],
                              crs="EPSG:4326")
    if len(all_geoms):
        report_outside(report, all_geoms, None)
    report.rows_accepted = len(r_index) + len(n_index) if not report.problems else 0
    previews = []
    for layer, recs, gs, index in (("fibre_routes", routes, r_geoms, r_index),
                                   ("fibre_nodes", nodes, n_geoms, n_index)):
        if not gs:
            continue
        gdf = imported_frame(recs, gs, index)
        frame = pd.DataFrame(gdf.drop(columns="geometry")).assign(
            layer=layer, geometry=gdf.geometry.geom_type)
        previews.append(frame)
        finish(report, layer, gdf)
    if previews:
        preview = pd.concat(previews).sort_index()
        preview.insert(0, "row", preview.index)
        report.preview = preview.reset_index(drop=True)
