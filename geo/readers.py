"""Read the province's own files safely: CSV, Excel, GeoJSON, GeoPackage, KML/KMZ, zipped
Shapefile, before :mod:`geo.importers` maps them onto the canonical schema.

Safety rules (each refusal is a :class:`~geo.errors.DataError` naming the file; the checks
themselves live in :mod:`geo.safe_files`):

- a file larger than ``SETTINGS.app.upload_limit_mb`` is refused before it is read;
- archives (zip, KMZ, xlsx, gzip) are checked before anything is unpacked: members with an
  absolute path or ``..``, symbolic links, encrypted members, too many members, and a total
  unpacked size above ``SETTINGS.imports.max_unpacked_mb`` or far beyond the archive's size
  (``max_compression_ratio``: a zip bomb) are refused; unpacking is capped at the declared
  sizes;
- text is decoded as: byte-order mark first (UTF-8, UTF-16, UTF-32), then strict UTF-8, then
  Vietnamese typed in the legacy TCVN3 (ABC) fonts when it reads as such
  (:mod:`geo.legacy_text`), then Windows-1258 (Python's ``cp1258``, then NFC); binary data is
  refused; spreadsheet cells and vector attributes typed in TCVN3 are converted too, and
  the report says so;
- Excel formulas are never evaluated (only the values Excel cached when it saved the file);
- KML is parsed by :mod:`geo.kml` with ``xml.etree`` after refusing any DTD or entity
  declaration; nothing is executed or unpickled.

Tabular files come back as a grid of text cells (:class:`RawTable.cells`, the header is found
later by the importer, which knows the column names it expects); vector files as a
GeoDataFrame (:class:`RawTable.frame`) with the CRS the file declares (or none).
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo.errors import DataError, Notice
from geo.legacy_text import from_tcvn3, looks_tcvn3
from geo.safe_files import (
    TCVN3_LABEL,
    check_size,
    check_zip,
    decode_text,
    extract_members,
    gunzip,
    looks_binary,
    read_member,
    sha256_file,
)

DEM_SUFFIXES = (".tif", ".tiff", ".hgt", ".hgt.zip")
_CHUNK_ROWS = 50_000
_ZIP_MAGIC = b"PK\x03\x04"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary Excel (.xls)
_SHAPE_PARTS = (".shp", ".shx", ".dbf")


class Warns:
    """``warnings`` (English) and ``notices`` (the same, translatable), kept in step."""

    warnings: list[str]
    notices: list[Notice]

    def warn(self, template: str, code: str, /, **params: object) -> None:
        """Note a warning: ``template`` is the English text with ``{name}`` placeholders,
        filled from ``params`` (which the app's translation of ``code`` uses too)."""
        notice = Notice.of(template, code, **params)
        self.warnings.append(notice.message)
        self.notices.append(notice)


@dataclass
class RawTable(Warns):
    """One file as read, before mapping onto a layer.

    ``cells`` (tabular formats): every row of the sheet or CSV as text, columns ``0..n-1``,
    ``""`` for empty cells, in file order (the header row is among them); ``lengths`` is the
    number of fields each CSV row really had. ``frame`` (vector formats): attributes and
    geometry, CRS as declared by the file (``None`` when it declares none).
    """

    file_name: str
    sha256: str
    format: str
    cells: pd.DataFrame | None = None
    lengths: np.ndarray | None = None
    truncated: bool = False
    frame: gpd.GeoDataFrame | None = None
    encoding: str | None = None
    sub_layer: str | None = None
    warnings: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter most sample lines split on into the same number (> 1) of fields.

    Title lines above the header split into one field and are ignored; on a tie ``;`` and
    tab win over ``,`` (a ``;`` file often has decimal commas).
    """
    sample = [ln for ln in lines if ln.strip()][:50]
    best, best_support = ",", 0
    for delim in (";", "\t", ",", "|"):
        counts = [len(row) for row in csv.reader(sample, delimiter=delim)]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        modal = max(set(multi), key=multi.count)
        support = counts.count(modal)
        if support > best_support:
            best, best_support = delim, support
    return best


def _frame_from_rows(chunks: list[pd.DataFrame], rows: list[list[str]]) -> None:
    if rows:
        width = max(len(r) for r in rows)
        padded = [r + [""] * (width - len(r)) for r in rows]
        chunks.append(pd.DataFrame(padded, dtype="str"))
        rows.clear()


def _cells(chunks: list[pd.DataFrame], strip: bool = False) -> pd.DataFrame:
    if not chunks:
        return pd.DataFrame(dtype="str")
    cells = pd.concat(chunks, ignore_index=True)
    cells.columns = range(cells.shape[1])
    cells = cells.fillna("").astype("str")
    if strip:  # one vectorised pass per column, not one call per cell
        cells = cells.apply(lambda column: column.str.strip())
    return cells


def parse_csv_text(text: str, source: str) -> tuple[pd.DataFrame, np.ndarray, bool]:
    """Cells, fields per row and "looks truncated" for CSV text (any ``,;\\t`` delimiter)."""
    delim = _sniff_delimiter(text[:20_000].splitlines())
    # NFC once for the whole text (the same as cell by cell: no delimiter, quote or line
    # break composes with a following mark); cells are stripped column by column below.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    chunks: list[pd.DataFrame] = []
    rows: list[list[str]] = []
    lengths: list[int] = []
    try:
        for row in reader:
            rows.append(row)
            lengths.append(len(row))
            if len(rows) >= _CHUNK_ROWS:
                _frame_from_rows(chunks, rows)
    except csv.Error as exc:
        raise DataError(
            f"line {reader.line_num}: the CSV is malformed or cut short ({exc}).",
            source=source, fix="check the quotes on that line, or export the file again.",
            code="csv_malformed", params={"line": reader.line_num},
        ) from exc
    _frame_from_rows(chunks, rows)
    cells = _cells(chunks, strip=True)
    truncated = bool(
        lengths and not text.endswith(("\n", "\r")) and len(lengths) > 1
        and lengths[-1] < max(lengths[:-1])
    )
    return cells, np.asarray(lengths, dtype=np.int32), truncated


# --- tabular -------------------------------------------------------------------------------


def _read_csv(path: Path, source: str, table: RawTable) -> None:
    data = gunzip(path, source) if path.name.lower().endswith(".gz") else path.read_bytes()
    text, label = decode_text(data, source)
    table.encoding = label
    table.warn("text encoding: {encoding}", "encoding", encoding=label)
    table.cells, table.lengths, table.truncated = parse_csv_text(text, source)


def cell_text(value: object) -> str:
    """A cell value as text: '' for empty, whole floats without '.0', dates ISO, NFC."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def _read_xlsx(path: Path, source: str, table: RawTable, sheet: str | None) -> None:
    import openpyxl  # local: only Excel imports pay for it

    check_zip(path, source)
    try:
        # data_only: cached values only, formulas are never evaluated.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise DataError(
            f"the Excel file is damaged or incomplete ({type(exc).__name__}: {exc}).",
            source=source, fix="open it in Excel and save it again as .xlsx.",
            code="excel_damaged",
        ) from exc
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise DataError(f"no sheet named {sheet!r}; sheets: {', '.join(names)}.",
                            source=source, fix="choose one of these sheets.", code="no_sheet",
                            params={"sheet": sheet, "names": ", ".join(names)})
        chosen = sheet or names[0]
        if len(names) > 1:
            table.warn("read sheet '{sheet}' of {count}: {names}", "sheet", sheet=chosen,
                       count=len(names), names=", ".join(names))
        chunks: list[pd.DataFrame] = []
        rows: list[list[str]] = []
        for values in book[chosen].iter_rows(values_only=True):
            rows.append([cell_text(v) for v in values])
            if len(rows) >= _CHUNK_ROWS:
                _frame_from_rows(chunks, rows)
        _frame_from_rows(chunks, rows)
    except DataError:
        raise
    except Exception as exc:
        raise DataError(f"cannot read the sheet ({type(exc).__name__}: {exc}).",
                        source=source, fix="open it in Excel and save it again.") from exc
    finally:
        book.close()
    table.sub_layer = chosen
    table.cells = _cells(chunks)
    table.lengths = np.full(len(table.cells), table.cells.shape[1], dtype=np.int32)


