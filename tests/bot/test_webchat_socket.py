"""The web chat over real socket.io on a real port: rasa-webchat's events end to end."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import func, select

from bot.core.runtime import Runtime
from bot.delivery.worker import OutboxWorker
from bot.tickets.lifecycle import SYSTEM, reply_to_citizen
from storage.models import Message, OutboxMessage, Ticket
from tests.bot.webchat_live import ChatClient, file_complaint, live_app
from tests.conftest import RuntimeFactory


async def test_complaint_reload_history_and_officer_reply(runtime: Runtime) -> None:
    async with live_app(runtime) as url:
        chat = ChatClient()
        await chat.connect(url)
        session_id, history = await chat.open_session(None)
        assert len(session_id) == 32 and history == []
        _, greeting = await chat.say("halo")
        # Buttons go out the way rasa-webchat reads them (and nothing else, or it drops them).
        assert set(greeting[0]) == {"text", "quick_replies"}
        qr = greeting[0]["quick_replies"]
        assert {"content_type": "text", "title": "Buat laporan", "payload": "/complaint"} in qr
        number, _ = await file_complaint(chat)
        await chat.close()

        # A reload: a new socket asks for the stored session and gets the history back.
        again = ChatClient()
        await again.connect(url)
        same, history = await again.open_session(session_id)
        assert same == session_id
        texts = [m["text"] for m in history]
        assert texts[0] == "halo"
        assert any("SDN 2" in t for t in texts)
        # The pressed button is shown by its title, as the widget showed it.
        assert "Ya, kirim" in texts and "/confirm" not in texts
        assert number in history[-1]["text"] and history[-1]["direction"] == "out"
        assert {m["client_id"] for m in history if m["direction"] == "in"} >= {"c-1", "c-3"}
        assert all(set(m) >= {"id", "direction", "text", "buttons", "ts"} for m in history)

        # An officer answers later: it comes through the outbox onto the open socket.
        rt = runtime
        async with rt.sessions() as s, s.begin():
            ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
            await reply_to_citizen(s, rt, ticket, "Tim kami menambal jalan besok pagi.", SYSTEM)
        assert await OutboxWorker(rt).run_once() == 1
        pushed = await again.next("bot_uttered")
        assert "menambal jalan" in pushed["text"] and number in pushed["text"]
        async with rt.sessions() as s:
            row = (await s.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc())
                                   )).scalars().first()
        assert row is not None and row.channel == "webchat" and row.status == "sent"
        assert row.recipient_id == session_id
        await again.close()


async def test_officer_reply_while_offline_is_in_the_history(make_runtime: RuntimeFactory,
                                                             sqlite_url: str) -> None:
    rt: Runtime = await make_runtime(sqlite_url)
    async with live_app(rt) as url:
        chat = ChatClient()
        await chat.connect(url)
        session_id, _ = await chat.open_session(None)
        number, _ = await file_complaint(chat)
        await chat.close()
        async with rt.sessions() as s, s.begin():
            ticket = (await s.execute(select(Ticket).where(Ticket.number == number))).scalar_one()
            await reply_to_citizen(s, rt, ticket, "Sudah kami jadwalkan.", SYSTEM)
        # Nobody is connected: the message is still delivered (to the history), never retried.
        assert await OutboxWorker(rt).run_once() == 1
        back = ChatClient()
        await back.connect(url)
        _, history = await back.open_session(session_id)
        assert "Sudah kami jadwalkan." in history[-1]["text"]
        assert history[-1]["sender"] == "staff"
        await back.close()


async def test_resent_message_is_answered_once(make_runtime: RuntimeFactory,
                                               sqlite_url: str) -> None:
    rt: Runtime = await make_runtime(sqlite_url)
    async with live_app(rt) as url:
        chat = ChatClient()
        await chat.connect(url)
        await chat.open_session(None)
        ack, replies = await chat.say("halo", message_id="m-1")
        assert ack == {"ok": True, "duplicate": False} and replies
        # After a reconnect the widget re-sends what it had no acknowledgement for.
        ack, again = await chat.say("halo", message_id="m-1")
        assert ack == {"ok": True, "duplicate": True}
        assert again == []
        async with rt.sessions() as s:
            n_in = (await s.execute(select(func.count()).select_from(Message).where(
                Message.direction == "in"))).scalar_one()
        assert n_in == 1
        await chat.close()

        # Another session using the same client id is a different message, not a replay.
        other = ChatClient()
        await other.connect(url)
        await other.open_session(None)
        ack, replies = await other.say("halo", message_id="m-1")
        assert ack["duplicate"] is False and replies
        await other.close()


async def test_session_ids_are_kept_or_replaced(make_runtime: RuntimeFactory,
                                                sqlite_url: str) -> None:
    rt: Runtime = await make_runtime(sqlite_url)
    async with live_app(rt) as url:
        chat = ChatClient()
        await chat.connect(url)
        kept, _ = await chat.open_session("my-session-0001")
        assert kept == "my-session-0001"
        for bad in ("../../etc", "x", "a" * 65, 5, ""):
            new, history = await chat.open_session(bad)  # type: ignore[arg-type]
            assert new != bad and len(new) == 32 and history == []
        # rasa-webchat may send the id as a bare string.
        await chat.sio.call("session_request", "my-session-0001", timeout=10)
        assert (await chat.next("session_confirm"))["session_id"] == "my-session-0001"
        await chat.close()


async def test_malformed_events_get_an_error_and_change_nothing(
        make_runtime: RuntimeFactory, sqlite_url: str) -> None:
    rt: Runtime = await make_runtime(sqlite_url)
    async with live_app(rt) as url:
        chat = ChatClient()
        await chat.connect(url)
        # No session yet and no valid session id in the event.
        ack = await chat.sio.call("user_uttered", {"message": "halo"}, timeout=10)
        assert ack["ok"] is False
        assert "session_request" in (await chat.next("pintu_error"))["error"]
        await chat.open_session(None)
        for data in ("just a string", [1, 2], {"message": 5}, {"message": "x" * 4001},
                     {"message": "   "}, {"message": "hi", "message_id": {"a": 1}},
                     {"message": "hi", "customData": "en"}, None):
            ack = await chat.sio.call("user_uttered", data, timeout=10)
            assert ack["ok"] is False, data
            assert (await chat.next("pintu_error"))["error"]
        async with rt.sessions() as s:
            assert (await s.execute(select(func.count()).select_from(Message))).scalar_one() == 0
        # The connection still works after all that.
        ack, replies = await chat.say("halo")
        assert ack["ok"] is True and replies
        await chat.close()


async def test_demo_page_and_widget_files_are_served(make_runtime: RuntimeFactory,
                                                     sqlite_url: str) -> None:
    rt: Runtime = await make_runtime(sqlite_url)
    async with live_app(rt) as url, httpx.AsyncClient(base_url=url) as http:
        page = await http.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert '<script src="/static/webchat/pintu-webchat.js"' in page.text
        assert 'href="/console"' in page.text and 'href="/docs"' in page.text
        widget = await http.get("/static/webchat/pintu-webchat.js")
        assert widget.status_code == 200 and "javascript" in widget.headers["content-type"]
        # The widget speaks socket.io itself (WebSocket only); no copied client is served.
        assert "EIO=4&transport=websocket" in widget.text
        client = await http.get("/static/webchat/vendor/socket.io.min.js")
        assert client.status_code == 404
        # Nothing in the widget or the page loads from elsewhere (the embed example aside).
        for text in (page.text, widget.text):
            assert set(re.findall(r"https?://[\w.-]+", text)) <= {"https://pintu.example"}
        handshake = await http.get("/socket.io/", params={"EIO": "4", "transport": "polling"})
        assert handshake.status_code == 200 and handshake.text.startswith("0{")
