"""Land-cover rasters onto the planner's grid: a synthetic 3-class WorldCover-like tile in
EPSG:4326 (as ESA ships them) read onto a 90 m EPSG:9208 grid, and hostile files refused."""

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from geo.errors import DataError
from geo.landcover import check_landcover, read_landcover
from tests.worlds import Grid

GRID = Grid(size=40)  # 3.6 km square near Lào Cai city


def _tile(path, classes=(10, 40, 50), *, crs="EPSG:4326", dtype="uint8", count=1,
          origin=None, fill=None, grid=GRID):
    """A 10 m-ish tile in lon/lat over ``grid``, three vertical bands of classes west → east."""
    (w, n), (e, s) = grid.lonlat(-2, -2), grid.lonlat(grid.size + 2, grid.size + 2)
    step = 1.0 / 10800  # 1/3 arc-second, ~10 m: WorldCover's pixel
    width, height = int((e - w) / step) + 1, int((n - s) / step) + 1
    data = np.zeros((height, width), dtype)
    thirds = np.array_split(np.arange(width), 3)
    for cols, value in zip(thirds, classes, strict=True):
        data[:, cols] = value
    if fill is not None:
        data[:] = fill
    origin = origin or (w, n)
    profile = {"driver": "GTiff", "width": width, "height": height, "count": count,
               "dtype": dtype, "transform": from_origin(*origin, step, step)}
    if crs:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        for band in range(1, count + 1):
            dst.write(data, band)
    return path


def test_three_classes_land_on_the_grid_by_nearest_class(tmp_path):
    path = _tile(tmp_path / "ESA_WorldCover_10m_2021_v200_N21E102_Map.tif")
    info = check_landcover(path)
    assert info.classes == (10, 40, 50) and info.crs == "EPSG:4326"
    dem = GRID.dem(np.zeros((GRID.size, GRID.size)))
    lc = read_landcover(path, dem)
    assert lc.classes.shape == dem.shape and lc.classes.dtype == np.uint8
    assert set(np.unique(lc.classes)) == {10, 40, 50}  # nearest: no blended values
    # West third tree cover, east third built-up (the grid's columns run east).
    assert (lc.classes[:, :8] == 10).all() and (lc.classes[:, -8:] == 50).all()
    assert (lc.classes[:, 18:22] == 40).all()
    assert sum(lc.shares().values()) == pytest.approx(1.0)
    assert lc.source == path.name


def test_cells_outside_the_file_get_no_class(tmp_path):
    w, n = GRID.lonlat(GRID.size // 2, GRID.size // 2)  # tile starts at the grid's centre
    path = _tile(tmp_path / "half.tif", origin=(w, n))
    lc = read_landcover(path, GRID.dem(np.zeros((GRID.size, GRID.size))))
    assert (lc.classes[:5, :5] == 0).all() and (lc.classes[-5:, -5:] > 0).all()


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"crs": None}, "no coordinate system"),
    ({"fill": 7}, "not land-cover classes"),  # a raster without our classes
    ({"dtype": "float32"}, "not one band of classes"),
    ({"count": 3}, "not one band of classes"),  # an RGB picture of a map
])
def test_hostile_files_are_refused(tmp_path, kwargs, match):
    path = _tile(tmp_path / "bad.tif", **kwargs)
    with pytest.raises(DataError, match=match):
        check_landcover(path)


def test_a_class_table_maps_other_codes(tmp_path):
    path = _tile(tmp_path / "coded.tif", classes=(1, 2, 3))
    with pytest.raises(DataError, match="unknown: 1, 2, 3"):
        check_landcover(path)
    info = check_landcover(path, class_map={1: 10, 2: 40, 3: 50})
    assert info.classes == (10, 40, 50)


def test_not_a_raster_is_refused(tmp_path):
    path = tmp_path / "notes.tif"
    path.write_text("not a tiff")
    with pytest.raises(DataError, match="cannot read"):
        check_landcover(path)