# --- vector --------------------------------------------------------------------------------


def _read_ogr(path: Path, source: str, layer: str | None, **kwargs: object) -> gpd.GeoDataFrame:
    try:
        return pyogrio.read_dataframe(path, layer=layer, **kwargs)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as exc:
        raise DataError(f"cannot read the file: it is damaged or incomplete ({exc}).",
                        source=source, fix="export it again from QGIS or the source.") from exc


def _pick_layer(path: Path, source: str, layer: str | None) -> str | None:
    try:
        layers = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except pyogrio.errors.DataSourceError as exc:
        raise DataError(f"cannot open the file: it is damaged or not a GeoPackage ({exc}).",
                        source=source, fix="export it again.") from exc
    if layer is not None:
        if layer not in layers:
            raise DataError(f"no layer named {layer!r}; layers: {', '.join(layers)}.",
                            source=source, fix="choose one of these layers.", code="no_layer",
                            params={"layer": layer, "names": ", ".join(layers)})
        return layer
    if len(layers) > 1:
        raise DataError(f"the file holds {len(layers)} layers: {', '.join(layers)}.",
                        source=source, fix="choose one (--layer NAME).", code="many_layers",
                        params={"count": len(layers), "names": ", ".join(layers)})
    return layers[0] if layers else None


def _dbf_encoding(dbf: Path) -> str:
    """Text encoding of a .dbf without a .cpg: UTF-8 when its records decode so, else cp1258."""
    data = dbf.read_bytes()
    start = int.from_bytes(data[8:10], "little") if len(data) > 10 else 0
    try:
        data[start:].decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        return "CP1258"


