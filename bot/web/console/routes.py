"""The officers' console: sign in, the inbox, the ticket page and its actions, live updates.

Pages are rendered on the server with Jinja2 (autoescaped) and work without
JavaScript; a small script listens on ``/console/events`` (server-sent
events) to refresh the inbox and the conversation when something happens.
Every form POST carries the session's CSRF token (403 otherwise).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.cases.holds import hold_view
from bot.cases.media import stored_media
from bot.core.feature import Feature
from bot.core.i18n import CASES, ME_TOO, ME_TOO_CONSOLE
from bot.core.runtime import Runtime
from bot.staff.sessions import StaffContext, csrf_ok, end_session
from bot.staff.signin import LoginThrottled, sign_in
from bot.staff.visibility import visible_unit_ids
from bot.tickets.clocks import ClockMarks, clock_marks, marks_by_ticket, ticket_clocks
from bot.tickets.lifecycle import TicketError
from bot.tickets.report_topics import secondary_categories
from bot.tickets.staff_actions import TicketAction, is_overdue, perform, ticket_view
from bot.tickets.status import OPEN, STAFF_SETTABLE, TicketStatus
from bot.web.console.i18n import LANG_COOKIE, Words, request_lang
from bot.web.deps import runtime_of, security_headers
from bot.web.staff_deps import (
    CONSOLE_COOKIE,
    client_ip,
    current_staff_console,
    optional_staff_console,
)
from storage.models import Ticket, utcnow
from storage.repositories.tickets import TicketFilter

HERE = Path(__file__).resolve().parent
LOGIN_CSRF_COOKIE = "pintu_login_csrf"
STATUSES: tuple[TicketStatus, ...] = tuple(TicketStatus)
CHANNELS = ("webchat", "rest", "telegram", "whatsapp", "terminal")
# Server-sent events: a comment every KEEPALIVE seconds keeps proxies from closing the stream,
# and the session is checked again as often (a signed-out user's stream ends); streams end
# after STREAM_SECONDS and the browser reconnects (never holding a server shutdown for long).
KEEPALIVE_SECONDS = 15.0
STREAM_SECONDS = 120.0
#: The ticket page's forms (bot.tickets.staff_actions.perform).
TICKET_ACTIONS = ("reply", "note", "forward", "resolve", "reopen", "status", "merge", "split")
LIVE_EVENTS = ("ticket", "ticket_updated", "message", "handover", "escalated")


def _local_zone() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Jakarta")
    except Exception:  # no tz database: WIB has no daylight saving, a fixed offset is exact
        return timezone(timedelta(hours=7), "WIB")


LOCAL_TZ = _local_zone()


def fmt_time(value: datetime | None) -> str:
    """A time as officers read it: local (WIB), day first."""
    if value is None:
        return "-"
    # Stored times read back aware UTC (storage.types.UtcDateTime), on SQLite too.
    return value.astimezone(LOCAL_TZ).strftime("%d-%m-%Y %H:%M")


def fmt_decimal(value: float | None, places: int, lang: str = "id") -> str:
    """A number as the reader's language writes it: "3,3333" and "1.234,50" in Indonesian,
    "3.3333" and "1,234.50" in English."""
    if value is None:
        return "-"
    text = f"{value:,.{places}f}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# What the citizen saw on the buttons whose payloads come back as a message.
_BUTTON_TEXTS = {"/confirm": "btn_send", "/confirm_confidential": "btn_send_confidential",
                 "/edit": "btn_edit", "/cancel": "btn_cancel", "/complaint": "menu_complaint",
                 "/status": "menu_status", "/info": "menu_info", "/agent": "menu_agent"}


def pressed_button(payload: str | None, lang: str = "id") -> str | None:
    """The label of the button a citizen pressed ("Ya, kirim" for ``/confirm``), or None
    when the message was typed."""
    if not payload:
        return None
    from bot.core.i18n import CHAT, CITIZEN, category_label

    command, _, arg = payload.partition(" ")
    if command in _BUTTON_TEXTS:
        return CITIZEN.text(_BUTTON_TEXTS[command], lang) + (f" {arg}" if arg else "")
    chat_keys = {"/edit_description": "btn_edit_description", "/edit_place": "btn_edit_place",
                 "/edit_topic": "btn_edit_topic"}
    if command in chat_keys:
        return CHAT.text(chat_keys[command], lang)
    if command == "/topic":
        return category_label(arg, lang)
    if command in ("/join", "/new_report"):
        return ME_TOO.text("btn_join" if command == "/join" else "btn_new", lang)
    return payload


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["time"] = fmt_time
    env.filters["decimal"] = fmt_decimal
    env.filters["pressed"] = pressed_button
    return env


templates = Jinja2Templates(env=_environment())
router = APIRouter(prefix="/console", include_in_schema=False)


def mount(app: FastAPI) -> None:
    """Serve the console's static files."""
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")


