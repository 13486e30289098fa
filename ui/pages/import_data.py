"""The import page: upload a file, see what was read and what is wrong, fix support-point
communes, save it as a new version, and switch back to an earlier one.

``render()`` draws the whole page (the app calls it from its navigation).
The work is done by :func:`run_import` and :func:`save_upload`, which take bytes and never
touch Streamlit, so they are tested directly. Every text goes through :func:`i18n.t`; every value
that comes from a file is shown in ``st.dataframe`` (which escapes it) or passed through
:func:`md_escape` before any markdown element; no HTML is ever allowed.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo import audit as audit_trail
from geo.errors import AppError, DataError, PermissionDeniedError, WorkspaceBusyError
from geo.import_common import ImportReport
from geo.importers import IMPORT_KINDS, import_file
from geo.roles import Actor
from geo.settings import SETTINGS
from geo.workspace import LAYERS, Version, Workspace
from i18n import format_int
from i18n.import_messages import (
    IMPORT_HELP,
    IMPORT_KIND_NAMES,
)
from i18n.labels import LAYER_NAMES
from i18n.messages import error_text, problem_text, warning_texts
from i18n.translator import N_, t
from ui.auth import current_actor, sign_in_form
from ui.widgets import current_language, flash, md_escape, show_flash

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "sites": ("csv", "txt", "gz", "xlsx", "geojson", "json", "gpkg", "kml", "kmz", "zip"),
    "points": ("csv", "txt", "xlsx", "geojson", "json", "gpkg", "kml", "kmz", "zip"),
    "villages": ("csv", "txt", "xlsx", "geojson", "json", "gpkg", "kml", "kmz", "zip"),
    "fibre": ("kml", "kmz", "zip", "geojson", "json", "gpkg"),
    "dem": ("tif", "tiff", "hgt", "zip"),
    "landcover": ("tif", "tiff", "geojson", "json", "gpkg"),
    "measurements": ("txt", "csv", "tsv", "gz", "xlsx", "geojson", "json", "gpkg"),
}
REPORT_KEY = "import_report"
OVERRIDES_KEY = "import_overrides"
MESSAGE_SLOT = "import"  # ui.widgets.flash slot of the versions section
DENIED = N_("Not allowed: your role cannot change the data (sign in as an editor).")


def _safe_name(name: str) -> str:
    base = re.sub(r"[^\w.\-]+", "_", Path(name).name).lstrip(".")
    return base or "upload"


def run_import(kind: str, name: str, data: bytes, *, sheet: str | None = None,
               layer: str | None = None, operator: str | None = None,
               overrides: Mapping[int, str] | None = None, lang: str = "en"
               ) -> tuple[ImportReport | None, str | None]:
    """Import uploaded bytes (nothing saved): ``(report, None)`` or ``(None, error)``, the
    error in ``lang``."""
    with tempfile.TemporaryDirectory(prefix="laocai-upload-") as tmp:
        path = Path(tmp) / _safe_name(name)
        path.write_bytes(data)
        try:
            return import_file(kind, path, sheet=sheet, layer=layer, operator=operator,
                               overrides=overrides, file_name=name), None
        except DataError as exc:
            return None, error_text(exc, lang)


def save_upload(workspace: Workspace, kind: str, name: str, data: bytes, *,
                sheet: str | None = None, layer: str | None = None,
                operator: str | None = None,
                overrides: Mapping[int, str] | None = None, actor: Actor | None = None
                ) -> list[Version]:
    """Import the bytes again and save them as new version(s) by ``actor`` (raises on
    problems, busy, or a role that may not import: the workspace checks it)."""
    with tempfile.TemporaryDirectory(prefix="laocai-upload-") as tmp:
        path = Path(tmp) / _safe_name(name)
        path.write_bytes(data)
        report = import_file(kind, path, sheet=sheet, layer=layer, operator=operator,
                             overrides=overrides, file_name=name)
        return workspace.save(report, actor)


def problem_table(problems: list[Any], lang: str) -> pd.DataFrame:
    """Row, column and problem (translated) as a table for ``st.dataframe``."""
    return pd.DataFrame({
        t(lang, "Row"): [p.row for p in problems],
        t(lang, "Column"): [p.column or "" for p in problems],
        t(lang, "Problem"): [problem_text(p, lang) for p in problems],
    })


def versions_table(versions: list[Version], lang: str) -> pd.DataFrame:
    """The versions of one layer for ``st.dataframe``."""
    return pd.DataFrame({
        t(lang, "Version"): [v.version_id for v in versions],
        t(lang, "Active"): ["✓" if v.active else "" for v in versions],
        t(lang, "Time (UTC)"): [v.created_utc for v in versions],
        t(lang, "File"): [v.file_name for v in versions],
        t(lang, "Records"): [v.rows for v in versions],
        t(lang, "SHA-256 checksum"): [v.sha256[:16] for v in versions],
    })


def _layer_label(layer: str, lang: str) -> str:
    if layer in ("dem", "landcover"):
        return t(lang, IMPORT_KIND_NAMES[layer])
    return t(lang, LAYER_NAMES[layer])


# --- Streamlit -----------------------------------------------------------------------------


def _show_report(report: ImportReport, lang: str) -> None:
    bad_rows = {p.row for p in report.problems}
    st.markdown(md_escape(t(lang, "File {file}: {read} rows read, {accepted} accepted, {problems} "
                                  "with problems.", file=report.file_name,
                             read=format_int(report.rows_read, lang),
                             accepted=format_int(report.rows_accepted, lang),
                             problems=format_int(len(bad_rows), lang))))
    for layer, gdf in report.layers.items():
        st.caption(md_escape(t(lang, "Layer {layer}: {count} records",
                               layer=_layer_label(layer, lang),
                                count=format_int(len(gdf), lang))))
    if report.warnings:
        with st.expander(t(lang, "Notes on reading the file"), expanded=True):
            st.markdown("\n".join(f"- {md_escape(w)}" for w in warning_texts(report, lang)))
    if report.problems:
        st.error(t(lang, "Rows with problems (the file is not saved)"), icon="🚫")
        st.dataframe(problem_table(report.problems, lang), hide_index=True)
    if report.excluded_count:
        st.info(t(lang, "{count} rows excluded on purpose (other networks, outside the province): "
                        "see the table below.", count=format_int(report.excluded_count, lang)))
        st.dataframe(problem_table(report.excluded, lang), hide_index=True)
    if report.preview is not None and len(report.preview):
        st.subheader(t(lang, "Preview"))
        st.dataframe(report.preview.head(1000), hide_index=True)


def _apply_fixes(digest: str, rows: list[int]) -> None:
    chosen = {row: st.session_state.get(f"import_fix_{digest}_{row}") for row in rows}
    overrides = st.session_state.setdefault(OVERRIDES_KEY, {}).setdefault(digest, {})
    overrides.update({row: code for row, code in chosen.items() if code})


def _fix_section(report: ImportReport, digest: str, lang: str) -> None:
    from geo.admin import load_units

    units = load_units(2020).sort_values(["district_code", "name"])
    names = dict(zip(units["code"], units["full_name"] + " — " + units["district"],
                     strict=True))
    st.subheader(t(lang, "Choose the commune for rows whose name did not match"))
    queried = {p.row: dict(p.params).get("name", "") for p in report.problems}
    rows = sorted(report.candidates)
    for row in rows:
        cands = [c.code for c in report.candidates[row]]
        options = ["", *cands, *(c for c in names if c not in cands)]
        st.selectbox(
            t(lang, "Row {row}: “{name}”", row=row, name=queried.get(row, "")), options,
            format_func=lambda c: t(lang, "— not chosen —") if not c else f"{names[c]} ({c})",
            key=f"import_fix_{digest}_{row}",
        )
    st.button(t(lang, "Apply the choices"), on_click=_apply_fixes, args=(digest, rows),
              key="import_fix_apply")


def _activate(path: str, layer: str, lang: str) -> None:
    version = st.session_state.get(f"import_switch_{layer}")
    try:
        Workspace(path).activate(version, current_actor())
        flash(MESSAGE_SLOT, "success", md_escape(t(lang, "Now using version {version}.",
                                                   version=version)))
    except WorkspaceBusyError:
        flash(MESSAGE_SLOT, "warning", md_escape(t(lang, "The workspace is busy (another import is "
                                                         "being saved): try again in a moment.")))
    except PermissionDeniedError:
        flash(MESSAGE_SLOT, "error", t(lang, DENIED))
    except DataError as exc:
        flash(MESSAGE_SLOT, "error", md_escape(error_text(exc, lang)))


def _deactivate(path: str, layer: str, lang: str) -> None:
    try:
        Workspace(path).deactivate(layer, current_actor())
        flash(MESSAGE_SLOT, "success", md_escape(t(lang, "In use: illustrative data")))
    except WorkspaceBusyError:
        flash(MESSAGE_SLOT, "warning", md_escape(t(lang, "The workspace is busy (another import is "
                                                         "being saved): try again in a moment.")))
    except PermissionDeniedError:
        flash(MESSAGE_SLOT, "error", t(lang, DENIED))


def _versions_section(workspace: Workspace, lang: str) -> None:
    st.subheader(t(lang, "Imported versions"))
    show_flash(MESSAGE_SLOT)
    try:
        versions = workspace.list_versions()
    except AppError as exc:
        st.error(md_escape(t(lang, "Cannot open the workspace: {detail}", detail=str(exc))))
        return
    if not versions:
        st.info(t(lang, "Nothing imported yet: the app uses the illustrative data."))
        return
    for layer in LAYERS:
        mine = [v for v in versions if v.layer == layer]
        if not mine:
            continue
        active = next((v for v in mine if v.active), None)
        st.markdown(f"**{md_escape(_layer_label(layer, lang))}** — " + md_escape(
            t(lang, "In use: {version}", version=active.version_id) if active
            else t(lang, "In use: illustrative data")))
        st.dataframe(versions_table(mine, lang), hide_index=True)
        left, middle, right = st.columns(3)
        left.selectbox(t(lang, "Version"), [v.version_id for v in mine],
                       key=f"import_switch_{layer}", label_visibility="collapsed")
        middle.button(t(lang, "Switch back to this version"), key=f"import_activate_{layer}",
                      on_click=_activate, args=(str(workspace.path), layer, lang))
        if active is not None:
            right.button(t(lang, "Use the illustrative data again"),
                         key=f"import_deactivate_{layer}",
                         on_click=_deactivate, args=(str(workspace.path), layer, lang))


def render(lang: str | None = None, workspace: Workspace | None = None) -> None:
    """Draw the import page in ``lang`` ("vi" or "en") for ``workspace`` (default: the
    user's, from ``LAOCAI_WORKSPACE`` or the user data folder)."""
    lang = lang or current_language()
    st.header(t(lang, "Import the province's data"))
    st.caption(t(lang, "Import BTS lists, the support-point annex, villages, fibre maps or "
                       "terrain. Each import creates a new version; you can switch back to an "
                       "earlier one. A file with bad rows is not saved: correct it and import it "
                       "again."))
    try:
        ws = workspace if workspace is not None else Workspace()
    except DataError as exc:
        st.error(md_escape(t(lang, "Cannot open the workspace: {detail}", detail=str(exc))))
        return
    st.caption(md_escape(t(lang, "Workspace: {path}", path=str(ws.path))))
    sign_in_form(lang, ws)  # the single-user notice, or the sidebar's sign-in
    kind = st.selectbox(t(lang, "Kind of data"), IMPORT_KINDS, key="import_kind",
                        format_func=lambda k: t(lang, IMPORT_KIND_NAMES[k]))
    st.caption(t(lang, IMPORT_HELP[kind]))
    upload = st.file_uploader(t(lang, "Choose a file"), type=list(EXTENSIONS[kind]),
                              key=f"import_upload_{kind}",
                              max_upload_size=min(SETTINGS.app.upload_limit_mb,
                                                  SETTINGS.auth.upload_limit_mb))
    with st.expander(t(lang, "Options")):
        sheet = st.text_input(t(lang, "Excel sheet (empty: the first)"),
                              key="import_sheet").strip() or None
        layer = st.text_input(t(lang, "Layer in a GeoPackage / Shapefile in a zip"),
                              key="import_layer").strip() or None
        operator = st.text_input(t(lang, "Operator of the whole file (when it has no operator "
                                         "column)"),
                                 key="import_operator").strip() or None
    if upload is not None:
        data = upload.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        overrides = dict(st.session_state.get(OVERRIDES_KEY, {}).get(digest, {}))
        opts: dict[str, Any] = {"sheet": sheet, "layer": layer, "operator": operator,
                                "overrides": overrides or None}
        key = (kind, digest, sheet, layer, operator, tuple(sorted(overrides.items())), lang)
        cached = st.session_state.get(REPORT_KEY)
        if cached is not None and cached[0] == key:
            report, error = cached[1], cached[2]
        else:
            report, error = run_import(kind, upload.name, data, lang=lang, **opts)
            st.session_state[REPORT_KEY] = (key, report, error)
        if error is not None or report is None:
            st.error(md_escape(t(lang, "The file cannot be imported: {detail}", detail=error)),
                     icon="🚫")
        else:
            _show_report(report, lang)
            try:
                earlier = ws.find_checksum(report.sha256)
            except AppError:
                earlier = []
            if earlier:
                st.caption(md_escape(t(lang, "This file was already imported: {versions}.",
                                       versions=", ".join(
                    v.version_id for v in earlier))))
            if kind == "points" and report.candidates:
                _fix_section(report, digest, lang)
            if st.button(t(lang, "Save as a new version"), type="primary", disabled=not report.ok,
                         key="import_confirm"):
                try:
                    saved = save_upload(ws, kind, upload.name, data, **opts,
                                        actor=current_actor())
                except WorkspaceBusyError:
                    st.warning(t(lang, "The workspace is busy (another import is being saved): try "
                                       "again in a moment."))
                except PermissionDeniedError:
                    st.error(t(lang, DENIED))
                except DataError as exc:
                    st.error(md_escape(error_text(exc, lang)))
                else:
                    st.session_state.pop(REPORT_KEY, None)
                    st.success(md_escape(t(lang, "Saved version {version}.", version=", ".join(
                        v.version_id for v in saved))))
            elif not report.ok:
                st.caption(t(lang, "Not saved: the file still has problems."))
    _versions_section(ws, lang)
    _audit_section(ws, lang)


AUDIT_HEADERS: dict[str, str] = {
    "at_utc": N_("Time (UTC)"), "actor": N_("Who"), "role": N_("Role"),
    "action": N_("Action"), "target": N_("Layer or name"), "detail": N_("File"),
    "before": N_("Before"), "after": N_("After")}


def _audit_section(workspace: Workspace, lang: str) -> None:
    """The audit trail, newest first, filterable by who and action, with a CSV download;
    only for those allowed to read it (admins; everyone in single-user local mode)."""
    try:
        rows = workspace.audit(current_actor())
    except PermissionDeniedError:
        return
    except AppError as exc:
        st.error(md_escape(t(lang, "Cannot open the workspace: {detail}", detail=str(exc))))
        return
    st.subheader(t(lang, "Audit trail"))
    if not rows:
        st.caption(t(lang, "No change recorded yet."))
        return
    who_col, action_col = st.columns(2)
    who = who_col.selectbox(t(lang, "Who"), ["", *sorted({r.actor for r in rows})],
                            key="audit_who", format_func=lambda v: v or t(lang, "(all)"))
    action = action_col.selectbox(t(lang, "Action"), ["", *sorted({r.action for r in rows})],
                                  key="audit_action", format_func=lambda v: v or t(lang, "(all)"))
    shown = [r for r in reversed(rows) if (not who or r.actor == who)
             and (not action or r.action == action)]
    frame = pd.DataFrame([{t(lang, label): getattr(r, column)
                           for column, label in AUDIT_HEADERS.items()} for r in shown])
    st.dataframe(frame, hide_index=True)
    st.download_button(t(lang, "Download the audit trail (CSV)"),
                       data=audit_trail.csv_text(shown).encode("utf-8-sig"),
                       file_name="audit.csv", mime="text/csv", key="audit_csv",
                       on_click="ignore", icon=":material/download:")
