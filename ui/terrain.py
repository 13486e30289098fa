"""The terrain notice of the app and its download button; the land-cover notice.

While no terrain is loaded, coverage is computed over flat ground (optimistic in mountains)
and the page says so, with a button that downloads the tiles into the cache
(:func:`geo.dem.fetch_tiles`) with a progress bar. Once all tiles of a resolution are in
the cache, :func:`geo.dem_fetch.cached_tiles` finds them and the app reads them over the
study area (:func:`analysis.inputs.study_dem`); their paths and modification times are part of
the app's cache key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from analysis.inputs import study_dem
from geo.dem import DemDownloadError, fetch_tiles
from geo.dem_fetch import area_tiles
from geo.errors import DataError
from geo.settings import SETTINGS
from i18n import format_float
from i18n.translator import t


def _megabytes(n: int, lang: str) -> str:
    return format_float(n / 1e6, lang, 1)


def download_tiles(lang: str, resolution_m: int, *, area: str | None = None,
                   fetch: Callable[..., list[Path]] = fetch_tiles) -> list[Path] | None:
    """Download the tiles of the study ``area`` with a progress bar; returns their paths, or
    None after showing why it failed (offline, server error, tiles missing, unreadable)."""
    bar = st.progress(0.0, text=t(lang, "Connecting to the terrain server…"))
    wanted = area_tiles(area)
    tiles = len(wanted)
    seen: list[str] = []

    def on_progress(done: int, total: int, name: str) -> None:
        if name not in seen:
            seen.append(name)
        part = (done / total) if total else 0.0
        overall = min(1.0, (len(seen) - 1 + part) / tiles)
        if total:
            text = t(lang, "Tile {tile}/{tiles}: {done} / {total} MB", tile=len(seen), tiles=tiles,
                     done=_megabytes(done, lang), total=_megabytes(total, lang))
        else:
            text = t(lang, "Tile {tile}/{tiles}: {done} MB", tile=len(seen), tiles=tiles,
                     done=_megabytes(done, lang))
        bar.progress(overall, text=text)

    try:
        paths = fetch(resolution_m, tiles=wanted, progress=False, on_progress=on_progress)
        study_dem(resolution_m, paths, area)  # fail here, not in the cached loader
    except DemDownloadError as exc:
        bar.empty()
        st.error(t(lang, "Could not download the terrain: no internet connection or the server did "
                         "not answer. Coverage stays computed over flat ground. You can download "
                         "the tiles by hand into the cache. Details: {detail}", detail=str(exc)),
                 icon=":material/wifi_off:")
        return None
    except (DataError, OSError) as exc:
        bar.empty()
        st.error(t(lang, "The downloaded terrain could not be read; coverage uses flat ground: "
                         "{detail}", detail=str(exc)), icon=":material/error:")
        return None
    bar.progress(1.0, text=t(lang,
                             "Downloaded {count} terrain tiles; recomputing the coverage…",
                             count=len(paths)))
    return paths


def terrain_notice(lang: str, *, terrain_loaded: bool, resolution_m: int,
                   on_downloaded: Callable[[], None], error: str = "",
                   area: str | None = None) -> None:
    """The "terrain not loaded" warning with its download button (nothing once loaded).

    ``on_downloaded`` runs after a successful download (clear the caches, rerun); ``error``
    is a problem reading tiles that are in the cache.
    """
    if error:
        st.error(t(lang, "The downloaded terrain could not be read; coverage uses flat ground: "
                         "{detail}", detail=error), icon=":material/error:")
    if terrain_loaded:
        return
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.warning(t(lang, "**Terrain not loaded:** coverage is computed as if the ground were "
                             "flat, so it is optimistic in the mountains."),
                     icon=":material/landscape:")
        clicked = right.button(t(lang, "Download the terrain ({resolution} m)",
                                 resolution=resolution_m),
                               key="terrain_download", help=t(lang,
                                       "Downloads the {count} Copernicus DEM tiles over {area} "
                                       "into this computer's cache, then recomputes the coverage "
                                       "over the terrain (may take minutes).",
                                       count=len(area_tiles(area)),
                                       area=SETTINGS.study_area.label(
                                           area or SETTINGS.study_area.default, lang)),
                               use_container_width=True)
        if clicked and download_tiles(lang, resolution_m, area=area) is not None:
            on_downloaded()


def landcover_notice(lang: str, *, landcover: str) -> None:
    """Say that coverage has no clutter loss while no land cover is imported (nothing once
    one is: ``landcover`` is its source name)."""
    if landcover:
        return
    st.info(t(lang, "**Land cover not loaded:** coverage has no clutter loss (forest, built-up) "
                    "at the receiver. Import an ESA WorldCover tile on the Import page to add "
                    "it (ITU-R P.2108)."),
            icon=":material/forest:")
