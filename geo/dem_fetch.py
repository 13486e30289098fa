"""Download Copernicus DEM tiles (GLO-30 / GLO-90 GeoTIFFs, EPSG:4326) into the local cache.

Tiles are 1°×1°, named by their south-west corner. The base URL comes from settings
(``copernicus_base_url`` for 30 m, ``copernicus_base_url_90`` for 90 m) unless the caller
passes one or the ``LAOCAI_DEM_BASE_URL`` environment variable is set. Only the standard
library (urllib) is used for HTTP. :func:`cached_tiles` finds a complete set in the cache.
"""

from __future__ import annotations

import math
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from tqdm import tqdm

from geo.errors import DataError
from geo.layers import load_study_area
from geo.settings import SETTINGS, get_settings

ProgressCallback = Callable[[int, int, str], None]
"""``on_progress(done_bytes, total_bytes, tile_name)``; total is 0 when the server gave no size."""

_TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
_HAND_FIX = "download the tiles by hand and pass them with --dem"


class DemDownloadError(DataError):
    """A terrain tile could not be downloaded.

    ``url`` is the address that failed, ``missing`` the tile names the server does not have
    (HTTP 404) and ``downloaded`` the tiles that were fetched or already cached.
    """

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        missing: Iterable[str] = (),
        downloaded: Iterable[Path] = (),
    ) -> None:
        super().__init__(message)
        self.url = url
        self.missing = list(missing)
        self.downloaded = list(downloaded)


def check_resolution(resolution_m: float) -> int:
    """``resolution_m`` as an int when it is one of the terrain resolutions, else DataError."""
    allowed = SETTINGS.terrain.resolutions_m
    if resolution_m not in allowed:
        raise DataError(
            f"resolution {resolution_m} m is not supported",
            fix=f"use one of {', '.join(str(r) for r in allowed)} m",
        )
    return int(resolution_m)


def copernicus_tile_name(lat: float, lon: float, resolution_m: int) -> str:
    """Name of the Copernicus tile whose south-west corner is (floor(lat), floor(lon)), degrees.

    ``copernicus_tile_name(22, 104, 30)`` → ``"Copernicus_DSM_COG_10_N22_00_E104_00_DEM"``
    (``_COG_30_`` for 90 m; the number is the pixel size in arc-seconds).
    """
    check_resolution(resolution_m)
    arcsec = 10 if resolution_m == 30 else 30
    la, lo = math.floor(lat), math.floor(lon)
    ns = "N" if la >= 0 else "S"
    ew = "E" if lo >= 0 else "W"
    return f"Copernicus_DSM_COG_{arcsec}_{ns}{abs(la):02d}_00_{ew}{abs(lo):03d}_00_DEM"


def tile_url(base_url: str, name: str) -> str:
    """URL of tile ``name`` under ``base_url`` (the bucket layout ``<name>/<name>.tif``)."""
    return f"{base_url.rstrip('/')}/{name}/{name}.tif"


def default_base_url(resolution_m: int) -> str:
    """Base URL in force: ``LAOCAI_DEM_BASE_URL`` if set, else the settings URL for the grid."""
    check_resolution(resolution_m)
    terrain = SETTINGS.terrain
    env = os.environ.get(terrain.base_url_env)
    if env:
        return env
    return terrain.copernicus_base_url if resolution_m == 30 else terrain.copernicus_base_url_90


def is_cached(path: Path) -> bool:
    """True when ``path`` is a complete cached tile (non-empty and starts like a TIFF)."""
    try:
        if path.stat().st_size <= len(_TIFF_MAGIC[0]):
            return False
        with path.open("rb") as fh:
            return fh.read(4) in _TIFF_MAGIC
    except OSError:
        return False


def tile_dir(cache_dir: str | Path | None = None) -> Path:
    """Where :func:`fetch_tiles` keeps the tiles: ``<cache>/dem`` (default cache:
    ``LAOCAI_CACHE`` / the settings)."""
    base = Path(cache_dir) if cache_dir is not None else get_settings().paths.cache
    return base / "dem"


@lru_cache(maxsize=8)
def area_tiles(area: str | None = None) -> tuple[tuple[int, int], ...]:
    """The 1° tiles ((lat, lon) of their south-west corners, degrees) that cover the study
    ``area`` (default ``SETTINGS.study_area.default``) with its grid margin
    (``SETTINGS.study_area.margin_m``, taken as degrees of latitude: ≈ 111 km per degree)."""
    minx, miny, maxx, maxy = load_study_area(area).total_bounds
    pad = SETTINGS.study_area.margin_m / 111_000.0 / math.cos(math.radians(max(abs(miny),
                                                                                abs(maxy))))
    lats = range(math.floor(miny - pad), math.floor(maxy + pad) + 1)
    lons = range(math.floor(minx - pad), math.floor(maxx + pad) + 1)
    return tuple((lat, lon) for lat in lats for lon in lons)


