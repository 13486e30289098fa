"""The import page: upload a file, see what was read and what is wrong, fix support-point
communes, save it as a new version, and switch back to an earlier one.

``render_import_page(lang)`` draws the whole page (the app calls it from its navigation).
The work is done by :func:`run_import` and :func:`save_upload`, which take bytes and never
touch Streamlit, so they are tested directly. Every text goes through :func:`tr`; every value
that comes from a file is shown in ``st.dataframe`` (which escapes it) or passed through
:func:`md_escape` before any markdown element; no HTML is ever allowed.

Texts: :func:`tr` looks a key up in :data:`ui.i18n_import.IMPORT_STRINGS` first, then in
:mod:`ui.i18n`'s table, so the page works before and after the lead merges the ``import.*``
keys into ``ui.i18n.TRANSLATIONS`` (after the merge ``tr`` can simply become ``t``).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from geo.errors import DataError
from geo.import_common import ImportReport
from geo.importers import IMPORT_KINDS, import_file
from geo.readers import Notice
from geo.settings import SETTINGS
from geo.workspace import LAYERS, Version, Workspace, WorkspaceBusyError
from ui.i18n import format_int, t

try:  # merged into ui.i18n by the lead later; the page keeps working either way
    from ui.i18n_import import IMPORT_STRINGS
except ImportError:  # pragma: no cover
    IMPORT_STRINGS = {}

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "sites": ("csv", "txt", "gz", "xlsx", "geojson", "json", "gpkg", "kml", "kmz", "zip"),
    "points": ("csv", "txt", "xlsx", "geojson", "json", "gpkg", "kml", "kmz", "zip"),
    "villages": ("csv", "txt", "xlsx", "geojson", "json", "gpkg", "kml", "kmz", "zip"),
    "fibre": ("kml", "kmz", "zip", "geojson", "json", "gpkg"),
    "dem": ("tif", "tiff", "hgt", "zip"),
}
REPORT_KEY = "import_report"
OVERRIDES_KEY = "import_overrides"
MESSAGE_KEY = "import_message"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def tr(key: str, lang: str, **fmt: Any) -> str:
    """Text of ``key`` in ``lang``: from ``IMPORT_STRINGS``, else ``ui.i18n.t``."""
    entry = IMPORT_STRINGS.get(key)
    if entry is None:
        return t(key, lang, **fmt)
    text = entry[lang]
    return text.format(**fmt) if fmt else text


def md_escape(text: object) -> str:
    """``text`` with every markdown character escaped (file names, values from files)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


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


def error_text(exc: DataError, lang: str) -> str:
    """A refused file's reason in ``lang``: ``file: problem. fix.`` (by the error's code),
    else the English message."""
    key = f"import.error.{exc.code}"
    if not exc.code or key not in IMPORT_STRINGS:
        return str(exc)
    params = dict(exc.params)
    for name in ("count", "size", "limit", "line"):
        with contextlib.suppress(KeyError, ValueError):
            params[name] = format_int(float(params[name]), lang)
    try:
        text = tr(key, lang, **params)
    except KeyError:
        return str(exc)
    return f"{exc.source}: {text}" if exc.source else text


def save_upload(workspace: Workspace, kind: str, name: str, data: bytes, *,
                sheet: str | None = None, layer: str | None = None,
                operator: str | None = None,
                overrides: Mapping[int, str] | None = None) -> list[Version]:
    """Import the bytes again and save them as new version(s) (raises on problems/busy)."""
    with tempfile.TemporaryDirectory(prefix="laocai-upload-") as tmp:
        path = Path(tmp) / _safe_name(name)
        path.write_bytes(data)
        report = import_file(kind, path, sheet=sheet, layer=layer, operator=operator,
                             overrides=overrides, file_name=name)
        return workspace.save(report)


def problem_text(problem: Any, lang: str) -> str:
    """A problem in ``lang`` (by its code), else its English message."""
    key = f"import.problem.{problem.code}"
    if problem.code and key in IMPORT_STRINGS:
        try:
            return tr(key, lang, **dict(problem.params))
        except KeyError:
            pass
    return problem.message


def problem_table(problems: list[Any], lang: str) -> pd.DataFrame:
    """Row, column and problem (translated) as a table for ``st.dataframe``."""
    return pd.DataFrame({
        tr("import.col.row", lang): [p.row for p in problems],
        tr("import.col.column", lang): [p.column or "" for p in problems],
        tr("import.col.problem", lang): [problem_text(p, lang) for p in problems],
    })


_MORE = re.compile(r" \(\+(\d+) more\)$")
_NUMBERS = ("count", "cells", "line", "distance")


