"""Command line of the geo package: import the province's files into the workspace.

``python -m geo import {sites,points,villages,fibre,dem,landcover,measurements} FILE
[--workspace PATH]
[--dry-run] [--layer NAME] [--sheet NAME] [--operator NAME] [--fix ROW=CODE ...]``
    Read FILE, print the report and save it as a new version of its layer(s). Exit 0 on
    success, 2 on bad input (each problem as ``file:row:column: problem`` on stderr; nothing
    is saved), 3 when the workspace is busy with another import (try again).
``python -m geo versions [LAYER] [--workspace PATH]``
    List saved versions, newest first; ``active`` marks the one in use.
``python -m geo activate VERSION [--workspace PATH]``
    Switch a layer back to VERSION (e.g. ``sites_v2``).

The workspace is ``--workspace``, else ``LAOCAI_WORKSPACE``, else the user data folder.
``--lang vi`` (before the command) says the errors, problems and warnings in Vietnamese;
the command line speaks English by default.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import partial

from geo.errors import AppError, DataError, WorkspaceBusyError
from geo.importers import IMPORT_KINDS, import_file
from geo.settings import SETTINGS
from geo.workspace import LAYERS, Workspace
from i18n.messages import cli_error, problem_text, warning_texts

EXIT_BAD_INPUT = 2
EXIT_BUSY = 3


def _overrides(values: Sequence[str]) -> dict[int, str]:
    out = {}
    for value in values:
        row, sep, code = value.partition("=")
        if not sep or not row.strip().isdigit() or not code.strip().isdigit():
            raise DataError(f"--fix {value!r} is not ROW=CODE (e.g. 12=02677).")
        out[int(row)] = code.strip()
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo",
                                     description="Import the province's data into the workspace.")
    parser.add_argument("--lang", choices=SETTINGS.app.languages, default="en",
                        help="language of the messages (default: en)")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import a file as a new version of its layer")
    imp.add_argument("kind", choices=IMPORT_KINDS)
    imp.add_argument("file")
    imp.add_argument("--workspace", help="workspace GeoPackage (default: LAOCAI_WORKSPACE)")
    imp.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
    imp.add_argument("--layer", help="GeoPackage layer or Shapefile inside a zip")
    imp.add_argument("--sheet", help="Excel sheet (default: the first)")
    imp.add_argument("--operator", help="operator of the whole file, when it has no column")
    imp.add_argument("--fix", action="append", default=[], metavar="ROW=CODE",
                     help="support points: 2020 commune code for a row that did not match")
    ver = sub.add_parser("versions", help="list the saved versions")
    ver.add_argument("layer", nargs="?", choices=LAYERS)
    ver.add_argument("--workspace")
    act = sub.add_parser("activate", help="switch a layer to an earlier version")
    act.add_argument("version")
    act.add_argument("--workspace")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        workspace = Workspace(args.workspace)
        if args.command == "versions":
            versions = workspace.list_versions(args.layer)
            for version in versions:
                print(version.line())
            if not versions:
                print(f"no imported versions in {workspace.path}")
            return 0
        if args.command == "activate":
            print(f"active: {workspace.activate(args.version).line()}")
            return 0
        describe = None if args.lang == "en" else partial(problem_text, lang=args.lang)
        report = import_file(args.kind, args.file, sheet=args.sheet, layer=args.layer,
                             operator=args.operator, overrides=_overrides(args.fix))
        warnings = None if args.lang == "en" else warning_texts(report, args.lang)
        print(report.summary(warnings=warnings, describe=describe))
        if report.problems:
            print(f"error: {len(report.problems)} problem(s) in {report.file_name}; nothing "
                  "saved:", file=sys.stderr)
            for line in report.problem_lines(describe):
                print(line, file=sys.stderr)
            return EXIT_BAD_INPUT
        earlier = workspace.find_checksum(report.sha256)
        if earlier:
            print(f"note: the same file was already imported as "
                  f"{', '.join(v.version_id for v in earlier)}")
        if args.dry_run:
            print("dry run: nothing saved")
            return 0
        for version in workspace.save(report):
            print(f"saved {version.version_id} in {workspace.path}")
        return 0
    except WorkspaceBusyError as exc:
        print(f"error: {cli_error(exc, args.lang)}", file=sys.stderr)
        return EXIT_BUSY
    except AppError as exc:
        print(f"error: {cli_error(exc, args.lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
