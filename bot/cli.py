"""The ``pintu`` command line: one sub-command module per concern in ``bot/commands``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from bot.config import ConfigError

# Each module exposes ``register(subparsers)``; its sub-commands set ``func(args) -> int``.
COMMAND_MODULES = [
    "bot.commands.serve",
    "bot.commands.db",
    "bot.commands.chat",
    "bot.commands.users",
    "bot.commands.report",
    "bot.commands.telegram",
    "bot.commands.nlu",
]


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
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pintu`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # python-telegram-bot 22 warns on every flood-control answer unless told to give
    # retry_after as a timedelta; the Telegram adapter reads both, and no other code
    # reads PTB's time periods (updates are parsed from plain JSON).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"pintu: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
