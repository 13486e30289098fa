import dataclasses
import filecmp

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import sample
from geo.admin import load_crosswalk, load_units
from geo.layers import SAMPLE_FILES, load_layer
from geo.settings import SETTINGS


@pytest.fixture(scope="module")
def generated():
    return sample.generate()


@pytest.fixture(scope="module")
def regenerated(generated, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    sample.write(generated, out)
    return out


def _old_province(layer: gpd.GeoDataFrame, communes_2025: gpd.GeoDataFrame) -> pd.Series:
    return layer["commune_code_2025"].map(communes_2025.set_index("code")["old_province"])


def _parts(communes_2025: gpd.GeoDataFrame) -> dict[str, shapely.Geometry]:
    return {p: shapely.union_all(g.geometry.values)
            for p, g in communes_2025.to_crs(SETTINGS.crs.metric).groupby("old_province")}


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


def _published(key: str) -> int:
    facts = pd.read_csv(SETTINGS.paths.published / "facts.csv").set_index("key")["value"]
    return int(facts[key])


def test_bts_records_per_old_province_are_the_published_counts():
    by_area = SETTINGS.sample.bts_records_by_area
    assert by_area["laocai"] == _published("bts")  # 2,962: old Lào Cai, 2023
    assert sum(by_area.values()) == _published("bts_2025")  # 4,017: the province, Jul 2025
    assert by_area == {"laocai": 2962, "yenbai": 1055}


def test_sites_total_operators_and_sharing(communes_2025):
    sites = load_layer("sites")
    assert len(sites) == SETTINGS.sample.bts_records == 4017
    assert set(sites["operator"]) == set(SETTINGS.sample.operator_weights)
    assert set(sites["technology"]) == {"2G", "3G", "4G", "5G"}
    n_laocai = SETTINGS.sample.bts_records_by_area["laocai"]
    # old Lào Cai's rows come first; the published 6–10 % sharing is old Lào Cai's (2023)
    laocai, yenbai = sites.iloc[:n_laocai], sites.iloc[n_laocai:]
    operators_per_tower = laocai.groupby("tower_id")["operator"].nunique()
    assert 0.06 <= (operators_per_tower > 1).mean() <= 0.10
    assert (yenbai.groupby("tower_id")["operator"].nunique() > 1).any()
    assert not set(laocai["tower_id"]) & set(yenbai["tower_id"])  # towers shared within a part
    assert sites["height_m"].between(15, 45).all()
    assert sites["eirp_dbm"].between(58, 62).all()
    area = gpd.read_file(SETTINGS.paths.boundaries / "old_laocai.geojson").geometry.iloc[0]
    assert gpd.GeoSeries(laocai.geometry).within(area.buffer(0.001)).all()
    # every tower stands inside its own part (centre towers too, 100–400 m from the centre)
    parts = _parts(communes_2025)
    for part, rows in (("laocai", laocai), ("yenbai", yenbai)):
        xy = shapely.get_coordinates(rows.to_crs(SETTINGS.crs.metric).geometry.values)
        assert shapely.contains_xy(parts[part], xy[:, 0], xy[:, 1]).all(), part
        assert len(rows) == SETTINGS.sample.bts_records_by_area[part]


def test_no_support_point_outside_old_laocai(communes_2025):
    points = load_layer("points")
    assert (_old_province(points, communes_2025) == "laocai").all()
    xy = shapely.get_coordinates(points.to_crs(SETTINGS.crs.metric).geometry.values)
    assert shapely.contains_xy(_parts(communes_2025)["laocai"], xy[:, 0], xy[:, 1]).all()


@pytest.mark.parametrize("part", ["laocai", "yenbai"])
def test_villages_in_proportion_to_population(communes_2025, part):
    villages = load_layer("villages")
    villages = villages[_old_province(villages, communes_2025) == part]
    old = communes_2025[communes_2025["old_province"] == part].set_index("code")
    per_unit = villages.groupby("commune_code_2025")["population"].agg(["size", "sum"])
    assert set(per_unit.index) == set(old.index)  # every unit of the part has villages
    assert (per_unit["sum"] == old.loc[per_unit.index, "population"]).all()
    corr = np.corrcoef(per_unit["size"], old.loc[per_unit.index, "population"])[0, 1]
    assert corr > 0.95
    assert (per_unit["size"] >= SETTINGS.sample.min_villages_per_commune).all()
    polygons = communes_2025.set_index("code").geometry
    assert all(polygons[v.commune_code_2025].contains(v.geometry)
               for v in villages.itertuples())


def test_villages_cover_all_units_old_laocai_first(communes_2025):
    villages = load_layer("villages")
    assert set(villages["commune_code_2025"]) == set(communes_2025["code"])
    part = _old_province(villages, communes_2025)
    n_laocai = int((part == "laocai").sum())
    assert (part.iloc[:n_laocai] == "laocai").all() and (part.iloc[n_laocai:] == "yenbai").all()


def test_fibre_backbone_reaches_every_unit_centre(communes_2025):
    routes = load_layer("fibre_routes")
    nodes = load_layer("fibre_nodes")
    backbone = routes[routes["kind"] == "backbone"]
    # one tree over the 99 unit centres: 47 + 50 links inside the parts, 1 joining them
    assert len(backbone) == 98
    pops = nodes[nodes["kind"] == "pop"]
    assert set(pops["node_id"]) == {
        "N" + communes_2025.set_index("full_name").loc[name, "code"]
        for name in ("Phường Lào Cai", "Phường Yên Bái")}
    assert (nodes["kind"] == "commune").sum() == 97
    centres = nodes[nodes["kind"].isin(["pop", "commune"])]
    assert set(centres["node_id"]) == {f"N{c}" for c in communes_2025["code"]}
    # the backbone's lines join the centre nodes into one connected graph
    key = {tuple(np.round(xy, 6)): n for n, xy in zip(
        centres["node_id"], shapely.get_coordinates(centres.geometry.values), strict=True)}
    parent = {n: n for n in key.values()}

    def root(n: str) -> str:
        while parent[n] != n:
            n = parent[n]
        return n

    for line in backbone.geometry:
        ends = shapely.get_coordinates(line)[[0, -1]]
        a, b = (key[tuple(np.round(xy, 6))] for xy in ends)
        parent[root(a)] = root(b)
    assert len({root(n) for n in parent}) == 1
    old = communes_2025.set_index("code")["old_province"]
    crossing = [r for r in backbone["route_id"]
                if len({old[c] for c in r[1:].split("-")}) == 2]
    assert len(crossing) == 1


def test_ids_unique():
    for name, column in (("points", "point_id"), ("sites", "site_id"),
                         ("villages", "village_id"), ("fibre_routes", "route_id"),
                         ("fibre_nodes", "node_id")):
        layer = load_layer(name)
        assert layer[column].is_unique, name
        assert (layer["source"] == "illustrative").all(), name


def _frames(data: sample.SampleData) -> dict[str, gpd.GeoDataFrame]:
    return {name: getattr(data, name) for name in SAMPLE_FILES}


def test_generation_is_deterministic(generated):
    again = sample.generate()
    for name, frame in _frames(generated).items():
        pd.testing.assert_frame_equal(pd.DataFrame(frame), pd.DataFrame(_frames(again)[name]))


def test_old_laocai_rows_do_not_depend_on_old_yenbai(generated, communes_2025):
    cfg = dataclasses.replace(SETTINGS.sample,
                              bts_records_by_area={"laocai": 2962, "yenbai": 40})
    other = sample.generate(cfg)
    assert len(other.sites) == 2962 + 40
    assert other.sites["site_id"].is_unique
    old = communes_2025.set_index("code")["old_province"]
    for name, frame in _frames(generated).items():
        if name == "points":  # all old Lào Cai's
            n = len(frame)
        elif name == "sites":
            n = 2962
        else:  # the leading rows whose id carries (first) a unit code of old Lào Cai
            codes = frame.iloc[:, 0].str.extract(r"(\d{5})")[0]
            n = int(codes.map(old).ne("laocai").to_numpy().argmax())
            assert n > 0, name
        pd.testing.assert_frame_equal(pd.DataFrame(frame.iloc[:n]),
                                      pd.DataFrame(_frames(other)[name].iloc[:n]))
