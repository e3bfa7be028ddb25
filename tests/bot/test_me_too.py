""""Saya juga" (issue 16, item 2) over real HTTP: the app and the fake Telegram Bot API and
WhatsApp Cloud API each on a local port. A citizen on Telegram files a complaint; another
on WhatsApp reports the same problem at the same place, is shown that ticket and joins it
instead of filing a new one. The officer's reply and the resolution reach both, each on
their own channel, and both rate it (two IKM respondents). Officers see the joiners and
merge or split tickets by hand, only within their own units."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.core.runtime import Runtime
from bot.delivery.worker import OutboxWorker
from bot.tickets.lifecycle import create_ticket
from storage.models import Survey, SurveyResponse, Ticket, TicketJoiner, utcnow
from tests.bot.test_webhooks_whatsapp import (
    body_text,
    button_reply,
    reply_ids,
    sign,
    text,
    whatsapp_settings,
)
from tests.channels.fakes import FakeBotAPI, FakeGraphAPI, serve
from tests.conftest import talk
from tests.staff_support import UNIT_A, api_headers, make_staff

NUMBER = re.compile(r"PTU-\d{4}-\d{6}")
TG_SECRET = "hook-secret-me-too"
TG_CHAT = 555777
WA_PHONE = "6281299990001"
FIRST = "lampu jalan mati di depan masjid Al Ikhlas kelurahan Sisir, sudah tiga malam gelap"
SECOND = "lampu jalan depan masjid al ikhlas di Sisir mati, gelap sekali kalau malam"
ME_TOO_ON = {"me_too": {"enabled": True, "distance_m": 300, "min_similarity": 0.5,
                        "window_days": 30}}


@dataclass
class Both:
    """The app on a real port, its runtime, the two fake providers and an outbox worker."""

    http: httpx.AsyncClient
    rt: Runtime
    tg: FakeBotAPI
    graph: FakeGraphAPI
    worker: OutboxWorker
    _update: int = 1000

    async def deliver(self) -> None:
        for _ in range(30):
            if not await self.worker.run_once():
                return

    def tg_texts(self) -> list[str]:
        return [self.tg.params(r)["text"] for r in self.tg.calls("sendMessage")]

    def tg_buttons(self) -> list[str]:
        """The callback data of the last Telegram message's inline keyboard."""
        markup = json.loads(self.tg.params(self.tg.calls("sendMessage")[-1]).get(
            "reply_markup") or "{}")
        return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]

    def wa_sent(self) -> list[dict[str, Any]]:
        return [r.json for r in self.graph.requests]

    async def telegram(self, words: str = "", data: str | None = None) -> str:
        """A Telegram update (a message, or a button's callback); the bot's last answer."""
        self._update += 1
        chat = {"id": TG_CHAT, "type": "private"}
        who = {"id": TG_CHAT, "is_bot": False, "first_name": "Budi"}
        if data is None:
            update: dict[str, Any] = {"update_id": self._update, "message": {
                "message_id": self._update, "date": int(time.time()), "chat": chat,
                "from": who, "text": words}}
        else:
            update = {"update_id": self._update, "callback_query": {
                "id": f"cbq-{self._update}", "from": who, "data": data,
                "message": {"message_id": 1, "date": 0, "chat": chat}}}
        resp = await self.http.post("/webhooks/telegram", content=json.dumps(update).encode(),
                                    headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET,
                                             "content-type": "application/json"})
        assert resp.status_code == 200, resp.text
        await self.deliver()
        return self.tg_texts()[-1]

    async def whatsapp(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A signed WhatsApp webhook; the last message body the bot sent."""
        body = json.dumps(payload).encode()
        resp = await self.http.post("/webhooks/whatsapp", content=body, headers={
            "content-type": "application/json", "X-Hub-Signature-256": sign(body)})
        assert resp.status_code == 200, resp.text
        await self.deliver()
        return self.wa_sent()[-1]


@contextlib.asynccontextmanager
async def both_channels(make_runtime: Any, url: str) -> AsyncIterator[Both]:
    tg, graph = FakeBotAPI(), FakeGraphAPI()
    async with serve(tg.app) as tg_url, serve(graph.app) as graph_url:
        tg.url, graph.url = tg_url, graph_url
        rt: Runtime = await make_runtime(
            url, whatsapp=whatsapp_settings(graph), cases=ME_TOO_ON,
            telegram={"token": tg.token, "secret": TG_SECRET, "api_url": tg.url,
                      "per_chat_interval_seconds": 0})
        app = create_app(runtime=rt, workers=False)
        async with (app.router.lifespan_context(app), serve(app) as base,
                    httpx.AsyncClient(base_url=base, timeout=30) as http):
            yield Both(http, rt, tg, graph, OutboxWorker(rt))


async def telegram_ticket(h: Both) -> str:
    """Citizen A reports on Telegram and sends; the ticket number."""
    answer = await h.telegram(FIRST)
    if "/confirm" not in h.tg_buttons():  # asked where
        answer = await h.telegram("Jl. Diponegoro, Sisir, Kota Batu")
    assert "/confirm" in h.tg_buttons(), answer
    done = await h.telegram(data="/confirm")
    match = NUMBER.search(done)
    assert match, done
    return match.group(0)


async def whatsapp_offer(h: Both, phone: str = WA_PHONE, words: str = SECOND) -> dict[str, Any]:
    """Citizen B reports the same on WhatsApp and presses send: what the bot shows."""
    reply = await h.whatsapp(text(words, phone=phone, name="Sari"))
    if "/confirm" not in reply_ids(reply):
        reply = await h.whatsapp(text("Jl. Diponegoro, Sisir, Kota Batu", phone=phone))
    assert "/confirm" in reply_ids(reply), reply
    return await h.whatsapp(button_reply("/confirm", "Ya, kirim", phone=phone))


async def tickets(rt: Runtime) -> int:
    async with rt.sessions() as s:
        return int((await s.execute(select(func.count(Ticket.id)))).scalar_one())


async def test_me_too_with_two_citizens_on_different_channels(make_runtime: Any,
                                                              db_url: str) -> None:
    async with both_channels(make_runtime, db_url) as h:
        number = await telegram_ticket(h)
        offer = await whatsapp_offer(h)
        # Shown the open ticket, its place and joiners, with the two choices as buttons.
        shown = body_text(offer)
        assert number in shown and "Warga yang ikut melapor: 0" in shown, shown
        assert "masjid Al Ikhlas" in shown and "Sisir" in shown
        assert reply_ids(offer) == ["/join", "/new_report"]
        assert offer["to"] == WA_PHONE
        joined = body_text(await h.whatsapp(button_reply("/join", "Ya, saya juga",
                                                         phone=WA_PHONE)))
        async with h.rt.sessions() as s:
            ticket = (await s.execute(select(Ticket).where(Ticket.number == number))
                      ).scalar_one()
            joiner = (await s.execute(select(TicketJoiner))).scalar_one()
        assert joined == (
            f"Terima kasih, Anda ikut laporan {number} yang ditangani "
            f"{h.rt.unit_name(ticket.unit_id)}. Keterangan Anda sudah kami teruskan ke "
            "petugas, dan setiap perkembangan tiket ini akan kami kabarkan kepada Anda.\n"
            f"Kode cek tiket: {ticket.check_code} (untuk melihat status bersama nomor tiket).")
        assert await tickets(h.rt) == 1  # no second ticket
        assert (joiner.ticket_id, joiner.channel, joiner.source) == (ticket.id, "whatsapp",
                                                                     "me_too")
        assert joiner.comment.startswith(SECOND)
        assert joiner.citizen_id != ticket.citizen_id
        # "My tickets" lists the ticket they joined, and its status is theirs to ask.
        asked = await h.whatsapp(button_reply("/status", "Cek status", phone=WA_PHONE))
        assert reply_ids(asked) == [f"/status {number}"], asked
        status = body_text(await h.whatsapp(button_reply(f"/status {number}", number,
                                                         phone=WA_PHONE)))
        assert status.startswith(
            f"Tiket {number}\nStatus: Diteruskan ke unit\n"
            f"Ditangani oleh: {h.rt.unit_name(ticket.unit_id)}\nDibuat: "), status

        # The officer sees the joiner, and the reply reaches both citizens.
        await make_staff(h.rt, "petugas_pju", "officer", ticket.unit_id)
        headers = await api_headers(h.http, "petugas_pju")
        detail = (await h.http.get(f"/api/tickets/{number}", headers=headers)).json()
        assert detail["joiners"] == 1
        assert [(j["channel"], j["source"], j["display_name"]) for j in detail["joiner_list"]] \
            == [("whatsapp", "me_too", "Sari")]
        assert detail["events"][-1]["kind"] == "joined"
        listed = (await h.http.get("/api/tickets", headers=headers)).json()["items"]
        assert [(t["number"], t["joiners"]) for t in listed] == [(number, 1)]
        wa_before = len(h.wa_sent())
        resp = await h.http.post(f"/api/tickets/{number}/reply", headers=headers,
                                 json={"text": "Petugas PJU menuju lokasi besok pagi."})
        assert resp.status_code == 200, resp.text
        await h.deliver()
        assert h.tg_texts()[-1].endswith("Petugas PJU menuju lokasi besok pagi.")
        assert number in h.tg_texts()[-1]
        to_joiner = h.wa_sent()[wa_before:]
        assert [(m["to"], body_text(m)) for m in to_joiner] == [(WA_PHONE, (
            f"Balasan petugas {h.rt.unit_short_name(ticket.unit_id)} untuk tiket {number} "
            "yang Anda ikuti:\nPetugas PJU menuju lokasi besok pagi."))]

        # Resolved: both are told and both are asked to rate it, each on their channel.
        resp = await h.http.post(f"/api/tickets/{number}/resolve", headers=headers,
                                 json={"note": "Lampu sudah diganti."})
        assert resp.status_code == 200, resp.text
        await h.deliver()
        wa_told = [body_text(m) for m in h.wa_sent()[wa_before + 1:]]
        assert wa_told[0].startswith(f"Tiket {number} yang Anda ikuti telah diselesaikan")
        assert "Lampu sudah diganti." in wa_told[0]
        assert "skm:" in " ".join(reply_ids(h.wa_sent()[-1]))
        assert any("diselesaikan" in t for t in h.tg_texts()[-2:])
        for element, score in (("completion_time", 4), ("conduct", 3),
                               ("complaint_handling", 4)):
            await h.whatsapp(button_reply(f"skm:{element}:{score}", str(score),
                                          phone=WA_PHONE))
            await h.telegram(data=f"skm:{element}:3")
        async with h.rt.sessions() as s:
            surveys = (await s.execute(select(Survey.citizen_id, Survey.channel)
                                       .where(Survey.ticket_id == ticket.id)
                                       .order_by(Survey.id))).all()
            answers = (await s.execute(
                select(SurveyResponse.citizen_id, func.count(SurveyResponse.id))
                .group_by(SurveyResponse.citizen_id))).all()
        assert [tuple(r) for r in surveys] == [(ticket.citizen_id, "telegram"),
                                               (joiner.citizen_id, "whatsapp")]
        # Two respondents for the IKM, three answers each.
        assert sorted(tuple(r) for r in answers) == sorted(
            [(ticket.citizen_id, 3), (joiner.citizen_id, 3)])


async def test_filing_anyway_and_the_officers_merge_and_split(make_runtime: Any,
                                                              sqlite_url: str) -> None:
    async with both_channels(make_runtime, sqlite_url) as h:
        first = await telegram_ticket(h)
        offer = await whatsapp_offer(h)
        assert reply_ids(offer) == ["/join", "/new_report"]
        # "2" is the second button typed: a new report after all.
        done = body_text(await h.whatsapp(text("2", phone=WA_PHONE)))
        second = NUMBER.search(done)
        assert second and second.group(0) != first, done
        second_number = second.group(0)
        assert await tickets(h.rt) == 2

        await make_staff(h.rt, "petugas_a", "officer", UNIT_A)
        await make_staff(h.rt, "petugas_lain", "officer", "dinkes-batu")
        async with h.rt.sessions() as s:
            units = {t.number: t.unit_id for t in (await s.execute(select(Ticket))).scalars()}
        assert units == {first: UNIT_A, second_number: UNIT_A}
        mine = await api_headers(h.http, "petugas_a")
        other = await api_headers(h.http, "petugas_lain")

        # Another unit's officer cannot touch either ticket: the same 404 as no ticket.
        resp = await h.http.post(f"/api/tickets/{second_number}/merge", headers=other,
                                 json={"target": first})
        assert resp.status_code == 404
        bad = await h.http.post(f"/api/tickets/{second_number}/merge", headers=mine,
                                json={"target": second_number})
        assert (bad.status_code, bad.json()["detail"]) == (
            400, "a ticket cannot be merged into itself")

        wa_before = len(h.wa_sent())
        resp = await h.http.post(f"/api/tickets/{second_number}/merge", headers=mine,
                                 json={"target": first})
        assert resp.status_code == 200, resp.text
        assert (resp.json()["status"], resp.json()["visible"]) == ("closed", True)
        await h.deliver()
        assert [body_text(m) for m in h.wa_sent()[wa_before:]] == [
            f"Laporan {second_number} digabung dengan laporan {first} tentang masalah yang "
            f"sama, ditangani {h.rt.unit_name(UNIT_A)}. Anda tidak perlu melapor ulang: "
            f"kabar selanjutnya kami kirim untuk tiket {first}."]
        source = (await h.http.get(f"/api/tickets/{second_number}", headers=mine)).json()
        assert source["merged_into"] == first and source["status"] == "closed"
        assert [e["kind"] for e in source["events"]][-2:] == ["merged_into", "status_changed"]
        target = (await h.http.get(f"/api/tickets/{first}", headers=mine)).json()
        assert target["joiners"] == 1
        [joined] = target["joiner_list"]
        assert (joined["source"], joined["merged_from"], joined["channel"]) == (
            "merged", second_number, "whatsapp")
        assert joined["comment"].startswith(SECOND)
        # A merged ticket is closed: it cannot be merged again.
        again = await h.http.post(f"/api/tickets/{second_number}/merge", headers=mine,
                                  json={"target": first})
        assert (again.status_code, again.json()["detail"]) == (400,
                                                               "only open tickets can be merged")

        # Split the joiner off again: a new ticket of their own, routed like any other.
        resp = await h.http.post(f"/api/tickets/{first}/split", headers=other,
                                 json={"joiner_id": joined["id"]})
        assert resp.status_code == 404
        wa_before = len(h.wa_sent())
        resp = await h.http.post(f"/api/tickets/{first}/split", headers=mine,
                                 json={"joiner_id": joined["id"]})
        assert resp.status_code == 200, resp.text
        await h.deliver()
        [told] = [body_text(m) for m in h.wa_sent()[wa_before:]]
        third = NUMBER.findall(told)[0]
        assert third not in (first, second_number)
        assert told.startswith(f"Laporan Anda kini ditangani sebagai tiket tersendiri {third} "
                               f"oleh {h.rt.unit_name(UNIT_A)}, terpisah dari tiket {first}.")
        split = (await h.http.get(f"/api/tickets/{third}", headers=mine)).json()
        assert split["status"] == "routed" and split["description"].startswith(SECOND)
        assert split["channel"] == "whatsapp" and split["joiners"] == 0
        assert [e["kind"] for e in split["events"]] == ["created", "routed", "split_from"]
        after = (await h.http.get(f"/api/tickets/{first}", headers=mine)).json()
        assert after["joiners"] == 0 and after["events"][-1]["kind"] == "split"
        missing = await h.http.post(f"/api/tickets/{first}/split", headers=mine,
                                    json={"joiner_id": joined["id"]})
        assert (missing.status_code, missing.json()["detail"]) == (
            400, "no such joiner on this ticket")


@pytest.mark.parametrize("answer", ["iya", "1", "Ya, saya juga"])
async def test_typed_answers_on_a_channel_without_buttons(make_runtime: Any, sqlite_url: str,
                                                          answer: str) -> None:
    """The REST channel gets the buttons as data; a typed "iya", "1" or the button's title
    joins as the button does."""
    rt: Runtime = await make_runtime(sqlite_url, cases=ME_TOO_ON)
    app = create_app(runtime=rt, workers=False)
    async with (app.router.lifespan_context(app), serve(app) as base,
                httpx.AsyncClient(base_url=base, timeout=30) as client):
        for sender, words in (("warga-1", FIRST), ("warga-2", SECOND)):
            replies = await talk(client, sender, words)
            if "kirim" not in replies[-1]["text"].lower():
                replies = await talk(client, sender, "Jl. Diponegoro, Sisir, Kota Batu")
            replies = await talk(client, sender, "ya")
        number = NUMBER.search(replies[-1]["text"])
        assert number and "Ya, saya juga" in [b["title"] for b in replies[-1]["buttons"]]
        joined = await talk(client, "warga-2", answer)
        assert joined[0]["text"].startswith(f"Terima kasih, Anda ikut laporan {number.group(0)}")
        assert await tickets(rt) == 1
        # A joiner may ask for the ticket's status by its number alone, as its reporter does.
        status = await talk(client, "warga-2", f"status {number.group(0)}")
        assert number.group(0) in status[0]["text"] and "Status" in status[0]["text"]


async def test_pins_nearby_match_and_joiners_words_follow_erasure_and_retention(
        make_runtime: Any, db_url: str) -> None:
    """Without a village, two shared locations 150 m apart match (the repository's box and
    the pure distance agree, on SQLite and PostgreSQL); 500 m apart they do not. What a
    joiner said is exported with their data, erased with it, and anonymised with the
    ticket by the retention sweep."""
    from datetime import timedelta

    from bot.tickets.lifecycle import SYSTEM, change_status
    from bot.tickets.me_too import find_match, join_ticket
    from storage.repositories.citizens import CitizenRepository
    from storage.repositories.privacy import ANONYMISED, ERASED, PrivacyRepository

    lamp = "lampu jalan mati di depan masjid, gelap sekali"
    runtime: Runtime = await make_runtime(db_url, cases=ME_TOO_ON)

    @dataclass
    class Draft:
        description: str = "lampu jalan depan masjid mati, gelap"
        kind: str = "complaint"
        category: str | None = "infrastructure"
        service_code: str | None = None
        region_code: str | None = None
        region_name: str | None = None
        location_text: str | None = "depan masjid"
        latitude: float | None = -7.8700
        longitude: float | None = 112.5200
        confidential: bool = False
        oversight: bool = False
        me_too_declined: list[str] = dataclasses.field(default_factory=list)

    async with runtime.sessions() as s, s.begin():
        citizens = CitizenRepository(s)
        reporter, _ = await citizens.identify("rest", "pelapor", reply_address="pelapor")
        joiner, _ = await citizens.identify("rest", "penyusul", reply_address="penyusul")
        ticket, _ = await create_ticket(
            s, runtime, citizen=reporter, kind="complaint", description=lamp,
            category="infrastructure", confidence=0.9, region_code=None, region_name=None,
            channel="rest", latitude=-7.8713, longitude=112.5200)
        near = await find_match(s, runtime, joiner.id, Draft())
        far = await find_match(s, runtime, joiner.id, Draft(latitude=-7.8745))
        mine = await find_match(s, runtime, reporter.id, Draft())
        declined = await find_match(s, runtime, joiner.id,
                                    Draft(me_too_declined=[ticket.number]))
        joined = await join_ticket(s, runtime, ticket.number, joiner, Draft(),
                                   channel="rest", conversation_id=None)
        again = await find_match(s, runtime, joiner.id, Draft())
    assert near is not None and near.ticket.number == ticket.number
    assert near.distance_m == pytest.approx(144.6, abs=0.5) and not near.same_village
    assert (far, mine, declined, again) == (None, None, None, None)
    assert joined is not None and joined.id == ticket.id

    async with runtime.sessions() as s, s.begin():
        exported = await PrivacyRepository(s).export(joiner.id)
        assert exported is not None
        assert [(j["ticket_id"], j["comment"], j["source"]) for j in exported["joined_tickets"]] \
            == [(ticket.id, "lampu jalan depan masjid mati, gelap", "me_too")]
        counts = await PrivacyRepository(s).erase(joiner.id, utcnow())
        assert counts is not None and counts["joined"] == 1
    async with runtime.sessions() as s, s.begin():
        row = (await s.execute(select(TicketJoiner))).scalar_one()
        assert (row.comment, row.location_text, row.latitude) == (ERASED, None, None)
        notes = [e.note for e in await runtime.repositories(s).tickets.events(ticket.id)
                 if e.kind == "joined"]
        assert notes == [None]
        row.comment = "masih ada kata-kata warga"
        t = await s.get(Ticket, ticket.id)
        assert t is not None
        await change_status(s, runtime, t, "closed", SYSTEM)
    async with runtime.sessions() as s, s.begin():
        done = await PrivacyRepository(s).anonymise_closed(utcnow() + timedelta(days=1),
                                                           utcnow())
        assert done == [ticket.number]
        row = (await s.execute(select(TicketJoiner))).scalar_one()
        assert row.comment == ANONYMISED
