"""The base of every element here: macros rendered once, pasted as plain text."""

from __future__ import annotations

from typing import Any

from branca.element import Figure, MacroElement

from ui.map.elements.raw_text import RawText


class RawRender(MacroElement):
    """A MacroElement whose header, html and script macros are added to the figure as
    :class:`RawText` (see :mod:`ui.map.elements`)."""

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("You cannot render this Element if it is not in a Figure.")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(RawText(str(macro(self, kwargs))),
                                                name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
