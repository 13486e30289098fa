"""The briefing as an A4 PDF (fpdf2) with DejaVu Sans embedded: that font, shipped with
matplotlib, covers every Vietnamese letter."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from fpdf import FPDF

from analysis.briefing import Briefing, Table

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def render_pdf(briefing: Briefing, map_png: bytes) -> bytes:
    """Page 1: title, data box, assumptions, headline figures; then the map and the tables."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(briefing.title)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    _para(pdf, 7, briefing.title)
    pdf.set_font("DejaVu", "", 9)
    _para(pdf, 5, briefing.subtitle)
    if briefing.warning:
        pdf.ln(1)
        pdf.set_fill_color(255, 243, 205)
        _para(pdf, 5, briefing.warning, fill=True, border=1)
    _table(pdf, briefing.data_box)
    for line in briefing.assumptions:
        _para(pdf, 5, "• " + line)
    _table(pdf, briefing.headline)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 11)
    _para(pdf, 6, briefing.map.title)
    pdf.image(io.BytesIO(map_png), w=pdf.epw)
    for tab in briefing.tables:
        _table(pdf, tab)
    if briefing.validation is not None:  # only with measurements
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 11)
        _para(pdf, 6, briefing.validation.title)
        pdf.set_font("DejaVu", "", 9)
        for line in briefing.validation.lines:
            _para(pdf, 5, line)
        for tab in briefing.validation.tables:
            _table(pdf, tab)
    pdf.set_font("DejaVu", "B", 11)
    _para(pdf, 6, briefing.recommendation_title)
    pdf.set_font("DejaVu", "", 9)
    _para(pdf, 5, briefing.recommendation)
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 7)
    _para(pdf, 4, briefing.footer)
    return bytes(pdf.output())


def _para(pdf: FPDF, height: float, text: str, **kwargs: object) -> None:
    """A paragraph across the page; the next one starts at the left margin below it."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", **kwargs)


def _table(pdf: FPDF, tab: Table) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    _para(pdf, 6, tab.title)
    pdf.set_font("DejaVu", "", 8)
    with pdf.table(text_align="LEFT", line_height=4.5) as table:
        head = table.row()
        for h in tab.header:
            head.cell(h)
        for values in tab.rows:
            row = table.row()
            for value in values:
                row.cell(value)
    if tab.note:
        pdf.set_font("DejaVu", "", 7)
        _para(pdf, 4, tab.note)
