"""The dialogue: a pure step ``(state, event, nlu) -> (state, actions)``.

No I/O happens here. Actions that need data (creating a ticket, looking one
up, answering from the catalog) are requests the conversation service carries
out; simple utterances are rendered here as :class:`Reply`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from bot.core.texts import category_label, t
from bot.surveys.skm import is_survey_reply
from channels.base import Button, InboundMessage, attachment_to_dict, resolve_numbered_reply
from nlu.types import NluResult

# Button payloads (Rasa style: a slash and a command).
P_COMPLAINT = "/complaint"
P_STATUS = "/status"
P_INFO = "/info"
P_AGENT = "/agent"
P_CONFIRM = "/confirm"
P_CONFIRM_CONFIDENTIAL = "/confirm_confidential"
P_EDIT = "/edit"
P_CANCEL = "/cancel"
P_MENU = "/menu"

YES_WORDS = frozenset(
    [
        "ya",
        "iya",
        "iyaa",
        "y",
        "yes",
        "yep",
        "ok",
        "oke",
        "okey",
        "okay",
        "benar",
        "betul",
        "bener",
        "kirim",
        "setuju",
        "lanjut",
        "sip",
        "siap",
        "boleh",
        "send",
        "confirm",
    ]
)
NO_WORDS = frozenset(
    ["tidak", "tdk", "nggak", "ngga", "gak", "ga", "enggak", "no", "nope", "jangan"]
)
CANCEL_PHRASES = (
    "batal",
    "cancel",
    "gak jadi",
    "ga jadi",
    "nggak jadi",
    "tidak jadi",
    "tdk jadi",
    "never mind",
    "nevermind",
)
MENU_WORDS = frozenset({"menu", "bot", "kembali", "back", "start", "/start", "mulai"})
REOPEN_RE = re.compile(r"\b(buka\s*(lagi|kembali)|reopen)\b", re.IGNORECASE)
# Opening phrases that announce a report without saying what it is about.
_ANNOUNCE_RE = re.compile(
    r"^(saya |aku |sy |gw |gue )?"
    r"(mau|ingin|pengen|pingin|want to|would like to|i want to|i'd like to)?"
    r"\s*(lapor|melapor|laporan|ngadu|mengadu|pengaduan|komplain|complain|report|"
    r"buat laporan|bikin laporan|kasih usulan|usul|aspirasi|mengajukan aspirasi|"
    r"make a complaint|file a complaint|report a problem|give a suggestion)"
    r"(\s+(dong|min|kak|pak|bu|ya|nih|please|pls|mas|mbak|sesuatu|something))*[\s.!?]*$",
    re.IGNORECASE,
)
MIN_DESCRIPTION_WORDS = 4
REPORT_MODES = frozenset({"awaiting_what", "awaiting_where", "confirming"})


@dataclass
class DraftReport:
    """A complaint or aspiration being put together with the citizen."""

    kind: str = "complaint"
    description: str = ""
    category: str | None = None
    category_confidence: float | None = None
    region_code: str | None = None
    region_name: str | None = None
    location_text: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    asked_where: bool = False
    # Identity hidden from the unit that handles it (LAPOR! "rahasia").
    confidential: bool = False
    message_ids: list[int] = field(default_factory=list)

    @property
    def has_place(self) -> bool:
        """Whether the citizen said where it is."""
        return bool(self.region_code or self.location_text or self.latitude is not None)


@dataclass
class DialogueState:
    """Everything the dialogue remembers between turns (stored as JSON)."""

    lang: str = "id"
    # idle | awaiting_what | awaiting_where | confirming | awaiting_ticket_number
    # | awaiting_info_query | handover | survey
    mode: str = "idle"
    draft: DraftReport | None = None
    choices: list[list[str]] = field(default_factory=list)
    handover_ticket: str | None = None
    # The citizen was told once that their messages now reach an officer.
    handover_acked: bool = False
    survey_id: int | None = None
    turns: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for storage."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DialogueState:
        """Inverse of :meth:`to_dict`; tolerates missing or unknown keys."""
        if not data:
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        draft = known.pop("draft", None)
        state = cls(**known)
        if draft:
            state.draft = DraftReport(
                **{k: v for k, v in draft.items() if k in DraftReport.__dataclass_fields__}
            )
        return state


# ---- actions -------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """Say something to the citizen."""

    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class CreateTicket:
    """File the draft as a ticket, route it, and tell the citizen number, unit and target."""

    draft: DraftReport


@dataclass(frozen=True)
class ReportStatus:
    """Look up a ticket and tell the citizen its state."""

    number: str


@dataclass(frozen=True)
class ListMyTickets:
    """Offer the citizen's recent tickets as choices."""


