"""The review queue: messages the NLU may have got wrong, and what an admin decides.

Items come from three places: low-confidence parses (the dialogue flags them),
tickets an officer forwarded to a unit of another category (the correction
suggests a category), and citizens saying the bot misunderstood them
(:func:`on_citizen_message`, the hook the conversation service calls). An
admin accepts the suggested (or predicted) label, relabels, or dismisses;
accepted and relabelled items become training examples. Texts are masked
again when shown, so items stored before masking existed stay safe.
"""

from __future__ import annotations

import re
from typing import Any

from bot.nlu_admin.data import NluAdminError, add_example, check_label, custom_names
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from nlu.entities import mask_personal_data
from nlu.taxonomy import CATEGORY_INTENTS
from nlu.types import NluResult
from storage.models import Message, NluReviewItem, utcnow
from storage.ports import Repositories

REASONS = ("low_confidence", "forwarded", "citizen_flag")
DECISIONS = ("accept", "relabel", "dismiss")

# ------------------------------------------------------------------ citizen flags

_MISUNDERSTOOD = re.compile(
    r"\b(?:bukan\s+(?:itu|ini|begitu|gitu)\s+(?:yang\s+)?(?:maksud|mksd)"
    r"|bukan\s+(?:itu|ini)\s+yang\s+(?:saya|aku|sy|gue|gw)\s+(?:maksud|mksd)"
    r"|salah\s+(?:paham|pengertian|mengerti|tangkap|nangkep|tanggap)"
    r"|(?:ga|gak|nggak|ngga|tidak|tdk|kok)\s+nyambung"
    r"|misunderst(?:ood|and)|not\s+what\s+i\s+(?:meant|mean|said)"
    r"|wrong\s+(?:answer|topic)|you\s+got\s+(?:it|me)\s+wrong)\b",
    re.IGNORECASE,
)
# Longer messages mentioning a misunderstanding are usually about something else
# ("petugas salah paham soal laporan saya ..."): only short reactions count.
MAX_FLAG_WORDS = 10


def is_misunderstanding(text: str) -> bool:
    """Whether a citizen's message says the bot misunderstood the previous one."""
    if not text or len(text.split()) > MAX_FLAG_WORDS:
        return False
    return _MISUNDERSTOOD.search(text) is not None


async def on_citizen_message(repos: Repositories, message: Message,
                             nlu: NluResult | None = None) -> NluReviewItem | None:
    """Queue the citizen's previous message when this one says the bot misunderstood it.

    Called by the conversation service for every stored citizen message, inside
    the turn's transaction; returns the queued item, if any.
    """
    if message.direction != "in" or not is_misunderstanding(message.text or ""):
        return None
    repo = repos.reviews
    previous = await repo.previous_citizen_message(message)
    if previous is None or not (previous.text or "").strip() or previous.id is None:
        return None
    if await repo.exists(previous.id, "citizen_flag"):
        return None
    parsed: dict[str, Any] = previous.nlu or {}
    return await repo.add(NluReviewItem(
        message_id=previous.id, ticket_id=previous.ticket_id,
        text=mask_personal_data(previous.text),
        reason="citizen_flag", predicted_intent=parsed.get("intent"),
        intent_confidence=parsed.get("intent_confidence"),
        predicted_category=parsed.get("category"),
        category_confidence=parsed.get("category_confidence"),
        model_version=parsed.get("model_version"), status="open", created_at=utcnow()))


# ------------------------------------------------------------------ decisions

def proposed_label(item: NluReviewItem) -> tuple[str | None, str | None]:
    """The label "accept" would learn: the suggestion if there is one, else the prediction."""
    intent = item.suggested_intent or item.predicted_intent
    if item.suggested_category:
        category = item.suggested_category
    elif item.suggested_intent and item.suggested_intent != item.predicted_intent:
        category = None
    else:
        category = item.predicted_category
    if intent not in CATEGORY_INTENTS:
        category = None
    return intent, category


def item_dict(item: NluReviewItem) -> dict[str, Any]:
    """A queue item as the API shows it (text masked)."""
    intent, category = proposed_label(item)
    return {
        "id": item.id, "text": mask_personal_data(item.text), "reason": item.reason,
        "status": item.status, "message_id": item.message_id, "ticket_id": item.ticket_id,
        "predicted_intent": item.predicted_intent, "intent_confidence": item.intent_confidence,
        "predicted_category": item.predicted_category,
        "category_confidence": item.category_confidence,
        "suggested_intent": item.suggested_intent, "suggested_category": item.suggested_category,
        "proposed_intent": intent, "proposed_category": category,
        "model_version": item.model_version, "resolved_by": item.resolved_by,
        "resolved_at": item.resolved_at.isoformat() if item.resolved_at else None,
        "created_at": item.created_at.isoformat() if item.created_at else None,
    }


async def decide(repos: Repositories, ctx: StaffContext, item_id: int, decision: str, *,
                 intent: str | None = None, category: str | None = None,
                 ip: str | None = None) -> tuple[NluReviewItem, int | None]:
    """Accept, relabel or dismiss one open item (audited); the item and the id of the
    training example it became (None for a dismissal).

    :class:`NluAdminError`: unknown decision or item (404), already decided (409), a
    label that is not valid (400); nothing changes then.
    """
    if decision not in DECISIONS:
        raise NluAdminError(f"unknown decision {decision!r}", 404)
    item = await repos.reviews.get(item_id)
    if item is None:
        raise NluAdminError("no such review item", 404)
    if item.status != "open":
        raise NluAdminError(f"this item was already decided ({item.status})", 409)
    if decision == "accept":
        proposed = proposed_label(item)
        if proposed[0] is None:
            raise NluAdminError("this item has no label to accept; relabel it")
        try:
            label = check_label(*proposed, await custom_names(repos))
        except NluAdminError as exc:
            raise NluAdminError(f"the proposed label cannot be accepted ({exc}); "
                                "relabel it") from exc
    elif decision == "relabel":
        label = check_label(intent, category, await custom_names(repos))
    # Claim the item: of two admins deciding it at once, only one finds it still open.
    status = {"accept": "accepted", "relabel": "relabelled", "dismiss": "dismissed"}[decision]
    if not await repos.reviews.claim(item, status, ctx.user_id):
        raise NluAdminError("this item was just decided by someone else", 409)
    example_id: int | None = None
    if decision != "dismiss":
        example = await add_example(repos, ctx, mask_personal_data(item.text), label[0], label[1],
                                    source="review", ip=ip)
        example_id = example.id
    data: dict[str, Any] = {"decision": decision, "reason": item.reason}
    if example_id is not None:
        data.update({"intent": label[0], "category": label[1], "example_id": example_id})
    await audit(repos, ctx, f"nlu_review_{item.status}", target_type="nlu_review_item",
                target_id=str(item.id), data=data, ip=ip)
    return item, example_id
