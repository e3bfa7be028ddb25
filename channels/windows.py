"""Customer-service windows: how long after the citizen's last message a channel
accepts free-form messages from the bot (outside it, only approved templates)."""

from __future__ import annotations

from datetime import timedelta

from channels import whatsapp

REPLY_WINDOWS: dict[str, timedelta] = {whatsapp.CHANNEL: whatsapp.SERVICE_WINDOW}


def reply_window(channel: str) -> timedelta | None:
    """The channel's window, or None when the bot may write at any time."""
    return REPLY_WINDOWS.get(channel)