@dataclass(frozen=True)
class AnswerInfo:
    """Answer an information request from the catalog's service standards."""

    query: str
    category: str | None = None
    standard_id: str | None = None


@dataclass(frozen=True)
class Handover:
    """Pass the conversation to a unit's officers."""

    reason: str


@dataclass(frozen=True)
class RelayToOfficer:
    """In handover: the message is for the officer (stored on the handover ticket)."""

    ticket_number: str | None


@dataclass(frozen=True)
class ReopenTicket:
    """The citizen asks to reopen a resolved ticket."""

    number: str


@dataclass(frozen=True)
class CloseConversation:
    """The conversation is over (the service may offer a survey)."""


@dataclass(frozen=True)
class SurveyInput:
    """The message answers the pending survey; the survey module handles it."""

    survey_id: int


@dataclass(frozen=True)
class FlagForReview:
    """The NLU was unsure: keep the message for the admins' review queue."""

    reason: str


Action = (
    Reply
    | CreateTicket
    | ReportStatus
    | ListMyTickets
    | AnswerInfo
    | Handover
    | RelayToOfficer
    | ReopenTicket
    | CloseConversation
    | SurveyInput
    | FlagForReview
)


@dataclass(frozen=True)
class DialogueConfig:
    """Knobs of the dialogue that come from settings."""

    ticket_example: str = "PTU-2026-000123"


# ---- helpers ---------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def is_yes(text: str) -> bool:
    """A short affirmative answer ("ya", "oke kirim", "yes")."""
    w = _words(text)
    return 0 < len(w) <= 4 and w[0] in YES_WORDS and not (set(w) & NO_WORDS)


def is_confidential(text: str) -> bool:
    """A short "send it, but keep my identity secret" ("rahasiakan", "kirim rahasia")."""
    w = _words(text)
    return 0 < len(w) <= 5 and any(x in ("rahasia", "rahasiakan", "confidential",
                                         "confidentially", "anonim") for x in w)


def is_no(text: str) -> bool:
    """A short negative answer."""
    w = _words(text)
    return 0 < len(w) <= 4 and w[0] in NO_WORDS


def is_cancel(text: str) -> bool:
    """The citizen wants to drop what is in progress."""
    low = text.lower().strip()
    return len(low) <= 40 and any(
        re.search(rf"(^|\W){re.escape(p)}($|\W)", low) for p in CANCEL_PHRASES
    )


def is_menu(text: str) -> bool:
    """The citizen asks for the menu / to get back to the bot."""
    w = _words(text)
    return 0 < len(w) <= 3 and any(x in MENU_WORDS for x in w)


def is_bare_announcement(text: str) -> bool:
    """True for "mau lapor" / "I want to complain": a report with no content yet."""
    return bool(_ANNOUNCE_RE.match(text.strip()))


def menu_buttons(lang: str) -> tuple[Button, ...]:
    """The main menu."""
    return (
        Button(t("menu_complaint", lang), P_COMPLAINT),
        Button(t("menu_status", lang), P_STATUS),
        Button(t("menu_info", lang), P_INFO),
        Button(t("menu_agent", lang), P_AGENT),
    )


def _confirm_buttons(lang: str) -> tuple[Button, ...]:
    return (
        Button(t("btn_send", lang), P_CONFIRM),
        Button(t("btn_send_confidential", lang), P_CONFIRM_CONFIDENTIAL),
        Button(t("btn_edit", lang), P_EDIT),
        Button(t("btn_cancel", lang), P_CANCEL),
    )


