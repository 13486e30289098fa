"""The user's workspace: one GeoPackage holding every imported version of every layer.

Where: ``LAOCAI_WORKSPACE`` or ``SETTINGS.paths.workspace`` (the user data folder), never
inside the project folder. Terrain and land-cover files are stored next to it, in
``<name>_files/dem/`` and ``<name>_files/landcover/``.

Each save is a new **version** of its layer: the rows go to a feature table named
``<layer>_v<n>`` (e.g. ``sites_v3``) and a row to the metadata table ``laocai_versions``
(version id, layer, UTC time, file name, SHA-256, rows, warnings as JSON, active flag, stored
files). Exactly one version per layer is active (or none: the caller then falls back to the
bundled illustrative layer); :meth:`Workspace.activate` switches back to an older one.

The same file keeps the planner's named scenarios (:attr:`Workspace.scenarios`, see
:mod:`geo.scenario_store`) and named calibrations (:attr:`Workspace.calibrations`). Public
methods raise :class:`geo.errors.WorkspaceError` (never ``sqlite3.Error`` or ``OSError``)
when the file cannot be read or written.

Atomicity and concurrency: the file is SQLite. A save opens one connection, takes the write
lock with ``BEGIN IMMEDIATE`` (waiting up to ``SETTINGS.imports.busy_timeout_s`` for another
import to finish, else :class:`WorkspaceBusyError`, "workspace busy, try again"), creates the
feature table, inserts the rows (GeoPackage geometry blobs written here), registers the table
(``gpkg_contents``, ``gpkg_geometry_columns``), updates the metadata and commits — one
transaction. SQLite's rollback journal (``journal_mode=DELETE``, ``synchronous=FULL``)
guarantees that an error, a crash or a kill before the commit leaves the previous state: a
failed save rolls back (the file is byte-for-byte unchanged), a killed one leaves a journal
that the next opener rolls back. The first save creates the workspace in a temporary file and
links it into place, so two first saves cannot overwrite each other.

Accounts, roles and the audit trail: the same file keeps the local accounts
(:attr:`Workspace.accounts`, :mod:`geo.accounts`) and the audit trail (:meth:`Workspace.audit`,
:mod:`geo.audit`). Every change — :meth:`Workspace.save`, :meth:`Workspace.activate`,
:meth:`Workspace.deactivate`, a scenario's or calibration's save or delete, an account's
change — takes an ``actor`` (:class:`geo.roles.Actor`) and goes through
:meth:`Workspace.guarded_writing`: the actor's role is checked against
:data:`geo.roles.PERMISSIONS` before the file is touched (a refusal raises
:class:`geo.errors.PermissionDeniedError` and leaves the file byte-for-byte unchanged), checked
again inside the write transaction (an account disabled meanwhile), and the change's audit
row is written in that same transaction. Without accounts (single-user local mode) a change
without an actor is made as :data:`geo.roles.SINGLE_USER`; with accounts it is refused.

Test hooks (environment, for the crash tests only): ``LAOCAI_TEST_HOLD_WRITE_S`` sleeps that
many seconds inside the transaction, after touching ``LAOCAI_TEST_HOLD_MARKER`` if set;
``LAOCAI_TEST_FAIL_WRITE`` raises inside the transaction.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo import audit as audit_trail
from geo.accounts import AccountStore, authorise
from geo.errors import DataError, WorkspaceBusyError, WorkspaceError
from geo.gpkg import (
    GPKG_APPLICATION_ID,
    SRS_ID,
    geometry_from_blob,
    gpkg_blob,
    schema_sql,
)
from geo.import_common import ImportReport
from geo.layers import DATA_LAYERS
from geo.roles import Action, Actor
from geo.safe_files import copy_file, sha256_file
from geo.scenario_store import CALIBRATIONS_TABLE, ScenarioStore
from geo.schema import SCHEMAS, validate
from geo.settings import ROOT, SETTINGS, get_settings

VERSIONS_TABLE = "laocai_versions"
# Measurements are versioned like the data layers but have no bundled illustrative file and
# are not exported with the current inputs; the app reads the active version
# (:meth:`Workspace.current_paths`) to check its predictions against them.
LAYERS: tuple[str, ...] = (*DATA_LAYERS, "measurements", "dem", "landcover")
HOLD_ENV = "LAOCAI_TEST_HOLD_WRITE_S"
MARKER_ENV = "LAOCAI_TEST_HOLD_MARKER"
FAIL_ENV = "LAOCAI_TEST_FAIL_WRITE"
_SQL_TYPES = {"str": "TEXT", "float": "REAL", "int": "INTEGER"}
BUSY = "workspace busy, try again in a moment."


@dataclass(frozen=True)
class Version:
    """One saved version of a layer (a row of ``laocai_versions``)."""

    version_id: str
    layer: str
    number: int
    table_name: str | None
    created_utc: str
    file_name: str
    sha256: str
    rows: int
    warnings: tuple[str, ...]
    active: bool
    files: tuple[str, ...]

    def line(self) -> str:
        """One line for the command line."""
        flag = "active" if self.active else "      "
        return (f"{self.version_id:<18} {flag} {self.created_utc}  {self.rows:>6} rows  "
                f"{self.sha256[:12]}  {self.file_name}")


def resolve_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The workspace file: ``path``, else ``LAOCAI_WORKSPACE`` / the user data folder.

    Refuses a path inside the project folder (imported data must not end up in the
    repository) and a folder.
    """
    target = Path(path) if path is not None else get_settings().paths.workspace
    target = target.expanduser().resolve()
    root = ROOT.resolve()
    if target == root or root in target.parents:
        raise DataError(
            f"refused: the workspace {target} is inside the project folder {root}.",
            fix="set LAOCAI_WORKSPACE to a file outside it (default: the user data folder).",
        )
    if target.is_dir():
        raise DataError(f"the workspace {target} is a folder.",
                        fix="give a file name, e.g. workspace.gpkg.")
    return target


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc)


