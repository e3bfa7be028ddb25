"""The per-citizen flood limit: one sender cannot slow the bot for everyone else.

A citizen over ``limits.citizen_per_minute`` messages in a minute gets one
polite answer; the rest of that minute is stored (nothing a citizen sends is
lost, officers see it in the conversation) but skips the NLU and the dialogue.
The count is per process and per channel identity.
"""

from __future__ import annotations

import time

from bot.core.i18n import privacy_text
from bot.core.ratelimit import SlidingWindow
from bot.privacy.consent import Gate


class CitizenFlood:
    """Counts each sender's messages; says when one is over the limit."""

    def __init__(self, per_minute: int) -> None:
        self.window = SlidingWindow(per_minute)
        self._told_until: dict[str, float] = {}

    def check(self, channel: str, sender_id: str, now: float | None = None) -> bool | None:
        """None when allowed; True when over the limit and not told yet in this minute
        (answer politely); False when over and already told (stay quiet)."""
        now = time.monotonic() if now is None else now
        key = f"{channel}:{sender_id}"
        wait = self.window.hit(key, now)
        if not wait:
            return None
        if self._told_until.get(key, 0.0) > now:
            return False
        if len(self._told_until) > 10_000:
            self._told_until = {k: v for k, v in self._told_until.items() if v > now}
        self._told_until[key] = now + wait
        return True


def flood_gate(tell: bool, lang: str | None) -> Gate:
    """The dialogue is skipped; the polite answer is given once per minute."""
    return Gate([(privacy_text("too_many", lang), ())] if tell else [], stop=True)
