"""Named planning scenarios: a set of proposed sites plus the settings they were made with.

Stored in the workspace GeoPackage (an SQLite file) in a table ``planner_scenarios`` (one
JSON document per name, written in one transaction), listed, reloaded, compared, and
exported as GeoJSON (the sites) and as a sites CSV in the canonical schema.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from geo.errors import DataError
from geo.schema import SITES

_TABLE = "planner_scenarios"
SITE_COLUMNS: tuple[str, ...] = tuple(SITES.column_names)


@dataclass
class Scenario:
    """Proposed sites (rows of the canonical sites table) and the settings in force."""

    name: str
    sites: pd.DataFrame
    settings: dict[str, object] = field(default_factory=dict)
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def to_json(self) -> str:
        sites = self.sites.reindex(columns=list(SITE_COLUMNS))
        rows = json.loads(sites.to_json(orient="records", force_ascii=False))
        return json.dumps({"name": self.name, "created": self.created,
                           "settings": self.settings, "sites": rows}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        data = json.loads(text)
        sites = pd.DataFrame(data["sites"], columns=list(SITE_COLUMNS))
        return cls(data["name"], sites, data.get("settings", {}), data.get("created", ""))

    def sites_csv(self) -> bytes:
        """The sites in the canonical schema, UTF-8 with BOM (opens in Excel)."""
        table = self.sites.reindex(columns=list(SITE_COLUMNS))
        return table.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


class ScenarioStore:
    """Scenarios kept in the workspace GeoPackage at ``path``.

    Reading never writes: with no workspace or no scenario table the list is empty. Saving
    creates a proper (empty) workspace first when there is none, then the table.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _has_table(self) -> bool:
        if not self.path.is_file():
            return False
        con = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=10.0)
        try:
            return con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                               "name = ?", (_TABLE,)).fetchone()[0] > 0
        finally:
            con.close()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10.0, isolation_level=None)

    def save(self, scenario: Scenario) -> None:
        """Save (or replace) ``scenario`` in one transaction."""
        if not scenario.name.strip():
            raise DataError("a scenario needs a name.")
        from geo.workspace import Workspace

        Workspace(self.path).create()
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} "
                        "(name TEXT PRIMARY KEY, created TEXT, document TEXT NOT NULL)")
            con.execute(f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?, ?)",
                        (scenario.name, scenario.created, scenario.to_json()))
            con.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise DataError(f"workspace busy or unwritable ({exc}); try again.",
                            source=self.path) from exc
        finally:
            con.close()

    def names(self) -> list[str]:
        if not self._has_table():
            return []
        con = self._connect()
        try:
            return [r[0] for r in con.execute(f"SELECT name FROM {_TABLE} ORDER BY created")]
        finally:
            con.close()

    def load(self, name: str) -> Scenario:
        row = None
        if self._has_table():
            con = self._connect()
            try:
                row = con.execute(f"SELECT document FROM {_TABLE} WHERE name = ?",
                                  (name,)).fetchone()
            finally:
                con.close()
        if row is None:
            raise DataError(f"no scenario named {name!r}.", source=self.path)
        return Scenario.from_json(row[0])

    def delete(self, name: str) -> None:
        if not self._has_table():
            return
        con = self._connect()
        try:
            con.execute(f"DELETE FROM {_TABLE} WHERE name = ?", (name,))
        finally:
            con.close()


def compare(gains: dict[str, dict[str, float]]) -> pd.DataFrame:
    """Side-by-side table: one column per scenario, one row per measure of gain."""
    return pd.DataFrame(gains)
