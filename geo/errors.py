"""The errors the app reports to a user, all under :class:`AppError`: bad input
(:class:`DataError`, naming the file, the rows and the fix) and a workspace that cannot be used
(:class:`WorkspaceError`, :class:`WorkspaceBusyError`), a change the user's role does not allow
(:class:`PermissionDeniedError`). The UI catches ``AppError``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RowList:
    """Row numbers for a message: the first ``limit`` shown, the others counted.

    In English (``str``) ``"3, 7, 12 (+4 more)"``; as a message parameter ``name`` it gives
    ``name`` = ``"3, 7, 12"`` and ``name_more`` = ``"4"`` (see :func:`message_params`), so
    the app says "and 4 more" in the user's language.
    """

    shown: tuple[int, ...]
    more: int

    @classmethod
    def of(cls, rows: Iterable[int], limit: int = 10) -> RowList:
        ordered = sorted({int(r) for r in rows})
        return cls(tuple(ordered[:limit]), max(0, len(ordered) - limit))

    @property
    def listed(self) -> str:
        return ", ".join(str(r) for r in self.shown)

    def __str__(self) -> str:
        return self.listed + (f" (+{self.more} more)" if self.more else "")


def message_params(params: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """Placeholders of a message as text; a :class:`RowList` ``name`` also gives
    ``name_more``, the number of rows not listed."""
    out: list[tuple[str, str]] = []
    for name, value in params.items():
        if isinstance(value, RowList):
            out += [(name, value.listed), (f"{name}_more", str(value.more))]
        else:
            out.append((name, str(value)))
    return tuple(out)


@dataclass(frozen=True)
class Notice:
    """A warning (of a read, an import, a planning run) with a code and its placeholders.

    ``code`` names it so that the app can translate it (:data:`i18n.import_messages.
    IMPORT_WARNINGS`, :data:`i18n.labels.PLAN_MSG_TEXTS`, rendered by :mod:`i18n.messages`)
    with ``params`` as the placeholders (:func:`message_params`); ``message`` is the English text
    (command line, logs, the workspace's version history).
    """

    code: str
    message: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, template: str, code: str, /, **params: object) -> Notice:
        """The notice whose English ``message`` is ``template`` filled from ``params``."""
        return cls(code, template.format(**params), message_params(params))


class AppError(Exception):
    """Base of every error the app shows to the user instead of failing."""


class WorkspaceError(AppError):
    """The workspace file cannot be read or written (disk, permissions, a damaged file)."""


class WorkspaceBusyError(WorkspaceError, RuntimeError):
    """Another process is saving into the workspace; try again in a moment."""


class PermissionDeniedError(AppError):
    """The actor's role does not allow the change (or nobody signed in while the workspace
    has accounts); raised before the workspace file is touched (:mod:`geo.roles`). Not an
    ``OSError`` (the workspace turns those into :class:`WorkspaceError`).

    ``code`` and ``params`` (``action``, ``role``, ``needed``) let the app say it in the
    user's language; the message is English (command line, logs).
    """

    def __init__(self, problem: str, *, action: str = "", role: str = "",
                 needed: str = "") -> None:
        self.problem = problem
        self.code = "permission_denied"
        self.params = message_params({"action": action, "role": role, "needed": needed})
        self.source = None
        self.action, self.role, self.needed = action, role, needed
        super().__init__(problem)


class DataError(AppError, ValueError):
    """Input data that cannot be used as it is.

    Parameters
    ----------
    problem:
        What is wrong, in plain words.
    source:
        The file (or layer name) the data came from.
    rows:
        Row or feature numbers concerned (1-based data rows, header excluded).
    fix:
        What the user can do about it.
    code, params:
        The kind of error and its placeholders, so that the app can say problem and fix in
        the user's language (:data:`i18n.import_messages.IMPORT_ERRORS`, rendered by
        :func:`i18n.messages.error_text`); the message above stays English (command line,
        logs).
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str | Path | None = None,
        rows: Iterable[int] | None = None,
        fix: str | None = None,
        code: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.problem = problem
        self.code = code
        self.params = message_params(params or {})
        self.source = str(source) if source is not None else None
        self.rows = sorted({int(r) for r in rows}) if rows is not None else []
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        parts = []
        if self.source:
            parts.append(f"{self.source}:")
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:10])
            more = f" (+{len(self.rows) - 10} more)" if len(self.rows) > 10 else ""
            parts.append(f"row{'s' if len(self.rows) > 1 else ''} {shown}{more}:")
        parts.append(self.problem)
        msg = " ".join(parts)
        if self.fix:
            msg += f" Fix: {self.fix}"
        return msg
