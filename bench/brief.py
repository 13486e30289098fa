"""Briefing benchmark (issue: leadership briefing, budget ≤ 15 s for the PDF).

    python bench/brief.py

On the bundled data (90 m, coverage from the disk cache after a first untimed run), times the
analysis, the briefing (map rendered offline) and writing the PDF and HTML, in Vietnamese.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import report  # noqa: E402
from analysis.inputs import coverage_for, load_inputs  # noqa: E402
from analysis.pipeline import analyse  # noqa: E402


def main() -> None:
    inputs = load_inputs()
    coverage_for(inputs)  # fill the cache (not timed: the app computed it already)
    start = time.perf_counter()
    result = analyse(inputs)
    analysis_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        pdf, page = report.write(result, Path(tmp) / "brief.pdf", lang="vi")
        brief_s = time.perf_counter() - start
        sizes = pdf.stat().st_size / 1e3, page.stat().st_size / 1e3
    print(f"analysis (cached coverage) {analysis_s:.1f} s; briefing PDF + HTML {brief_s:.1f} s "
          f"(total {analysis_s + brief_s:.1f} s; PDF {sizes[0]:.0f} kB, HTML {sizes[1]:.0f} kB)")


if __name__ == "__main__":
    main()
