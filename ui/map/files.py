"""Map layer data served as files, so that the page's map message stays small.

The planner's layers are 1–2 MB of GeoJSON. Inside the st_folium component's arguments they
travel in one websocket message that the browser decodes before it draws anything (≈0.7 s
on the 2-core machine), and travel again whenever anything on the map changes, e.g. one
proposed site on the planning page. :class:`MapFiles` writes each layer's text once, named by
its content hash, into ``static/layers/``, which Streamlit serves at ``/app/static/layers/``
(``server.enableStaticServing`` in ``.streamlit/config.toml``). The map script then fetches
the layers it shows in parallel, and a layer switched off only when it is ticked
(:class:`ui.map.elements.MapLayer`). Same content, same URL: the browser's cache serves
the next tab.

The files hold the same escaped JSON the map would otherwise embed; they are read with
``fetch`` and ``JSON.parse``, never run. Files not used for
:attr:`~geo.settings.AppSettings.map_file_keep_days` are deleted.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import time
from pathlib import Path

from geo.settings import get_settings

URL_PREFIX: str = "/app/static/layers"
"""Where Streamlit serves :attr:`geo.settings.Paths.map_files`."""


class MapFiles:
    """Content-addressed files in ``folder``, served at ``url_prefix``."""

    def __init__(self, folder: Path, url_prefix: str = URL_PREFIX, *,
                 keep_days: float | None = None) -> None:
        self.folder = Path(folder)
        self.url_prefix = url_prefix.rstrip("/")
        self.keep_days = (get_settings().app.map_file_keep_days if keep_days is None
                          else keep_days)

    def url(self, content: str | bytes, suffix: str = ".json") -> str:
        """The URL of a file holding ``content`` (UTF-8 for text), written if new.

        Raises OSError when the folder cannot be written.
        """
        data = content.encode("utf-8") if isinstance(content, str) else content
        name = hashlib.sha256(data).hexdigest()[:32] + suffix
        path = self.folder / name
        if path.exists():
            with contextlib.suppress(OSError):
                os.utime(path)  # in use: keep it from pruning
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)  # atomic: a reader never sees half a file
        return f"{self.url_prefix}/{name}"

    def prune(self, now: float | None = None) -> int:
        """Delete files not used for ``keep_days``; returns how many were deleted."""
        limit = (time.time() if now is None else now) - self.keep_days * 86_400
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.iterdir():
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
        return removed


@functools.cache
def _writable(folder: Path) -> bool:
    """Whether ``folder`` can hold map files (created if missing; old files pruned once per
    process)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    MapFiles(folder).prune()
    return True


def app_map_files() -> MapFiles | None:
    """The app's :class:`MapFiles`, or None when Streamlit does not serve the app's
    ``static/`` folder or the folder cannot be written (the map then embeds its data)."""
    import streamlit as st

    if not st.get_option("server.enableStaticServing"):
        return None
    folder = get_settings().paths.map_files
    return MapFiles(folder) if _writable(folder) else None
