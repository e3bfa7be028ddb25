"""The repository ports the features and the web edge depend on.

Each Protocol states what the conversation service, the ticket lifecycle, the
staff console, the NLU admin and the outbox worker need from storage; the
SQLAlchemy repositories in ``storage/repositories`` implement them (checked by
mypy below). :class:`Repositories` bundles one of each over a unit of work;
``Runtime.repositories`` hands it out. Another storage engine plugs in by
implementing the same ports.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from storage.models import (
    AuditLog,
    ChannelIdentity,
    Citizen,
    Conversation,
    ConversationHold,
    CustomIntent,
    InboundPayload,
    LowRatingFollowUp,
    MediaFile,
    Message,
    NluModelVersion,
    NluReviewItem,
    Open311Client,
    OutboxMessage,
    RasaItem,
    ServiceUnit,
    StaffSession,
    StaffUser,
    Survey,
    SurveyResponse,
    Ticket,
    TicketEvent,
    TicketJoiner,
    TrainingExample,
)
from storage.repositories.me_too import CandidateQuery
from storage.repositories.nlu import ExampleFilter
from storage.repositories.survey_report import IkmTallies
from storage.repositories.tickets import ServiceTicketCounts, TicketFilter
from storage.repositories.turns import LoadedTurn


class CitizenRepositoryPort(Protocol):
    """Citizens and the channel identities they write from."""

    async def get(self, citizen_id: int) -> Citizen | None: ...

    async def identify(self, channel: str, external_id: str, *, reply_address: str,
                       display_name: str | None = None, language: str | None = None,
                       extra: dict[str, Any] | None = None,
                       seen_at: datetime | None = None) -> tuple[Citizen, ChannelIdentity]: ...

    async def last_identity(self, citizen_id: int) -> ChannelIdentity | None: ...

    async def identity(self, channel: str, external_id: str) -> ChannelIdentity | None: ...

    async def by_phone(self, phone: str) -> Citizen | None: ...

    async def identity_on(self, citizen_id: int, channel: str) -> ChannelIdentity | None: ...

    async def channels(self, citizen_id: int) -> list[str]: ...

    async def merge(self, source_id: int, target_id: int) -> None: ...


class ConversationRepositoryPort(Protocol):
    """The citizen's current dialogue and its state."""

    async def get(self, conversation_id: int) -> Conversation | None: ...

    async def current(self, citizen_id: int) -> Conversation | None: ...

    async def start(self, citizen_id: int, channel: str,
                    state: dict[str, Any]) -> Conversation: ...

    async def save_state(self, conv: Conversation, state: dict[str, Any], *, channel: str,
                         closed: bool = False) -> None: ...

    async def open_untouched(self, since: datetime, until: datetime,
                             limit: int = 500) -> Sequence[Conversation]: ...


class MessageRepositoryPort(Protocol):
    """Messages in and out."""

    async def by_provider_id(self, channel: str, direction: str,
                             provider_message_id: str) -> Message | None: ...

    async def add(self, **fields: Any) -> Message: ...

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> list[Message]: ...

    async def insert(self, fields: dict[str, Any]) -> int: ...

    async def insert_many(self, rows: Sequence[dict[str, Any]]) -> list[int]: ...

    async def set_ticket(self, message_id: int, ticket_id: int) -> None: ...

    async def replies_to(self, message_id: int) -> Sequence[Message]: ...

    async def for_citizen(self, citizen_id: int, *, limit: int = 200,
                          after_id: int | None = None) -> Sequence[Message]: ...

    async def for_ticket(self, ticket_id: int) -> Sequence[Message]: ...

    async def latest_bot_texts(self, citizen_id: int, limit: int) -> Sequence[str]: ...

    async def attach_to_ticket(self, message_ids: Sequence[int], ticket_id: int) -> None: ...


class InboundPayloadRepositoryPort(Protocol):
    """Raw webhook bodies, kept before anything else happens."""

    async def add(self, channel: str, body: str, headers: dict[str, Any]) -> InboundPayload: ...

    async def add_id(self, channel: str, body: str, headers: dict[str, Any],
                     status: str = "received", error: str | None = None) -> int: ...

    async def mark(self, payload_id: int, status: str, error: str | None = None) -> None: ...

    async def by_status(self, status: str, limit: int = 100) -> Sequence[InboundPayload]: ...


