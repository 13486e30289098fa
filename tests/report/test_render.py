"""The briefing rendered (report/): figures and diacritics in the PDF, a map that is not blank
with one legend row per status, escaped HTML, and the CLI ``brief``."""

import html.parser
import io
import shutil
import subprocess

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from shapely.geometry import box

import report
from analysis import __main__ as cli
from analysis.briefing import BriefingMap
from analysis.inputs import load_inputs
from analysis.pipeline import analyse
from analysis.scenarios import Scenario
from analysis.status import STATUSES
from geo.settings import SETTINGS
from geo.workspace import Workspace
from i18n import format_int, format_percent
from report.map import render_map

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("LAOCAI_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
    result = analyse(load_inputs())
    in_gap = result.points.table.index[result.points.mobile_gap]
    result.inputs.points.loc[in_gap[0], "name"] = XSS  # listed in a table: must stay inert
    yield result
    mp.undo()


@pytest.fixture(scope="module")
def written(result, tmp_path_factory):
    return report.write(result, tmp_path_factory.mktemp("brief") / "brief.pdf", lang="vi")


def _text(pdf_path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf_path).pages)


def test_pdf_has_the_computed_figures_and_intact_diacritics(result, written):
    text = _text(written[0])
    for name in ("Mường Khương", "Bắc Hà", "Bát Xát", "Thôn, bản có sóng 3G/4G"):
        assert name in text
    for indicator in result.indicators:
        shown = (format_percent(indicator.value, "vi") if indicator.unit == "%"
                 else format_int(indicator.value, "vi"))
        assert shown.replace("\u00a0", " ") in text.replace("\u00a0", " "), indicator.key
    assert "MINH HỌA" in text  # illustrative data is said on the page


def test_english_on_request(result, tmp_path):
    pdf, _ = report.write(result, tmp_path / "en.pdf", lang="en")
    text = _text(pdf)
    assert "Headline figures" in text and "ILLUSTRATIVE" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs Debian's poppler-utils")
def test_pages_render_and_the_map_page_is_not_blank(written, tmp_path):
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(written[0]), str(tmp_path / "p")],
                   check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 2
    map_page = np.asarray(Image.open(pages[1]).convert("L"), float)
    assert map_page.std() > 20  # a white page has no spread
    assert (map_page < 250).mean() > 0.3  # most of the map area is drawn on


def test_map_colours_points_by_status_with_a_legend_row_each():
    """Each status colour of the settings is drawn (a point and its legend marker)."""
    area = gpd.GeoDataFrame(geometry=[box(0, 0, 40_000, 40_000)], crs=SETTINGS.crs.metric)
    points = np.array([[8_000.0, 30_000.0], [16_000.0, 30_000.0], [24_000.0, 30_000.0],
                       [32_000.0, 30_000.0]])
    content = BriefingMap(
        title="map", technology="4G", extent=(0.0, 40_000.0, 0.0, 40_000.0),
        covered=np.zeros((4, 4), bool), elevation=None, resolution_m=10_000.0,
        communes=area, study_area=area, gap_areas=area.iloc[:0], sites_xy=np.empty((0, 2)),
        points_xy=points, point_status=list(STATUSES))
    png = np.asarray(Image.open(io.BytesIO(render_map(content, "vi", dpi=60))).convert("RGB"))
    drawn = {tuple(int(c) for c in pixel) for pixel in png.reshape(-1, 3)}
    for status in STATUSES:
        colour = SETTINGS.app.status_colours[status].lstrip("#")
        assert tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4)) in drawn, status


def test_html_parses_and_escapes_data_text(written):
    page = written[1].read_text(encoding="utf-8")

    class Collector(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

    parser = Collector()
    parser.feed(page)
    assert parser.tags.count("img") == 1  # only the map
    assert XSS not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Mường Khương" in page


def test_build_gives_the_bytes_that_write_writes(result, written):
    pdf, page = report.build(result, lang="vi")
    assert pdf.startswith(b"%PDF") and page == written[1].read_text(encoding="utf-8")


def test_cli_brief_with_a_saved_scenario(result, tmp_path, monkeypatch):
    monkeypatch.setenv("LAOCAI_CACHE", str(tmp_path / "cache"))
    workspace = tmp_path / "ws.gpkg"
    sites = result.inputs.sites.drop(columns="geometry").iloc[:2].copy()
    sites["site_id"] = ["NEW-1", "NEW-2"]
    sites["lon"] += 0.05
    Scenario("Phương án A", sites).save_to(Workspace(workspace).scenarios)
    out = tmp_path / "brief.pdf"
    assert cli.main(["brief", "--scenario", "Phương án A", "--workspace", str(workspace),
                     "--out", str(out)]) == 0
    text = _text(out)
    assert "Phương án: Phương án A" in text and "NEW-1" in text
    assert out.with_suffix(".html").exists()
    assert cli.main(["brief", "--scenario", "missing", "--workspace", str(workspace),
                     "--out", str(out)]) == 2


def test_html_says_the_model_and_escapes_the_land_cover_file(result, monkeypatch):
    from types import SimpleNamespace
    monkeypatch.setattr(result.inputs, "landcover", SimpleNamespace(source=XSS))
    _, page = report.build(result, lang="en")
    assert "Diffraction: " in page and "ITU-R P.2108-1 3.1" in page
    assert XSS not in page and "Land cover: &lt;img src=x onerror=alert(1)&gt;" in page
