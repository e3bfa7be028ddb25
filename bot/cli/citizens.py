"""``pintu citizens export|erase --id N``: a citizen's data rights (UU 27/2022)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TextIO

from bot.app.settings import Settings, load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu citizens export|erase``."""
    p = sub.add_parser("citizens", help="a citizen's personal data: export or erase")
    csub = p.add_subparsers(dest="citizens_command", required=True)
    exp = csub.add_parser("export", help="print everything kept about a citizen as JSON")
    exp.add_argument("--id", type=int, required=True, dest="citizen_id")
    exp.add_argument("--output", help="write to this file instead of standard output")
    exp.set_defaults(func=run_export)
    era = csub.add_parser("erase", help="erase a citizen's identity and contact data "
                          "(tickets stay, anonymised, for statistics)")
    era.add_argument("--id", type=int, required=True, dest="citizen_id")
    era.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    era.set_defaults(func=run_erase)


def run_export(args: argparse.Namespace) -> int:
    """``pintu citizens export``."""
    settings = load_settings(args.config)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            return asyncio.run(export(settings, args.citizen_id, out))
    return asyncio.run(export(settings, args.citizen_id, sys.stdout))


def run_erase(args: argparse.Namespace) -> int:
    """``pintu citizens erase``."""
    settings = load_settings(args.config)
    if not args.yes:
        answer = input(f"Erase citizen {args.citizen_id}'s personal data for good? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "ya"):
            print("nothing erased", file=sys.stderr)
            return 1
    return asyncio.run(erase(settings, args.citizen_id, sys.stdout))


async def export(settings: Settings, citizen_id: int, out: TextIO) -> int:
    """Write the export; 0, or 2 when there is no such citizen."""
    from bot.app import build_runtime
    from bot.core.runtime import NluHolder
    from bot.privacy.rights import NoSuchCitizen, export_citizen

    rt = await build_runtime(settings, nlu=NluHolder(None, None))  # type: ignore[arg-type]
    try:
        data = await export_citizen(rt, citizen_id, via="cli")
    except NoSuchCitizen:
        print(f"pintu: no citizen with id {citizen_id}", file=sys.stderr)
        return 2
    finally:
        await rt.engine.dispose()
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


async def erase(settings: Settings, citizen_id: int, out: TextIO) -> int:
    """Erase; prints what changed; 0, or 2 when there is no such citizen."""
    from bot.app import build_runtime
    from bot.core.runtime import NluHolder
    from bot.privacy.rights import NoSuchCitizen, erase_citizen

    rt = await build_runtime(settings, nlu=NluHolder(None, None))  # type: ignore[arg-type]
    try:
        counts = await erase_citizen(rt, citizen_id, via="cli")
    except NoSuchCitizen:
        print(f"pintu: no citizen with id {citizen_id}", file=sys.stderr)
        return 2
    finally:
        await rt.engine.dispose()
    print(f"erased citizen {citizen_id}: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
          file=out)
    return 0