class TicketRepositoryPort(Protocol):
    """Tickets, their numbers and their history."""

    async def next_number(self, prefix: str, year: int) -> str: ...

    async def add(self, ticket: Ticket) -> Ticket: ...

    async def by_number(self, number: str) -> Ticket | None: ...

    async def get(self, ticket_id: int) -> Ticket | None: ...

    async def recent_for_citizen(self, citizen_id: int, limit: int = 5, *,
                                 joined: bool = False) -> Sequence[Ticket]: ...

    async def search(self, flt: TicketFilter,
                     now: datetime | None = None) -> Sequence[Ticket]: ...

    async def overdue(self, now: datetime) -> Sequence[Ticket]: ...

    async def has_open_for_conversation(self, conversation_id: int) -> bool: ...

    async def resolved_before(self, cutoff: datetime) -> Sequence[Ticket]: ...

    async def add_event(self, ticket: Ticket, kind: str, *, actor_type: str,
                        actor_id: str | None = None, **fields: Any) -> TicketEvent: ...

    async def events(self, ticket_id: int) -> Sequence[TicketEvent]: ...

    async def service_counts(self) -> dict[str, ServiceTicketCounts]: ...


class ServiceUnitRepositoryPort(Protocol):
    """The catalog's units, mirrored so tickets and staff can reference them."""

    async def sync(self, units: Iterable[dict[str, Any]]) -> None: ...

    async def get(self, unit_id: str) -> ServiceUnit | None: ...


class StaffRepositoryPort(Protocol):
    """Officers, supervisors and admins, and their sign-in sessions."""

    async def by_username(self, username: str) -> StaffUser | None: ...

    async def get(self, user_id: int) -> StaffUser | None: ...

    async def add(self, user: StaffUser) -> StaffUser: ...

    async def all(self) -> Sequence[StaffUser]: ...

    async def add_session(self, row: StaffSession) -> StaffSession: ...

    async def live_session(self, token_hash: str, kind: str,
                           now: datetime) -> tuple[StaffSession, StaffUser] | None: ...

    async def revoke(self, token_hash: str) -> bool: ...

    async def revoke_all(self, user_id: int) -> None: ...


class AuditRepositoryPort(Protocol):
    """The audit trail: every staff action, and failed sign-ins."""

    async def add(self, action: str, *, actor_user_id: int | None, target_type: str | None = None,
                  target_id: str | None = None, data: dict[str, Any] | None = None,
                  ip: str | None = None, now: datetime | None = None) -> AuditLog: ...

    async def count(self, action: str, *, target_type: str, target_id: str,
                    since: datetime) -> int: ...

    async def count_matching(self, action: str, *, since: datetime,
                             target_type: str | None = None, target_id: str | None = None,
                             ip: str | None = None, actor_user_id: int | None = None
                             ) -> int: ...

    async def recent(self, *, actor_user_id: int | None = None, action: str | None = None,
                     limit: int = 100) -> Sequence[AuditLog]: ...


class InboxRepositoryPort(Protocol):
    """The staff inbox: tickets as a viewer limited to some units may see them."""

    async def search(self, flt: TicketFilter, now: datetime | None = None) -> Sequence[Ticket]: ...

    async def visible_numbers_for_citizen(self, citizen_id: int,
                                          unit_ids: tuple[str, ...] | None) -> Sequence[str]: ...

    async def visible_ids(self, ticket_ids: Sequence[int],
                          unit_ids: tuple[str, ...] | None) -> set[int]: ...


