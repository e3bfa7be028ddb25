"""SQLAlchemy 2 typed models: Pintu's whole schema.

Times are stored in UTC and always read back timezone-aware
(``storage.types.UtcDateTime``, on SQLite too). JSON columns hold small structured
values (dialogue state, message content, NLU output). The schema is created
by the Alembic migrations in ``storage/migrations``; a test checks the two
agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Defined here, with the column, so storage can filter on it without importing bot; the
# lifecycle (which moves are allowed, which an officer may make) is bot.tickets.status.


class TicketStatus(StrEnum):
    """A ticket's status (``tickets.status``, ``ticket_events.from_status``/``to_status``)."""

    NEW = "new"
    ROUTED = "routed"
    IN_PROGRESS = "in_progress"
    WAITING_CITIZEN = "waiting_citizen"
    RESOLVED = "resolved"
    CLOSED = "closed"


# Not yet resolved or closed: the unit still owes the citizen an answer.
OPEN_TICKET_STATUSES: tuple[TicketStatus, ...] = (
    TicketStatus.NEW, TicketStatus.ROUTED, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_CITIZEN,
)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def _ts() -> Mapped[datetime]:
    return mapped_column(UtcDateTime(), default=utcnow, nullable=False)


class Citizen(Base):
    """One person, reachable through one or more channel identities."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="id")
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = _ts()
    # Consent to the privacy notice (UU 27/2022): None (not answered), "given", "declined".
    privacy_consent: Mapped[str | None] = mapped_column(String(16))
    privacy_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When the citizen's identity and contact data were erased (their tickets stay, anonymous).
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    identities: Mapped[list[ChannelIdentity]] = relationship(back_populates="citizen")


class ChannelIdentity(Base):
    """How a citizen is known on one channel (Telegram user id, WhatsApp user id, ...)."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    reply_address: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(200))
    # Provider extras needed to answer (e.g. WhatsApp phone_number_id).
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_inbound_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = _ts()

    citizen: Mapped[Citizen] = relationship(back_populates="identities")


