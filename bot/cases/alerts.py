"""Officers alerted: when a ticket lands in a unit's inbox (filed, or forwarded to it) or a
citizen asks for a person, the unit's group chat gets a message and/or its officers an
e-mail (``alerts.units``; a unit without a route uses its nearest parent's, else
``alerts.default``).

The chat message goes through the outbox like any other message (the channel named by
the route sends it, with the outbox's retries); the e-mail through :mod:`bot.cases.mail`,
retried a few times. Alerts are fed by the runtime's in-process notifications
(:meth:`Runtime.notify`) into a queue that :func:`alert_loop` works through after the
ticket's transaction has committed; each alert is recorded on the ticket (``alerted``).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from bot.cases.mail import MailError, send_mail
from bot.core.i18n import ALERTS, category_label
from bot.core.runtime import Runtime
from bot.core.settings import AlertRoute, AlertSettings
from channels.base import OutboundMessage
from nlu.entities import mask_personal_data
from routing.catalog import Catalog
from storage.models import Ticket

log = logging.getLogger(__name__)

ALERT_TEXT_CHARS = 500
FIND_ATTEMPTS = 20  # the ticket's transaction may not have committed yet
MAIL_ATTEMPTS = 3


@dataclass(frozen=True)
class Alert:
    """Something officers should hear about: ``kind`` is ticket | forwarded | handover."""

    kind: str
    number: str


@dataclass
class AlertOutcome:
    """What one alert did."""

    unit_id: str | None = None
    chat: str | None = None
    emails: list[str] = field(default_factory=list)
    mail_error: str | None = None


def alert_for(event: str, data: dict[str, Any]) -> Alert | None:
    """The alert an in-process notification calls for, if any."""
    number = data.get("number")
    if not isinstance(number, str):
        return None
    if event == "ticket":
        return Alert("ticket", number)
    if event == "handover":
        return Alert("handover", number)
    if event == "ticket_updated" and data.get("action") == "forward":
        return Alert("forwarded", number)
    return None


def route_for(cfg: AlertSettings, catalog: Catalog, unit_id: str) -> AlertRoute:
    """The unit's route, else its nearest parent's, else the default."""
    chain = [unit_id, *(u.id for u in catalog.ancestors(unit_id))] \
        if catalog.has_unit(unit_id) else [unit_id]
    for uid in chain:
        if uid in cfg.units:
            return cfg.units[uid]
    return cfg.default


def alert_texts(rt: Runtime, alert: Alert, ticket: Ticket) -> tuple[str, str]:
    """The subject (also the chat's first line) and the body of an alert."""
    lang = rt.settings.alerts.language
    unit = rt.unit_name(ticket.unit_id)
    subject = ALERTS.text(f"subject_{alert.kind}", lang, number=ticket.number, unit=unit)
    text = mask_personal_data(ticket.description)[:ALERT_TEXT_CHARS]
    if ticket.confidential:
        text = f"{ALERTS.text('confidential', lang)} {text}"
    base = (rt.settings.server.public_url or "").rstrip("/")
    due = ticket.due_at.astimezone(rt.catalog.tzinfo).strftime("%d-%m-%Y %H:%M") \
        if ticket.due_at else "-"
    body = ALERTS.text("body", lang, headline=subject,
                       category=category_label(ticket.category, lang),
                       region=ticket.region_name or ticket.region_code or "-", due=due,
                       text=text, link=f"{base}/console/tickets/{ticket.number}")
    return subject, body


async def _find(rt: Runtime, number: str) -> Ticket | None:
    for _ in range(FIND_ATTEMPTS):
        async with rt.sessions() as session:
            ticket = await rt.repositories(session).tickets.by_number(number)
        if ticket is not None:
            return ticket
        await asyncio.sleep(0.1)
    return None


async def process_alert(rt: Runtime, alert: Alert) -> AlertOutcome:
    """Queue the chat message and send the e-mails of one alert; record it on the ticket."""
    ticket = await _find(rt, alert.number)
    if ticket is None:
        log.warning("alert for unknown ticket %s dropped", alert.number)
        return AlertOutcome()
    cfg = rt.settings.alerts
    route = route_for(cfg, rt.catalog, ticket.unit_id)
    subject, body = alert_texts(rt, alert, ticket)
    outcome = AlertOutcome(unit_id=ticket.unit_id)
    async with rt.sessions() as session, session.begin():
        repos = rt.repositories(session)
        if route.chat_channel and route.chat_id:
            if route.chat_channel in rt.adapters:
                msg = OutboundMessage(channel=route.chat_channel, recipient_id=route.chat_id,
                                      text=body)
                await repos.outbox.enqueue(channel=msg.channel, recipient_id=msg.recipient_id,
                                           payload=msg.to_dict())
                outcome.chat = f"{route.chat_channel}:{route.chat_id}"
            else:
                log.warning("alert channel %r is not configured", route.chat_channel)
        stored = await repos.tickets.get(ticket.id)
        if stored is not None:
            await repos.tickets.add_event(
                stored, "alerted", actor_type="system", note=subject,
                data={"alert": alert.kind, "chat": outcome.chat, "emails": route.emails})
    if outcome.chat:
        rt.outbox_wakeup.set()
    if route.emails and cfg.smtp_host:
        outcome.mail_error = await _mail(cfg, route.emails, subject, body)
        if outcome.mail_error is None:
            outcome.emails = list(route.emails)
    return outcome


async def _mail(cfg: AlertSettings, to: list[str], subject: str, body: str) -> str | None:
    error: str | None = None
    for attempt in range(MAIL_ATTEMPTS):
        try:
            await send_mail(cfg, to, subject, body)
            return None
        except MailError as exc:
            error = str(exc)
            log.warning("e-mail alert failed (attempt %d): %s", attempt + 1, exc)
            await asyncio.sleep(0.5 * 2 ** attempt)
    return error


@dataclass
class AlertQueue:
    """Alerts waiting for :func:`alert_loop`, fed by the runtime's notifications."""

    queue: asyncio.Queue[Alert] = field(default_factory=asyncio.Queue)

    def listener(self, event: str, data: dict[str, Any]) -> None:
        """A :attr:`Runtime.listeners` entry."""
        alert = alert_for(event, data)
        if alert is not None:
            self.queue.put_nowait(alert)


async def alert_loop(rt: Runtime) -> None:
    """Background task: listen for alerts while serving and send each one, in order."""
    if not rt.settings.alerts.enabled:
        return
    alerts = AlertQueue()
    rt.listeners.append(alerts.listener)
    try:
        while True:
            alert = await alerts.queue.get()
            try:
                await process_alert(rt, alert)
            except Exception:
                log.exception("alert %s failed", alert)
    finally:
        rt.listeners.remove(alerts.listener)
