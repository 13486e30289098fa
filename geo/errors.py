"""Errors raised on bad input: each names the file, the rows and the fix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path


class DataError(ValueError):
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
        the user's language (``import.error.<code>`` in :mod:`i18n.import_strings`); the message
        above stays English (command line, logs).
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
        self.params = tuple((k, str(v)) for k, v in (params or {}).items())
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
