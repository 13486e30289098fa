"""Open terrain files as rasterio datasets: GeoTIFF, SRTM ``.hgt`` and ``.hgt.zip``.

SRTM tiles are 1201×1201 (3 arc-second) or 3601×3601 (1 arc-second) big-endian int16
samples in EPSG:4326, named by their south-west corner (``N22E104.hgt``), void −32768. They
are wrapped in in-memory GeoTIFFs so every source looks the same to :mod:`geo.dem`.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import rasterio
from affine import Affine
from rasterio.errors import RasterioError
from rasterio.io import DatasetReader, MemoryFile

from geo.errors import DataError
from geo.settings import SETTINGS

HGT_NODATA = -32768  # SRTM void
HGT_SIZES = {3601 * 3601 * 2: 3601, 1201 * 1201 * 2: 1201}  # bytes → samples per side
_HGT_NAME = re.compile(r"([NS])(\d{2})([EW])(\d{3})", re.IGNORECASE)
SOURCE_FIX = "pass a GeoTIFF (.tif), an SRTM .hgt or a .hgt.zip file"


def _hgt_dataset(data: bytes, names: Sequence[str], source: Path, stack: ExitStack) -> Any:
    """An in-memory EPSG:4326 dataset for SRTM .hgt bytes; the corner comes from ``names``."""
    n = HGT_SIZES.get(len(data))
    if n is None:
        raise DataError(
            f"{len(data)} bytes is not an SRTM .hgt size (1201×1201 or 3601×3601 samples)",
            source=source, fix="use an unmodified 1 or 3 arc-second .hgt tile",
        )
    match = next((m for m in (_HGT_NAME.match(nm) for nm in names) if m), None)
    if match is None:
        raise DataError(
            "cannot tell the tile's south-west corner from its name",
            source=source, fix="keep the SRTM name, like N22E104.hgt",
        )
    ns, lat, ew, lon = match.groups()
    lat_sw = int(lat) * (1 if ns.upper() == "N" else -1)
    lon_sw = int(lon) * (1 if ew.upper() == "E" else -1)
    step = 1.0 / (n - 1)  # samples sit on the grid lines: pixel centres at whole degrees
    transform = Affine(step, 0.0, lon_sw - step / 2, 0.0, -step, lat_sw + 1 + step / 2)
    values = np.frombuffer(data, dtype=">i2").reshape(n, n).astype(np.int16)
    mem = stack.enter_context(MemoryFile())
    with mem.open(driver="GTiff", width=n, height=n, count=1, dtype="int16",
                  crs="EPSG:4326", transform=transform, nodata=HGT_NODATA) as dst:
        dst.write(values, 1)
    return stack.enter_context(mem.open())


def _unsafe_member(name: str) -> bool:
    """True for an archive member name that is absolute or climbs out with ``..``."""
    posix = name.replace("\\", "/")
    return posix.startswith("/") or bool(re.match(r"[A-Za-z]:", posix)) or (
        ".." in PurePosixPath(posix).parts
    )


def _read_zip(path: Path, stack: ExitStack) -> list[Any]:
    """Datasets for the .hgt members of a zip, refusing unsafe or oversized archives."""
    try:
        zf = stack.enter_context(zipfile.ZipFile(path))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"not a readable zip archive ({exc})", source=path,
                        fix=SOURCE_FIX) from exc
    for info in infos:
        if _unsafe_member(info.filename):
            raise DataError(
                f"refused: archive member {info.filename!r} points outside the archive",
                source=path, fix="use an archive whose members have plain relative names",
            )
    limit = SETTINGS.terrain.max_zip_bytes
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise DataError(
            f"refused: archive unpacks to {total / 1e6:.0f} MB, more than the "
            f"{limit / 1e6:.0f} MB limit", source=path, fix="unzip the tiles you need by hand",
        )
    members = [i for i in infos if i.filename.lower().endswith(".hgt") and not i.is_dir()]
    if not members:
        raise DataError("no .hgt file inside the archive", source=path, fix=SOURCE_FIX)
    datasets = []
    for info in members:
        if info.file_size not in HGT_SIZES:
            raise DataError(f"member {info.filename!r} is not an SRTM .hgt size", source=path)
        try:
            data = zf.read(info)
        except (zipfile.BadZipFile, OSError, zlib.error) as exc:
            raise DataError(f"cannot unpack {info.filename!r} ({exc})", source=path) from exc
        names = (PurePosixPath(info.filename.replace("\\", "/")).name, path.name)
        datasets.append(_hgt_dataset(data, names, path, stack))
    return datasets


def open_source(path: Path, stack: ExitStack) -> list[Any]:
    """Open one terrain file as one or more rasterio datasets (kept open by ``stack``)."""
    if not path.is_file():
        raise DataError("terrain file not found", source=path, fix="check the path")
    lower = path.name.lower()
    if lower.endswith(".zip"):
        return _read_zip(path, stack)
    if lower.endswith(".hgt"):
        if path.stat().st_size not in HGT_SIZES:
            raise DataError(f"{path.stat().st_size} bytes is not an SRTM .hgt size",
                            source=path, fix="use an unmodified 1 or 3 arc-second .hgt tile")
        return [_hgt_dataset(path.read_bytes(), (path.name,), path, stack)]
    try:
        return [stack.enter_context(rasterio.open(path))]
    except RasterioError as exc:
        raise DataError(f"cannot read the file as a raster ({exc})", source=path,
                        fix=SOURCE_FIX) from exc


def _has_data(values: np.ma.MaskedArray) -> bool:
    valid = ~np.ma.getmaskarray(values)
    if np.issubdtype(values.dtype, np.floating):
        valid &= np.isfinite(values.data)
    return bool(valid.any())


def check_source(path: Path, ds: DatasetReader) -> None:
    """Refuse a dataset without a CRS or without any valid elevation."""
    if not ds.crs:
        raise DataError(
            "the raster has no coordinate reference system (CRS)", source=path,
            fix="assign one (e.g. gdal_edit.py -a_srs EPSG:4326 FILE) or use the original tile",
        )
    try:
        step = max(1, max(ds.height, ds.width) // 512)
        if step > 1:  # cheap decimated look first; read everything only if it finds nothing
            small = ds.read(1, masked=True, out_shape=(ds.height // step, ds.width // step))
            if _has_data(small):
                return
        if not _has_data(ds.read(1, masked=True)):
            raise DataError("the raster contains only nodata values", source=path,
                            fix="use a tile that covers the study area's land")
    except RasterioError as exc:
        raise DataError(f"cannot read the raster ({exc})", source=path,
                        fix=SOURCE_FIX) from exc
