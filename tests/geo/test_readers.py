"""Unit tests of the readers and the mapping helpers: encodings, delimiters, numbers, headers,
archives and KML safety."""

from __future__ import annotations

import gzip
import stat
import zipfile

import numpy as np
import pytest

from geo.errors import DataError
from geo.import_common import header_key, parse_coordinate, parse_number
from geo.import_sites import normalise_operator, normalise_technologies
from geo.importers import import_file
from geo.kml import parse_kml
from geo.readers import cell_text, parse_csv_text, read_source
from geo.safe_files import check_zip, decode_text
from tests.corpus import cp1258_bytes, opencellid_csv

TEXT = "Mã trạm,Vĩ độ,Kinh độ,Nhà mạng\nLCI-001,22.4856,103.9707,Viettel\n"


@pytest.mark.parametrize(("data", "label"), [
    (TEXT.encode("utf-8"), "UTF-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 (BOM)"),
    (TEXT.encode("utf-16"), "UTF-16 (BOM)"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "UTF-16 (BOM)"),
    (cp1258_bytes(TEXT), "Windows-1258"),
])
def test_encodings_detected_and_text_nfc(data, label):
    text, used = decode_text(data, "x.csv")
    assert used == label
    assert text == TEXT


def test_cp1258_really_decomposes_tones():
    data = cp1258_bytes("Vĩ độ")
    assert len(data) == 7  # V, i + tilde, space, đ, ô + dot below
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


@pytest.mark.parametrize(("data", "message"), [
    (b"\x00\x01\x02PK" * 50, "binary"),
    (b"a,b\n\x81\x8d,1\n", "unknown text encoding"),
    (b"\xff\xfe" + "abc".encode("utf-16-le")[:-1], "damaged"),
])
def test_bad_text_refused(data, message):
    with pytest.raises(DataError, match=message):
        decode_text(data, "x.csv")


@pytest.mark.parametrize(("text", "delim_cells"), [
    ("a,b,c\n1.5,2,3\n4,5,6\n", ["1.5", "2", "3"]),
    ("TITLE\n\na;b;c\n1,5;2;3\n4;5;6\n", ["1,5", "2", "3"]),
    ("a\tb\tc\n1,5\t2\t3\n", ["1,5", "2", "3"]),
])
def test_delimiters(text, delim_cells):
    cells, _lengths, truncated = parse_csv_text(text, "x.csv")
    assert delim_cells in cells.values.tolist()
    assert not truncated


def test_truncated_and_malformed_csv():
    _cells, lengths, truncated = parse_csv_text("a,b,c\n1,2,3\n4,5", "x.csv")
    assert truncated and list(lengths) == [3, 3, 2]
    with pytest.raises(DataError, match="malformed or cut short"):
        parse_csv_text('a,b\n1,"unterminated\n', "x.csv")


@pytest.mark.parametrize(("text", "value"), [
    ("22.5", 22.5), ("22,5", 22.5), ("2.489.123,45", 2489123.45), ("2,489,123.45", 2489123.45),
    ("35 m", 35.0), ("1800MHz", 1800.0), (" 60 dBm", 60.0), ("", None), ("-12", -12.0),
])
def test_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1..2x", "nan", "inf"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_coordinates_in_degrees_minutes_seconds():
    assert parse_coordinate("22°30'00\"N") == pytest.approx(22.5)
    assert parse_coordinate("104° 01' 30\" E") == pytest.approx(104.025)
    assert parse_coordinate("22°30.5'") == pytest.approx(22 + 30.5 / 60)
    assert parse_coordinate("22,4856") == pytest.approx(22.4856)


@pytest.mark.parametrize(("header", "key"), [
    ("Độ cao anten (m)", "do cao anten"), ("Vĩ độ", "vi do"), ("Toạ độ X (VN-2000)", "toa do x"),
    ("Băng tần [MHz]", "bang tan"), ("site_id", "site id"), ("KINH ĐỘ", "kinh do"),
])
def test_header_keys(header, key):
    assert header_key(header) == key


@pytest.mark.parametrize(("text", "name"), [
    ("VIETTEL", "Viettel"), ("Viettel Lào Cai", "Viettel"), ("VNPT-Vinaphone", "VinaPhone"),
    ("vnpt", "VinaPhone"), ("Mobifone", "MobiFone"), ("MBF", "MobiFone"),
    ("Vietnamobile", "Vietnamobile"), ("Gtel Mobile", "Gmobile"), ("Itelecom", None), ("", None),
])
def test_operator_names(text, name):
    assert normalise_operator(text) == name