class OutboxRepositoryPort(Protocol):
    """Messages waiting to be delivered."""

    async def enqueue(self, *, channel: str, recipient_id: str, payload: dict[str, Any],
                      status: str = "pending", citizen_id: int | None = None,
                      message_id: int | None = None) -> OutboxMessage: ...

    async def enqueue_many(self, rows: Sequence[dict[str, Any]]) -> None: ...

    async def due(self, channels: Collection[str], now: datetime, limit: int) -> Sequence[int]: ...

    async def get(self, outbox_id: int) -> OutboxMessage | None: ...

    async def held_for(self, channel: str, recipient_id: str) -> Sequence[OutboxMessage]: ...

    async def by_provider_id(self, channel: str,
                             provider_message_id: str) -> OutboxMessage | None: ...

    async def claim(self, outbox_id: int, channels: Collection[str], now: datetime,
                    owner: str | None = None) -> bool: ...

    async def sending_owners(self) -> Sequence[tuple[int, str | None]]: ...

    async def requeue(self, outbox_ids: Collection[int], now: datetime) -> int: ...

    async def release(self, outbox_id: int, now: datetime) -> bool: ...

    async def requeue_stuck(self, cutoff: datetime, now: datetime) -> int: ...


@dataclass(frozen=True)


class ClaimedSend:
    """An outbox row taken for sending: what to send, and how often it was tried."""

    outbox_id: int
    channel: str
    payload: dict[str, Any]
    attempts: int


class DeliveryQueue(Protocol):
    """The delivery worker's port: the outbox seen as a queue.

    Each call is its own unit of work (the worker sends outside any
    transaction). Implemented over the database by
    :class:`storage.delivery_queue.SqlDeliveryQueue` and in memory by
    :class:`storage.memory.MemoryDeliveryQueue` (the twin fast tests use);
    each of those modules proves its conformance to mypy.
    """

    async def due(self, channels: Collection[str], now: datetime, limit: int) -> Sequence[int]:
        """Ids due now on ``channels``, oldest first, one per recipient (order kept)."""
        ...

    async def claim(self, outbox_id: int, channels: Collection[str],
                    now: datetime, owner: str | None = None) -> ClaimedSend | None:
        """Take a pending row for sending (pending -> sending); None if it is not there."""
        ...

    async def claim_due(self, channels: Collection[str], now: datetime,
                        limit: int, owner: str | None = None) -> Sequence[ClaimedSend]:
        """Take up to ``limit`` due rows for sending at once (oldest first, at most one
        per recipient); processes claiming together take different rows."""
        ...

    async def release(self, outbox_id: int, now: datetime) -> None:
        """Hand a claimed row back (sending -> pending), no attempt counted."""
        ...

    async def record_sent(self, outbox_id: int, provider_message_id: str | None,
                          now: datetime) -> None:
        """The provider accepted the message."""
        ...

    async def record_failure(self, outbox_id: int, error: str, now: datetime,
                             retry_at: datetime | None) -> None:
        """An attempt failed: try again at ``retry_at``, or never (None: failed for good)."""
        ...

    async def requeue_orphans(self, is_orphan: Callable[[str | None], bool],
                              now: datetime) -> int:
        """Put 'sending' rows whose claiming worker ``is_orphan`` back in the queue at once;
        how many."""
        ...

    async def requeue_stuck(self, cutoff: datetime, now: datetime) -> int:
        """Put rows 'sending' since before ``cutoff`` back in the queue; how many."""
        ...


class SurveyReportRepositoryPort(Protocol):
    """IKM report tallies aggregated in the database."""

    async def ikm_tallies(self, *, elements: Sequence[str], period: str, offset: timedelta,
                          unit_ids: Sequence[str] | None = None, since: datetime | None = None,
                          until: datetime | None = None,
                          channel: str | None = None) -> IkmTallies: ...

    async def answer_tallies(self, *, elements: Sequence[str], period: str, offset: timedelta,
                             unit_ids: Sequence[str] | None = None,
                             since: datetime | None = None, until: datetime | None = None,
                             channel: str | None = None) -> IkmTallies: ...

    async def rebuild_daily_totals(self) -> int: ...


