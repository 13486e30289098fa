import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from geo.errors import DataError
from geo.layers import load_layer, read_vector
from geo.schema import SCHEMAS, validate


def _villages(**overrides):
    data = {
        "village_id": ["V1", "V2"], "name": ["Thôn A", "Bản B"],
        "commune_code_2025": ["02839", "02839"], "commune_2025": ["Xã Bắc Hà"] * 2,
        "population": [120, 340], "source": ["imported", "imported"],
        "geometry": [Point(104.3, 22.5), Point(104.31, 22.51)],
    }
    data.update(overrides)
    return gpd.GeoDataFrame(data, crs="EPSG:4326")


def test_valid_layer_is_typed_and_ordered():
    out = validate(_villages(), "villages", "v.geojson")
    assert list(out.columns) == [*SCHEMAS["villages"].column_names, "geometry"]
    assert str(out["population"].dtype) == "Int64"


def test_missing_column_named_with_file_and_fix():
    gdf = _villages().drop(columns="population")
    with pytest.raises(DataError, match=r"v\.geojson: missing column\(s\) population"):
        validate(gdf, "villages", "v.geojson")


def test_no_crs_rejected():
    with pytest.raises(DataError, match="no coordinate reference system"):
        validate(_villages().set_crs(None, allow_override=True), "villages", "v.geojson")


def test_wrong_crs_metres_declared_as_degrees():
    gdf = _villages(geometry=[Point(424180.6, 2488978.5), Point(424200, 2489000)])
    with pytest.raises(DataError, match="declared CRS is probably wrong"):
        validate(gdf, "villages", "v.geojson")


def test_empty_geometry_rows_named():
    gdf = _villages(geometry=[Point(104.3, 22.5), Point()])
    with pytest.raises(DataError, match=r"row 2: empty geometry"):
        validate(gdf, "villages", "v.geojson")


def test_wrong_geometry_type():
    gdf = _villages(geometry=[Point(104.3, 22.5), LineString([(104, 22), (104.1, 22.1)])])
    with pytest.raises(DataError, match=r"row 2: geometry must be Point"):
        validate(gdf, "villages", "v.geojson")


def test_bad_number_duplicate_id_allowed_values_range():
    with pytest.raises(DataError, match=r"row 1: column 'population' must be a number"):
        validate(_villages(population=["many", 3]), "villages", "v")
    with pytest.raises(DataError, match=r"rows 1, 2: duplicate village_id 'V1'"):
        validate(_villages(village_id=["V1", "V1"]), "villages", "v")
    with pytest.raises(DataError, match=r"row 2: column 'source' has 'made-up'"):
        validate(_villages(source=["imported", "made-up"]), "villages", "v")
    with pytest.raises(DataError, match=r"row 1: column 'population' must be between"):
        validate(_villages(population=[-5, 3]), "villages", "v")


def test_csv_sites_need_lon_lat(tmp_path):
    bad = tmp_path / "sites.csv"
    bad.write_text("site_id,operator\nA,Viettel\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"sites\.csv: missing column\(s\) lon, lat"):
        read_vector(bad)
    with pytest.raises(DataError, match="file not found"):
        read_vector(tmp_path / "nope.geojson")


def test_site_out_of_physical_range_is_refused(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(
        "site_id,operator,technology,band_mhz,lon,lat,height_m,eirp_dbm,source\n"
        "S1,Viettel,4G,1800,104.0,22.5,35,60,imported\n"
        "S2,Viettel,4G,1800,104.1,22.5,350,60,imported\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"row 2: column 'height_m' must be between 0 and 200"):
        load_layer("sites", path)


def test_bundled_layers_load_and_are_labelled_illustrative():
    from geo.layers import SAMPLE_FILES

    # Every schema but the imported-only measurements has a bundled illustrative file.
    assert set(SCHEMAS) - set(SAMPLE_FILES) == {"measurements"}
    for name in SAMPLE_FILES:
        layer = load_layer(name)
        assert len(layer) > 0
        assert (layer["source"] == "illustrative").all(), name


def test_reference_layers_report_a_broken_file_and_keep_the_rest(monkeypatch) -> None:
    from geo import layers

    loaded, problems = layers.load_reference_layers()
    assert set(loaded) == {"communes", "old_province", "osm_masts"} and problems == {}

    def broken() -> None:
        raise ValueError("osm_masts.geojson: not a GeoJSON file")

    monkeypatch.setitem(layers.REFERENCE_LAYERS, "osm_masts", broken)
    loaded, problems = layers.load_reference_layers()
    assert set(loaded) == {"communes", "old_province"}
    assert problems == {"osm_masts": "osm_masts.geojson: not a GeoJSON file"}


def test_source_paths_and_stamps_name_every_map_file(tmp_path) -> None:
    from geo.layers import DATA_LAYERS, file_stamps, source_paths

    paths = source_paths(tmp_path)
    assert set(paths) == {"communes", "old_province", "osm_masts", *DATA_LAYERS}
    stamps = dict((key, mtime) for key, _, mtime in file_stamps(paths))
    assert stamps["points"] == 0.0 and stamps["communes"] > 0.0  # missing file: 0.0
