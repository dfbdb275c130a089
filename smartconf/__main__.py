"""Entry point (composition root): the GUI without a command, the CLI with one."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from smartconf import cli
from smartconf.config import resolve_database_url, resolve_paths
from smartconf.core.errors import SmartconfError


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the command, or open the window."""
    try:
        args = cli.parse(argv)
    except cli.UsageError as exc:
        print(f"smartconf: {exc}", file=sys.stderr)
        return 2
    if args.command is not None:
        return cli.run(args)
    return _gui(args)


def _gui(args) -> int:
    from smartconf.app import run_gui  # Qt is imported only when the window is wanted

    try:
        paths = resolve_paths(args.data_dir)
    except SmartconfError as exc:
        return _report_early_error(exc)
    return run_gui(resolve_database_url(args.db, paths), paths)


def _report_early_error(exc: SmartconfError) -> int:
    from smartconf.app import show_fatal_error

    print(f"smartconf: {exc}", file=sys.stderr)
    show_fatal_error(exc)
    return 1


if __name__ == "__main__":
    sys.exit(main())
