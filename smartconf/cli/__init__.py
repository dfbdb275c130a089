"""Command line over the services (Qt-free). ``smartconf --help`` lists the commands.

One module per group of commands; each has ``register(commands, common)``. Exit codes: 0
success (for ``checkin``: a verdict was given, whatever it is), 1 the command could not be
carried out (one line on stderr says why and what to do), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from smartconf import __version__
from smartconf.cli import (
    conferences,
    config,
    database,
    desk,
    duplicates,
    exports,
    imports,
    invites,
    paper,
    planning,
    privacy,
    reports,
)
from smartconf.cli.base import Parser, UsageError, add_global_options, close_databases
from smartconf.core.errors import SmartconfError

COMMAND_MODULES = (database, conferences, desk, exports, privacy, imports, duplicates, config,
                   planning, invites, paper, reports)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; with no command, smartconf starts the GUI."""
    parser = Parser(prog="smartconf", description="KCSS SMART Balkans: stakeholders, "
                    "conferences, badges and check-in. Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"smartconf {__version__}")
    add_global_options(parser, suppress=False)
    common = Parser(add_help=False)
    add_global_options(common, suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(commands, common)
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line; raises UsageError on bad usage."""
    return build_parser().parse_args(argv)


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; SmartconfErrors become one line on stderr and exit 1."""
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"smartconf: {exc}", file=sys.stderr)
        return 2
    except SmartconfError as exc:
        print(f"smartconf: {exc}", file=sys.stderr)
        return 1
    finally:
        close_databases()


__all__ = ["UsageError", "build_parser", "parse", "run"]