def _location_words(draft: DraftReport, lang: str) -> str:
    parts = []
    if draft.location_text:
        parts.append(draft.location_text)
    if draft.region_name and (
        not draft.location_text or draft.region_name.lower() not in draft.location_text.lower()
    ):
        parts.append(draft.region_name)
    if draft.latitude is not None and draft.longitude is not None:
        parts.append(f"({draft.latitude:.5f}, {draft.longitude:.5f})")
    return ", ".join(parts) or t("location_unknown", lang)


def _apply_nlu(draft: DraftReport, nlu: NluResult | None) -> None:
    """Take the category and place from a message into the draft."""
    if nlu is None:
        return
    cat = nlu.category
    if cat is not None and (
        draft.category is None or (cat.confident and not _draft_confident(draft))
    ):
        draft.category = cat.label
        draft.category_confidence = cat.confidence
    if nlu.region is not None and not draft.region_code:
        draft.region_code = nlu.region.code
        draft.region_name = nlu.region.canonical_name


def _draft_confident(draft: DraftReport) -> bool:
    return (draft.category_confidence or 0.0) >= 0.5


def _add_media(draft: DraftReport, event: InboundMessage) -> None:
    draft.attachments.extend(attachment_to_dict(a) for a in event.attachments)
    if event.location is not None:
        draft.latitude = event.location.latitude
        draft.longitude = event.location.longitude
        if event.location.address or event.location.name:
            draft.location_text = event.location.address or event.location.name


# ---- the step ----------------------------------------------------------------


def step(
    state: DialogueState,
    event: InboundMessage,
    nlu: NluResult | None,
    config: DialogueConfig | None = None,
) -> tuple[DialogueState, list[Action]]:
    """Advance the dialogue by one citizen message.

    ``nlu`` is the parse of the message text (None when there is no text, e.g.
    a bare photo or location). Returns the new state and the actions to carry
    out, in order. Never raises for any input.
    """
    cfg = config or DialogueConfig()
    s = replace(
        state,
        draft=None
        if state.draft is None
        else replace(
            state.draft,
            attachments=list(state.draft.attachments),
            message_ids=list(state.draft.message_ids),
        ),
    )
    s.turns += 1
    text = (event.text or "").strip()
    payload = event.payload
    # A typed number or title answers the last offered choices.
    if payload is None and s.choices and text:
        payload = resolve_numbered_reply(text, tuple(Button(c[0], c[1]) for c in s.choices))
    if nlu is not None and nlu.lang in ("id", "en") and len(_words(text)) >= 3:
        s.lang = nlu.lang
    elif s.turns == 1 and event.language_hint:
        s.lang = "en" if event.language_hint.lower().startswith("en") else "id"
    lang = s.lang
    offered, s.choices = s.choices, []
    actions = _dispatch(s, event, nlu, text, payload, lang, cfg, offered)
    # Remember the last offered choices, so "2" can answer them next turn.
    for a in actions:
        if isinstance(a, Reply) and a.buttons:
            s.choices = [[b.title, b.payload] for b in a.buttons]
    return s, actions


