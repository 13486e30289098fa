"""The core's coded messages in the user's language: files refused on import
(:class:`geo.errors.DataError` with a code), problems of rows, and read or import warnings
(:class:`geo.errors.Notice`). Used by the import page and by ``python -m geo`` /
``python -m analysis --lang vi``. Duck-typed (``code``, ``params``, ``message``), so this
leaf imports nothing of ``geo``. A message whose code has no translation stays in English.
"""

from __future__ import annotations

import contextlib
from typing import Any

from i18n import format_int
from i18n.import_messages import CRS_READINGS, IMPORT_ERRORS, IMPORT_PROBLEMS, IMPORT_WARNINGS
from i18n.translator import t


def cli_error(exc: Any, lang: str) -> str:
    """An error for the command line: the core's English message, or its translation
    (:func:`error_text`) for another language."""
    return str(exc) if lang == "en" else error_text(exc, lang)


def error_text(exc: Any, lang: str) -> str:
    """A refused file's reason in ``lang``: ``file: problem. fix.`` (by the error's code),
    else the English message."""
    if not exc.code or exc.code not in IMPORT_ERRORS:
        return str(exc)
    params = dict(exc.params)
    for name in ("count", "size", "limit", "line"):
        with contextlib.suppress(KeyError, ValueError):
            params[name] = format_int(float(params[name]), lang)
    try:
        text = t(lang, IMPORT_ERRORS[exc.code], **params)
    except KeyError:
        return str(exc)
    return f"{exc.source}: {text}" if exc.source else text


def _with_more_rows(params: dict[str, str], lang: str) -> dict[str, str]:
    """Row lists (:class:`geo.errors.RowList` parameters ``name`` + ``name_more``) with the
    rows not listed counted in words of ``lang``: "3, 7 (và 4 dòng khác)"."""
    out = dict(params)
    for name, value in params.items():
        more = params.get(f"{name}_more", "0")
        if more != "0":
            out[name] = value + t(lang, " (+{count} more)", count=more)
    return out


def problem_text(problem: Any, lang: str) -> str:
    """A problem in ``lang`` (by its code), else its English message."""
    if problem.code and problem.code in IMPORT_PROBLEMS:
        try:
            return t(lang, IMPORT_PROBLEMS[problem.code], **_with_more_rows(dict(problem.params),
                                                                            lang))
        except KeyError:
            pass
    return problem.message


_NUMBERS = ("count", "cells", "line", "distance")


def _crs_text(kind: str, ambiguous: bool, lang: str) -> str:
    """How the coordinates were read, in ``lang`` (:data:`i18n.import_messages.CRS_READINGS`)."""
    line = t(lang, CRS_READINGS[kind])
    return line + " " + t(lang, "Another coordinate system fits almost as well: check with the "
                                "supplier.") if ambiguous else line


def notice_text(notice: Any, lang: str) -> str:
    """A read or import warning in ``lang`` (by its code), else its English message."""
    params = _with_more_rows(dict(notice.params), lang)
    for name in _NUMBERS:
        with contextlib.suppress(KeyError, ValueError):
            params[name] = format_int(float(params[name]), lang)
    try:
        if notice.code == "encoding":
            return t(lang, "Text encoding: {encoding}", encoding=params["encoding"])
        if notice.code in ("crs", "crs_declared_outside", "crs_missing"):
            if params.get("kind", "unknown") == "unknown":
                return notice.message
            crs = _crs_text(params["kind"], bool(params.get("ambiguous")), lang)
            # "No coordinate system in the file; <how the coordinates were read>"
            return crs if notice.code == "crs" else t(lang, IMPORT_WARNINGS[notice.code],
                                                      **params) + " " + crs
        if notice.code in IMPORT_WARNINGS:
            return t(lang, IMPORT_WARNINGS[notice.code], **params)
    except KeyError:  # a placeholder missing: the English message says it all
        pass
    return notice.message


def warning_texts(report: Any, lang: str) -> list[str]:
    """The warnings of an import report in ``lang`` (English for any without a code)."""
    if len(report.notices) == len(report.warnings):
        return [notice_text(n, lang) for n in report.notices]
    return list(report.warnings)
