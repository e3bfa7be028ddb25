"""A small SMTP client for officers' e-mail alerts (host and port from ``alerts.*``).

smtplib is blocking, so each send runs in a worker thread. Plain SMTP by default (a
local relay); STARTTLS and a login when configured.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage

from bot.core.settings import AlertSettings, secret_value


class MailError(RuntimeError):
    """The SMTP server refused the message or could not be reached."""


def build_message(sender: str, to: Sequence[str], subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def _send_sync(cfg: AlertSettings, msg: EmailMessage, timeout: float) -> None:
    assert cfg.smtp_host is not None
    try:
        with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=timeout) as smtp:
            if cfg.smtp_starttls:
                smtp.starttls()
            password = secret_value(cfg.smtp_password)
            if cfg.smtp_username and password:
                smtp.login(cfg.smtp_username, password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}") from exc


async def send_mail(cfg: AlertSettings, to: Sequence[str], subject: str, body: str, *,
                    socket_timeout: float = 10.0) -> None:
    """Send one message to ``to`` through the configured SMTP server."""
    if not cfg.smtp_host:
        raise MailError("alerts.smtp_host is not set")
    msg = build_message(cfg.mail_from, to, subject, body)
    await asyncio.to_thread(_send_sync, cfg, msg, socket_timeout)
