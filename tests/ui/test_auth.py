"""The sign-in helpers of ``ui.auth`` (headless AppTest): the single-user notice, a wrong
password refused, a right one signed in, the idle timeout."""

from __future__ import annotations

import pytest

from geo.roles import Actor, local_actor
from geo.workspace import Workspace

SCRIPT = """
import streamlit as st
from ui.auth import current_actor, sign_in_form
actor = sign_in_form("vi")
st.write(f"actor={actor}")
"""


@pytest.fixture()
def app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("LAOCAI_WORKSPACE", str(tmp_path / "ws" / "workspace.gpkg"))
    return AppTest.from_string(SCRIPT, default_timeout=60)


def test_single_user_mode_says_anyone_can_change_the_data(app):
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.warning[0].value.startswith("Chế độ một người dùng")
    assert not Workspace().exists()  # reading never writes


def test_sign_in_wrong_then_right_then_timeout(app, monkeypatch):
    from ui import auth

    Workspace().accounts.add("ann", "admin", "ann-password-1")
    Workspace().accounts.add("bob", "editor", "bob-password-1", local_actor("test"))
    monkeypatch.setattr("geo.accounts.time.sleep", lambda s: None)  # default sleeper
    app.run()
    assert not app.warning
    app.text_input(key="auth_name").input("bob")
    app.text_input(key="auth_password").input("wrong-password")
    app.button[0].click().run()
    assert app.error[0].value.startswith("Sai tên hoặc mật khẩu")
    assert auth.ACTOR_KEY not in app.session_state
    app.text_input(key="auth_name").input("bob")
    app.text_input(key="auth_password").input("bob-password-1")
    app.button[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state[auth.ACTOR_KEY] == Actor("bob", "editor")
    assert any("Đã đăng nhập: bob (editor)" in c.value for c in app.sidebar.caption)
    app.session_state[auth.SEEN_KEY] = app.session_state[auth.SEEN_KEY] - 10 ** 6  # idle
    app.run()
    assert auth.ACTOR_KEY not in app.session_state
    assert "actor=None" in app.markdown[-1].value