def _dispatch(
    s: DialogueState,
    event: InboundMessage,
    nlu: NluResult | None,
    text: str,
    payload: str | None,
    lang: str,
    cfg: DialogueConfig,
    offered: list[list[str]],
) -> list[Action]:
    intent = nlu.intent.label if nlu else None
    confident = bool(nlu and nlu.intent.confident)
    numbers = nlu.ticket_numbers if nlu else []

    # A pending survey takes typed answers first (unless the citizen clearly moves on).
    if s.mode == "survey" and s.survey_id is not None:
        # "tidak puas" reads like a complaint to the NLU, but here it answers the question.
        if (
            (payload and payload.startswith("skm:"))
            or is_survey_reply(text, offered)
            or not _moves_on(intent, confident, numbers)
        ):
            s.choices = offered  # the survey handler decides what is offered next
            return [SurveyInput(s.survey_id)]
        s.mode, s.survey_id = "idle", None

    if payload == P_MENU or (s.mode == "handover" and is_menu(text)):
        s.mode, s.draft, s.handover_ticket = "idle", None, None
        return [Reply(t("back_to_bot", lang), menu_buttons(lang))]

    if s.mode == "handover":
        return [RelayToOfficer(s.handover_ticket)]

    if payload == P_CANCEL or (s.mode != "idle" and text and is_cancel(text)):
        had_draft = s.draft is not None
        s.mode, s.draft = "idle", None
        if had_draft:
            return [Reply(t("cancelled", lang), menu_buttons(lang))]
        return [Reply(t("greeting", lang, name=""), menu_buttons(lang))]

    if payload and payload.startswith(P_STATUS + " "):
        s.mode = "idle"
        return [ReportStatus(payload.split(" ", 1)[1].strip().upper())]
    if payload and payload.startswith("/std "):
        return [AnswerInfo(query="", standard_id=payload.split(" ", 1)[1].strip())]
    if payload == P_AGENT or (intent == "human_agent" and confident and s.mode != "awaiting_what"):
        s.mode, s.draft = "handover", None
        return [Handover(reason=text or "button")]

    if numbers and REOPEN_RE.search(text):
        return [ReopenTicket(numbers[0])]

    # Mid-report: answers are about the report unless clearly something else.
    if s.mode in REPORT_MODES and s.draft is not None:
        if numbers and intent == "ticket_status":
            s.mode = "idle"
            return [ReportStatus(n) for n in numbers[:3]]
        if payload is not None and payload not in (P_CONFIRM, P_CONFIRM_CONFIDENTIAL, P_EDIT):
            if payload not in (P_STATUS, P_INFO):
                # An old button pressed mid-report is not part of the report.
                return _repeat_question(s, lang)
            # The citizen went elsewhere from the menu; the half-told report stays in history.
            s.mode, s.draft = "idle", None
        else:
            return _continue_report(s, event, nlu, text, payload, lang)

    if s.mode == "awaiting_ticket_number":
        s.mode = "idle"
        if numbers:
            return [ReportStatus(n) for n in numbers[:3]]
        if text:
            return [Reply(t("ask_ticket_number", lang, example=cfg.ticket_example))]

    if s.mode == "awaiting_info_query" and text:
        s.mode = "idle"
        return [
            AnswerInfo(query=text, category=nlu.category.label if nlu and nlu.category else None)
        ]

    # Fresh turn.
    if payload == P_COMPLAINT:
        s.draft = DraftReport(kind="complaint")
        s.mode = "awaiting_what"
        return [Reply(t("ask_what", lang))]
    if payload == P_STATUS:
        s.mode = "awaiting_ticket_number"
        return [Reply(t("ask_ticket_number", lang, example=cfg.ticket_example)), ListMyTickets()]
    if payload == P_INFO:
        s.mode = "awaiting_info_query"
        return [Reply(t("ask_info_query", lang))]

    if numbers and intent not in ("complaint", "aspiration"):
        return [ReportStatus(n) for n in numbers[:3]]

    if not text and (event.attachments or event.location):
        # A photo or a location pin with no words starts a report.
        s.draft = DraftReport(kind="complaint")
        _add_media(s.draft, event)
        s.mode = "awaiting_what"
        return [Reply(t("ask_what", lang))]

    if intent in ("complaint", "aspiration"):
        assert nlu is not None
        actions: list[Action] = [] if confident else [FlagForReview("low_confidence")]
        s.draft = DraftReport(kind=intent)
        _add_media(s.draft, event)
        if is_bare_announcement(text) or len(_words(text)) < MIN_DESCRIPTION_WORDS:
            s.mode = "awaiting_what"
            key = "ask_what_aspiration" if intent == "aspiration" else "ask_what"
            return [*actions, Reply(t(key, lang))]
        s.draft.description = text
        _apply_nlu(s.draft, nlu)
        return actions + _next_report_question(s, lang)

    if intent == "ticket_status":
        s.mode = "awaiting_ticket_number"
        return [Reply(t("ask_ticket_number", lang, example=cfg.ticket_example)), ListMyTickets()]
    if intent == "info_request":
        return [
            AnswerInfo(query=text, category=nlu.category.label if nlu and nlu.category else None)
        ]
    if intent == "human_agent":
        s.mode = "handover"
        return [Handover(reason=text)]
    if intent == "thanks" and confident:
        s.mode, s.draft = "idle", None
        return [Reply(t("goodbye", lang)), CloseConversation()]
    if intent == "greet":
        name = f" {event.display_name.split()[0]}" if event.display_name else ""
        return [Reply(t("greeting", lang, name=name), menu_buttons(lang))]
    if intent == "out_of_scope" and confident:
        return [Reply(t("out_of_scope", lang), menu_buttons(lang))]
    return [FlagForReview("low_confidence"), Reply(t("not_understood", lang), menu_buttons(lang))]


