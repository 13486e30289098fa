"""Server-side roles and the audit trail: a viewer's change is refused before the workspace
file is touched; an audit row exists exactly when a change is committed (never for a failed
or killed import)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from geo.accounts import AccountStore
from geo.errors import PermissionDeniedError
from geo.importers import import_file
from geo.roles import Actor, local_actor
from geo.settings import ROOT
from geo.workspace import FAIL_ENV, HOLD_ENV, MARKER_ENV, Workspace
from tests.corpus import dem_tif, operator_list_cp1258

ADMIN = local_actor("tester")
VIEWER = Actor("vic", "viewer")
EDITOR = Actor("eve", "editor")
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory) -> Path:
    path, _ = operator_list_cp1258(tmp_path_factory.mktemp("corpus"), n=8)
    return path


@pytest.fixture(scope="module")
def sites_report(sites_file):
    return import_file("sites", sites_file)


@pytest.fixture()
def ws(tmp_path) -> Workspace:
    return Workspace(tmp_path / "ws" / "workspace.gpkg")


def _with_accounts(ws: Workspace) -> None:
    store = AccountStore(ws, hasher=FAST)
    store.add("ann", "admin", "ann-password-1")
    store.add("vic", "viewer", "vic-password-1", ADMIN)
    store.add("eve", "editor", "eve-password-1", ADMIN)


def _refused_changes(ws: Workspace, actor: Actor | None, report) -> None:
    """Every change ``actor`` may not make is refused and leaves the file as it was."""
    before = sha(ws.path)
    changes = [lambda: ws.save(report, actor), lambda: ws.activate("sites_v1", actor),
               lambda: ws.deactivate("sites", actor),
               lambda: ws.scenarios.save("A", "{}", "2026-05-01T00:00:00", actor),
               lambda: ws.scenarios.delete("S", actor),
               lambda: ws.calibrations.save("C", "{}", "2026-05-01T00:00:00", actor),
               lambda: ws.calibrations.delete("C", actor)]
    for change in changes:
        with pytest.raises(PermissionDeniedError, match="refused"):
            change()
        assert sha(ws.path) == before


def test_a_viewer_cannot_change_anything_single_user_mode(ws, sites_report):
    ws.save(sites_report)
    ws.scenarios.save("S", "{}", "2026-05-01T00:00:00")  # no actor, no accounts: allowed
    rows = ws.audit()
    assert [(r.actor, r.via, r.action) for r in rows] == [
        ("single-user", "local", "import"), ("single-user", "local", "scenario_save")]
    _refused_changes(ws, VIEWER, sites_report)
    assert [v.version_id for v in ws.list_versions()] == ["sites_v1"]
    assert ws.audit() == rows


def test_a_viewer_cannot_change_anything_with_accounts(ws, sites_report):
    _with_accounts(ws)
    ws.save(sites_report, EDITOR)
    ws.scenarios.save("S", "{}", "2026-05-01T00:00:00", EDITOR)
    _refused_changes(ws, VIEWER, sites_report)
    _refused_changes(ws, None, sites_report)  # nobody signed in
    _refused_changes(ws, Actor("vic", "admin"), sites_report)  # the stored role decides
    _refused_changes(ws, Actor("ghost", "editor"), sites_report)  # not an account
    with pytest.raises(PermissionDeniedError):
        ws.audit(EDITOR)  # the audit trail is for admins
    assert ws.audit(Actor("ann", "admin"))[-1].actor == "eve"


def test_a_refused_terrain_import_copies_no_file(ws, tmp_path):
    report = import_file("dem", dem_tif(tmp_path))
    with pytest.raises(PermissionDeniedError):
        ws.save(report, VIEWER)
    assert not ws.path.exists() and not ws.files_dir.exists()


def test_an_audit_row_exactly_for_each_change(ws, sites_report):
    _with_accounts(ws)
    accounts = len(ws.audit(ADMIN))
    first = ws.save(sites_report, EDITOR)
    second = ws.save(sites_report, EDITOR)
    assert ws.activate("sites_v1", EDITOR).active
    ws.activate("sites_v1", EDITOR)  # already active: nothing changes
    ws.deactivate("sites", EDITOR)
    ws.deactivate("sites", EDITOR)  # nothing active: nothing changes
    assert ws.scenarios.save("Plan A", '{"a": 1}', "2026-05-01T00:00:00", EDITOR) is False
    assert ws.scenarios.save("Plan A", '{"a": 2}', "2026-05-02T00:00:00", EDITOR) is True
    ws.scenarios.delete("Plan A", EDITOR)
    ws.scenarios.delete("Plan A", EDITOR)  # gone already
    ws.calibrations.save("Cal", "{}", "2026-05-03T00:00:00", EDITOR)
    ws.calibrations.delete("Cal", EDITOR)
    rows = ws.audit(ADMIN)[accounts:]
    got = [(r.actor, r.role, r.via, r.action, r.target, r.before, r.after) for r in rows]
    assert got == [
        ("eve", "editor", "account", "import", "sites", "", "sites_v1"),
        ("eve", "editor", "account", "import", "sites", "sites_v1", "sites_v2"),
        ("eve", "editor", "account", "activate", "sites", "sites_v2", "sites_v1"),
        ("eve", "editor", "account", "deactivate", "sites", "sites_v1", ""),
        ("eve", "editor", "account", "scenario_save", "Plan A", "", "2026-05-01T00:00:00"),
        ("eve", "editor", "account", "scenario_save", "Plan A", "2026-05-01T00:00:00",
         "2026-05-02T00:00:00"),
        ("eve", "editor", "account", "scenario_delete", "Plan A", "2026-05-02T00:00:00", ""),
        ("eve", "editor", "account", "calibration_save", "Cal", "", "2026-05-03T00:00:00"),
        ("eve", "editor", "account", "calibration_delete", "Cal", "2026-05-03T00:00:00", ""),
    ]
    imports = rows[:2]
    assert {(r.detail, r.sha256) for r in imports} == {(sites_report.file_name,
                                                        sites_report.sha256)}
    assert [r.at_utc for r in imports] == [first[0].created_utc, second[0].created_utc]
    assert rows[4].sha256 == hashlib.sha256(b'{"a": 1}').hexdigest()
    # filters
    assert [r.action for r in ws.audit(ADMIN, target="Cal")] == ["calibration_save",
                                                                 "calibration_delete"]
    assert len(ws.audit(ADMIN, who="eve", action="import")) == 2
    assert len(ws.audit(ADMIN, limit=3)) == 3 and ws.audit(ADMIN, limit=1) == rows[-1:]
    assert ws.audit(ADMIN, since="2999-01-01") == []
    assert len(ws.audit(ADMIN, until="2999-01-01")) == len(rows) + accounts


def test_a_failed_import_leaves_neither_version_nor_audit_row(ws, sites_report, monkeypatch):
    ws.save(sites_report)
    before, versions, rows = sha(ws.path), ws.list_versions(), ws.audit()
    monkeypatch.setenv(FAIL_ENV, "1")
    with pytest.raises(RuntimeError, match="test hook"):
        ws.save(sites_report, EDITOR)
    with pytest.raises(RuntimeError, match="test hook"):
        ws.activate("sites_v1", EDITOR)  # no change anyway, still rolled back
    monkeypatch.delenv(FAIL_ENV)
    assert sha(ws.path) == before
    assert ws.list_versions() == versions and ws.audit() == rows and len(rows) == 1


def test_a_killed_import_leaves_neither_version_nor_audit_row(ws, sites_report, sites_file,
                                                              tmp_path):
    ws.save(sites_report)
    before, versions, rows = sha(ws.path), ws.list_versions(), ws.audit()
    marker = tmp_path / "inside-transaction"
    env = {**os.environ, HOLD_ENV: "60", MARKER_ENV: str(marker)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "import", "sites", str(sites_file), "--workspace",
         str(ws.path), "--as", "killed"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
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
    assert Path(f"{ws.path}-journal").exists()  # killed inside the transaction
    assert sha(ws.path) == before
    assert ws.list_versions() == versions  # the hot journal is rolled back on opening
    assert ws.audit() == rows and all(r.actor != "killed" for r in ws.audit())
    ws.save(sites_report, local_actor("after"))
    assert [r.actor for r in ws.audit()] == ["single-user", "after"]
    assert ws.audit()[-1].after == "sites_v2"
