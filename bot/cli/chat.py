"""``pintu chat``: talk to the bot in the terminal (the same pipeline as every channel)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TextIO

from bot.app.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pintu chat``."""
    p = sub.add_parser("chat", help="chat with the bot in this terminal")
    p.add_argument("--sender", help="your citizen id on the terminal channel (default: login name)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read lines from standard input until end of input or "/quit"."""
    settings = load_settings(args.config)
    sender = args.sender or getpass.getuser()
    return asyncio.run(chat_loop(settings, sender, sys.stdin, sys.stdout))


async def chat_loop(settings: object, sender: str, stdin: TextIO, stdout: TextIO) -> int:
    """The terminal chat: each line is a citizen message; replies are printed numbered."""
    from bot.app import build_runtime
    from bot.app.settings import Settings
    from bot.conversation.service import ConversationService
    from bot.delivery.worker import OutboxWorker
    from channels.base import InboundMessage
    from channels.terminal import TerminalAdapter

    assert isinstance(settings, Settings)
    terminal = TerminalAdapter(stdout)
    rt = await build_runtime(settings)
    rt.adapters["terminal"] = terminal
    service = ConversationService(rt)
    worker = OutboxWorker(rt)
    interactive = stdin.isatty()
    print("Pintu — ketik pesan Anda (type your message); /quit untuk keluar.", file=stdout)
    loop = asyncio.get_running_loop()
    counter = 0
    try:
        while True:
            if interactive:
                print("anda> ", end="", file=stdout, flush=True)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            text = line.strip()
            if text in ("/quit", "/exit"):
                break
            if not text:
                await worker.run_once()
                continue
            counter += 1
            result = await service.handle(
                InboundMessage(
                    channel="terminal",
                    sender_id=sender,
                    text=text,
                    payload=text if text.startswith("/") else None,
                ),
                inline=True,
            )
            for reply in result.replies:
                terminal.show(reply)
            # Messages that came later (an officer's reply) are printed too.
            await worker.run_once()
    finally:
        await rt.engine.dispose()
    return 0
