"""The staff API over HTTP on SQLite and PostgreSQL: every route and every access rule."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

import bot.staff.signin
from bot.tickets.lifecycle import escalate_overdue
from storage.models import AuditLog, NluReviewItem, StaffSession, Ticket, TicketEvent, utcnow
from tests.conftest import AppClient
from tests.log_scan import scanned_logs  # noqa: F401  (scans this module's logs)
from tests.staff_support import (  # noqa: F401
    OUTSIDE,
    PARENT,
    PASSWORD,
    UNIT_A,
    UNIT_B,
    api_headers,
    light_argon2,
    make_staff,
    make_team,
    new_ticket,
)


async def _numbers(client: AppClient, headers: dict[str, str], **params: object) -> set[str]:
    resp = await client.get("/api/tickets", headers=headers, params=params)
    assert resp.status_code == 200, resp.text
    return {t["number"] for t in resp.json()["items"]}


async def _audit_actions(client: AppClient) -> list[str]:
    async with client.runtime.sessions() as s:
        return list((await s.execute(select(AuditLog.action).order_by(AuditLog.id))).scalars())


async def test_token_flow_and_unauthenticated_calls(client: AppClient) -> None:
    rt = client.runtime
    await make_staff(rt, "officer_a", "officer", UNIT_A)
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic x"}):
        resp = await client.get("/api/tickets", headers=headers)
        assert resp.status_code == 401
        assert resp.headers["www-authenticate"] == "Bearer"
    bad = await client.post("/api/auth/token", data={"username": "officer_a", "password": "x"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"
    unknown = await client.post("/api/auth/token", data={"username": "nobody", "password": "x"})
    assert unknown.status_code == 400
    missing = await client.post("/api/auth/token", data={"username": "officer_a"})
    assert missing.status_code == 422

    resp = await client.post("/api/auth/token",
                             data={"username": "Officer_A", "password": PASSWORD})
    assert resp.status_code == 200
    body = resp.json()
    assert body["token_type"] == "bearer"
    hours = rt.settings.console.session_hours
    assert abs(body["expires_in"] - hours * 3600) < 60
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    me = (await client.get("/api/auth/me", headers=headers)).json()
    assert (me["username"], me["role"], me["visible_unit_ids"]) == ("officer_a", "officer",
                                                                    [UNIT_A])
    # Only the token's hash is stored.
    async with rt.sessions() as s:
        stored = list((await s.execute(select(StaffSession.token_hash))).scalars())
    assert body["access_token"] not in stored and len(stored) == 1

    assert (await client.post("/api/auth/logout", headers=headers)).status_code == 204
    assert (await client.get("/api/tickets", headers=headers)).status_code == 401
    assert await _audit_actions(client) == ["user_created", "login_failed", "login_failed",
                                            "login", "logout"]


async def test_expired_token_and_inactive_user_are_refused(client: AppClient) -> None:
    rt = client.runtime
    user = await make_staff(rt, "officer_a", "officer", UNIT_A)
    headers = await api_headers(client, "officer_a")
    async with rt.sessions() as s, s.begin():
        row = (await s.execute(select(StaffSession))).scalar_one()
        row.expires_at = utcnow() - timedelta(seconds=1)
    assert (await client.get("/api/tickets", headers=headers)).status_code == 401
    headers = await api_headers(client, "officer_a")
    async with rt.sessions() as s, s.begin():
        u = await s.get(type(user), user.id)
        assert u is not None
        u.active = False
    assert (await client.get("/api/tickets", headers=headers)).status_code == 401
    resp = await client.post("/api/auth/token",
                             data={"username": "officer_a", "password": PASSWORD})
    assert resp.status_code == 400


async def test_failed_sign_ins_lock_the_username(client: AppClient) -> None:
    await make_staff(client.runtime, "officer_a", "officer", UNIT_A)
    for _ in range(10):
        resp = await client.post("/api/auth/token",
                                 data={"username": "officer_a", "password": "wrong-guess"})
        assert resp.status_code == 400
    locked = await client.post("/api/auth/token",
                               data={"username": "officer_a", "password": PASSWORD})
    assert locked.status_code == 429
    # Another username is not affected.
    await make_staff(client.runtime, "officer_b", "officer", UNIT_B)
    await api_headers(client, "officer_b")


async def test_parallel_guesses_are_throttled_and_audited(client: AppClient,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Forty guesses at once: the attempts take turns, so no more passwords are checked than
    the limit allows, and every refusal is in the audit trail."""
    await make_staff(client.runtime, "officer_a", "officer", UNIT_A)
    checks: list[str] = []
    verify = bot.staff.signin.verify_password

    def counting_verify(password_hash: str, password: str) -> bool:
        checks.append(password)
        return verify(password_hash, password)

    monkeypatch.setattr(bot.staff.signin, "verify_password", counting_verify)

    async def guess(i: int) -> int:
        resp = await client.post("/api/auth/token", data={
            "username": "Officer_A" if i % 2 else "officer_a", "password": f"wrong-{i}"})
        return resp.status_code

    codes = await asyncio.gather(*(guess(i) for i in range(40)))
    assert len(checks) == bot.staff.signin.MAX_FAILED_LOGINS
    assert sorted(codes) == [400] * 10 + [429] * 30
    actions = await _audit_actions(client)
    assert actions.count("login_failed") == 10 and actions.count("login_throttled") == 30
    async with client.runtime.sessions() as s:
        throttled = (await s.execute(select(AuditLog).where(
            AuditLog.action == "login_throttled"))).scalars().all()
    assert {(a.target_type, a.target_id) for a in throttled} == {("username", "officer_a")}


