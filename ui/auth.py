"""Who uses this session: sign-in against the workspace's accounts, the signed-in actor, the
notice of single-user local mode.

:func:`current_actor` is what the pages pass to every change of the workspace
(``Workspace.save(report, actor)``, ``store.save(..., actor)``, ...); the workspace checks the
role itself (:mod:`geo.roles`), so hiding a button is a courtesy, never the protection.

- Without accounts (single-user local mode) :func:`current_actor` is ``None`` and the workspace
  makes changes as :data:`geo.roles.SINGLE_USER`: :func:`local_mode_notice` says that anyone
  reaching the page can change the data.
- With accounts, :func:`sign_in_form` checks name and password
  (:meth:`geo.accounts.AccountStore.verify`: slowed and audited on failure) and keeps the
  :class:`geo.roles.Actor` in ``st.session_state``; a session idle longer than
  ``SETTINGS.auth.session_timeout_min`` is signed out.
- When ``.streamlit/secrets.toml`` has an ``[auth]`` section, Streamlit's own OpenID Connect
  sign-in (``st.login``) is offered instead; the signed-in e-mail address must also be an
  account of the workspace, whose stored role decides (the workspace resolves it).

Only this module of the sign-in imports Streamlit; :mod:`geo` never does.
"""

from __future__ import annotations

import time

import streamlit as st

from geo.accounts import normalise_name
from geo.errors import AppError, DataError
from geo.roles import Actor
from geo.settings import SETTINGS
from geo.workspace import Workspace
from i18n.translator import t

ACTOR_KEY = "auth_actor"
"""``st.session_state`` key of the signed-in :class:`geo.roles.Actor`."""
SEEN_KEY = "auth_seen"
"""``st.session_state`` key of the session's last activity (``time.monotonic()``)."""


def _oidc_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has an ``[auth]`` section (``st.login``)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file, or one Streamlit cannot parse: no st.login
        return False


def _oidc_actor() -> Actor | None:
    user = getattr(st, "user", None)
    if user is None or not getattr(user, "is_logged_in", False):
        return None
    try:
        name = normalise_name(str(user.get("email") or ""))
    except DataError:
        return None
    # The role is a placeholder: the workspace takes the one stored for the account.
    return Actor(name, "viewer")


def current_actor() -> Actor | None:
    """The signed-in actor of this session, or ``None`` (nobody signed in: accepted by the
    workspace only in single-user local mode). Refreshes the idle timer."""
    if _oidc_configured():
        return _oidc_actor()
    actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        return None
    now = time.monotonic()
    if now - float(st.session_state.get(SEEN_KEY, now)) > \
            SETTINGS.auth.session_timeout_min * 60.0:
        sign_out()
        return None
    st.session_state[SEEN_KEY] = now
    return actor


def sign_out() -> None:
    st.session_state.pop(ACTOR_KEY, None)
    st.session_state.pop(SEEN_KEY, None)


def sign_in(workspace: Workspace, name: str, password: str) -> Actor | None:
    """Check ``name`` / ``password``; the actor is kept in the session when right."""
    actor = workspace.accounts.verify(name, password)
    if actor is not None:
        st.session_state[ACTOR_KEY] = actor
        st.session_state[SEEN_KEY] = time.monotonic()
    return actor


def local_mode_notice(lang: str) -> None:
    """The warning of single-user local mode (no accounts in the workspace)."""
    st.warning(t(lang, "Single-user local mode: this workspace has no accounts, so anyone who "
                       "can open this page can change the data. Add an admin account with "
                       "“python -m geo users add NAME --role admin”."), icon="⚠️")


def sign_in_form(lang: str, workspace: Workspace | None = None) -> Actor | None:
    """The sidebar's sign-in (or the local-mode notice); returns :func:`current_actor`."""
    try:
        ws = workspace if workspace is not None else Workspace()
        configured = ws.accounts.configured()
    except AppError:
        return None
    if not configured:
        local_mode_notice(lang)
        return None
    if _oidc_configured():
        actor = _oidc_actor()
        if actor is None:
            st.sidebar.button(t(lang, "Sign in"), on_click=st.login, key="auth_oidc_login")
        else:
            st.sidebar.caption(t(lang, "Signed in as {name}", name=actor.name))
            st.sidebar.button(t(lang, "Sign out"), on_click=st.logout, key="auth_oidc_logout")
        return actor
    actor = current_actor()
    if actor is not None:
        st.sidebar.caption(t(lang, "Signed in as {name} ({role})", name=actor.name,
                             role=actor.role))
        st.sidebar.button(t(lang, "Sign out"), on_click=sign_out, key="auth_sign_out")
        return actor
    with st.sidebar.form("auth_sign_in", clear_on_submit=True):
        name = st.text_input(t(lang, "Account name"), key="auth_name")
        password = st.text_input(t(lang, "Password"), type="password", key="auth_password")
        submitted = st.form_submit_button(t(lang, "Sign in"))
    if submitted:
        try:
            actor = sign_in(ws, name, password)
        except AppError:
            actor = None
        if actor is None:
            st.sidebar.error(t(lang, "Wrong name or password, or the account is disabled."))
        else:
            st.rerun()  # draw the page again as the signed-in actor
    return actor