def test_import_saves_a_landcover_version_and_refuses_one_outside(tmp_path):
    from geo.importers import import_file
    from geo.workspace import LAYERS, Workspace

    assert "landcover" in LAYERS
    path = _tile(tmp_path / "ESA_WorldCover_10m_2021_v200_N21E102_Map.tif")
    report = import_file("landcover", path)
    assert report.ok and report.landcover_file == path, report.summary()
    assert "Tree cover" in " ".join(report.warnings)
    ws = Workspace(tmp_path / "ws" / "workspace.gpkg")
    (version,) = ws.save(report)
    assert version.layer == "landcover" and version.version_id == "landcover_v1"
    stored = ws.current_landcover()
    assert stored is not None and stored.read_bytes() == path.read_bytes()
    assert ws.current_paths()["landcover"] == stored
    assert ws.current_dem() is None  # a land cover is not a terrain
    far = _tile(tmp_path / "paris.tif", origin=(2.30, 48.90))  # same tile, in France
    refused = import_file("landcover", far)
    assert not refused.ok and refused.problems[0].code == "landcover_outside"
    nocrs = _tile(tmp_path / "nocrs.tif", crs=None)
    with pytest.raises(DataError, match="no coordinate system"):
        import_file("landcover", nocrs)


def test_command_line_import(tmp_path, capsys):
    from geo.__main__ import main

    path = _tile(tmp_path / "wc.tif")
    code = main(["import", "landcover", str(path), "--workspace",
                 str(tmp_path / "ws" / "w.gpkg")])
    out = capsys.readouterr().out
    assert code == 0 and "land cover: lon" in out, out


def _polygons_file(path, rows, crs="EPSG:9208"):
    import geopandas as gpd
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame(
        {key: [r.get(key) for r in rows] for key in ("landuse", "natural")},
        geometry=[box(*r["box"]) for r in rows], crs=crs)
    gdf.to_file(path)
    return path


def test_osm_landuse_polygons_are_burnt_in_smaller_over_larger(tmp_path):
    x0, y1 = GRID.x0, GRID.y0
    x1, y0 = x0 + GRID.size * GRID.res, y1 - GRID.size * GRID.res
    mid = (x0 + x1) / 2
    rows = [
        {"landuse": "farmland", "box": (x0, y0, x1, y1)},  # everything: cropland
        {"natural": "wood", "box": (x0, y0, mid, y1)},  # west half: forest
        {"landuse": "residential", "box": (mid - 450, y1 - 900, mid + 450, y1)},  # a town
        {"landuse": "construction_site_unknown", "box": (x0, y0, x0 + 900, y0 + 900)},
    ]
    path = _polygons_file(tmp_path / "osm_landuse.geojson", rows)
    info = check_landcover(path)
    assert info.classes == (10, 40, 50)
    lc = read_landcover(path, GRID.dem(np.zeros((GRID.size, GRID.size))))
    half = GRID.size // 2
    assert (lc.classes[15:, : half - 1] == 10).all()  # wood over farmland
    assert (lc.classes[15:, half + 1:] == 40).all()
    assert (lc.classes[:10, half - 5: half + 5] == 50).all()  # the town over both
    assert lc.source == "osm_landuse.geojson"


def test_polygons_without_landuse_are_refused(tmp_path):
    path = _polygons_file(tmp_path / "roads.gpkg",
                          [{"landuse": "unknown", "box": (0, 0, 1, 1)}])
    with pytest.raises(DataError, match="no land-use polygons"):
        check_landcover(path)


def test_polygons_import_like_a_raster(tmp_path):
    from geo.importers import import_file

    x0, y1 = GRID.x0, GRID.y0
    path = _polygons_file(tmp_path / "landuse.gpkg",
                          [{"natural": "wood", "box": (x0, y1 - 900, x0 + 900, y1)}])
    report = import_file("landcover", path)
    assert report.ok and report.landcover_file == path, report.summary()
