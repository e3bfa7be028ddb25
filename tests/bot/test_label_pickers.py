"""The review page's relabel picker and the example edit page offer the admins' own
intents beside the built-in ones, and the server accepts them (issue 17 follow-up),
over real HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.core.runtime import Runtime
from bot.nlu_admin.custom_intents import save_custom_intent
from bot.nlu_admin.data import ensure_seeded
from nlu.taxonomy import INTENTS
from storage.models import NluReviewItem, TrainingExample, utcnow
from tests.browser_support import serve_app
from tests.staff_support import console_login, csrf_of, light_argon2, make_staff  # noqa: F401

CUSTOM = ("jadwal_posyandu", "jam_buka_mpp")


@pytest.fixture
async def admin(make_runtime: Any, db_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """An admin signed in to the console served on a real port, with two own intents."""
    rt: Runtime = await make_runtime(db_url)
    await make_staff(rt, "admin", "admin", None)
    async with rt.sessions() as session, session.begin():
        repos = rt.repositories(session)
        await ensure_seeded(repos)
        await save_custom_intent(repos, None, CUSTOM[0], examples=["jadwal posyandu kapan"],
                                 answer_id="Selasa.", answer_en="Tuesday.")
        await save_custom_intent(repos, None, CUSTOM[1], examples=["jam buka mpp"])
    async with serve_app(rt) as server, httpx.AsyncClient(base_url=server.url) as client:
        await console_login(client, "admin")
        yield client, rt


def _options(html: str, select_id: str) -> list[str]:
    match = re.search(rf'<select name="intent" id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no intent picker {select_id}"
    return re.findall(r'<option value="([^"]*)"', match.group(1))


async def _review_item(rt: Runtime) -> int:
    async with rt.sessions() as s, s.begin():
        item = NluReviewItem(text="posyandu bulan ini tanggal berapa ya", reason="low_confidence",
                             predicted_intent="ask_info", intent_confidence=0.3, status="open",
                             created_at=utcnow())
        s.add(item)
        await s.flush()
        assert item.id is not None
        return item.id


async def test_relabel_to_an_own_intent(admin: tuple[httpx.AsyncClient, Runtime]) -> None:
    client, rt = admin
    item_id = await _review_item(rt)
    page = await client.get("/console/admin/nlu/review")
    assert page.status_code == 200
    assert _options(page.text, f"relabel-{item_id}-intent") == [*INTENTS, *CUSTOM]
    csrf = csrf_of(page.text)

    refused = await client.post(f"/console/admin/nlu/review/{item_id}/relabel",
                                data={"csrf_token": csrf, "intent": "jadwal_samsat"})
    assert refused.status_code == 400
    assert "unknown intent &#39;jadwal_samsat&#39;" in refused.text
    assert "jam_buka_mpp" in refused.text  # the error lists the known names
    async with rt.sessions() as s:
        row = await s.get(NluReviewItem, item_id)
        assert row is not None and row.status == "open"

    done = await client.post(f"/console/admin/nlu/review/{item_id}/relabel",
                             data={"csrf_token": csrf, "intent": CUSTOM[0]},
                             follow_redirects=False)
    assert done.status_code == 303
    async with rt.sessions() as s:
        row = await s.get(NluReviewItem, item_id)
        assert row is not None and row.status == "relabelled"
        learnt = (await s.execute(select(TrainingExample).where(
            TrainingExample.text == "posyandu bulan ini tanggal berapa ya"))).scalars().all()
        assert [(e.intent, e.category, e.source) for e in learnt] == [(CUSTOM[0], None, "review")]


async def test_edit_an_example_to_an_own_intent(admin: tuple[httpx.AsyncClient, Runtime]) -> None:
    client, rt = admin
    async with rt.sessions() as s:
        example = (await s.execute(select(TrainingExample).where(
            TrainingExample.text == "jam buka mpp"))).scalar_one()
    path = f"/console/admin/nlu/examples/{example.id}"
    page = await client.get(path)
    assert page.status_code == 200
    assert _options(page.text, "edit-intent") == [*INTENTS, *CUSTOM]
    assert re.search(r'<option value="jam_buka_mpp"\s+selected', page.text)
    csrf = csrf_of(page.text)

    refused = await client.post(path, data={"csrf_token": csrf, "text": "jam buka mpp",
                                            "intent": "no_such_intent"})
    assert refused.status_code == 400 and "unknown intent &#39;no_such_intent&#39;" in refused.text
    done = await client.post(path, data={"csrf_token": csrf, "text": "jam buka mpp hari ini",
                                         "intent": CUSTOM[0]}, follow_redirects=False)
    assert done.status_code == 303
    async with rt.sessions() as s:
        row = await s.get(TrainingExample, example.id)
        assert row is not None
        assert (row.text, row.intent, row.category) == ("jam buka mpp hari ini", CUSTOM[0], None)
