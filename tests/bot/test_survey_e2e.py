"""Issue #6 acceptance: complaint -> ticket -> an officer resolves it through the API -> the
citizen gets the survey on their channel, answers with a button and with typed text ->
``pintu report ikm --json`` reflects those answers.

Hand computation: completion time 4 (button), conduct "puas" = 3, complaint handling
"sangat baik" = 4 (typed). NRR 4, 3, 4; IKM = 11/3 = 3.6667; converted 275/3 = 91.67,
grade A (88.31-100).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.cli.main import main
from bot.staff.accounts import create_staff_user
from storage.models import Ticket
from tests.bot.test_pipeline import file_complaint
from tests.conftest import AppClient, talk

PASSWORD = "rahasia-petugas-123"


def report_json(url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """``pintu report ikm --json`` against the test database, as from a shell."""
    monkeypatch.setenv("PINTU_DATABASE__URL", url)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["report", "ikm", "--json"])
    assert code == 0
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


async def test_resolved_complaint_survey_answers_reach_the_ikm_report(
        client: AppClient, monkeypatch: pytest.MonkeyPatch) -> None:
    rt = client.runtime
    sender = "warga-e2e"
    number = await file_complaint(client, sender)
    async with rt.sessions() as s:
        ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()

    # An officer of the ticket's unit signs in and resolves it through the API.
    async with rt.sessions() as s, s.begin():
        await create_staff_user(rt.repositories(s), rt.catalog, username="petugas.pupr",
                                password=PASSWORD, role="officer", unit_id=ticket.unit_id)
    token = await client.post("/api/auth/token",
                              data={"username": "petugas.pupr", "password": PASSWORD})
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    resolved = await client.post(f"/api/tickets/{number}/resolve", headers=headers,
                                 json={"note": "Lubang sudah ditambal."})
    assert resolved.status_code == 200, resolved.text

    # The citizen's channel (REST, polled) now holds the resolution and the survey.
    held = (await client.get("/webhooks/rest/messages", params={"sender": sender})).json()
    question = held[-1]
    assert "(1/3)" in question["text"]
    assert [b["payload"] for b in question["buttons"]] == [
        "skm:completion_time:1", "skm:completion_time:2", "skm:completion_time:3",
        "skm:completion_time:4"]

    # A button press, then typed answers.
    assert "(2/3)" in (await talk(client, sender, "skm:completion_time:4"))[0]["text"]
    assert "(3/3)" in (await talk(client, sender, "puas"))[0]["text"]
    comment = await talk(client, sender, "sangat baik")
    assert comment[0]["buttons"][0]["payload"] == "skm:skip"
    assert "Terima kasih" in (await talk(client, sender, "skm:skip"))[0]["text"]

    db_url = rt.settings.database.url
    data = await asyncio.to_thread(report_json, db_url, monkeypatch)
    overall = data["overall"]
    assert overall["respondents"] == 1
    assert {e["element"]: e["nrr"] for e in overall["elements"]} == {
        "completion_time": 4.0, "conduct": 3.0, "complaint_handling": 4.0}
    assert overall["ikm"] == 3.6667
    assert overall["converted"] == 91.67
    assert overall["grade"] == "A"
    (unit,) = data["units"]
    assert unit["unit_id"] == ticket.unit_id and unit["respondents"] == 1
    assert [c["channel"] for c in data["channels"]] == ["rest"]
