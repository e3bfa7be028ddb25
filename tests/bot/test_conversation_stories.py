"""Conversation stories: multi-turn conversations from ``tests/bot/stories/*.yml``,
run over the REST channel (``/webhooks/rest/webhook``) on a fresh SQLite database.

Each story is a list of steps. A citizen step is ``user: <text>`` or
``button: <payload>`` (sent the way the REST channel receives a tapped button);
an officer step (``officer: resolve | reply | forward``) acts on the story's
latest ticket through the ticket lifecycle, as the console does. After a
citizen step the runner checks what the step expects (every key is optional):

* ``intent``: the intent the NLU read (as stored with the message);
* ``says`` / ``not_says``: texts that must / must not appear in the bot's
  answers (case-insensitive; a list or one string);
* ``buttons``: payloads that must be among the offered buttons;
* ``mode`` and ``slots``: the dialogue mode and draft fields afterwards
  (``slots: {location_text: ..., category: ...}``; ``draft: none`` for no draft);
* ``ticket``: a ticket was filed in this step, with the given ``category``,
  ``unit``, ``region`` (code prefix), ``kind``, ``confidential`` and texts its
  ``description`` / ``location`` contain (``location_not`` / ``description_not``
  must not appear); ``no_ticket: true`` says none was.

The README ("Conversation tests") says how to add one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import func, select

from bot.app import create_app
from bot.tickets.lifecycle import SYSTEM, forward_ticket, reply_to_citizen, resolve_ticket
from storage.models import ChannelIdentity, Conversation, Message, Ticket
from tests.conftest import RuntimeFactory

STORIES_DIR = Path(__file__).resolve().parent / "stories"


def load_stories() -> list[dict[str, Any]]:
    """Every story of every file, in file order."""
    stories: list[dict[str, Any]] = []
    for path in sorted(STORIES_DIR.glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            story["file"] = path.name
            stories.append(story)
    return stories


STORIES = load_stories()


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


class StoryRun:
    """One story against one app: sends the steps and checks what each expects."""

    def __init__(self, client: httpx.AsyncClient, rt: Any, name: str) -> None:
        self.client, self.rt, self.name = client, rt, name
        self.sender = "story-" + str(abs(hash(name)))
        self.other = self.sender + "-other"
        self.facts: dict[str, str] = {}

    def fill(self, value: Any) -> Any:
        """``{ticket}`` and ``{code}`` in a text: the story's latest ticket and its check code."""
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        if isinstance(value, str):
            for key, fact in self.facts.items():
                value = value.replace("{" + key + "}", fact)
        return value

    async def citizen(self, raw: dict[str, Any], where: str) -> None:
        step = self.fill(raw)
        text = step["user"] if "user" in step else step["button"]
        sender = self.other if step.get("sender") == "other" else self.sender
        before = await self._ticket_count()
        resp = await self.client.post(
            "/webhooks/rest/webhook", json={"sender": sender, "message": str(text)})
        assert resp.status_code == 200, f"{where}: {resp.text}"
        answers: list[dict[str, Any]] = resp.json()
        said = "\n".join(a.get("text", "") for a in answers)
        low = said.lower()
        for want in _texts(step.get("says")):
            if "{" not in want:
                assert want.lower() in low, (
                    f"{where}: expected {want!r} in the bot's answer:\n{said}")
        for unwanted in _texts(step.get("not_says")):
            assert unwanted.lower() not in low, f"{where}: {unwanted!r} in the answer:\n{said}"
        offered = [b["payload"] for a in answers for b in a.get("buttons", [])]
        for payload in _texts(step.get("buttons")):
            assert any(p == payload or p.startswith(payload) for p in offered), (
                f"{where}: button {payload!r} not offered; offered {offered}\n{said}")
        if "intent" in step:
            assert await self._last_intent() == step["intent"], f"{where}: intent\n{said}"
        await self._check_state(step, where, said)
        after = await self._ticket_count()
        if step.get("no_ticket"):
            assert after == before, f"{where}: a ticket was filed\n{said}"
        if "ticket" in step:
            assert after == before + 1, f"{where}: no ticket was filed\n{said}"
            await self._check_ticket(step["ticket"] or {}, where, said)
        if after > before:
            async with self.rt.sessions() as session:
                ticket = await self._latest_ticket(session)
            assert ticket is not None
            self.facts["ticket"] = ticket.number
            self.facts["code"] = getattr(ticket, "check_code", None) or "(no check code)"
        # A step's "says" may name the ticket it filed.
        for want in _texts(self.fill(raw.get("says"))):
            assert want.lower() in low, f"{where}: expected {want!r} in the bot's answer:\n{said}"

    async def officer(self, step: dict[str, Any], where: str) -> None:
        async with self.rt.sessions() as session, session.begin():
            ticket = await self._latest_ticket(session)
            assert ticket is not None, f"{where}: no ticket to act on"
            action = step["officer"]
            if action == "resolve":
                await resolve_ticket(session, self.rt, ticket, SYSTEM, note=step.get("note"))
            elif action == "reply":
                await reply_to_citizen(session, self.rt, ticket, step["text"], SYSTEM)
            elif action == "forward":
                await forward_ticket(session, self.rt, ticket, step["unit"], step["reason"],
                                     SYSTEM)
            else:
                raise AssertionError(f"{where}: unknown officer action {action!r}")
        expected = _texts(step.get("citizen_gets"))
        if expected:
            got = "\n".join(await self._latest_outbox_texts())
            for want in expected:
                assert want.lower() in got.lower(), f"{where}: citizen did not get {want!r}:\n{got}"

    async def _identity(self, session: Any) -> ChannelIdentity | None:
        return (await session.execute(select(ChannelIdentity).where(
            ChannelIdentity.channel == "rest", ChannelIdentity.external_id == self.sender))
        ).scalar_one_or_none()

    async def _latest_ticket(self, session: Any) -> Ticket | None:
        ident = await self._identity(session)
        if ident is None:
            return None
        return (await session.execute(select(Ticket).where(
            Ticket.citizen_id == ident.citizen_id).order_by(Ticket.id.desc()).limit(1))
        ).scalar_one_or_none()

    async def _ticket_count(self) -> int:
        async with self.rt.sessions() as session:
            ident = await self._identity(session)
            if ident is None:
                return 0
            return int((await session.execute(select(func.count(Ticket.id)).where(
                Ticket.citizen_id == ident.citizen_id))).scalar_one())

    async def _last_intent(self) -> str | None:
        async with self.rt.sessions() as session:
            ident = await self._identity(session)
            assert ident is not None
            msg = (await session.execute(select(Message).where(
                Message.citizen_id == ident.citizen_id, Message.direction == "in"
            ).order_by(Message.id.desc()).limit(1))).scalar_one()
            return (msg.nlu or {}).get("intent")

    async def _latest_outbox_texts(self) -> list[str]:
        async with self.rt.sessions() as session:
            ident = await self._identity(session)
            assert ident is not None
            rows = (await session.execute(select(Message.text).where(
                Message.citizen_id == ident.citizen_id, Message.direction == "out"
            ).order_by(Message.id.desc()).limit(3))).scalars().all()
            return [r or "" for r in rows]

    async def _check_state(self, step: dict[str, Any], where: str, said: str) -> None:
        if "mode" not in step and "slots" not in step and "draft" not in step:
            return
        async with self.rt.sessions() as session:
            ident = await self._identity(session)
            assert ident is not None
            conv = (await session.execute(select(Conversation).where(
                Conversation.citizen_id == ident.citizen_id).order_by(Conversation.id.desc())
                .limit(1))).scalar_one()
        state = conv.state or {}
        if "mode" in step:
            assert state.get("mode") == step["mode"], f"{where}: mode {state.get('mode')}\n{said}"
        if step.get("draft") == "none":
            assert state.get("draft") is None, f"{where}: a draft is left: {state.get('draft')}"
        draft = state.get("draft") or {}
        for key, want in (step.get("slots") or {}).items():
            got = draft.get(key)
            if isinstance(want, str) and isinstance(got, str):
                assert want.lower() in got.lower(), f"{where}: slot {key}={got!r}, want {want!r}"
            else:
                assert got == want, f"{where}: slot {key}={got!r}, want {want!r}"

    async def _check_ticket(self, want: dict[str, Any], where: str, said: str) -> None:
        async with self.rt.sessions() as session:
            ticket = await self._latest_ticket(session)
        assert ticket is not None
        facts = (f"{where}: ticket {ticket.number} category={ticket.category} "
                 f"unit={ticket.unit_id} region={ticket.region_code} "
                 f"location={ticket.location_text!r} description={ticket.description!r}\n{said}")
        for key in ("category", "unit", "kind", "confidential"):
            if key in want:
                got = ticket.unit_id if key == "unit" else getattr(ticket, key)
                assert got == want[key], facts
        if "region" in want:
            assert (ticket.region_code or "").startswith(str(want["region"])), facts
        place = f"{ticket.location_text or ''} {ticket.region_name or ''}".lower()
        description = (ticket.description or "").lower()
        for text in _texts(want.get("location")):
            assert text.lower() in place, facts
        for text in _texts(want.get("location_not")):
            assert text.lower() not in place, facts
        for text in _texts(want.get("description")):
            assert text.lower() in description, facts
        for text in _texts(want.get("description_not")):
            assert text.lower() not in description, facts


@pytest.fixture
async def story_app(make_runtime: RuntimeFactory, sqlite_url: str) -> AsyncIterator[
        tuple[httpx.AsyncClient, Any]]:
    rt = await make_runtime(sqlite_url)
    app = create_app(runtime=rt, workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pintu.test") as c:
            yield c, rt


def test_there_are_enough_stories_and_every_case_is_told() -> None:
    assert len(STORIES) >= 80
    names = [s["story"] for s in STORIES]
    assert len(names) == len(set(names)), "story names must be unique"
    cases = {c for s in STORIES for c in _texts(s.get("case"))}
    assert {str(n) for n in range(1, 10)} <= cases


@pytest.mark.parametrize("story", STORIES, ids=[s["story"] for s in STORIES])
async def test_story(story: dict[str, Any], story_app: tuple[httpx.AsyncClient, Any]) -> None:
    client, rt = story_app
    run = StoryRun(client, rt, story["story"])
    for i, step in enumerate(story["steps"], start=1):
        where = f"{story['file']}: {story['story']!r} step {i}"
        if "officer" in step:
            await run.officer(step, where)
        else:
            await run.citizen(step, where)
