import unicodedata

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.admin import (
    district_outlines,
    load_crosswalk,
    load_districts,
    load_origins,
    load_units,
    match_district,
    match_unit,
    successor_2025,
)


def test_units_2020_and_districts():
    units = load_units(2020)
    assert len(units) == 152 and units["code"].is_unique
    assert units["code"].str.fullmatch(r"\d{5}").all()
    districts = load_districts()
    assert len(districts) == 9
    assert districts["units_2020"].sum() == 152
    assert set(units["district_code"]) == set(districts["district_code"])


def test_crosswalk_complete_every_2020_unit_maps_to_one_of_the_99(communes_2025):
    walk = load_crosswalk()
    assert len(walk) == 152 and walk["code_2020"].is_unique
    assert set(walk["code_2020"]) == set(load_units(2020)["code"])
    assert set(walk["code_2025"]) <= set(communes_2025["code"])
    # Old Lào Cai's units map only onto the 48 units formed from it.
    targets = communes_2025.set_index("code").loc[sorted(set(walk["code_2025"]))]
    assert (targets["old_province"] == "laocai").all() and len(targets) == 48


def test_ta_chai_fixed_by_hand_to_bac_ha():
    walk = load_crosswalk().set_index("code_2020")
    assert walk.loc["02872", "full_name_2020"] == "Xã Tà Chải"
    assert walk.loc["02872", "full_name_2025"] == "Xã Bắc Hà"
    assert "2024" in walk.loc["02872", "note"]
    assert successor_2025("2872") == walk.loc["02839", "code_2025"]
    with pytest.raises(KeyError):
        successor_2025("99999")


def test_origins_give_old_districts_for_each_old_laocai_unit():
    origins = load_origins().set_index("full_name_2025")
    assert origins.loc["Xã Bắc Hà", "old_district_codes"] == "085"
    assert origins.loc["Phường Lào Cai", "old_district_codes"] == "080;086"
    yen_bai = origins[origins["old_province"] == "yenbai"]
    assert len(yen_bai) == 51 and (yen_bai["old_district_codes"] == "").all()


@pytest.mark.parametrize(
    "query",
    ["Xã Tả Phời", "Tả Phời", "ta phoi", "TA PHOI", "xa ta phoi", "X. Tả Phời",
     unicodedata.normalize("NFD", "Xã Tả Phời")],
)
def test_match_with_or_without_prefix_case_diacritics_nfd(query):
    m = match_unit(query)
    assert m.status == "matched" and m.code == "02677" and m.district_code == "080"


def test_match_town_prefix_tt():
    assert match_unit("TT Bắc Hà").full_name == "Thị trấn Bắc Hà"
    assert match_unit("Thị trấn Phố Lu").status == "matched"


def test_name_in_two_districts_is_ambiguous_until_district_given():
    m = match_unit("Thanh Bình")
    assert m.status == "ambiguous"
    assert {c.district for c in m.candidates} == {"Huyện Mường Khương", "Thị xã Sa Pa"}
    assert match_unit("Thanh Bình", district="Mường Khương").code == "02779"
    assert match_unit("thanh binh", district="TX Sa Pa").code == "03022"


def test_diacritics_break_a_tie_between_folded_twins():
    # "Sa Pa" and "Sa Pả" fold to the same key; the exact spelling decides.
    assert match_unit("Phường Sa Pả").full_name == "Phường Sa Pả"
    assert match_unit("Phường Sa Pa").full_name == "Phường Sa Pa"
    assert match_unit("sa pả").full_name == "Phường Sa Pả"
    twins = match_unit("Nam Chay")  # Nậm Chảy (Mường Khương) / Nậm Chầy (Văn Bàn)
    assert twins.status == "ambiguous" and len(twins.candidates) == 2
    assert match_unit("Nậm Chầy").district_code == "089"


def test_unmatched_reports_closest_candidates():
    m = match_unit("Ta Phoy")
    assert m.status == "unmatched"
    assert m.candidates[0].full_name == "Xã Tả Phời"
    assert m.candidates == tuple(sorted(m.candidates, key=lambda c: -c.score))
    assert match_unit("Hà Nội Xyz").candidates == ()


def test_match_2025_units_and_districts():
    assert match_unit("Bắc Hà", era=2025).code == "02839"
    assert match_unit("Mù Cang Chải", era=2025).status == "matched"
    assert match_district("Huyện Bắc Hà") == "085"
    assert match_district("tp lao cai") == "080"
    assert match_district("84") == "084"
    assert match_district("Hà Giang") is None
    assert match_unit("Tả Phời", district="Hà Giang").status == "unmatched"


def test_district_outlines_dissolve_by_old_district():
    communes = gpd.GeoDataFrame(
        {"code": ["1", "2", "3"], "name": ["A", "B", "C"]},
        geometry=[box(104.0, 22.0, 104.05, 22.05), box(104.05, 22.0, 104.1, 22.05),
                  box(104.2, 22.0, 104.25, 22.05)],
        crs="EPSG:4326")
    origins = pd.DataFrame({"code_2025": ["1", "2", "3"],
                            "old_district_codes": ["080", "080;086", "086"],
                            "codes_2020": ["a", "b;c;d", "e"]})
    units = pd.DataFrame({"code": list("abcde"),
                          "district_code": ["080", "080", "080", "086", "086"]})
    districts = pd.DataFrame({"district_code": ["080", "086"],
                              "full_name": ["Thành phố Lào Cai", "Huyện Bảo Thắng"]})
    out = district_outlines(communes, origins, units, districts)
    assert list(out["district_code"]) == ["080", "086"]
    assert list(out["district"]) == ["Thành phố Lào Cai", "Huyện Bảo Thắng"]
    assert list(out["units"]) == [2, 1]  # unit 2 goes to 080 (two of its three old units)
    assert out.iloc[0].geometry.area == pytest.approx(0.1 * 0.05, rel=1e-6)
    no_old_district = origins.assign(old_district_codes="")
    assert district_outlines(communes, no_old_district, units, districts).empty
