"""Screenshots of what a planner sees, to compare the app before and after a change.

    python bench/screenshots.py --out DIR [--port P] [--measurements N]

Starts ``streamlit run app.py`` on 127.0.0.1 (port ``P``, or a free one) with its own
workspace and cache folders and no background warming (``LAOCAI_PREFETCH=0``), opens each page
in Debian's headless Chromium (Playwright, :mod:`tests.ui.browser_support`), waits for the map
painted and the script finished, and saves full-page PNGs (1,400 CSS px wide) in ``DIR``:

- ``planner-vi.png``: the planner page in Vietnamese;
- ``planner-vi-points.png``: the same with the details "support points" table open;
- ``planner-en.png``: the planner page after clicking "English";
- ``planner-vi-area-<key>.png``: the planner page opened on each study area (``?area=``);
- ``planning.png``: the site-planning page;
- ``import.png``: the data import page;

and with ``--measurements N`` (N illustrative drive-test rows, :mod:`bench.measurements`,
imported into the workspace first):

- ``planner-vi-hexagons.png``: the planner page with the hexagons of measured against modelled;
- ``planner-vi-measurement-points.png``: the same with the "field measurements" layer on;
- ``briefing-validation.png``: the briefing's HTML (``python -m analysis brief
  --measurements``) at its validation section.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the repository root, not bench/

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from geo.settings import SETTINGS  # noqa: E402
from i18n.translator import t  # noqa: E402
from tests.corpus import MEASURED_AT  # noqa: E402
from tests.ui.browser_support import (  # noqa: E402
    APP_IDLE_JS,
    MAP_DOC_JS,
    MAP_PAINTED_JS,
    StreamlitApp,
    chromium,
    find_chromium,
    full_page_screenshot,
    wait_js,
)

MAP_TIMEOUT_S = 180.0  # the first page computes the coverage on a fresh cache


def _settled(page: Page, condition: str = "true", timeout: float = 60.0) -> None:
    """Wait for ``condition`` and the script finished, twice 0.5 s apart (a rerun may start
    right after the first one ends)."""
    for _ in range(2):
        wait_js(page, f"({condition}) && {APP_IDLE_JS}", timeout=timeout, interval=0.1,
                what=f"the page settled ({condition[:80]})")
        page.wait_for_timeout(500)


def _open(page: Page, url: str, *, with_map: bool = True) -> None:
    page.goto(url)
    wait_js(page, '!!document.querySelector(\'[data-testid="stApp"]\')', timeout=60,
            what="the Streamlit app")
    _settled(page, MAP_PAINTED_JS if with_map else "true", MAP_TIMEOUT_S)


def _layer_on(page: Page, name: str) -> None:
    """Tick the map's layer-control entry whose label starts with ``name``."""
    page.frame_locator("iframe").first.locator(".leaflet-control-layers label").filter(
        has_text=name).first.locator("input").check(force=True)
    page.mouse.move(5, 5)  # away from the control, so that it folds back
    page.wait_for_timeout(1500)


def _measurement_shots(page: Page, app_url: str, workspace: Path, tmp: Path,
                       out: Path) -> list[Path]:
    """The hexagons, the measured points and the briefing's validation section."""
    from analysis import __main__ as cli
    from geo.workspace import Workspace

    shots = []
    _open(page, app_url)
    # Hexagons are 0.74 km²: zoom onto the first drive-test centre (tests.corpus) to see them.
    lon, lat = MEASURED_AT[1]
    page.evaluate(f"""(() => {{ const map = {MAP_DOC_JS}.defaultView.map;
        map.setView([{lat}, {lon}], 13, {{animate: false}}); }})()""")
    page.wait_for_timeout(3000)
    shots.append(full_page_screenshot(page, out / "planner-vi-hexagons.png"))
    _layer_on(page, t("vi", "Field measurements"))
    shots.append(full_page_screenshot(page, out / "planner-vi-measurement-points.png"))
    measured = tmp / "measurements.gpkg"
    Workspace(workspace).current("measurements").to_file(measured)
    brief = tmp / "briefing.pdf"
    os.environ["LAOCAI_WORKSPACE"] = str(workspace)  # the same data as the app's
    assert cli.main(["brief", "--measurements", str(measured), "--out", str(brief)]) == 0
    page.goto(brief.with_suffix(".html").as_uri())
    page.locator("section.validation").scroll_into_view_if_needed()
    path = out / "briefing-validation.png"
    page.locator("section.validation").screenshot(path=str(path))
    shots.append(path)
    return shots


def take(out: Path, port: int | None = None, measurements: int = 0) -> list[Path]:
    """Start the app, take the screenshots into ``out`` and return their paths."""
    shots: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="laocai-shots-") as tmp:
        workspace = Path(tmp) / "workspace.gpkg"
        env = {"LAOCAI_CACHE": str(Path(tmp) / "cache"),
               "LAOCAI_WORKSPACE": str(workspace), "LAOCAI_PREFETCH": "0"}
        if measurements:
            from bench.measurements import seed_workspace

            seed_workspace(workspace, measurements, Path(tmp))
        with (StreamlitApp(env, port=port, log=Path(tmp) / "streamlit.log") as app,
              sync_playwright() as pw, chromium(pw) as browser):
            page = browser.new_page()
            if measurements:
                shots += _measurement_shots(page, app.url, workspace, Path(tmp), out)
                page.close()
                page = browser.new_page()
            _open(page, app.url)
            shots.append(full_page_screenshot(page, out / "planner-vi.png"))

            details = page.locator(".st-key-details_section label").filter(
                has_text=t("vi", "Support points"))
            details.click()
            _settled(page, """!!document.querySelector('[data-testid="stDataFrame"]')""")
            shots.append(full_page_screenshot(page, out / "planner-vi-points.png"))
            page.close()

            page = browser.new_page()
            _open(page, app.url)
            page.locator('[data-testid="stSidebar"] label').get_by_text(
                "English", exact=True).click()
            english_layer = t("en", "BTS sites")
            _settled(page, f"""(() => {{ const d = {MAP_DOC_JS};
                return !!d && Array.from(d.querySelectorAll('.leaflet-control-layers label'))
                    .some(l => l.textContent.trim().startsWith({english_layer!r}))
                    && !!{MAP_PAINTED_JS}; }})()""", MAP_TIMEOUT_S)
            shots.append(full_page_screenshot(page, out / "planner-en.png"))
            page.close()

            for area in SETTINGS.study_area.areas:  # each study area, opened by its link
                page = browser.new_page()
                _open(page, f"{app.url}?area={area}")
                shots.append(full_page_screenshot(page, out / f"planner-vi-area-{area}.png"))
                page.close()

            page = browser.new_page()
            _open(page, app.url + "planning")
            shots.append(full_page_screenshot(page, out / "planning.png"))
            page.close()

            page = browser.new_page()
            _open(page, app.url + "import", with_map=False)
            shots.append(full_page_screenshot(page, out / "import.png"))
            page.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNGs")
    parser.add_argument("--port", type=int, default=None,
                        help="the app's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--measurements", type=int, default=0, metavar="N",
                        help="import N illustrative drive-test rows first and add the "
                             "measurement screenshots")
    args = parser.parse_args(argv)
    if find_chromium() is None:
        print("chromium not found: apt-get install chromium (or `make browser` as root)")
        return 2
    for path in take(args.out, args.port, args.measurements):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