async def test_visibility_per_role(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    a = await new_ticket(rt, UNIT_A, sender="w-a")
    b = await new_ticket(rt, UNIT_B, sender="w-b")
    out = await new_ticket(rt, OUTSIDE, sender="w-out")
    seen = {name: await _numbers(client, await api_headers(client, name))
            for name in ("officer_a", "officer_b", "supervisor", "officer_parent",
                         "officer_out", "admin")}
    assert seen["officer_a"] == {a.number}
    assert seen["officer_b"] == {b.number}
    assert seen["supervisor"] == {a.number, b.number}  # their unit and the units below it
    assert seen["officer_parent"] == set()  # an officer sees only their own unit
    assert seen["officer_out"] == {out.number}
    assert seen["admin"] == {a.number, b.number, out.number}


async def test_other_units_ticket_answers_404_for_every_route(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    b = await new_ticket(rt, UNIT_B, sender="w-b", text="antrean puskesmas sangat lama")
    headers = await api_headers(client, "officer_a")
    missing = await client.get("/api/tickets/PTU-2099-999999", headers=headers)
    assert missing.status_code == 404
    calls = [
        ("GET", "", None),
        ("POST", "/reply", {"text": "halo"}),
        ("POST", "/note", {"text": "catatan"}),
        ("POST", "/forward", {"unit_id": UNIT_A, "reason": "ambil alih"}),
        ("POST", "/resolve", {}),
        ("POST", "/reopen", {}),
        ("POST", "/status", {"status": "in_progress"}),
    ]
    for method, suffix, body in calls:
        resp = await client.request(method, f"/api/tickets/{b.number}{suffix}",
                                    headers=headers, json=body)
        assert resp.status_code == 404, (suffix, resp.text)
        # The same answer as for a ticket that does not exist: nothing leaks.
        assert resp.json() == missing.json()
        assert "antrean" not in resp.text
    # Lower-case numbers are the same ticket, and still not visible.
    assert (await client.get(f"/api/tickets/{b.number.lower()}",
                             headers=headers)).status_code == 404
    async with rt.sessions() as s:
        t = await s.get(Ticket, b.id)
        n_events = (await s.execute(select(func.count()).select_from(TicketEvent).where(
            TicketEvent.ticket_id == b.id))).scalar_one()
    assert t is not None and (t.unit_id, t.status) == (UNIT_B, "routed") and n_events == 2


async def test_officer_actions_end_to_end(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    t = await new_ticket(rt, UNIT_A, sender="w-act", text="lampu jalan mati, jalan gelap",
                         latitude=-7.87, longitude=112.52, location_text="Jl. Diponegoro")
    h = await api_headers(client, "officer_a")
    url = f"/api/tickets/{t.number}"

    detail = (await client.get(url, headers=h)).json()
    assert detail["status"] == "routed" and detail["unit_id"] == UNIT_A
    assert detail["map_url"] == "https://www.openstreetmap.org/?mlat=-7.87&mlon=112.52"
    assert detail["citizen"] == {"confidential": False, "display_name": "Warga w-act",
                                 "channels": ["rest"]}
    assert [e["kind"] for e in detail["events"]] == ["created", "routed"]

    r = await client.post(f"{url}/reply", headers=h,
                          json={"text": "Petugas kami akan memeriksa lampu itu."})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    held = (await client.get("/webhooks/rest/messages", params={"sender": "w-act"})).json()
    assert len(held) == 1 and "memeriksa lampu" in held[0]["text"]

    r = await client.post(f"{url}/note", headers=h, json={"text": "cek gardu dulu"})
    assert r.status_code == 200
    r = await client.post(f"{url}/status", headers=h, json={"status": "waiting_citizen"})
    assert r.json()["status"] == "waiting_citizen"
    r = await client.post(f"{url}/status", headers=h, json={"status": "closed"})
    assert r.status_code == 422  # only in_progress / waiting_citizen may be set directly
    r = await client.post(f"{url}/resolve", headers=h, json={"note": "Lampu sudah diganti."})
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    r = await client.post(f"{url}/resolve", headers=h)
    assert r.status_code == 400 and "already resolved" in r.json()["detail"]
    r = await client.post(f"{url}/reopen", headers=h, json={"reason": "warga: masih mati"})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"

    detail = (await client.get(url, headers=h)).json()
    kinds = [e["kind"] for e in detail["events"]]
    assert kinds.count("replied") == 1 and kinds.count("noted") == 1
    staff_msgs = [m for m in detail["messages"] if m["sender_type"] == "staff"]
    assert staff_msgs[0]["staff_name"] == "Officer_A" and staff_msgs[0]["this_ticket"]
    actions = await _audit_actions(client)
    for name in ("reply", "note", "status_change", "resolve", "reopen"):
        assert name in actions


async def test_setting_a_ticket_in_progress_tells_the_citizen_once(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    t = await new_ticket(rt, UNIT_A, sender="w-prog", text="lampu jalan mati, jalan gelap")
    h = await api_headers(client, "officer_a")
    url = f"/api/tickets/{t.number}"

    async def held() -> list[str]:
        got = (await client.get("/webhooks/rest/messages", params={"sender": "w-prog"})).json()
        return [m["text"] for m in got]

    r = await client.post(f"{url}/status", headers=h,
                          json={"status": "in_progress", "note": "tim berangkat jam 9"})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    # The note is for officers; the citizen hears that work has started, by whom.
    assert await held() == [f"Tiket {t.number} sedang ditindaklanjuti oleh "
                            f"{rt.unit_short_name(UNIT_A)}. Perkembangannya akan kami "
                            "kabarkan kepada Anda."]
    # Back and forth between waiting and in progress is not news again.
    for status in ("waiting_citizen", "in_progress"):
        r = await client.post(f"{url}/status", headers=h, json={"status": status})
        assert r.json()["status"] == status
    assert await held() == []


async def test_forward_moves_the_ticket_out_of_the_inbox(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    t = await new_ticket(rt, UNIT_A, sender="w-fwd", text="obat di puskesmas habis")
    ha = await api_headers(client, "officer_a")
    hb = await api_headers(client, "officer_b")
    url = f"/api/tickets/{t.number}"
    for body in ({"unit_id": "no-such-unit", "reason": "x"}, {"unit_id": UNIT_B, "reason": " "},
                 {"unit_id": UNIT_A, "reason": "sama"}):
        resp = await client.post(f"{url}/forward", headers=ha, json=body)
        assert resp.status_code == 400, body
    missing_reason = await client.post(f"{url}/forward", headers=ha, json={"unit_id": UNIT_B})
    assert missing_reason.status_code == 422
    assert await _numbers(client, ha) == {t.number}

    resp = await client.post(f"{url}/forward", headers=ha,
                             json={"unit_id": UNIT_B, "reason": "urusan kesehatan"})
    assert resp.status_code == 200
    assert resp.json()["visible"] is False and resp.json()["unit_id"] == UNIT_B
    assert await _numbers(client, ha) == set()
    assert (await client.get(url, headers=ha)).status_code == 404
    assert await _numbers(client, hb) == {t.number}
    detail = (await client.get(url, headers=hb)).json()
    fwd = [e for e in detail["events"] if e["kind"] == "forwarded"]
    assert fwd[0]["from_unit_id"] == UNIT_A and fwd[0]["note"] == "urusan kesehatan"
    told = (await client.get("/webhooks/rest/messages", params={"sender": "w-fwd"})).json()
    assert rt.catalog.unit(UNIT_B).name in told[0]["text"]
    async with rt.sessions() as s:
        review = (await s.execute(select(NluReviewItem))).scalar_one()
    assert review.suggested_category == "health"


async def test_escalated_tickets_reach_the_parent_unit(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    t = await new_ticket(rt, UNIT_A, sender="w-esc")
    hp = await api_headers(client, "officer_parent")
    assert await _numbers(client, hp) == set()
    assert t.due_at is not None
    async with rt.sessions() as s, s.begin():
        assert await escalate_overdue(s, rt, now=t.due_at + timedelta(hours=1)) == 1
    assert await _numbers(client, hp) == {t.number}
    detail = (await client.get(f"/api/tickets/{t.number}", headers=hp)).json()
    assert detail["escalated"] and detail["escalated_to_unit_id"] == PARENT
    # Officers of other units still do not see it.
    hb = await api_headers(client, "officer_b")
    assert (await client.get(f"/api/tickets/{t.number}", headers=hb)).status_code == 404


async def test_filters_and_search(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    t1 = await new_ticket(rt, UNIT_A, sender="w-f1", text="jembatan retak di Bumiaji")
    t2 = await new_ticket(rt, UNIT_A, sender="w-f2", text="trotoar rusak 100% parah")
    h = await api_headers(client, "officer_a")
    await client.post(f"/api/tickets/{t2.number}/resolve", headers=h)
    assert await _numbers(client, h, q="jembatan") == {t1.number}
    assert await _numbers(client, h, q="100%") == {t2.number}
    assert await _numbers(client, h, q="_") == set()  # a wildcard is just a character
    assert await _numbers(client, h, status="resolved") == {t2.number}
    assert await _numbers(client, h, category="health") == set()
    assert await _numbers(client, h, channel="rest") == {t1.number, t2.number}
    assert await _numbers(client, h, overdue="true") == set()
    bad = await client.get("/api/tickets", headers=h, params={"status": "bogus"})
    assert bad.status_code == 422


async def test_confidential_reporter_is_hidden_from_the_unit(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    t = await new_ticket(rt, UNIT_A, sender="w-secret", confidential=True)
    officer = (await client.get(f"/api/tickets/{t.number}",
                                headers=await api_headers(client, "officer_a"))).json()
    assert officer["citizen"] == {"confidential": True, "display_name": None, "channels": []}
    # The history does not give the citizen's id away either.
    created = [e for e in officer["events"] if e["actor_type"] == "citizen"]
    assert created and all(e["actor_id"] is None for e in created)
    admin = (await client.get(f"/api/tickets/{t.number}",
                              headers=await api_headers(client, "admin"))).json()
    assert admin["citizen"]["display_name"] == "Warga w-secret"
    assert str(t.citizen_id) in [e["actor_id"] for e in admin["events"]
                                 if e["actor_type"] == "citizen"]


async def test_openapi_documents_the_staff_api(client: AppClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    for path in ("/api/auth/token", "/api/tickets", "/api/tickets/{number}",
                 "/api/tickets/{number}/reply", "/api/tickets/{number}/note",
                 "/api/tickets/{number}/forward", "/api/tickets/{number}/resolve",
                 "/api/tickets/{number}/reopen"):
        assert path in paths, path
    assert paths["/api/tickets"]["get"]["tags"] == ["tickets"]
    assert paths["/api/auth/token"]["post"]["tags"] == ["auth"]
    schemes = spec["components"]["securitySchemes"]
    assert any(s["type"] == "oauth2" for s in schemes.values())
    assert not any(p.startswith("/console") for p in paths)
