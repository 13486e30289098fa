"""Babel extractor for this project's call shapes, from the syntax tree.

Babel's token-based Python extractor takes any string inside an argument, so
``t(lang, GAP_REASONS[row["reason"]])`` would give the msgid ``"reason"``. This one yields
only an argument that *is* a string literal (adjacent literals joined); any other argument is
``None``, which Babel's keyword specs (``t:2``, ``pt:2c,3``, ...) then skip. Configured as the
``python_ast`` method in ``pyproject.toml`` (``[tool.babel]``).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any


def extract(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
            options: Mapping[str, Any]) -> Iterator[tuple[int, str, tuple[str | None, ...],
                                                         list[str]]]:
    """(line, function name, positional arguments (literal or None), comments) of every call
    of a function named in ``keywords``."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in keywords and node.args):
            args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str)
                         else None for a in node.args)
            if any(a is not None for a in args):
                yield node.lineno, node.func.id, args, []
