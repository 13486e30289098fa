"""A corpus of realistic files to import, built in a folder (``tmp_path``) from the bundled
illustrative layers (``data/sample``): an operator's BTS list in VN-2000 and Windows-1258, an
OpenCelliD extract, the support-point annex as Excel, a fibre KMZ, a zipped villages Shapefile
and a terrain tile. Used by the import, workspace and import-page tests.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo.crs import transform
from geo.settings import SETTINGS

SAMPLE = SETTINGS.paths.sample
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_bytes(text: str) -> bytes:
    """Encode as Windows-1258 the way Vietnamese Windows does: vowels with hats precomposed,
    tone marks as combining characters after them."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def sample_sites(n: int = 30) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "sites.csv", dtype={"tower_id": str}).head(n)


_OPERATOR_SPELLING = {"Viettel": "VIETTEL", "VinaPhone": "VNPT-Vinaphone", "MobiFone": "Mobifone",
                      "Vietnamobile": "Vietnamobile"}
_TECH_SPELLING = {"2G": "GSM", "3G": "3G", "4G": "LTE", "5G": "5G NR"}


def operator_list_cp1258(folder: Path, n: int = 30) -> tuple[Path, pd.DataFrame]:
    """An operator's BTS list: VN-2000 TM-3 metres (X = northing, decimal commas), Vietnamese
    headers with units, ';' separated, a title block, Windows-1258. Returns (path, sample)."""
    s = sample_sites(n)
    east, north = transform(s["lon"], s["lat"], "EPSG:4326", "EPSG:9208")
    table = pd.DataFrame({
        "STT": range(1, n + 1),
        "Mã trạm": s["tower_id"],
        "Nhà mạng": s["operator"].map(_OPERATOR_SPELLING),
        "Công nghệ": s["technology"].map(_TECH_SPELLING),
        "Băng tần (MHz)": s["band_mhz"].map(lambda v: f"{v:g}"),
        "Tọa độ X (VN-2000)": [f"{v:.2f}".replace(".", ",") for v in north],
        "Tọa độ Y (VN-2000)": [f"{v:.2f}".replace(".", ",") for v in east],
        "Độ cao anten (m)": s["height_m"].map(lambda v: f"{v:g}".replace(".", ",")),
        "Ghi chú": "Trạm thôn Nậm Chảy",
    })
    table.loc[3, "Độ cao anten (m)"] = ""
    text = ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH LÀO CAI\nDANH SÁCH TRẠM BTS\n\n"
            + table.to_csv(index=False, sep=";", lineterminator="\r\n"))
    path = folder / "danh_sach_BTS.csv"
    path.write_bytes(cp1258_bytes(text))
    return path, s


_MNC = {"Viettel": 4, "VinaPhone": 2, "MobiFone": 1, "Vietnamobile": 5}


def opencellid_csv(folder: Path, header: bool = True) -> tuple[Path, int, int]:
    """An OpenCelliD extract: 6 towers × (3 LTE cells + 1 GSM cell) a few metres apart, and 4
    rows to exclude. Returns (path, expected sites, expected exclusions)."""
    towers = sample_sites(200).drop_duplicates("tower_id").head(6)
    rng = np.random.default_rng(1)
    rows = []
    for _, tw in towers.iterrows():
        for radio, cells in (("LTE", 3), ("GSM", 1)):
            for k in range(cells):
                dlon, dlat = rng.normal(0, 0.00008, 2)  # ~10 m
                rows.append([radio, 452, _MNC[tw["operator"]], 10101, 5000 + len(rows) + k, 0,
                             round(tw["lon"] + dlon, 6), round(tw["lat"] + dlat, 6), 1000, 12,
                             1, 1500000000, 1700000000, 0])
    rows.append(["LTE", 310, 260, 1, 1, 0, 104.0, 22.4, 1000, 1, 1, 1, 1, 0])  # USA
    rows.append(["LTE", 452, 8, 1, 2, 0, 104.0, 22.4, 1000, 1, 1, 1, 1, 0])  # unknown MNC
    rows.append(["GSM", 452, 4, 1, 3, 0, 105.85, 21.03, 1000, 1, 1, 1, 1, 0])  # Hà Nội
    rows.append(["CDMA", 452, 4, 1, 4, 0, 104.0, 22.4, 1000, 1, 1, 1, 1, 0])
    cols = ["radio", "mcc", "net", "area", "cell", "unit", "lon", "lat", "range", "samples",
            "changeable", "created", "updated", "averageSignal"]
    frame = pd.DataFrame(rows, columns=cols)
    path = folder / "452.csv"
    frame.to_csv(path, index=False, header=header)
    return path, 12, 4


