"""Page benchmark: the app in headless Chromium, measured as a person would feel it.

    python bench/app.py [--warm-runs 3] [--cache DIR] [--measurements N]

Starts ``streamlit run app.py`` (127.0.0.1, a free port) and Debian's Chromium, driven by
Playwright (:mod:`tests.ui.browser_support`, :mod:`bench._browser`), and prints one table:

- cold start: a fresh ``LAOCAI_CACHE`` (coverage computed on the first run), from opening the
  page to the Leaflet map painted with its default layers (≤ 60 s), and to the script
  finished (the rest of the page);
- warm: a new browser tab on the same server once it is idle (Streamlit and disk caches warm,
  its background warming of the other technologies done), same end points (≤ 3 s, median of
  ``--warm-runs``); and a server restart on the warm disk cache;
- the map payload: the largest websocket message from the server while the page loads (the
  st_folium component's arguments: map script, header and HTML) and the map script the iframe
  runs (≤ 5 MB);
- a filter change (the sidebar's technology widget, key ``technology``, a radio or a select
  box; the language radio when the page has none): from the click to the page settled, i.e.
  the script finished and no websocket message for 0.5 s (≤ 1 s), and, when the map changed,
  to the new map painted;
- zooming and panning the map through Leaflet's API in the iframe: websocket messages the
  browser sends (a rerun request is one) and whether Streamlit's status widget shows (0, no).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script this folder comes first on sys.path: put the repository root there instead.
sys.path[0] = str(ROOT)

from playwright.sync_api import Locator, Page, Response, sync_playwright  # noqa: E402

from bench._browser import Frames, load_average_line, wait_server_idle  # noqa: E402
from i18n.translator import N_, t  # noqa: E402
from tests.ui.browser_support import (  # noqa: E402
    APP_IDLE_JS,
    MAP_DOC_JS,
    MAP_PAINTED_JS,
    StreamlitApp,
    chromium,
    find_chromium,
    wait_js,
)
from ui.map.assets import local_assets_available  # noqa: E402
from ui.map.files import URL_PREFIX as LAYER_FILES_URL  # noqa: E402

COLD_BUDGET_S = 60.0
WARM_BUDGET_S = 3.0
PAYLOAD_BUDGET_B = 5_000_000
FILTER_BUDGET_S = 1.0
QUIET_S = 0.5


@dataclass
class Row:
    metric: str
    value: str
    budget: str
    ok: bool | None  # None: informational


class Tab:
    """A browser tab with its websocket messages (:class:`bench._browser.Frames`) and the
    layer files its map fetched recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.frames = Frames(page)
        self.layer_files: list[Response] = []
        page.on("response", self._answered)

    def _answered(self, response: Response) -> None:
        if LAYER_FILES_URL in response.url:
            self.layer_files.append(response)

    def layer_file_bytes(self) -> int:
        """Bytes (decoded) of the layer files fetched so far."""
        return sum(len(r.body()) for r in self.layer_files)


@dataclass
class Load:
    painted: float  # seconds from navigation to the Leaflet map painted
    finished: float  # ... to the script finished (the rest of the page drawn)
    since: int  # index of the first websocket message of this page load


# Installed in the page before its own scripts: checks every 25 ms, inside the page, for the
# map painted and the script finished, and notes when (seconds since navigation started).
# Polling from here instead would run two evaluations on the page's busy main thread every
# few milliseconds and slow down the very load being timed. Top page only (not the iframes).
WATCH_JS = f"""(() => {{
    if (window !== window.top) return;
    window.__bench = {{}};
    const mark = (name, ok) => {{
        if (window.__bench[name] === undefined && ok) {{
            window.__bench[name] = performance.now() / 1000;
        }}
    }};
    const tick = () => {{
        try {{
            mark("painted", !!{MAP_PAINTED_JS});
            mark("finished", !!document.querySelector('[data-testid="stMetric"]')  // the figures
                             && {APP_IDLE_JS});
        }} catch (e) {{}}
        if (window.__bench.painted === undefined || window.__bench.finished === undefined) {{
            setTimeout(tick, 25);
        }}
    }};
    tick();
}})();"""


def open_and_time(tab: Tab, url: str, timeout: float) -> Load:
    """Open ``url`` and time the map painted and the script finished (both waited for), as
    the page itself saw them (:data:`WATCH_JS`)."""
    tab.page.add_init_script(WATCH_JS)
    since = len(tab.frames.all)
    tab.page.goto(url, wait_until="commit")
    marks = wait_js(tab.page, """window.__bench && window.__bench.painted !== undefined
                    && window.__bench.finished !== undefined && window.__bench""",
                    timeout=timeout, interval=0.25, what="the map painted and the script done")
    return Load(marks["painted"], marks["finished"], since)


