"""A low rating reopens (issue 16, item 3), over real HTTP: a complaint filed through the
REST channel is resolved by an officer through the API; the citizen rates complaint
handling (SKM U8, the resolution question) 1 or 2 and is asked whether the problem is
really solved. "Belum" / what is still wrong reopens the ticket to the same unit with the
comment, once; a good rating or "sudah" leaves it resolved."""

from __future__ import annotations

from typing import Any

from bot.staff.accounts import create_staff_user
from tests.bot.test_pipeline import file_complaint
from tests.conftest import AppClient, talk

PASSWORD = "rahasia-petugas-123"


async def _resolve(client: AppClient, number: str) -> dict[str, str]:
    rt = client.runtime
    async with rt.sessions() as s, s.begin():
        repos = rt.repositories(s)
        ticket = await repos.tickets.by_number(number)
        assert ticket is not None
        if await repos.staff.by_username("petugas") is None:
            await create_staff_user(repos, rt.catalog, username="petugas", password=PASSWORD,
                                    role="officer", unit_id=ticket.unit_id)
    token = await client.post("/api/auth/token",
                              data={"username": "petugas", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    resp = await client.post(f"/api/tickets/{number}/resolve", headers=headers,
                             json={"note": "Sudah diperbaiki."})
    assert resp.status_code == 200, resp.text
    return headers


async def _rate(client: AppClient, sender: str, u3: int, u7: int,
                u8: int) -> list[dict[str, Any]]:
    """Answer the three short-form questions; the bot's answer to the last one."""
    await talk(client, sender, f"skm:completion_time:{u3}")
    await talk(client, sender, f"skm:conduct:{u7}")
    return await talk(client, sender, f"skm:complaint_handling:{u8}")


def _asks_followup(answers: list[dict[str, Any]], number: str) -> bool:
    last = answers[-1]
    return ("benar-benar sudah selesai" in last["text"] and number in last["text"]
            and [b["payload"] for b in last.get("buttons") or []] == [
                "skm:followup:solved", "skm:followup:not_solved"])


async def _ticket(client: AppClient, number: str, headers: dict[str, str]) -> dict[str, Any]:
    resp = await client.get(f"/api/tickets/{number}", headers=headers)
    assert resp.status_code == 200, resp.text
    data: dict[str, Any] = resp.json()
    return data


async def test_low_rating_reopens_once_with_the_citizens_words(client: AppClient) -> None:
    sender = "warga-kecewa"
    number = await file_complaint(client, sender)
    headers = await _resolve(client, number)
    # U8 = 1: the question takes the place of the comment prompt.
    assert _asks_followup(await _rate(client, sender, 3, 3, 1), number)
    reopened = await talk(client, sender, "masih sama saja")
    assert "dibuka kembali" in reopened[0]["text"] and number in reopened[0]["text"]
    ticket = await _ticket(client, number, headers)
    assert ticket["status"] == "in_progress"
    assert ticket["unit_id"] == "dinas-pupr-batu"
    last = ticket["events"][-1]
    assert (last["kind"], last["note"]) == ("low_rating_reopened", "masih sama saja")
    reopen = [e for e in ticket["events"] if e["kind"] == "status_changed"][-1]
    assert (reopen["from_status"], reopen["to_status"], reopen["note"]) == (
        "resolved", "in_progress", "masih sama saja")

    # Resolved again: the follow-up is not asked a second time (one per ticket; nor is
    # a second survey), and the ticket stays resolved.
    await _resolve(client, number)
    answers = await _rate(client, sender, 3, 3, 1)
    assert not _asks_followup(answers, number)
    assert all("dibuka kembali" not in a["text"] for a in answers)
    assert (await _ticket(client, number, headers))["status"] == "resolved"


async def test_solved_answer_and_good_ratings_leave_it_resolved(client: AppClient) -> None:
    number = await file_complaint(client, "warga-a")
    headers = await _resolve(client, number)
    assert _asks_followup(await _rate(client, "warga-a", 4, 4, 2), number)
    solved = await talk(client, "warga-a", "sudah")
    assert "tetap selesai" in solved[0]["text"]
    assert (await _ticket(client, number, headers))["status"] == "resolved"

    number = await file_complaint(client, "warga-b")
    headers = await _resolve(client, number)
    answers = await _rate(client, "warga-b", 1, 1, 3)  # low, but not on U8
    assert not _asks_followup(answers, number)
    assert "Terima kasih" in (await talk(client, "warga-b", "skm:skip"))[0]["text"]
    assert (await _ticket(client, number, headers))["status"] == "resolved"


async def test_the_not_solved_button_reopens_with_a_default_comment(client: AppClient) -> None:
    number = await file_complaint(client, "warga-c")
    headers = await _resolve(client, number)
    assert _asks_followup(await _rate(client, "warga-c", 2, 2, 2), number)
    answer = await talk(client, "warga-c", "2")  # the second button, typed as its number
    assert "dibuka kembali" in answer[0]["text"]
    ticket = await _ticket(client, number, headers)
    assert ticket["status"] == "in_progress"
    assert ticket["events"][-1]["note"] == (
        "Warga menyatakan masalah belum selesai (nilai 2 dari 4 untuk penanganan).")
