"""The privacy notice with consent at a citizen's first contact on each channel.

:func:`consent_gate` runs in the conversation service before the dialogue: the
first message on a channel gets the notice (with "agree" / "do not agree"
buttons) ahead of the usual answer; the buttons (or typing "setuju" / "I
agree") record the citizen's choice on the citizen (``privacy_consent``); a
citizen who declined is told so and their messages are kept but not passed to
the dialogue or officers until they agree. :func:`notice_message` is the
notice alone, for other features (the ``/start`` welcome).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.i18n import privacy_notice, privacy_text
from bot.core.settings import CoreSettings
from channels.base import Button, InboundMessage
from storage.models import ChannelIdentity, Citizen

AGREE = "/privacy_agree"
DECLINE = "/privacy_decline"
AGREE_WORDS = frozenset({"setuju", "saya setuju", "i agree", "agree", "ya setuju"})
NOTICE_KEY = "privacy_notice_at"  # in channel_identities.extra: when the notice was shown


@dataclass
class Gate:
    """What the consent step says, and whether the dialogue is skipped this turn."""

    replies: list[tuple[str, tuple[Button, ...]]] = field(default_factory=list)
    stop: bool = False


def notice_buttons(lang: str | None) -> tuple[Button, ...]:
    """The agree / do-not-agree buttons under the notice."""
    return (Button(privacy_text("consent_agree", lang), AGREE),
            Button(privacy_text("consent_decline", lang), DECLINE))


def notice_message(settings: CoreSettings, lang: str | None) -> tuple[str, tuple[Button, ...]]:
    """The privacy notice and its buttons (reusable, e.g. by a welcome message)."""
    return privacy_notice(lang, settings.privacy.retention_days), notice_buttons(lang)


def needs_notice(settings: CoreSettings, identity: ChannelIdentity) -> bool:
    """Whether this channel identity has not been shown the notice yet."""
    return settings.privacy.notice and not (identity.extra or {}).get(NOTICE_KEY)


def mark_noticed(identity: ChannelIdentity, now: datetime) -> None:
    """Remember that the notice was shown on this channel (a new dict: JSON is replaced)."""
    identity.extra = {**(identity.extra or {}), NOTICE_KEY: now.isoformat()}


def consent_gate(settings: CoreSettings, citizen: Citizen, identity: ChannelIdentity,
                 inbound: InboundMessage, lang: str | None, now: datetime) -> Gate:
    """The consent step for one incoming message (see the module)."""
    if not settings.privacy.notice:
        return Gate()
    word = inbound.text.strip().casefold().rstrip(".!")
    if inbound.payload == AGREE or (citizen.privacy_consent == "declined"
                                    and word in AGREE_WORDS):
        citizen.privacy_consent, citizen.privacy_consent_at = "given", now
        mark_noticed(identity, now)
        return Gate([(privacy_text("consent_thanks", lang), ())], stop=True)
    if inbound.payload == DECLINE:
        citizen.privacy_consent, citizen.privacy_consent_at = "declined", now
        mark_noticed(identity, now)
        return Gate([(privacy_text("consent_declined", lang), ())], stop=True)
    if citizen.privacy_consent == "declined":
        return Gate([(privacy_text("consent_declined", lang), notice_buttons(lang)[:1])],
                    stop=True)
    if needs_notice(settings, identity):
        mark_noticed(identity, now)
        return Gate([notice_message(settings, lang)])
    return Gate()
