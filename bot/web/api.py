"""The staff API: the console's actions over JSON with bearer tokens (OAuth2 password flow).

Every route answers only with what the caller may see: a ticket of another
unit answers 404 exactly like a missing one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Security
from fastapi.responses import Response
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from bot.core.feature import Feature
from bot.staff.sessions import StaffContext, end_session
from bot.staff.signin import LoginThrottled, sign_in
from bot.staff.visibility import visible_unit_ids
from bot.tickets.lifecycle import TicketError
from bot.tickets.staff_actions import (
    TicketAction,
    TicketView,
    iso,
    perform,
    ticket_summary,
    ticket_view,
)
from bot.tickets.status import StaffSettableStatus, TicketStatus
from bot.web.deps import MAX_ROW_ID, json_error, runtime_of
from bot.web.staff_deps import bearer_token, client_ip, current_staff_api
from storage.models import utcnow
from storage.repositories.tickets import TicketFilter

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False,
                                     description="Sign in with a staff username and password.")


async def staff(request: Request, _token: str | None = Security(oauth2_scheme)) -> StaffContext:
    """The caller, from the bearer token (declared through the OAuth2 scheme for the docs)."""
    return await current_staff_api(request)


# --------------------------------------------------------------------------- models

class TokenOut(BaseModel):
    """A bearer token (shown once; only its hash is stored)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds until the token expires")
    expires_at: datetime


class MeOut(BaseModel):
    """The signed-in staff user."""

    id: int
    username: str
    display_name: str | None
    role: str
    unit_id: str | None
    language: str
    visible_unit_ids: list[str] | None = Field(description="null: all units (admin)")


class TicketOut(BaseModel):
    """A ticket as listed."""

    number: str
    kind: str
    status: str
    category: str
    channel: str
    unit_id: str
    unit_name: str
    region_code: str | None
    region_name: str | None
    created_at: str
    updated_at: str | None
    due_at: str | None
    overdue: bool
    escalated: bool
    escalated_to_unit_id: str | None
    confidential: bool
    description: str
    service_code: str | None = Field(None, description="the catalog service it was routed by")
    excluded_unit_id: str | None = Field(
        None, description="oversight complaints: the unit complained about (kept from it)")
    joiners: int = Field(0, description="citizens who joined it (\"saya juga\") or were merged in")


class TicketList(BaseModel):
    """One page of tickets, newest first."""

    items: list[TicketOut]
    limit: int
    offset: int


class MessageOut(BaseModel):
    """A message of the citizen's conversation; ``hidden`` when it belongs to a ticket the
    caller may not see (then only its time is given)."""

    id: int | None = None
    hidden: bool = False
    created_at: str
    direction: str | None = None
    channel: str | None = None
    sender_type: str | None = None
    staff_name: str | None = None
    text: str | None = None
    this_ticket: bool = False
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    location: dict[str, Any] | None = None


class EventOut(BaseModel):
    """An entry of the ticket's history."""

    kind: str
    actor_type: str
    actor_id: str | None
    from_unit_id: str | None
    to_unit_id: str | None
    from_status: str | None
    to_status: str | None
    note: str | None
    created_at: str


class CitizenOut(BaseModel):
    """Who filed the ticket (withheld from units for confidential reports)."""

    confidential: bool
    display_name: str | None = None
    channels: list[str] = Field(default_factory=list)


class JoinerOut(BaseModel):
    """A citizen who joined the ticket instead of filing their own ("saya juga"), or whose
    ticket was merged into it; ``id`` is what ``/split`` takes."""

    id: int
    display_name: str | None
    channel: str
    joined_at: str
    comment: str
    source: str = Field(description="me_too | merged")
    merged_from: str | None = None
    location: str | None = None


class TicketDetail(TicketOut):
    """A ticket with its location, the citizen's conversation and its history."""

    location_text: str | None
    latitude: float | None
    longitude: float | None
    map_url: str | None
    citizen: CitizenOut
    messages: list[MessageOut]
    events: list[EventOut]
    attachments: list[dict[str, Any]]
    joiner_list: list[JoinerOut] = Field(default_factory=list)
    merged_into: str | None = Field(None, description="closed by a merge into this ticket")


class ActionOut(TicketOut):
    """The ticket after an action; ``visible`` is false once it left the caller's units."""

    visible: bool


class ReplyIn(BaseModel):
    """A reply delivered to the citizen on the channel they last used."""

    text: str = Field(min_length=1, max_length=4000)
    wait_for_citizen: bool = False


class NoteIn(BaseModel):
    """An internal note, never shown to the citizen."""

    text: str = Field(min_length=1, max_length=4000)


class ForwardIn(BaseModel):
    """Hand the ticket to the unit that owns it; the citizen is told why."""

    unit_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=4000)


class ResolveIn(BaseModel):
    """Resolve the ticket, optionally with a note sent to the citizen."""

    note: str | None = Field(default=None, max_length=4000)


class ReopenIn(BaseModel):
    """Reopen a resolved ticket within the reopen window."""

    reason: str | None = Field(default=None, max_length=4000)


