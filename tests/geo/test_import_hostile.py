"""Broken and hostile files: each is refused with its own message, through the command line,
and the workspace stays byte-for-byte as it was."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point

import geo.safe_files as safe_files
from geo.__main__ import main
from geo.importers import import_file
from geo.settings import SETTINGS
from geo.workspace import Workspace
from tests.corpus import (
    annex_xlsx,
    dem_tif,
    fibre_kmz,
    operator_list_cp1258,
    sample_sites,
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """A workspace holding one good import (sites_v1)."""
    folder = tmp_path_factory.mktemp("baseline")
    path, _ = operator_list_cp1258(folder, n=10)
    ws = Workspace(folder / "workspace.gpkg")
    ws.save(import_file("sites", path))
    return ws.path


@pytest.fixture()
def workspace(baseline, tmp_path, monkeypatch) -> Path:
    target = tmp_path / "ws" / "workspace.gpkg"
    target.parent.mkdir()
    shutil.copyfile(baseline, target)
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(target))
    return target


def sites_csv(folder: Path, rows: list[dict[str, object]], name: str = "bts.csv") -> Path:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(str(r[h]) for h in header) for r in rows]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def good_rows(n: int = 6) -> list[dict[str, object]]:
    s = sample_sites(n)
    return [{"site_id": r.site_id, "operator": r.operator, "technology": r.technology,
             "lon": r.lon, "lat": r.lat} for r in s.itertuples()]


# --- builders of bad files -----------------------------------------------------------------


def truncated_csv(folder: Path) -> Path:
    path = sites_csv(folder, good_rows(8))
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.8)].rsplit(b",", 1)[0])
    return path


def truncated_xlsx(folder: Path) -> Path:
    path = annex_xlsx(folder)
    path.write_bytes(path.read_bytes()[:3000])
    return path


def truncated_kmz(folder: Path) -> Path:
    path = fibre_kmz(folder)
    path.write_bytes(path.read_bytes()[:-60])
    return path


def binary_csv(folder: Path) -> Path:
    path = folder / "tram.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return path


def wrong_encoding_csv(folder: Path) -> Path:
    path = folder / "tram.csv"  # 0x81 and 0x8A are undefined in Windows-1258 (and not UTF-8)
    path.write_bytes(b"site_id,operator\nA\x81\x8a,Viettel\n")
    return path


def one_row_swapped(folder: Path) -> Path:
    rows = good_rows(8)
    rows[4]["lon"], rows[4]["lat"] = rows[4]["lat"], rows[4]["lon"]
    return sites_csv(folder, rows)


def duplicate_ids(folder: Path) -> Path:
    rows = good_rows(6)
    rows.append(dict(rows[2]))
    return sites_csv(folder, rows)


def outside_rows(folder: Path) -> Path:
    rows = good_rows(6)
    rows[1].update(lon=105.8542, lat=21.0285)  # Hà Nội
    rows[5].update(lon=103.20, lat=22.60)  # Lai Châu, beyond the margin
    return sites_csv(folder, rows)


def unknown_coordinates(folder: Path) -> Path:
    rows = good_rows(4)
    for r in rows:
        r.update(lon=2.35, lat=48.85)  # Paris
    return sites_csv(folder, rows)


def traversal_zip(folder: Path) -> Path:
    path = folder / "cap_quang.kmz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("doc.kml", "<kml/>")
        zf.writestr("../../evil.sh", "rm -rf ~")
    return path


def absolute_zip(folder: Path) -> Path:
    path = folder / "thon_ban.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("/etc/cron.d/x.shp", "x")
    return path


def symlink_zip(folder: Path) -> Path:
    path = folder / "thon_ban.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("thon_ban.shp")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    return path


def zip_bomb(folder: Path) -> Path:
    """24 MB of zeros in a ~25 kB KMZ: 1000:1."""
    path = folder / "bomb.kmz"
    block = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("doc.kml", "<kml/>")
        with zf.open("files/padding.bin", "w") as fh:
            for _ in range(24):
                fh.write(block)
    assert path.stat().st_size < 100_000
    return path


def forged_size_zip(folder: Path) -> Path:
    """A tiny archive whose header claims 3 GB (the sizes are patched in place)."""
    path = folder / "forged.kmz"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("doc.kml", b"<kml/>")
    data = bytearray(buf.getvalue())
    claimed = (3_000_000_000).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    data[local + 22: local + 26] = claimed
    central = data.find(b"PK\x01\x02")
    data[central + 24: central + 28] = claimed
    path.write_bytes(bytes(data))
    return path


def entity_kml(folder: Path) -> Path:
    path = folder / "lol.kml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    "<kml><Placemark><name>&b;</name></Placemark></kml>")
    return path


def old_xls(folder: Path) -> Path:
    path = folder / "phu_luc.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    return path


def two_layer_gpkg(folder: Path) -> Path:
    path = folder / "thon.gpkg"
    gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(104.0, 22.4)], crs="EPSG:4326")
    pyogrio.write_dataframe(gdf, path, layer="thon_2023")
    pyogrio.write_dataframe(gdf, path, layer="thon_2024")
    return path


def misspelt_annex(folder: Path) -> Path:
    return annex_xlsx(folder)


def dem_elsewhere(folder: Path) -> Path:
    return dem_tif(folder, bounds=(2.0, 48.0, 2.2, 48.2))


CASES: list[tuple[str, str, Callable[[Path], Path], str]] = [
    ("truncated_csv", "sites", truncated_csv, "cut short (truncated)"),
    ("truncated_xlsx", "points", truncated_xlsx, "damaged or incomplete"),
    ("truncated_kmz", "fibre", truncated_kmz, "damaged or incomplete"),
    ("binary", "sites", binary_csv, "binary, not text"),
    ("wrong_encoding", "sites", wrong_encoding_csv, "unknown text encoding"),
    ("one_row_swapped", "sites", one_row_swapped, "bts.csv:5:lon/lat: outside Lào Cai"),
    ("duplicate_ids", "sites", duplicate_ids, "duplicate site id"),
    ("outside", "sites", outside_rows, "bts.csv:2:lon/lat: outside Lào Cai"),
    ("unknown_coordinates", "sites", unknown_coordinates, "coordinates not recognised"),
    ("traversal_zip", "fibre", traversal_zip, "'../../evil.sh' points outside the archive"),
    ("absolute_zip", "villages", absolute_zip, "points outside the archive"),
    ("symlink_zip", "villages", symlink_zip, "is a symbolic link"),
    ("zip_bomb", "fibre", zip_bomb, "possible zip bomb"),
    ("forged_size_zip", "fibre", forged_size_zip, "more than the 1,000 MB limit"),
    ("entity_kml", "fibre", entity_kml, "declares a DTD or entities"),
    ("old_xls", "points", old_xls, "old Excel format"),
    ("two_layer_gpkg", "villages", two_layer_gpkg, "holds 2 layers: thon_2023, thon_2024"),
    ("misspelt_annex", "points", misspelt_annex, "commune 'Tả Phờ' not found"),
    ("dem_elsewhere", "dem", dem_elsewhere, "does not cover Lào Cai"),
]


@pytest.mark.parametrize(("kind", "build", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_file_refused_and_workspace_unchanged(workspace, tmp_path, capsys, kind, build,
                                                  expected):
    before = sha(workspace)
    versions = Workspace().list_versions()
    path = build(tmp_path)
    code = main(["import", kind, str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert path.name in err
    assert sha(workspace) == before
    assert Workspace().list_versions() == versions
    assert not Path(str(workspace) + "-journal").exists()


def test_file_over_the_upload_limit(workspace, tmp_path, monkeypatch, capsys):
    small = dataclasses.replace(SETTINGS, app=dataclasses.replace(SETTINGS.app,
                                                                  upload_limit_mb=1))
    monkeypatch.setattr(safe_files, "SETTINGS", small)
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 300_000)
    before = sha(workspace)
    assert main(["import", "sites", str(path)]) == 2
    assert "more than the 1 MB limit" in capsys.readouterr().err
    assert sha(workspace) == before


def test_whole_file_swapped_is_read_and_said(tmp_path):
    rows = good_rows(8)
    for r in rows:
        r["lon"], r["lat"] = r["lat"], r["lon"]
    report = import_file("sites", sites_csv(tmp_path, rows))
    assert report.ok
    assert report.crs_guess.kind == "wgs84_swapped"
    assert any("swapped" in w for w in report.warnings)
    assert report.gdf.geometry.x.between(103, 105).all()


def test_problems_name_row_column_and_file(tmp_path):
    report = import_file("sites", duplicate_ids(tmp_path))
    lines = report.problem_lines()
    assert lines[0].startswith("bts.csv:3:site_id: duplicate site id")
    assert any(line.startswith("bts.csv:7:site_id:") for line in lines)
    assert report.rows_accepted == 0 and not report.layers