def _begin(conn: sqlite3.Connection, busy_message: str) -> None:
    """Take the workspace's write lock (``BEGIN IMMEDIATE``, waiting up to the busy timeout);
    :class:`WorkspaceBusyError` with ``busy_message`` when another writer keeps it."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            raise WorkspaceBusyError(busy_message) from exc
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open (SQLite ends some failed ones itself)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


@contextlib.contextmanager
def _workspace_errors(busy_message: str = BUSY) -> Iterator[None]:
    """Turn ``sqlite3.Error`` and ``OSError`` into :class:`WorkspaceError` (a lock held by
    another writer into :class:`WorkspaceBusyError`); also a decorator of public methods."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            raise WorkspaceBusyError(busy_message) from exc
        raise WorkspaceError(f"cannot use the workspace ({exc}).") from exc
    except (sqlite3.Error, OSError) as exc:
        raise WorkspaceError(f"cannot use the workspace ({exc}).") from exc


def _test_hooks() -> None:
    if os.environ.get(FAIL_ENV):
        raise RuntimeError(f"{FAIL_ENV} is set: failing inside the transaction (test hook)")
    hold = os.environ.get(HOLD_ENV)
    if hold:
        marker = os.environ.get(MARKER_ENV)
        if marker:
            Path(marker).write_text(str(os.getpid()))
        time.sleep(float(hold))