class MergeIn(BaseModel):
    """Merge this ticket into another open ticket of the same unit: its reporter and joiners
    become joiners there (and are told), and this ticket is closed as merged."""

    target: str = Field(min_length=1, max_length=32)


class SplitIn(BaseModel):
    """File one joiner's report as a ticket of its own (routed like any other)."""

    joiner_id: int = Field(ge=1, le=MAX_ROW_ID)


class StatusIn(BaseModel):
    """Set the working status."""

    status: StaffSettableStatus
    note: str | None = Field(default=None, max_length=4000)


# --------------------------------------------------------------------------- routes

auth_router = APIRouter(prefix="/api/auth", tags=["auth"])
tickets_router = APIRouter(prefix="/api/tickets", tags=["tickets"])


feature = Feature("api", routers=(auth_router, tickets_router))


@auth_router.post("/token", response_model=TokenOut,
                  responses={400: {"description": "wrong username or password"},
                             429: {"description": "too many failed attempts"}})
async def issue_token(request: Request,
                      form: OAuth2PasswordRequestForm = Depends()) -> Any:
    """OAuth2 password flow: a bearer token for a staff user."""
    rt = runtime_of(request)
    ip = client_ip(request)
    try:
        issued = await sign_in(rt, form.username, form.password, "api", ip=ip)
    except LoginThrottled:
        return json_error(429, "too many failed sign-ins; try again later",
                          error="invalid_grant")
    if issued is None:
        return json_error(400, "wrong username or password", error="invalid_grant")
    token, row = issued
    expires = row.expires_at
    return TokenOut(access_token=token, expires_in=int((expires - utcnow()).total_seconds()),
                    expires_at=expires)


@auth_router.post("/logout", status_code=204)
async def revoke_token(request: Request, ctx: StaffContext = Depends(staff)) -> Response:
    """Revoke the bearer token used for this request."""
    rt = runtime_of(request)
    async with rt.sessions() as session, session.begin():
        await end_session(rt.repositories(session), bearer_token(request) or "",
                          actor_user_id=ctx.user_id, ip=client_ip(request))
    return Response(status_code=204)


@auth_router.get("/me", response_model=MeOut)
async def me(request: Request, ctx: StaffContext = Depends(staff)) -> Any:
    """Who the token belongs to and which units' tickets they see."""
    units = visible_unit_ids(ctx.user, runtime_of(request).catalog)
    u = ctx.user
    return MeOut(id=u.id, username=u.username, display_name=u.display_name, role=u.role,
                 unit_id=u.unit_id, language=u.language,
                 visible_unit_ids=list(units) if units is not None else None)


@tickets_router.get("", response_model=TicketList)
async def list_tickets(
    request: Request,
    ctx: StaffContext = Depends(staff),
    status: list[TicketStatus] = Query(default_factory=list,
                                       description="any of these statuses (repeatable)"),
    category: str | None = Query(None, max_length=32),
    channel: str | None = Query(None, max_length=32),
    overdue: bool = Query(False, description="only open tickets past their due time"),
    q: str | None = Query(None, max_length=200, description="search number, text, location"),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_ROW_ID),
) -> Any:
    """The tickets the caller may see, newest first."""
    rt = runtime_of(request)
    flt = TicketFilter(unit_ids=visible_unit_ids(ctx.user, rt.catalog), statuses=tuple(status),
                       category=category or None, channel=channel or None, overdue_only=overdue,
                       search=q or None, limit=limit, offset=offset)
    now = utcnow()
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        tickets = await repos.inbox.search(flt, now)
        joiners = await repos.joiners.counts([t.id for t in tickets])
    return TicketList(items=[TicketOut(**ticket_summary(t, rt, now, joiners.get(t.id, 0)))
                             for t in tickets],
                      limit=limit, offset=offset)


@tickets_router.get("/{number}", response_model=TicketDetail,
                    responses={404: {"description": "no such ticket, or not yours to see"}})
async def get_ticket(number: str, request: Request, ctx: StaffContext = Depends(staff)) -> Any:
    """One ticket with the citizen's whole conversation across channels and its history."""
    rt = runtime_of(request)
    async with rt.sessions() as session:
        view = await ticket_view(session, rt, ctx, number)
    return _detail(view, rt)


