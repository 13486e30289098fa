"""Local accounts kept in the workspace: names, roles, Argon2id password hashes, sign-in.

Tables (created by the first account; reading never writes):

- ``laocai_accounts``: ``name`` (the sign-in name, see :func:`normalise_name`), ``role``
  (:data:`geo.roles.ROLES`), ``password_hash`` (an Argon2id PHC string such as
  ``$argon2id$v=19$m=65536,t=3,p=4$…``: salt and parameters inside, never the password),
  ``disabled`` (0/1), ``created_utc``, ``created_by``, ``password_changed_utc``.
- ``laocai_signin_failures``: one row (name as typed, UTC time) per failed sign-in, cleared by
  a successful one; the delay of the next failure grows with the recent ones
  (:func:`failure_delay`, ``SETTINGS.auth``).

Every change goes through :meth:`geo.workspace.Workspace.guarded_writing`: the actor's role
is checked before the file is touched, the change and its audit row (:mod:`geo.audit`) are
one transaction. Managing accounts needs the admin role (:data:`geo.roles.PERMISSIONS`),
except that a signed-in account may change its own password. The first account of a
workspace must be an admin (else nobody could manage the others from the app) and may be
added without one (single-user local mode, :data:`geo.roles.SINGLE_USER`); the last enabled
admin cannot be disabled.

:meth:`AccountStore.verify` signs in: a wrong password, an unknown name and a disabled
account are all refused alike (``None``; an unknown name still costs one hash, so the answer
takes as long) and slowed down — ``sleep`` (injectable, the tests record it instead of
waiting) is called *after* the failure is written, outside the write transaction — and
logged (an audit row ``signin_failed`` with the reason, and a ``logging`` warning on the
``geo.accounts`` logger). Never logged: passwords and hashes.

:func:`authorise` is the server-side check every change of the workspace calls.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo import audit
from geo.errors import DataError, PermissionDeniedError
from geo.roles import ROLES, SINGLE_USER, Action, Actor, Role, require
from geo.settings import SETTINGS, AuthSettings

if TYPE_CHECKING:
    from geo.workspace import Workspace

ACCOUNTS_TABLE = "laocai_accounts"
FAILURES_TABLE = "laocai_signin_failures"
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
_TIME = "%Y-%m-%dT%H:%M:%SZ"
_ACCOUNTS_DDL = (f"CREATE TABLE IF NOT EXISTS {ACCOUNTS_TABLE} (name TEXT NOT NULL PRIMARY "
                 "KEY, role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')), "
                 "password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, "
                 "created_utc TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '', "
                 "password_changed_utc TEXT NOT NULL DEFAULT '')")
_FAILURES_DDL = (f"CREATE TABLE IF NOT EXISTS {FAILURES_TABLE} (name TEXT NOT NULL, "
                 "at_utc TEXT NOT NULL)")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Account:
    """One account, without its hash."""

    name: str
    role: Role
    disabled: bool
    created_utc: str
    created_by: str
    password_changed_utc: str

    def line(self) -> str:
        """One line for the command line."""
        state = "disabled" if self.disabled else "enabled"
        return f"{self.name:<24} {self.role:<7} {state:<8} created {self.created_utc} " \
               f"by {self.created_by}"


def normalise_name(name: str) -> str:
    """The sign-in name as stored: NFC, trimmed, lower case; :class:`DataError` unless it is
    1–64 of ``a-z 0-9 . _ @ -`` starting with a letter or digit (no look-alike letters, and
    nothing a spreadsheet would run)."""
    key = unicodedata.normalize("NFC", str(name)).strip().lower()
    if not NAME_PATTERN.fullmatch(key):
        raise DataError(f"{name!r} is not an account name.",
                        fix="use 1–64 letters a-z, digits, '.', '_', '@' or '-', starting "
                            "with a letter or digit.")
    return key


def _has_table(conn: sqlite3.Connection | None, table: str) -> bool:
    return conn is not None and conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        (table,)).fetchone()[0] > 0


def has_accounts(conn: sqlite3.Connection | None) -> bool:
    """Whether the workspace has any account (enabled or not): then every change needs an
    actor."""
    return _has_table(conn, ACCOUNTS_TABLE) and conn is not None and conn.execute(
        f"SELECT count(*) FROM {ACCOUNTS_TABLE}").fetchone()[0] > 0


def resolve_actor(conn: sqlite3.Connection | None, actor: Actor | None) -> Actor:
    """The actor whose role decides: :data:`SINGLE_USER` for ``None`` without accounts; an
    account with the role stored for it (refused when unknown or disabled); a local actor as
    it is. :class:`PermissionDeniedError` for ``None`` while the workspace has accounts."""
    configured = has_accounts(conn)
    if actor is None:
        if configured:
            raise PermissionDeniedError(
                "refused: this workspace has accounts; sign in first.", action="",
                role="", needed="viewer")
        return SINGLE_USER
    if actor.local or not configured:
        return actor
    assert conn is not None
    row = conn.execute(f"SELECT role, disabled FROM {ACCOUNTS_TABLE} WHERE name = ?",
                       (actor.name,)).fetchone()
    if row is None or row[1]:
        raise PermissionDeniedError(
            f"refused: the account {actor.name!r} is unknown or disabled.", role=actor.role)
    return Actor(actor.name, row[0])


def authorise(conn: sqlite3.Connection | None, actor: Actor | None, action: Action, *,
              own: str | None = None) -> Actor:
    """The resolved actor (:func:`resolve_actor`) when it may do ``action``, else
    :class:`PermissionDeniedError`. ``own``: the account the action is about; a signed-in
    account acting on itself (its own password) needs no particular role."""
    resolved = resolve_actor(conn, actor)
    if own is not None and not resolved.local and resolved.name == own:
        return resolved
    require(resolved, action)
    return resolved


def make_hasher(auth: AuthSettings | None = None) -> PasswordHasher:
    """Argon2id with the parameters of ``SETTINGS.auth``."""
    auth = auth or SETTINGS.auth
    return PasswordHasher(time_cost=auth.argon2_time_cost,
                          memory_cost=auth.argon2_memory_cost_kib,
                          parallelism=auth.argon2_parallelism, hash_len=auth.argon2_hash_len,
                          salt_len=auth.argon2_salt_len)


def failure_delay(failures: int, auth: AuthSettings | None = None) -> float:
    """Seconds a failed sign-in waits: ``base × 2^(failures − 1)``, capped; 0 for none."""
    auth = auth or SETTINGS.auth
    if failures <= 0:
        return 0.0
    return float(min(auth.failed_delay_max_s,
                     auth.failed_delay_base_s * 2.0 ** min(failures - 1, 30)))


class AccountStore:
    """The accounts of one workspace (:attr:`geo.workspace.Workspace.accounts`).

    ``hasher`` (default :func:`make_hasher`), ``sleep`` (default :func:`time.sleep`) and
    ``clock`` (default: now in UTC) are injectable for the tests.
    """

    def __init__(self, workspace: Workspace, *, hasher: PasswordHasher | None = None,
                 sleep: Callable[[float], object] = time.sleep,
                 clock: Callable[[], datetime] | None = None,
                 auth: AuthSettings | None = None) -> None:
        self.workspace = workspace
        self.auth = auth or SETTINGS.auth
        self.hasher = hasher or make_hasher(self.auth)
        self.sleep = sleep
        self.clock = clock or (lambda: datetime.now(UTC))
        self._dummy: str | None = None

    def _now(self) -> str:
        return self.clock().astimezone(UTC).strftime(_TIME)

    def _check_password(self, password: str) -> None:
        if not isinstance(password, str) or not (
                self.auth.min_password_chars <= len(password) <= self.auth.max_password_chars):
            raise DataError(f"a password needs {self.auth.min_password_chars} to "
                            f"{self.auth.max_password_chars} characters.")

    # --- reading -------------------------------------------------------------------------

    def configured(self) -> bool:
        """Whether the workspace has accounts (else it is in single-user local mode)."""
        with self.workspace.reading() as conn:
            return has_accounts(conn)

    def list_accounts(self) -> list[Account]:
        """Every account, by name (no hashes)."""
        with self.workspace.reading() as conn:
            if not _has_table(conn, ACCOUNTS_TABLE):
                return []
            assert conn is not None
            rows = conn.execute(f"SELECT name, role, disabled, created_utc, created_by, "
                                f"password_changed_utc FROM {ACCOUNTS_TABLE} ORDER BY name"
                                ).fetchall()
        return [Account(r[0], r[1], bool(r[2]), r[3], r[4], r[5]) for r in rows]

    def get(self, name: str) -> Account | None:
        key = normalise_name(name)
        return next((a for a in self.list_accounts() if a.name == key), None)

    # --- changes -------------------------------------------------------------------------

    def add(self, name: str, role: Role, password: str, actor: Actor | None = None) -> Account:
        """Add an account (the first one must be an admin)."""
        key = normalise_name(name)
        if role not in ROLES:
            raise DataError(f"role must be one of {', '.join(ROLES)}, got {role!r}.")
        self._check_password(password)
        digest = self.hasher.hash(password)
        now = self._now()
        with self.workspace.guarded_writing(actor, Action.ACCOUNT_ADD) as (conn, who):
            first = not has_accounts(conn)
            if first and role != "admin":
                raise DataError("the first account must be an admin.",
                                fix=f"add one with --role admin first, then {key!r}.")
            conn.execute(_ACCOUNTS_DDL)
            if conn.execute(f"SELECT count(*) FROM {ACCOUNTS_TABLE} WHERE name = ?",
                            (key,)).fetchone()[0]:
                raise DataError(f"the account {key!r} exists already.",
                                fix="choose another name, or change its password.")
            conn.execute(f"INSERT INTO {ACCOUNTS_TABLE} (name, role, password_hash, disabled, "
                         "created_utc, created_by, password_changed_utc) VALUES "
                         "(?, ?, ?, 0, ?, ?, ?)", (key, role, digest, now, who.name, now))
            audit.record(conn, who, Action.ACCOUNT_ADD, target=key, detail=role, after=role,
                         at_utc=now)
        log.info("account %r (%s) added by %r", key, role, who.name)
        return Account(key, role, False, now, who.name, now)

    def _existing(self, conn: sqlite3.Connection, key: str) -> tuple[str, bool]:
        row = (conn.execute(f"SELECT role, disabled FROM {ACCOUNTS_TABLE} WHERE name = ?",
                            (key,)).fetchone() if _has_table(conn, ACCOUNTS_TABLE) else None)
        if row is None:
            raise DataError(f"no account named {key!r}.")
        return row[0], bool(row[1])

    def set_password(self, name: str, password: str, actor: Actor | None = None) -> None:
        """Change the password of ``name`` (an admin, or the account itself)."""
        key = normalise_name(name)
        self._check_password(password)
        digest = self.hasher.hash(password)
        now = self._now()
        with self.workspace.guarded_writing(actor, Action.ACCOUNT_PASSWD, own=key) as (
                conn, who):
            self._existing(conn, key)
            conn.execute(f"UPDATE {ACCOUNTS_TABLE} SET password_hash = ?, "
                         "password_changed_utc = ? WHERE name = ?", (digest, now, key))
            audit.record(conn, who, Action.ACCOUNT_PASSWD, target=key, at_utc=now)
        log.info("password of %r changed by %r", key, who.name)

    def set_disabled(self, name: str, disabled: bool, actor: Actor | None = None) -> bool:
        """Disable (or enable) ``name``; False when it already was. The last enabled admin
        cannot be disabled."""
        key = normalise_name(name)
        action = Action.ACCOUNT_DISABLE if disabled else Action.ACCOUNT_ENABLE
        now = self._now()
        with self.workspace.guarded_writing(actor, action) as (conn, who):
            role, was = self._existing(conn, key)
            if was == disabled:
                return False
            if disabled and role == "admin" and conn.execute(
                    f"SELECT count(*) FROM {ACCOUNTS_TABLE} WHERE role = 'admin' AND "
                    "disabled = 0").fetchone()[0] <= 1:
                raise DataError(f"{key!r} is the last enabled admin; it cannot be disabled.",
                                fix="add or enable another admin first.")
            conn.execute(f"UPDATE {ACCOUNTS_TABLE} SET disabled = ? WHERE name = ?",
                         (int(disabled), key))
            states = ("enabled", "disabled") if disabled else ("disabled", "enabled")
            audit.record(conn, who, action, target=key, detail=role, before=states[0],
                         after=states[1], at_utc=now)
        log.info("account %r %s by %r", key, states[1], who.name)
        return True

    def disable(self, name: str, actor: Actor | None = None) -> bool:
        return self.set_disabled(name, True, actor)

    def enable(self, name: str, actor: Actor | None = None) -> bool:
        return self.set_disabled(name, False, actor)

    # --- signing in ----------------------------------------------------------------------

    def _dummy_verify(self, password: str) -> None:
        """Spend one verification on an unknown name (same answer time as a known one)."""
        if self._dummy is None:
            self._dummy = self.hasher.hash("not a password of anyone")
        try:
            self.hasher.verify(self._dummy, password)
        except VerificationError:
            pass

    def verify(self, name: str, password: str) -> Actor | None:
        """The signed-in :class:`Actor` (its stored role), or ``None`` for a wrong password,
        an unknown name or a disabled account (slowed down and logged)."""
        typed = unicodedata.normalize("NFC", str(name)).strip()[:64]
        try:
            key = normalise_name(name)
        except DataError:
            key = None
        password = password if isinstance(password, str) else ""
        with self.workspace.reading() as conn:
            if not has_accounts(conn):
                log.warning("sign-in as %r refused: the workspace has no accounts", typed)
                return None
            assert conn is not None
            row = conn.execute(f"SELECT role, password_hash, disabled FROM {ACCOUNTS_TABLE} "
                               "WHERE name = ?", (key,)).fetchone() if key else None
        reason = ""
        if len(password) > self.auth.max_password_chars:
            reason = "password too long"
        elif row is None:
            self._dummy_verify(password)
            reason = "unknown account"
        else:
            try:
                self.hasher.verify(row[1], password)
            except VerifyMismatchError:
                reason = "wrong password"
            except (InvalidHashError, VerificationError):
                reason = "unreadable password hash"
            if not reason and row[2]:
                reason = "account disabled"
        if not reason:
            assert key is not None and row is not None
            self._signed_in(key, row[1], password)
            return Actor(key, row[0])
        return self._failed(key or typed, reason)

    def _signed_in(self, key: str, stored: str, password: str) -> None:
        """Clear the name's failures; re-hash a hash made with other parameters."""
        rehash = self.hasher.check_needs_rehash(stored)
        with self.workspace.reading() as conn:
            failures = _has_table(conn, FAILURES_TABLE) and conn is not None and conn.execute(
                f"SELECT count(*) FROM {FAILURES_TABLE} WHERE name = ?", (key,)
            ).fetchone()[0] > 0
        if not (rehash or failures):
            return
        with self.workspace.writing() as conn:
            if failures:
                conn.execute(f"DELETE FROM {FAILURES_TABLE} WHERE name = ?", (key,))
            if rehash:
                conn.execute(f"UPDATE {ACCOUNTS_TABLE} SET password_hash = ? WHERE name = ? "
                             "AND password_hash = ?", (self.hasher.hash(password), key, stored))

    def _failed(self, name: str, reason: str) -> None:
        now = self.clock().astimezone(UTC)
        stamp = now.strftime(_TIME)
        since = (now - timedelta(minutes=self.auth.failed_window_min)).strftime(_TIME)
        with self.workspace.writing() as conn:
            conn.execute(_FAILURES_DDL)
            conn.execute(f"DELETE FROM {FAILURES_TABLE} WHERE at_utc < ?", (since,))
            conn.execute(f"INSERT INTO {FAILURES_TABLE} VALUES (?, ?)", (name, stamp))
            count = conn.execute(f"SELECT count(*) FROM {FAILURES_TABLE} WHERE name = ?",
                                 (name,)).fetchone()[0]
            audit.record(conn, name, Action.SIGNIN_FAILED, target=name, detail=reason,
                         at_utc=stamp)
        delay = failure_delay(count, self.auth)
        log.warning("sign-in as %r refused (%s); %d recent failure(s), waiting %.1f s",
                    name, reason, count, delay)
        self.sleep(delay)
        return None
