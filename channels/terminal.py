"""The terminal channel of ``pintu chat``: buttons become numbered text."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TextIO

from channels.base import OutboundMessage, ParsedWebhook, SendResult, numbered_text


def render_terminal(message: OutboundMessage) -> str:
    """A message as terminal text, choices numbered."""
    return numbered_text(message, message.metadata.get("numbered_hint"))


class TerminalAdapter:
    """Prints messages for the person at the terminal."""

    name = "terminal"

    def __init__(self, out: TextIO | None = None, prefix: str = "pintu> ") -> None:
        self.out = out or sys.stdout
        self.prefix = prefix

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Local input needs no verification."""
        return None

    def parse(self, body: bytes) -> ParsedWebhook:
        """The terminal has no webhook."""
        return ParsedWebhook()

    def show(self, message: OutboundMessage) -> None:
        """Print one message."""
        lines = render_terminal(message).splitlines() or [""]
        print(self.prefix + lines[0], file=self.out)
        for line in lines[1:]:
            print(" " * len(self.prefix) + line, file=self.out)
        self.out.flush()

    async def send(self, message: OutboundMessage) -> SendResult:
        """Print a message that arrived later (an officer's reply)."""
        self.show(message)
        return SendResult()
