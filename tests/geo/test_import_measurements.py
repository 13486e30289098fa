"""Field measurements (:mod:`geo.import_measurements`): each format of the corpus reads to the
canonical ``measurements`` schema, bad rows refuse the file row by row, and a good file is
saved as a version of the ``measurements`` layer in one transaction."""

from __future__ import annotations

import sqlite3
import unicodedata

import pandas as pd
import pytest

from geo.__main__ import EXIT_BAD_INPUT, main
from geo.errors import DataError
from geo.importers import IMPORT_KINDS, import_file
from geo.schema import SCHEMAS
from geo.workspace import LAYERS, Workspace
from i18n.import_messages import IMPORT_PROBLEMS, IMPORT_WARNINGS
from i18n.messages import problem_text, warning_texts
from tests.corpus import (
    GNETTRACK_ROWS,
    MEASURED_AT,
    MEASUREMENT_TABLE,
    cellmapper_csv,
    gnettrack_log,
    measurement_points,
    measurement_table_cp1258,
    netmonster_csv,
)

COLUMNS = [*SCHEMAS["measurements"].column_names, "geometry"]


def _read(report) -> pd.DataFrame:
    assert report.ok, report.summary()
    gdf = report.layers["measurements"]
    assert list(gdf.columns) == COLUMNS
    assert (gdf["source"] == "imported").all()
    assert gdf.crs.to_epsg() == 4326
    return gdf


def _positions(gdf) -> list[tuple[float, float]]:
    return [(round(p.x, 4), round(p.y, 4)) for p in gdf.geometry]


def test_kind_is_registered_everywhere():
    assert "measurements" in IMPORT_KINDS and "measurements" in LAYERS
    assert SCHEMAS["measurements"].id_column == "measurement_id"


def test_gnettrack_log(tmp_path):
    report = import_file("measurements", gnettrack_log(tmp_path))
    gdf = _read(report)
    assert report.rows_read == report.rows_accepted == 5
    assert gdf["operator"].tolist() == ["Viettel", "VinaPhone", "MobiFone", "Vietnamobile",
                                        "Viettel"]
    assert gdf["technology"].tolist() == ["4G", "3G", "2G", "4G", "5G"]
    assert gdf["signal_dbm"].tolist() == [-87.0, -95.0, -79.0, -104.0, -92.0]
    assert gdf["cell_id"].tolist() == [r[2] for r in GNETTRACK_ROWS]  # the CGI as logged
    # The phone's local time (UTC+7), stored in UTC.
    assert gdf["time"].iloc[0] == "2025-06-30T01:15:00Z"
    assert gdf["track"].iloc[0] == "gnettrack_2025.06.30"
    assert gdf["measurement_id"].is_unique
    assert _positions(gdf) == [(round(x, 4), round(y, 4)) for x, y in MEASURED_AT]
    codes = [n.code for n in report.notices]
    assert "measurement_format" in codes and "measurement_local_time" in codes
    assert any("G-NetTrack" in w for w in report.warnings)


def test_gnettrack_operator_from_the_name_when_the_code_is_missing(tmp_path):
    rows = [(name, "", cgi, cid, tech, mode, level)
            for name, _, cgi, cid, tech, mode, level in GNETTRACK_ROWS]
    gdf = _read(import_file("measurements", gnettrack_log(tmp_path, rows)))
    assert gdf["operator"].tolist() == ["Viettel", "VinaPhone", "MobiFone", "Vietnamobile",
                                        "Viettel"]


def test_cellmapper_export(tmp_path):
    gdf = _read(import_file("measurements", cellmapper_csv(tmp_path)))
    assert gdf["operator"].tolist() == ["Viettel", "VinaPhone", "MobiFone", "Viettel"]
    assert gdf["technology"].tolist() == ["4G", "3G", "2G", "5G"]
    assert gdf["signal_dbm"].tolist() == [-98.0, -88.0, -71.0, -101.0]
    assert gdf["cell_id"].tolist() == ["302474753", "34567", "4411", "5120000001"]
    assert gdf["time"].isna().all()
    assert _positions(gdf) == [(round(x, 4), round(y, 4)) for x, y in MEASURED_AT[:4]]


def test_netmonster_style_export_takes_the_level_of_each_technology(tmp_path):
    gdf = _read(import_file("measurements", netmonster_csv(tmp_path)))
    assert gdf["operator"].tolist() == ["Viettel", "VinaPhone", "MobiFone", "Viettel"]
    assert gdf["technology"].tolist() == ["4G", "3G", "2G", "5G"]
    # RSRP (4G), RSCP (3G), RSSI (2G), SS-RSRP before RSRP (5G).
    assert gdf["signal_dbm"].tolist() == [-91.0, -97.0, -83.0, -95.0]
    assert gdf["time"].iloc[0] == "2025-06-30T08:15:00Z"  # epoch milliseconds are UTC


