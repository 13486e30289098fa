"""The planner's named scenarios, kept in the workspace GeoPackage.

One row per name in the table ``planner_scenarios`` (name, creation time, the scenario as a
JSON document: :meth:`analysis.scenarios.Scenario.to_json`). Reading never writes: with no
workspace or no scenario table the list is empty. Saving takes the workspace's write lock
(:meth:`geo.workspace.Workspace.writing`, which creates an empty workspace first), so a save
is one transaction and waits up to ``SETTINGS.imports.busy_timeout_s`` for another writer.
Errors: :class:`geo.errors.DataError` for a missing name, :class:`geo.errors.WorkspaceError`
(or ``WorkspaceBusyError``) when the file cannot be used.

Saving and deleting take an ``actor`` (:class:`geo.roles.Actor`): the editor role or higher
(:data:`geo.roles.PERMISSIONS`), checked before the file is touched
(:meth:`geo.workspace.Workspace.guarded_writing`); each change that happens writes its audit
row (:mod:`geo.audit`) in the same transaction: the name, the document's SHA-256, the replaced
and the new document's save time.
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import TYPE_CHECKING

from geo import audit
from geo.errors import DataError
from geo.roles import Action, Actor

if TYPE_CHECKING:
    from geo.workspace import Workspace

TABLE = "planner_scenarios"
CALIBRATIONS_TABLE = "planner_calibrations"  # the same layout for named calibrations
# (save, delete) actions of each kind of document.
ACTIONS: dict[str, tuple[Action, Action]] = {
    "scenario": (Action.SCENARIO_SAVE, Action.SCENARIO_DELETE),
    "calibration": (Action.CALIBRATION_SAVE, Action.CALIBRATION_DELETE),
}


def _has_table(conn: sqlite3.Connection | None, table: str = TABLE) -> bool:
    return conn is not None and conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        (table,)).fetchone()[0] > 0


class ScenarioStore:
    """Scenario documents of one workspace (:attr:`geo.workspace.Workspace.scenarios`);
    with ``table``/``kind`` the named documents of another kind in the same layout (the
    calibrations, :attr:`geo.workspace.Workspace.calibrations`)."""

    def __init__(self, workspace: Workspace, table: str = TABLE, kind: str = "scenario"
                 ) -> None:
        self.workspace = workspace
        self.table = table
        self.kind = kind

    def names(self) -> list[str]:
        """Saved names, oldest first."""
        with self.workspace.reading() as conn:
            if not _has_table(conn, self.table):
                return []
            return [r[0] for r in conn.execute(
                f"SELECT name FROM {self.table} ORDER BY created")]

    def stamps(self) -> list[tuple[str, str]]:
        """(name, saved at: UTC ISO 8601) of every saved document, oldest first."""
        with self.workspace.reading() as conn:
            if not _has_table(conn, self.table):
                return []
            return [(r[0], r[1] or "") for r in conn.execute(
                f"SELECT name, created FROM {self.table} ORDER BY created")]

    def load(self, name: str) -> str:
        """The JSON document saved as ``name``."""
        with self.workspace.reading() as conn:
            row = conn.execute(f"SELECT document FROM {self.table} WHERE name = ?",
                               (name,)).fetchone() if _has_table(conn, self.table) else None
        if row is None:
            raise DataError(f"no {self.kind} named {name!r}.", source=self.workspace.path)
        return row[0]

    def save(self, name: str, document: str, created: str, actor: Actor | None = None
             ) -> bool:
        """Save (or replace) ``document`` as ``name`` in one transaction; True when a
        scenario of that name was replaced."""
        action = ACTIONS.get(self.kind, ACTIONS["scenario"])[0]
        self.workspace.authorise(actor, action)
        if not name.strip():
            raise DataError(f"a {self.kind} needs a name.")
        with self.workspace.guarded_writing(actor, action) as (conn, who):
            conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table} "
                         "(name TEXT PRIMARY KEY, created TEXT, document TEXT NOT NULL)")
            row = conn.execute(f"SELECT created FROM {self.table} WHERE name = ?",
                               (name,)).fetchone()
            conn.execute(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?)",
                         (name, created, document))
            audit.record(conn, who, action, target=name,
                         sha256=hashlib.sha256(document.encode("utf-8")).hexdigest(),
                         before=(row[0] or "?") if row else None, after=created or "?")
        return row is not None

    def delete(self, name: str, actor: Actor | None = None) -> None:
        """Forget ``name`` (nothing happens when there is no such scenario; only a deletion
        that happens is audited)."""
        action = ACTIONS.get(self.kind, ACTIONS["scenario"])[1]
        self.workspace.authorise(actor, action)
        if not self.workspace.exists():
            return
        with self.workspace.guarded_writing(actor, action) as (conn, who):
            if _has_table(conn, self.table):
                row = conn.execute(f"SELECT created FROM {self.table} WHERE name = ?",
                                   (name,)).fetchone()
                if row is not None:
                    conn.execute(f"DELETE FROM {self.table} WHERE name = ?", (name,))
                    audit.record(conn, who, action, target=name, before=row[0] or "?")