def payload_sizes(tab: Tab, since: int) -> tuple[int, int, int, int]:
    """(largest websocket message, all messages, map script in the iframe, layer files the
    map fetched) in bytes."""
    frames = tab.frames.received(since)
    script = tab.page.evaluate(f"""(() => {{ const d = {MAP_DOC_JS};
        return d ? Array.from(d.querySelectorAll('script:not([src])'))
            .reduce((n, s) => n + s.textContent.length, 0) : 0; }})()""")
    return max(frames, default=0), sum(frames), int(script or 0), tab.layer_file_bytes()


def _settle(tab: Tab, start: float, timeout: float) -> float:
    """Seconds from ``start`` to the last websocket message before QUIET_S of silence + idle."""
    seen = len(tab.frames.all)
    last = start
    deadline = time.monotonic() + timeout
    while True:
        tab.page.wait_for_timeout(20)
        now = time.monotonic()
        if len(tab.frames.all) > seen:
            last = tab.frames.all[-1].at
            seen = len(tab.frames.all)
        if now - last >= QUIET_S and tab.page.evaluate(APP_IDLE_JS):
            return last - start
        if now > deadline:
            raise TimeoutError("the page did not settle")


def _technology_label(lang: str) -> str:
    for key in (N_("Technology"), N_("Technology")):
        try:
            return t(lang, key)
        except KeyError:
            continue
    return "\0"


def _technology_widget(page: Page, lang: str) -> Locator:
    """The sidebar's technology widget (key ``technology``, else found by its label)."""
    by_key = page.locator(".st-key-technology")
    if by_key.count():
        return by_key
    label = _technology_label(lang)
    return page.locator('[data-testid="stSidebar"] [data-testid="stElementContainer"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]').get_by_text(label, exact=True))


def change_filter(tab: Tab, lang: str,
                  to: str | None = None) -> tuple[str, float, float | None, str | None]:
    """Change the technology (radio or select box in the sidebar, key ``technology``; the
    language when there is none) to option ``to`` (default: the first one not selected).

    Returns (what, settled s, new map painted s or None, the option selected before).
    """
    page = tab.page
    page.evaluate(f"(() => {{ const d = {MAP_DOC_JS}; if (d) d.__benchOld = true; }})()")
    widget = _technology_widget(page, lang)
    options = widget.locator('label[data-testid="stRadioOption"]')
    states = options.evaluate_all("""ls => ls.map(l => ({text: l.textContent.trim(),
        checked: l.querySelector('input').checked}))""") if widget.count() else []
    before = next((o["text"] for o in states if o["checked"]), None)
    pick = next((i for i, o in enumerate(states)
                 if (not o["checked"] if to is None else o["text"] == to)), None)
    combobox = widget.locator('[role="combobox"]')
    if pick is not None:
        what = "technology radio"
        target = options.nth(pick)
    elif widget.count() and combobox.count():
        what = "technology select box"
        combobox.first.click()
        target = page.locator('[role="option"]:not([aria-selected="true"])').first
        target.wait_for(timeout=5_000)
    else:
        what = "language radio (no technology widget on the page)"
        other = "English" if lang == "vi" else "Tiếng Việt"
        target = page.locator('[data-testid="stSidebar"] label').get_by_text(other, exact=True)
    target.scroll_into_view_if_needed()
    start = time.monotonic()
    target.click()
    settled = _settle(tab, start, 60)
    repainted = None
    new_map = f"""(() => {{ const d = {MAP_DOC_JS}; return !!d && !d.__benchOld; }})()"""
    if page.evaluate(new_map):
        wait_js(page, f"{new_map} && !!{MAP_PAINTED_JS}", timeout=60, what="the new map")
        repainted = time.monotonic() - start
    return what, settled, repainted, before


