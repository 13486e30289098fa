"""Tests for geo.dem: reading, mosaicking and resampling terrain, and downloading tiles.

Every test builds its own tiny terrain in tmp_path; downloads come from a loopback server.
"""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import Transformer
from shapely.geometry import box

import geo.dem as dem_module
from geo.dem import (
    OUTPUT_NODATA,
    TERRAIN_NOT_LOADED_WARNING,
    Dem,
    DemDownloadError,
    copernicus_tile_name,
    fetch_tiles,
    flat_dem,
    main,
    read_dem,
    tile_url,
)
from geo.dem_fetch import area_tiles
from geo.errors import DataError
from geo.settings import ROOT, SETTINGS

TO_METRIC = Transformer.from_crs("EPSG:4326", SETTINGS.crs.metric, always_xy=True)
STEP = 1 / 1200  # 3 arc-seconds


def plane(lon, lat):
    """A tilted plane in lon/lat: metres."""
    return 1000.0 + 2000.0 * (lon - 104.0) + 3000.0 * (lat - 22.0)


def write_tif(path, west, north, cols, rows, func=plane, *, step=STEP, crs="EPSG:4326",
              nodata=None, values=None):
    """A float32 GeoTIFF whose pixel-centre values are func(lon, lat)."""
    if values is None:
        lons = west + (np.arange(cols) + 0.5) * step
        lats = north - (np.arange(rows) + 0.5) * step
        values = func(*np.meshgrid(lons, lats))
    profile = dict(driver="GTiff", width=cols, height=rows, count=1, dtype="float32",
                   transform=Affine(step, 0, west, 0, -step, north), nodata=nodata)
    if crs:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.asarray(values, dtype=np.float32), 1)
    return path


def hgt_values(n=1201):
    """Plane values on the N22E104 .hgt grid (pixel centres on whole degrees), with a void."""
    lons = 104 + np.arange(n) / (n - 1)
    lats = 23 - np.arange(n) / (n - 1)
    z = np.rint(plane(*np.meshgrid(lons, lats))).astype(">i2")
    z[:100, :100] = -32768  # north-west corner is void
    return z


def random_points(bbox, n=200, seed=1):
    rng = np.random.default_rng(seed)
    lon = rng.uniform(bbox[0], bbox[2], n)
    lat = rng.uniform(bbox[1], bbox[3], n)
    return lon, lat


# --- reading -------------------------------------------------------------------------------


def test_geotiff_plane_resampled_to_metric_grid(tmp_path):
    tif = write_tif(tmp_path / "plane.tif", 103.9, 22.5, 360, 360)
    area = (103.95, 22.25, 104.15, 22.45)
    dem = read_dem(tif, area=area, resolution_m=90, margin_m=1000)

    assert dem.crs == "EPSG:9208" and dem.terrain_loaded and dem.resolution_m == 90
    assert dem.elevation.dtype == np.float32
    t = dem.transform
    assert (t.a, t.b, t.d, t.e) == (90, 0, 0, -90)
    assert t.c % 90 == 0 and t.f % 90 == 0
    minx, miny, maxx, maxy = dem.bounds
    ax, ay = TO_METRIC.transform([area[0], area[2]], [area[1], area[3]])
    assert minx <= ax[0] - 1000 and maxx >= ax[1] + 1000
    assert miny <= ay[0] - 1000 and maxy >= ay[1] + 1000
    assert maxx - minx < ax[1] - ax[0] + 2000 + 2 * 90 + 500  # clipped, not the whole tile
    assert not np.isnan(dem.elevation).any()

    lon, lat = random_points(area)
    x, y = TO_METRIC.transform(lon, lat)
    np.testing.assert_allclose(dem.sample(x, y), plane(lon, lat), atol=1.0)
    np.testing.assert_allclose(dem.sample(x, y, method="nearest"), plane(lon, lat), atol=6.0)


