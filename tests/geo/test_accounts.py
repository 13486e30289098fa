"""Local accounts: Argon2id hashes (never the password) in the workspace, sign-in refused and
slowed for a wrong password, an unknown name or a disabled account, the role rules of
account management, and ``python -m geo users / audit``."""

from __future__ import annotations

import csv
import io
import logging
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from geo.__main__ import EXIT_BAD_INPUT, EXIT_DENIED, main
from geo.accounts import ACCOUNTS_TABLE, AccountStore, failure_delay, make_hasher
from geo.errors import DataError, PermissionDeniedError
from geo.roles import PERMISSIONS, SINGLE_USER, Action, Actor, allowed, local_actor
from geo.settings import SETTINGS
from geo.workspace import Workspace
from tests.corpus import operator_list_cp1258

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # tests only
ADMIN = local_actor("tester")


class Sleeper:
    """Records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture()
def ws(tmp_path) -> Workspace:
    return Workspace(tmp_path / "ws" / "workspace.gpkg")


@pytest.fixture()
def sleeper() -> Sleeper:
    return Sleeper()


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def store(ws, sleeper, clock) -> AccountStore:
    store = AccountStore(ws, hasher=FAST, sleep=sleeper, clock=clock)
    store.add("Ann", "admin", "ann-password-1")
    store.add("bob", "viewer", "bob-password-1", ADMIN)
    store.add("eve", "editor", "eve-password-1", Actor("ann", "admin"))
    return store


def test_permission_table_and_roles():
    assert set(PERMISSIONS) == set(Action) - {Action.SIGNIN_FAILED}
    assert allowed("viewer", Action.DOWNLOAD) and not allowed("viewer", Action.IMPORT)
    assert allowed("editor", Action.IMPORT) and allowed("editor", Action.CALIBRATION_DELETE)
    assert not allowed("editor", Action.ACCOUNT_ADD) and allowed("admin", Action.ACCOUNT_ADD)
    assert not allowed("nobody", Action.VIEW) and not allowed("admin", Action.SIGNIN_FAILED)
    with pytest.raises(ValueError, match="role must be"):
        Actor("x", "root")  # type: ignore[arg-type]
    assert SINGLE_USER.local and SINGLE_USER.role == "admin"


def test_argon2_hashes_never_the_password_in_the_file(ws):
    ws.accounts.add("ann", "admin", "a very secret phrase")  # the settings' parameters
    raw = ws.path.read_bytes()
    assert b"a very secret phrase" not in raw
    with sqlite3.connect(ws.path) as conn:
        (digest,) = conn.execute(f"SELECT password_hash FROM {ACCOUNTS_TABLE}").fetchone()
    auth = SETTINGS.auth
    assert digest.startswith(f"$argon2id$v=19$m={auth.argon2_memory_cost_kib},"
                             f"t={auth.argon2_time_cost},p={auth.argon2_parallelism}$")
    assert (auth.argon2_time_cost, auth.argon2_memory_cost_kib, auth.argon2_parallelism) == \
        (3, 65_536, 4)  # argon2-cffi 23.1 defaults = RFC 9106 second recommendation
    hasher = make_hasher()
    assert hasher.verify(digest, "a very secret phrase")
    assert ws.accounts.verify("ann", "a very secret phrase") == Actor("ann", "admin")


def test_right_password_signs_in_with_the_stored_role(store, sleeper):
    assert store.verify("ANN ", "ann-password-1") == Actor("ann", "admin")
    assert store.verify("bob", "bob-password-1") == Actor("bob", "viewer")
    assert sleeper.delays == []
    assert [(a.name, a.role, a.disabled) for a in store.list_accounts()] == [
        ("ann", "admin", False), ("bob", "viewer", False), ("eve", "editor", False)]
    assert store.get("eve").created_by == "ann"


def test_wrong_password_refused_slowed_audited_and_logged(store, sleeper, ws, caplog):
    caplog.set_level(logging.WARNING, logger="geo.accounts")
    for _ in range(7):
        assert store.verify("bob", "not-the-password") is None
    base, top = SETTINGS.auth.failed_delay_base_s, SETTINGS.auth.failed_delay_max_s
    assert sleeper.delays == [min(top, base * 2 ** n) for n in range(7)]
    assert sleeper.delays[:3] == [base, 2 * base, 4 * base]
    assert sleeper.delays[-1] == top  # capped
    rows = ws.audit(ADMIN, action="signin_failed")
    assert len(rows) == 7 and {(r.actor, r.detail) for r in rows} == {("bob", "wrong password")}
    assert "sign-in as 'bob' refused (wrong password)" in caplog.text
    assert "not-the-password" not in caplog.text
    assert b"not-the-password" not in ws.path.read_bytes()
    # a successful sign-in clears the failures: the next one waits the base delay again
    assert store.verify("bob", "bob-password-1") == Actor("bob", "viewer")
    assert store.verify("bob", "wrong") is None
    assert sleeper.delays[-1] == base


def test_failures_are_counted_per_name_and_forgotten_after_the_window(store, sleeper, clock):
    store.verify("bob", "x")
    store.verify("bob", "x")
    store.verify("eve", "x")  # another name starts at the base delay
    assert sleeper.delays == [1.0, 2.0, 1.0]
    clock.now += timedelta(minutes=SETTINGS.auth.failed_window_min + 1)
    store.verify("bob", "x")
    assert sleeper.delays[-1] == 1.0
    assert failure_delay(0) == 0.0 and failure_delay(1000) == SETTINGS.auth.failed_delay_max_s


def test_unknown_and_disabled_accounts_refused(store, sleeper, ws):
    assert store.verify("mallory", "bob-password-1") is None
    assert store.verify("=1+1", "x") is None  # not even a valid name
    assert store.disable("bob", Actor("ann", "admin")) is True
    assert store.disable("bob", ADMIN) is False  # already
    assert store.verify("bob", "bob-password-1") is None
    assert len(sleeper.delays) == 3
    reasons = [r.detail for r in ws.audit(ADMIN, action="signin_failed")]
    assert reasons == ["unknown account", "unknown account", "account disabled"]
    # the disabled account cannot change anything either, whatever role it claims
    with pytest.raises(PermissionDeniedError, match="unknown or disabled"):
        ws.scenarios.save("A", "{}", "2026-05-01", Actor("bob", "admin"))
    assert store.enable("bob", ADMIN) is True
    assert store.verify("bob", "bob-password-1") == Actor("bob", "viewer")


def test_no_accounts_means_no_sign_in_and_no_file(ws, sleeper):
    store = AccountStore(ws, hasher=FAST, sleep=sleeper)
    assert store.verify("ann", "whatever") is None
    assert not ws.path.exists() and not store.configured()


def test_account_rules(store, ws):
    with pytest.raises(DataError, match="exists already"):
        store.add("ann", "viewer", "another-password", ADMIN)
    with pytest.raises(DataError, match="8 to"):
        store.add("carl", "viewer", "short", ADMIN)
    with pytest.raises(DataError, match="not an account name"):
        store.add("=HYPERLINK(x)", "viewer", "long-enough-1", ADMIN)
    with pytest.raises(PermissionDeniedError, match="needs the role admin"):
        store.add("carl", "viewer", "long-enough-1", Actor("eve", "editor"))
    with pytest.raises(PermissionDeniedError, match="sign in first"):
        store.add("carl", "viewer", "long-enough-1")  # accounts exist: an actor is needed
    with pytest.raises(PermissionDeniedError):  # bob is a viewer, whatever he claims
        store.add("carl", "viewer", "long-enough-1", Actor("bob", "admin"))
    store.set_password("bob", "bob-new-password", Actor("bob", "viewer"))  # own password
    with pytest.raises(PermissionDeniedError):
        store.set_password("eve", "eve-new-password", Actor("bob", "viewer"))
    assert store.verify("bob", "bob-new-password") == Actor("bob", "viewer")
    with pytest.raises(DataError, match="last enabled admin"):
        store.disable("ann", ADMIN)
    with pytest.raises(DataError, match="no account named"):
        store.disable("nobody", ADMIN)
    assert [r.action for r in ws.audit(ADMIN)] == [
        "account_add", "account_add", "account_add", "account_passwd"]


def test_first_account_must_be_an_admin(ws):
    store = AccountStore(ws, hasher=FAST)
    with pytest.raises(DataError, match="first account must be an admin"):
        store.add("bob", "viewer", "bob-password-1")
    assert not store.configured()
    store.add("ann", "admin", "ann-password-1")  # no actor needed for the first one
    (row,) = ws.audit(ADMIN)
    assert (row.actor, row.via, row.action, row.target) == (
        "single-user", "local", "account_add", "ann")


# --- command line ---------------------------------------------------------------------------


@pytest.fixture()
def cli_ws(tmp_path, monkeypatch):
    path = tmp_path / "cli" / "workspace.gpkg"
    monkeypatch.setenv("LAOCAI_WORKSPACE", str(path))
    return Workspace(path)


def _run(monkeypatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test_cli_users(cli_ws, monkeypatch, capsys):
    assert _run(monkeypatch, ["users", "list"]) == 0
    assert "single-user local mode" in capsys.readouterr().out
    assert _run(monkeypatch, ["users", "add", "bob", "--role", "viewer", "--password-stdin"],
                "bob-password-1\n") == EXIT_BAD_INPUT
    assert "first account must be an admin" in capsys.readouterr().err
    assert _run(monkeypatch, ["users", "add", "ann", "--role", "admin", "--password-stdin",
                              "--as", "root-of-ws"], "ann-password-1\n") == 0
    assert "added ann (admin)" in capsys.readouterr().out
    assert _run(monkeypatch, ["users", "add", "bob", "--role", "viewer", "--password-stdin"],
                "bob-password-1\n") == 0
    # interactive: asked twice through getpass
    answers = iter(["carl-password-1", "carl-password-1"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert _run(monkeypatch, ["users", "add", "carl", "--role", "editor"]) == 0
    answers = iter(["one-password", "another-one"])
    assert _run(monkeypatch, ["users", "passwd", "carl"]) == EXIT_BAD_INPUT
    assert "differ" in capsys.readouterr().err
    assert _run(monkeypatch, ["users", "passwd", "bob", "--password-stdin"],
                "bob-password-2\n") == 0
    assert _run(monkeypatch, ["users", "disable", "carl"]) == 0
    assert _run(monkeypatch, ["users", "list"]) == 0
    out = capsys.readouterr().out
    assert "password of bob changed" in out and "carl disabled" in out
    lines = out.strip().splitlines()[-3:]
    assert lines[0].startswith("ann ") and "admin" in lines[0] and "enabled" in lines[0]
    assert lines[2].startswith("carl ") and "disabled" in lines[2]
    assert cli_ws.accounts.verify("bob", "bob-password-2") == Actor("bob", "viewer")
    assert _run(monkeypatch, ["users", "enable", "carl"]) == 0
    rows = cli_ws.audit(ADMIN)
    assert [(r.actor, r.via, r.action, r.target) for r in rows][:1] == [
        ("root-of-ws", "local", "account_add", "ann")]
    assert [r.action for r in rows] == ["account_add", "account_add", "account_add",
                                        "account_passwd", "account_disable",
                                        "account_enable"]


def test_cli_audit_csv_defuses_formulas(cli_ws, tmp_path, monkeypatch, capsys):
    path, _ = operator_list_cp1258(tmp_path, n=5)
    hostile = path.rename(path.with_name("=cmd.csv"))
    assert main(["import", "sites", str(hostile), "--as", "@ann"]) == 0
    assert main(["activate", "sites_v1"]) == 0  # already active: no change, no row
    capsys.readouterr()
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert "@ann (admin, local)  import  sites  =cmd.csv - -> sites_v1" in out
    target = tmp_path / "audit.csv"
    assert main(["audit", "--csv", str(target), "--action", "import"]) == 0
    assert "wrote 1 audit row(s)" in capsys.readouterr().out
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1
    assert rows[0]["detail"] == "'=cmd.csv" and rows[0]["actor"] == "'@ann"
    assert rows[0]["after"] == "sites_v1" and len(rows[0]["sha256"]) == 64
    assert main(["audit", "--who", "nobody"]) == 0
    assert "no audit rows" in capsys.readouterr().out


def test_cli_refusal_exit_code(cli_ws, monkeypatch, capsys):
    """A local actor is an admin; an account that is not is refused with EXIT_DENIED."""
    cli_ws.accounts.add("ann", "admin", "ann-password-1")
    monkeypatch.setattr("geo.__main__.local_actor", lambda name=None: Actor("bob", "viewer"))
    assert _run(monkeypatch, ["users", "list"]) == 0
    assert main(["audit"]) == EXIT_DENIED
    assert "refused" in capsys.readouterr().err
