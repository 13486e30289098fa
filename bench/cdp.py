"""A small Chrome DevTools Protocol client, and helpers to drive the app in headless Chromium.

Shared by the end-to-end test (``tests/test_browser.py``) and the page benchmark
(``bench/app.py``). Pure Python over one websocket (the ``websocket-client`` package); it uses
Debian's ``/usr/bin/chromium`` and downloads no browser.

- :class:`Chromium` starts a headless Chromium with a throw-away profile and connects to it;
  :meth:`Chromium.new_page` opens a tab as a :class:`Page` (a flat CDP session).
- :class:`StreamlitApp` starts ``streamlit run app.py`` on a free local port with the given
  environment and waits for its health check.
- :data:`MAP_FRAME_JS` and friends are JavaScript snippets that reach into streamlit-folium's
  component iframe, which is on the app's own origin.

Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_CANDIDATES: tuple[str, ...] = ("/usr/bin/chromium", "chromium", "chromium-browser",
                                        "google-chrome")
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--no-default-browser-check", "--disable-default-apps",
    "--disable-extensions", "--mute-audio", "--hide-scrollbars", "--window-size=1400,1000",
)


class CDPError(RuntimeError):
    """A CDP command failed, or something did not happen in time."""


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


class Connection:
    """One websocket to the browser; commands by id, events buffered per session."""

    def __init__(self, ws_url: str, timeout: float = 30.0) -> None:
        import websocket  # websocket-client

        self._ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True,
                                               enable_multithread=False)
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        self.listeners: list[Callable[[dict[str, Any]], None]] = []

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._ws.close()

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        import websocket

        self._ws.settimeout(max(timeout, 0.001))
        try:
            raw = self._ws.recv()
        except websocket.WebSocketTimeoutException:
            return None
        message = json.loads(raw)
        if "method" in message:
            self.events.append(message)
            for listener in list(self.listeners):
                listener(message)
        return message

    def send(self, method: str, params: Mapping[str, Any] | None = None, *,
             session_id: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
        """Send a command and return its result (raises :class:`CDPError` on error)."""
        msg_id = next(self._ids)
        payload: dict[str, Any] = {"id": msg_id, "method": method, "params": dict(params or {})}
        if session_id:
            payload["sessionId"] = session_id
        self._ws.send(json.dumps(payload))
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"{method}: no answer in {timeout:.0f} s")
            message = self._receive(left)
            if message is not None and message.get("id") == msg_id:
                if "error" in message:
                    raise CDPError(f"{method}: {message['error']}")
                return message.get("result", {})

    def post(self, method: str, params: Mapping[str, Any] | None = None, *,
             session_id: str | None = None) -> None:
        """Send a command without waiting for its answer (safe inside an event listener)."""
        payload: dict[str, Any] = {"id": next(self._ids), "method": method,
                                   "params": dict(params or {})}
        if session_id:
            payload["sessionId"] = session_id
        self._ws.send(json.dumps(payload))

    def pump(self, duration: float) -> None:
        """Read (and buffer) events for ``duration`` seconds."""
        deadline = time.monotonic() + duration
        while (left := deadline - time.monotonic()) > 0:
            self._receive(min(left, 0.05))

    def wait_event(self, method: str, predicate: Callable[[dict], bool] | None = None, *,
                   timeout: float = 30.0, since: int = 0) -> dict[str, Any]:
        """First buffered or new event ``method`` (index ≥ ``since``) matching ``predicate``."""
        deadline = time.monotonic() + timeout
        seen = since
        while True:
            for event in self.events[seen:]:
                if event["method"] == method and (predicate is None or predicate(event)):
                    return event
            seen = len(self.events)
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"no {method} event in {timeout:.0f} s")
            self._receive(min(left, 0.1))


class Page:
    """One tab, driven through a flat CDP session."""

    def __init__(self, conn: Connection, target_id: str, session_id: str) -> None:
        self.conn = conn
        self.target_id = target_id
        self.session_id = session_id

    def send(self, method: str, params: Mapping[str, Any] | None = None,
             timeout: float = 30.0) -> dict[str, Any]:
        return self.conn.send(method, params, session_id=self.session_id, timeout=timeout)

    def events(self, method: str, since: int = 0) -> list[dict[str, Any]]:
        return [e for e in self.conn.events[since:]
                if e["method"] == method and e.get("sessionId") == self.session_id]

    def evaluate(self, expression: str, *, await_promise: bool = False,
                 timeout: float = 30.0) -> Any:
        """Value of a JavaScript expression in the top frame (JSON-serialisable results)."""
        result = self.send("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": await_promise,
            "userGesture": True,
        }, timeout=timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CDPError(f"JavaScript error: {text}\n--- in ---\n{expression[:500]}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, *, timeout: float = 30.0, interval: float = 0.05,
                 what: str | None = None) -> Any:
        """Poll ``expression`` until it is truthy; return its value (CDPError on timeout)."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while True:
            try:
                last = self.evaluate(expression)
            except CDPError as exc:
                last = str(exc)
            else:
                if last:
                    return last
            if time.monotonic() > deadline:
                raise CDPError(f"timed out after {timeout:.0f} s waiting for "
                               f"{what or expression[:200]!r} (last value: {str(last)[:300]})")
            self.conn.pump(interval)

    def navigate(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})

    def click(self, x: float, y: float) -> None:
        """A real left click (mouse pressed and released) at viewport coordinates."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            params: dict[str, Any] = {"type": kind, "x": x, "y": y}
            if kind != "mouseMoved":
                params.update(button="left", clickCount=1)
            self.send("Input.dispatchMouseEvent", params)

    def click_selector(self, js_element: str, what: str = "element") -> None:
        """Scroll the element ``js_element`` evaluates to into view and click its centre."""
        box = self.evaluate(f"""(() => {{
            const el = {js_element};
            if (!el) return null;
            el.scrollIntoView({{block: "center"}});
            const r = el.getBoundingClientRect();
            return {{x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width}};
        }})()""")
        if not box or not box["w"]:
            raise CDPError(f"cannot click {what}: not found or not visible")
        self.click(box["x"], box["y"])

    def screenshot(self, path: Path, *, full_page: bool = False) -> Path:
        """PNG of the viewport, or of the whole page (the app's own scrolling area included)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.evaluate("""(() => {
                const main = document.querySelector('[data-testid="stMain"]')
                    || document.scrollingElement;
                return {w: document.documentElement.clientWidth,
                        h: Math.max(main.scrollHeight, innerHeight)}; })()""")
            if size:
                self.send("Emulation.setDeviceMetricsOverride", {
                    "width": size["w"], "height": min(int(size["h"]), 8000),
                    "deviceScaleFactor": 1, "mobile": False})
        data = self.send("Page.captureScreenshot", params, timeout=60)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


class Chromium:
    """A headless Chromium with its own temporary profile; use as a context manager."""

    def __init__(self, executable: str | None = None, *, extra_flags: tuple[str, ...] = ()):
        exe = executable or find_chromium()
        if exe is None:
            raise FileNotFoundError("chromium not found (Debian: apt-get install chromium)")
        self.executable = exe
        self.extra_flags = extra_flags
        self.profile = Path(tempfile.mkdtemp(prefix="laocai-chromium-"))
        self.proc: subprocess.Popen | None = None
        self.conn: Connection | None = None

    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, timeout: float = 30.0) -> None:
        # Port 0: Chromium picks a free port and writes it to DevToolsActivePort (no race).
        cmd = [self.executable, *CHROMIUM_FLAGS, *self.extra_flags,
               f"--user-data-dir={self.profile}", "--remote-debugging-address=127.0.0.1",
               "--remote-debugging-port=0", "about:blank"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self.proc.poll() is not None:
                raise CDPError(f"chromium exited with code {self.proc.returncode}")
            if time.monotonic() > deadline:
                raise CDPError("chromium did not open its DevTools port")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        self.conn = Connection(f"ws://127.0.0.1:{port}{path}")

    def new_page(self, *, downloads: Path | None = None, width: int = 1400,
                 height: int = 1000) -> Page:
        """A new tab with Page, Runtime and Network events on (downloads into ``downloads``)."""
        assert self.conn is not None
        target = self.conn.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.conn.send("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self.conn, target, session)
        for domain in ("Page", "Runtime", "Network"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        if downloads is not None:
            downloads.mkdir(parents=True, exist_ok=True)
            self.conn.send("Browser.setDownloadBehavior", {
                "behavior": "allowAndName", "downloadPath": str(downloads),
                "eventsEnabled": True,
            })
        return page

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.send("Browser.close", timeout=5)
            self.conn.close()
            self.conn = None
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None
        shutil.rmtree(self.profile, ignore_errors=True)


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
    """``streamlit run app.py`` on 127.0.0.1 and a free port; use as a context manager."""

    def __init__(self, env: Mapping[str, str] | None = None, *, script: str = "app.py",
                 log: Path | None = None) -> None:
        self.port = free_port()
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
        streamlit = ROOT / ".venv" / "bin" / "streamlit"
        exe = str(streamlit) if streamlit.exists() else shutil.which("streamlit") or "streamlit"
        cmd = [exe, "run", self.script, "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(self.port),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise CDPError(f"streamlit exited with code {self.proc.returncode}:\n"
                               f"{self.log_text()[-3000:]}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.url}_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            if time.monotonic() > deadline:
                raise CDPError(f"streamlit did not answer in {timeout:.0f} s:\n"
                               f"{self.log_text()[-3000:]}")
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (Linux ``/proc``), seconds."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, *, share: float = 0.05, window_s: float = 1.0,
                  timeout: float = 120.0) -> float:
        """Wait until the server uses less than ``share`` of a core over ``window_s`` (its
        background work done); returns the seconds waited."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            before = self.cpu_seconds()
            time.sleep(window_s)
            if self.cpu_seconds() - before < share * window_s:
                return time.monotonic() - start
        raise CDPError(f"the server stayed busy for {timeout:.0f} s")

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None


@contextlib.contextmanager
def app_and_browser(env: Mapping[str, str] | None = None,
                    downloads: Path | None = None) -> Iterator[tuple[StreamlitApp, Page]]:
    """The app and a fresh browser tab (not yet navigated)."""
    with StreamlitApp(env) as app, Chromium() as browser:
        yield app, browser.new_page(downloads=downloads)


# --- JavaScript snippets --------------------------------------------------------------------

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
"""Injected into every frame before its scripts: dialogs are recorded in top.__alerts."""