def test_cone_peak_lands_where_it_should(tmp_path):
    peak_lon, peak_lat = 104.05, 22.35

    def cone(lon, lat):
        d = np.hypot((lon - peak_lon) * 111_320 * np.cos(np.radians(lat)),
                     (lat - peak_lat) * 110_574)
        return np.maximum(0.0, 1500.0 - 0.05 * d)

    tif = write_tif(tmp_path / "cone.tif", 103.95, 22.45, 240, 240, cone)
    dem = read_dem(tif, area=(104.0, 22.3, 104.1, 22.4), resolution_m=90, margin_m=0)
    px, py = TO_METRIC.transform(peak_lon, peak_lat)
    row, col = np.unravel_index(np.nanargmax(dem.elevation), dem.shape)
    cx, cy = rasterio.transform.xy(dem.transform, row, col)
    assert np.hypot(cx - px, cy - py) <= 1.5 * 90
    assert dem.sample(px, py) == pytest.approx(1500, abs=10)
    assert dem.sample(px, py + 3000) == pytest.approx(1350, abs=5)


def test_metric_geotiff_round_trip(tmp_path):
    tif = write_tif(tmp_path / "plane.tif", 103.9, 22.5, 360, 360)
    dem = read_dem(tif, area=(104.0, 22.3, 104.1, 22.4), resolution_m=90)
    dem.elevation[0, 0] = np.nan
    out = dem.to_geotiff(tmp_path / "out" / "dem.tif")
    with rasterio.open(out) as src:
        assert src.crs.to_epsg() == 9208 and src.nodata == OUTPUT_NODATA
        assert src.dtypes[0] == "float32" and src.read(1)[0, 0] == OUTPUT_NODATA
    again = read_dem(out, resolution_m=90)
    assert again.transform == dem.transform
    np.testing.assert_allclose(again.elevation, dem.elevation, atol=1e-3, equal_nan=True)


def test_hgt_tile_with_void(tmp_path):
    hgt = tmp_path / "N22E104.hgt"
    hgt.write_bytes(hgt_values().tobytes())
    dem = read_dem(hgt, area=(104.0, 22.6, 104.4, 23.0), resolution_m=90, margin_m=0)
    lon, lat = random_points((104.1, 22.6, 104.4, 22.85))
    x, y = TO_METRIC.transform(lon, lat)
    np.testing.assert_allclose(dem.sample(x, y), plane(lon, lat), atol=1.5)
    vx, vy = TO_METRIC.transform(104.03, 22.97)  # inside the void
    assert np.isnan(dem.sample(vx, vy, method="nearest"))


def test_hgt_zip_matches_hgt(tmp_path):
    hgt = tmp_path / "N22E104.hgt"
    hgt.write_bytes(hgt_values().tobytes())
    archive = tmp_path / "N22E104.SRTMGL3.hgt.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(hgt, "N22E104.hgt")
    area = (104.2, 22.2, 104.4, 22.4)
    a = read_dem(hgt, area=area, margin_m=0)
    b = read_dem(archive, area=area, margin_m=0)
    assert a.transform == b.transform
    np.testing.assert_array_equal(a.elevation, b.elevation)


def test_zip_with_path_traversal_is_refused(tmp_path):
    archive = tmp_path / "evil.hgt.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../N22E104.hgt", hgt_values().tobytes())
    with pytest.raises(DataError, match=r"refused.*outside") as info:
        read_dem(archive)
    assert "evil.hgt.zip" in str(info.value)


def test_zip_over_size_limit_is_refused(tmp_path, monkeypatch):
    terrain = dataclasses.replace(SETTINGS.terrain, max_zip_bytes=1_000_000)
    monkeypatch.setattr("geo.dem_sources.SETTINGS", dataclasses.replace(SETTINGS,
                                                                        terrain=terrain))
    archive = tmp_path / "N22E104.hgt.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("N22E104.hgt", bytes(1201 * 1201 * 2))  # compresses to a few kB
    with pytest.raises(DataError, match=r"refused.*limit"):
        read_dem(archive)


def test_mosaic_of_adjacent_tiles_is_seamless(tmp_path):
    west = write_tif(tmp_path / "west.tif", 103.9, 22.4, 120, 240)
    east = write_tif(tmp_path / "east.tif", 104.0, 22.4, 120, 240)
    whole = write_tif(tmp_path / "whole.tif", 103.9, 22.4, 240, 240)
    area = (103.95, 22.25, 104.05, 22.35)
    mosaic = read_dem([west, east], area=area, margin_m=500)
    single = read_dem(whole, area=area, margin_m=500)
    assert not np.isnan(mosaic.elevation).any()
    np.testing.assert_allclose(mosaic.elevation, single.elevation, atol=1e-3)
    lat = np.linspace(22.26, 22.34, 50)
    x, y = TO_METRIC.transform(np.full_like(lat, 104.0), lat)  # along the seam
    np.testing.assert_allclose(mosaic.sample(x, y), plane(104.0, lat), atol=1.0)