def _crs_text(kind: str, ambiguous: bool, lang: str) -> str:
    """How the coordinates were read, in ``lang`` (``import.crs.<kind>``)."""
    line = tr(f"import.crs.{kind}", lang)
    return line + " " + tr("import.crs.ambiguous", lang) if ambiguous else line


def notice_text(notice: Notice, lang: str) -> str:
    """A read or import warning in ``lang`` (by its code), else its English message."""
    params = dict(notice.params)
    if "rows" in params:  # "3, 7 (+4 more)": the count of the rest in words of ``lang``
        more = _MORE.search(params["rows"])
        if more:
            params["rows"] = (params["rows"][:more.start()]
                              + tr("import.warn.more", lang, count=more.group(1)))
    for name in _NUMBERS:
        with contextlib.suppress(KeyError, ValueError):
            params[name] = format_int(float(params[name]), lang)
    key = f"import.warn.{notice.code}"
    try:
        if notice.code == "encoding":
            return tr("import.encoding", lang, encoding=params["encoding"])
        if notice.code in ("crs", "crs_declared_outside", "crs_missing"):
            if params.get("kind", "unknown") == "unknown":
                return notice.message
            crs = _crs_text(params["kind"], bool(params.get("ambiguous")), lang)
            # "No coordinate system in the file; <how the coordinates were read>"
            return crs if notice.code == "crs" else tr(key, lang, **params) + " " + crs
        if key in IMPORT_STRINGS:
            return tr(key, lang, **params)
    except KeyError:  # a placeholder missing: the English message says it all
        pass
    return notice.message


def warning_texts(report: ImportReport, lang: str) -> list[str]:
    """The report's warnings in ``lang`` (English for any without a translation)."""
    if len(report.notices) == len(report.warnings):
        return [notice_text(n, lang) for n in report.notices]
    return list(report.warnings)


def versions_table(versions: list[Version], lang: str) -> pd.DataFrame:
    """The versions of one layer for ``st.dataframe``."""
    return pd.DataFrame({
        tr("import.col.version", lang): [v.version_id for v in versions],
        tr("import.col.active", lang): ["✓" if v.active else "" for v in versions],
        tr("import.col.time", lang): [v.created_utc for v in versions],
        tr("import.col.file", lang): [v.file_name for v in versions],
        tr("import.col.rows", lang): [v.rows for v in versions],
        tr("import.col.checksum", lang): [v.sha256[:16] for v in versions],
    })


def _layer_label(layer: str, lang: str) -> str:
    return tr("import.kind.dem", lang) if layer == "dem" else t(f"layer.{layer}", lang)


# --- Streamlit -----------------------------------------------------------------------------


def _show_report(report: ImportReport, lang: str) -> None:
    bad_rows = {p.row for p in report.problems}
    st.markdown(md_escape(tr("import.summary", lang, file=report.file_name,
                             read=format_int(report.rows_read, lang),
                             accepted=format_int(report.rows_accepted, lang),
                             problems=format_int(len(bad_rows), lang))))
    for layer, gdf in report.layers.items():
        st.caption(md_escape(tr("import.records", lang, layer=_layer_label(layer, lang),
                                count=format_int(len(gdf), lang))))
    if report.warnings:
        with st.expander(tr("import.warnings", lang), expanded=True):
            st.markdown("\n".join(f"- {md_escape(w)}" for w in warning_texts(report, lang)))
    if report.problems:
        st.error(tr("import.problems", lang), icon="🚫")
        st.dataframe(problem_table(report.problems, lang), hide_index=True)
    if report.excluded_count:
        st.info(tr("import.excluded", lang, count=format_int(report.excluded_count, lang)))
        st.dataframe(problem_table(report.excluded, lang), hide_index=True)
    if report.preview is not None and len(report.preview):
        st.subheader(tr("import.preview", lang))
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
    st.subheader(tr("import.fix_title", lang))
    queried = {p.row: dict(p.params).get("name", "") for p in report.problems}
    rows = sorted(report.candidates)
    for row in rows:
        cands = [c.code for c in report.candidates[row]]
        options = ["", *cands, *(c for c in names if c not in cands)]
        st.selectbox(
            tr("import.fix_row", lang, row=row, name=queried.get(row, "")), options,
            format_func=lambda c: tr("import.fix_none", lang) if not c else f"{names[c]} ({c})",
            key=f"import_fix_{digest}_{row}",
        )
    st.button(tr("import.fix_apply", lang), on_click=_apply_fixes, args=(digest, rows),
              key="import_fix_apply")