@pytest.mark.parametrize("bom", [False, True], ids=["cp1258", "utf8-bom"])
def test_vietnamese_table(tmp_path, bom):
    path = measurement_table_cp1258(tmp_path, bom_utf8=bom)
    report = import_file("measurements", path)
    gdf = _read(report)
    assert report.encoding == ("UTF-8 (BOM)" if bom else "Windows-1258")
    assert gdf["operator"].tolist() == ["Viettel", "VinaPhone", "MobiFone", "Vietnamobile",
                                        "Viettel"]
    assert gdf["technology"].tolist() == ["4G", "3G", "2G", "4G", "5G"]
    assert gdf["signal_dbm"].tolist() == [-85.5, -93.0, -77.0, -108.0, -96.0]
    # dd/mm/yyyy local time and an explicit UTC time both end up in UTC.
    assert gdf["time"].tolist()[0] == "2025-06-30T01:15:00Z"
    assert gdf["time"].tolist()[4] == "2025-06-30T01:19:00Z"
    track = gdf["track"].iloc[0]
    assert track == "Tuyến QL4D Sa Pa – Lào Cai" and unicodedata.is_normalized("NFC", track)
    assert _positions(gdf) == [(round(x, 4), round(y, 4)) for x, y in MEASURED_AT]


def test_vn2000_metres_are_recognised(tmp_path):
    from geo.crs import transform

    east, north = transform([p[0] for p in MEASURED_AT], [p[1] for p in MEASURED_AT],
                            "EPSG:4326", "EPSG:9208")
    lines = ["X (VN-2000);Y (VN-2000);MNC;Công nghệ;RSRP;Thời gian"]
    for x, y in zip(north, east, strict=True):
        lines.append(f"{x:.2f};{y:.2f};4;LTE;-99;2025-06-30 08:15:00")
    path = tmp_path / "vn2000.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = import_file("measurements", path)
    gdf = _read(report)
    assert report.crs_guess is not None and report.crs_guess.kind.startswith("vn2000")
    assert (gdf["operator"] == "Viettel").all() and (gdf["technology"] == "4G").all()
    assert _positions(gdf) == [(round(x, 4), round(y, 4)) for x, y in MEASURED_AT]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_points_in_a_vector_file(tmp_path, suffix):
    gdf = _read(import_file("measurements", measurement_points(tmp_path, suffix)))
    assert gdf["operator"].tolist() == ["Viettel", "VinaPhone", "MobiFone"]
    assert gdf["technology"].tolist() == ["4G", "3G", "2G"]
    assert gdf["signal_dbm"].tolist() == [-90.0, -94.0, -80.0]  # RSRP, RSCP, RxLev
    assert gdf["time"].tolist()[:2] == ["2025-06-30T01:15:00Z", "2025-06-30T01:16:00Z"]
    assert pd.isna(gdf["time"].iloc[2])


def _bad_log(tmp_path):
    rows = list(GNETTRACK_ROWS)
    positions = list(MEASURED_AT)
    positions[0] = (None, None)                      # row 1: no position
    rows[1] = (*rows[1][:6], "-10")                  # row 2: −10 dBm
    rows[2] = (*rows[2][:6], "-160")                 # row 3: −160 dBm
    positions[3] = (106.5, 10.8)                     # row 4: Hồ Chí Minh City
    rows.append(("Gmobile", "45207", "452-07-1-2", "2", "4G", "LTE", "-90"))  # row 6
    rows.append(("Viettel", "45204", "452-04-1-3", "3", "CDMA", "CDMA", "-90"))  # row 7
    positions += [MEASURED_AT[1], MEASURED_AT[2]]
    return gnettrack_log(tmp_path, rows, positions)


def test_bad_rows_are_reported_by_row_and_nothing_is_saved(tmp_path):
    report = import_file("measurements", _bad_log(tmp_path))
    assert not report.ok and report.rows_accepted == 0 and not report.layers
    found = {(p.row, p.code) for p in report.problems}
    assert found == {(1, "missing_value"), (2, "signal_impossible"),
                     (3, "signal_impossible"), (4, "outside"), (6, "unknown_operator"),
                     (7, "unknown_technology")}
    by_row = {p.row: p for p in report.problems}
    assert by_row[1].column == "Longitude/Latitude"
    assert by_row[2].column == by_row[3].column == "Level"
    assert by_row[6].column == "Operator" and by_row[7].column == "NetworkTech"
    assert [p.row for p in report.problems] == sorted(p.row for p in report.problems)
    assert "-160" in by_row[3].message and "106.50000" in by_row[4].message
    # Every code has a Vietnamese text, with its placeholders filled.
    for p in report.problems:
        assert p.code in IMPORT_PROBLEMS
        text = problem_text(p, "vi")
        assert text != p.message and "{" not in text
    assert "-10" in problem_text(by_row[2], "vi")
    for text in warning_texts(report, "vi"):
        assert "{" not in text
    ws = Workspace(tmp_path / "ws.gpkg")
    with pytest.raises(DataError, match="nothing saved"):
        ws.save(report)
    assert not ws.exists() and ws.list_versions() == []


