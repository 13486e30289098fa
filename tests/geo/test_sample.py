import filecmp

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo import sample
from geo.admin import load_crosswalk, load_units
from geo.layers import SAMPLE_FILES, load_layer
from geo.settings import SETTINGS


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    sample.write(sample.generate(), out)
    return out


def test_regeneration_matches_committed_files(regenerated):
    for filename in SAMPLE_FILES.values():
        assert filecmp.cmp(regenerated / filename, SETTINGS.paths.sample / filename,
                           shallow=False), f"{filename} differs: run python -m geo.sample"


def test_point_quotas_per_district_and_type():
    points = load_layer("points")
    quotas = pd.read_csv(SETTINGS.paths.published / "support_points_by_district.csv",
                         dtype={"district_code": str}).set_index("district_code")["points"]
    counts = points["district_code"].value_counts()
    assert counts.sort_index().to_dict() == quotas.sort_index().to_dict()
    assert len(points) == SETTINGS.sample.support_points
    assert (points["point_type"] == "commune").sum() == SETTINGS.sample.commune_points
    assert (points["point_type"] == "village").sum() == SETTINGS.sample.village_points
    tp = points[points["district_code"] == "080"]
    assert set(tp["commune_2020"]) == {"Xã Hợp Thành", "Xã Tả Phời", "Xã Thống Nhất"}


def test_commune_points_are_real_2020_communes_inside_their_successor(communes_2025):
    points = load_layer("points")
    units = load_units(2020).set_index("code")
    walk = load_crosswalk().set_index("code_2020")["code_2025"]
    communes = points[points["point_type"] == "commune"]
    assert communes["commune_code_2020"].is_unique
    for p in points.itertuples():
        assert units.loc[p.commune_code_2020, "district_code"] == p.district_code
        assert units.loc[p.commune_code_2020, "full_name"] == p.commune_2020
        assert walk[p.commune_code_2020] == p.commune_code_2025
    polygons = communes_2025.set_index("code").geometry
    inside = [polygons[p.commune_code_2025].contains(p.geometry) for p in points.itertuples()]
    assert all(inside)
    assert points.loc[points["point_type"] == "village", "village"].notna().all()


def test_sites_total_operators_and_sharing():
    sites = load_layer("sites")
    assert len(sites) == SETTINGS.sample.bts_records
    assert set(sites["operator"]) == set(SETTINGS.sample.operator_weights)
    assert set(sites["technology"]) == {"2G", "3G", "4G", "5G"}
    operators_per_tower = sites.groupby("tower_id")["operator"].nunique()
    assert 0.06 <= (operators_per_tower > 1).mean() <= 0.10
    assert sites["height_m"].between(15, 45).all()
    assert sites["eirp_dbm"].between(58, 62).all()
    area = gpd.read_file(SETTINGS.paths.boundaries / "old_laocai.geojson").geometry.iloc[0]
    assert gpd.GeoSeries(sites.geometry).within(area.buffer(0.001)).all()


def test_villages_in_proportion_to_population(communes_2025):
    villages = load_layer("villages")
    old = communes_2025[communes_2025["old_province"] == "laocai"].set_index("code")
    per_unit = villages.groupby("commune_code_2025")["population"].agg(["size", "sum"])
    assert set(per_unit.index) == set(old.index)
    assert (per_unit["sum"] == old.loc[per_unit.index, "population"]).all()
    corr = np.corrcoef(per_unit["size"], old.loc[per_unit.index, "population"])[0, 1]
    assert corr > 0.95
    assert (per_unit["size"] >= SETTINGS.sample.min_villages_per_commune).all()


def test_fibre_backbone_reaches_every_unit_centre():
    routes = load_layer("fibre_routes")
    nodes = load_layer("fibre_nodes")
    backbone = routes[routes["kind"] == "backbone"]
    assert len(backbone) == 47  # spanning tree over 48 unit centres
    assert (nodes["kind"] == "pop").sum() == 1
    assert (nodes["kind"] == "commune").sum() == 47
