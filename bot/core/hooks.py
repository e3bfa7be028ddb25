"""Typed extension points: how one feature reacts to another's events.

The conversation service and the ticket lifecycle call these; surveys and the
NLU admin register on them in their feature's ``setup``. Each hook runs inside
the caller's transaction and must not commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: the kernel never imports a feature at run time
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.conversation.dialogue import DialogueState
    from channels.base import InboundMessage, OutboundMessage
    from nlu.types import NluResult
    from routing.catalog import ServiceStandard
    from storage.models import ChannelIdentity, Citizen, Conversation, Message, Ticket
    from storage.ports import Repositories


class TicketResolvedHook(Protocol):
    """Called inside the transaction that resolves a ticket."""

    async def __call__(self, session: AsyncSession, ticket: Ticket, /) -> None: ...


class CitizenMessageHook(Protocol):
    """Called for every stored citizen message, before the dialogue step, with the
    repositories of the turn's unit of work."""

    async def __call__(
        self, repos: Repositories, message: Message, nlu: NluResult | None,
        /,
    ) -> object: ...


class InfoAnsweredHook(Protocol):
    """Called after an information request was answered; returns extra replies."""

    async def __call__(
        self,
        session: AsyncSession,
        citizen: Citizen,
        conversation: Conversation,
        identity: ChannelIdentity,
        standard: ServiceStandard,
        state: DialogueState,
        /,
    ) -> list[OutboundMessage]: ...


class ConversationClosedHook(Protocol):
    """Called after a turn closed the conversation; returns extra replies."""

    async def __call__(
        self,
        session: AsyncSession,
        citizen: Citizen,
        conversation: Conversation,
        identity: ChannelIdentity,
        /,
    ) -> list[OutboundMessage]: ...


class SurveyInputHandler(Protocol):
    """Handles a message that answers the pending survey; returns the replies."""

    async def __call__(
        self,
        session: AsyncSession,
        citizen: Citizen,
        conversation: Conversation,
        identity: ChannelIdentity,
        inbound: InboundMessage,
        state: DialogueState,
        /,
    ) -> list[OutboundMessage]: ...


@dataclass
class Hooks:
    """Every hook a runtime carries, registered by the features' ``setup``."""

    on_ticket_resolved: list[TicketResolvedHook] = field(default_factory=list)
    on_citizen_message: list[CitizenMessageHook] = field(default_factory=list)
    on_info_answered: list[InfoAnsweredHook] = field(default_factory=list)
    on_conversation_closed: list[ConversationClosedHook] = field(default_factory=list)
    # Only one feature answers survey input; without it the dialogue leaves survey mode.
    survey_input: SurveyInputHandler | None = None
    # Features already set up on this runtime (tests share one runtime between apps).
    installed: set[str] = field(default_factory=set)

    def claim(self, feature: str) -> bool:
        """True the first time ``feature`` installs its hooks on this runtime, then False."""
        if feature in self.installed:
            return False
        self.installed.add(feature)
        return True
