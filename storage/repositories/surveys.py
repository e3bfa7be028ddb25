"""Satisfaction surveys (SKM) and their answers: offering, answering, expiry and IKM reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Survey, SurveyResponse

#: Survey states that start the cool-down: answered or explicitly declined (ignored ones do not).
COOL_DOWN_STATUSES = ("answered", "declined")


class SurveyRepository:
    """Surveys offered to citizens and the answers they gave."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, survey: Survey) -> Survey:
        """Store a new survey (its id is set on return)."""
        self.session.add(survey)
        await self.session.flush()
        return survey

    async def get(self, survey_id: int) -> Survey | None:
        """A survey by id."""
        return await self.session.get(Survey, survey_id)

    async def has_pending(self, citizen_id: int, now: datetime) -> bool:
        """Whether the citizen has a survey still waiting for answers at ``now``."""
        stmt = select(exists().where(Survey.citizen_id == citizen_id, Survey.status == "pending",
                                     Survey.expires_at > now))
        return bool((await self.session.execute(stmt)).scalar())

    async def last_answered_at(self, citizen_id: int) -> datetime | None:
        """When the citizen last answered or declined a survey (None: never)."""
        stmt = select(func.max(func.coalesce(Survey.completed_at, Survey.created_at))).where(
            Survey.citizen_id == citizen_id, Survey.status.in_(COOL_DOWN_STATUSES))
        value: datetime | None = (await self.session.execute(stmt)).scalar()
        return value

    async def exists_for_ticket(self, ticket_id: int, citizen_id: int | None = None) -> bool:
        """Whether a survey about this ticket was ever offered (to ``citizen_id``, when
        given: a ticket's joiners rate it too, each once)."""
        cond = [Survey.ticket_id == ticket_id]
        if citizen_id is not None:
            cond.append(Survey.citizen_id == citizen_id)
        stmt = select(exists().where(*cond))
        return bool((await self.session.execute(stmt)).scalar())

    async def exists_for_conversation(self, conversation_id: int | None) -> bool:
        """Whether a survey was ever offered in this conversation."""
        stmt = select(exists().where(Survey.conversation_id == conversation_id))
        return bool((await self.session.execute(stmt)).scalar())

    async def surveyed_conversations(self, conversation_ids: Sequence[int]) -> set[int]:
        """Which of these conversations ever had a survey offered in them."""
        if not conversation_ids:
            return set()
        stmt = select(Survey.conversation_id).where(
            Survey.conversation_id.in_(list(conversation_ids))).distinct()
        return {cid for cid in (await self.session.execute(stmt)).scalars() if cid is not None}

    async def expired_pending(self, now: datetime) -> Sequence[Survey]:
        """Pending surveys whose time ran out at ``now`` (for the expiry sweep)."""
        stmt = select(Survey).where(Survey.status == "pending", Survey.expires_at <= now)
        return (await self.session.execute(stmt)).scalars().all()

    async def add_response(self, response: SurveyResponse) -> SurveyResponse:
        """Store one answer (one per survey and element)."""
        self.session.add(response)
        await self.session.flush()
        return response

    async def responses(self, survey_id: int) -> Sequence[SurveyResponse]:
        """The answers given so far to one survey."""
        stmt = select(SurveyResponse).where(SurveyResponse.survey_id == survey_id)
        return (await self.session.execute(stmt)).scalars().all()

    async def responses_for_report(
        self,
        *,
        unit_ids: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        channel: str | None = None,
    ) -> Sequence[SurveyResponse]:
        """Answers for an IKM report, oldest first.

        ``unit_ids`` limits the units (None: any, including answers with no
        unit); ``since``/``until`` bound the answer time as ``[since, until)``;
        ``channel`` (when not empty) limits the channel.
        """
        stmt = select(SurveyResponse)
        if unit_ids is not None:
            stmt = stmt.where(SurveyResponse.unit_id.in_(unit_ids))
        if since is not None:
            stmt = stmt.where(SurveyResponse.created_at >= since)
        if until is not None:
            stmt = stmt.where(SurveyResponse.created_at < until)
        if channel:
            stmt = stmt.where(SurveyResponse.channel == channel)
        return (await self.session.execute(stmt.order_by(SurveyResponse.id))).scalars().all()
