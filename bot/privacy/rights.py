"""Export, erasure and retention: the data-rights actions, each in the audit trail."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from bot.core.runtime import Runtime
from storage.models import utcnow

log = logging.getLogger(__name__)


class NoSuchCitizen(LookupError):
    """No citizen has this id."""


async def export_citizen(rt: Runtime, citizen_id: int, *, actor_user_id: int | None = None,
                         via: str = "cli", ip: str | None = None) -> dict[str, Any]:
    """Everything kept about the citizen, as JSON-ready data (audited as ``citizen_exported``)."""
    async with rt.sessions() as session, session.begin():
        repos = rt.repositories(session)
        data = await repos.privacy.export(citizen_id)
        if data is None:
            raise NoSuchCitizen(citizen_id)
        await repos.audit.add("citizen_exported", actor_user_id=actor_user_id,
                              target_type="citizen", target_id=str(citizen_id),
                              data={"via": via}, ip=ip)
    return {"format": "pintu-citizen-export/1", "exported_at": utcnow().isoformat(), **data}


async def erase_citizen(rt: Runtime, citizen_id: int, *, actor_user_id: int | None = None,
                        via: str = "cli", ip: str | None = None) -> dict[str, int]:
    """Remove the citizen's identity, contact data and words; their tickets stay, anonymous,
    for statistics and the IKM (audited as ``citizen_erased`` with the counts)."""
    async with rt.sessions() as session, session.begin():
        repos = rt.repositories(session)
        counts = await repos.privacy.erase(citizen_id, utcnow())
        if counts is None:
            raise NoSuchCitizen(citizen_id)
        await repos.audit.add("citizen_erased", actor_user_id=actor_user_id,
                              target_type="citizen", target_id=str(citizen_id),
                              data={"via": via, **counts}, ip=ip)
    return counts


async def apply_retention(rt: Runtime, now: datetime | None = None) -> list[str]:
    """Anonymise tickets resolved or closed more than ``privacy.retention_days`` ago; their
    numbers (audited as ``tickets_anonymised``)."""
    now = now or utcnow()
    cutoff = now - timedelta(days=rt.settings.privacy.retention_days)
    done: list[str] = []
    while True:
        async with rt.sessions() as session, session.begin():
            repos = rt.repositories(session)
            batch = await repos.privacy.anonymise_closed(cutoff, now)
            if batch:
                await repos.audit.add("tickets_anonymised", actor_user_id=None,
                                      target_type="tickets", target_id=None,
                                      data={"numbers": batch,
                                            "retention_days": rt.settings.privacy.retention_days})
        done += batch
        if len(batch) < 500:
            return done


async def retention_loop(rt: Runtime) -> None:
    """Run :func:`apply_retention` every ``privacy.retention_interval_seconds``."""
    while True:
        try:
            n = len(await apply_retention(rt))
            if n:
                log.info("anonymised %d closed tickets past the retention period", n)
        except Exception:
            log.exception("retention sweep failed")
        await asyncio.sleep(rt.settings.privacy.retention_interval_seconds)
