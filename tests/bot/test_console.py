"""The officers' console over HTTP: sign-in, CSRF, inbox, ticket page, actions, escaping,
languages and the live-update stream."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

import bot.web.console.routes
from bot.core.runtime import Runtime
from bot.web.console.routes import visible_event
from storage.models import AuditLog, StaffUser, Ticket, TicketEvent
from tests.browser_support import serve_app
from tests.conftest import AppClient
from tests.staff_support import (  # noqa: F401
    OUTSIDE,
    UNIT_A,
    UNIT_B,
    console_login,
    csrf_of,
    file_via_chat,
    light_argon2,
    make_staff,
    make_team,
    new_ticket,
)


async def test_sign_in_sets_a_safe_cookie_and_sign_out_ends_it(client: AppClient) -> None:
    await make_staff(client.runtime, "officer_a", "officer", UNIT_A)
    assert (await client.get("/console/inbox")).headers["location"] == "/console/login"
    page = await client.get("/console/login")
    assert page.status_code == 200 and 'name="password"' in page.text
    assert "Masuk" in page.text
    wrong = await console_login(client, "officer_a", "salah-sekali")
    assert wrong.status_code == 401 and "salah" in wrong.text
    assert "pintu_session" not in client.cookies
    # The login form itself is protected against cross-site submission.
    forged = await client.post("/console/login", data={"username": "officer_a",
                                                       "password": "x", "csrf_token": "abc"})
    assert forged.status_code == 403

    ok = await console_login(client, "officer_a")
    assert ok.status_code == 303 and ok.headers["location"] == "/console/inbox"
    cookie = next(h for h in ok.headers.get_list("set-cookie") if h.startswith("pintu_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    inbox = await client.get("/console/inbox")
    assert inbox.status_code == 200 and "Officer_A" in inbox.text
    assert inbox.headers["content-security-policy"].startswith("default-src 'self'")

    no_csrf = await client.post("/console/logout", data={})
    assert no_csrf.status_code == 403
    out = await client.post("/console/logout", data={"csrf_token": csrf_of(inbox.text)})
    assert out.status_code == 303
    assert (await client.get("/console/inbox")).status_code == 303
    async with client.runtime.sessions() as s:
        actions = list((await s.execute(select(AuditLog.action).order_by(AuditLog.id))).scalars())
    assert actions == ["user_created", "login_failed", "login", "logout"]


async def test_throttled_console_sign_in_is_refused_and_audited(client: AppClient) -> None:
    await make_staff(client.runtime, "officer_a", "officer", UNIT_A)
    guesses = await asyncio.gather(*(console_login(client, "officer_a", f"salah-{i}")
                                     for i in range(12)))
    assert sorted(r.status_code for r in guesses) == [401] * 10 + [429] * 2
    locked = await console_login(client, "officer_a")  # even the right password, for now
    assert locked.status_code == 429 and "pintu_session" not in client.cookies
    async with client.runtime.sessions() as s:
        actions = list((await s.execute(select(AuditLog.action).order_by(AuditLog.id))).scalars())
    assert actions.count("login_failed") == 10 and actions.count("login_throttled") == 3
    assert "login" not in actions


async def test_cookie_is_secure_over_https(runtime: Runtime) -> None:
    from bot.app import create_app

    await make_staff(runtime, "officer_a", "officer", UNIT_A)
    app = create_app(runtime=runtime, workers=False)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=transport, base_url="https://pintu.test") as c:
        ok = await console_login(c, "officer_a")
    cookie = next(h for h in ok.headers.get_list("set-cookie") if h.startswith("pintu_session="))
    assert "Secure" in cookie


async def test_login_redirect_stays_inside_the_console(client: AppClient) -> None:
    await make_staff(client.runtime, "officer_a", "officer", UNIT_A)
    for target, expected in (("https://evil.example/", "/console/inbox"),
                             ("//evil.example/", "/console/inbox"),
                             ("/console/tickets/X", "/console/tickets/X")):
        client.cookies.clear()
        page = await client.get("/console/login")
        resp = await client.post("/console/login", data={
            "username": "officer_a", "password": "rahasia-sekali-123",
            "csrf_token": csrf_of(page.text), "next": target})
        assert resp.status_code == 303
        assert resp.headers["location"] == expected


async def test_inbox_shows_only_the_units_tickets_with_filters(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    a1 = await new_ticket(rt, UNIT_A, sender="w1", text="jembatan retak di Bumiaji")
    a2 = await new_ticket(rt, UNIT_A, sender="w2", text="saluran air tersumbat")
    b = await new_ticket(rt, UNIT_B, sender="w3", text="antrean puskesmas")
    await console_login(client, "officer_a")
    page = (await client.get("/console/inbox")).text
    assert a1.number in page and a2.number in page and b.number not in page
    assert "antrean" not in page
    found = (await client.get("/console/inbox", params={"q": "jembatan"})).text
    assert a1.number in found and a2.number not in found
    none = (await client.get("/console/inbox", params={"status": "resolved"})).text
    assert a1.number not in none and "Tidak ada tiket" in none
    rows = (await client.get("/console/inbox/rows", params={"category": "infrastructure"})).text
    assert a1.number in rows and "<html" not in rows
    assert (await client.get("/console/inbox", params={"overdue": "1"})).status_code == 200


async def test_other_units_ticket_page_is_404_and_actions_change_nothing(
        client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    b = await new_ticket(rt, UNIT_B, sender="w-b", text="antrean puskesmas sangat lama")
    await console_login(client, "officer_a")
    inbox = await client.get("/console/inbox")
    csrf = csrf_of(inbox.text)
    page = await client.get(f"/console/tickets/{b.number}")
    missing = await client.get("/console/tickets/PTU-2099-000001")
    assert page.status_code == 404 == missing.status_code
    assert "antrean" not in page.text and "Tiket tidak ditemukan" in page.text
    for action in ("reply", "note", "forward", "resolve", "status"):
        resp = await client.post(f"/console/tickets/{b.number}/{action}",
                                 data={"csrf_token": csrf, "text": "ambil alih",
                                       "unit_id": UNIT_A, "status": "in_progress"})
        assert resp.status_code == 404, action
    async with rt.sessions() as s:
        t = await s.get(Ticket, b.id)
        n = (await s.execute(select(func.count()).select_from(TicketEvent)
                             .where(TicketEvent.ticket_id == b.id))).scalar_one()
    assert t is not None and t.unit_id == UNIT_B and n == 2


async def test_ticket_actions_need_csrf_and_work_with_it(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    t = await new_ticket(rt, UNIT_A, sender="w-act", text="lampu jalan mati",
                         latitude=-7.87, longitude=112.52)
    await console_login(client, "officer_a")
    url = f"/console/tickets/{t.number}"
    page = await client.get(url)
    assert page.status_code == 200
    assert "https://www.openstreetmap.org/?mlat=-7.87&amp;mlon=112.52" in page.text
    assert "Warga w-act" in page.text
    csrf = csrf_of(page.text)

    forged = await client.post(f"{url}/reply", data={"text": "balasan palsu"})
    assert forged.status_code == 403
    wrong = await client.post(f"{url}/reply", data={"text": "balasan palsu", "csrf_token": "x"})
    assert wrong.status_code == 403
    assert (await client.get("/webhooks/rest/messages", params={"sender": "w-act"})).json() == []

    empty = await client.post(f"{url}/reply", data={"text": "  ", "csrf_token": csrf})
    assert empty.status_code == 400 and "empty" in empty.text

    sent = await client.post(f"{url}/reply", data={"text": "Lampu akan diganti besok.",
                                                   "csrf_token": csrf})
    assert sent.status_code == 303 and sent.headers["location"] == f"{url}?done=reply"
    held = (await client.get("/webhooks/rest/messages", params={"sender": "w-act"})).json()
    assert len(held) == 1 and "Lampu akan diganti besok." in held[0]["text"]

    await client.post(f"{url}/note", data={"text": "cek gardu PLN", "csrf_token": csrf})
    await client.post(f"{url}/status", data={"status": "waiting_citizen", "csrf_token": csrf})
    bad_status = await client.post(f"{url}/status", data={"status": "closed",
                                                          "csrf_token": csrf})
    assert bad_status.status_code == 400
    done = await client.post(f"{url}/resolve", data={"text": "", "csrf_token": csrf})
    assert done.status_code == 303
    page = (await client.get(f"{url}?done=resolve")).text
    assert "Tiket diselesaikan." in page and 'id="reopen-form"' in page
    assert 'id="reply-form"' not in page
    again = await client.post(f"{url}/reopen", data={"text": "", "csrf_token": csrf})
    assert again.status_code == 303
    page = (await client.get(url)).text
    assert "cek gardu PLN" in page and "Lampu akan diganti besok." in page
    async with rt.sessions() as s:
        actions = list((await s.execute(select(AuditLog.action).where(
            AuditLog.target_id == t.number).order_by(AuditLog.id))).scalars())
    assert actions == ["reply", "note", "status_change", "resolve", "reopen"]


async def test_forward_from_the_console_leaves_the_inbox(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    t = await new_ticket(rt, UNIT_A, sender="w-fwd", text="obat puskesmas habis")
    await console_login(client, "officer_a")
    url = f"/console/tickets/{t.number}"
    page = (await client.get(url)).text
    csrf = csrf_of(page)
    # The form warns that the reason goes to the citizen word for word, and offers a note (#12).
    assert "dikirim ke warga apa adanya" in page and 'name="note"' in page
    no_reason = await client.post(f"{url}/forward", data={"unit_id": UNIT_B, "text": "",
                                                          "csrf_token": csrf})
    assert no_reason.status_code == 400
    resp = await client.post(f"{url}/forward", data={"unit_id": UNIT_B,
                                                     "text": "urusan kesehatan",
                                                     "note": "pelapor sudah 3x menelepon",
                                                     "csrf_token": csrf})
    assert resp.status_code == 303
    assert resp.headers["location"] == "/console/inbox?notice=forwarded_away"
    inbox = (await client.get(resp.headers["location"])).text
    assert t.number not in inbox and "tidak lagi ada" in inbox
    assert (await client.get(url)).status_code == 404
    told = (await client.get("/webhooks/rest/messages", params={"sender": "w-fwd"})).json()
    assert rt.catalog.unit(UNIT_B).name in told[0]["text"]
    assert "Target tanggapan baru" in told[0]["text"] and "urusan kesehatan" in told[0]["text"]
    assert "3x menelepon" not in told[0]["text"]
    async with rt.sessions() as s:
        kinds = [(e.kind, e.note) for e in (await s.execute(select(TicketEvent).where(
            TicketEvent.ticket_id == t.id).order_by(TicketEvent.id))).scalars()]
    assert ("noted", "pelapor sudah 3x menelepon") in kinds


async def test_citizens_script_is_shown_as_text(client: AppClient) -> None:
    rt = client.runtime
    await make_staff(rt, "admin", "admin", None)
    payload = "<script>alert('pwned')</script>"
    number = await file_via_chat(
        client, "warga-xss", f"jalan di depan SDN 2 Sisir berlubang besar {payload} "
                             "sudah tiga motor jatuh")
    await console_login(client, "admin")
    page = await client.get(f"/console/tickets/{number}")
    assert page.status_code == 200
    assert payload not in page.text
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page.text
    inbox = (await client.get("/console/inbox")).text
    assert number in inbox and "<script>alert" not in inbox


async def test_confidential_reporter_and_english(client: AppClient) -> None:
    rt = client.runtime
    await make_staff(rt, "officer_a", "officer", UNIT_A)
    await make_staff(rt, "officer_en", "officer", UNIT_A, language="en")
    t = await new_ticket(rt, UNIT_A, sender="w-secret", confidential=True)
    await console_login(client, "officer_a")
    page = (await client.get(f"/console/tickets/{t.number}")).text
    assert "Pelapor dirahasiakan" in page and "Warga w-secret" not in page
    english = await client.get(f"/console/tickets/{t.number}", params={"lang": "en"})
    assert "withheld" in english.text and "Reply to the citizen" in english.text
    # The choice sticks (cookie) until changed.
    assert "Inbox" in (await client.get("/console/inbox")).text
    client.cookies.clear()
    await console_login(client, "officer_en")
    assert "Sign out" in (await client.get("/console/inbox")).text


async def test_live_events_are_filtered_by_unit(runtime: Runtime) -> None:
    await make_team(runtime)
    a = await new_ticket(runtime, UNIT_A, sender="w-live-a")
    units_a = (UNIT_A,)
    assert await visible_event(runtime, units_a, "ticket",
                               {"number": a.number, "unit_id": UNIT_A}) == {"number": a.number}
    assert await visible_event(runtime, units_a, "ticket",
                               {"number": "PTU-X", "unit_id": UNIT_B}) is None
    assert await visible_event(runtime, None, "handover",
                               {"number": "PTU-X", "unit_id": UNIT_B}) == {"number": "PTU-X"}
    # A forward away still tells the old unit (its row must disappear).
    assert await visible_event(runtime, units_a, "ticket_updated",
                               {"number": a.number, "unit_id": UNIT_B,
                                "unit_ids": [UNIT_A, UNIT_B]}) == {"number": a.number}
    assert await visible_event(runtime, units_a, "message",
                               {"citizen_id": a.citizen_id}) == {"numbers": [a.number]}
    assert await visible_event(runtime, (UNIT_B,), "message",
                               {"citizen_id": a.citizen_id}) is None
    assert await visible_event(runtime, units_a, "escalated", {"count": 3}) == {}
    assert await visible_event(runtime, units_a, "survey", {"unit_id": UNIT_A}) is None


async def test_event_stream_ends_with_the_session(runtime: Runtime,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing out (or being deactivated) ends an open live-update stream within a tick."""
    monkeypatch.setattr(bot.web.console.routes, "KEEPALIVE_SECONDS", 0.2)
    await make_staff(runtime, "officer_a", "officer", UNIT_A)
    await make_staff(runtime, "officer_b", "officer", UNIT_B)
    async with serve_app(runtime) as server, httpx.AsyncClient(base_url=server.url) as c, \
            httpx.AsyncClient(base_url=server.url) as other:
        await console_login(c, "officer_a")
        await console_login(other, "officer_b")

        async def rest_of(lines: AsyncIterator[str]) -> list[str]:
            return [line async for line in lines]

        async with c.stream("GET", "/console/events") as stream:
            lines = stream.aiter_lines()
            assert await anext(lines) == "retry: 3000"
            # Still signed in: the stream stays open, with keepalives.
            assert await asyncio.wait_for(anext(lines), 2) == ""
            assert await asyncio.wait_for(anext(lines), 2) == ": keepalive"
            inbox = await c.get("/console/inbox")
            out = await c.post("/console/logout", data={"csrf_token": csrf_of(inbox.text)})
            assert out.status_code == 303
            rest = await asyncio.wait_for(rest_of(lines), 2)  # ends, no wait for 120 s
            assert all(not line.startswith("data:") for line in rest)

        async with other.stream("GET", "/console/events") as stream:
            lines = stream.aiter_lines()
            assert await anext(lines) == "retry: 3000"
            async with runtime.sessions() as s, s.begin():
                user = (await s.execute(select(StaffUser).where(
                    StaffUser.username == "officer_b"))).scalar_one()
                user.active = False
            await asyncio.wait_for(rest_of(lines), 2)


