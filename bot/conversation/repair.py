"""Dialogue repair: what keeps a half-told report intact when the citizen deviates.

* a button that does not belong to the question being asked (an old "Kirim"
  tapped while the bot asks where) is never stored as text: the question is
  asked again (:func:`belongs`, :func:`looks_like_payload`);
* "Ubah" asks *what* to change (the description, the place or the topic, the
  topic offered as buttons of the likely categories) and keeps the rest
  (:func:`edit_request`);
* short answers that mean "send" in chat ("yoi kirim", "gas") send (:func:`is_send`).

Pure functions; :mod:`bot.conversation.dialogue` calls them from its report
handlers and turns their answers into actions (this module never imports it).
"""

from __future__ import annotations

import re
from typing import Protocol

from bot.core.i18n import category_label
from bot.core.i18n.chat import chat_text as r
from channels.base import Button
from routing.categories import CATEGORY_KEYS, TRIAGE_CATEGORY


class EditableDraft(Protocol):
    """The parts of the dialogue's draft report that editing reads and changes."""

    description: str
    category: str | None
    category_confidence: float | None
    region_code: str | None
    region_name: str | None
    location_text: str | None
    latitude: float | None
    longitude: float | None
    editing: str | None
    topics: list[str]


P_EDIT = "/edit"
P_EDIT_DESCRIPTION = "/edit_description"
P_EDIT_PLACE = "/edit_place"
P_EDIT_TOPIC = "/edit_topic"
#: "/topic <category>": the citizen picks the report's topic.
P_TOPIC = "/topic"
#: "/place <wilayah code>": the citizen picks one of several places a name may mean.
P_PLACE = "/place"

#: What the citizen may be editing (``DraftReport.editing``).
EDIT_DESCRIPTION = "description"
EDIT_PLACE = "place"
#: The other answers of :func:`edit_request`.
EDIT_ASK = "ask"
EDIT_TOPIC_MENU = "topic_menu"
EDIT_TOPIC_SET = "topic_set"
_EDIT_WORDS = frozenset({"ubah", "edit", "ganti", "koreksi", "change", "perbaiki"})

# Categories offered when the NLU gave no ranking (the most common topics first).
_COMMON_TOPICS = ("infrastructure", "water_supply", "environment", "public_order", "health",
                  "population_registry", "social_assistance", "transport")
_MAX_TOPICS = 5
# Buttons of other channels that may arrive as plain text (REST, terminal).
_PAYLOAD_TEXT = re.compile(r"^(/[a-z_]+(\s+\S+)?|skm:[a-z_]+:\w+)$")
_SEND_WORDS = frozenset({"kirim", "kirimkan", "send", "submit", "gas", "gass", "yoi", "oce",
                         "okee", "okeh", "sipp", "lanjutkan", "proses", "ajukan"})
_NOT_WORDS = frozenset({"jangan", "belum", "tidak", "tdk", "gak", "ga", "nggak", "no", "don't",
                        "dont", "not"})


def looks_like_payload(text: str) -> bool:
    """Whether typed text is really a button payload ("/confirm", "skm:cost:4")."""
    return bool(_PAYLOAD_TEXT.match(text.strip()))


def _command(payload: str) -> str:
    return payload.split(" ", 1)[0]


def belongs(payload: str, mode: str) -> bool:
    """Whether a button payload answers the question the dialogue asks in ``mode``."""
    command = _command(payload)
    if mode == "confirming":
        return command in ("/confirm", "/confirm_confidential", "/confirm_open", "/edit",
                           P_EDIT_DESCRIPTION,
                           P_EDIT_PLACE, P_EDIT_TOPIC, P_TOPIC)
    if mode == "awaiting_where":
        return command == P_PLACE
    if mode == "me_too":
        return command in ("/join", "/new_report", "/edit", P_EDIT_DESCRIPTION, P_EDIT_PLACE,
                           P_EDIT_TOPIC, P_TOPIC)
    return False


def is_send(text: str) -> bool:
    """A short "send it" in chat words ("yoi kirim", "gas min", "send it")."""
    words = re.findall(r"[\w']+", text.lower())
    return 0 < len(words) <= 4 and bool(set(words) & _SEND_WORDS) and not (
        set(words) & _NOT_WORDS)


def edit_buttons(lang: str) -> tuple[Button, ...]:
    """What can be changed in a report."""
    return (
        Button(r("btn_edit_description", lang), P_EDIT_DESCRIPTION),
        Button(r("btn_edit_place", lang), P_EDIT_PLACE),
        Button(r("btn_edit_topic", lang), P_EDIT_TOPIC),
    )


def likely_topics(draft: EditableDraft) -> list[str]:
    """The categories to offer for the report: the NLU's ranking, the current one first."""
    topics: list[str] = []
    for cat in [draft.category or "", *draft.topics, *_COMMON_TOPICS]:
        if cat in CATEGORY_KEYS and cat != TRIAGE_CATEGORY and cat not in topics:
            topics.append(cat)
    return topics[:_MAX_TOPICS]


def topic_buttons(draft: EditableDraft, lang: str) -> tuple[Button, ...]:
    """The likely topics as buttons, plus "other" (an officer sorts it)."""
    cats = [*likely_topics(draft), TRIAGE_CATEGORY]
    return tuple(Button(category_label(c, lang)[:40], f"{P_TOPIC} {c}") for c in cats)


def edit_request(payload: str | None, text: str, draft: EditableDraft) -> str | None:
    """confirming: what an edit button (or "ubah" typed) asks for: :data:`EDIT_ASK`,
    :data:`EDIT_DESCRIPTION`, :data:`EDIT_PLACE`, :data:`EDIT_TOPIC_MENU`, or
    :data:`EDIT_TOPIC_SET` once a picked topic is in the draft; None when it is no edit."""
    if payload is None and text.strip().lower() in _EDIT_WORDS:
        payload = P_EDIT
    if payload == P_EDIT:
        return EDIT_ASK
    if payload == P_EDIT_DESCRIPTION:
        draft.editing = EDIT_DESCRIPTION
        return EDIT_DESCRIPTION
    if payload == P_EDIT_PLACE:
        draft.editing = EDIT_PLACE
        return EDIT_PLACE
    if payload == P_EDIT_TOPIC:
        return EDIT_TOPIC_MENU
    if payload is not None and _command(payload) == P_TOPIC:
        chosen = payload.split(" ", 1)[1].strip() if " " in payload else ""
        if chosen in CATEGORY_KEYS:
            # The citizen's own choice: routed as sure, not as an NLU guess.
            draft.category, draft.category_confidence = chosen, 1.0
        return EDIT_TOPIC_SET
    return None


def replace_description(draft: EditableDraft, text: str) -> None:
    """An edited description replaces the old one; topic and place stay as they were."""
    draft.description = text
    draft.editing = None


def clear_place(draft: EditableDraft) -> None:
    """Forget the place before an edited one is read (a shared pin too)."""
    draft.region_code = draft.region_name = draft.location_text = None
    draft.latitude = draft.longitude = None
    draft.editing = None
