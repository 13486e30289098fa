"""What the page benchmarks (``bench/app.py``, ``bench/planning_app.py``) share on top of
:mod:`tests.ui.browser_support`: the websocket messages of a tab, the server's CPU time, and the
printed table."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, WebSocket

from tests.ui.browser_support import StreamlitApp


@dataclass(frozen=True)
class Frame:
    at: float  # time.monotonic() when the benchmark saw it, seconds
    sent: bool  # from the browser to the server
    size: int  # bytes


class Frames:
    """Every websocket message of ``page`` (Streamlit's connection), in order; attach it
    before the page opens the app."""

    def __init__(self, page: Page) -> None:
        self.all: list[Frame] = []
        page.on("websocket", self._opened)

    def _opened(self, ws: WebSocket) -> None:
        ws.on("framereceived", lambda payload: self._add(payload, sent=False))
        ws.on("framesent", lambda payload: self._add(payload, sent=True))

    def _add(self, payload: str | bytes, *, sent: bool) -> None:
        size = len(payload) if isinstance(payload, bytes) else len(payload.encode("utf-8"))
        self.all.append(Frame(time.monotonic(), sent, size))

    def received(self, since: int = 0) -> list[int]:
        """Sizes (bytes) of the messages from the server from index ``since`` on."""
        return [f.size for f in self.all[since:] if not f.sent]

    def sent(self, since: int = 0) -> list[int]:
        """Sizes (bytes) of the messages to the server from index ``since`` on."""
        return [f.size for f in self.all[since:] if f.sent]


def cpu_seconds(app: StreamlitApp) -> float:
    """CPU time the server process has used so far (Linux ``/proc``), seconds."""
    assert app.proc is not None
    fields = Path(f"/proc/{app.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_server_idle(app: StreamlitApp, *, share: float = 0.05, window_s: float = 1.0,
                     timeout: float = 120.0) -> float:
    """Wait until the server uses less than ``share`` of a core over ``window_s`` (its
    background work done); returns the seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        before = cpu_seconds(app)
        time.sleep(window_s)
        if cpu_seconds(app) - before < share * window_s:
            return time.monotonic() - start
    raise TimeoutError(f"the server stayed busy for {timeout:.0f} s")


def load_average_line(before: float) -> str:
    """The 1-minute load average before (given) and now, and the cores (the machine is
    shared: figures are indicative)."""
    return (f"load average (1 min) before / after: {before:.1f} / {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores")
