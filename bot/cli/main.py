"""The ``pintu`` command line: one sub-command module per concern in ``bot/cli``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.app import CHANNEL_COMMANDS
from bot.cli import (
    chat,
    citizens,
    db,
    media,
    nlu,
    open311,
    report,
    serve,
    ticket_map,
    users,
)
from bot.core.feature import Register
from bot.core.settings import ConfigError

# Each adds its sub-commands, which set ``func(args) -> int``. The channels' set-up
# commands come from the composition root, the one place that names providers.
COMMANDS: tuple[Register, ...] = (
    serve.register,
    db.register,
    chat.register,
    users.register,
    citizens.register,
    report.register,
    nlu.register,
    open311.register,
    media.register,
    ticket_map.register,
    *CHANNEL_COMMANDS,
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used by tests)."""
    parser = argparse.ArgumentParser(
        prog="pintu",
        description="Pintu: citizen chatbot and omnichannel intake for public services",
    )
    parser.add_argument(
        "--config", help="path to config.yml (default: $PINTU_CONFIG or ./config.yml)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pintu`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"pintu: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