def test_mosaic_of_tiles_in_different_crs(tmp_path):
    west = read_dem(write_tif(tmp_path / "west.tif", 103.9, 22.4, 120, 240), margin_m=0)
    west_metric = west.to_geotiff(tmp_path / "west_9208.tif")
    east = write_tif(tmp_path / "east.tif", 104.0, 22.4, 120, 240)
    area = gpd.GeoSeries([box(103.95, 22.25, 104.05, 22.35)], crs="EPSG:4326").to_crs(
        SETTINGS.crs.metric
    )  # a GeoSeries in any CRS is accepted
    dem = read_dem([west_metric, east], area=area, margin_m=0)
    assert not np.isnan(dem.elevation).any()
    lon, lat = random_points((103.95, 22.25, 104.05, 22.35))
    x, y = TO_METRIC.transform(lon, lat)
    np.testing.assert_allclose(dem.sample(x, y), plane(lon, lat), atol=1.5)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda d: d / "absent.tif", "not found"),
        (lambda d: write_tif(d / "nocrs.tif", 104, 22.4, 20, 20, crs=None), "no coordinate"),
        (lambda d: write_tif(d / "void.tif", 104, 22.4, 20, 20, nodata=-9999.0,
                             values=np.full((20, 20), -9999.0)), "only nodata"),
        (lambda d: (d / "junk.tif").write_text("not a raster") and d / "junk.tif",
         "cannot read"),
        (lambda d: (d / "N22E104.hgt").write_bytes(b"\0" * 1000) and d / "N22E104.hgt",
         "not an SRTM .hgt size"),
    ],
)
def test_bad_files_raise_data_error_naming_the_file(tmp_path, make, match):
    path = make(tmp_path)
    with pytest.raises(DataError, match=match) as info:
        read_dem(path)
    assert path.name in str(info.value)


def test_bad_resolution_and_area(tmp_path):
    tif = write_tif(tmp_path / "plane.tif", 104, 22.4, 20, 20)
    with pytest.raises(DataError, match="resolution 50"):
        read_dem(tif, resolution_m=50)
    with pytest.raises(DataError, match="does not overlap") as info:
        read_dem(tif, area=box(105.5, 20.5, 105.8, 20.8))
    assert "plane.tif" in str(info.value)
    with pytest.raises(DataError, match="lon/lat"):
        read_dem(tif, area=(400_000, 2_400_000, 410_000, 2_410_000))


# --- Dem, flat grid ------------------------------------------------------------------------


def test_sample_edges_nodata_and_nearest():
    z = np.array([[0, 10], [20, np.nan]], dtype=np.float32)
    dem = Dem(z, Affine(90, 0, 900, 0, -90, 1800), 90)
    assert dem.shape == (2, 2) and dem.bounds == (900, 1620, 1080, 1800)
    assert dem.sample(945, 1755) == pytest.approx(0)  # centre of (0, 0)
    assert dem.sample(990, 1755) == pytest.approx(5)  # halfway along the top row
    # between the four centres: the NaN cell's weight is dropped and the rest renormalised
    assert dem.sample(1012.5, 1687.5) == pytest.approx((0.1875 * 10 + 0.1875 * 20) / 0.4375)
    assert np.isnan(dem.sample(1035, 1665, method="nearest"))
    assert dem.sample(1079, 1799, method="nearest") == 10
    out = dem.sample([0, 950, 2000], [0, 1750, 1750])
    assert np.isnan(out[0]) and 0 < out[1] < 2 and np.isnan(out[2])  # outside → NaN


def test_flat_dem():
    dem = flat_dem((400_010, 2_400_000, 401_000, 2_400_500), 90, elevation_m=250)
    assert not dem.terrain_loaded and dem.crs == "EPSG:9208"
    assert dem.transform.c % 90 == 0 and dem.transform.f % 90 == 0
    minx, miny, maxx, maxy = dem.bounds
    assert minx <= 400_010 and maxx >= 401_000 and miny <= 2_400_000 and maxy >= 2_400_500
    assert np.all(dem.elevation == 250)
    assert TERRAIN_NOT_LOADED_WARNING == "terrain not loaded: coverage is optimistic in mountains"
    with pytest.raises(DataError):
        flat_dem((0, 0, 1000, 1000), 45)


