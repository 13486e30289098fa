"""The app in Debian's headless Chromium, driven by Playwright: shared by the browser tests
(:mod:`test_browser`), the page benchmarks and the screenshot script (``bench/``).

- :class:`StreamlitApp` runs ``streamlit run app.py`` on 127.0.0.1 and a free port, with the
  given environment, and waits for its health check.
- :func:`chromium` launches ``/usr/bin/chromium`` (no browser downloaded: Playwright's own
  builds are never used) with a fresh, throw-away profile.
- :data:`MAP_PAINTED_JS` and friends are JavaScript expressions that reach into
  streamlit-folium's component iframe, which is on the app's own origin;
  :func:`click_map_at` and :data:`SITES_METRIC_JS` drive the site-planning page.

Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from geo.settings import ROOT
from i18n.translator import t

CHROMIUM_CANDIDATES: tuple[str, ...] = ("/usr/bin/chromium", "chromium", "chromium-browser",
                                        "google-chrome")
CHROMIUM_ARGS: tuple[str, ...] = (
    # --headless comes from Playwright (headless=True); the rest is what this machine needs.
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-default-browser-check", "--disable-default-apps", "--disable-extensions",
    "--mute-audio", "--hide-scrollbars",
)
VIEWPORT = {"width": 1400, "height": 1000}
"""CSS pixels of every page (what the tests, benchmarks and screenshots see)."""


def find_chromium() -> str | None:
    """Path of a Chromium executable (Debian's first), or None."""
    for name in CHROMIUM_CANDIDATES:
        path = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if path:
            return path
    return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def chromium(playwright: Playwright, *, downloads: bool = False) -> Iterator[BrowserContext]:
    """Debian's headless Chromium with a fresh profile (deleted afterwards), as one browser
    context: its pages share cookies and the HTTP cache, as tabs of one window do."""
    exe = find_chromium()
    if exe is None:
        raise FileNotFoundError("chromium not found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="laocai-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=exe, headless=True, args=list(CHROMIUM_ARGS),
            viewport=VIEWPORT, accept_downloads=downloads)
        try:
            yield context
        finally:
            context.close()


def _stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a child started in its own session (its process group only)."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)


class StreamlitApp:
    """``streamlit run app.py`` on 127.0.0.1 and a free port; use as a context manager.

    ``env`` is laid over this process's environment; ``log`` receives the server's output
    (a temporary file by default); ``port`` is a free one unless given.
    """

    def __init__(self, env: Mapping[str, str] | None = None, *, script: str = "app.py",
                 log: Path | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = {**os.environ, **(env or {})}
        self.script = script
        self.log = log or Path(tempfile.mkstemp(prefix="laocai-streamlit-", suffix=".log")[1])
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> StreamlitApp:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 60.0) -> None:
        cmd = [sys.executable, "-m", "streamlit", "run", self.script,
               "--server.headless", "true", "--server.address", "127.0.0.1",
               "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {self.proc.returncode}:\n"
                                   f"{self.log_text()[-3000:]}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.url}_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer in {timeout:.0f} s:\n"
                                   f"{self.log_text()[-3000:]}")
            time.sleep(0.2)

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None


def wait_js(page: Page, expression: str, *, timeout: float = 30.0, interval: float = 0.05,
            what: str | None = None) -> Any:
    """Poll the JavaScript ``expression`` every ``interval`` s until it is truthy and return
    its value; :class:`TimeoutError` naming ``what`` after ``timeout`` s."""
    try:
        handle = page.wait_for_function(expression, timeout=timeout * 1000,
                                        polling=interval * 1000)
    except PlaywrightTimeout as exc:
        raise TimeoutError(f"timed out after {timeout:.0f} s waiting for "
                           f"{what or expression[:200]!r}") from exc
    return handle.json_value()


def full_page_screenshot(page: Page, path: Path) -> Path:
    """PNG of the whole page: Streamlit scrolls inside its main area, so the viewport is made
    as tall as that area (at most 8,000 px) for the shot, then put back."""
    height = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]')
            || document.scrollingElement;
        return Math.max(main.scrollHeight, innerHeight); }""")
    size = page.viewport_size or VIEWPORT
    page.set_viewport_size({"width": size["width"], "height": min(int(height), 8000)})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(300)  # the relayout
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)
    return path


# --- JavaScript expressions -----------------------------------------------------------------

MAP_IFRAME_JS = ("Array.from(document.querySelectorAll('iframe'))"
                 ".find(f => (f.title || '').includes('st_folium') "
                 "|| (f.src || '').includes('st_folium'))")
"""The st_folium component iframe element in the app page (or undefined)."""

MAP_DOC_JS = f"(() => {{ const f = {MAP_IFRAME_JS}; return f && f.contentDocument; }})()"
"""The iframe's document (same origin as the app)."""

