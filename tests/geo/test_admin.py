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


def test_units_2020_and_districts_of_both_old_provinces():
    units = load_units(2020)
    assert len(units) == 325 and units["code"].is_unique
    assert units["code"].str.fullmatch(r"\d{5}").all()
    assert units["old_province"].value_counts().to_dict() == {"yenbai": 173, "laocai": 152}
    districts = load_districts()
    assert districts["old_province"].value_counts().to_dict() == {"laocai": 9, "yenbai": 9}
    assert districts.groupby("old_province")["units_2020"].sum().to_dict() == {
        "laocai": 152, "yenbai": 173}
    assert set(units["district_code"]) == set(districts["district_code"])
    assert districts["short_name"].str.len().gt(0).all()  # the briefing's old-district rows
    province_of = districts.set_index("district_code")["old_province"]
    assert (units["district_code"].map(province_of) == units["old_province"]).all()
    yen_bai = districts[districts["old_province"] == "yenbai"].set_index("district_code")
    assert yen_bai.loc["137", "short_name"] == "Mù Cang Chải"
    assert yen_bai.loc["132", "short_name"] == "TP Yên Bái"
    assert list(yen_bai.index) == ["132", "133", "135", "136", "137", "138", "139", "140",
                                   "141"]


def test_crosswalk_complete_every_2020_unit_maps_to_one_of_the_99(communes_2025):
    walk = load_crosswalk()
    assert len(walk) == 325 and walk["code_2020"].is_unique
    assert set(walk["code_2020"]) == set(load_units(2020)["code"])
    assert set(walk["code_2025"]) <= set(communes_2025["code"])
    # Each old province's units map only onto the 48 / 51 units formed from it.
    province_2025 = communes_2025.set_index("code")["old_province"]
    for old, count in (("laocai", 48), ("yenbai", 51)):
        targets = set(walk.loc[walk["old_province"] == old, "code_2025"])
        assert len(targets) == count
        assert (province_2025.loc[sorted(targets)] == old).all()


def test_ta_chai_fixed_by_hand_to_bac_ha():
    walk = load_crosswalk().set_index("code_2020")
    assert walk.loc["02872", "full_name_2020"] == "Xã Tà Chải"
    assert walk.loc["02872", "full_name_2025"] == "Xã Bắc Hà"
    assert "2024" in walk.loc["02872", "note"]
    assert successor_2025("2872") == walk.loc["02839", "code_2025"]
    with pytest.raises(KeyError):
        successor_2025("99999")


def test_origins_give_old_districts_for_each_2025_unit(communes_2025):
    origins = load_origins().set_index("full_name_2025")
    assert origins.loc["Xã Bắc Hà", "old_district_codes"] == "085"
    assert origins.loc["Phường Lào Cai", "old_district_codes"] == "080;086"
    assert (origins["units_2020"].astype(int) >= 1).all() and len(origins) == 99
    yen_bai = origins[origins["old_province"] == "yenbai"]
    assert len(yen_bai) == 51 and (yen_bai["old_district_codes"] != "").all()
    assert yen_bai["units_2020"].astype(int).sum() == 173
    assert origins.loc["Xã Tú Lệ", "old_district_codes"] == "137;140"
    assert origins.loc["Xã Tú Lệ", "codes_2020"] == "04480;04630"
    # The boundaries carry the same old districts.
    by_code = communes_2025.set_index("code")["old_districts"]
    assert (by_code.loc[origins["code_2025"]].to_numpy()
            == origins["old_district_codes"].to_numpy()).all()


def test_yen_bai_units_merged_before_2025_fixed_by_hand():
    walk = load_crosswalk().set_index("code_2020")
    for code_2020, absorbed_by in (("04267", "04264"), ("04507", "04510"),
                                   ("04528", "04522"), ("04561", "04567"),
                                   ("04774", "04762")):
        assert "2024" in walk.loc[code_2020, "note"]
        assert walk.loc[code_2020, "code_2025"] == walk.loc[absorbed_by, "code_2025"]
    assert walk.loc["04528", "full_name_2025"] == "Phường Nam Cường"


def test_successor_2025_of_a_yen_bai_code():
    assert successor_2025("04630") == "04630"  # Xã Tú Lệ kept its code
    assert successor_2025("4480") == "04630"  # Xã Cao Phạ (Mù Cang Chải) → Xã Tú Lệ
    assert successor_2025("04264") == "04252"  # Phường Nguyễn Phúc → Phường Yên Bái


@pytest.mark.parametrize("query", ["Xã Tú Lệ", "Tú Lệ", "tu le", "XA TU LE",
                                   unicodedata.normalize("NFD", "Xã Tú Lệ")])
def test_match_yen_bai_unit_with_and_without_diacritics(query):
    m = match_unit(query)
    assert m.status == "matched" and m.code == "04630" and m.district_code == "140"
    assert m.full_name == "Xã Tú Lệ"


def test_match_yen_bai_districts_and_units_within_them():
    assert match_district("Mù Cang Chải") == "137"
    assert match_district("Huyện Mù Căng Chải") == "137"
    assert match_district("mu cang chai") == "137"
    assert match_district("TP Yên Bái") == "132"
    assert match_district("Thị xã Nghĩa Lộ") == "133"
    assert match_district("Yên Bình") == "141"
    # Nghĩa Lộ is a 2020 commune of TX Nghĩa Lộ and (as Phường) a 2025 unit.
    assert match_unit("Xã Nghĩa Lộ", district="TX Nghĩa Lộ").code == "04624"
    assert match_unit("Cao Phạ", district="Mù Cang Chải").code == "04480"
    assert match_unit("Cao Phạ", district="Văn Chấn").status == "unmatched"
    assert match_unit("Tú Lệ", era=2025, district="137").code == "04630"


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
