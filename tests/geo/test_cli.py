"""``python -m geo import / versions / activate`` (run in-process through ``main``)."""

from __future__ import annotations

import pytest

from geo.__main__ import EXIT_BAD_INPUT, EXIT_BUSY, main
from geo.errors import WorkspaceBusyError
from geo.workspace import Workspace
from tests.corpus import annex_xlsx, operator_list_cp1258


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    path = tmp_path / "ws" / "workspace.gpkg"
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(path))
    return path


def test_import_versions_activate(workspace, tmp_path, capsys):
    path, _ = operator_list_cp1258(tmp_path, n=8)
    assert main(["import", "sites", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "rows read: 8, accepted: 8" in out and "dry run: nothing saved" in out
    assert "X = northing" in out
    assert not workspace.exists()
    assert main(["import", "sites", str(path)]) == 0
    assert f"saved sites_v1 in {workspace}" in capsys.readouterr().out
    other = tmp_path / "elsewhere.gpkg"
    assert main(["import", "sites", str(path), "--workspace", str(other)]) == 0
    assert other.exists()
    assert main(["import", "sites", str(path)]) == 0
    assert "note: the same file was already imported as sites_v1" in capsys.readouterr().out
    assert main(["versions", "sites"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()[-2:]
    assert lines[0].startswith("sites_v2") and "active" in lines[0]
    assert lines[1].startswith("sites_v1") and "active" not in lines[1]
    assert main(["activate", "sites_v1"]) == 0
    assert "active: sites_v1" in capsys.readouterr().out
    assert Workspace().current_version("sites").version_id == "sites_v1"
    assert main(["activate", "sites_v7"]) == EXIT_BAD_INPUT
    assert "no version 'sites_v7'" in capsys.readouterr().err
    assert main(["versions", "points"]) == 0
    assert "no imported versions" in capsys.readouterr().out


def test_problems_are_listed_by_file_row_column(workspace, tmp_path, capsys):
    path = annex_xlsx(tmp_path)
    assert main(["import", "points", str(path)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "error: 2 problem(s) in phu_luc_2541.xlsx; nothing saved" in err
    assert "phu_luc_2541.xlsx:4:Xã/Phường/Thị trấn: commune 'Tả Phờ' not found" in err
    assert "phu_luc_2541.xlsx:5:Xã/Phường/Thị trấn: commune 'Nam Chay' matches several" in err
    assert not workspace.exists()
    code = main(["import", "points", str(path), "--fix", "4=02677", "--fix", "5=03076"])
    assert code == 0
    assert "saved points_v1" in capsys.readouterr().out
    assert main(["import", "points", str(path), "--fix", "four=1"]) == EXIT_BAD_INPUT


def test_busy_workspace_exit_code(workspace, tmp_path, capsys, monkeypatch):
    path, _ = operator_list_cp1258(tmp_path, n=5)

    def busy(self, report, actor=None):
        raise WorkspaceBusyError("workspace busy (another import is being saved): try again")

    monkeypatch.setattr(Workspace, "save", busy)
    assert main(["import", "sites", str(path)]) == EXIT_BUSY
    assert "workspace busy" in capsys.readouterr().err


def test_missing_file(workspace, capsys):
    assert main(["import", "villages", "/nonexistent/thon.csv"]) == EXIT_BAD_INPUT
    assert "thon.csv: file not found" in capsys.readouterr().err


def test_messages_in_the_chosen_language(workspace, tmp_path, capsys):
    """English by default; ``--lang vi`` says the refusal and the warnings in Vietnamese."""
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lon\nA,104.0\n", encoding="utf-8")
    assert main(["import", "sites", str(bad), "--dry-run"]) == EXIT_BAD_INPUT
    assert "no operator column" in capsys.readouterr().err
    assert main(["--lang", "vi", "import", "sites", str(bad), "--dry-run"]) == EXIT_BAD_INPUT
    assert "Thiếu cột" in capsys.readouterr().err
    path, _ = operator_list_cp1258(tmp_path, n=8)
    assert main(["--lang", "vi", "import", "sites", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "warning: " in out and "X = northing" not in out  # the CRS reading, in Vietnamese