def _read_shapefile_zip(path: Path, source: str, table: RawTable, layer: str | None) -> None:
    infos = check_zip(path, source)
    shps = [i for i in infos if i.filename.lower().endswith(".shp") and not i.is_dir()]
    if not shps:
        raise DataError("the zip holds no Shapefile (.shp).", source=source,
                        fix="zip the .shp with its .shx, .dbf and .prj files.",
                        code="zip_no_shapefile")
    stems = {PurePosixPath(i.filename).with_suffix("").as_posix(): i for i in shps}
    names = [PurePosixPath(s).name for s in stems]
    if layer is None and len(stems) > 1:
        raise DataError(f"the zip holds {len(stems)} Shapefiles: {', '.join(names)}.",
                        source=source, fix="choose one (--layer NAME).", code="many_layers",
                        params={"count": len(stems), "names": ", ".join(names)})
    if layer is not None and layer not in names:
        raise DataError(f"no Shapefile named {layer!r}; found: {', '.join(names)}.",
                        source=source, fix="choose one of these.")
    stem = next(s for s in stems if layer is None or PurePosixPath(s).name == layer)
    parts = {PurePosixPath(i.filename).suffix.lower(): i for i in infos
             if PurePosixPath(i.filename).with_suffix("").as_posix() == stem}
    missing = [p for p in _SHAPE_PARTS if p not in parts]
    if missing:
        raise DataError(f"the Shapefile is incomplete: {', '.join(missing)} missing.",
                        source=source, fix="zip all parts: .shp, .shx, .dbf and .prj.",
                        code="shapefile_incomplete", params={"missing": ", ".join(missing)})
    if ".prj" not in parts:
        table.warn("the Shapefile has no .prj: coordinate system recognised from the "
                   "coordinates", "no_prj")
    with tempfile.TemporaryDirectory(prefix="laocai-shp-") as tmp:
        extract_members(path, list(parts.values()), Path(tmp), source)
        shp = Path(tmp).joinpath(*PurePosixPath(stem + ".shp").parts)
        kwargs: dict[str, object] = {}
        if ".cpg" not in parts:
            kwargs["encoding"] = _dbf_encoding(shp.with_suffix(".dbf"))
            table.warn("attribute encoding (no .cpg): {encoding}", "no_cpg",
                       encoding=kwargs["encoding"])
        table.frame = _read_ogr(shp, source, None, **kwargs)
    table.sub_layer = PurePosixPath(stem).name


def _read_kml(path: Path, source: str, table: RawTable, kmz: bool) -> None:
    from geo.kml import parse_kml

    if kmz:
        infos = check_zip(path, source)
        kmls = [i for i in infos if i.filename.lower().endswith(".kml") and not i.is_dir()]
        if not kmls:
            raise DataError("the KMZ holds no .kml document.", source=source,
                            fix="export it again from Google Earth.")
        doc = next((i for i in kmls if i.filename.lower() == "doc.kml"), kmls[0])
        data = read_member(path, doc, source)
    else:
        data = path.read_bytes()
    table.frame = parse_kml(data, source)


# --- entry point ---------------------------------------------------------------------------