def test_vietnamese_table_with_bad_rows(tmp_path):
    rows = list(MEASUREMENT_TABLE)
    rows[1] = ("Vinaphone", "3G", "-10", "30/06/2025 08:16:00")
    rows[2] = ("Gtel", "GSM", "-77", "hôm qua")
    positions = list(MEASURED_AT)
    positions[3] = (106.5, 10.8)
    path = measurement_table_cp1258(tmp_path, rows=tuple(rows), positions=tuple(positions))
    report = import_file("measurements", path)
    found = {(p.row, p.code, p.column) for p in report.problems}
    assert found == {(2, "signal_impossible", "Cường độ tín hiệu (dBm)"),
                     (3, "unknown_operator", "Nhà mạng"), (3, "not_time", "Thời gian"),
                     (4, "outside", "Kinh độ/Vĩ độ")}
    assert not report.ok


def test_missing_columns_refuse_the_file(tmp_path):
    path = tmp_path / "no_signal.csv"
    path.write_text("Kinh độ,Vĩ độ,Nhà mạng,Công nghệ\n103.97,22.48,Viettel,4G\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match="no signal level column") as exc:
        import_file("measurements", path)
    assert exc.value.code == "no_column"
    path.write_text("Kinh độ,Vĩ độ,Công nghệ,RSRP\n103.97,22.48,4G,-90\n", encoding="utf-8")
    with pytest.raises(DataError, match="no operator column"):
        import_file("measurements", path)
    gdf = _read(import_file("measurements", path, operator="Vinaphone"))
    assert gdf["operator"].tolist() == ["VinaPhone"]


def test_a_good_file_is_saved_as_a_version_in_one_transaction(tmp_path, monkeypatch):
    ws = Workspace(tmp_path / "ws" / "workspace.gpkg")
    report = import_file("measurements", gnettrack_log(tmp_path))
    (version,) = ws.save(report)
    assert version.version_id == "measurements_v1" and version.rows == 5
    assert ws.current_version("measurements").version_id == "measurements_v1"
    back = ws.read_version("measurements_v1")
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")),
                                  pd.DataFrame(report.gdf.drop(columns="geometry")),
                                  check_dtype=False)
    # A failing save leaves nothing behind: no table, no version row.
    monkeypatch.setenv("LAOCAI_TEST_FAIL_WRITE", "1")
    with pytest.raises(RuntimeError):
        ws.save(import_file("measurements", cellmapper_csv(tmp_path)))
    monkeypatch.delenv("LAOCAI_TEST_FAIL_WRITE")
    assert [v.version_id for v in ws.list_versions("measurements")] == ["measurements_v1"]
    with sqlite3.connect(ws.path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "measurements_v2" not in tables
    (second,) = ws.save(import_file("measurements", cellmapper_csv(tmp_path)))
    assert second.version_id == "measurements_v2"
    assert [v.version_id for v in ws.list_versions("measurements")] == [
        "measurements_v2", "measurements_v1"]
    assert ws.current("measurements")["technology"].tolist() == ["4G", "3G", "2G", "5G"]
    # Measurements are not an analysis input: the exported current layers leave them out.
    assert "measurements" not in ws.export_current(tmp_path / "export")


def test_command_line(tmp_path, monkeypatch, capsys):
    path = tmp_path / "ws" / "workspace.gpkg"
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(path))
    assert main(["import", "measurements", str(gnettrack_log(tmp_path))]) == 0
    assert f"saved measurements_v1 in {path}" in capsys.readouterr().out
    assert main(["versions", "measurements"]) == 0
    assert capsys.readouterr().out.startswith("measurements_v1")
    assert main(["--lang", "vi", "import", "measurements", str(_bad_log(tmp_path)),
                 "--workspace", str(tmp_path / "other.gpkg")]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "gnettrack_2025.06.30.txt:3:Level: Cường độ tín hiệu -160 dBm" in err
    assert not (tmp_path / "other.gpkg").exists()


def test_warning_codes_have_texts():
    for code in ("measurement_format", "measurement_local_time", "measurement_id_made_up"):
        assert code in IMPORT_WARNINGS


def test_the_active_measurements_reach_the_analysis_inputs(tmp_path, monkeypatch):
    """The app reads the workspace's active measurements beside the layers (through
    ``current_paths``, so a new version gives a new data key), kept on the study area's
    terrain grid."""
    from analysis.inputs import load_inputs

    ws = Workspace(tmp_path / "ws" / "workspace.gpkg")
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(ws.path))
    assert load_inputs(area="laocai").measurements is None  # nothing imported: none
    ws.save(import_file("measurements", gnettrack_log(tmp_path)))
    assert ws.current_paths()["measurements"].suffix == ".gpkg"
    assert "measurements" not in ws.export_current(tmp_path / "export")
    whole = load_inputs(area="province").measurements
    assert whole.crs.to_epsg() == 4326
    assert whole["signal_dbm"].tolist() == [float(r[-1]) for r in GNETTRACK_ROWS]
    # Yên Bái city (the fourth position) is some 60 km beyond old Lào Cai's grid.
    old = load_inputs(area="laocai").measurements
    assert (104.872, 21.7229) not in _positions(old)
    assert set(_positions(old)) < set(_positions(whole))
