"""The import page (headless AppTest) and its texts."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest

from geo.import_common import Problem
from geo.settings import ROOT
from geo.workspace import Workspace
from i18n.import_messages import IMPORT_ERRORS, IMPORT_WARNINGS
from i18n.messages import problem_text
from tests.corpus import annex_xlsx, operator_list_cp1258
from ui.pages.import_data import run_import
from ui.widgets import md_escape

SCRIPT = """
import streamlit as st
from ui.pages.import_data import render
render(st.session_state.get("lang", "en"))
"""


def test_markdown_from_files_is_escaped():
    assert md_escape("[x](http://evil)") == r"\[x\]\(http\:\/\/evil\)".replace(r"\/", "/")
    assert md_escape("**bold** <b>") == r"\*\*bold\*\* \<b\>"


def test_problems_translated_by_code():
    p = Problem(3, "site_id", "duplicate site id 'A'", "duplicate_id", (("id", "A"),
                                                                      ("other", "7")))
    assert problem_text(p, "vi") == "Mã “A” bị trùng, cả ở dòng 7."
    assert problem_text(Problem(1, None, "odd thing", "no_such_code"), "vi") == "odd thing"


def test_run_import_reports_file_errors(tmp_path):
    report, error = run_import("sites", "tram.csv", b"\x00\x01binary" * 10)
    assert report is None and "tram.csv" in error and "binary" in error
    report, error = run_import("sites", "tram.csv", b"\x00\x01binary" * 10, lang="vi")
    assert error.startswith("tram.csv: Tệp không phải dạng văn bản")
    _, error = run_import("sites", "tram.xls", b"\xd0\xcf\x11\xe0" + b"x" * 64, lang="vi")
    assert error == ("tram.xls: Không đọc được định dạng Excel cũ (.xls). Hãy mở bằng Excel "
                     "và lưu dạng .xlsx (hoặc CSV UTF-8).")
    _, error = run_import("villages", "thon.csv", "Tên thôn;Kinh độ;Vĩ độ\nA;104;22.4\n"
                          .encode(), lang="vi")
    assert error == "thon.csv: Thiếu cột “Dân số / population”. Hãy thêm cột này vào tệp."
    _, error = run_import("sites", "tram.docx", b"PK\x03\x04", lang="en")
    assert error.startswith("tram.docx: Unsupported file type .docx. Use CSV")


def _calls_in_geo() -> Iterator[tuple[str, ast.Call]]:
    """(file name, call) for every call in ``geo/``, parsed."""
    for path in (ROOT / "geo").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                yield path.name, node


def test_every_error_code_has_a_translation():
    codes = {k.value.value for _, call in _calls_in_geo()
             if getattr(call.func, "id", "") == "DataError"
             for k in call.keywords if k.arg == "code"}
    assert {"binary", "xls", "no_column", "too_large", "coordinates_unrecognised"} <= codes
    assert not sorted(c for c in codes if c not in IMPORT_ERRORS)


@pytest.fixture()
def app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("LAOCAI_WORKSPACE", str(tmp_path / "ws" / "workspace.gpkg"))
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_upload_save_and_switch_back(app, tmp_path):
    assert app.header[0].value == "Import the province's data"
    assert app.info[0].value.startswith("Nothing imported yet")
    path, _ = operator_list_cp1258(tmp_path, n=6)
    data = path.read_bytes()
    app.file_uploader(key="import_upload_sites").upload(path.name, data, "text/csv").run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error
    (notes_box,) = [e for e in app.expander if e.label == "Notes on reading the file"]
    notes = notes_box.markdown[0].value
    assert "Text encoding\\: Windows\\-1258" in notes and "X = northing" in notes
    confirm = app.button(key="import_confirm")
    assert not confirm.disabled
    confirm.click().run()
    assert app.success[0].value == "Saved version sites\\_v1\\."
    app.run()
    assert any("already imported" in c.value for c in app.caption)
    app.button(key="import_confirm").click().run()
    assert Workspace().current_version("sites").version_id == "sites_v2"
    app.selectbox(key="import_switch_sites").set_value("sites_v1").run()
    app.button(key="import_activate_sites").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert Workspace().current_version("sites").version_id == "sites_v1"
    assert any("sites\\_v1" in s.value for s in app.success)
    app.button(key="import_deactivate_sites").click().run()
    assert Workspace().current_version("sites") is None
    # The audit trail (single-user mode: this user reads it), newest first, filterable.
    assert "Audit trail" in [h.value for h in app.subheader]
    (table,) = [d.value for d in app.dataframe if "Action" in d.value.columns]
    assert list(table["Action"]) == ["deactivate", "activate", "import", "import"]
    assert list(table["File"])[-1] == path.name
    app.selectbox(key="audit_action").set_value("import").run()
    (table,) = [d.value for d in app.dataframe if "Action" in d.value.columns]
    assert list(table["Action"]) == ["import", "import"]


def test_support_points_fixed_by_choosing_the_commune(app, tmp_path):
    app.session_state["lang"] = "vi"
    app.selectbox(key="import_kind").set_value("points").run()
    path = annex_xlsx(tmp_path)
    app.file_uploader(key="import_upload_points").upload(path.name, path.read_bytes()).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.error[0].value == "Các dòng lỗi (tệp chưa được lưu)"
    assert app.button(key="import_confirm").disabled
    fixes = [s for s in app.selectbox if s.key and s.key.startswith("import_fix_")]
    assert [s.label for s in fixes] == ["Dòng 4: “Tả Phờ”", "Dòng 5: “Nam Chay”"]
    assert fixes[0].options[1].startswith("Xã Tả Phời")
    fixes[0].set_value("02677")
    fixes[1].set_value("03076")
    app.button(key="import_fix_apply").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error
    app.button(key="import_confirm").click().run()
    assert Workspace().current("points")["commune_code_2020"].tolist()[3:5] == ["02677",
                                                                              "03076"]


def _warn_codes_in_source() -> set[str]:
    """Every code passed to ``<report>.warn(message, code, ...)`` in ``geo/``."""
    codes = set()
    for name, call in _calls_in_geo():
        if getattr(call.func, "attr", "") == "warn" and len(call.args) >= 2:
            assert isinstance(call.args[1], ast.Constant), f"{name}:{call.lineno}"
            codes.add(call.args[1].value)
    return codes


def test_every_warning_code_has_a_translation():
    codes = _warn_codes_in_source()
    assert {"encoding", "sheet", "crs", "crs_missing", "multi_azimuth", "opencellid"} <= codes
    handled = {"encoding", "crs"}  # translated with the encoding text / CRS_READINGS
    missing = sorted(c for c in codes - handled if c not in IMPORT_WARNINGS)
    assert not missing, missing


def test_import_warnings_in_vietnamese(tmp_path):
    from geo.importers import import_file
    from i18n.messages import warning_texts

    path, _ = operator_list_cp1258(tmp_path, n=12)
    report = import_file("sites", path)
    assert len(report.notices) == len(report.warnings) >= 3
    english = warning_texts(report, "en")
    vietnamese = warning_texts(report, "vi")
    assert "Bảng mã của tệp: Windows-1258" in vietnamese
    assert any(w.startswith("Dòng tiêu đề ở dòng 4 (bỏ qua") for w in vietnamese), vietnamese
    assert any(w.startswith("Tọa độ đọc theo VN-2000, múi 3°") for w in vietnamese), vietnamese
    assert not set(vietnamese) & set(report.warnings)  # none left in English
    assert any(w.startswith("Header found on line 4") for w in english), english


def test_notice_rows_and_numbers_in_the_reader_s_language():
    from geo.errors import Notice, RowList
    from i18n.messages import notice_text

    rows = RowList.of([7, 3, *range(100, 112)], limit=2)
    many = Notice.of("rows {rows}: several azimuths in one cell, modelled as omni",
                     "multi_azimuth", rows=rows)
    assert many.message.startswith("rows 3, 7 (+12 more): ")
    assert dict(many.params) == {"rows": "3, 7", "rows_more": "12"}
    assert notice_text(many, "vi") == ("Dòng 3, 7 (và 12 dòng khác): một ô có nhiều góc phương "
                                       "vị, tính như ăng-ten vô hướng.")
    few = Notice.of("rows {rows}: …", "multi_azimuth", rows=RowList.of([3, 7]))
    assert notice_text(few, "en") == "Rows 3, 7: several azimuths in one cell, modelled as omni."
    grouped = Notice("opencellid_grouped", "…", (("cells", "1234"), ("count", "310"),
                                               ("distance", "50")))
    assert notice_text(grouped, "vi").startswith("1.234 ô phủ sóng được gộp thành 310 trạm")
    unknown = Notice("crs_missing", "no coordinate system in the file; Coordinates not "
                     "recognised.", (("kind", "unknown"), ("ambiguous", "")))
    assert notice_text(unknown, "vi") == unknown.message  # nothing better to say
    assert notice_text(Notice("no_such_code", "odd thing"), "vi") == "odd thing"


def test_landcover_upload_is_checked_and_said_in_vietnamese(tmp_path):
    from tests.geo.test_landcover import _tile

    good = _tile(tmp_path / "wc.tif").read_bytes()
    report, error = run_import("landcover", "wc.tif", good, lang="vi")
    assert error is None and report is not None and report.ok
    bad = _tile(tmp_path / "nocrs.tif", crs=None).read_bytes()
    report, error = run_import("landcover", "nocrs.tif", bad, lang="vi")
    assert report is None
    assert error.startswith("nocrs.tif: Tệp lớp phủ mặt đất không có hệ tọa độ"), error


def test_the_workspace_refuses_a_save_without_an_editor(app, tmp_path):
    """With accounts, the page's save goes through the workspace's role check: nobody
    signed in is refused (nothing saved), a signed-in editor saves, audited under its name."""
    from argon2 import PasswordHasher

    from geo.accounts import AccountStore
    from geo.roles import Actor, local_actor
    from ui.auth import ACTOR_KEY

    ws = Workspace()
    store = AccountStore(ws, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    store.add("ann", "admin", "ann-password-1")
    store.add("eve", "editor", "eve-password-1", local_actor("test"))
    path, _ = operator_list_cp1258(tmp_path, n=6)
    app.file_uploader(key="import_upload_sites").upload(path.name, path.read_bytes(),
                                                        "text/csv").run()
    app.button(key="import_confirm").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(e.value.startswith("Not allowed") for e in app.error)
    assert ws.list_versions() == []
    app.session_state[ACTOR_KEY] = Actor("eve", "editor")
    app.button(key="import_confirm").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.success[0].value == "Saved version sites\\_v1\\."
    assert [(r.actor, r.action) for r in ws.audit(local_actor("test"))][-1] == ("eve", "import")
    assert "Audit trail" not in [h.value for h in app.subheader]  # admins only