def annex_xlsx(folder: Path) -> Path:
    """The support-point annex as Excel: a title row, names with and without diacritics, a
    misspelt commune and an ambiguous one, no coordinates, a formula without cached value."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    sheet.append(["PHỤ LỤC: DANH SÁCH ĐIỂM HỖ TRỢ ĐỒNG BÀO DÂN TỘC THIỂU SỐ ỨNG DỤNG CNTT"])
    sheet.append([])
    sheet.append(["STT", "Huyện/Thị xã/Thành phố", "Xã/Phường/Thị trấn", "Thôn/Bản",
                  "Loại điểm"])
    sheet.append([1, "TP Lào Cai", "Xã Tả Phời", '="Thôn "&"X"', "Xã khu vực III"])
    sheet.append([2, "Bat Xat", "y ty", None, "xa"])
    sheet.append([3, "Huyện Bắc Hà", "Lung Phinh", "Thôn Sán Sả Hồ", "Thôn ĐBKK"])
    sheet.append([4, "TP Lào Cai", "Tả Phờ", None, "Xã KV III"])
    sheet.append([5, None, "Nam Chay", None, "xã"])
    sheet.append([6, "Mường Khương", "Nậm Chảy", None, "xã"])
    book.create_sheet("Ghi chú").append(["Nguồn: Quyết định 2541/QĐ-UBND"])
    path = folder / "phu_luc_2541.xlsx"
    book.save(path)
    return path


def _kml_line(coords: np.ndarray) -> str:
    return " ".join(f"{x:.6f},{y:.6f},0" for x, y in coords)


def fibre_kmz(folder: Path) -> Path:
    """A KMZ of fibre: folders of backbone and access routes (one MultiGeometry) and nodes,
    Vietnamese ExtendedData names."""
    routes = gpd.read_file(SAMPLE / "fibre_routes.geojson").head(4)
    lines = [np.asarray(g.coords) for g in routes.geometry]
    nodes = gpd.read_file(SAMPLE / "fibre_nodes.geojson").head(3)
    data = ('<ExtendedData><Data name="Đơn vị quản lý"><value>VNPT Lào Cai</value></Data>'
            "</ExtendedData>")

    def placemark(name: str, geometry: str) -> str:
        return f"<Placemark><name>{name}</name>{data}{geometry}</Placemark>"

    backbone = "".join(placemark(f"Trục {i + 1}", f"<LineString><coordinates>"
                                 f"{_kml_line(c)}</coordinates></LineString>")
                       for i, c in enumerate(lines[:2]))
    multi = ("<MultiGeometry>" + "".join(
        f"<LineString><coordinates>{_kml_line(c)}</coordinates></LineString>"
        for c in (lines[2][:2], lines[2][1:])) + "</MultiGeometry>")
    access = placemark("Nhánh 1", multi) + placemark(
        "Nhánh 2", f"<LineString><coordinates>{_kml_line(lines[3])}</coordinates></LineString>")
    names = ["POP Lào Cai", "Nút xã Tả Phời", "Nút thôn Séo Mý Tỷ"]
    points = "".join(placemark(n, f"<Point><coordinates>{g.x:.6f},{g.y:.6f}</coordinates>"
                                  "</Point>") for n, g in zip(names, nodes.geometry, strict=True))
    doc = ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
           "<Document><name>Cáp quang VNPT</name>"
           f"<Folder><name>Tuyến trục</name>{backbone}</Folder>"
           f"<Folder><name>Tuyến nhánh</name>{access}</Folder>"
           f"<Folder><name>Nút mạng</name>{points}</Folder></Document></kml>")
    path = folder / "cap_quang.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", doc.encode("utf-8"))
        zf.writestr("files/icon.png", b"\x89PNG\r\n")
    return path


def villages_shapefile_zip(folder: Path, prj: bool = True, n: int = 20
                           ) -> tuple[Path, gpd.GeoDataFrame]:
    """Villages as a zipped Shapefile in VN-2000 TM-3 metres, short DBF field names."""
    villages = gpd.read_file(SAMPLE / "villages.geojson").head(n)
    shp = gpd.GeoDataFrame({"Ma_thon": villages["village_id"], "Ten_thon": villages["name"],
                            "Dan_so": villages["population"].astype(int)},
                           geometry=villages.geometry, crs="EPSG:4326").to_crs("EPSG:9208")
    parts = folder / "shp"
    parts.mkdir(exist_ok=True)
    pyogrio.write_dataframe(shp, parts / "thon_ban.shp", encoding="UTF-8")
    path = folder / ("thon_ban.zip" if prj else "thon_ban_no_prj.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(parts.iterdir()):
            if part.suffix == ".prj" and not prj:
                continue
            zf.write(part, f"thon_ban/{part.name}")
    return path, villages


def dem_tif(folder: Path, bounds: tuple[float, float, float, float] = (104.0, 22.3, 104.2, 22.5)
            ) -> Path:
    """A tiny GeoTIFF terrain tile (EPSG:4326)."""
    import rasterio
    from rasterio.transform import from_bounds

    path = folder / "dem_laocai.tif"
    values = np.linspace(100, 2000, 400, dtype=np.float32).reshape(20, 20)
    with rasterio.open(path, "w", driver="GTiff", width=20, height=20, count=1,
                       dtype="float32", crs="EPSG:4326",
                       transform=from_bounds(*bounds, 20, 20)) as dst:
        dst.write(values, 1)
    return path


# --- field measurements (geo.import_measurements) ------------------------------------------
# Positions inside today's province: Lào Cai town, Sa Pa, Bắc Hà, Yên Bái town, Mù Cang Chải.
MEASURED_AT = ((103.9702, 22.4856), (103.8440, 22.3364), (104.2890, 22.5378),
               (104.8720, 21.7229), (104.0861, 21.8522))

# A G-NetTrack Pro log as the app exports it: tab-separated, the phone's local time
# (yyyy.MM.dd_HH.mm.ss), Operator = MCC+MNC, Level = RSRP / RSCP / RxLev by technology.
GNETTRACK_HEADER = ("Timestamp\tLongitude\tLatitude\tSpeed\tOperatorname\tOperator\tCGI\tCellname"
                    "\tNode\tCellID\tLAC\tNetworkTech\tNetworkMode\tLevel\tQual\tSNR\tCQI\tLTERSSI"
                    "\tARFCN\tDL_bitrate\tUL_bitrate\tPSC\tAltitude\tHeight\tAccuracy\tLocation"
                    "\tState")
GNETTRACK_ROWS = (
    # operator name, MCC+MNC, CGI, CellID, tech, mode, level
    ("Viettel", "45204", "452-04-20531-1181953", "1181953", "4G", "LTE", "-87"),
    ("VN VINAPHONE", "45202", "452-02-10211-34567", "34567", "3G", "HSPA+", "-95"),
    ("Mobifone", "45201", "452-01-3301-4411", "4411", "2G", "EDGE", "-79"),
    ("Vietnamobile", "45205", "452-05-601-2291", "2291", "4G", "LTE-A", "-104"),
    ("Viettel Telecom", "45204", "452-04-20531-7712001", "7712001", "5G", "NR-NSA", "-92"),
)


def gnettrack_log(folder: Path, rows: list[tuple] | None = None,
                  positions: list[tuple[float, float]] | None = None) -> Path:
    """A small G-NetTrack Pro log (.txt); ``rows``/``positions`` replace the good ones."""
    rows = list(GNETTRACK_ROWS if rows is None else rows)
    positions = list(MEASURED_AT if positions is None else positions)
    lines = [GNETTRACK_HEADER]
    for i, ((name, code, cgi, cid, tech, mode, level), (lon, lat)) in enumerate(
            zip(rows, positions, strict=True)):
        lines.append("\t".join([
            f"2025.06.30_08.{15 + i:02d}.00", "" if lon is None else f"{lon:.6f}",
            "" if lat is None else f"{lat:.6f}", "31", name, code, cgi, f"LC{i:03d}",
            cgi.rsplit("-", 1)[0][-5:], cid, "20531", tech, mode, level, "-11", "12", "9",
            "-61", "1650", "2300", "410", "", "98", "2", "5", "gps", "D"]))
    path = folder / "gnettrack_2025.06.30.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cellmapper_csv(folder: Path) -> Path:
    """A CellMapper CSV export (Latitude,Longitude,Altitude,MCC,MNC,LAC,Cell,Signal,Type,
    Subtype,ARFCN,PCI); no time."""
    rows = [("452", "4", "20531", "302474753", "-98", "LTE", "LTE", "1650", "211"),
            ("452", "2", "10211", "34567", "-88", "UMTS", "UMTS", "10612", "308"),
            ("452", "1", "3301", "4411", "-71", "GSM", "GSM", "62", "12"),
            ("452", "4", "20531", "5120000001", "-101", "NR", "NSA", "630000", "44")]
    lines = ["Latitude,Longitude,Altitude,MCC,MNC,LAC,Cell,Signal,Type,Subtype,ARFCN,PCI"]
    for (lon, lat), r in zip(MEASURED_AT, rows, strict=False):
        mcc, mnc, lac, cell, signal, typ, sub, arfcn, pci = r
        lines.append(",".join([f"{lat:.6f}", f"{lon:.6f}", "102", mcc, mnc, lac, cell, signal,
                               typ, sub, arfcn, pci]))
    path = folder / "cellmapper_export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def netmonster_csv(folder: Path) -> Path:
    """A NetMonster-style CSV (best effort: MCC, MNC, technology and one level column per
    technology; epoch-millisecond timestamps)."""
    lines = ["timestamp,latitude,longitude,technology,mcc,mnc,cid,tac,pci,arfcn,rsrp,rsrq,"
             "rscp,rssi,ss_rsrp"]
    rows = [("1751271300000", "LTE", "04", "1181953", "-91", "", "", ""),
            ("1751271360000", "WCDMA", "02", "34567", "", "-97", "", ""),
            ("1751271420000", "GSM", "01", "4411", "", "", "-83", ""),
            ("1751271480000", "NR", "04", "7712001", "-99", "", "", "-95")]
    for (lon, lat), (ts, tech, mnc, cid, rsrp, rscp, rssi, ss) in zip(MEASURED_AT, rows,
                                                                       strict=False):
        lines.append(",".join([ts, f"{lat:.6f}", f"{lon:.6f}", tech, "452", mnc, cid, "20531",
                               "211", "1650", rsrp, "-10", rscp, rssi, ss]))
    path = folder / "netmonster_cells.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


MEASUREMENT_TABLE = (
    # Nhà mạng, Công nghệ, Cường độ tín hiệu (dBm), Thời gian (local)
    ("Viettel", "4G", "-85,5", "30/06/2025 08:15:00"),
    ("Vinaphone", "3G", "-93", "30/06/2025 08:16:00"),
    ("MobiFone", "GSM", "-77", "30/06/2025 08:17:00"),
    ("Vietnamobile", "LTE", "-108", "30/06/2025 08:18:00"),
    ("VIETTEL", "5G NR", "-96", "2025-06-30T01:19:00Z"),
)


def measurement_table_cp1258(folder: Path, bom_utf8: bool = False,
                             rows: tuple = MEASUREMENT_TABLE,
                             positions: tuple = MEASURED_AT) -> Path:
    """A plain table with Vietnamese headers, ';' separated, decimal commas, a title line,
    Windows-1258 (or UTF-8 with a byte-order mark)."""
    lines = ["KẾT QUẢ ĐO KIỂM CHẤT LƯỢNG SÓNG DI ĐỘNG - TỈNH LÀO CAI",
             "STT;Kinh độ;Vĩ độ;Nhà mạng;Công nghệ;Cường độ tín hiệu (dBm);Thời gian;"
             "Tuyến đo"]
    for i, ((lon, lat), (op, tech, level, when)) in enumerate(zip(positions, rows,
                                                                  strict=True), start=1):
        lon_t = "" if lon is None else f"{lon:.6f}".replace(".", ",")
        lat_t = "" if lat is None else f"{lat:.6f}".replace(".", ",")
        lines.append(";".join([str(i), lon_t, lat_t, op, tech, level, when,
                               "Tuyến QL4D Sa Pa – Lào Cai"]))
    text = "\r\n".join(lines) + "\r\n"
    path = folder / ("do_song_utf8_bom.csv" if bom_utf8 else "do_song_cp1258.csv")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8") if bom_utf8 else cp1258_bytes(text))
    return path


def measurement_points(folder: Path, suffix: str = ".geojson") -> Path:
    """Points with English attribute names, in a GeoJSON or a GeoPackage."""
    gdf = gpd.GeoDataFrame(
        {"operator": ["Viettel", "VinaPhone", "MobiFone"], "technology": ["4G", "3G", "2G"],
         "rsrp": ["-90", "", ""], "rscp": ["", "-94", ""], "rxlev": ["", "", "-80"],
         "time": ["2025-06-30T08:15:00+07:00", "2025-06-30T08:16:00+07:00", ""],
         "cell_id": ["1181953", "34567", "4411"]},
        geometry=gpd.points_from_xy([p[0] for p in MEASURED_AT[:3]],
                                    [p[1] for p in MEASURED_AT[:3]]), crs="EPSG:4326")
    path = folder / f"measurements{suffix}"
    pyogrio.write_dataframe(gdf, path, driver="GPKG" if suffix == ".gpkg" else "GeoJSON",
                            layer="measurements")
    return path
