"""The workspace GeoPackage: versions, switching back, atomic saves, concurrent saves and a
save killed mid-write."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyogrio
import pytest

from geo.errors import DataError, WorkspaceBusyError
from geo.importers import import_file
from geo.settings import ROOT
from geo.workspace import (
    FAIL_ENV,
    HOLD_ENV,
    MARKER_ENV,
    Workspace,
    geometry_from_blob,
    gpkg_blob,
)
from tests.corpus import dem_tif, fibre_kmz, operator_list_cp1258


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory) -> Path:
    path, _ = operator_list_cp1258(tmp_path_factory.mktemp("corpus"), n=12)
    return path


@pytest.fixture(scope="module")
def sites_report(sites_file):
    return import_file("sites", sites_file)


@pytest.fixture()
def ws(tmp_path, monkeypatch) -> Workspace:
    path = tmp_path / "data" / "workspace.gpkg"
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(path))
    return Workspace()


def test_path_from_environment_and_never_inside_the_repository(ws, tmp_path, monkeypatch):
    assert ws.path == (tmp_path / "data" / "workspace.gpkg").resolve()
    with pytest.raises(DataError, match="inside the project folder"):
        Workspace(ROOT / "data" / "workspace.gpkg")
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(ROOT / "workspace.gpkg"))
    with pytest.raises(DataError, match="inside the project folder"):
        Workspace()
    with pytest.raises(DataError, match="is a folder"):
        Workspace(tmp_path)


def test_reading_an_absent_workspace_creates_nothing(ws):
    assert ws.list_versions() == []
    assert ws.current("sites") is None
    assert ws.current_paths() == {}
    assert not ws.path.exists() and not ws.path.parent.exists()


def test_versions_activate_and_current(ws, sites_report):
    first = ws.save(sites_report)
    second = ws.save(sites_report)
    assert [v.version_id for v in first + second] == ["sites_v1", "sites_v2"]
    versions = ws.list_versions("sites")
    assert [(v.version_id, v.active) for v in versions] == [("sites_v2", True),
                                                            ("sites_v1", False)]
    v = versions[0]
    assert v.file_name == "danh_sach_BTS.csv" and v.sha256 == sites_report.sha256
    assert v.rows == 12 and "text encoding: Windows-1258" in v.warnings
    assert v.created_utc.endswith("Z") and "T" in v.created_utc
    current = ws.current("sites")
    expected = sites_report.gdf
    assert current.drop(columns="geometry").equals(expected.drop(columns="geometry"))
    assert current.geometry.geom_equals_exact(expected.geometry, 1e-9).all()
    assert ws.activate("sites_v1").active
    assert ws.current_version("sites").version_id == "sites_v1"
    with pytest.raises(DataError, match="no version 'sites_v9'"):
        ws.activate("sites_v9")
    ws.deactivate("sites")
    assert ws.current("sites") is None
    assert ws.current("points") is None


def test_gdal_reads_the_workspace(ws, sites_report):
    ws.save(sites_report)
    layers = dict(pyogrio.list_layers(ws.path))
    assert layers["sites_v1"] == "Point"
    gdf = pyogrio.read_dataframe(ws.path, layer="sites_v1")
    assert list(gdf["site_id"]) == list(sites_report.gdf["site_id"])
    assert gdf.crs.to_epsg() == 4326
    assert pyogrio.read_info(ws.path, layer="sites_v1")["features"] == 12
    with sqlite3.connect(ws.path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_geometry_blobs_round_trip():
    from shapely.geometry import LineString, MultiLineString, Point

    for geom in (Point(104.1, 22.4), LineString([(104, 22), (104.1, 22.2)]),
                 MultiLineString([[(104, 22), (104.1, 22.2)], [(104.2, 22), (104.3, 22.1)]])):
        assert geometry_from_blob(gpkg_blob(geom)).equals_exact(geom, 0)


def test_fibre_saves_routes_and_nodes_together(ws, tmp_path):
    saved = ws.save(import_file("fibre", fibre_kmz(tmp_path)))
    assert [v.version_id for v in saved] == ["fibre_routes_v1", "fibre_nodes_v1"]
    assert len(ws.current("fibre_routes")) == 4 and len(ws.current("fibre_nodes")) == 3


def test_dem_stored_next_to_the_workspace(ws, tmp_path):
    report = import_file("dem", dem_tif(tmp_path))
    (version,) = ws.save(report)
    stored = ws.current_dem()
    assert version.version_id == "dem_v1" and version.table_name is None
    assert stored.parent.parent.parent == ws.files_dir
    assert sha(stored) == report.sha256 == version.sha256


def test_current_paths_feed_load_inputs(ws, sites_report, tmp_path):
    from analysis.inputs import load_inputs

    ws.save(sites_report)
    ws.save(import_file("dem", dem_tif(tmp_path)))
    paths = ws.current_paths()
    assert set(paths) == {"sites", "dem"}
    assert paths["dem"] == ws.current_dem()
    assert paths["sites"].name.startswith("sites_v1-")
    assert ws.current_paths() == paths  # reused, not rewritten
    exported = ws.export_current(tmp_path / "export")
    assert exported["sites"] == tmp_path / "export" / "sites.gpkg"
    inputs = load_inputs(paths=paths)
    assert inputs.sources["sites"] == "imported"
    assert inputs.sources["points"] == "illustrative"  # falls back, still labelled
    assert len(inputs.sites) == 12


def test_report_with_problems_is_not_saved(ws, sites_report, tmp_path):
    ws.save(sites_report)
    before = sha(ws.path)
    bad = import_file("points", _annex(tmp_path))
    with pytest.raises(DataError, match="nothing saved"):
        ws.save(bad)
    assert sha(ws.path) == before


def _annex(folder: Path) -> Path:
    from tests.corpus import annex_xlsx

    return annex_xlsx(folder)


def test_failure_inside_the_transaction_leaves_the_file_unchanged(ws, sites_report,
                                                                  monkeypatch):
    ws.save(sites_report)
    before, versions = sha(ws.path), ws.list_versions()
    monkeypatch.setenv(FAIL_ENV, "1")
    with pytest.raises(RuntimeError, match="test hook"):
        ws.save(sites_report)
    assert sha(ws.path) == before
    assert ws.list_versions() == versions
    assert not Path(f"{ws.path}-journal").exists()


def test_not_a_planner_workspace(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    other = tmp_path / "other.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[Point(0, 0)], crs=4326), other)
    with pytest.raises(DataError, match="not a planner workspace"):
        Workspace(other).list_versions()


# --- two processes ---------------------------------------------------------------------------


def _save_in_process(path: str, report, env: dict[str, str], timeout: float,
                     wait_for: str | None, queue) -> None:
    os.environ.update(env)
    try:
        if wait_for:
            deadline = time.monotonic() + 60
            while not Path(wait_for).exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        saved = Workspace(path, busy_timeout_s=timeout).save(report)
        queue.put(("ok", [v.version_id for v in saved]))
    except WorkspaceBusyError as exc:
        queue.put(("busy", str(exc)))
    except Exception as exc:  # reported to the test
        queue.put(("error", repr(exc)))


def _run_pair(ws: Workspace, report, hold_s: float, timeout_b: float
              ) -> tuple[tuple[str, object], tuple[str, object]]:
    """Process A saves and holds the write lock ``hold_s`` s; B saves while A holds it."""
    # fork where available: the children start at once instead of re-importing everything.
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    queue_a, queue_b = ctx.Queue(), ctx.Queue()
    marker = str(ws.path.parent / "a-holds-the-lock")
    a = ctx.Process(target=_save_in_process, args=(
        str(ws.path), report, {HOLD_ENV: str(hold_s), MARKER_ENV: marker}, 10.0, None,
        queue_a))
    b = ctx.Process(target=_save_in_process, args=(
        str(ws.path), report, {}, timeout_b, marker, queue_b))
    a.start()
    b.start()
    result_a, result_b = queue_a.get(timeout=120), queue_b.get(timeout=120)
    a.join(30)
    b.join(30)
    return result_a, result_b


def test_concurrent_saves_both_succeed(ws, sites_report):
    ws.save(sites_report)
    result_a, result_b = _run_pair(ws, sites_report, hold_s=1.0, timeout_b=20.0)
    assert result_a == ("ok", ["sites_v2"])
    assert result_b == ("ok", ["sites_v3"])
    assert [v.version_id for v in ws.list_versions("sites")] == ["sites_v3", "sites_v2",
                                                                 "sites_v1"]
    assert sum(v.active for v in ws.list_versions()) == 1


def test_concurrent_save_told_to_retry(ws, sites_report):
    ws.save(sites_report)
    result_a, result_b = _run_pair(ws, sites_report, hold_s=2.0, timeout_b=0.2)
    assert result_a == ("ok", ["sites_v2"])
    assert result_b[0] == "busy" and "workspace busy" in result_b[1]
    assert "try again" in result_b[1]
    assert [v.version_id for v in ws.list_versions("sites")] == ["sites_v2", "sites_v1"]


def _create_and_save(path: str, report, barrier, queue) -> None:
    try:
        barrier.wait(30)
        queue.put([v.version_id for v in Workspace(path).save(report)])
    except Exception as exc:  # reported to the test
        queue.put(repr(exc))


def test_two_first_saves_race_to_create_the_workspace(ws, sites_report):
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_create_and_save, args=(str(ws.path), sites_report, barrier,
                                                        queue)) for _ in range(2)]
    for p in procs:
        p.start()
    results = sorted([queue.get(timeout=60), queue.get(timeout=60)])
    for p in procs:
        p.join(30)
    assert results == [["sites_v1"], ["sites_v2"]]
    assert len(ws.current("sites")) == 12
    assert not list(ws.path.parent.glob(".*.tmp"))


def test_killed_import_leaves_the_workspace_intact(ws, sites_report, sites_file, tmp_path):
    ws.save(sites_report)
    before, versions = sha(ws.path), ws.list_versions()
    marker = tmp_path / "inside-transaction"
    env = {**os.environ, HOLD_ENV: "60", MARKER_ENV: str(marker)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "import", "sites", str(sites_file), "--workspace",
         str(ws.path)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the import never reached the transaction"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    journal = Path(f"{ws.path}-journal")
    assert journal.exists()  # killed inside the transaction
    assert sha(ws.path) == before  # nothing of it reached the database file
    assert ws.list_versions() == versions  # still opens (SQLite rolls back a hot journal)
    assert sha(ws.path) == before
    assert len(ws.current("sites")) == 12
    assert "sites_v2" not in dict(pyogrio.list_layers(ws.path))
    assert ws.save(sites_report)[0].version_id == "sites_v2"  # and it still takes imports
    assert not journal.exists()
