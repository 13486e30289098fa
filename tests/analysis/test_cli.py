"""The gaps and indicators commands end to end on the bundled data (flat terrain, 90 m)."""

import json
import subprocess
import sys

import pytest

from analysis import __main__ as cli
from geo.export import read_export

COMMON = ["kind", "name", "commune_code_2025", "commune_name_2025", "best_technology",
          "best_signal_dbm", "servers", "reason", "fibre_distance_m", "source", "study_area"]


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("LAOCAI_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


def test_gaps_geojson_has_the_documented_properties(tmp_path, capsys):
    out = tmp_path / "gaps.geojson"
    assert cli.main(["gaps", "--out", str(out)]) == 0
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in collection
    kinds = {f["properties"]["kind"] for f in collection["features"]}
    assert kinds == {"support_point", "village", "gap_area"}
    for feature in collection["features"]:
        assert set(COMMON) <= set(feature["properties"])
        props = feature["properties"]
        if props["kind"] != "gap_area":
            assert props["reason"] in ("", "out_of_range", "terrain_shadow", "weak_signal")
            assert props["source"] == "illustrative"
    assert "terrain not loaded" in capsys.readouterr().err


@pytest.mark.parametrize("ext", [".gpkg", ".csv", ".kml"])
def test_gaps_in_every_format_reads_back(tmp_path, ext):
    out = tmp_path / f"gaps{ext}"
    assert cli.main(["gaps", "--operator", "Viettel", "--out", str(out)]) == 0
    frames = read_export(out)
    assert set(frames) == {"support_points", "villages", "gap_areas"}
    assert len(frames["support_points"]) > 0


def test_indicators_json_and_bad_input():
    assert cli.main(["gaps", "--out", "gaps.shp"]) == 2
    result = subprocess.run([sys.executable, "-m", "analysis", "indicators", "--json"],
                            capture_output=True, text=True, check=True)
    figures = {i["key"]: i for i in json.loads(result.stdout)}
    # the default area is the whole province: its 4,017 records beside the 2025 figures
    assert figures["bts_records"]["value"] == 4017 and figures["bts_records"]["published"] == "4017"
    assert figures["village_centres_3g4g"]["denominator_label"] == "of village centres"
    assert figures["village_centres_3g4g"]["published"] == "99.3%"
    old = subprocess.run([sys.executable, "-m", "analysis", "indicators", "--json", "--area",
                          "laocai"], capture_output=True, text=True, check=True)
    figures = {i["key"]: i for i in json.loads(old.stdout)}
    # the records standing in old Lào Cai: its 2,962, not the 164 of old Yên Bái's that its
    # terrain grid (its box plus the margin) also holds for the coverage near its edges
    assert figures["bts_records"]["value"] == 2962 and figures["bts_records"]["published"] == "2962"
    assert figures["village_centres_3g4g"]["published"] == "97.8%"
    assert 0 <= figures["points_tech"]["value"] <= 100
    bad = subprocess.run([sys.executable, "-m", "analysis", "gaps", "--data", "/nonexistent",
                          "--dem", "/nonexistent/dem.tif", "--out", "x.geojson"],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines()[-1].startswith("error: ")


def test_errors_in_the_chosen_language(tmp_path, capsys) -> None:
    """``--lang`` chooses the language of a coded error; one without a translation stays
    English."""
    from analysis.__main__ import main

    missing = ["coverage", "--sites", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o")]
    assert main(missing) == 2 and "file not found" in capsys.readouterr().err
    assert main([*missing, "--lang", "vi"]) == 2
    assert "file not found" in capsys.readouterr().err  # no code: the English message