def _cell(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


class Workspace:
    """The versioned GeoPackage (see the module docstring). Reading never writes."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 busy_timeout_s: float | None = None) -> None:
        self.path = resolve_path(path)
        self.busy_timeout_s = (SETTINGS.imports.busy_timeout_s if busy_timeout_s is None
                               else busy_timeout_s)

    @property
    def files_dir(self) -> Path:
        """Folder next to the GeoPackage for terrain files and exports."""
        return self.path.with_name(self.path.stem + "_files")

    def exists(self) -> bool:
        return self.path.is_file()

    # --- connections -----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(f"{self.path.as_uri()}?mode=rw", uri=True,
                                   timeout=self.busy_timeout_s, isolation_level=None)
        except sqlite3.OperationalError as exc:
            raise DataError(f"cannot open the workspace ({exc}).", source=self.path) from exc
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            has = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                               "name = ?", (VERSIONS_TABLE,)).fetchone()[0]
        except sqlite3.DatabaseError as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise WorkspaceBusyError(BUSY) from exc
            raise DataError(f"the workspace is not a readable GeoPackage ({exc}).",
                            source=self.path, fix="move it away; a new one will be created.") \
                from exc
        if app_id != GPKG_APPLICATION_ID or not has:
            conn.close()
            raise DataError("this GeoPackage is not a planner workspace.", source=self.path,
                            fix="choose another file name for LAOCAI_WORKSPACE.")
        return conn

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection | None]:
        """A connection for reading (None when there is no workspace file yet)."""
        with _workspace_errors():
            if not self.exists():
                yield None
                return
            conn = self._connect()
            try:
                yield conn
            finally:
                conn.close()

    @contextlib.contextmanager
    def writing(self, busy_message: str = BUSY) -> Iterator[sqlite3.Connection]:
        """One write transaction (creating the workspace first): the write lock is taken
        with :func:`_begin`, committed at the end, rolled back on any error; a lock lost
        inside it raises :class:`WorkspaceBusyError` with ``busy_message``."""
        with _workspace_errors(busy_message):
            self.create()
            conn = self._connect()
            try:
                _begin(conn, busy_message)
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    _rollback(conn)
                    raise
            finally:
                conn.close()

    def authorise(self, actor: Actor | None, action: Action, *, own: str | None = None
                  ) -> Actor:
        """The actor whose role allows ``action`` (:func:`geo.accounts.authorise`), read
        without writing; else :class:`geo.errors.PermissionDeniedError`."""
        with self.reading() as conn:
            return authorise(conn, actor, action, own=own)

    @contextlib.contextmanager
    def guarded_writing(self, actor: Actor | None, action: Action, busy_message: str = BUSY,
                        *, own: str | None = None) -> Iterator[tuple[sqlite3.Connection, Actor]]:
        """:meth:`writing` for a change ``action`` by ``actor``: refused before the file is
        touched (and again, race-free, inside the transaction) when the role does not allow
        it; yields the connection and the resolved actor (to record in the audit trail)."""
        self.authorise(actor, action, own=own)
        with self.writing(busy_message) as conn:
            yield conn, authorise(conn, actor, action, own=own)

    @property
    def accounts(self) -> AccountStore:
        """The local accounts kept in this workspace (:mod:`geo.accounts`)."""
        return AccountStore(self)

    @_workspace_errors()
    def audit(self, actor: Actor | None = None, *, who: str | None = None,
              action: str | None = None, target: str | None = None, since: str | None = None,
              until: str | None = None, limit: int | None = None
              ) -> list[audit_trail.AuditRow]:
        """The audit trail, oldest first, filtered (:func:`geo.audit.read`); reading it needs
        the admin role (``actor``, as for a change)."""
        with self.reading() as conn:
            authorise(conn, actor, Action.AUDIT_READ)
            return audit_trail.read(conn, who=who, action=action, target=target, since=since,
                                    until=until, limit=limit)

    def audit_csv(self, path: str | os.PathLike[str], actor: Actor | None = None,
                  **filters: object) -> Path:
        """Write :meth:`audit` as CSV for a spreadsheet (:func:`geo.audit.write_csv`)."""
        return audit_trail.write_csv(self.audit(actor, **filters), path)  # type: ignore[arg-type]

    @property
    def scenarios(self) -> ScenarioStore:
        """The named planning scenarios kept in this workspace."""
        return ScenarioStore(self)

    @property
    def calibrations(self) -> ScenarioStore:
        """The named model calibrations (:class:`analysis.calibration.Calibration`
        documents) kept in this workspace, table ``planner_calibrations``."""
        return ScenarioStore(self, CALIBRATIONS_TABLE, "calibration")

    @_workspace_errors()
    def create(self) -> None:
        """Create an empty workspace unless one exists (safe when two processes race)."""
        if self.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                        suffix=".tmp")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("BEGIN")
                for sql in schema_sql(VERSIONS_TABLE):
                    conn.execute(sql)
                conn.execute("COMMIT")
            finally:
                conn.close()
            try:
                os.link(tmp, self.path)  # atomic; fails when another process was first
            except FileExistsError:
                pass
            except OSError:  # file system without hard links
                if not self.path.exists():
                    os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)

    # --- writing ---------------------------------------------------------------------------

    @_workspace_errors()
    def save(self, report: ImportReport, actor: Actor | None = None) -> list[Version]:
        """Save every layer of ``report`` as a new active version, in one transaction, with
        one audit row per layer (file name, SHA-256, version before and after).

        Refuses a report with problems, and an ``actor`` that may not import
        (:class:`geo.errors.PermissionDeniedError`, nothing written, not even the terrain
        file). Raises :class:`WorkspaceBusyError` when another import holds the workspace
        longer than the busy timeout.
        """
        self.authorise(actor, Action.IMPORT)
        if not report.ok:
            rows = [p.row for p in report.problems if p.row is not None]
            raise DataError(f"the import has {len(report.problems)} problem(s); nothing saved.",
                            source=report.file_name, rows=rows,
                            fix="correct the file and import it again.")
        rasters = {layer: file for layer, file in (("dem", report.dem_file),
                                                    ("landcover", report.landcover_file))
                   if file is not None}
        stored: dict[str, list[str]] = {}
        for layer, file in rasters.items():
            safe = re.sub(r"[^\w.\-]+", "_", report.file_name).lstrip(".") or f"{layer}.tif"
            rel = f"{layer}/{report.sha256[:16]}/{safe}"
            target = self.files_dir / rel
            if not target.exists() or sha256_file(target) != report.sha256:
                copy_file(file, target)
            stored[layer] = [rel]
        with self.guarded_writing(actor, Action.IMPORT, "workspace busy (another import is "
                                  "being saved): try again in a moment.") as (conn, who):
            saved = []
            items = [(layer, gdf, []) for layer, gdf in report.layers.items()]
            items += [(layer, None, stored[layer]) for layer in rasters]
            for layer, gdf, files in items:
                before = _active_version(conn, layer)
                version = self._insert_version(conn, layer, report, gdf, files)
                audit_trail.record(conn, who, Action.IMPORT, target=layer,
                                   detail=report.file_name, sha256=report.sha256,
                                   before=before, after=version.version_id,
                                   at_utc=version.created_utc)
                saved.append(version)
            _test_hooks()
        return saved

    def _insert_version(self, conn: sqlite3.Connection, layer: str, report: ImportReport,
                        gdf: gpd.GeoDataFrame | None, files: list[str]) -> Version:
        number = conn.execute(f"SELECT coalesce(max(number), 0) + 1 FROM {VERSIONS_TABLE} "
                              "WHERE layer = ?", (layer,)).fetchone()[0]
        version_id = f"{layer}_v{number}"
        table = None
        rows = report.rows_accepted
        if gdf is not None:
            table = version_id
            self._write_table(conn, table, layer, gdf)
            rows = len(gdf)
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        conn.execute(f"UPDATE {VERSIONS_TABLE} SET active = 0 WHERE layer = ?", (layer,))
        values = (version_id, layer, number, table, created, report.file_name, report.sha256,
                  rows, json.dumps(report.warnings, ensure_ascii=False), 1,
                  json.dumps(files), report.kind)
        conn.execute(f"INSERT INTO {VERSIONS_TABLE} (version_id, layer, number, table_name, "
                     "created_utc, file_name, sha256, rows, warnings, active, files, kind) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        return Version(version_id, layer, number, table, created, report.file_name,
                       report.sha256, rows, tuple(report.warnings), True, tuple(files))

    @staticmethod
    def _write_table(conn: sqlite3.Connection, table: str, layer: str,
                     gdf: gpd.GeoDataFrame) -> None:
        schema = SCHEMAS[layer]
        types = sorted(set(gdf.geom_type))
        geom_type = types[0].upper() if len(types) == 1 else "GEOMETRY"
        cols = ", ".join(f'"{c.name}" {_SQL_TYPES[c.dtype]}' for c in schema.columns)
        conn.execute(f'CREATE TABLE "{table}" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT '
                     f'NULL, "geom" {geom_type}, {cols})')
        names = [c.name for c in schema.columns]
        blobs = [gpkg_blob(g) for g in gdf.geometry]
        columns = [[_cell(v) for v in gdf[name].astype(object).tolist()] for name in names]
        placeholders = ", ".join("?" * (len(names) + 1))
        quoted = ", ".join(f'"{n}"' for n in names)
        conn.executemany(f'INSERT INTO "{table}" ("geom", {quoted}) VALUES ({placeholders})',
                         zip(blobs, *columns, strict=True))
        minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
        conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, "
                     "description, min_x, min_y, max_x, max_y, srs_id) VALUES "
                     "(?, 'features', ?, ?, ?, ?, ?, ?, ?)",
                     (table, table, f"imported {layer}", minx, miny, maxx, maxy, SRS_ID))
        conn.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                     (table, geom_type, SRS_ID))
        conn.execute("INSERT INTO gpkg_ogr_contents VALUES (?, ?)", (table, len(gdf)))

    @_workspace_errors()
    def activate(self, version_id: str, actor: Actor | None = None) -> Version:
        """Make ``version_id`` the active version of its layer (e.g. switch back); audited
        when it changes the active version."""
        self.authorise(actor, Action.ACTIVATE)
        if not self.exists():
            raise DataError("the workspace is empty: nothing imported yet.", source=self.path)
        with self.guarded_writing(actor, Action.ACTIVATE) as (conn, who):
            row = conn.execute(f"SELECT layer FROM {VERSIONS_TABLE} WHERE version_id = ?",
                               (version_id,)).fetchone()
            if row is None:
                known = [r[0] for r in conn.execute(
                    f"SELECT version_id FROM {VERSIONS_TABLE} ORDER BY layer, number")]
                raise DataError(f"no version {version_id!r}; versions: "
                                f"{', '.join(known) or 'none'}.", source=self.path)
            before = _active_version(conn, row[0])
            conn.execute(f"UPDATE {VERSIONS_TABLE} SET active = (version_id = ?) "
                         "WHERE layer = ?", (version_id, row[0]))
            if before != version_id:
                audit_trail.record(conn, who, Action.ACTIVATE, target=row[0], before=before,
                                   after=version_id)
            _test_hooks()
        return next(v for v in self.list_versions() if v.version_id == version_id)

    @_workspace_errors()
    def deactivate(self, layer: str, actor: Actor | None = None) -> None:
        """No active version of ``layer``: the app falls back to the illustrative layer
        (audited when a version was active)."""
        self.authorise(actor, Action.DEACTIVATE)
        if not self.exists():
            return
        with self.guarded_writing(actor, Action.DEACTIVATE) as (conn, who):
            before = _active_version(conn, layer)
            conn.execute(f"UPDATE {VERSIONS_TABLE} SET active = 0 WHERE layer = ?", (layer,))
            if before is not None:
                audit_trail.record(conn, who, Action.DEACTIVATE, target=layer, before=before)
            _test_hooks()

    # --- reading ---------------------------------------------------------------------------

    @_workspace_errors()
    def list_versions(self, layer: str | None = None) -> list[Version]:
        """Versions, by layer then newest first (of ``layer`` only when given)."""
        with self.reading() as conn:
            if conn is None:
                return []
            sql = (f"SELECT version_id, layer, number, table_name, created_utc, file_name, "
                   f"sha256, rows, warnings, active, files FROM {VERSIONS_TABLE}")
            args: tuple[str, ...] = ()
            if layer is not None:
                sql += " WHERE layer = ?"
                args = (layer,)
            rows = conn.execute(sql + " ORDER BY layer, number DESC", args).fetchall()
        return [Version(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                        tuple(json.loads(r[8])), bool(r[9]), tuple(json.loads(r[10])))
                for r in rows]

    def find_checksum(self, sha256: str) -> list[Version]:
        """Versions saved from a file with this SHA-256 (to warn about a repeated import)."""
        return [v for v in self.list_versions() if v.sha256 == sha256]

    def current_version(self, layer: str) -> Version | None:
        """The active version of ``layer`` (the newest active one), or None."""
        return next((v for v in self.list_versions(layer) if v.active), None)

    @_workspace_errors()
    def read_version(self, version_id: str) -> gpd.GeoDataFrame:
        """The rows of a saved vector version, typed by the layer schema (WGS84)."""
        version = next((v for v in self.list_versions() if v.version_id == version_id), None)
        if version is None or version.table_name is None:
            raise DataError(f"no vector version {version_id!r}.", source=self.path)
        names = [c.name for c in SCHEMAS[version.layer].columns]
        with self.reading() as conn:
            assert conn is not None
            quoted = ", ".join(f'"{n}"' for n in names)
            data = conn.execute(f'SELECT "geom", {quoted} FROM "{version.table_name}" '
                                'ORDER BY "fid"').fetchall()
        frame = pd.DataFrame([r[1:] for r in data], columns=names)
        geoms = [geometry_from_blob(r[0]) for r in data]
        gdf = gpd.GeoDataFrame(frame, geometry=geoms, crs=SETTINGS.crs.display)
        return validate(gdf, version.layer, f"{self.path.name}:{version_id}")

    def current(self, layer: str) -> gpd.GeoDataFrame | None:
        """The active version of ``layer``; None → use the illustrative layer (labelled)."""
        version = self.current_version(layer)
        if version is None or version.table_name is None:
            return None
        return self.read_version(version.version_id)

    def current_dem(self) -> Path | None:
        """The active terrain file, or None."""
        version = self.current_version("dem")
        return self.files_dir / version.files[0] if version and version.files else None

    def current_landcover(self) -> Path | None:
        """The active land-cover file, or None (then no clutter loss)."""
        version = self.current_version("landcover")
        return self.files_dir / version.files[0] if version and version.files else None

    @_workspace_errors()
    def export_current(self, directory: str | os.PathLike[str]) -> dict[str, Path]:
        """Write each active layer to ``directory/<layer>.gpkg``; ``dem`` and ``landcover`` →
        the stored files.

        The result can be passed as ``analysis.inputs.load_inputs(paths=...)`` (missing
        layers fall back to the illustrative ones) with ``dem_path=paths.get("dem")``.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        out: dict[str, Path] = {}
        for layer in DATA_LAYERS:
            gdf = self.current(layer)
            if gdf is not None:
                out[layer] = _write_layer(gdf, directory / f"{layer}.gpkg", layer)
        dem = self.current_dem()
        if dem is not None:
            out["dem"] = dem
        landcover = self.current_landcover()
        if landcover is not None:
            out["landcover"] = landcover
        return out

    @_workspace_errors()
    def current_paths(self) -> dict[str, Path]:
        """Like :meth:`export_current` into ``<workspace>_files/exports/``, one file per
        version (``sites_v3.gpkg``), written once and reused while the version is active;
        with the active ``measurements`` too (:func:`analysis.inputs.load_inputs` reads them
        beside the layers)."""
        out: dict[str, Path] = {}
        exports = self.files_dir / "exports"
        for layer in (*DATA_LAYERS, "measurements"):
            version = self.current_version(layer)
            if version is None or version.table_name is None:
                continue
            target = exports / f"{version.version_id}-{version.sha256[:12]}.gpkg"
            if not target.exists():
                exports.mkdir(parents=True, exist_ok=True)
                _write_layer(self.read_version(version.version_id), target, layer)
            out[layer] = target
        dem = self.current_dem()
        if dem is not None:
            out["dem"] = dem
        landcover = self.current_landcover()
        if landcover is not None:
            out["landcover"] = landcover
        return out


def _active_version(conn: sqlite3.Connection, layer: str) -> str | None:
    """The active version id of ``layer`` (the newest active one), or None."""
    row = conn.execute(f"SELECT version_id FROM {VERSIONS_TABLE} WHERE layer = ? AND active "
                       "ORDER BY number DESC LIMIT 1", (layer,)).fetchone()
    return row[0] if row else None


def _write_layer(gdf: gpd.GeoDataFrame, target: Path, layer: str) -> Path:
    """Write a one-layer GeoPackage atomically (temporary name, then rename)."""
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.gpkg")
    tmp.unlink(missing_ok=True)
    try:
        pyogrio.write_dataframe(gdf, tmp, layer=layer, driver="GPKG")
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
