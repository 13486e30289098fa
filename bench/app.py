"""Page benchmark: the app in headless Chromium, measured as a person would feel it.

    python bench/app.py [--warm-runs 3] [--cache DIR]

Starts ``streamlit run app.py`` (127.0.0.1, a free port) and Debian's Chromium, driven over
the DevTools protocol (:mod:`bench.cdp`), and prints one table:

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
import base64
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script this folder comes first on sys.path: put the repository root there instead.
sys.path[0] = str(ROOT)

from bench.cdp import (  # noqa: E402
    APP_IDLE_JS,
    MAP_DOC_JS,
    MAP_PAINTED_JS,
    CDPError,
    Chromium,
    Page,
    StreamlitApp,
    find_chromium,
)
from i18n import t  # noqa: E402
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


def _frame_bytes(event: dict) -> int:
    response = event["params"]["response"]
    data = response.get("payloadData", "")
    if response.get("opcode") == 2:  # binary frames arrive base64-encoded
        return len(base64.b64decode(data))
    return len(data.encode("utf-8"))


def _ws_frames(page: Page, since: int, kind: str = "Received") -> list[dict]:
    return page.events(f"Network.webSocketFrame{kind}", since)


def _until(page: Page, check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise CDPError(f"timed out after {timeout:.0f} s waiting for {what}")
        page.conn.pump(0.02)


@dataclass
class Load:
    painted: float  # seconds from navigation to the Leaflet map painted
    finished: float  # ... to the script finished (the rest of the page drawn)
    since: int  # index of the first CDP event of this page load


# Installed in the page before its own scripts: checks every 25 ms, inside the page, for the
# map painted and the script finished, and notes when (seconds since navigation started).
# Polling from here over DevTools instead would run two evaluations on the page's busy main
# thread every few milliseconds and slow down the very load being timed.
WATCH_JS = f"""(() => {{
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


def watch_page_load(page: Page) -> None:
    """Install :data:`WATCH_JS` in ``page`` for every document it opens from now on."""
    page.send("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_JS})


def open_and_time(page: Page, url: str, timeout: float) -> Load:
    """Open ``url`` and time the map painted and the script finished (both waited for), as
    the page itself saw them (:data:`WATCH_JS`)."""
    watch_page_load(page)
    since = len(page.conn.events)
    start = time.monotonic()
    page.navigate(url)
    marks: dict = {}
    deadline = start + timeout
    while "painted" not in marks or "finished" not in marks:
        if time.monotonic() > deadline:
            raise CDPError(f"page not ready in {timeout:.0f} s (seen: {marks})")
        page.conn.pump(0.25)
        marks = page.evaluate("window.__bench || {}") or {}
    return Load(marks["painted"], marks["finished"], since)


def payload_sizes(page: Page, since: int) -> tuple[int, int, int, int]:
    """(largest websocket message, all messages, map script in the iframe, layer files the
    map fetched) in bytes."""
    frames = [_frame_bytes(e) for e in _ws_frames(page, since)]
    script = page.evaluate(f"""(() => {{ const d = {MAP_DOC_JS};
        return d ? Array.from(d.querySelectorAll('script:not([src])'))
            .reduce((n, s) => n + s.textContent.length, 0) : 0; }})()""")
    layer_requests = {e["params"]["requestId"] for e in page.events(
        "Network.requestWillBeSent", since) if LAYER_FILES_URL in e["params"]["request"]["url"]}
    files = sum(e["params"]["dataLength"] for e in page.events("Network.dataReceived", since)
                if e["params"]["requestId"] in layer_requests)
    return max(frames, default=0), sum(frames), int(script or 0), files


def _settle(page: Page, start: float, timeout: float) -> float:
    """Seconds from ``start`` to the last websocket message before QUIET_S of silence + idle."""
    seen = len(page.conn.events)
    last = start
    deadline = time.monotonic() + timeout
    while True:
        page.conn.pump(0.02)
        now = time.monotonic()
        if _ws_frames(page, seen):
            last = now
            seen = len(page.conn.events)
        if now - last >= QUIET_S and page.evaluate(APP_IDLE_JS):
            return last - start
        if now > deadline:
            raise CDPError("the page did not settle")


def _technology_label(lang: str) -> str:
    for key in ("sidebar.technology", "field.technology"):
        try:
            return t(key, lang)
        except KeyError:
            continue
    return "\0"


def change_filter(page: Page, lang: str,
                  to: str | None = None) -> tuple[str, float, float | None, str | None]:
    """Change the technology (radio or select box in the sidebar, key ``technology``; the
    language when there is none) to option ``to`` (default: the first one not selected).

    Returns (what, settled s, new map painted s or None, the option selected before).
    """
    page.evaluate(f"(() => {{ const d = {MAP_DOC_JS}; if (d) d.__benchOld = true; }})()")
    widget = f"""(() => {{
        const byKey = document.querySelector('.st-key-technology');
        if (byKey) return byKey;
        return Array.from(document.querySelectorAll(
            '[data-testid="stSidebar"] [data-testid="stElementContainer"]'))
            .find(b => (b.querySelector('[data-testid="stWidgetLabel"]') || {{}})
                .textContent === {json.dumps(_technology_label(lang))}) || null; }})()"""
    radio_labels = f"""(() => {{ const w = {widget};
        return w ? Array.from(w.querySelectorAll('label[data-testid="stRadioOption"]')) : [];
        }})()"""
    radio_option = f"""({radio_labels}.find(l => {json.dumps(to)} === null
        ? !l.querySelector('input').checked : l.textContent.trim() === {json.dumps(to)})
        || null)"""
    before = page.evaluate(f"""(() => {{ const l = {radio_labels}
        .find(l => l.querySelector('input').checked); return l ? l.textContent.trim() : null;
        }})()""")
    combobox = f"""(() => {{ const w = {widget};
        return w && w.querySelector('[role="combobox"]'); }})()"""
    if page.evaluate(f"!!{radio_option}"):
        what = "technology radio"
        start = time.monotonic()
        page.click_selector(radio_option, what)
    elif page.evaluate(f"!!{combobox}"):
        what = "technology select box"
        page.click_selector(combobox, what)
        option = """(() => Array.from(document.querySelectorAll('[role="option"]'))
            .find(o => o.getAttribute('aria-selected') !== 'true') || null)()"""
        page.wait_for(f"!!{option}", timeout=5, what="the select box options")
        start = time.monotonic()
        page.click_selector(option, "an option")
    else:
        what = "language radio (no technology widget on the page)"
        other = "English" if lang == "vi" else "Tiếng Việt"
        radio = f"""Array.from(document.querySelectorAll('[data-testid="stSidebar"] label'))
            .find(l => l.textContent.trim() === {json.dumps(other)})"""
        start = time.monotonic()
        page.click_selector(radio, what)
    settled = _settle(page, start, 60)
    repainted = None
    new_map = f"""(() => {{ const d = {MAP_DOC_JS}; return !!d && !d.__benchOld; }})()"""
    if page.evaluate(new_map):
        page.wait_for(f"{new_map} && !!{MAP_PAINTED_JS}", timeout=60, what="the new map")
        repainted = time.monotonic() - start
    return what, settled, repainted, before


def pan_zoom_reruns(page: Page) -> tuple[int, bool]:
    """Zoom in, pan, zoom out in the iframe; (websocket messages sent, status widget seen)."""
    since = len(page.conn.events)
    page.evaluate(f"""(() => {{ const map = {MAP_DOC_JS}.defaultView.map;
        map.setZoom(map.getZoom() + 1, {{animate: false}});
        map.panBy([220, 140], {{animate: false}});
        map.setZoom(map.getZoom() - 1, {{animate: false}}); }})()""")
    seen_running = False
    end = time.monotonic() + 2.0  # st_folium debounces map events by 250 ms
    while time.monotonic() < end:
        page.conn.pump(0.05)
        seen_running = seen_running or not page.evaluate(APP_IDLE_JS)
    return len(_ws_frames(page, since, "Sent")), seen_running


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def run(warm_runs: int, cache: Path, script: str = "app.py") -> list[Row]:
    rows: list[Row] = []
    env = {"LAOCAI_CACHE": str(cache)}
    with StreamlitApp(env, script=script) as app, Chromium() as browser:
        page = browser.new_page()
        cold = open_and_time(page, app.url, 180)
        rows.append(Row("cold start (fresh cache): page → map painted", f"{cold.painted:.2f} s",
                        f"≤ {COLD_BUDGET_S:.0f} s", cold.painted <= COLD_BUDGET_S))
        rows.append(Row("  page → script finished", f"{cold.finished:.2f} s", "", None))
        largest, total, map_script, files = payload_sizes(page, cold.since)
        rows.append(Row("map payload: largest websocket message", _mb(largest),
                        f"≤ {_mb(PAYLOAD_BUDGET_B)}", largest <= PAYLOAD_BUDGET_B))
        rows.append(Row("  all websocket messages of the page load", _mb(total), "", None))
        rows.append(Row("  map script run in the iframe", _mb(map_script), "", None))
        rows.append(Row("  layer files the map fetched (shown layers)", _mb(files), "", None))
        # Warm caches: wait for the server to finish computing, including its background
        # warming of the other technologies (ui.prefetch), before timing new tabs.
        busy = app.wait_idle()
        rows.append(Row("  server busy after it (background warming), waited", f"{busy:.1f} s",
                        "", None))
        warm = []
        for _ in range(warm_runs):
            tab = browser.new_page()
            warm.append(open_and_time(tab, app.url, 60))
            browser.conn.send("Target.closeTarget", {"targetId": tab.target_id})
        painted = statistics.median(w.painted for w in warm)
        rows.append(Row(f"warm (new tab, same server): page → map painted, median of "
                        f"{warm_runs}", f"{painted:.2f} s", f"≤ {WARM_BUDGET_S:.0f} s",
                        painted <= WARM_BUDGET_S))
        rows.append(Row("  max", f"{max(w.painted for w in warm):.2f} s", "", None))
        rows.append(Row("  page → script finished, median",
                        f"{statistics.median(w.finished for w in warm):.2f} s", "", None))
        page = browser.new_page()
        open_and_time(page, app.url, 60)
        what, settled, repainted, before = change_filter(page, "vi")
        rows.append(Row(f"filter change ({what}): click → page settled", f"{settled:.2f} s",
                        f"≤ {FILTER_BUDGET_S:.0f} s", settled <= FILTER_BUDGET_S))
        rows.append(Row("  click → new map painted",
                        "map unchanged" if repainted is None else f"{repainted:.2f} s", "",
                        None))
        if before is not None:  # back to the first option: its analysis is cached now
            _, settled, repainted, _ = change_filter(page, "vi", to=before)
            rows.append(Row(f"  back to {before} (cached): click → page settled",
                            f"{settled:.2f} s", "", None))
            rows.append(Row("  back: click → new map painted",
                            "map unchanged" if repainted is None else f"{repainted:.2f} s",
                            "", None))
        sent, running = pan_zoom_reruns(page)
        rows.append(Row("zoom + pan the map: messages to the server / status widget",
                        f"{sent} / {'shown' if running else 'not shown'}", "0 / not shown",
                        sent == 0 and not running))
    with StreamlitApp(env, script=script) as app, Chromium() as browser:
        restart = open_and_time(browser.new_page(), app.url, 120)
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
    args = parser.parse_args(argv)
    if find_chromium() is None:
        print("chromium not found: apt-get install chromium (or `make browser` as root)")
        return 2
    if not local_assets_available():
        print("note: static/vendor/ is missing (run `make assets`): the map needs CDNs")
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="laocai-bench-cache-") as tmp:
        rows = run(args.warm_runs, args.cache or Path(tmp), args.script)
    print_table(rows)
    print(f"load average (1 min) before / after: {before:.1f} / {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