def _activate(path: str, layer: str, lang: str) -> None:
    version = st.session_state.get(f"import_switch_{layer}")
    try:
        Workspace(path).activate(version)
        st.session_state[MESSAGE_KEY] = ("success", tr("import.switched", lang,
                                                       version=version))
    except WorkspaceBusyError:
        st.session_state[MESSAGE_KEY] = ("warning", tr("import.busy", lang))
    except DataError as exc:
        st.session_state[MESSAGE_KEY] = ("error", error_text(exc, lang))


def _deactivate(path: str, layer: str, lang: str) -> None:
    try:
        Workspace(path).deactivate(layer)
        st.session_state[MESSAGE_KEY] = ("success", tr("import.in_use_illustrative", lang))
    except WorkspaceBusyError:
        st.session_state[MESSAGE_KEY] = ("warning", tr("import.busy", lang))


def _versions_section(workspace: Workspace, lang: str) -> None:
    st.subheader(tr("import.versions", lang))
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        getattr(st, message[0])(md_escape(message[1]))
    try:
        versions = workspace.list_versions()
    except (DataError, WorkspaceBusyError) as exc:
        st.error(md_escape(tr("import.workspace_error", lang, detail=str(exc))))
        return
    if not versions:
        st.info(tr("import.no_versions", lang))
        return
    for layer in LAYERS:
        mine = [v for v in versions if v.layer == layer]
        if not mine:
            continue
        active = next((v for v in mine if v.active), None)
        st.markdown(f"**{md_escape(_layer_label(layer, lang))}** — " + md_escape(
            tr("import.in_use", lang, version=active.version_id) if active
            else tr("import.in_use_illustrative", lang)))
        st.dataframe(versions_table(mine, lang), hide_index=True)
        left, middle, right = st.columns(3)
        left.selectbox(tr("import.switch_choose", lang), [v.version_id for v in mine],
                       key=f"import_switch_{layer}", label_visibility="collapsed")
        middle.button(tr("import.switch_back", lang), key=f"import_activate_{layer}",
                      on_click=_activate, args=(str(workspace.path), layer, lang))
        if active is not None:
            right.button(tr("import.use_illustrative", lang), key=f"import_deactivate_{layer}",
                         on_click=_deactivate, args=(str(workspace.path), layer, lang))


def render_import_page(lang: str, workspace: Workspace | None = None) -> None:
    """Draw the import page in ``lang`` ("vi" or "en") for ``workspace`` (default: the
    user's, from ``LAOCAI_WORKSPACE`` or the user data folder)."""
    st.header(tr("import.title", lang))
    st.caption(tr("import.intro", lang))
    try:
        ws = workspace if workspace is not None else Workspace()
    except DataError as exc:
        st.error(md_escape(tr("import.workspace_error", lang, detail=str(exc))))
        return
    st.caption(md_escape(tr("import.workspace_path", lang, path=str(ws.path))))
    kind = st.selectbox(tr("import.kind", lang), IMPORT_KINDS, key="import_kind",
                        format_func=lambda k: tr(f"import.kind.{k}", lang))
    st.caption(tr(f"import.help.{kind}", lang))
    upload = st.file_uploader(tr("import.file", lang), type=list(EXTENSIONS[kind]),
                              key=f"import_upload_{kind}",
                              max_upload_size=SETTINGS.app.upload_limit_mb)
    with st.expander(tr("import.options", lang)):
        sheet = st.text_input(tr("import.sheet", lang), key="import_sheet").strip() or None
        layer = st.text_input(tr("import.layer", lang), key="import_layer").strip() or None
        operator = st.text_input(tr("import.operator", lang),
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
            st.error(md_escape(tr("import.file_error", lang, detail=error)), icon="🚫")
        else:
            _show_report(report, lang)
            try:
                earlier = ws.find_checksum(report.sha256)
            except (DataError, WorkspaceBusyError):
                earlier = []
            if earlier:
                st.caption(md_escape(tr("import.already", lang, versions=", ".join(
                    v.version_id for v in earlier))))
            if kind == "points" and report.candidates:
                _fix_section(report, digest, lang)
            if st.button(tr("import.confirm", lang), type="primary", disabled=not report.ok,
                         key="import_confirm"):
                try:
                    saved = save_upload(ws, kind, upload.name, data, **opts)
                except WorkspaceBusyError:
                    st.warning(tr("import.busy", lang))
                except DataError as exc:
                    st.error(md_escape(error_text(exc, lang)))
                else:
                    st.session_state.pop(REPORT_KEY, None)
                    st.success(md_escape(tr("import.saved", lang, version=", ".join(
                        v.version_id for v in saved))))
            elif not report.ok:
                st.caption(tr("import.not_saved", lang))
    _versions_section(ws, lang)
