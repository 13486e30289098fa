"""Exports: RFC 7946 GeoJSON, CSV for Excel, GeoPackage and KML, and their round trips."""

from __future__ import annotations

import json
import math
import re
import unicodedata
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LinearRing, MultiLineString, Point, Polygon, shape

from geo.errors import DataError
from geo.export import export_bytes, read_export, to_feature_collection, write_export

METRIC = "EPSG:9208"  # VN-2000 / TM-3 104-45
X0, Y0 = 424_000.0, 2_489_000.0  # Lào Cai city, metres
XSS = "<img src=x onerror=alert(1)>"
FORMATS = ("geojson", "gpkg", "csv", "kml")


def _square(x: float, y: float, half: float) -> list[tuple[float, float]]:
    """A clockwise square (the wrong winding for RFC 7946, on purpose)."""
    return [(x - half, y - half), (x - half, y + half), (x + half, y + half),
            (x + half, y - half)]


@pytest.fixture
def frames() -> dict[str, gpd.GeoDataFrame]:
    support = gpd.GeoDataFrame(
        {
            "kind": ["support_point", "support_point"],
            "name": ["Điểm hỗ trợ xã Tả Phời", XSS],
            "commune_code_2025": ["02680", "02839"],
            "commune_name_2025": ["Xã Hợp Thành", "Xã Bắc Hà"],
            "best_technology": ["4G", "3G"],
            "best_signal_dbm": [-87.25, np.nan],
            "servers": [3, 0],
            "reason": ["đã phủ sóng", None],
            "fibre_distance_m": [412.5, 3250.0],
            "source": ["illustrative", "illustrative"],
            "has_fibre": [True, False],
        },
        geometry=[Point(X0, Y0), Point(X0 + 1_234.5, Y0 - 2_345.6)],
        crs=METRIC,
    )
    village = gpd.GeoDataFrame(
        {
            "kind": ["village"],
            "name": ["Thôn Cốc San"],
            "commune_code_2025": ["02746"],
            "commune_name_2025": ["Xã Cốc San"],
            "population": [1_520],
            "source": ["illustrative"],
            "has_fibre": [False],
        },
        geometry=[Point(103.9391, 22.4567)],
        crs="EPSG:4326",
    )
    outer = _square(X0 + 5_000, Y0 + 5_000, 1_500)
    gaps = gpd.GeoDataFrame(
        {
            "kind": ["gap_area", "gap_area"],
            "name": ["Vùng lõm 1", "Vùng lõm 2"],
            "commune_code_2025": ["02680", "02746"],
            "commune_name_2025": ["Xã Hợp Thành", "Xã Cốc San"],
            "best_technology": ["2G", None],
            "best_signal_dbm": [-101.5, -120.0],
            "servers": [1, 0],
            "reason": ["địa hình che khuất", "xa trạm"],
            "fibre_distance_m": [1_800.0, 7_450.25],
            "source": ["illustrative", "illustrative"],
            "has_fibre": [False, True],
        },
        geometry=[
            Polygon(_square(X0 - 6_000, Y0 - 3_000, 800)),
            Polygon(outer, [_square(X0 + 5_000, Y0 + 5_000, 400)[::-1]]),
        ],
        crs=METRIC,
    )
    routes = gpd.GeoDataFrame(
        {"kind": ["access"], "name": ["Tuyến cáp quang"], "length_m": [8_500.0]},
        geometry=[MultiLineString([[(X0, Y0), (X0 + 3_000, Y0 + 1_000)],
                                   [(X0 + 3_000, Y0 + 1_000), (X0 + 4_000, Y0 + 4_000)]])],
        crs=METRIC,
    )
    return {"support_points": support, "villages": village, "gap_areas": gaps,
            "fibre_routes": routes}


def _coordinates(geometry: dict) -> list[list[float]]:
    """Every position of a GeoJSON geometry."""
    def walk(value):
        if isinstance(value[0], float | int):
            yield value
        else:
            for item in value:
                yield from walk(item)
    return list(walk(geometry["coordinates"]))


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _same(expected, actual) -> bool:
    """Equal value and type: bool, int, float (1e-6), text (NFC) or both null."""
    if _missing(expected) or _missing(actual):
        return _missing(expected) and _missing(actual)
    if isinstance(expected, bool | np.bool_):
        return isinstance(actual, bool | np.bool_) and bool(actual) == bool(expected)
    if isinstance(expected, int | np.integer):
        return (isinstance(actual, int | np.integer) and not isinstance(actual, bool | np.bool_)
                and int(actual) == int(expected))
    if isinstance(expected, float | np.floating):
        return isinstance(actual, float | np.floating) and abs(actual - expected) <= 1e-6
    return (isinstance(actual, str) and actual == expected
            and unicodedata.is_normalized("NFC", actual))