def pan_zoom_reruns(tab: Tab) -> tuple[int, bool]:
    """Zoom in, pan, zoom out in the iframe; (websocket messages sent, status widget seen)."""
    since = len(tab.frames.all)
    tab.page.evaluate(f"""(() => {{ const map = {MAP_DOC_JS}.defaultView.map;
        map.setZoom(map.getZoom() + 1, {{animate: false}});
        map.panBy([220, 140], {{animate: false}});
        map.setZoom(map.getZoom() - 1, {{animate: false}}); }})()""")
    seen_running = False
    end = time.monotonic() + 2.0  # st_folium debounces map events by 250 ms
    while time.monotonic() < end:
        tab.page.wait_for_timeout(50)
        seen_running = seen_running or not tab.page.evaluate(APP_IDLE_JS)
    return len(tab.frames.sent(since)), seen_running


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def run(warm_runs: int, cache: Path, script: str = "app.py",
        workspace: Path | None = None) -> list[Row]:
    rows: list[Row] = []
    env = {"LAOCAI_CACHE": str(cache)}
    if workspace is not None:
        env["LAOCAI_WORKSPACE"] = str(workspace)
    with (StreamlitApp(env, script=script) as app, sync_playwright() as pw,
          chromium(pw) as browser):
        first = Tab(browser.new_page())
        cold = open_and_time(first, app.url, 180)
        rows.append(Row("cold start (fresh cache): page → map painted", f"{cold.painted:.2f} s",
                        f"≤ {COLD_BUDGET_S:.0f} s", cold.painted <= COLD_BUDGET_S))
        rows.append(Row("  page → script finished", f"{cold.finished:.2f} s", "", None))
        largest, total, map_script, files = payload_sizes(first, cold.since)
        rows.append(Row("map payload: largest websocket message", _mb(largest),
                        f"≤ {_mb(PAYLOAD_BUDGET_B)}", largest <= PAYLOAD_BUDGET_B))
        rows.append(Row("  all websocket messages of the page load", _mb(total), "", None))
        rows.append(Row("  map script run in the iframe", _mb(map_script), "", None))
        rows.append(Row("  layer files the map fetched (shown layers)", _mb(files), "", None))
        # Warm caches: wait for the server to finish computing, including its background
        # warming of the other technologies (ui.prefetch), before timing new tabs.
        busy = wait_server_idle(app)
        rows.append(Row("  server busy after it (background warming), waited", f"{busy:.1f} s",
                        "", None))
        warm = []
        for _ in range(warm_runs):
            tab = Tab(browser.new_page())
            warm.append(open_and_time(tab, app.url, 60))
            tab.page.close()
        painted = statistics.median(w.painted for w in warm)
        rows.append(Row(f"warm (new tab, same server): page → map painted, median of "
                        f"{warm_runs}", f"{painted:.2f} s", f"≤ {WARM_BUDGET_S:.0f} s",
                        painted <= WARM_BUDGET_S))
        rows.append(Row("  max", f"{max(w.painted for w in warm):.2f} s", "", None))
        rows.append(Row("  page → script finished, median",
                        f"{statistics.median(w.finished for w in warm):.2f} s", "", None))
        tab = Tab(browser.new_page())
        open_and_time(tab, app.url, 60)
        what, settled, repainted, before = change_filter(tab, "vi")
        rows.append(Row(f"filter change ({what}): click → page settled", f"{settled:.2f} s",
                        f"≤ {FILTER_BUDGET_S:.0f} s", settled <= FILTER_BUDGET_S))
        rows.append(Row("  click → new map painted",
                        "map unchanged" if repainted is None else f"{repainted:.2f} s", "",
                        None))
        if before is not None:  # back to the first option: its analysis is cached now
            _, settled, repainted, _ = change_filter(tab, "vi", to=before)
            rows.append(Row(f"  back to {before} (cached): click → page settled",
                            f"{settled:.2f} s", "", None))
            rows.append(Row("  back: click → new map painted",
                            "map unchanged" if repainted is None else f"{repainted:.2f} s",
                            "", None))
        sent, running = pan_zoom_reruns(tab)
        rows.append(Row("zoom + pan the map: messages to the server / status widget",
                        f"{sent} / {'shown' if running else 'not shown'}", "0 / not shown",
                        sent == 0 and not running))
    with (StreamlitApp(env, script=script) as app, sync_playwright() as pw,
          chromium(pw) as browser):
        restart = open_and_time(Tab(browser.new_page()), app.url, 120)
        rows.append(Row("server restart on the warm disk cache: page → map painted",
                        f"{restart.painted:.2f} s", "", None))
    return rows


def print_table(rows: list[Row]) -> None:
    width = max(len(r.metric) for r in rows)
    vwidth = max(len(r.value) for r in rows)
    print(f"{'metric':<{width}}  {'value':>{vwidth}}  {'budget':<14} ok")
    print("-" * (width + vwidth + 22))
    for r in rows:
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        print(f"{r.metric:<{width}}  {r.value:>{vwidth}}  {r.budget:<14} {ok}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=None,
                        help="LAOCAI_CACHE to use (default: a fresh temporary folder)")
    parser.add_argument("--script", default="app.py", help="the Streamlit script (app.py)")
    parser.add_argument("--measurements", type=int, default=0, metavar="N",
                        help="import N illustrative drive-test rows (bench/measurements.py) "
                             "into a fresh workspace first (default: none, the environment's "
                             "workspace)")
    args = parser.parse_args(argv)
    if find_chromium() is None:
        print("chromium not found: apt-get install chromium (or `make browser` as root)")
        return 2
    if not local_assets_available():
        print("note: static/vendor/ is missing (run `make assets`): the map needs CDNs")
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="laocai-bench-cache-") as tmp:
        workspace = None
        if args.measurements:
            from bench.measurements import seed_workspace

            workspace = Path(tmp) / "workspace.gpkg"
            accepted = seed_workspace(workspace, args.measurements, Path(tmp))
            print(f"workspace with {accepted:,} illustrative measurements")
        rows = run(args.warm_runs, args.cache or Path(tmp) / "cache", args.script, workspace)
    print_table(rows)
    print(load_average_line(before))
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