class Conversation(Base):
    """A citizen's dialogue with the bot; its state is the pure dialogue's state."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Message(Base):
    """One message in or out. ``provider_message_id`` is unique per channel and direction."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint(
            "channel", "direction", "provider_message_id", name="uq_messages_provider_id"
        ),
        Index("ix_messages_citizen_created", "citizen_id", "created_at"),
        # Replies of a message (tying a report's answers to its ticket, re-deliveries).
        Index("ix_messages_reply_to_id", "reply_to_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    channel: Mapped[str] = mapped_column(String(32))
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    # citizen | bot | staff | system
    sender_type: Mapped[str] = mapped_column(String(16))
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    nlu: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The inbound message this one answers (replies of one turn share it).
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    created_at: Mapped[datetime] = _ts()


class InboundPayload(Base):
    """A webhook body exactly as received, stored before the webhook answers."""

    __tablename__ = "inbound_payloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    body: Mapped[str] = mapped_column(Text)
    # received | processed | duplicate | unparsed | failed
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = _ts()
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ServiceUnit(Base):
    """A unit of the service catalog, mirrored from the catalog file at start."""

    __tablename__ = "service_units"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[str | None] = mapped_column(String(64))
    is_triage: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = _ts()


class TicketCounter(Base):
    """The last number issued per prefix and year (PTU-2026-000123)."""

    __tablename__ = "ticket_counters"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    """A complaint or aspiration, routed to the unit that owns it."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_unit_status", "unit_id", "status"),
        # The inbox: a unit's own tickets or those escalated to it (both sides indexed).
        Index("ix_tickets_escalated_to_unit_id", "escalated_to_unit_id"),
        # "Saya juga": the open tickets of one topic near a place (bot.tickets.me_too).
        Index("ix_tickets_category_status", "category", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # complaint | aspiration | request
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    channel: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    category_confidence: Mapped[float | None] = mapped_column(Float)
    region_code: Mapped[str | None] = mapped_column(String(16))
    region_name: Mapped[str | None] = mapped_column(String(200))
    location_text: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # A TicketStatus value (kept a plain string column: the enum is a str).
    status: Mapped[str] = mapped_column(String(20), default=TicketStatus.NEW.value, index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("service_units.id"))
    routing_rule: Mapped[str | None] = mapped_column(String(64))
    response_days: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    escalated_to_unit_id: Mapped[str | None] = mapped_column(ForeignKey("service_units.id"))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    # Given to the citizen at filing; with the number it shows the status to others (#12).
    check_code: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When the retention sweep or an erasure removed the personal content (description,
    # location); category, unit, status, dates and survey answers stay for statistics.
    anonymised_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The catalog service (kodefikasi layanan) the report was routed by, if any.
    service_code: Mapped[str | None] = mapped_column(String(64), index=True)
    # Oversight complaints: the unit complained about, and every unit kept from the ticket
    # (that unit, the units below it, its own supervisors) as ",a,b," for a LIKE test.
    excluded_unit_id: Mapped[str | None] = mapped_column(String(64))
    excluded_unit_ids: Mapped[str | None] = mapped_column(Text)
    # Closed by an officer's merge into this other ticket (its citizens joined that one).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))

    def excludes(self, unit_id: str | None) -> bool:
        """Whether ``unit_id`` is kept from this ticket (an oversight complaint about it)."""
        return bool(unit_id) and f",{unit_id}," in (self.excluded_unit_ids or "")


class TicketJoiner(Base):
    """A citizen who joined another citizen's open ticket ("saya juga") instead of filing
    their own, or whose ticket an officer merged into it. Joiners are told of every update
    and rate it like the reporter; the report they would have filed is kept here, so an
    officer can split it off as its own ticket."""

    __tablename__ = "ticket_joiners"
    __table_args__ = (UniqueConstraint("ticket_id", "citizen_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    # me_too (the citizen chose to join) | merged (an officer merged their ticket here)
    source: Mapped[str] = mapped_column(String(16), default="me_too")
    # The ticket they reported themselves before a merge.
    merged_from_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    # What they said, and where: their own report, kept whole.
    comment: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(String(32))
    service_code: Mapped[str | None] = mapped_column(String(64))
    region_code: Mapped[str | None] = mapped_column(String(16))
    region_name: Mapped[str | None] = mapped_column(String(200))
    location_text: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    joined_at: Mapped[datetime] = _ts()


class TicketEvent(Base):
    """Something that happened to a ticket, with who and when."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    # created | routed | forwarded | replied | status_changed | escalated | noted | citizen_message
    kind: Mapped[str] = mapped_column(String(24))
    actor_type: Mapped[str] = mapped_column(String(16))  # citizen | system | staff
    actor_id: Mapped[str | None] = mapped_column(String(64))
    from_unit_id: Mapped[str | None] = mapped_column(String(64))
    to_unit_id: Mapped[str | None] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = _ts()


class StaffUser(Base):
    """An officer, supervisor or admin of a unit."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("service_units.id"))
    role: Mapped[str] = mapped_column(String(16))  # officer | supervisor | admin
    language: Mapped[str] = mapped_column(String(8), default="id")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _ts()
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class StaffSession(Base):
    """A console session or API bearer token (only its hash is stored)."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # console | api
    csrf_token: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = _ts()
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditLog(Base):
    """Every staff action: who did what to which thing."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = _ts()


class Survey(Base):
    """One satisfaction survey offered to a citizen after an interaction."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("service_units.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    # ticket_resolved | info_answered | conversation_closed
    trigger: Mapped[str] = mapped_column(String(32))
    elements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # pending | answered | expired | declined
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _ts()
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SurveyResponse(Base):
    """One answer (score 1-4) to one SKM element."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "element"),
        # The IKM report: some units over a period, or every unit over a period.
        Index("ix_survey_responses_unit_created", "unit_id", "created_at"),
        Index("ix_survey_responses_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("service_units.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    channel: Mapped[str] = mapped_column(String(32))
    element: Mapped[str] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = _ts()


#: The nine SKM elements of PermenPANRB 14/2017 (``bot.surveys.skm.ELEMENTS``'s keys; a
#: test checks they agree): the columns of :class:`SurveyDailyTotal`.
IKM_ELEMENTS = ("requirements", "procedure", "completion_time", "cost", "product",
                "competence", "conduct", "complaint_handling", "facilities")


class SurveyDailyTotal(Base):
    """The IKM answers of one local (WIB) day, unit and channel, summed per element.

    Kept in the transaction that stores each answer
    (:mod:`storage.repositories.survey_totals`) so the IKM report reads a row per
    day instead of every answer. Sums and counts, not averages: the report divides
    the totals, exactly as the regulation's per-element mean over respondents.
    ``<element>_answers`` and ``<element>_total`` are the answers to one of the nine
    elements and their score total; ``respondents`` the distinct surveys answered
    here. A row per element column, not per element row: a year of every unit is at
    most 365 rows per unit and channel, whatever the form's length.
    """

    __tablename__ = "survey_daily_totals"
    __table_args__ = (
        # Every unit over a period (the unit-first primary key serves one unit's report).
        Index("ix_survey_daily_totals_day", "day"),
    )

    # '' for answers with no unit (a primary key column cannot be NULL).
    unit_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    respondents: Mapped[int] = mapped_column(Integer, default=0)
    requirements_answers: Mapped[int] = mapped_column(Integer, default=0)
    requirements_total: Mapped[int] = mapped_column(Integer, default=0)
    procedure_answers: Mapped[int] = mapped_column(Integer, default=0)
    procedure_total: Mapped[int] = mapped_column(Integer, default=0)
    completion_time_answers: Mapped[int] = mapped_column(Integer, default=0)
    completion_time_total: Mapped[int] = mapped_column(Integer, default=0)
    cost_answers: Mapped[int] = mapped_column(Integer, default=0)
    cost_total: Mapped[int] = mapped_column(Integer, default=0)
    product_answers: Mapped[int] = mapped_column(Integer, default=0)
    product_total: Mapped[int] = mapped_column(Integer, default=0)
    competence_answers: Mapped[int] = mapped_column(Integer, default=0)
    competence_total: Mapped[int] = mapped_column(Integer, default=0)
    conduct_answers: Mapped[int] = mapped_column(Integer, default=0)
    conduct_total: Mapped[int] = mapped_column(Integer, default=0)
    complaint_handling_answers: Mapped[int] = mapped_column(Integer, default=0)
    complaint_handling_total: Mapped[int] = mapped_column(Integer, default=0)
    facilities_answers: Mapped[int] = mapped_column(Integer, default=0)
    facilities_total: Mapped[int] = mapped_column(Integer, default=0)


class SurveyDailySplit(Base):
    """A survey whose answers fall on more than one (day, unit, channel) of
    :class:`SurveyDailyTotal` (answered across midnight, or from two channels): its
    respondent is counted once per day there, so the report corrects it from its
    answers."""

    __tablename__ = "survey_daily_splits"

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), primary_key=True)


class OutboxMessage(Base):
    """A message waiting to be delivered (or delivered) by the outbox worker."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        # The worker's "is an earlier message to this recipient still queued?" check.
        Index("ix_outbox_recipient_status", "channel", "recipient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    recipient_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # pending | sending | sent | delivered | read | failed | held (waiting to be fetched)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = _ts()
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(200), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Which worker took the row for sending ("host:pid:instance"); a row left 'sending'
    # by a worker that no longer exists is requeued at once (no waiting for the timeout).
    claimed_by: Mapped[str | None] = mapped_column(String(80))


class TrainingExample(Base):
    """An NLU training example (intent, and topic for complaints and aspirations)."""

    __tablename__ = "training_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(32), index=True)
    category: Mapped[str | None] = mapped_column(String(32), index=True)
    # shipped | import | admin | review
    source: Mapped[str] = mapped_column(String(16), default="admin")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()


class NluReviewItem(Base):
    """A live message the NLU may have got wrong, waiting for an admin's decision."""

    __tablename__ = "nlu_review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    text: Mapped[str] = mapped_column(Text)
    # low_confidence | forwarded | citizen_flag
    reason: Mapped[str] = mapped_column(String(24), index=True)
    predicted_intent: Mapped[str | None] = mapped_column(String(32))
    intent_confidence: Mapped[float | None] = mapped_column(Float)
    predicted_category: Mapped[str | None] = mapped_column(String(32))
    category_confidence: Mapped[float | None] = mapped_column(Float)
    suggested_intent: Mapped[str | None] = mapped_column(String(32))
    suggested_category: Mapped[str | None] = mapped_column(String(32))
    model_version: Mapped[str | None] = mapped_column(String(64))
    # open | accepted | relabelled | dismissed
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = _ts()


class NluModelVersion(Base):
    """A trained NLU model version; exactly one is live."""

    __tablename__ = "nlu_model_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    # training | trained | failed | live | retired
    status: Mapped[str] = mapped_column(String(16), default="trained")
    n_examples: Mapped[int] = mapped_column(Integer, default=0)
    training_seconds: Mapped[float | None] = mapped_column(Float)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = _ts()
    promoted_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    promoted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LowRatingFollowUp(Base):
    """A resolved ticket's low resolution rating, and what the citizen said about it (once per
    ticket: asked, then solved | reopened | dropped)."""

    __tablename__ = "low_rating_followups"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    element: Mapped[str] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer)
    # asked | solved | reopened | dropped
    status: Mapped[str] = mapped_column(String(16), default="asked")
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _ts()
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ConversationHold(Base):
    """An officer has taken a citizen's conversation about a ticket: the bot stays quiet
    until the officer hands it back or ``expires_at`` passes."""

    __tablename__ = "conversation_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    taken_at: Mapped[datetime] = _ts()
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # handed_back | expired | resolved
    release_reason: Mapped[str | None] = mapped_column(String(16))


class MediaFile(Base):
    """A citizen's photo, document or voice note, downloaded from the provider into storage
    (``status``: pending | stored | rejected | failed | expired | erased)."""

    __tablename__ = "media_files"
    __table_args__ = (UniqueConstraint("message_id", "media_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    media_id: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    mime_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    path: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = _ts()
    stored_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Open311Client(Base):
    """A system allowed to file requests through the Open311 GeoReport v2 API (only the
    SHA-256 of its api_key is kept)."""

    __tablename__ = "open311_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = _ts()
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CustomIntent(Base):
    """An intent an admin added (issue 17): trained with the rest, answered with its answer.

    ``kind`` says what the bot does when it reads the intent: ``answer`` (an information
    answer, the default), ``complaint`` (start a report) or ``human_agent`` (hand over).
    An intent without an answer is kept for review (``needs_review``), not refused.
    """

    __tablename__ = "custom_intents"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="answer")
    description: Mapped[str] = mapped_column(Text, default="")
    answer_id: Mapped[str] = mapped_column(Text, default="")
    answer_en: Mapped[str] = mapped_column(Text, default="")
    # [{"title_id": .., "title_en": .., "payload": ..}]
    buttons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(16), default="admin")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()

    @property
    def needs_review(self) -> bool:
        """An information answer with no text yet: kept, but an admin must write it."""
        return self.kind == "answer" and not (self.answer_id.strip() or self.answer_en.strip())


class RasaItem(Base):
    """Rasa training data kept as it came (issue 17), for the export's round trip.

    ``kind``: synonym, regex, lookup, response, story, rule, intent_meta (an intent
    block's metadata), example (an example's entity markup and metadata, ``key`` = its
    plain text, ``name`` = its intent) or domain (another domain section).
    """

    __tablename__ = "nlu_rasa_items"
    __table_args__ = (Index("ix_nlu_rasa_items_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str | None] = mapped_column(Text)
    data: Mapped[Any] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(200), default="import")
    created_at: Mapped[datetime] = _ts()
