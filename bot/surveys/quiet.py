"""Which quiet conversations get a survey (pure): the citizen got an answer and went quiet.

A conversation is worth a survey when its last turns answered something: a
service's information (``last_standard``) or a ticket's status or filing
(``last_ticket``). When the citizen has sent nothing for
``surveys.offer_after_quiet_minutes`` after that, and no survey was ever offered
in that conversation, the sweep in :mod:`bot.surveys.offering` offers one once
(the usual offer rules, :func:`bot.surveys.offering.skip_reason`, still apply).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.conversation import dialogue as dlg
from storage.types import as_utc


@dataclass(frozen=True)
class QuietConversation:
    """An open conversation as the quiet sweep sees it.

    ``last_touched_at`` is when the conversation was last saved, i.e. the
    citizen's last turn and the bot's answer to it; ``surveyed`` whether a
    survey was ever offered in it.
    """

    conversation_id: int
    citizen_id: int
    channel: str
    mode: str
    last_standard: str | None
    last_ticket: str | None
    last_touched_at: datetime
    surveyed: bool


def quiet_row(conversation_id: int, citizen_id: int, channel: str, state: Mapping[str, Any],
              last_touched_at: datetime, surveyed: bool) -> QuietConversation:
    """The sweep's view of one conversation, from its stored dialogue state."""
    s = dlg.DialogueState.from_dict(dict(state or {}))
    return QuietConversation(conversation_id, citizen_id, channel, str(s.mode), s.last_standard,
                             s.last_ticket, last_touched_at, surveyed)


def worth_surveying(row: QuietConversation) -> bool:
    """Whether the conversation rests after an answer (information or a ticket's status)."""
    return row.mode == dlg.Mode.IDLE and bool(row.last_standard or row.last_ticket)


def due_for_offer(rows: Iterable[QuietConversation], now: datetime,
                  quiet_minutes: float) -> list[QuietConversation]:
    """The conversations to offer a survey in now, in the order given.

    Those worth surveying, never surveyed, untouched for at least
    ``quiet_minutes``; only the newest conversation of each citizen counts.
    ``quiet_minutes`` 0 (or less) turns the offer off.
    """
    if quiet_minutes <= 0:
        return []
    quiet = timedelta(minutes=quiet_minutes)
    newest: dict[int, QuietConversation] = {}
    for row in rows:
        kept = newest.get(row.citizen_id)
        if kept is None or row.conversation_id > kept.conversation_id:
            newest[row.citizen_id] = row
    return [r for r in newest.values()
            if not r.surveyed and worth_surveying(r)
            and as_utc(now) - as_utc(r.last_touched_at) >= quiet]
