import unicodedata

from shapely.geometry import Point

from geo.crs import to_metric
from geo.layers import load_old_province_outline, load_province_outline, load_study_area


def test_99_units_valid_with_codes_population_area(communes_2025):
    assert len(communes_2025) == 99
    assert communes_2025["code"].is_unique
    assert communes_2025["code"].str.fullmatch(r"\d{5}").all()
    assert communes_2025.is_valid.all() and not communes_2025.is_empty.any()
    assert (communes_2025["population"] > 0).all() and (communes_2025["area_km2"] > 0).all()
    assert set(communes_2025["unit_type"]) == {"Xã", "Phường"}
    assert (communes_2025["unit_type"] == "Phường").sum() == 10


def test_names_are_nfc(communes_2025):
    for col in ("name", "full_name", "before_merger", "admin_center"):
        values = communes_2025[col]
        assert (values == values.map(lambda s: unicodedata.normalize("NFC", s))).all(), col


def test_old_laocai_outline_is_union_of_its_48_units(communes_2025):
    old_units = communes_2025[communes_2025["old_province"] == "laocai"]
    assert len(old_units) == 48
    outline = load_old_province_outline()
    assert len(outline) == 1 and outline.is_valid.all()
    area = to_metric(outline).area.iloc[0] / 1e6
    units_area = to_metric(old_units).area.sum() / 1e6
    assert abs(area - units_area) / units_area < 0.005
    assert 6_250 < area < 6_450  # GADM's old-province outline: 6,348 km²
    assert load_study_area("laocai").geometry.iloc[0].equals(outline.geometry.iloc[0])


def test_province_outline_contains_admin_centres(communes_2025):
    outline = load_province_outline().geometry.iloc[0]
    assert outline.is_valid
    lon, lat = communes_2025["centre_lon"], communes_2025["centre_lat"]
    inside = [outline.contains(Point(x, y))
              for x, y in zip(lon, lat, strict=True)]
    assert sum(inside) >= 98  # a centre may sit on a simplified border