class SurveyRepositoryPort(Protocol):
    """Satisfaction surveys and their answers."""

    async def add(self, survey: Survey) -> Survey: ...

    async def get(self, survey_id: int) -> Survey | None: ...

    async def has_pending(self, citizen_id: int, now: datetime) -> bool: ...

    async def last_answered_at(self, citizen_id: int) -> datetime | None: ...

    async def exists_for_ticket(self, ticket_id: int,
                                citizen_id: int | None = None) -> bool: ...

    async def exists_for_conversation(self, conversation_id: int | None) -> bool: ...

    async def surveyed_conversations(self, conversation_ids: Sequence[int]) -> set[int]: ...

    async def expired_pending(self, now: datetime) -> Sequence[Survey]: ...

    async def add_response(self, response: SurveyResponse) -> SurveyResponse: ...

    async def responses(self, survey_id: int) -> Sequence[SurveyResponse]: ...

    async def responses_for_report(self, *, unit_ids: Sequence[str] | None = None,
                                   since: datetime | None = None, until: datetime | None = None,
                                   channel: str | None = None) -> Sequence[SurveyResponse]: ...


class TrainingExampleRepositoryPort(Protocol):
    """The NLU's training examples, and the once-only seeding of them."""

    async def count(self) -> int: ...

    async def get(self, example_id: int) -> TrainingExample | None: ...

    async def add(self, row: TrainingExample) -> TrainingExample: ...

    async def add_many(self, rows: Iterable[dict[str, Any]]) -> int: ...

    async def update(self, row: TrainingExample, *, text: str, intent: str,
                     category: str | None, now: datetime | None = None) -> TrainingExample: ...

    async def delete(self, row: TrainingExample) -> None: ...

    async def search(self, flt: ExampleFilter) -> tuple[Sequence[TrainingExample], int]: ...

    async def labelled_texts(self, source: str | None = None
                             ) -> Sequence[tuple[int, str, str, str | None, str]]: ...

    async def label_counts(self) -> Sequence[tuple[str, str | None, int]]: ...

    async def lock_seeding(self) -> None: ...

    async def seeding_recorded(self) -> bool: ...

    async def record_seeding(self, count: int, now: datetime | None = None) -> AuditLog: ...


class ReviewRepositoryPort(Protocol):
    """The NLU review queue: live messages the NLU may have got wrong."""

    async def get(self, item_id: int) -> NluReviewItem | None: ...

    async def list(self, *, status: str | None = "open", reason: str | None = None,
                   limit: int = 100, offset: int = 0
                   ) -> tuple[Sequence[NluReviewItem], int]: ...

    async def add(self, row: NluReviewItem) -> NluReviewItem: ...

    async def exists(self, message_id: int, reason: str) -> bool: ...

    async def claim(self, item: NluReviewItem, status: str, user_id: int | None,
                    now: datetime | None = None) -> bool: ...

    async def previous_citizen_message(self, message: Message) -> Message | None: ...


class ModelVersionRepositoryPort(Protocol):
    """Trained NLU model versions; one is live."""

    async def get(self, version: str) -> NluModelVersion | None: ...

    async def add(self, row: NluModelVersion) -> NluModelVersion: ...

    async def all(self, limit: int = 200) -> Sequence[NluModelVersion]: ...

    async def count(self) -> int: ...

    async def live(self) -> NluModelVersion | None: ...

    async def live_pointer(self) -> tuple[str, str] | None: ...

    async def training_since(self, since: datetime) -> NluModelVersion | None: ...

    async def in_training(self) -> Sequence[NluModelVersion]: ...

    async def previous_live(self) -> NluModelVersion | None: ...

    async def lock_live(self) -> None: ...

    async def promote(self, version: str, user_id: int | None,
                      now: datetime | None = None) -> bool: ...


class PrivacyRepositoryPort(Protocol):
    """A citizen's personal data: export, erasure, retention (storage.repositories.privacy)."""

    async def export(self, citizen_id: int) -> dict[str, Any] | None: ...

    async def erase(self, citizen_id: int, now: datetime) -> dict[str, int] | None: ...

    async def anonymise_closed(self, closed_before: datetime, now: datetime,
                               limit: int = 500) -> list[str]: ...