_lang = request_lang


def render_page(request: Request, name: str, ctx: StaffContext | None, status: int = 200,
                **values: Any) -> HTMLResponse:
    """A console page from its template, with the words, user and CSRF token."""
    lang = _lang(request, ctx)
    context = {"w": Words(lang), "lang": lang, "ctx": ctx, "user": ctx.user if ctx else None,
               "csrf": ctx.csrf_token if ctx else None, "rt": runtime_of(request),
               "cw": CASES.in_lang(lang), "mw": ME_TOO_CONSOLE.in_lang(lang), **values}
    if ctx is not None:
        unit_id = ctx.user.unit_id
        catalog = runtime_of(request).catalog
        context["user_unit"] = (catalog.unit(unit_id).name
                                if unit_id and catalog.has_unit(unit_id) else None)
    response = templates.TemplateResponse(request, name, context, status_code=status)
    security_headers(response)
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax",
                            httponly=True, secure=request.url.scheme == "https")
    return response


_render = render_page


def _safe_next(target: str | None) -> str:
    """Only redirect inside the console after sign-in (no open redirect)."""
    if target and target.startswith("/console") and not target.startswith("//") \
            and "\\" not in target and "://" not in target:
        return target
    return "/console/inbox"


def _form_text(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


# --------------------------------------------------------------------------- sign in / out

@router.get("")
async def console_home() -> RedirectResponse:
    """The console starts at the inbox."""
    return RedirectResponse("/console/inbox", status_code=303)


@router.get("/login")
async def login_page(request: Request) -> Response:
    """The sign-in form (already signed in: the inbox)."""
    if await optional_staff_console(request) is not None:
        return RedirectResponse("/console/inbox", status_code=303)
    return _login_form(request)


def _login_form(request: Request, error: str | None = None, status: int = 200,
                username: str = "") -> HTMLResponse:
    # No session yet: the login form's CSRF token is a double-submit cookie.
    token = secrets.token_urlsafe(24)
    response = _render(request, "login.html", None, status=status, error=error,
                       login_csrf=token, username=username,
                       next=_safe_next(request.query_params.get("next")))
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/console")
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the credentials; start a console session (cookie) and go to the inbox."""
    form = await request.form()
    username = _form_text(form, "username").strip()[:64]
    password = _form_text(form, "password")
    submitted = _form_text(form, "csrf_token")
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    words = Words(_lang(request))
    if not submitted or not expected or not secrets.compare_digest(submitted, expected):
        return _login_form(request, words("login_expired"), 403, username)
    rt = runtime_of(request)
    ip = client_ip(request)
    try:
        issued = await sign_in(rt, username, password, "console", ip=ip)
    except LoginThrottled:
        return _login_form(request, words("login_throttled"), 429, username)
    if issued is None:
        return _login_form(request, words("login_failed"), 401, username)
    token, _row = issued
    response = RedirectResponse(_safe_next(_form_text(form, "next")), status_code=303)
    response.set_cookie(CONSOLE_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/",
                        max_age=int(rt.settings.console.session_hours * 3600))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@router.post("/logout")
async def logout(request: Request, ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """End the session."""
    form = await request.form()
    if not csrf_ok(ctx, _form_text(form, "csrf_token")):
        return _csrf_failed(request, ctx)
    rt = runtime_of(request)
    async with rt.sessions() as session, session.begin():
        await end_session(rt.repositories(session), request.cookies.get(CONSOLE_COOKIE, ""),
                          actor_user_id=ctx.user_id, ip=client_ip(request))
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(CONSOLE_COOKIE, path="/")
    return response


def _csrf_failed(request: Request, ctx: StaffContext) -> HTMLResponse:
    words = Words(_lang(request, ctx))
    return _render(request, "error.html", ctx, status=403, title=words("error"),
                   message=words("csrf_failed"))


# --------------------------------------------------------------------------- inbox

def inbox_filter(request: Request, units: tuple[str, ...] | None) -> tuple[TicketFilter,
                                                                          dict[str, str]]:
    """The inbox filter from the query string (open tickets unless a status is chosen)."""
    q = request.query_params
    status = q.get("status", "open")
    if status == "all":
        statuses: tuple[str, ...] = ()
    elif status in STATUSES:
        statuses = (status,)
    else:
        status, statuses = "open", OPEN
    category = q.get("category") or None
    channel = q.get("channel") or None
    overdue = q.get("overdue") in ("1", "on", "true")
    search = (q.get("q") or "").strip()[:200] or None
    flt = TicketFilter(unit_ids=units, statuses=statuses, category=category, channel=channel,
                       overdue_only=overdue, search=search, limit=200)
    chosen = {"status": status, "category": category or "", "channel": channel or "",
              "overdue": "1" if overdue else "", "q": search or ""}
    return flt, chosen


async def _inbox_rows(request: Request, ctx: StaffContext) -> tuple[list[dict[str, Any]],
                                                                      dict[str, str]]:
    rt = runtime_of(request)
    flt, chosen = inbox_filter(request, visible_unit_ids(ctx.user, rt.catalog))
    now = utcnow()
    async with rt.sessions() as session:
        repos = rt.repositories(session)
        tickets = await repos.inbox.search(flt, now)
        marks = marks_by_ticket(await repos.cases.clock_events([t.id for t in tickets]))
        joiners = await repos.joiners.counts([t.id for t in tickets])
    return [_row(rt, t, now, marks.get(t.id, ClockMarks()), joiners.get(t.id, 0))
            for t in tickets], chosen


def _row(rt: Runtime, ticket: Ticket, now: datetime, marks: ClockMarks,
         joiners: int = 0) -> dict[str, Any]:
    unit = rt.catalog.unit(ticket.unit_id) if rt.catalog.has_unit(ticket.unit_id) else None
    return {"ticket": ticket, "unit": (unit.short_name or unit.name) if unit else ticket.unit_id,
            "overdue": is_overdue(ticket, now), "joiners": joiners,
            "clocks": ticket_clocks(ticket, marks, rt.catalog, rt.settings.cases, now)}


@router.get("/inbox")
async def inbox(request: Request, ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The inbox: the tickets the user may see, filtered."""
    rows, chosen = await _inbox_rows(request, ctx)
    return _render(request, "inbox.html", ctx, rows=rows, chosen=chosen, statuses=STATUSES,
                   channels=CHANNELS, query=urlencode({k: v for k, v in chosen.items() if v}),
                   notice=request.query_params.get("notice"))


@router.get("/inbox/rows")
async def inbox_rows(request: Request,
                     ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The inbox's rows alone (the live update fetches them)."""
    rows, _chosen = await _inbox_rows(request, ctx)
    return _render(request, "_rows.html", ctx, rows=rows)


# --------------------------------------------------------------------------- ticket page

async def _ticket_page(request: Request, ctx: StaffContext, number: str, *, status: int = 200,
                       error: str | None = None, template: str = "ticket.html") -> Response:
    rt = runtime_of(request)
    words = Words(_lang(request, ctx))
    try:
        async with rt.sessions() as session:
            view = await ticket_view(session, rt, ctx, number)
    except HTTPException as exc:
        if exc.status_code != 404:
            raise
        return _render(request, "error.html", ctx, status=404, title=words("error"),
                       message=words("not_found"))
    ticket = view.ticket
    catalog = rt.catalog
    unit = catalog.unit(ticket.unit_id) if catalog.has_unit(ticket.unit_id) else None
    escalated_to = (catalog.unit(ticket.escalated_to_unit_id)
                    if ticket.escalated_to_unit_id and catalog.has_unit(ticket.escalated_to_unit_id)
                    else None)
    targets = [u for u in catalog.units if u.id != ticket.unit_id]
    hold = await hold_view(rt, ticket.id)
    media = await stored_media(rt, [line.message.id for line in view.conversation
                                    if line.message is not None])
    done = request.query_params.get("done")
    return _render(request, template, ctx, status=status, view=view, ticket=ticket, unit=unit,
                   escalated_to=escalated_to, targets=targets, error=error,
                   overdue=is_overdue(ticket), staff_statuses=STAFF_SETTABLE, hold=hold,
                   media=media,
                   secondary=secondary_categories(
                       ticket, (line.message for line in view.conversation)),
                   clocks=ticket_clocks(ticket, clock_marks(view.events), catalog,
                                        rt.settings.cases, utcnow()),
                   done=done if done in TICKET_ACTIONS else None,
                   unit_name=lambda uid: (catalog.unit(uid).short_name or catalog.unit(uid).name)
                   if uid and catalog.has_unit(uid) else (uid or "-"))


@router.get("/tickets/{number}")
async def ticket_page(number: str, request: Request,
                      ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """One ticket: details, the citizen's whole conversation, history and the action forms."""
    return await _ticket_page(request, ctx, number)


@router.get("/tickets/{number}/conversation")
async def ticket_conversation(number: str, request: Request,
                              ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """The conversation and history alone (the live update fetches them)."""
    return await _ticket_page(request, ctx, number, template="_conversation.html")


@router.post("/tickets/{number}/{action}")
async def ticket_action(number: str, action: str, request: Request,
                        ctx: StaffContext = Depends(current_staff_console)) -> Response:
    """Reply, note, forward, resolve, reopen, change the status, merge into another ticket or
    split a joiner off, then back to the page."""
    form = await request.form()
    if not csrf_ok(ctx, _form_text(form, "csrf_token")):
        return _csrf_failed(request, ctx)
    if action not in TICKET_ACTIONS:
        raise HTTPException(status_code=404, detail="not found")
    joiner = _form_text(form, "joiner_id").strip()
    act = TicketAction(action=action, text=_form_text(form, "text"),
                       unit_id=_form_text(form, "unit_id") or None,
                       status=_form_text(form, "status") or None,
                       wait_for_citizen=_form_text(form, "wait") in ("1", "on"),
                       note=_form_text(form, "note") or None,
                       target=_form_text(form, "target")[:32] or None,
                       joiner_id=int(joiner) if joiner.isdigit() and len(joiner) < 12 else None)
    try:
        outcome = await perform(runtime_of(request), ctx, number, act, ip=client_ip(request))
    except TicketError as exc:
        return await _ticket_page(request, ctx, number, status=400, error=str(exc))
    except HTTPException as exc:
        if exc.status_code != 404:
            raise
        return await _ticket_page(request, ctx, number)  # renders the same 404 page
    if not outcome.still_visible:
        return RedirectResponse("/console/inbox?notice=forwarded_away", status_code=303)
    return RedirectResponse(f"/console/tickets/{outcome.ticket.number}?done={action}",
                            status_code=303)


# --------------------------------------------------------------------------- live updates

async def visible_event(rt: Runtime, units: tuple[str, ...] | None, event: str,
                        data: Mapping[str, Any]) -> dict[str, Any] | None:
    """What a viewer of ``units`` may learn of a runtime event (None: nothing)."""
    if event not in LIVE_EVENTS:
        return None
    if event == "escalated":
        return {}  # a hint to refresh; the rows themselves are filtered when fetched
    event_units = {str(u) for u in data.get("unit_ids") or ()}
    if data.get("unit_id"):
        event_units.add(str(data["unit_id"]))
    if event_units:
        if units is not None and not event_units & set(units):
            return None
        return {"number": data.get("number")}
    citizen_id = data.get("citizen_id")
    if isinstance(citizen_id, int):
        async with rt.sessions() as session:
            inbox = rt.repositories(session).inbox
            numbers = await inbox.visible_numbers_for_citizen(citizen_id, units)
        return {"numbers": list(numbers)} if numbers else None
    return None


@router.get("/events")
async def live_events(request: Request,
                      ctx: StaffContext = Depends(current_staff_console)) -> StreamingResponse:
    """Server-sent events about the tickets the user may see."""
    rt = runtime_of(request)
    units = visible_unit_ids(ctx.user, rt.catalog)
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(maxsize=200)
    loop = asyncio.get_running_loop()

    def put(event: str, data: dict[str, Any]) -> None:
        with contextlib.suppress(asyncio.QueueFull):  # a stalled viewer loses hints, not data
            queue.put_nowait((event, data))

    def listener(event: str, data: dict[str, Any]) -> None:
        loop.call_soon_threadsafe(put, event, dict(data))

    rt.listeners.append(listener)

    async def still_signed_in() -> bool:
        # Signed out, password changed, account deactivated: the stream ends with the session.
        nonlocal units
        fresh = await optional_staff_console(request)
        if fresh is None or fresh.session_id != ctx.session_id:
            return False
        units = visible_unit_ids(fresh.user, rt.catalog)
        return True

    async def stream() -> AsyncIterator[str]:
        try:
            yield "retry: 3000\n\n"
            deadline = loop.time() + STREAM_SECONDS
            next_check = loop.time() + KEEPALIVE_SECONDS
            while loop.time() < deadline and utcnow() < ctx.expires_at:
                try:
                    event, data = await asyncio.wait_for(
                        queue.get(), max(0.0, next_check - loop.time()))
                except TimeoutError:
                    event = ""
                if loop.time() >= next_check:
                    if await request.is_disconnected() or not await still_signed_in():
                        break
                    next_check = loop.time() + KEEPALIVE_SECONDS
                    if not event:
                        yield ": keepalive\n\n"
                if not event:
                    continue
                payload = await visible_event(rt, units, event, data)
                if payload is not None:
                    yield f"event: {event}\ndata: {json.dumps(payload)}\n\n"
        finally:
            with contextlib.suppress(ValueError):
                rt.listeners.remove(listener)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


feature = Feature("console", routers=(router,), mount=mount)
