"""What each file of the corpus (:mod:`tests.corpus`) imports to."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest

from geo.admin import load_units, successor_2025
from geo.importers import import_file
from geo.settings import SETTINGS
from tests.corpus import (
    annex_xlsx,
    dem_tif,
    fibre_kmz,
    opencellid_csv,
    operator_list_cp1258,
    villages_shapefile_zip,
)

# --- what each good file imports to --------------------------------------------------------


def test_operator_list_vn2000_cp1258(tmp_path):
    path, sample = operator_list_cp1258(tmp_path)
    report = import_file("sites", path)
    assert report.ok, report.problem_lines()
    assert report.encoding == "Windows-1258"
    assert report.crs_guess.kind == "vn2000_tm3_swapped"
    assert any("X = northing" in w for w in report.warnings)
    assert report.rows_read == report.rows_accepted == 30
    sites = report.gdf
    assert len(sites) == 30 and set(sites["source"]) == {"imported"}
    np.testing.assert_allclose(sites["lon"], sample["lon"], atol=2e-5)
    np.testing.assert_allclose(sites["lat"], sample["lat"], atol=2e-5)
    assert list(sites["operator"]) == list(sample["operator"])
    assert list(sites["technology"]) == list(sample["technology"])
    assert list(sites["band_mhz"]) == list(sample["band_mhz"])
    assert sites.loc[3, "assumed"] == "height_m;eirp_dbm"
    assert sites.loc[3, "height_m"] == SETTINGS.radio.default_height_m
    assert sites.loc[0, "assumed"] == "eirp_dbm"
    np.testing.assert_allclose(sites.loc[0, "height_m"], sample.loc[0, "height_m"])
    assert sites["site_id"].is_unique
    assert list(sites["tower_id"]) == list(sample["tower_id"])


def test_opencellid_extract_grouped_into_sites(tmp_path):
    path, expected_sites, expected_excluded = opencellid_csv(tmp_path)
    report = import_file("sites", path)
    assert report.ok, report.problem_lines()
    sites = report.gdf
    assert len(sites) == expected_sites
    assert report.excluded_count == expected_excluded
    reasons = {p.code for p in report.excluded}
    assert reasons == {"other_country", "unknown_network", "outside_excluded", "unknown_radio"}
    assert set(sites["technology"]) == {"4G", "2G"}
    assert set(sites["assumed"]) == {"band_mhz;height_m;eirp_dbm"}
    assert set(sites.loc[sites["technology"] == "4G", "band_mhz"]) == {1800.0}
    assert set(sites["operator"]) <= {"Viettel", "VinaPhone", "MobiFone", "Vietnamobile"}
    # the LTE and GSM sites of one tower share its tower id
    assert sites.groupby("tower_id")["technology"].nunique().eq(2).all()
    assert any("CC BY-SA" in w for w in report.warnings)


def test_opencellid_without_header_line(tmp_path):
    path, expected_sites, _ = opencellid_csv(tmp_path, header=False)
    report = import_file("sites", path)
    assert report.ok and len(report.gdf) == expected_sites


def test_annex_with_misspelt_and_bare_names(tmp_path):
    path = annex_xlsx(tmp_path)
    report = import_file("points", path)
    assert not report.ok
    assert {p.row for p in report.problems} == {4, 5}
    assert report.candidates[4][0].code == "02677"  # Tả Phời, for "Tả Phờ"
    assert {c.code for c in report.candidates[5]} == {"02770", "03076"}  # Nậm Chảy / Nậm Chầy
    codes = {p.code for p in report.problems}
    assert codes == {"unmatched_commune", "ambiguous_commune"}
    assert any("Phụ lục" in w and "2" in w for w in report.warnings)  # sheet read, of 2

    fixed = import_file("points", path, overrides={4: "02677", 5: "03076"})
    assert fixed.ok, fixed.problem_lines()
    points = fixed.gdf
    assert len(points) == 6
    assert list(points["commune_code_2020"]) == ["02677", "02701", "02848", "02677", "03076",
                                                 "02770"]
    assert list(points["point_type"]) == ["commune", "commune", "village", "commune",
                                          "commune", "commune"]
    assert points.loc[2, "village"] == "Thôn Sán Sả Hồ"
    assert pd.isna(points.loc[0, "village"])  # the formula was not evaluated
    assert set(points["location"]) == {"commune_centre"}
    units25 = load_units(2025).set_index("code")
    for _, p in points.iterrows():
        code25 = successor_2025(p["commune_code_2020"])
        assert p["commune_code_2025"] == code25
        assert p.geometry.x == pytest.approx(units25.loc[code25, "centre_lon"])
        assert p.geometry.y == pytest.approx(units25.loc[code25, "centre_lat"])
    assert points.loc[1, "district"] == "Bát Xát"
    assert unicodedata.is_normalized("NFC", "".join(points["name"]))


def test_fibre_kmz(tmp_path):
    report = import_file("fibre", fibre_kmz(tmp_path))
    assert report.ok, report.problem_lines()
    routes, nodes = report.layers["fibre_routes"], report.layers["fibre_nodes"]
    assert list(routes["kind"]) == ["backbone", "backbone", "access", "access"]
    assert list(routes["route_id"]) == ["Trục 1", "Trục 2", "Nhánh 1", "Nhánh 2"]
    assert routes.geom_type.tolist()[2] == "MultiLineString"
    assert set(routes["operator"]) == set(nodes["operator"]) == {"VNPT"}
    assert list(nodes["kind"]) == ["pop", "commune", "village"]
    assert not routes.has_z.any()


@pytest.mark.parametrize("prj", [True, False])
def test_villages_zipped_shapefile(tmp_path, prj):
    path, sample = villages_shapefile_zip(tmp_path, prj=prj)
    report = import_file("villages", path)
    assert report.ok, report.problem_lines()
    villages = report.gdf
    assert list(villages["village_id"]) == list(sample["village_id"])
    assert list(villages["name"]) == list(sample["name"])  # diacritics survive the DBF
    assert list(villages["population"]) == list(sample["population"])
    assert list(villages["commune_code_2025"]) == list(sample["commune_code_2025"])
    np.testing.assert_allclose(villages.geometry.x, sample.geometry.x, atol=1e-6)
    if not prj:
        assert any("no .prj" in w for w in report.warnings)
        assert report.crs_guess.kind == "vn2000_tm3"


def test_dem_tile(tmp_path):
    report = import_file("dem", dem_tif(tmp_path))
    assert report.ok
    assert report.dem_bounds == pytest.approx((104.0, 22.3, 104.2, 22.5))


def test_annex_rows_of_old_yen_bai_are_matched_within_their_old_district(tmp_path):
    path = tmp_path / "yen_bai.csv"
    path.write_text("Huyện,Xã,Loại\n"
                    "Mù Cang Chải,Cao Phạ,xã\n"
                    "Huyện Văn Chấn,xa tu le,xã\n"
                    "TP Yên Bái,Nam Cường,xã\n"
                    ",Nam Cường,xã\n", encoding="utf-8")
    report = import_file("points", path)
    # Without a district, "Nam Cường" is a ward of both TP Lào Cai and TP Yên Bái.
    assert [p.code for p in report.problems] == ["ambiguous_commune"]
    assert {c.code for c in report.candidates[4]} == {"02671", "04273"}
    points = import_file("points", path, overrides={4: "04273"}).gdf
    assert list(points["commune_code_2020"]) == ["04480", "04630", "04273", "04273"]
    assert list(points["commune_code_2025"]) == ["04630", "04630", "04273", "04273"]
    assert list(points["district"]) == ["Mù Cang Chải", "Văn Chấn", "TP Yên Bái", "TP Yên Bái"]
    assert list(points["district_code"]) == ["137", "140", "132", "132"]
