"""Async repositories over one ``AsyncSession``. They flush but never commit:
the service that owns the unit of work commits.

:class:`SqlRepositories` bundles them over one session; it is the SQL
implementation of :class:`storage.ports.Repositories`, and
:func:`sql_repositories` is the default ``Runtime.repositories``.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories.cases import CaseRepository
from storage.repositories.citizens import CitizenRepository, ConversationRepository
from storage.repositories.me_too import JoinerRepository
from storage.repositories.messages import InboundPayloadRepository, MessageRepository
from storage.repositories.nlu import (
    ModelVersionRepository,
    ReviewRepository,
    TrainingExampleRepository,
)
from storage.repositories.nlu_custom import CustomIntentRepository, RasaItemRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.privacy import PrivacyRepository
from storage.repositories.staff import AuditRepository, InboxRepository, StaffRepository
from storage.repositories.survey_report import SurveyReportRepository
from storage.repositories.surveys import SurveyRepository
from storage.repositories.tickets import ServiceUnitRepository, TicketRepository
from storage.repositories.turns import TurnRepository

if TYPE_CHECKING:
    # Only for typing: storage.ports imports the filters from this package's modules.
    from storage.ports import Repositories


class SqlRepositories:
    """The SQL repositories over one session, each built on first use.

    Building this costs nothing and runs no statement; a repository is only a
    holder of the session, so asking twice returns the same one.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @cached_property
    def citizens(self) -> CitizenRepository:
        """Citizens and their channel identities."""
        return CitizenRepository(self.session)

    @cached_property
    def conversations(self) -> ConversationRepository:
        """Dialogues and their state."""
        return ConversationRepository(self.session)

    @cached_property
    def messages(self) -> MessageRepository:
        """Messages in and out."""
        return MessageRepository(self.session)

    @cached_property
    def payloads(self) -> InboundPayloadRepository:
        """Raw webhook bodies."""
        return InboundPayloadRepository(self.session)

    @cached_property
    def tickets(self) -> TicketRepository:
        """Tickets and their history."""
        return TicketRepository(self.session)

    @cached_property
    def units(self) -> ServiceUnitRepository:
        """The catalog's units as stored."""
        return ServiceUnitRepository(self.session)

    @cached_property
    def outbox(self) -> OutboxRepository:
        """Messages waiting to be delivered."""
        return OutboxRepository(self.session)

    @cached_property
    def surveys(self) -> SurveyRepository:
        """Satisfaction surveys and answers."""
        return SurveyRepository(self.session)

    @cached_property
    def staff(self) -> StaffRepository:
        """Staff users and their sessions."""
        return StaffRepository(self.session)

    @cached_property
    def audit(self) -> AuditRepository:
        """The audit trail."""
        return AuditRepository(self.session)

    @cached_property
    def inbox(self) -> InboxRepository:
        """Tickets as a staff viewer may see them."""
        return InboxRepository(self.session)

    @cached_property
    def examples(self) -> TrainingExampleRepository:
        """NLU training examples."""
        return TrainingExampleRepository(self.session)

    @cached_property
    def reviews(self) -> ReviewRepository:
        """The NLU review queue."""
        return ReviewRepository(self.session)

    @cached_property
    def versions(self) -> ModelVersionRepository:
        """Trained NLU model versions."""
        return ModelVersionRepository(self.session)

    @cached_property
    def privacy(self) -> PrivacyRepository:
        """A citizen's personal data: export, erasure, retention."""
        return PrivacyRepository(self.session)

    @cached_property
    def cases(self) -> CaseRepository:
        """Case handling: clocks, compliance, breaches."""
        return CaseRepository(self.session)

    @cached_property
    def survey_report(self) -> SurveyReportRepository:
        """IKM report tallies aggregated in SQL."""
        return SurveyReportRepository(self.session)

    @cached_property
    def turns(self) -> TurnRepository:
        """A citizen turn's lock, load and writes (the conversation service's hot path)."""
        return TurnRepository(self.session)

    @cached_property
    def custom_intents(self) -> CustomIntentRepository:
        """Intents admins added, with their answers."""
        return CustomIntentRepository(self.session)

    @cached_property
    def rasa_items(self) -> RasaItemRepository:
        """Rasa training data kept for the export."""
        return RasaItemRepository(self.session)

    @cached_property
    def joiners(self) -> JoinerRepository:
        """"Saya juga": ticket joiners and the candidates for joining."""
        return JoinerRepository(self.session)


def sql_repositories(session: AsyncSession) -> Repositories:
    """The SQL repositories over ``session`` (the default ``Runtime.repositories``)."""
    return SqlRepositories(session)


if TYPE_CHECKING:  # mypy proves the bundle implements the port

    def _conforms(s: AsyncSession) -> None:
        _r: Repositories = SqlRepositories(s)
