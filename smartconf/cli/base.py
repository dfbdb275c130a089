"""Shared plumbing of the command modules: parser class, who acts, opening the database."""

from __future__ import annotations

import argparse
import getpass
import json
import os
from pathlib import Path

from smartconf.config import ENV_DB, ENV_HOME, Paths, resolve_database_url, resolve_paths
from smartconf.core.errors import SmartconfError
from smartconf.store.database import Database, open_database

ENV_USER = "SMARTCONF_USER"


class UsageError(SmartconfError):
    """The command line itself is wrong."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (raised, then printed with exit 2)."""

    def error(self, message: str):
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--db, --data-dir and --user; accepted before and after the command."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", metavar="URL_OR_PATH", default=default,
                        help=f"database URL or SQLite file (env {ENV_DB}; default: "
                             "smartconf.db in the data folder)")
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help=f"data folder (env {ENV_HOME}; default: the platform's)")
    parser.add_argument("--user", metavar="NAME", default=default,
                        help=f"who is acting, for the audit trail (env {ENV_USER}; "
                             "default: your login name)")


def actor(args: argparse.Namespace) -> str:
    """Who acts: --user, SMARTCONF_USER, or the login name."""
    return args.user or os.environ.get(ENV_USER) or getpass.getuser() or "smartconf"


def paths(args: argparse.Namespace) -> Paths:
    return resolve_paths(args.data_dir)


_opened: list[Database] = []


def open_db(args: argparse.Namespace, *, upgrade: bool = True) -> Database:
    """Open (and by default migrate) the database the options name.

    Closed by ``close_databases`` when the command ends, so no handler has to.
    """
    chosen = paths(args)
    url = resolve_database_url(args.db, chosen)
    database = open_database(url, backups_dir=chosen.backups_dir, upgrade=upgrade)
    _opened.append(database)
    return database


def close_databases() -> None:
    """Dispose of every database a command opened (connection pools, file handles)."""
    while _opened:
        _opened.pop().dispose()


def print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def write_file(path: Path, data: bytes) -> None:
    """Write atomically: a half-written file never replaces a good one."""
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SmartconfError(f"Cannot write {path} ({exc.strerror or exc}).",
                             hint="Choose another file or folder.") from exc


def subparsers(parser: argparse.ArgumentParser, dest: str, *, required: bool = True):
    """A sub-command group whose parsers print one-line errors."""
    return parser.add_subparsers(dest=dest, metavar=dest.upper(), required=required,
                                 parser_class=Parser)