class CaseRepositoryPort(Protocol):
    """Case handling (issue 16): clocks, compliance, breaches."""

    async def clock_events(self, ticket_ids: Sequence[int]) -> Sequence[TicketEvent]: ...

    async def events_of_kind(self, ticket_ids: Sequence[int],
                             kinds: Sequence[str]) -> Sequence[TicketEvent]: ...

    async def citizens(self, citizen_ids: Sequence[int]) -> Sequence[Citizen]: ...

    async def filed_between(self, since: datetime | None, until: datetime | None,
                            unit_ids: Sequence[str] | None) -> Sequence[Ticket]: ...

    async def open_tickets(self) -> Sequence[Ticket]: ...

    async def followup_for_ticket(self, ticket_id: int) -> LowRatingFollowUp | None: ...

    async def asked_followup(self, survey_id: int) -> LowRatingFollowUp | None: ...

    async def add_followup(self, row: LowRatingFollowUp) -> LowRatingFollowUp: ...

    async def add_hold(self, row: ConversationHold) -> ConversationHold: ...

    async def active_hold(self, ticket_id: int) -> ConversationHold | None: ...

    async def expired_holds(self, now: datetime) -> Sequence[ConversationHold]: ...

    async def add_media(self, row: MediaFile) -> MediaFile: ...

    async def media(self, media_file_id: int) -> MediaFile | None: ...

    async def pending_media(self, limit: int = 20) -> Sequence[MediaFile]: ...

    async def failed_media(self) -> Sequence[MediaFile]: ...

    async def media_of_erased_citizens(self, limit: int = 500) -> Sequence[MediaFile]: ...

    async def media_for_messages(self, message_ids: Sequence[int]) -> Sequence[MediaFile]: ...

    async def media_stored_before(self, cutoff: datetime) -> Sequence[MediaFile]: ...

    async def media_ticket(self, media_file_id: int
                           ) -> tuple[MediaFile, Ticket | None] | None: ...

    async def add_open311_client(self, row: Open311Client) -> Open311Client: ...

    async def open311_client(self, *, name: str | None = None,
                             key_hash: str | None = None) -> Open311Client | None: ...

    async def open311_clients(self) -> Sequence[Open311Client]: ...

    async def tickets_by_channel(self, channel: str | None, *, numbers: Sequence[str] = (),
                                 categories: Sequence[str] = (), since: datetime | None = None,
                                 until: datetime | None = None, statuses: Sequence[str] = (),
                                 limit: int = 1000) -> Sequence[Ticket]: ...


class TurnRepositoryPort(Protocol):
    """A citizen turn's lock, load and writes (see :mod:`storage.repositories.turns`)."""

    async def lock_sender(self, channel: str, external_id: str) -> int | None: ...

    async def lock_citizen(self, citizen_id: int) -> None: ...

    async def load(self, channel: str, external_id: str) -> LoadedTurn | None: ...

    async def create(self, channel: str, external_id: str, *, reply_address: str,
                     display_name: str | None, language: str | None,
                     extra: dict[str, Any] | None, seen_at: datetime) -> LoadedTurn: ...

    async def mark_payload(self, payload_id: int, status: str,
                           error: str | None = None) -> None: ...

    async def touch_identity(self, identity: ChannelIdentity, citizen: Citizen, *,
                             reply_address: str, display_name: str | None,
                             extra: dict[str, Any] | None, seen_at: datetime) -> None: ...


class CustomIntentRepositoryPort(Protocol):
    """Intents admins added, with their answers."""

    async def all(self) -> Sequence[CustomIntent]: ...

    async def by_name(self, name: str) -> CustomIntent | None: ...

    async def add(self, row: CustomIntent) -> CustomIntent: ...

    async def delete(self, row: CustomIntent) -> None: ...


class RasaItemRepositoryPort(Protocol):
    """Rasa training data kept as it came in, for the export."""

    async def all(self, kind: str | None = None) -> Sequence[RasaItem]: ...

    async def add_many(self, rows: Iterable[dict[str, Any]]) -> int: ...

    async def remove(self, kind: str, name: str, key: str | None = None) -> int: ...