def _moves_on(intent: str | None, confident: bool, numbers: list[str]) -> bool:
    """Whether a message during a survey is really a new request."""
    return bool(numbers) or (
        confident and intent in ("complaint", "info_request", "ticket_status", "human_agent")
    )


def _continue_report(
    s: DialogueState,
    event: InboundMessage,
    nlu: NluResult | None,
    text: str,
    payload: str | None,
    lang: str,
) -> list[Action]:
    draft = s.draft
    assert draft is not None
    _add_media(draft, event)
    if s.mode == "awaiting_what":
        if text and not is_bare_announcement(text):
            draft.description = f"{draft.description}\n{text}".strip()
            _apply_nlu(draft, nlu)
        elif not text and not draft.description:
            return [Reply(t("ask_what", lang))]
        if not draft.description:
            return [Reply(t("ask_what", lang))]
        return _next_report_question(s, lang)

    if s.mode == "awaiting_where":
        if text:
            draft.location_text = text
            if nlu is not None and nlu.region is not None:
                draft.region_code = nlu.region.code
                draft.region_name = nlu.region.canonical_name
        return _next_report_question(s, lang)

    # confirming
    if payload == P_CONFIRM_CONFIDENTIAL or (payload is None and text and is_confidential(text)):
        draft.confidential = True
        s.mode, s.draft = "idle", None
        return [CreateTicket(draft)]
    if payload == P_CONFIRM or (payload is None and text and is_yes(text)):
        s.mode, s.draft = "idle", None
        return [CreateTicket(draft)]
    if payload == P_EDIT:
        s.mode = "awaiting_what"
        draft.description = ""
        draft.category = None
        draft.category_confidence = None
        return [Reply(t("edit_prompt", lang))]
    if payload is None and text and is_no(text):
        s.mode, s.draft = "idle", None
        return [Reply(t("cancelled", lang), menu_buttons(lang))]
    if text:
        # Anything else typed now is more detail: keep it, nothing the citizen says is lost.
        draft.description = f"{draft.description}\n{text}".strip()
        _apply_nlu(draft, nlu)
        return [Reply(t("detail_added", lang)), *_next_report_question(s, lang)]
    return _next_report_question(s, lang)


def _repeat_question(s: DialogueState, lang: str) -> list[Action]:
    """Ask the current report question again."""
    if s.mode == "awaiting_what":
        return [Reply(t("ask_what", lang))]
    if s.mode == "awaiting_where":
        return [Reply(t("ask_where", lang))]
    return _next_report_question(s, lang)


def _next_report_question(s: DialogueState, lang: str) -> list[Action]:
    draft = s.draft
    assert draft is not None
    if not draft.has_place and not draft.asked_where:
        draft.asked_where = True
        s.mode = "awaiting_where"
        return [Reply(t("ask_where", lang))]
    s.mode = "confirming"
    kind = t("kind_aspiration" if draft.kind == "aspiration" else "kind_complaint", lang)
    text = t(
        "confirm",
        lang,
        kind=kind,
        description=draft.description,
        category=category_label(draft.category, lang),
        location=_location_words(draft, lang),
    )
    return [Reply(text, _confirm_buttons(lang))]