# --- download ------------------------------------------------------------------------------


def test_tile_names_and_urls():
    assert copernicus_tile_name(22, 104, 30) == "Copernicus_DSM_COG_10_N22_00_E104_00_DEM"
    assert copernicus_tile_name(22.7, 104.2, 90) == "Copernicus_DSM_COG_30_N22_00_E104_00_DEM"
    assert copernicus_tile_name(-0.5, -1, 30) == "Copernicus_DSM_COG_10_S01_00_W001_00_DEM"
    assert tile_url("http://h/x/", "T") == "http://h/x/T/T.tif"


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A loopback HTTP server for tmp_path/srv that records request paths."""
    for var in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    monkeypatch.delenv(SETTINGS.terrain.base_url_env, raising=False)
    root = tmp_path / "srv"
    root.mkdir()
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def do_GET(self):
            requests.append(self.path)
            super().do_GET()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()

    def add_tile(lat, lon, resolution_m=30):
        name = copernicus_tile_name(lat, lon, resolution_m)
        (root / name).mkdir()
        return write_tif(root / name / f"{name}.tif", lon, lat + 1, 60, 60, step=1 / 60)

    yield SimpleNamespace(url=f"http://127.0.0.1:{httpd.server_port}", requests=requests,
                          add_tile=add_tile)
    httpd.shutdown()
    httpd.server_close()


def test_fetch_downloads_once_and_reads(server, tmp_path):
    served = server.add_tile(22, 104)
    cache = tmp_path / "cache"
    seen = []
    paths = fetch_tiles(30, base_url=server.url, cache_dir=cache, tiles=((22, 104),),
                        progress=False, on_progress=lambda *a: seen.append(a))
    assert paths == [cache / "Copernicus_DSM_COG_10_N22_00_E104_00_DEM.tif"]
    assert paths[0].read_bytes() == served.read_bytes()
    size = served.stat().st_size
    assert seen[-1] == (size, size, "Copernicus_DSM_COG_10_N22_00_E104_00_DEM")
    assert len(server.requests) == 1 and not list(cache.glob("*.part"))

    assert fetch_tiles(30, base_url=server.url, cache_dir=cache, tiles=((22, 104),),
                       progress=False) == paths
    assert len(server.requests) == 1  # cached: no second download
    dem = read_dem(paths, area=(104.2, 22.2, 104.4, 22.4))
    assert not np.isnan(dem.elevation).any()


def test_fetch_uses_env_base_url_for_90m(server, tmp_path, monkeypatch):
    server.add_tile(22, 104, resolution_m=90)
    monkeypatch.setenv(SETTINGS.terrain.base_url_env, server.url)
    paths = fetch_tiles(90, cache_dir=tmp_path / "c", tiles=((22, 104),), progress=True)
    assert paths[0].name == "Copernicus_DSM_COG_30_N22_00_E104_00_DEM.tif"


def test_fetch_404_names_the_missing_tile(server, tmp_path):
    server.add_tile(22, 104)
    with pytest.raises(DemDownloadError, match="404") as info:
        fetch_tiles(30, base_url=server.url, cache_dir=tmp_path / "c",
                    tiles=((21, 104), (22, 104)), progress=False)
    err = info.value
    assert "Copernicus_DSM_COG_10_N21_00_E104_00_DEM" in str(err)
    assert err.missing == ["Copernicus_DSM_COG_10_N21_00_E104_00_DEM"]
    assert [p.name for p in err.downloaded] == ["Copernicus_DSM_COG_10_N22_00_E104_00_DEM.tif"]
    assert not list((tmp_path / "c").glob("*N21*"))


def test_fetch_unreachable_server(tmp_path, monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with pytest.raises(DemDownloadError) as info:
        fetch_tiles(30, base_url=base, cache_dir=tmp_path / "c", tiles=((22, 104),),
                    progress=False, timeout=2)
    message = str(info.value)
    assert message.startswith(f"cannot reach {base}/Copernicus_DSM_COG_10_N22_00_E104_00_DEM/")
    assert message.endswith("; download the tiles by hand and pass them with --dem")
    assert isinstance(info.value, DataError)


# --- command line --------------------------------------------------------------------------


def test_cli_build_and_fetch(server, tmp_path, capsys):
    tif = write_tif(tmp_path / "plane.tif", 103.9, 22.5, 360, 360)
    out = tmp_path / "dem.tif"
    assert main(["build", "--out", str(out), "--bbox", "104.0,22.3,104.1,22.4", str(tif)]) == 0
    with rasterio.open(out) as src:
        assert src.crs.to_epsg() == 9208 and src.res == (90, 90)
    for lat, lon in area_tiles():
        server.add_tile(lat, lon)
    cache = tmp_path / "cache"
    assert main(["fetch", "--base-url", server.url, "--cache", str(cache)]) == 0
    printed = capsys.readouterr().out
    assert f"{len(area_tiles())} tile(s) in {cache}" in printed
    assert main(["build", "--out", str(out), str(tmp_path / "absent.tif")]) == 2
    assert "absent.tif" in capsys.readouterr().err


def test_cli_build_defaults_to_the_study_area(tmp_path, monkeypatch):
    area = gpd.GeoDataFrame(geometry=[box(104.0, 22.3, 104.1, 22.4)], crs="EPSG:4326")
    monkeypatch.setattr("geo.dem.load_study_area", lambda: area)
    tif = write_tif(tmp_path / "plane.tif", 103.9, 22.5, 360, 360)
    out = tmp_path / "dem.tif"
    assert main(["build", "--out", str(out), str(tif)]) == 0
    expected = read_dem(tif, area=(104.0, 22.3, 104.1, 22.4))
    with rasterio.open(out) as src:
        assert src.transform == expected.transform and src.shape == expected.shape


def test_module_entry_point_exit_code(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "geo.dem", "build", "--out", str(tmp_path / "o.tif"),
         str(tmp_path / "missing.hgt")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2 and "missing.hgt" in result.stderr


def test_public_names_exported():
    assert {"read_dem", "flat_dem", "fetch_tiles", "Dem"} <= set(dem_module.__all__)
    assert issubclass(DemDownloadError, DataError)
    assert len(SETTINGS.terrain.study_bbox_lonlat) == 4


def test_cached_tiles_needs_the_whole_set(tmp_path) -> None:
    from geo.dem_fetch import cached_tiles, copernicus_tile_name

    folder = tmp_path / "dem"
    folder.mkdir()
    names = [copernicus_tile_name(lat, lon, 90) for lat, lon in area_tiles()]
    for name in names[:-1]:
        (folder / f"{name}.tif").write_bytes(b"II*\x00" + b"\x00" * 16)
    assert cached_tiles(90, tmp_path) == ()
    (folder / f"{names[-1]}.tif").write_bytes(b"II*\x00" + b"\x00" * 16)
    assert [p.name for p in cached_tiles(90, tmp_path)] == [f"{n}.tif" for n in names]


def test_the_tiles_follow_the_study_area() -> None:
    """Old Lào Cai (lon 103.5–104.6, lat 21.9–22.8) needs the four tiles of lon 103–104 and
    lat 21–22; old Yên Bái reaches lon 105.1, so it and today's province need lon 105 too."""
    assert area_tiles("laocai") == ((21, 103), (21, 104), (22, 103), (22, 104))
    assert area_tiles("province") == tuple((lat, lon) for lat in (21, 22)
                                           for lon in (103, 104, 105))
    assert set(area_tiles("yenbai")) <= set(area_tiles("province"))
    assert (21, 105) in area_tiles("yenbai")


def test_an_areas_cached_tiles_are_its_own(tmp_path) -> None:
    """Old Lào Cai's four tiles are a complete set for it, not for the province (six)."""
    from geo.dem_fetch import cached_tiles, copernicus_tile_name

    folder = tmp_path / "dem"
    folder.mkdir()
    for lat, lon in area_tiles("laocai"):
        (folder / f"{copernicus_tile_name(lat, lon, 90)}.tif").write_bytes(b"II*\x00" + bytes(16))
    assert len(cached_tiles(90, tmp_path, "laocai")) == 4
    assert cached_tiles(90, tmp_path, "province") == ()