def cached_tiles(resolution_m: int, cache_dir: str | Path | None = None,
                 area: str | None = None) -> tuple[Path, ...]:
    """The complete set of cached tiles of the study ``area`` (:func:`area_tiles`), or
    ``()``. Tiles of ``resolution_m`` are preferred; 30 m tiles serve a 90 m grid too."""
    folder = tile_dir(cache_dir)
    wanted = [resolution_m] + [r for r in SETTINGS.terrain.resolutions_m if r < resolution_m]
    tiles = area_tiles(area)
    for res in wanted:
        paths = tuple(folder / f"{copernicus_tile_name(lat, lon, res)}.tif"
                      for lat, lon in tiles)
        if all(is_cached(p) for p in paths):
            return paths
    return ()


def tile_stamps(paths: tuple[Path, ...]) -> tuple[tuple[str, float], ...]:
    """Hashable (path, modification time) of each tile (part of the app's cache key)."""
    return tuple((str(p), p.stat().st_mtime) for p in paths)


def fetch_tiles(
    resolution_m: int = 30,
    *,
    base_url: str | None = None,
    cache_dir: Path | str | None = None,
    tiles: Iterable[tuple[int, int]] | None = None,
    progress: bool = True,
    timeout: float = SETTINGS.terrain.download_timeout_s,
    on_progress: ProgressCallback | None = None,
) -> list[Path]:
    """Download the Copernicus tiles ``tiles`` ((lat, lon) SW corners, degrees; default
    :func:`area_tiles` of the default study area) into the cache.

    Tiles already in ``cache_dir`` (default ``<cache>/dem``) are not downloaded again. Each
    download goes to a temporary file that is renamed into place once complete. Returns the
    paths of the tiles (GeoTIFF, EPSG:4326), in the order of ``tiles``.

    Raises :class:`DemDownloadError` when the server cannot be reached (immediately) or when
    some tiles do not exist there (after fetching the others; ``missing`` lists them).
    """
    check_resolution(resolution_m)
    base = base_url or default_base_url(resolution_m)
    if not base.lower().startswith(("http://", "https://")):
        raise DemDownloadError(
            f"base URL {base!r} is not an http(s) address; check --base-url or "
            f"{SETTINGS.terrain.base_url_env}",
            url=base,
        )
    cache = Path(cache_dir) if cache_dir is not None else tile_dir()
    cache.mkdir(parents=True, exist_ok=True)

    paths: list[Path] = []
    missing: list[str] = []
    for lat, lon in area_tiles() if tiles is None else tiles:
        name = copernicus_tile_name(lat, lon, resolution_m)
        path = cache / f"{name}.tif"
        if not is_cached(path):
            url = tile_url(base, name)
            try:
                _download(url, path, name, timeout=timeout, progress=progress,
                          on_progress=on_progress)
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise _unreachable(url, f"HTTP {exc.code} {exc.reason}", paths) from exc
                missing.append(f"{name} ({url})")
                continue
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", None) or exc
                raise _unreachable(url, str(reason), paths) from exc
        paths.append(path)

    if missing:
        raise DemDownloadError(
            f"{len(missing)} terrain tile(s) not found on the server (HTTP 404): "
            f"{'; '.join(missing)}. A tile that is all sea does not exist; otherwise "
            f"{_HAND_FIX}.",
            url=base,
            missing=[m.split(" ", 1)[0] for m in missing],
            downloaded=paths,
        )
    return paths


def _unreachable(url: str, reason: str, downloaded: list[Path]) -> DemDownloadError:
    return DemDownloadError(
        f"cannot reach {url}: {reason}; {_HAND_FIX}", url=url, downloaded=downloaded
    )


def _download(
    url: str,
    path: Path,
    name: str,
    *,
    timeout: float,
    progress: bool,
    on_progress: ProgressCallback | None,
) -> None:
    """Stream ``url`` to ``path`` through a temporary file in the same folder."""
    chunk = SETTINGS.terrain.download_chunk_bytes
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with (
            os.fdopen(fd, "wb") as out,
            urllib.request.urlopen(url, timeout=timeout) as resp,
        ):
            total = int(resp.headers.get("Content-Length") or 0)
            done = 0
            with tqdm(total=total or None, unit="B", unit_scale=True, desc=name,
                      disable=not progress, leave=False) as bar:
                while block := resp.read(chunk):
                    out.write(block)
                    done += len(block)
                    bar.update(len(block))
                    if on_progress is not None:
                        on_progress(done, total, name)
        if total and done != total:
            raise DemDownloadError(
                f"download of {url} stopped after {done} of {total} bytes; try again or "
                f"{_HAND_FIX}",
                url=url,
            )
        if not is_cached(tmp):
            raise DemDownloadError(
                f"{url} did not return a GeoTIFF; check the base URL or {_HAND_FIX}", url=url
            )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
