"""Answers to the intents admins added (issue 17), in the citizen's language.

The dialogue says *that* an admin's intent was read (``AnswerCustomIntent``);
this module turns the stored intent into what the citizen sees: the answer in
their language (the other language when it has only one) and its buttons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from channels.base import Button
from storage.models import CustomIntent

#: What the bot does with an admin's intent: answer it (default) or hand over.
KINDS = ("answer", "human_agent")


@dataclass(frozen=True)
class CustomAnswer:
    """The text and buttons of one custom intent's answer in one language."""

    text: str
    buttons: tuple[Button, ...] = ()


def _pick(first: str, second: str) -> str:
    return first.strip() or second.strip()


def button_title(button: Mapping[str, Any], lang: str) -> str:
    """A stored button's title in ``lang`` (the other language when missing)."""
    title_id = str(button.get("title_id") or button.get("title") or "")
    title_en = str(button.get("title_en") or "")
    return _pick(title_en, title_id) if lang == "en" else _pick(title_id, title_en)


def custom_answer(intent: CustomIntent, lang: str) -> CustomAnswer | None:
    """The answer to show for ``intent`` in ``lang``; None when it has no text yet."""
    text = _pick(intent.answer_en, intent.answer_id) if lang == "en" else _pick(
        intent.answer_id, intent.answer_en)
    if not text:
        return None
    buttons = []
    for raw in intent.buttons or []:
        if not isinstance(raw, Mapping):
            continue
        title, payload = button_title(raw, lang), str(raw.get("payload") or "").strip()
        if title and payload:
            buttons.append(Button(title[:60], payload))
    return CustomAnswer(text, tuple(buttons))
