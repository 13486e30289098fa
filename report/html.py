"""The briefing as one standalone HTML page: the map embedded as a data URI, every text
HTML-escaped (names come from imported files)."""

from __future__ import annotations

import base64
from html import escape

from analysis.briefing import Briefing, Table

STYLE = ("<style>body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60em;margin:auto;"
         "padding:1em;color:#222}table{border-collapse:collapse;width:100%;margin:.5em 0}"
         "td,th{border:1px solid #bbb;padding:.2em .4em;font-size:.9em;text-align:left}"
         "th{background:#eef}.warning{background:#fff3cd;border:1px solid #e0b000;"
         "padding:.5em}.note{font-size:.85em;color:#555}img{max-width:100%}</style>")


def render_html(briefing: Briefing, map_png: bytes) -> str:
    """The page in the order of the PDF."""
    png = base64.b64encode(map_png).decode("ascii")
    warning = (f"<p class='warning'>{escape(briefing.warning)}</p>"
               if briefing.warning else "")
    assumptions = "".join(f"<li>{escape(a)}</li>" for a in briefing.assumptions)
    map_title = escape(briefing.map.title)
    parts = [
        "<!DOCTYPE html>", f"<html lang='{briefing.lang}'><head><meta charset='utf-8'>",
        f"<title>{escape(briefing.title)}</title>", STYLE,
        "</head><body>", f"<h1>{escape(briefing.title)}</h1>",
        f"<p>{escape(briefing.subtitle)}</p>", warning, _table(briefing.data_box),
        f"<ul>{assumptions}</ul>", _table(briefing.headline),
        f"<h2>{map_title}</h2>",
        f"<img alt='{map_title}' src='data:image/png;base64,{png}'>",
        *[_table(tab) for tab in briefing.tables],
        _validation(briefing),
        f"<h2>{escape(briefing.recommendation_title)}</h2>",
        f"<p>{escape(briefing.recommendation)}</p>",
        f"<p class='note'>{escape(briefing.footer)}</p>", "</body></html>"]
    return "\n".join(parts)


def _validation(briefing: Briefing) -> str:
    """The validation section (only with measurements)."""
    section = briefing.validation
    if section is None:
        return ""
    lines = "".join(f"<p>{escape(line)}</p>" for line in section.lines)
    return (f"<section class='validation'><h2>{escape(section.title)}</h2>{lines}"
            + "".join(_table(tab, "h3") for tab in section.tables) + "</section>")


def _table(tab: Table, heading: str = "h2") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in tab.header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in tab.rows)
    note = f"<p class='note'>{escape(tab.note)}</p>" if tab.note else ""
    return (f"<{heading}>{escape(tab.title)}</{heading}><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{note}")
