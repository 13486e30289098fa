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
