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
``python -m geo users add NAME --role viewer|editor|admin [--password-stdin]``
``python -m geo users passwd NAME [--password-stdin]``
``python -m geo users disable NAME`` / ``users enable NAME`` / ``users list``
    Manage the workspace's local accounts (:mod:`geo.accounts`). The password is asked
    twice on the terminal (never echoed, never an argument); ``--password-stdin`` reads one
    line from standard input instead (scripts, tests). The first account must be an admin.
``python -m geo audit [--csv FILE] [--who NAME] [--action ACTION] [--since T] [--until T]
[--limit N]``
    Print the audit trail (oldest first) or write it as CSV (formula-like text defused).

Who the command line acts as: ``--as NAME``, else the operating-system user
(``getpass.getuser()``); that name goes into the audit trail with ``via = local``. The
command line is treated as a **local admin** (:func:`geo.roles.local_actor`), with or without
accounts, and asks no password: whoever can run it can also open the workspace file and
change it with any SQLite tool, so a password here would protect nothing. The name is
therefore a label, not a proof (``--as`` can name anyone); the file's own permissions are what
keeps other users of the machine out. Accounts and roles guard the *app*, whose users reach
the data only through the server. In particular ``users add NAME --role admin`` creates the
first admin of a workspace that has no account yet.

The workspace is ``--workspace``, else ``LAOCAI_WORKSPACE``, else the user data folder.
``--lang vi`` (before the command) says the errors, problems and warnings in Vietnamese;
the command line speaks English by default.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from functools import partial

from geo.errors import AppError, DataError, PermissionDeniedError, WorkspaceBusyError
from geo.importers import IMPORT_KINDS, import_file
from geo.roles import ROLES, Action, Actor, local_actor
from geo.settings import SETTINGS
from geo.workspace import LAYERS, Workspace
from i18n.messages import cli_error, problem_text, warning_texts

EXIT_BAD_INPUT = 2
EXIT_BUSY = 3
EXIT_DENIED = 4


def _overrides(values: Sequence[str]) -> dict[int, str]:
    out = {}
    for value in values:
        row, sep, code = value.partition("=")
        if not sep or not row.strip().isdigit() or not code.strip().isdigit():
            raise DataError(f"--fix {value!r} is not ROW=CODE (e.g. 12=02677).")
        out[int(row)] = code.strip()
    return out


def _printable(text: object) -> str:
    """``text`` without control characters (names typed at a failed sign-in are shown)."""
    return "".join(c if c.isprintable() else "?" for c in str(text))


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != first:
        raise DataError("the two passwords differ; nothing changed.")
    return first


def _users(args: argparse.Namespace, workspace: Workspace, actor: Actor) -> int:
    accounts = workspace.accounts
    if args.users_command == "list":
        listed = accounts.list_accounts()
        for account in listed:
            print(account.line())
        if not listed:
            print(f"no accounts in {workspace.path}: single-user local mode (anyone who can "
                  "open the app can change the data)")
        return 0
    if args.users_command == "add":
        account = accounts.add(args.name, args.role, _read_password(args), actor)
        print(f"added {account.name} ({account.role}) in {workspace.path}")
    elif args.users_command == "passwd":
        accounts.set_password(args.name, _read_password(args), actor)
        print(f"password of {args.name} changed")
    else:
        disable = args.users_command == "disable"
        changed = accounts.set_disabled(args.name, disable, actor)
        state = "disabled" if disable else "enabled"
        print(f"{args.name} {state}" if changed else f"{args.name} was already {state}")
    return 0


def _audit(args: argparse.Namespace, workspace: Workspace, actor: Actor) -> int:
    filters = {"who": args.who, "action": args.action, "since": args.since,
               "until": args.until, "limit": args.limit}
    rows = workspace.audit(actor, **filters)
    if args.csv:
        from geo.audit import write_csv

        write_csv(rows, args.csv)
        print(f"wrote {len(rows)} audit row(s) to {args.csv}")
        return 0
    for row in rows:
        change = f" {row.before or '-'} -> {row.after or '-'}" if row.before or row.after else ""
        print(_printable(f"{row.at_utc}  {row.actor} ({row.role or '-'}, {row.via or '-'})  "
                         f"{row.action}  {row.target}  {row.detail}{change}"))
    if not rows:
        print(f"no audit rows in {workspace.path}")
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", help="workspace GeoPackage (default: LAOCAI_WORKSPACE)")
    parser.add_argument("--as", dest="as_user", metavar="NAME",
                        help="name recorded in the audit trail (default: the OS user)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo",
                                     description="Import the province's data into the workspace.")
    parser.add_argument("--lang", choices=SETTINGS.app.languages, default="en",
                        help="language of the messages (default: en)")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import a file as a new version of its layer")
    imp.add_argument("kind", choices=IMPORT_KINDS)
    imp.add_argument("file")
    _common(imp)
    imp.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
    imp.add_argument("--layer", help="GeoPackage layer or Shapefile inside a zip")
    imp.add_argument("--sheet", help="Excel sheet (default: the first)")
    imp.add_argument("--operator", help="operator of the whole file, when it has no column")
    imp.add_argument("--fix", action="append", default=[], metavar="ROW=CODE",
                     help="support points: 2020 commune code for a row that did not match")
    ver = sub.add_parser("versions", help="list the saved versions")
    ver.add_argument("layer", nargs="?", choices=LAYERS)
    _common(ver)
    act = sub.add_parser("activate", help="switch a layer to an earlier version")
    act.add_argument("version")
    _common(act)
    users = sub.add_parser("users", help="manage the local accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    for name, text in (("add", "add an account"), ("passwd", "change a password"),
                       ("disable", "disable an account"), ("enable", "enable it again"),
                       ("list", "list the accounts")):
        cmd = users_sub.add_parser(name, help=text)
        if name != "list":
            cmd.add_argument("name")
        if name == "add":
            cmd.add_argument("--role", choices=ROLES, required=True)
        if name in ("add", "passwd"):
            cmd.add_argument("--password-stdin", action="store_true",
                             help="read the password from standard input (one line)")
        _common(cmd)
    aud = sub.add_parser("audit", help="print or export the audit trail")
    aud.add_argument("--csv", metavar="FILE", help="write CSV (UTF-8, opens in Excel)")
    aud.add_argument("--who", help="only this actor")
    aud.add_argument("--action", choices=[a.value for a in Action], help="only this action")
    aud.add_argument("--since", metavar="T", help="from this UTC time (e.g. 2026-05-01)")
    aud.add_argument("--until", metavar="T", help="before this UTC time")
    aud.add_argument("--limit", type=int, help="the newest N rows at most")
    _common(aud)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        workspace = Workspace(args.workspace)
        actor = local_actor(args.as_user)
        if args.command == "users":
            return _users(args, workspace, actor)
        if args.command == "audit":
            return _audit(args, workspace, actor)
        if args.command == "versions":
            versions = workspace.list_versions(args.layer)
            for version in versions:
                print(version.line())
            if not versions:
                print(f"no imported versions in {workspace.path}")
            return 0
        if args.command == "activate":
            print(f"active: {workspace.activate(args.version, actor).line()}")
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
        for version in workspace.save(report, actor):
            print(f"saved {version.version_id} in {workspace.path}")
        return 0
    except WorkspaceBusyError as exc:
        print(f"error: {cli_error(exc, args.lang)}", file=sys.stderr)
        return EXIT_BUSY
    except PermissionDeniedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DENIED
    except AppError as exc:
        print(f"error: {cli_error(exc, args.lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
