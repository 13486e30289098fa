"""Terrain for the app: find downloaded Copernicus tiles, read them, and the download button.

While no terrain is loaded, coverage is computed over flat ground (optimistic in mountains)
and the page says so, with a button that downloads the tiles into the cache
(:func:`geo.dem.fetch_tiles`) with a progress bar. Once all tiles of a resolution are in
the cache, :func:`cached_tiles` finds them and the app reads them over the study area
(:func:`read_terrain`); their paths and modification times are part of the app's cache key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from geo.dem import Dem, DemDownloadError, copernicus_tile_name, fetch_tiles, read_dem
from geo.dem_fetch import is_cached
from geo.errors import DataError
from geo.layers import load_study_area
from geo.settings import SETTINGS, get_settings
from i18n import format_float, t


def tile_dir(cache_dir: str | Path | None = None) -> Path:
    """Where :func:`geo.dem.fetch_tiles` keeps the tiles (``<cache>/dem``)."""
    base = Path(cache_dir) if cache_dir is not None else get_settings().paths.cache
    return base / "dem"


def cached_tiles(resolution_m: int, cache_dir: str | Path | None = None) -> tuple[Path, ...]:
    """The complete set of cached tiles for the study area, or ``()``.

    Tiles of the analysis resolution are preferred; 30 m tiles serve a 90 m grid too.
    """
    folder = tile_dir(cache_dir)
    wanted = [resolution_m] + [r for r in SETTINGS.terrain.resolutions_m if r < resolution_m]
    for res in wanted:
        paths = tuple(folder / f"{copernicus_tile_name(lat, lon, res)}.tif"
                      for lat, lon in SETTINGS.terrain.tiles)
        if all(is_cached(p) for p in paths):
            return paths
    return ()


def tile_stamps(paths: tuple[Path, ...]) -> tuple[tuple[str, float], ...]:
    """Hashable (path, modification time) of each tile (part of the app's cache key)."""
    return tuple((str(p), p.stat().st_mtime) for p in paths)


def read_terrain(paths: tuple[Path, ...] | list[Path], resolution_m: int) -> Dem:
    """The tiles resampled onto the analysis grid over the study area (EPSG:9208)."""
    return read_dem(list(paths), area=load_study_area(), resolution_m=resolution_m)


def _megabytes(n: int, lang: str) -> str:
    return format_float(n / 1e6, lang, 1)


def download_tiles(lang: str, resolution_m: int, *,
                   fetch: Callable[..., list[Path]] = fetch_tiles) -> list[Path] | None:
    """Download the tiles with a progress bar; returns their paths, or None after showing
    why it failed (offline, server error, tiles missing, unreadable)."""
    bar = st.progress(0.0, text=t("terrain.starting", lang))
    tiles = len(SETTINGS.terrain.tiles)
    seen: list[str] = []

    def on_progress(done: int, total: int, name: str) -> None:
        if name not in seen:
            seen.append(name)
        part = (done / total) if total else 0.0
        overall = min(1.0, (len(seen) - 1 + part) / tiles)
        if total:
            text = t("terrain.progress", lang, tile=len(seen), tiles=tiles,
                     done=_megabytes(done, lang), total=_megabytes(total, lang))
        else:
            text = t("terrain.progress_unknown", lang, tile=len(seen), tiles=tiles,
                     done=_megabytes(done, lang))
        bar.progress(overall, text=text)

    try:
        paths = fetch(resolution_m, progress=False, on_progress=on_progress)
        read_terrain(paths, resolution_m)  # fail here, not in the cached loader
    except DemDownloadError as exc:
        bar.empty()
        st.error(t("terrain.offline", lang, detail=str(exc)), icon=":material/wifi_off:")
        return None
    except (DataError, OSError) as exc:
        bar.empty()
        st.error(t("terrain.read_error", lang, detail=str(exc)), icon=":material/error:")
        return None
    bar.progress(1.0, text=t("terrain.done", lang, count=len(paths)))
    return paths


def terrain_notice(lang: str, *, terrain_loaded: bool, resolution_m: int,
                   on_downloaded: Callable[[], None], error: str = "") -> None:
    """The "terrain not loaded" warning with its download button (nothing once loaded).

    ``on_downloaded`` runs after a successful download (clear the caches, rerun); ``error``
    is a problem reading tiles that are in the cache.
    """
    if error:
        st.error(t("terrain.read_error", lang, detail=error), icon=":material/error:")
    if terrain_loaded:
        return
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.warning(t("warning.terrain_not_loaded", lang), icon=":material/landscape:")
        clicked = right.button(t("terrain.download", lang, resolution=resolution_m),
                               key="terrain_download", help=t("terrain.download_help", lang),
                               use_container_width=True)
        if clicked and download_tiles(lang, resolution_m) is not None:
            on_downloaded()