@pytest.mark.parametrize(("text", "techs"), [
    ("LTE", ["4G"]), ("2G/3G/4G", ["2G", "3G", "4G"]), ("GSM, WCDMA", ["2G", "3G"]),
    ("5G NR", ["5G"]), ("4G và 5G", ["4G", "5G"]), ("wifi", None), ("", None),
])
def test_technologies(text, techs):
    assert normalise_technologies(text) == techs


def test_excel_cells_as_text():
    import datetime as dt

    assert cell_text(2635.0) == "2635"
    assert cell_text(22.4856) == "22.4856"
    assert cell_text(None) == ""
    assert cell_text(dt.date(2023, 10, 18)) == "2023-10-18"
    assert cell_text("Xa\u0303") == "Xã"


def test_symlink_and_encrypted_members_refused(tmp_path):
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(DataError, match="symbolic link"):
        check_zip(path)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("doc.kml", "<kml/>")
    data = bytearray(path.read_bytes())  # set the "encrypted" flag (zipfile cannot write it)
    data[data.find(b"PK\x03\x04") + 6] |= 0x1
    data[data.find(b"PK\x01\x02") + 8] |= 0x1
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match="password-protected"):
        check_zip(path)


def test_gzipped_opencellid(tmp_path):
    path, sites, _ = opencellid_csv(tmp_path)
    gz = tmp_path / "452.csv.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    report = import_file("sites", gz)
    assert report.ok and len(report.gdf) == sites


def test_gzip_bomb_refused(tmp_path):
    gz = tmp_path / "452.csv.gz"
    gz.write_bytes(gzip.compress(bytes(24 << 20), compresslevel=9))
    with pytest.raises(DataError, match="zip bomb"):
        read_source(gz)


def test_unsupported_and_renamed_files(tmp_path):
    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"PK\x03\x04")
    with pytest.raises(DataError, match="unsupported file type"):
        read_source(doc)
    fake = tmp_path / "thon.gpkg"
    fake.write_text("name,lon,lat\n")
    with pytest.raises(DataError, match="not a valid GeoPackage"):
        read_source(fake)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataError, match="empty"):
        read_source(empty)


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Schema name="s"><SimpleField name="Cấp" type="string"/></Schema>
<Folder><name>Cáp</name><Folder><name>Trục</name>
<Placemark><name>A</name><ExtendedData><SchemaData schemaUrl="#s">
<SimpleData name="Cấp">trục chính</SimpleData></SchemaData></ExtendedData>
<LineString><coordinates>104.0,22.4,10 104.1,22.5,12</coordinates></LineString></Placemark>
</Folder></Folder>
<Placemark><name>B</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
104,22 104.1,22 104.1,22.1 104,22</coordinates></LinearRing></outerBoundaryIs></Polygon>
</Placemark></Document></kml>"""


def test_kml_folders_simpledata_geometries():
    gdf = parse_kml(KML.encode("utf-8"), "x.kml")
    assert list(gdf["name"]) == ["A", "B"]
    assert gdf.loc[0, "folder"] == "Cáp/Trục"
    assert gdf.loc[0, "Cấp"] == "trục chính"
    assert gdf.geom_type.tolist() == ["LineString", "Polygon"]
    np.testing.assert_allclose(gdf.geometry[0].coords[1], (104.1, 22.5))


def test_kml_entities_refused_in_any_encoding():
    evil = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' \
           "<kml><Placemark><name>&e;</name></Placemark></kml>"
    for data in (evil.encode("utf-8"), evil.encode("utf-16")):
        with pytest.raises(DataError, match="DTD or entities"):
            parse_kml(data, "x.kml")
    with pytest.raises(DataError, match="malformed or cut short"):
        parse_kml(KML.encode("utf-8")[:300], "x.kml")


def test_polygon_in_fibre_map_is_a_row_problem(tmp_path):
    path = tmp_path / "cap.kml"
    path.write_text(KML, encoding="utf-8")
    report = import_file("fibre", path, operator="Viettel")
    assert [(p.row, p.code) for p in report.problems] == [(2, "geometry_type")]