def test_geojson_is_rfc7946(frames, tmp_path):
    path = write_export(frames, tmp_path / "x.geojson")
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)

    assert "crs" not in data and data["type"] == "FeatureCollection"
    assert len(data["features"]) == 6
    for feature in data["features"]:
        assert "crs" not in feature
        for lon, lat in _coordinates(feature["geometry"]):
            assert round(lon, 6) == lon and round(lat, 6) == lat
            assert 103 < lon < 105 and 21 < lat < 23
        if feature["geometry"]["type"] == "Polygon":
            exterior, *holes = feature["geometry"]["coordinates"]
            assert LinearRing(exterior).is_ccw
            assert holes == [] or not any(LinearRing(h).is_ccw for h in holes)
    assert "Điểm hỗ trợ xã Tả Phời" in text and "\\u" not in text
    assert "NaN" not in text

    first, second = (f["properties"] for f in data["features"][:2])
    assert data["features"][0]["layer"] == "support_points"
    assert second["best_signal_dbm"] is None and second["reason"] is None
    assert first["has_fibre"] is True and type(first["servers"]) is int
    assert first["commune_code_2025"] == "02680"


def test_feature_collection_skips_empty_frames_and_keeps_input(frames):
    empty = frames["villages"].iloc[:0]
    collection = to_feature_collection({"empty": empty, "villages": frames["villages"]})
    assert [f["layer"] for f in collection["features"]] == ["villages"]
    assert frames["support_points"].crs == METRIC  # the input is not reprojected in place


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(frames, tmp_path, fmt):
    back = read_export(write_export(frames, tmp_path / f"x.{fmt}"))

    assert list(back) == list(frames)
    for name, frame in frames.items():
        got = back[name]
        assert len(got) == len(frame), name
        assert set(got.columns) - {got.geometry.name} == set(frame.columns) - {"geometry"}
        for column in frame.columns.drop("geometry"):
            for expected, actual in zip(frame[column], got[column], strict=True):
                assert _same(expected, actual), (fmt, name, column, expected, actual)
        expected = shapely.normalize(np.asarray(frame.to_crs("EPSG:4326").geometry.values))
        actual = shapely.normalize(np.asarray(got.geometry.values))
        assert shapely.equals_exact(expected, actual, tolerance=1e-6).all(), (fmt, name)


def test_csv_has_bom_and_columns(frames, tmp_path):
    raw = write_export(frames, tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[0] == "layer" and header[-3:] == ["lon", "lat", "wkt"]
    assert "population" in header and "length_m" in header  # union of the frames' columns
    assert "Điểm hỗ trợ xã Tả Phời" in raw.decode("utf-8-sig")


def test_csv_defuses_excel_formulas(tmp_path):
    texts = ["=HYPERLINK(\"http://x\")", "'quoted", "-5", "@SUM(A1)", "plain"]
    frame = gpd.GeoDataFrame({"name": texts}, geometry=[Point(104, 22)] * 5, crs="EPSG:4326")
    path = write_export({"points": frame}, tmp_path / "x.csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and ",'-5," in text
    assert list(read_export(path)["points"]["name"]) == texts


def test_kml_is_xml_and_escapes_text(frames, tmp_path):
    raw = write_export(frames, tmp_path / "x.kml").read_bytes()
    root = ET.fromstring(raw)
    assert root.tag == "{http://www.opengis.net/kml/2.2}kml"
    assert b"&lt;img src=x onerror=alert(1)&gt;" in raw and b"<img" not in raw
    assert "Điểm hỗ trợ xã Tả Phời".encode() in raw
    assert re.search(rb"<outerBoundaryIs>", raw) and re.search(rb"<innerBoundaryIs>", raw)


def test_unsupported_format(frames, tmp_path):
    message = "unsupported export format '.xyz'; use .geojson, .gpkg, .csv or .kml"
    with pytest.raises(ValueError, match=re.escape(message)):
        write_export(frames, tmp_path / "x.xyz")
    with pytest.raises(ValueError, match=re.escape(message)):
        export_bytes(frames, "xyz")
    assert not (tmp_path / "x.xyz").exists()


def test_export_bytes_equals_file(frames, tmp_path):
    path = write_export(frames, tmp_path / "x.geojson")
    assert export_bytes(frames, "geojson") == path.read_bytes()
    for fmt in FORMATS:
        assert export_bytes(frames, fmt)


def test_frame_without_crs_is_refused(frames, tmp_path):
    bare = frames["villages"].set_crs(None, allow_override=True)
    with pytest.raises(DataError, match="no CRS"):
        write_export({"villages": bare}, tmp_path / "x.geojson")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv", "kml"])
def test_overwrite_replaces_file_without_leftovers(frames, tmp_path, fmt):
    target = tmp_path / "out" / "sub" / f"x.{fmt}"
    write_export(frames, target)
    write_export({"villages": frames["villages"]}, target)

    assert list(read_export(target)) == ["villages"]
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_geojson_groups_by_kind_without_layer_member(tmp_path):
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [104.0, 22.0]},
         "properties": {"kind": "village", "name": "Bản A"}},
        {"type": "Feature", "geometry": None, "properties": {"name": "Bản B"}},
    ]}
    path = tmp_path / "foreign.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    back = read_export(path)
    assert list(back) == ["village", "features"]
    assert shape(collection["features"][0]["geometry"]).equals(back["village"].geometry.iloc[0])