MAP_PAINTED_JS = f"""(() => {{
    const d = {MAP_DOC_JS};
    if (!d) return false;
    const c = d.querySelector('.leaflet-container');
    if (!c) return false;
    const w = d.defaultView;
    if (w.laocai && w.laocai.pending > 0) return false;  // layers still being fetched
    const pane = d.querySelector('.leaflet-overlay-pane');
    const drawn = pane && pane.querySelector('canvas, svg path');
    const layers = d.querySelectorAll('.leaflet-control-layers-overlays label').length;
    return drawn && layers > 0 ? {{layers: layers}} : false;
}})()"""
"""Truthy once every layer shown at start is on the map (``laocai.pending``: none still being
fetched), Leaflet has drawn vectors (canvas or SVG) and the control lists overlay layers."""

APP_IDLE_JS = """(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    const state = app.getAttribute('data-test-script-state');
    const running = document.querySelector('[data-testid="stStatusWidget"]');
    return (state === 'notRunning' || state === 'compilationError') && !running;
})()"""
"""True when Streamlit's script has finished (``data-test-script-state``, no status widget)."""

ALERT_HOOK_JS = """(() => {
    const sink = (() => { try { return window.top; } catch (e) { return window; } })();
    sink.__alerts = sink.__alerts || [];
    for (const name of ['alert', 'confirm', 'prompt']) {
        window[name] = function (msg) { sink.__alerts.push(name + ':' + String(msg)); };
    }
})();"""
"""Run in every frame before its scripts: dialogs are recorded in top.__alerts."""


# --- the site-planning page -----------------------------------------------------------------

PLANNING_OFFSET_DEG = 0.004  # ≈ 450 m north of a support point: a place of its own
PLANNING_CLICK_ZOOM = 14  # ≈ 9 m per pixel: the click lands ≈ 48 px from the point's icon

SITES_METRIC_JS = f"""(() => {{
    const m = Array.from(document.querySelectorAll('[data-testid="stMetric"]')).find(e =>
        (e.querySelector('[data-testid="stMetricLabel"]') || {{}}).textContent
            === {json.dumps(t("vi", "Proposed sites"))});
    const v = m && m.querySelector('[data-testid="stMetricValue"]');
    return v ? v.textContent.trim() : null; }})()"""
"""The value of the "proposed sites" figure on the planning page in Vietnamese (text), or
null."""

NEW_SITES_JS = f"""(() => {{
    const f = {MAP_IFRAME_JS};
    const w = f && f.contentWindow;
    if (!w || !w.feature_group) return 0;
    const count = l => l.getLayers ? l.getLayers().reduce((n, x) => n + count(x), 0) : 1;
    return w.feature_group.filter(g => w.map.hasLayer(g)).reduce((n, g) => n + count(g), 0);
}})()"""
"""How many proposed or chosen sites are on the map (streamlit-folium's feature group)."""


def planning_targets(count: int) -> list[tuple[float, float]]:
    """(lat, lon) in WGS84 degrees near ``count`` support points of ``data/sample`` spread over
    the province, :data:`PLANNING_OFFSET_DEG` north of each."""
    path = ROOT / "data" / "sample" / "points.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    step = max(1, len(features) // count)
    return [(f["geometry"]["coordinates"][1] + PLANNING_OFFSET_DEG,
             f["geometry"]["coordinates"][0]) for f in features[::step][:count]]


def click_map_at(page: Page, lat: float, lon: float) -> None:
    """Centre the map on (lat, lon) (WGS84 degrees) without a rerun and click its centre with
    the mouse, as a person would."""
    x, y = page.evaluate(f"""(() => {{
        const f = {MAP_IFRAME_JS};
        f.scrollIntoView({{block: "center"}});
        const w = f.contentWindow;
        w.map.setView([{lat}, {lon}], Math.max(w.map.getZoom(), {PLANNING_CLICK_ZOOM}),
                      {{animate: false}});
        const r = f.getBoundingClientRect(), c = w.map.getContainer().getBoundingClientRect();
        return [r.left + c.left + c.width / 2, r.top + c.top + c.height / 2];
    }})()""")
    page.wait_for_timeout(400)  # st_folium debounces view changes; none of them reruns
    page.mouse.click(x, y)
