"""Safety checks for files coming from outside: size, archives (zip bombs, path traversal,
links), text encodings, checksums. Used by :mod:`geo.readers` and :mod:`geo.workspace`.

Each refusal is a :class:`~geo.errors.DataError` naming the file and the fix.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import re
import shutil
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from geo.errors import DataError
from geo.legacy_text import from_tcvn3, looks_tcvn3
from geo.settings import SETTINGS

MB = 1_000_000
TCVN3_LABEL = "TCVN3 (ABC)"  # the encoding of Vietnamese typed in the .VnTime fonts
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 (BOM)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (BOM)"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (BOM)"),
)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")


# --- files and archives ------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_size(path: Path, source: str | None = None) -> int:
    """The file's size in bytes; refuses a missing file or one over the upload limit."""
    source = source or path.name
    if not path.is_file():
        raise DataError("file not found.", source=source, fix="check the path.")
    size = path.stat().st_size
    limit = SETTINGS.app.upload_limit_mb
    if size > limit * MB:
        raise DataError(
            f"refused: the file is {size / MB:.0f} MB, more than the {limit} MB limit.",
            source=source,
            fix=f"split it, or keep only the rows of {SETTINGS.study_area.province}.",
            code="too_large", params={"size": round(size / MB), "limit": limit},
        )
    if size == 0:
        raise DataError("the file is empty.", source=source, code="empty")
    return size


def unsafe_member(name: str) -> bool:
    """True for an archive member that is absolute or climbs out of the archive with ``..``."""
    posix = name.replace("\\", "/")
    return posix.startswith("/") or bool(re.match(r"[A-Za-z]:", posix)) or (
        ".." in PurePosixPath(posix).parts
    )


def _check_unpacked(total: int, archive_size: int, source: str) -> None:
    cfg = SETTINGS.imports
    if total > cfg.max_unpacked_mb * MB:
        raise DataError(
            f"refused: the archive unpacks to {total / MB:,.0f} MB, more than the "
            f"{cfg.max_unpacked_mb:,} MB limit (possible zip bomb).",
            source=source, fix="unpack it yourself and import only the file you need.",
        )
    ratio = total / max(archive_size, 1)
    if total > cfg.ratio_check_min_mb * MB and ratio > cfg.max_compression_ratio:
        raise DataError(
            f"refused: {archive_size / 1e3:,.0f} kB unpack to {total / MB:,.0f} MB "
            f"(compression ratio {ratio:,.0f}:1, possible zip bomb).",
            source=source, fix="unpack it yourself and import only the file you need.",
        )


def check_zip(path: Path, source: str | None = None) -> list[zipfile.ZipInfo]:
    """The members of a zip archive (KMZ, xlsx, zipped Shapefile) after the safety checks."""
    source = source or path.name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DataError(
            f"the archive is damaged or incomplete ({exc}).", source=source,
            fix="download or copy the file again (it may have been cut short).",
        ) from exc
    if len(infos) > SETTINGS.imports.max_archive_members:
        raise DataError(f"refused: the archive holds {len(infos):,} files.", source=source,
                        fix="keep only the files to import.")
    for info in infos:
        if unsafe_member(info.filename):
            raise DataError(
                f"refused: archive member {info.filename!r} points outside the archive "
                "(absolute path or '..').", source=source,
                fix="use an archive whose members have plain relative names.",
            )
        mode = (info.external_attr >> 16) & 0o170000
        if mode == 0o120000:
            raise DataError(f"refused: archive member {info.filename!r} is a symbolic link.",
                            source=source, fix="put the real file in the archive.")
        if info.flag_bits & 0x1:
            raise DataError(f"refused: archive member {info.filename!r} is password-protected.",
                            source=source, fix="use an archive without a password.")
    _check_unpacked(sum(i.file_size for i in infos), path.stat().st_size, source)
    return infos


def read_member(path: Path, info: zipfile.ZipInfo, source: str) -> bytes:
    """The bytes of one checked member, refusing more data than the member declares."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise DataError(f"cannot unpack {info.filename!r}: the archive is damaged ({exc}).",
                        source=source, fix="download or copy the file again.") from exc
    if len(data) > info.file_size:
        raise DataError(f"refused: {info.filename!r} holds more data than it declares.",
                        source=source)
    return data


def extract_members(path: Path, infos: list[zipfile.ZipInfo], dest: Path, source: str) -> None:
    """Unpack checked members under ``dest`` (their relative paths kept)."""
    for info in infos:
        if info.is_dir():
            continue
        target = dest.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
        if dest.resolve() not in target.resolve().parents:  # belt and braces
            raise DataError(f"refused: archive member {info.filename!r}.", source=source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read_member(path, info, source))


def gunzip(path: Path, source: str) -> bytes:
    limit = SETTINGS.imports.max_unpacked_mb * MB
    out = io.BytesIO()
    try:
        with gzip.open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                out.write(block)
                if out.tell() > limit:
                    break
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"the gzip file is damaged or incomplete ({exc}).", source=source,
                        fix="download the file again.") from exc
    _check_unpacked(out.tell(), path.stat().st_size, source)
    return out.getvalue()


# --- text ----------------------------------------------------------------------------------


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text: NUL bytes or many control characters."""
    head = data[: 1 << 16]
    if b"\x00" in head:
        return True
    return len(_CONTROL.findall(head)) > max(2, len(head) // 100)


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Decode a text file: BOM, else strict UTF-8, else Vietnamese typed in the legacy TCVN3
    (ABC) fonts (:mod:`geo.legacy_text`), else Windows-1258; NFC.

    Returns ``(text, label)`` where ``label`` names the encoding used ("UTF-8",
    "UTF-8 (BOM)", "UTF-16 (BOM)", :data:`TCVN3_LABEL`, "Windows-1258"). Refuses binary data
    and bytes no candidate decodes.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return unicodedata.normalize("NFC", data.decode(codec)), label
            except UnicodeDecodeError as exc:
                raise DataError(f"the file starts as {label} text but is damaged ({exc}).",
                                source=source, fix="save it again as UTF-8 CSV.") from exc
    if looks_binary(data):
        raise DataError(
            "the file is binary, not text (a spreadsheet or archive renamed, or damaged).",
            source=source, fix="open it in Excel and save as 'CSV UTF-8', or import the .xlsx.",
            code="binary",
        )
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "UTF-8"
    except UnicodeDecodeError:
        pass
    codes = data.decode("latin-1")  # the 8-bit codes as they are
    if looks_tcvn3(codes.splitlines()):
        return from_tcvn3(codes), TCVN3_LABEL
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258")), "Windows-1258"
    except UnicodeDecodeError as exc:
        raise DataError(
            "unknown text encoding: neither UTF-8, UTF-16 nor Windows-1258.", source=source,
            fix="save it again as 'CSV UTF-8' (Excel: File → Save As → CSV UTF-8).",
        ) from exc


def copy_file(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` atomically (temporary name, then rename)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".part")
    shutil.copyfile(src, tmp)
    tmp.replace(dst)