def _detail(view: TicketView, rt: Any) -> TicketDetail:
    t = view.ticket
    messages: list[MessageOut] = []
    for line in view.conversation:
        m = line.message
        if m is None:
            messages.append(MessageOut(hidden=True, created_at=iso(line.created_at) or ""))
            continue
        content = m.content or {}
        messages.append(MessageOut(
            id=m.id, created_at=iso(m.created_at) or "", direction=m.direction,
            channel=m.channel, sender_type=m.sender_type, staff_name=line.staff_name,
            text=m.text, this_ticket=line.this_ticket,
            attachments=list(content.get("attachments") or []),
            location=content.get("location")))
    # A confidential reporter stays unnamed to units: no citizen id in the history either.
    events = [EventOut(kind=e.kind, actor_type=e.actor_type,
                       actor_id=None if view.confidential and e.actor_type == "citizen"
                       else e.actor_id,
                       from_unit_id=e.from_unit_id, to_unit_id=e.to_unit_id,
                       from_status=e.from_status, to_status=e.to_status, note=e.note,
                       created_at=iso(e.created_at) or "") for e in view.events]
    map_url = (f"https://www.openstreetmap.org/?mlat={t.latitude}&mlon={t.longitude}"
               if t.latitude is not None and t.longitude is not None else None)
    return TicketDetail(
        **ticket_summary(t, rt, joiners=len(view.joiners)), location_text=t.location_text,
        latitude=t.latitude,
        longitude=t.longitude, map_url=map_url,
        citizen=CitizenOut(confidential=view.confidential, display_name=view.citizen_name,
                           channels=view.citizen_channels),
        messages=messages, events=events, attachments=view.attachments,
        joiner_list=[JoinerOut(id=j.id, display_name=j.citizen_name, channel=j.channel,
                               joined_at=iso(j.joined_at) or "", comment=j.comment,
                               source=j.source, merged_from=j.merged_from, location=j.location)
                     for j in view.joiners],
        merged_into=view.merged_into)


async def _act(request: Request, ctx: StaffContext, number: str,
               act: TicketAction) -> Any:
    rt = runtime_of(request)
    try:
        outcome = await perform(rt, ctx, number, act, ip=client_ip(request))
    except TicketError as exc:
        return json_error(400, str(exc))
    return ActionOut(**ticket_summary(outcome.ticket, rt), visible=outcome.still_visible)


_ACTION_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "the action cannot be done (state, empty text, unknown unit)"},
    404: {"description": "no such ticket, or not yours to see"},
}


@tickets_router.post("/{number}/reply", response_model=ActionOut, responses=_ACTION_RESPONSES)
async def reply(number: str, body: ReplyIn, request: Request,
                ctx: StaffContext = Depends(staff)) -> Any:
    """Reply to the citizen (delivered through the outbox on their last channel)."""
    return await _act(request, ctx, number, TicketAction(
        "reply", text=body.text, wait_for_citizen=body.wait_for_citizen))


@tickets_router.post("/{number}/note", response_model=ActionOut, responses=_ACTION_RESPONSES)
async def note(number: str, body: NoteIn, request: Request,
               ctx: StaffContext = Depends(staff)) -> Any:
    """Add an internal note."""
    return await _act(request, ctx, number, TicketAction("note", text=body.text))


@tickets_router.post("/{number}/forward", response_model=ActionOut, responses=_ACTION_RESPONSES)
async def forward(number: str, body: ForwardIn, request: Request,
                  ctx: StaffContext = Depends(staff)) -> Any:
    """Forward the ticket to another unit with a reason (the citizen is told)."""
    return await _act(request, ctx, number,
                      TicketAction("forward", text=body.reason, unit_id=body.unit_id))


@tickets_router.post("/{number}/resolve", response_model=ActionOut, responses=_ACTION_RESPONSES)
async def resolve(number: str, request: Request, body: ResolveIn | None = None,
                  ctx: StaffContext = Depends(staff)) -> Any:
    """Resolve the ticket; the citizen is told and may reopen it for a while."""
    return await _act(request, ctx, number,
                      TicketAction("resolve", text=body.note if body else None))


@tickets_router.post("/{number}/reopen", response_model=ActionOut, responses=_ACTION_RESPONSES)
async def reopen(number: str, request: Request, body: ReopenIn | None = None,
                 ctx: StaffContext = Depends(staff)) -> Any:
    """Reopen a resolved ticket within the reopen window."""
    return await _act(request, ctx, number,
                      TicketAction("reopen", text=body.reason if body else None))


@tickets_router.post("/{number}/status", response_model=ActionOut, responses=_ACTION_RESPONSES)
async def set_status(number: str, body: StatusIn, request: Request,
                     ctx: StaffContext = Depends(staff)) -> Any:
    """Set the ticket in progress or waiting for the citizen."""
    return await _act(request, ctx, number,
                      TicketAction("status", status=body.status, text=body.note))


@tickets_router.post("/{number}/merge", response_model=ActionOut, responses=_ACTION_RESPONSES)
async def merge(number: str, body: MergeIn, request: Request,
                ctx: StaffContext = Depends(staff)) -> Any:
    """Merge the ticket into another open ticket of the same unit (its citizens join that one
    and are told; this one is closed as merged)."""
    return await _act(request, ctx, number, TicketAction("merge", target=body.target))


@tickets_router.post("/{number}/split", response_model=ActionOut, responses=_ACTION_RESPONSES)
async def split(number: str, body: SplitIn, request: Request,
                ctx: StaffContext = Depends(staff)) -> Any:
    """File one joiner's report as a ticket of its own, routed like any other (they are told
    its number)."""
    return await _act(request, ctx, number, TicketAction("split", joiner_id=body.joiner_id))
