"""Import the province's real data: one entry point, :func:`import_file`.

``import_file(kind, path)`` reads the file safely (:mod:`geo.readers`), maps it onto the
canonical schema of its layer(s) and returns an :class:`ImportReport`: file name, SHA-256,
rows read and accepted, per-row problems ``(row, column, message)``, warnings (encoding,
coordinate system recognised, values assumed from the settings...), and the validated
GeoDataFrame(s) with ``source = "imported"``. It never writes anything: saving is
:meth:`geo.workspace.Workspace.save`.

Policy for bad rows: **the file is refused with the list** — a report with problems (a row
outside Lào Cai plus ``SETTINGS.study_area.import_margin_m``, a duplicate id, an unknown
technology, an unmatched commune...) cannot be saved, and no row is dropped silently; the user
corrects the file (or, for support points, picks the commune: ``overrides``) and imports
again. The one exception is an OpenCelliD extract, which covers the whole country: its rows of
other networks and outside the province are *excluded*, and listed in ``report.excluded``.
Whole-file failures (unreadable, unsafe archive, missing columns, coordinates not recognised)
raise :class:`~geo.errors.DataError`.

Kinds: ``sites`` (:mod:`geo.import_sites`), ``points`` and ``villages``
(:mod:`geo.import_points`), ``fibre`` (routes and nodes, :mod:`geo.import_fibre`), ``dem``
(:mod:`geo.import_dem`), ``landcover`` (:mod:`geo.import_landcover`) and ``measurements``
(field measurements of the received level: G-NetTrack Pro, CellMapper, NetMonster-style or
plain tables, :mod:`geo.import_measurements`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from geo.import_common import KIND_LAYERS, ImportReport, Problem
from geo.readers import read_source
from geo.safe_files import check_size, sha256_file

IMPORT_KINDS: tuple[str, ...] = tuple(KIND_LAYERS)

__all__ = ["IMPORT_KINDS", "KIND_LAYERS", "ImportReport", "Problem", "import_file"]


def import_file(
    kind: str,
    path: str | Path,
    *,
    sheet: str | None = None,
    layer: str | None = None,
    overrides: Mapping[int, str] | None = None,
    operator: str | None = None,
    file_name: str | None = None,
) -> ImportReport:
    """Read ``path`` as layer kind ``kind`` and return the report (nothing is saved).

    Parameters
    ----------
    kind:
        ``sites``, ``points``, ``villages``, ``fibre``, ``dem``, ``landcover`` or
        ``measurements``.
    sheet, layer:
        Excel sheet (default: the first) / GeoPackage layer or Shapefile in a zip (required
        when there are several; the error lists them).
    overrides:
        Support points: ``{row: code_2020}`` choices for rows whose commune did not match.
    operator:
        Operator of the whole file when it has no operator column (sites, fibre,
        measurements).
    file_name:
        Name shown in messages and stored with the version (e.g. the uploaded file's name).
    """
    if kind not in KIND_LAYERS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KIND_LAYERS)}")
    path = Path(path)
    name = file_name or path.name
    if kind == "dem":
        from geo.import_dem import import_dem

        check_size(path, name)
        report = ImportReport("dem", name, sha256_file(path))
        import_dem(path, report)
        return report
    if kind == "landcover":
        from geo.import_landcover import import_landcover

        check_size(path, name)
        report = ImportReport("landcover", name, sha256_file(path))
        import_landcover(path, report)
        return report
    raw = read_source(path, sheet=sheet, layer=layer, file_name=name)
    report = ImportReport(kind, name, raw.sha256, encoding=raw.encoding,
                          warnings=list(raw.warnings), notices=list(raw.notices))
    if kind == "sites":
        from geo.import_sites import import_sites

        import_sites(raw, report, operator=operator)
    elif kind == "points":
        from geo.import_points import import_points

        import_points(raw, report, overrides=overrides)
    elif kind == "villages":
        from geo.import_points import import_villages

        import_villages(raw, report)
    elif kind == "measurements":
        from geo.import_measurements import import_measurements

        import_measurements(raw, report, operator=operator)
    else:
        from geo.import_fibre import import_fibre

        import_fibre(raw, report, operator=operator)
    return report
