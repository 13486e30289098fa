"""Legend pieces: swatches (circle, box, line, SVG), rows, headings, notes, and the box.

Every label passed in is escaped HTML already (:func:`ui.map.spec.t_html`)."""

from __future__ import annotations

from collections.abc import Sequence

from i18n.translator import N_
from ui.map.spec import t_html


def swatch_circle(fill: str, ring: str, size: int = 12, ring_width: float = 1.5) -> str:
    return (f'<span style="display:inline-block;width:{size}px;height:{size}px;'
            f"border-radius:50%;background:{fill};border:{ring_width}px solid {ring};"
            f'vertical-align:middle;margin-right:6px;box-sizing:border-box"></span>')


def swatch_box(fill: str, ring: str = "transparent", opacity: float = 1.0,
               dash: bool = False) -> str:
    style = "dashed" if dash else "solid"
    return (f'<span style="display:inline-block;width:16px;height:11px;background:{fill};'
            f"opacity:{opacity:g};border:1.5px {style} {ring};vertical-align:middle;"
            f'margin-right:6px;box-sizing:border-box"></span>')


def swatch_line(colour: str, width: float, dash: bool = False) -> str:
    style = "dashed" if dash else "solid"
    return (f'<span style="display:inline-block;width:22px;height:0;'
            f"border-top:{max(width, 1):.0f}px {style} {colour};"
            f'vertical-align:middle;margin-right:6px"></span>')


def swatch_svg(svg: str) -> str:
    return f'<span style="display:inline-block;vertical-align:middle;margin-right:6px">{svg}</span>'


def legend_row(swatch: str, label: str) -> str:
    return f'<div style="white-space:nowrap">{swatch}{label}</div>'


def legend_heading(text: str) -> str:
    return f'<div style="font-weight:600;margin-top:5px">{text}</div>'


def legend_note(text: str) -> str:
    return (f'<div style="color:#555;max-width:230px;white-space:normal;font-size:11px">'
            f"{text}</div>")


def legend_html(blocks: Sequence[str], lang: str, *, note: str = "") -> str:
    """The legend: one block of rows per layer, in the order given (topmost first), in a
    collapsible box. ``note`` (escaped HTML) is added at the end, e.g. the illustrative-data
    warning."""
    parts = [f'<div style="margin-top:{4 if i else 2}px;padding-top:{3 if i else 0}px;'
             f'border-top:{"1px solid #e0e0e0" if i else "none"}">{block}</div>'
             for i, block in enumerate(blocks)]
    if note:
        parts.append(f'<div style="margin-top:6px;color:#8a4b00;max-width:230px;'
                     f'white-space:normal">{note}</div>')
    return (
        '<details open style="background:rgba(255,255,255,0.94);padding:6px 9px;'
        "border-radius:5px;box-shadow:0 1px 5px rgba(0,0,0,0.35);font:12px/1.45 "
        'system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-height:46vh;overflow:auto;'
        'max-width:300px">'
        f'<summary style="cursor:pointer;font-weight:700">{t_html(N_("Legend"), lang)}'
        f"</summary>{''.join(parts)}</details>"
    )