def detect_format(path: Path, source: str | None = None) -> str:
    """``csv``, ``xlsx``, ``geojson``, ``gpkg``, ``kml``, ``kmz``, ``shapefile`` or ``dem``."""
    source = source or path.name
    name = path.name.lower()
    with open(path, "rb") as fh:
        head = fh.read(16)
    if name.endswith(DEM_SUFFIXES):
        return "dem"
    suffix = Path(name.removesuffix(".gz")).suffix
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix == ".xls" or (suffix in (".xlsx", ".xlsm") and head.startswith(_OLE_MAGIC)):
        raise DataError("old Excel format (.xls) is not read.", source=source,
                        fix="open it in Excel and save as .xlsx (or CSV UTF-8).", code="xls")
    expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".kmz": "kmz", ".zip": "zip",
                ".gpkg": "gpkg", ".geojson": "geojson", ".json": "geojson", ".kml": "kml",
                ".shp": "shapefile"}
    kind = expected.get(suffix)
    if kind is None:
        raise DataError(
            f"unsupported file type {suffix or '(none)'}.", source=source,
            fix="use CSV, Excel .xlsx, GeoJSON, GeoPackage, KML/KMZ, a zipped Shapefile, or "
                "a terrain tile (.tif, .hgt, .hgt.zip).",
            code="unsupported_type", params={"suffix": suffix or "—"},
        )
    if kind in ("xlsx", "kmz", "zip") and not head.startswith(_ZIP_MAGIC):
        raise DataError(f"not a valid {suffix} file (damaged, or another format renamed).",
                        source=source, fix="export the file again.", code="not_valid",
                        params={"suffix": suffix})
    if kind == "gpkg" and not head.startswith(_SQLITE_MAGIC):
        raise DataError("not a valid GeoPackage (damaged, or another format renamed).",
                        source=source, fix="export the file again.", code="not_valid",
                        params={"suffix": ".gpkg"})
    if kind == "zip":
        members = [i.filename.lower() for i in check_zip(path, source)]
        if any(m.endswith(".shp") for m in members):
            return "shapefile"
        if any(m.endswith(".kml") for m in members):
            return "kmz"
        if any(m.endswith((".hgt", ".tif", ".tiff")) for m in members):
            return "dem"
        raise DataError("the zip holds no Shapefile, KML or terrain tile.", source=source,
                        fix="zip the .shp with its .shx, .dbf and .prj files.",
                        code="zip_no_shapefile")
    return kind


def read_source(path: str | Path, *, sheet: str | None = None, layer: str | None = None,
                file_name: str | None = None) -> RawTable:
    """Read ``path`` safely into a :class:`RawTable` (terrain: :func:`geo.import_dem.check_dem`).

    ``file_name`` is the name shown in messages (e.g. the uploaded name), default the path's.
    ``sheet`` picks an Excel sheet (default the first), ``layer`` a GeoPackage layer or a
    Shapefile in a zip (required when there are several; the message lists them).
    """
    path = Path(path)
    source = file_name or path.name
    check_size(path, source)
    fmt = detect_format(path, source)
    table = RawTable(file_name=source, sha256=sha256_file(path), format=fmt)
    if fmt == "dem":
        raise DataError("this is a terrain tile, not a table.", source=source,
                        fix="import it as terrain (dem).", code="terrain_not_table")
    if fmt == "csv":
        _read_csv(path, source, table)
    elif fmt == "xlsx":
        _read_xlsx(path, source, table, sheet)
    elif fmt in ("kml", "kmz"):
        _read_kml(path, source, table, kmz=fmt == "kmz")
    elif fmt == "shapefile" and path.suffix.lower() == ".zip":
        _read_shapefile_zip(path, source, table, layer)
    elif fmt == "shapefile":
        table.frame = _read_ogr(path, source, None)
    else:  # geojson, gpkg
        if fmt == "geojson":
            data = path.read_bytes()
            if looks_binary(data):
                raise DataError("the file is binary, not GeoJSON text.", source=source,
                                code="binary")
        chosen = _pick_layer(path, source, layer) if fmt == "gpkg" else None
        table.frame = _read_ogr(path, source, chosen)
        table.sub_layer = chosen
    if table.frame is not None:
        table.frame = table.frame.reset_index(drop=True)
    _convert_tcvn3(table)
    return table


def _convert_tcvn3(table: RawTable) -> None:
    """Turn a spreadsheet's or a vector file's text typed in TCVN3 (ABC) into Unicode, and say
    so (a CSV's bytes were decoded as TCVN3 already, see :func:`decode_text`)."""
    if table.encoding != TCVN3_LABEL and not _tcvn3_cells(table):
        return
    table.warn("text typed in the TCVN3 (ABC) encoding, converted to Unicode", "tcvn3")


def _non_ascii(values: pd.Series) -> pd.Series:
    """The cells of a text column that are not plain ASCII (the only ones
    :func:`~geo.legacy_text.looks_tcvn3` looks at), found in one vectorised pass."""
    if not pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
        return values
    return values[values.str.contains(r"[^\x00-\x7f]", regex=True, na=False)]


def _tcvn3_cells(table: RawTable) -> bool:
    """Convert the text cells (or attributes) of ``table`` when they read as TCVN3; whether
    they did."""
    target = table.cells if table.cells is not None else table.frame
    if target is None:
        return False
    columns = [c for c in target.columns if table.cells is not None
               or (c != target.geometry.name and target[c].dtype == object)]
    if not looks_tcvn3(v for c in columns for v in _non_ascii(target[c])
                       if isinstance(v, str)):
        return False
    for c in columns:
        target[c] = target[c].map(lambda v: from_tcvn3(v) if isinstance(v, str) else v)
    return True