async def test_event_stream_over_http(make_runtime: object, sqlite_url: str) -> None:
    rt: Runtime = await make_runtime(sqlite_url)  # type: ignore[operator]
    await make_staff(rt, "officer_a", "officer", UNIT_A)
    await make_staff(rt, "officer_b", "officer", UNIT_B)
    async with serve_app(rt) as server, httpx.AsyncClient(base_url=server.url) as c:
        assert (await c.get("/console/events")).status_code == 303
        await console_login(c, "officer_a")
        other = httpx.AsyncClient(base_url=server.url)
        await console_login(other, "officer_b")
        async with c.stream("GET", "/console/events") as stream_a, \
                other.stream("GET", "/console/events") as stream_b:
            assert stream_a.headers["content-type"].startswith("text/event-stream")
            lines_a = stream_a.aiter_lines()
            lines_b = stream_b.aiter_lines()
            assert await anext(lines_a) == "retry: 3000"
            assert await anext(lines_b) == "retry: 3000"
            number = await file_via_chat(c, "w-live", "jalan di depan SDN 2 Sisir berlubang "
                                                      "besar, sudah tiga motor jatuh")

            async def next_event(lines: object) -> tuple[str, dict[str, object]]:
                event = ""
                async for line in lines:  # type: ignore[attr-defined]
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: ") and event:
                        return event, json.loads(line[6:])
                raise AssertionError("stream ended")

            seen: list[tuple[str, dict[str, object]]] = []
            while not any(e == "ticket" for e, _ in seen):
                seen.append(await asyncio.wait_for(next_event(lines_a), 10))
            assert ("ticket", {"number": number}) in seen
            # Officer B's stream stays silent about unit A's ticket.
            got_b = None
            with contextlib.suppress(TimeoutError):
                got_b = await asyncio.wait_for(next_event(lines_b), 0.5)
            assert got_b is None
        await other.aclose()


