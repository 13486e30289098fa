"""Work the planner is likely to ask for next, done in the background while they read.

A planner who opens the page usually looks at 4G first and then switches technology. A new
selection costs the server 0.7–1.2 s (gaps, places, commune figures, map layers, coverage
image) before the page can update; :func:`warm_other_technologies` computes the same
selection for every other technology in one background thread, on the same
``st.cache_resource`` functions the page uses, so that the switch is served from the cache.

The thread starts a few seconds after the run that asked for it (the browser is drawing that
page meanwhile), runs at a lower CPU priority (Linux: per-thread nice value) so that a page
being drawn keeps precedence, runs one selection set at a time, and does nothing for a set it
has already done.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Sequence

from analysis.selection import Selection
from geo.settings import SETTINGS
from ui import cache
from ui.map import registry

_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
_DONE: set[tuple] = set()


def other_selections(sel: Selection, technologies: Sequence[str]) -> list[Selection]:
    """``sel`` for each other technology, as the sidebar would give it: the same operators
    and fibre reach, the technology's default threshold (the slider is per technology)."""
    return [Selection(tech, sel.operators, None, sel.fibre_reach_m, sel.service,
                      sel.point_service)
            for tech in technologies if tech != sel.technology]


def warm(key: cache.DataKey, sel: Selection, lang: str) -> None:
    """Everything the planner page computes for ``sel`` (analysis, its map layers, the
    coverage image, the sites of that technology), left in the caches."""
    cache.analysis(key, sel)
    registry.page_layers(key, sel, lang, registry.PLANNER, site_technologies=(sel.technology,))


def warm_other_technologies(key: cache.DataKey, sel: Selection, lang: str,
                            technologies: Sequence[str], *,
                            delay_s: float | None = None) -> threading.Thread | None:
    """Start the background thread that warms :func:`other_selections` after ``delay_s``
    seconds (default: the settings' ``prefetch_delay_s``, while the browser draws the page
    that asked). None when this set was warmed already or another warming is running."""
    todo = other_selections(sel, technologies)
    job = (key, tuple(todo), lang)
    if not todo or job in _DONE or _LOCK.locked():
        return None
    _DONE.add(job)
    delay = SETTINGS.app.prefetch_delay_s if delay_s is None else delay_s

    def run() -> None:
        time.sleep(delay)
        with _LOCK:
            with contextlib.suppress(OSError, AttributeError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(),
                               min(19, os.getpriority(os.PRIO_PROCESS, 0)
                                   + SETTINGS.app.prefetch_nice))
            for other in todo:
                try:
                    warm(key, other, lang)
                except Exception:  # the page computes it again and says why
                    _LOG.warning("warming %s failed", other, exc_info=True)

    thread = threading.Thread(target=run, name="laocai-prefetch", daemon=True)
    thread.start()
    return thread
