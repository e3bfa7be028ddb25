"""A fake SMTP server on a local port, for e-mail tests: it speaks enough SMTP (EHLO/HELO,
MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) for smtplib, and keeps each
message received with its envelope."""

from __future__ import annotations

import asyncio
import email
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default


@dataclass
class Received:
    """One message as delivered: envelope sender, recipients and the parsed message."""

    mail_from: str
    rcpt_to: list[str]
    message: EmailMessage


@dataclass
class FakeSmtp:
    """The server's state: messages received, and a switch to refuse them."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    refuse: bool = False

    async def _session(self, reader: asyncio.StreamReader,
                       writer: asyncio.StreamWriter) -> None:
        def say(text: str) -> None:
            writer.write(text.encode() + b"\r\n")

        say("220 fake.smtp ESMTP ready")
        sender, rcpts, lines, in_data = "", [], [], False
        while line := await reader.readline():
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    msg = email.message_from_bytes(b"".join(lines), policy=default)
                    assert isinstance(msg, EmailMessage)
                    self.received.append(Received(sender, rcpts, msg))
                    sender, rcpts, lines, in_data = "", [], [], False
                    say("250 2.0.0 queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].decode("ascii", "replace").upper()
            arg = line[4:].decode("utf-8", "replace").strip()
            if verb == "EHLO":
                say("250-fake.smtp")
                say("250 8BITMIME")
            elif verb == "HELO":
                say("250 fake.smtp")
            elif verb == "MAIL":
                if self.refuse:
                    say("550 5.7.1 refused")
                else:
                    sender = arg.split(":", 1)[1].strip().strip("<>")
                    say("250 2.1.0 ok")
            elif verb == "RCPT":
                rcpts.append(arg.split(":", 1)[1].strip().strip("<>"))
                say("250 2.1.5 ok")
            elif verb == "DATA":
                in_data = True
                say("354 end with <CRLF>.<CRLF>")
            elif verb == "QUIT":
                say("221 2.0.0 bye")
                await writer.drain()
                break
            else:  # RSET, NOOP
                say("250 2.0.0 ok")
            await writer.drain()
        writer.close()


@asynccontextmanager
async def fake_smtp() -> AsyncIterator[FakeSmtp]:
    """A running fake SMTP server on 127.0.0.1 (its port in ``.port``)."""
    fake = FakeSmtp()
    server = await asyncio.start_server(fake._session, "127.0.0.1", 0)
    fake.port = server.sockets[0].getsockname()[1]
    async with server:
        yield fake
