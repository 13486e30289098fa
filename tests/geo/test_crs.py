import numpy as np
import pytest

from geo.crs import detect_crs, read_coordinates, to_lonlat, to_metric, transform
from geo.settings import SETTINGS

# Lào Cai city (Phường Lào Cai administrative centre) in WGS84.
LAOCAI_LON, LAOCAI_LAT = 104.015, 22.4979


def _centres(communes_2025):
    old = communes_2025[communes_2025["old_province"] == "laocai"]
    return old["centre_lon"].to_numpy(), old["centre_lat"].to_numpy()


def test_laocai_city_in_vn2000_tm3_has_expected_magnitude():
    e, n = transform([LAOCAI_LON], [LAOCAI_LAT], "EPSG:4326", "EPSG:9208")
    # 104°45' is ~0.73° east of the city: about 76 km west of the false easting 500 km.
    assert 420_000 < e[0] < 428_000
    assert 2_486_000 < n[0] < 2_492_000


def test_wgs84_recognised(communes_2025):
    lon, lat = _centres(communes_2025)
    guess = detect_crs(lon, lat)
    assert guess.kind == "wgs84" and not guess.swapped
    assert guess.inside_share == 1.0


def test_swapped_lat_lon_recognised(communes_2025):
    lon, lat = _centres(communes_2025)
    guess = detect_crs(lat, lon)
    assert guess.kind == "wgs84_swapped" and guess.swapped
    back_lon, back_lat = to_lonlat(lat, lon, guess)
    np.testing.assert_allclose(back_lon, lon)
    np.testing.assert_allclose(back_lat, lat)
    assert "swapped" in guess.message


@pytest.mark.parametrize(
    ("epsg", "kind"), [("EPSG:9208", "vn2000_tm3"), ("EPSG:3405", "vn2000_utm48")]
)
def test_vn2000_metres_recognised_and_converted(communes_2025, epsg, kind):
    lon, lat = _centres(communes_2025)
    e, n = transform(lon, lat, "EPSG:4326", epsg)
    guess = detect_crs(e, n)
    assert guess.kind == kind
    assert guess.inside_share == 1.0
    back_lon, back_lat = to_lonlat(e, n, guess)
    np.testing.assert_allclose(back_lon, lon, atol=1e-7)
    np.testing.assert_allclose(back_lat, lat, atol=1e-7)


def test_vn2000_northing_first_as_in_survey_lists(communes_2025):
    lon, lat = _centres(communes_2025)
    e, n = transform(lon, lat, "EPSG:4326", "EPSG:9208")
    guess = detect_crs(n, e)  # "X" = northing, "Y" = easting
    assert guess.kind == "vn2000_tm3_swapped"


def test_single_central_point_is_ambiguous_between_zones_and_prefers_tm3():
    e, n = transform([LAOCAI_LON], [LAOCAI_LAT], "EPSG:4326", "EPSG:9208")
    guess = detect_crs(e, n)
    assert guess.kind == "vn2000_tm3"
    assert guess.ambiguous and guess.runner_up == "vn2000_utm48"
    assert "check with the supplier" in guess.message


def test_unknown_coordinates():
    guess = detect_crs([1.0, 2.0], [3.0, 4.0])
    assert guess.kind == "unknown" and guess.crs is None
    assert detect_crs([np.nan], [np.nan]).kind == "unknown"


def test_to_metric_requires_crs(communes_2025):
    metric = to_metric(communes_2025)
    assert metric.crs.to_epsg() == 9208
    with pytest.raises(ValueError, match="no CRS"):
        to_metric(communes_2025.set_crs(None, allow_override=True))


@pytest.mark.parametrize("src, dst", [("EPSG:4326", "EPSG:9208"), ("EPSG:9208", "EPSG:4326"),
                                      ("EPSG:3405", "EPSG:4326"), ("EPSG:4756", "EPSG:4326")])
def test_transform_equals_pyproj_from_crs_across_the_province(src, dst):
    """The cached pipelines give what ``Transformer.from_crs`` gives (within 0.1 mm)."""
    from pyproj import Transformer

    lon = np.array([103.52, 103.95, 104.30, 104.62, 104.10])
    lat = np.array([22.78, 22.49, 21.95, 22.33, 22.10])
    to_src = Transformer.from_crs("EPSG:4326", src, always_xy=True)
    x, y = to_src.transform(lon, lat)
    expected = Transformer.from_crs(src, dst, always_xy=True).transform(x, y)
    got = transform(np.asarray(x), np.asarray(y), src, dst)
    tolerance = 1e-9 if dst == "EPSG:4326" else 1e-4  # degrees (≈0.1 mm) or metres
    np.testing.assert_allclose(got[0], expected[0], rtol=0, atol=tolerance)
    np.testing.assert_allclose(got[1], expected[1], rtol=0, atol=tolerance)


def test_coordinates_are_read_in_every_system() -> None:
    lon, lat = 103.700627, 22.408504  # a support point of Bát Xát
    assert read_coordinates(lon, lat).kind == "wgs84"
    assert read_coordinates(lat, lon).kind == "wgs84_swapped"
    for crs, kind in ((SETTINGS.crs.metric, "vn2000_tm3"),
                      (SETTINGS.crs.vn2000_utm48, "vn2000_utm48")):
        x, y = transform([lon], [lat], SETTINGS.crs.display, crs)
        reading = read_coordinates(float(x[0]), float(y[0]))
        assert reading.kind.startswith(kind.split("_")[0])
        assert abs(reading.lon - lon) < 1e-5 and abs(reading.lat - lat) < 1e-5
    far = read_coordinates(105.85, 21.03)  # Hà Nội: a valid lon/lat, refused later
    assert far.kind == "wgs84" and (far.lon, far.lat) == (105.85, 21.03)
    assert read_coordinates(5_000_000.0, 9_000_000.0) is None
