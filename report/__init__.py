"""The leadership briefing rendered: an A4 PDF and a standalone HTML page of one analysis.

The content is :func:`analysis.briefing.build_briefing`; this package draws it
(:mod:`report.map` the map with matplotlib, :mod:`report.pdf` the PDF with fpdf2,
:mod:`report.html` the page). :func:`build` gives both as bytes / text (the app's download
buttons), :func:`write` writes them to files (``python -m analysis brief``, ``bench/brief.py``).
The map is drawn once and used by both.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from analysis.briefing import ScenarioResult, build_briefing
from analysis.pipeline import Analysis
from geo.settings import SETTINGS
from report.html import render_html
from report.map import render_map
from report.pdf import render_pdf


def build(result: Analysis, *, lang: str = SETTINGS.app.default_language,
          scenario: ScenarioResult | None = None,
          today: date | None = None) -> tuple[bytes, str]:
    """PDF bytes and HTML text of the briefing of ``result`` (see
    :func:`analysis.briefing.build_briefing` for the arguments)."""
    briefing = build_briefing(result, lang=lang, scenario=scenario, today=today)
    map_png = render_map(briefing.map, lang)
    return render_pdf(briefing, map_png), render_html(briefing, map_png)


def write(result: Analysis, out: Path, *, lang: str = SETTINGS.app.default_language,
          scenario: ScenarioResult | None = None,
          today: date | None = None) -> tuple[Path, Path]:
    """Write the briefing to ``out`` (.pdf) and the HTML version next to it (.html); returns
    both paths."""
    pdf, page = build(result, lang=lang, scenario=scenario, today=today)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf_path, html_path = out.with_suffix(".pdf"), out.with_suffix(".html")
    pdf_path.write_bytes(pdf)
    html_path.write_text(page, encoding="utf-8")
    return pdf_path, html_path
