"""Text added to a figure as is, never compiled as a template."""

from __future__ import annotations

from typing import Any

from branca.element import Element


class RawText(Element):
    """Text added to a figure as is (branca's ``Element(text)`` compiles it as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawText"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        del kwargs
        return self.text