def test_numbers_follow_the_readers_language() -> None:
    from bot.web.console.routes import fmt_decimal

    assert fmt_decimal(3.33333, 4, "id") == "3,3333"
    assert fmt_decimal(1234.5, 2, "id") == "1.234,50"
    assert fmt_decimal(3.33333, 4, "en") == "3.3333"
    assert fmt_decimal(None, 2, "id") == "-"


async def test_favicon_and_labelled_ticket_forms(client: AppClient) -> None:
    icon = await client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    rt = client.runtime
    await make_team(rt)
    t = await new_ticket(rt, UNIT_A, sender="w-labels", text="lampu jalan mati")
    await console_login(client, "officer_a")
    page = (await client.get(f"/console/tickets/{t.number}")).text
    for field in ("reply-text", "note-text", "status-select", "forward-reason"):
        assert f'<label for="{field}">' in page and f'id="{field}"' in page, field
    assert "(Petugas" in page and "(officer" not in page


async def test_a_forward_is_one_line_in_the_history(client: AppClient) -> None:
    rt = client.runtime
    await make_team(rt)
    await make_staff(rt, "admin_h", "admin", None)
    t = await new_ticket(rt, UNIT_A, sender="w-hist", text="obat puskesmas habis")
    await console_login(client, "admin_h")
    url = f"/console/tickets/{t.number}"
    csrf = csrf_of((await client.get(url)).text)
    # In progress first, so the forward also moves it back to "routed".
    await client.post(f"{url}/reply", data={"text": "kami cek", "csrf_token": csrf})
    await client.post(f"{url}/forward", data={"unit_id": UNIT_B, "text": "urusan unit B",
                                              "csrf_token": csrf})
    history = (await client.get(url)).text.split('id="history"')[1]
    assert history.count("urusan unit B") == 1
    assert history.count('class="event forwarded"') == 1


def test_a_pressed_button_is_shown_by_its_label_not_its_payload() -> None:
    from bot.web.console.routes import pressed_button

    assert pressed_button("/confirm", "id") == "Ya, kirim"
    assert pressed_button("/confirm", "en") == "Yes, send"
    assert pressed_button("/edit_place", "id") == "Lokasi"
    assert pressed_button("/topic health", "id") == "Kesehatan"
    assert pressed_button(None) is None
