"""After a run: was every message stored once, in order, and answered once?

Read straight from the database with plain SQL (the tables of the first migration), so
it checks any version of the server the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

WEBHOOK_CHANNELS = ("whatsapp", "telegram")


async def _rows(url: str) -> dict[str, list[Any]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            out = {}
            for name, sql in (
                ("identities", "SELECT channel, external_id, citizen_id FROM channel_identities"),
                ("inbound", "SELECT id, citizen_id, channel, text FROM messages "
                            "WHERE direction = 'in' ORDER BY id"),
                ("replies", "SELECT reply_to_id, count(*) FROM messages WHERE direction = 'out'"
                            " AND reply_to_id IS NOT NULL GROUP BY reply_to_id"),
                ("outbox", "SELECT channel, recipient_id, status, message_id FROM outbox"),
            ):
                out[name] = list((await conn.execute(text(sql))).all())
            return out
    finally:
        await engine.dispose()


async def check_database(url: str, sent: dict[str, list[dict[str, Any]]],
                         received: dict[str, list[str]]) -> dict[str, Any]:
    """Compare what the load generator sent and the providers received with the database.

    ``sent`` maps ``channel:sender`` to the messages answered 200, in sending order;
    ``received`` maps ``channel:recipient`` to the texts the fake provider APIs got.
    """
    rows = await _rows(url)
    citizen_of = {f"{ch}:{ext}": cid for ch, ext, cid in rows["identities"]}
    stored: dict[int, list[str]] = defaultdict(list)
    for _id, cid, _ch, body in rows["inbound"]:
        stored[cid].append(body or "")
    problems: list[str] = []
    lost = twice = out_of_order = 0
    for key, msgs in sent.items():
        texts = [m["text"] for m in msgs]
        cid = citizen_of.get(key)
        got = stored.get(cid, []) if cid is not None else []
        if got == texts:
            continue
        if len(got) < len(texts):
            lost += len(texts) - len(got)
            problems.append(f"{key}: sent {len(texts)}, stored {len(got)}")
        elif len(got) > len(texts):
            twice += len(got) - len(texts)
            problems.append(f"{key}: sent {len(texts)}, stored {len(got)}")
        else:
            out_of_order += 1
            problems.append(f"{key}: stored in another order {got} != {texts}")
    replies = {rid: n for rid, n in rows["replies"]}
    unanswered = sum(1 for mid, *_ in rows["inbound"] if mid not in replies)
    per_message = Counter(mid for *_, mid in rows["outbox"] if mid is not None)
    queued_twice = sum(1 for n in per_message.values() if n > 1)
    if queued_twice:
        problems.append(f"{queued_twice} replies queued more than once")
    undelivered = [r for r in rows["outbox"]
                   if r[0] in WEBHOOK_CHANNELS and r[2] not in ("sent", "delivered", "read")]
    if undelivered:
        problems.append(f"{len(undelivered)} WhatsApp/Telegram replies not sent "
                        f"(statuses {Counter(r[2] for r in undelivered)})")
    queued_for: Counter[str] = Counter(f"{ch}:{rcpt}" for ch, rcpt, status, _ in rows["outbox"]
                                       if ch in WEBHOOK_CHANNELS and status != "failed")
    sent_twice = 0
    for key, n in queued_for.items():
        got = len(received.get(key, []))
        if got > n:
            sent_twice += got - n
            problems.append(f"{key}: {n} replies queued, provider received {got}")
    total = sum(len(v) for v in sent.values())
    ok = not (lost or twice or out_of_order or queued_twice or sent_twice or undelivered)
    summary = (f"{total} messages answered 200 by the server; stored {len(rows['inbound'])} "
               f"({lost} lost, {twice} stored twice, {out_of_order} senders out of order); "
               f"{len(rows['inbound']) - unanswered} answered, {unanswered} without a reply "
               f"(the dialogue stays silent only in an officer handover); "
               f"{len(rows['outbox'])} replies in the outbox, {queued_twice} queued twice, "
               f"{sent_twice} sent twice, {len(undelivered)} not sent")
    return {"ok": ok, "summary": summary, "problems": problems, "messages": total,
            "stored": len(rows["inbound"]), "unanswered": unanswered,
            "lost": lost, "stored_twice": twice, "out_of_order": out_of_order,
            "queued_twice": queued_twice, "sent_twice": sent_twice,
            "undelivered": len(undelivered)}
