"""The audit trail: one row per change of the workspace, in the table ``laocai_audit``.

Every change (an import, switching a layer's version, saving or deleting a scenario or a
calibration, adding an account, changing a password, disabling or enabling an account) and
every failed sign-in writes a row **in the same transaction** as the change itself
(:func:`record` takes the connection of :meth:`geo.workspace.Workspace.writing`), so a
change that is rolled back or killed before its commit leaves no row, and a row always
stands for a change that was committed. A refused change writes nothing.

Columns: ``id`` (order of writing), ``at_utc`` (UTC ISO 8601, seconds, ``Z``), ``actor``
(account or local user name; for a failed sign-in the name that was tried), ``role``,
``via`` (``account``: signed in; ``local``: this machine's user, the command line or the
single-user mode; ``""`` for a failed sign-in), ``action`` (:class:`geo.roles.Action`),
``target`` (layer, scenario, calibration or account name), ``detail`` (the imported file's
name, an account's role, the reason of a failed sign-in), ``sha256`` (of the imported file
or the saved document), ``before`` / ``after`` (the active version before and after, the
replaced and the new document's save time; empty when there was none).

:func:`write_csv` exports rows for a spreadsheet: UTF-8 with BOM, every text cell passed
through :func:`geo.export.defuse_formula` (a file named ``=cmd.csv`` stays text).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from geo.roles import Action, Actor

AUDIT_TABLE = "laocai_audit"
COLUMNS: tuple[str, ...] = ("id", "at_utc", "actor", "role", "via", "action", "target",
                            "detail", "sha256", "before", "after")
_DDL = (f"CREATE TABLE IF NOT EXISTS {AUDIT_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "at_utc TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL DEFAULT '', "
        "via TEXT NOT NULL DEFAULT '', action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', "
        "detail TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL DEFAULT '', "
        "before TEXT NOT NULL DEFAULT '', after TEXT NOT NULL DEFAULT '')")


@dataclass(frozen=True)
class AuditRow:
    """One row of the audit trail (see the module docstring for the columns)."""

    id: int
    at_utc: str
    actor: str
    role: str
    via: str
    action: str
    target: str
    detail: str
    sha256: str
    before: str
    after: str


def utc_now() -> str:
    """Now in UTC, ISO 8601 to the second with ``Z`` (the workspace's time format)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _has_table(conn: sqlite3.Connection | None) -> bool:
    return conn is not None and conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        (AUDIT_TABLE,)).fetchone()[0] > 0


def record(conn: sqlite3.Connection, actor: Actor | str, action: Action, *, target: str = "",
           detail: str = "", sha256: str = "", before: str | None = None,
           after: str | None = None, at_utc: str | None = None) -> None:
    """Write one row with ``conn``, inside the caller's open write transaction (it commits
    or rolls back with the change). ``actor`` is a name only for a failed sign-in."""
    if not conn.in_transaction:
        raise RuntimeError("audit rows are written inside the change's transaction")
    conn.execute(_DDL)
    name, role, via = ((actor, "", "") if isinstance(actor, str)
                       else (actor.name, actor.role, actor.via))
    conn.execute(f"INSERT INTO {AUDIT_TABLE} (at_utc, actor, role, via, action, target, "
                 "detail, sha256, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (at_utc or utc_now(), name, role, via, str(action), target, detail, sha256,
                  before or "", after or ""))


def read(conn: sqlite3.Connection | None, *, who: str | None = None,
         action: str | None = None, target: str | None = None, since: str | None = None,
         until: str | None = None, limit: int | None = None) -> list[AuditRow]:
    """Rows oldest first, filtered (all given filters apply): exact ``who`` (the actor),
    ``action`` and ``target``; ``since`` ≤ ``at_utc`` < ``until`` (ISO 8601 UTC text, e.g.
    ``2026-05-01`` or ``2026-05-01T08:00:00Z``); the newest ``limit`` rows at most."""
    if not _has_table(conn):
        return []
    assert conn is not None
    where, args = [], []
    for column, value in (("actor", who), ("action", action), ("target", target)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(str(value))
    if since is not None:
        where.append("at_utc >= ?")
        args.append(since)
    if until is not None:
        where.append("at_utc < ?")
        args.append(until)
    sql = f"SELECT {', '.join(COLUMNS)} FROM {AUDIT_TABLE}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(str(int(limit)))
    rows = [AuditRow(*r) for r in conn.execute(sql, args).fetchall()]
    return rows[::-1]


def csv_text(rows: list[AuditRow]) -> str:
    """``rows`` as CSV text (header :data:`COLUMNS`), formula-like text defused."""
    from geo.export import defuse_formula

    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([defuse_formula(v) if isinstance(v, str) else v
                         for v in dataclasses.astuple(row)])
    return out.getvalue()


def write_csv(rows: list[AuditRow], path: str | os.PathLike[str]) -> Path:
    """Write ``rows`` as CSV (UTF-8 with BOM, Excel opens it), formula-like text defused."""
    target = Path(path)
    target.write_text(csv_text(rows), encoding="utf-8-sig", newline="")
    return target
