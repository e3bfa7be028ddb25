"""Other problems a citizen raised in the written report behind a ticket (issue 11).

The NLU keeps, beside a long report's main category, the categories of other
clear topics in it (``secondary_categories`` in the message's stored parse).
The ticket page shows them so the officer sees the whole report at a glance.
"""

from __future__ import annotations

from collections.abc import Iterable

from storage.models import Message, Ticket


def secondary_categories(ticket: Ticket, messages: Iterable[Message | None]) -> list[str]:
    """The other categories the NLU read in the citizen's messages that make up the
    ticket's description, in order, once each, without the ticket's own category.

    A message counts when it came from the citizen and its text is part of the
    description (the draft is built from those texts; the messages carrying
    secondary categories are long written reports, so this does not match by chance).
    """
    description = ticket.description or ""
    found: list[str] = []
    for m in messages:
        if m is None or m.direction != "in" or not (m.text or "").strip():
            continue
        labels = (m.nlu or {}).get("secondary_categories") or []
        if not labels or m.text.strip() not in description:
            continue
        for label in labels:
            if isinstance(label, str) and label != ticket.category and label not in found:
                found.append(label)
    return found