class JoinerRepositoryPort(Protocol):
    """"Saya juga": candidates for joining, and the citizens who joined a ticket."""

    async def candidates(self, q: CandidateQuery) -> Sequence[Ticket]: ...

    async def add(self, joiner: TicketJoiner) -> TicketJoiner: ...

    async def get(self, joiner_id: int) -> TicketJoiner | None: ...

    async def find(self, ticket_id: int, citizen_id: int) -> TicketJoiner | None: ...

    async def for_ticket(self, ticket_id: int) -> Sequence[TicketJoiner]: ...

    async def joiner_ids(self, ticket_ids: Sequence[int]) -> dict[int, frozenset[int]]: ...

    async def counts(self, ticket_ids: Sequence[int]) -> dict[int, int]: ...

    async def remove(self, joiner: TicketJoiner) -> None: ...

    async def move_messages(self, citizen_id: int, from_ticket_id: int,
                            to_ticket_id: int) -> None: ...


class Repositories(Protocol):
    """One repository of each kind over the same unit of work (one session).

    Built per unit of work by ``Runtime.repositories(session)``; cheap, so code
    asks for it where it needs it rather than passing repositories around.
    """

    @property
    def citizens(self) -> CitizenRepositoryPort: ...

    @property
    def conversations(self) -> ConversationRepositoryPort: ...

    @property
    def messages(self) -> MessageRepositoryPort: ...

    @property
    def payloads(self) -> InboundPayloadRepositoryPort: ...

    @property
    def tickets(self) -> TicketRepositoryPort: ...

    @property
    def units(self) -> ServiceUnitRepositoryPort: ...

    @property
    def outbox(self) -> OutboxRepositoryPort: ...

    @property
    def surveys(self) -> SurveyRepositoryPort: ...

    @property
    def staff(self) -> StaffRepositoryPort: ...

    @property
    def audit(self) -> AuditRepositoryPort: ...

    @property
    def inbox(self) -> InboxRepositoryPort: ...

    @property
    def examples(self) -> TrainingExampleRepositoryPort: ...

    @property
    def reviews(self) -> ReviewRepositoryPort: ...

    @property
    def versions(self) -> ModelVersionRepositoryPort: ...

    @property
    def privacy(self) -> PrivacyRepositoryPort: ...

    @property
    def cases(self) -> CaseRepositoryPort: ...

    @property
    def turns(self) -> TurnRepositoryPort: ...

    @property
    def custom_intents(self) -> CustomIntentRepositoryPort: ...

    @property
    def rasa_items(self) -> RasaItemRepositoryPort: ...

    @property
    def survey_report(self) -> SurveyReportRepositoryPort: ...

    @property
    def joiners(self) -> JoinerRepositoryPort: ...


if TYPE_CHECKING:  # mypy proves the SQL repositories implement the ports
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

    def _conforms(s: AsyncSession) -> None:
        _c: CitizenRepositoryPort = CitizenRepository(s)
        _v: ConversationRepositoryPort = ConversationRepository(s)
        _m: MessageRepositoryPort = MessageRepository(s)
        _p: InboundPayloadRepositoryPort = InboundPayloadRepository(s)
        _t: TicketRepositoryPort = TicketRepository(s)
        _o: OutboxRepositoryPort = OutboxRepository(s)
        _s: SurveyRepositoryPort = SurveyRepository(s)
        _x: TrainingExampleRepositoryPort = TrainingExampleRepository(s)
        _r: ReviewRepositoryPort = ReviewRepository(s)
        _n: ModelVersionRepositoryPort = ModelVersionRepository(s)
        _u: ServiceUnitRepositoryPort = ServiceUnitRepository(s)
        _f: StaffRepositoryPort = StaffRepository(s)
        _a: AuditRepositoryPort = AuditRepository(s)
        _i: InboxRepositoryPort = InboxRepository(s)
        _pv: PrivacyRepositoryPort = PrivacyRepository(s)

        _k: CaseRepositoryPort = CaseRepository(s)
        _w: TurnRepositoryPort = TurnRepository(s)

        _ci: CustomIntentRepositoryPort = CustomIntentRepository(s)
        _ri: RasaItemRepositoryPort = RasaItemRepository(s)


        _sr: SurveyReportRepositoryPort = SurveyReportRepository(s)
        _j: JoinerRepositoryPort = JoinerRepository(s)
