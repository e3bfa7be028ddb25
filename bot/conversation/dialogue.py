"""The dialogue: a pure step ``(state, event, nlu) -> (state, actions)``.

No I/O happens here. Actions that need data (creating a ticket, looking one
up, answering from the catalog) are requests the conversation service carries
out; simple utterances are rendered here as :class:`Reply`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from bot.conversation import repair, smalltalk
from bot.conversation.commands import ClientCommand, CommandKind, parse_command
from bot.conversation.places import read_place
from bot.core.i18n import ME_TOO, category_label, chat_text, lang_of, t, tc
from bot.surveys.skm import is_survey_reply
from channels.base import Button, InboundMessage, attachment_to_dict, resolve_numbered_reply
from nlu.taxonomy import INTENTS
from nlu.types import NluResult
from nlu.villages import place_name

# Button payloads (Rasa style: a slash and a command).
P_COMPLAINT = "/complaint"
P_STATUS = "/status"
P_INFO = "/info"
P_AGENT = "/agent"
P_CONFIRM = "/confirm"
P_CONFIRM_CONFIDENTIAL = "/confirm_confidential"
P_CONFIRM_OPEN = "/confirm_open"
P_EDIT = "/edit"
P_CANCEL = "/cancel"
P_MENU = "/menu"
# "Saya juga": join the open ticket shown, or file the report as a new one anyway.
P_JOIN = "/join"
P_NEW_REPORT = "/new_report"

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
# The payloads of the low-rating follow-up's buttons (bot.cases.low_rating).
_FOLLOWUP_PAYLOAD_PREFIX = "skm:followup:"
_SUGGESTION_RE = re.compile(r"\b(usul|aspirasi|suggestion)", re.IGNORECASE)


class Mode(StrEnum):
    """What the dialogue waits for; the values are what the stored state holds."""

    IDLE = "idle"
    AWAITING_WHAT = "awaiting_what"
    AWAITING_WHERE = "awaiting_where"
    CONFIRMING = "confirming"
    AWAITING_TICKET_NUMBER = "awaiting_ticket_number"
    AWAITING_INFO_QUERY = "awaiting_info_query"
    HANDOVER = "handover"
    SURVEY = "survey"
    # Shown an open ticket like the report: join it or file a new one (bot.tickets.me_too).
    ME_TOO = "me_too"

    @classmethod
    def parse(cls, value: object) -> Mode:
        """The mode a stored value names; anything unknown or missing is ``IDLE``."""
        if isinstance(value, str) and value in cls._value2member_map_:
            return cls(value)
        return cls.IDLE


#: Modes in which a report is being put together.
REPORT_MODES = frozenset({Mode.AWAITING_WHAT, Mode.AWAITING_WHERE, Mode.CONFIRMING,
                          Mode.ME_TOO})


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
    # What "Ubah" is changing ("description" | "place"), and the NLU's likely topics.
    editing: str | None = None
    topics: list[str] = field(default_factory=list)
    # The catalog service below the category (the NLU's service picker), and whether it is
    # a complaint about the apparatus (oversight: confidential unless the citizen says not).
    service_code: str | None = None
    service_confidence: float | None = None
    oversight: bool = False
    # "Saya juga": the open ticket offered to join, and those the citizen said were not it.
    me_too_ticket: str | None = None
    me_too_declined: list[str] = field(default_factory=list)

    @property
    def has_place(self) -> bool:
        """Whether the citizen said where it is."""
        return bool(self.region_code or self.location_text or self.latitude is not None)


@dataclass
class DialogueState:
    """Everything the dialogue remembers between turns (stored as JSON)."""

    lang: str = "id"
    mode: Mode = Mode.IDLE
    draft: DraftReport | None = None
    choices: list[list[str]] = field(default_factory=list)
    handover_ticket: str | None = None
    # The citizen was told once that their messages now reach an officer.
    handover_acked: bool = False
    survey_id: int | None = None
    turns: int = 0
    # The ticket and service standard just discussed, for follow-ups ("kapan diperbaiki?").
    last_ticket: str | None = None
    last_standard: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for storage (the mode as its plain string)."""
        data = asdict(self)
        data["mode"] = str(self.mode)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DialogueState:
        """Inverse of :meth:`to_dict`; tolerates missing or unknown keys."""
        if not data:
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        draft = known.pop("draft", None)
        known["mode"] = Mode.parse(known.get("mode"))
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
class JoinTicket:
    """"Saya juga": the citizen joins open ticket ``number`` instead of filing the draft
    (their words are kept with the joining; the draft is filed if the ticket closed)."""

    number: str
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
    # The message was a question answered aside: ask the survey's current question again.
    resume: bool = False


@dataclass(frozen=True)
class AnswerCustomIntent:
    """Answer an admin-defined intent with its stored answer (text and buttons)."""

    intent: str


@dataclass(frozen=True)
class FlagForReview:
    """The NLU was unsure: keep the message for the admins' review queue."""

    reason: str


Action = (
    Reply
    | CreateTicket
    | JoinTicket
    | ReportStatus
    | ListMyTickets
    | AnswerInfo
    | Handover
    | RelayToOfficer
    | ReopenTicket
    | CloseConversation
    | SurveyInput
    | FlagForReview
    | AnswerCustomIntent
)


@dataclass(frozen=True)
class DialogueConfig:
    """Knobs of the dialogue that come from settings."""

    ticket_example: str = "PTU-2026-000123"
    # The catalog's home region: a place name found in several regions means this one.
    home_region: str | None = None


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


def _announced_kind(m: Incoming) -> str:
    """The kind of report a bare announcement opens: the NLU's when it read one."""
    if m.intent in ("complaint", "aspiration"):
        return m.intent
    return "aspiration" if _SUGGESTION_RE.search(m.text) else "complaint"


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


def _confirm_buttons(lang: str, draft: DraftReport | None = None) -> tuple[Button, ...]:
    if draft is not None and draft.oversight:
        # Confidential is the default here; sending openly is the explicit choice.
        return (
            Button(t("btn_send_confidential", lang), P_CONFIRM_CONFIDENTIAL),
            Button(t("btn_send_open", lang), P_CONFIRM_OPEN),
            Button(t("btn_edit", lang), P_EDIT),
            Button(t("btn_cancel", lang), P_CANCEL),
        )
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
    if cat is not None and cat.ranking:
        draft.topics = [label for label, _ in cat.ranking[:5]]
    if nlu.region is not None and not draft.region_code:
        draft.region_code = nlu.region.code
        draft.region_name = nlu.region.canonical_name
    _apply_service(draft, nlu)


def _apply_service(draft: DraftReport, nlu: NluResult) -> None:
    """Take the service; a confident oversight service makes the report confidential."""
    svc = nlu.service
    if svc is None:
        return
    if draft.service_code is None or (svc.confident and not _service_confident(draft)):
        draft.service_code = svc.code
        draft.service_confidence = svc.confidence
    if svc.oversight and svc.confident and not draft.oversight:
        # Complaints about an officer: the reporter's identity is protected by default.
        draft.oversight = True
        draft.confidential = True


def _service_confident(draft: DraftReport) -> bool:
    return (draft.service_confidence or 0.0) >= 0.5


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


@dataclass(frozen=True)
class Incoming:
    """One citizen message as the mode handlers see it; they change ``state`` in place."""

    state: DialogueState
    event: InboundMessage
    nlu: NluResult | None
    text: str
    payload: str | None
    lang: str
    config: DialogueConfig
    # The choices offered last turn (``state.choices`` is already cleared).
    offered: list[list[str]]

    @property
    def intent(self) -> str | None:
        """The intent the NLU read, if any."""
        return self.nlu.intent.label if self.nlu else None

    @property
    def confident(self) -> bool:
        """Whether the NLU is sure of the intent."""
        return bool(self.nlu and self.nlu.intent.confident)

    @property
    def numbers(self) -> list[str]:
        """Ticket numbers in the message."""
        return self.nlu.ticket_numbers if self.nlu else []

    @property
    def category(self) -> str | None:
        """The category the NLU read, if any."""
        return self.nlu.category.label if self.nlu and self.nlu.category else None


#: Handles a message in one mode; always answers.
ModeHandler = Callable[[Incoming], list[Action]]
#: One mode's reading of a message; None means it is no answer, so a fresh request.
Answer = Callable[[Incoming], list[Action] | None]


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
            me_too_declined=list(state.draft.me_too_declined),
        ),
    )
    s.turns += 1
    text = (event.text or "").strip()
    payload = event.payload
    # A typed number or title answers the last offered choices.
    if payload is None and s.choices and text:
        payload = resolve_numbered_reply(text, tuple(Button(c[0], c[1]) for c in s.choices))
    if (nlu is not None and nlu.lang in ("id", "en") and len(_words(text)) >= 3
            and s.mode != Mode.AWAITING_WHERE):
        s.lang = nlu.lang
    elif s.turns == 1 and event.language_hint:
        s.lang = lang_of(event.language_hint)
    offered, s.choices = s.choices, []
    incoming = Incoming(s, event, nlu, text, payload, s.lang, cfg, offered)
    command = parse_command(payload or text)
    if command is not None:
        actions = _client_command(incoming, command)
    else:
        # A mode that is no Mode member (a hand-built state) behaves like a busy idle.
        actions = MODE_HANDLERS.get(s.mode, _on_idle)(incoming)
    # Remember the last offered choices, so "2" can answer them next turn.
    for a in actions:
        if isinstance(a, Reply) and a.buttons:
            s.choices = [[b.title, b.payload] for b in a.buttons]
    return s, actions


# ---- per-mode handlers -----------------------------------------------------------


def _on_idle(m: Incoming) -> list[Action]:
    """Nothing pending: a command or a fresh request."""
    return _after_commands(m)


def _on_awaiting_what(m: Incoming) -> list[Action]:
    """The citizen was asked what the report is about."""
    return _after_commands(m, lambda m: _in_report(m, _describe))


def _on_awaiting_where(m: Incoming) -> list[Action]:
    """The citizen was asked where it is."""
    return _after_commands(m, lambda m: _in_report(m, _locate))


def _on_confirming(m: Incoming) -> list[Action]:
    """The citizen was shown the report to send, edit or cancel."""
    return _after_commands(m, lambda m: _in_report(m, _confirm))


def _on_me_too(m: Incoming) -> list[Action]:
    """The citizen was shown an open ticket like their report: join it or file anyway."""
    return _after_commands(m, lambda m: _in_report(m, _me_too))


def _on_awaiting_ticket_number(m: Incoming) -> list[Action]:
    """The citizen was asked for a ticket number."""
    return _after_commands(m, _ticket_number)


def _on_awaiting_info_query(m: Incoming) -> list[Action]:
    """The citizen was asked what information they need."""
    return _after_commands(m, _info_query)


def _on_handover(m: Incoming) -> list[Action]:
    """An officer has the conversation: all goes to them but the way back to the bot."""
    if m.payload == P_MENU or is_menu(m.text):
        return _back_to_bot(m.state, m.lang)
    return [RelayToOfficer(m.state.handover_ticket)]


def _on_survey(m: Incoming) -> list[Action]:
    """A pending survey takes typed answers first (unless the citizen clearly moves on)."""
    s = m.state
    if s.survey_id is None:
        return _after_commands(m)
    survey_answer = (m.payload or "").startswith("skm:") or is_survey_reply(m.text, m.offered)
    extra = None if survey_answer else _talk(m, smalltalk.aside(_heard(m)))
    if extra is not None:
        # A question during the survey ("berapa lama jadinya?"): answer it, then resume.
        s.choices = m.offered
        return [*extra, SurveyInput(s.survey_id, resume=True)]
    if _asks_for_words(m.offered) and not m.numbers:
        # "Is it really solved?" (bot.cases.low_rating) takes the citizen's own words as
        # the answer, however the model reads them ("masih sama saja").
        s.choices = m.offered
        return [SurveyInput(s.survey_id)]
    # "tidak puas" reads like a complaint to the NLU, but here it answers the question.
    if (
        (m.payload and m.payload.startswith("skm:"))
        or is_survey_reply(m.text, m.offered)
        or not _moves_on(m.intent, m.confident, m.numbers)
    ):
        s.choices = m.offered  # the survey handler decides what is offered next
        return [SurveyInput(s.survey_id)]
    s.mode, s.survey_id = Mode.IDLE, None
    return _on_idle(m)


#: How each mode handles a message: a new mode is one handler and one row.
MODE_HANDLERS: Mapping[Mode, ModeHandler] = {
    Mode.IDLE: _on_idle,
    Mode.AWAITING_WHAT: _on_awaiting_what,
    Mode.AWAITING_WHERE: _on_awaiting_where,
    Mode.CONFIRMING: _on_confirming,
    Mode.AWAITING_TICKET_NUMBER: _on_awaiting_ticket_number,
    Mode.AWAITING_INFO_QUERY: _on_awaiting_info_query,
    Mode.HANDOVER: _on_handover,
    Mode.SURVEY: _on_survey,
    Mode.ME_TOO: _on_me_too,
}


# ---- what every mode (but handover and an answered survey) shares ------------------


def _after_commands(m: Incoming, answer: Answer | None = None) -> list[Action]:
    """The global commands first, then the mode's own answer, else a fresh request."""
    actions = _commands(m)
    if actions is None and answer is not None:
        actions = answer(m)
    return actions if actions is not None else _fresh_turn(m)


def _commands(m: Incoming) -> list[Action] | None:
    """Buttons and words that mean the same whatever the dialogue waits for."""
    s, text, payload, lang = m.state, m.text, m.payload, m.lang
    if payload == P_MENU:
        return _back_to_bot(s, lang)
    if payload == P_CANCEL or (s.mode != Mode.IDLE and text and is_cancel(text)):
        had_draft = s.draft is not None
        s.mode, s.draft = Mode.IDLE, None
        if had_draft:
            return [Reply(t("cancelled", lang), menu_buttons(lang))]
        return [Reply(t("greeting", lang, name=""), menu_buttons(lang))]
    if payload and payload.startswith(P_STATUS + " "):
        s.mode = Mode.IDLE
        return [ReportStatus(payload.split(" ", 1)[1].strip().upper())]
    if payload and payload.startswith("/std "):
        return [AnswerInfo(query="", standard_id=payload.split(" ", 1)[1].strip())]
    # "petugas" while describing a report is part of the description.
    if payload == P_AGENT or (
        m.intent == "human_agent" and m.confident and s.mode != Mode.AWAITING_WHAT
    ):
        s.mode, s.draft = Mode.HANDOVER, None
        return [Handover(reason=text or "button")]
    if m.numbers and REOPEN_RE.search(text):
        return [ReopenTicket(m.numbers[0])]
    return None


def _back_to_bot(s: DialogueState, lang: str) -> list[Action]:
    s.mode, s.draft, s.handover_ticket = Mode.IDLE, None, None
    return [Reply(t("back_to_bot", lang), menu_buttons(lang))]


def _statuses(numbers: list[str]) -> list[Action]:
    return [ReportStatus(n) for n in numbers[:3]]


def _ask_ticket_number(m: Incoming) -> list[Action]:
    m.state.mode = Mode.AWAITING_TICKET_NUMBER
    return [Reply(t("ask_ticket_number", m.lang, example=m.config.ticket_example)), ListMyTickets()]


def _asks_for_words(offered: Sequence[Sequence[str]]) -> bool:
    """Whether the survey's last question was the low-rating follow-up."""
    return any(len(c) > 1 and c[1].startswith(_FOLLOWUP_PAYLOAD_PREFIX) for c in offered)


def _moves_on(intent: str | None, confident: bool, numbers: list[str]) -> bool:
    """Whether a message during a survey is really a new request."""
    return bool(numbers) or (
        confident and intent in ("complaint", "info_request", "ticket_status", "human_agent")
    )


# ---- the modes' own answers ------------------------------------------------------------


def _ticket_number(m: Incoming) -> list[Action] | None:
    m.state.mode = Mode.IDLE
    if m.numbers:
        return _statuses(m.numbers)
    if m.text:
        return [Reply(t("ask_ticket_number", m.lang, example=m.config.ticket_example))]
    return None  # a bare photo or pin starts something new


def _info_query(m: Incoming) -> list[Action] | None:
    if not m.text:
        return None
    m.state.mode = Mode.IDLE
    return [AnswerInfo(query=m.text, category=m.category)]


def _in_report(
    m: Incoming, answer: Callable[[Incoming, DraftReport], list[Action]]
) -> list[Action] | None:
    """Mid-report, answers are about the report unless clearly something else."""
    s = m.state
    if s.draft is None:
        return None
    if m.numbers and m.intent == "ticket_status":
        s.mode = Mode.IDLE
        return _statuses(m.numbers)
    payload = m.payload or (m.text if repair.looks_like_payload(m.text) else None)
    if payload is not None and not repair.belongs(payload, s.mode):
        if payload not in (P_STATUS, P_INFO):
            # An old button pressed mid-report is not part of the report.
            return _repeat_question(s, m.lang)
        # The citizen went elsewhere from the menu; the half-told report stays in history.
        s.mode, s.draft = Mode.IDLE, None
        return None
    _add_media(s.draft, m.event)
    return answer(m, s.draft)


def _describe(m: Incoming, draft: DraftReport) -> list[Action]:
    """awaiting_what: the message tells what the report is about."""
    if m.text and draft.editing == repair.EDIT_DESCRIPTION:
        repair.replace_description(draft, m.text)
        # The service is read again from the new text (the topic and place stay), and with it
        # whether the report is about an officer (confidential by default).
        draft.service_code, draft.service_confidence = None, None
        draft.oversight = draft.confidential = False
        if m.nlu is not None:
            _apply_service(draft, m.nlu)
    elif m.text and not is_bare_announcement(m.text):
        draft.description = f"{draft.description}\n{m.text}".strip()
        _apply_nlu(draft, m.nlu)
        which = _take_place(m, draft)
        if which is not None:
            return which
    if not draft.description:
        return [Reply(t("ask_what", m.lang))]
    return _next_report_question(m.state, m.lang)


def _locate(m: Incoming, draft: DraftReport) -> list[Action]:
    """awaiting_where: the message (or the pin already added) says where."""
    if draft.editing == repair.EDIT_PLACE and (m.text or m.payload):
        repair.clear_place(draft)
    if m.payload and m.payload.startswith(repair.P_PLACE + " "):
        return _place_chosen(m, draft, m.payload.split(" ", 1)[1].strip())
    if m.text:
        draft.location_text = m.text
        draft.region_code = draft.region_name = None
        which = _take_place(m, draft)
        if which is not None:
            return which
    return _next_report_question(m.state, m.lang)


def _confirm(m: Incoming, draft: DraftReport) -> list[Action]:
    """confirming: send (openly or confidentially), edit, cancel, or more detail."""
    s, text, payload, lang = m.state, m.text, m.payload, m.lang
    if payload == P_CONFIRM_CONFIDENTIAL or (payload is None and text and is_confidential(text)):
        draft.confidential = True
        s.mode, s.draft = Mode.IDLE, None
        return [CreateTicket(draft)]
    if payload == P_CONFIRM_OPEN:
        draft.confidential = False
        s.mode, s.draft = Mode.IDLE, None
        return [CreateTicket(draft)]
    if payload == P_CONFIRM or (payload is None and text and (is_yes(text)
                                                              or repair.is_send(text))):
        s.mode, s.draft = Mode.IDLE, None
        return [CreateTicket(draft)]
    edited = _edit(m, draft)
    if edited is not None:
        return edited
    if payload is None and text and is_no(text):
        s.mode, s.draft = Mode.IDLE, None
        return [Reply(t("cancelled", lang), menu_buttons(lang))]
    if text:
        # Anything else typed now is more detail: keep it, nothing the citizen says is lost.
        draft.description = f"{draft.description}\n{text}".strip()
        _apply_nlu(draft, m.nlu)
        return [Reply(t("detail_added", lang)), *_next_report_question(s, lang)]
    return _next_report_question(s, lang)


_ME_TOO_RE = re.compile(r"\b(juga|jg|sama|samaa|gabung|ikut|join|me\s*too|metoo)\b")
_NEW_REPORT_RE = re.compile(r"\b(baru|beda|berbeda|lain|bukan|new|different|another|"
                            r"separate|kirim|send)\b")


def me_too_buttons(lang: str) -> tuple[Button, ...]:
    """Join the ticket shown, or file a new report."""
    return (Button(ME_TOO.text("btn_join", lang), P_JOIN),
            Button(ME_TOO.text("btn_new", lang), P_NEW_REPORT))


def offer_me_too(state: DialogueState, draft: DraftReport, number: str) -> None:
    """Wait for the citizen's answer to the offer of ticket ``number`` (the service shows it
    instead of filing ``draft``); "1"/"2" answer its buttons."""
    draft.me_too_ticket = number
    state.mode, state.draft = Mode.ME_TOO, draft
    state.choices = [[b.title, b.payload] for b in me_too_buttons(state.lang)]


def _me_too(m: Incoming, draft: DraftReport) -> list[Action]:
    """me_too: "Ya, saya juga" joins; "Buat laporan baru" (or "bukan", "tidak") files the
    report; anything else typed is more detail for the report, shown again to confirm."""
    s, text, payload, lang = m.state, m.text, m.payload, m.lang
    number = draft.me_too_ticket
    words = _words(text)
    short = 0 < len(words) <= 5
    if number is None:
        return _next_report_question(s, lang)
    if payload == P_NEW_REPORT or (payload is None and short and (
            is_no(text) or bool(_NEW_REPORT_RE.search(" ".join(words))))):
        draft.me_too_ticket = None
        draft.me_too_declined.append(number)
        s.mode, s.draft = Mode.IDLE, None
        return [CreateTicket(draft)]
    if payload == P_JOIN or (payload is None and short and (
            is_yes(text) or bool(_ME_TOO_RE.search(" ".join(words))))):
        s.mode, s.draft = Mode.IDLE, None
        return [JoinTicket(number, draft)]
    edited = _edit(m, draft)
    if edited is not None:
        draft.me_too_ticket = None
        return edited
    if text:
        # More detail: kept, and the report is shown again to send (nothing is lost).
        draft.me_too_ticket = None
        draft.description = f"{draft.description}\n{text}".strip()
        _apply_nlu(draft, m.nlu)
        return [Reply(t("detail_added", lang)), *_next_report_question(s, lang)]
    # A photo or a pin alone: added to the report; the question stands.
    return [Reply(ME_TOO.text("choose", lang, number=number), me_too_buttons(lang))]


def _take_place(m: Incoming, draft: DraftReport) -> list[Action] | None:
    """Read the place in the message into the draft (villages and bare district names
    too); when the name fits several places, ask which with buttons."""
    if not m.text:
        return None
    reading = read_place(m.text, m.nlu, m.config.home_region)
    if reading.place is not None:
        current = draft.region_code
        if not current or reading.place.code.startswith(current + "."):
            draft.region_code, draft.region_name = reading.place.code, reading.place.name
        return None
    if reading.choices and not draft.region_code:
        draft.asked_where = True
        m.state.mode = Mode.AWAITING_WHERE
        buttons = tuple(Button(p.name[:60], f"{repair.P_PLACE} {p.code}") for p in reading.choices)
        return [Reply(chat_text("place_which", m.lang), buttons)]
    return None


def _place_chosen(m: Incoming, draft: DraftReport, code: str) -> list[Action]:
    """The citizen picked one of the places offered."""
    if place_name(code) != code:
        draft.region_code, draft.region_name = code, place_name(code)
    return _next_report_question(m.state, m.lang)


def _edit(m: Incoming, draft: DraftReport) -> list[Action] | None:
    """"Ubah" and its buttons: ask what to change, then change only that."""
    s, lang = m.state, m.lang
    request = repair.edit_request(m.payload, m.text, draft)
    if request == repair.EDIT_ASK:
        return [Reply(chat_text("edit_what", lang), repair.edit_buttons(lang))]
    if request == repair.EDIT_DESCRIPTION:
        s.mode = Mode.AWAITING_WHAT
        return [Reply(chat_text("edit_description", lang))]
    if request == repair.EDIT_PLACE:
        s.mode = Mode.AWAITING_WHERE
        return [Reply(t("ask_where", lang))]
    if request == repair.EDIT_TOPIC_MENU:
        return [Reply(chat_text("edit_topic", lang), repair.topic_buttons(draft, lang))]
    if request == repair.EDIT_TOPIC_SET:
        # A service belongs to its category: a new topic drops the old topic's service.
        draft.service_code, draft.service_confidence = None, None
        return _next_report_question(s, lang)  # a topic picked: show the report again
    return None


def _repeat_question(s: DialogueState, lang: str) -> list[Action]:
    """Ask the current report question again."""
    if s.mode == Mode.AWAITING_WHAT:
        return [Reply(t("ask_what", lang))]
    if s.mode == Mode.AWAITING_WHERE:
        return [Reply(t("ask_where", lang))]
    if s.mode == Mode.ME_TOO and s.draft is not None and s.draft.me_too_ticket:
        return [Reply(ME_TOO.text("choose", lang, number=s.draft.me_too_ticket),
                      me_too_buttons(lang))]
    return _next_report_question(s, lang)


def _next_report_question(s: DialogueState, lang: str) -> list[Action]:
    draft = s.draft
    assert draft is not None
    if not draft.has_place and not draft.asked_where:
        draft.asked_where = True
        s.mode = Mode.AWAITING_WHERE
        return [Reply(t("ask_where", lang))]
    s.mode = Mode.CONFIRMING
    kind = t("kind_aspiration" if draft.kind == "aspiration" else "kind_complaint", lang)
    text = t(
        "confirm",
        lang,
        kind=kind,
        description=draft.description,
        category=category_label(draft.category, lang),
        location=_location_words(draft, lang),
    )
    if draft.oversight:
        text += t("oversight_confidential_offer", lang)
    return [Reply(text, _confirm_buttons(lang, draft))]


# ---- a fresh request -------------------------------------------------------------------


def _fresh_turn(m: Incoming) -> list[Action]:
    """A new request: a menu button, ticket numbers, a photo, or what the NLU read."""
    s, lang = m.state, m.lang
    if m.payload == P_COMPLAINT:
        s.draft = DraftReport(kind="complaint")
        s.mode = Mode.AWAITING_WHAT
        return [Reply(t("ask_what", lang))]
    if m.payload == P_STATUS:
        return _ask_ticket_number(m)
    if m.payload == P_INFO:
        s.mode = Mode.AWAITING_INFO_QUERY
        return [Reply(t("ask_info_query", lang))]
    if m.numbers and m.intent not in ("complaint", "aspiration"):
        return _statuses(m.numbers)
    if not m.text and m.event.contact_phone and not m.event.attachments:
        # "Share my number": the service links the identity; the citizen is thanked.
        key = "contact_thanks" if m.event.verified_phone else "contact_other"
        return [Reply(tc(key, lang), menu_buttons(lang))]
    talk = None if m.payload else _talk(m, smalltalk.small_talk(_heard(m)))
    if talk is not None:
        return talk
    if m.text and is_bare_announcement(m.text):
        # "saya mau lapor" says what the citizen wants, whatever the model reads into it.
        return _new_report(m, _announced_kind(m))
    if not m.text and (m.event.attachments or m.event.location):
        # A photo or a location pin with no words starts a report.
        s.draft = DraftReport(kind="complaint")
        _add_media(s.draft, m.event)
        s.mode = Mode.AWAITING_WHAT
        return [Reply(t("ask_what", lang))]
    if m.intent in ("complaint", "aspiration"):
        return _new_report(m, m.intent)
    return _by_intent(m)


def _heard(m: Incoming) -> smalltalk.Heard:
    s = m.state
    return smalltalk.Heard(m.text, m.intent, bool(m.numbers), s.last_ticket, s.last_standard)


def _talk(m: Incoming, talk: smalltalk.Talk | None) -> list[Action] | None:
    """Small talk's answer as actions."""
    if talk is None:
        return None
    s, lang = m.state, m.lang
    if talk.kind == smalltalk.LAST_TICKET and s.last_ticket:
        return [ReportStatus(s.last_ticket)]
    if talk.kind == smalltalk.LAST_SERVICE and s.last_standard:
        return [AnswerInfo(query="", standard_id=s.last_standard)]
    text = chat_text(talk.key, lang, example=m.config.ticket_example)
    if talk.kind == smalltalk.WHICH_TICKET:
        s.mode = Mode.AWAITING_TICKET_NUMBER
        return [Reply(text), ListMyTickets()]
    return [Reply(text, menu_buttons(lang) if talk.kind == smalltalk.SAY_WITH_MENU else ())]


def _new_report(m: Incoming, kind: str) -> list[Action]:
    """A complaint or aspiration: ask what it is about, or go on with what was said."""
    s, text, lang = m.state, m.text, m.lang
    actions: list[Action] = [] if m.confident else [FlagForReview("low_confidence")]
    s.draft = DraftReport(kind=kind)
    _add_media(s.draft, m.event)
    if is_bare_announcement(text) or len(_words(text)) < MIN_DESCRIPTION_WORDS:
        if not is_bare_announcement(text):
            # "lampu jalan mati": short, but the start of the report; the details join it.
            s.draft.description = text
            _apply_nlu(s.draft, m.nlu)
        s.mode = Mode.AWAITING_WHAT
        key = "ask_what_aspiration" if kind == "aspiration" else "ask_what"
        return [*actions, Reply(t(key, lang))]
    s.draft.description = text
    _apply_nlu(s.draft, m.nlu)
    which = _take_place(m, s.draft)
    if which is not None:
        return actions + which
    return actions + _next_report_question(s, lang)


def _by_intent(m: Incoming) -> list[Action]:
    """Anything but a report, by the intent the NLU read."""
    s, intent, lang = m.state, m.intent, m.lang
    if intent == "ticket_status":
        return _ask_ticket_number(m)
    if intent == "info_request":
        return [AnswerInfo(query=m.text, category=m.category)]
    if intent == "human_agent":
        s.mode = Mode.HANDOVER
        return [Handover(reason=m.text)]
    if intent == "thanks" and m.confident:
        s.mode, s.draft = Mode.IDLE, None
        return [Reply(t("goodbye", lang)), CloseConversation()]
    if intent == "greet":
        return welcome(m)
    if intent is not None and intent not in BUILT_IN_INTENTS and m.confident:
        return [AnswerCustomIntent(intent)]
    if intent == "out_of_scope" and m.confident:
        return [Reply(t("out_of_scope", lang), menu_buttons(lang))]
    return [FlagForReview("low_confidence"), Reply(t("not_understood", lang), menu_buttons(lang))]


# ---- the commands every client sends (/start, /greet, /help, /restart) ---------------

#: The intents of the taxonomy; any other intent the NLU reads is an admin's own.
BUILT_IN_INTENTS = frozenset(INTENTS)
_DEEP_LINK_PAYLOADS = {"report": P_COMPLAINT, "status": P_STATUS, "info": P_INFO,
                       "agent": P_AGENT}


def welcome(m: Incoming) -> list[Action]:
    """The first thing a citizen sees (``/start``, ``/greet``, "halo"): what Pintu can do,
    as a greeting with the main menu. The one place to compose a first-contact message
    (a privacy notice goes here, before the greeting)."""
    name = f" {m.event.display_name.split()[0]}" if m.event.display_name else ""
    return [Reply(t("greeting", m.lang, name=name), menu_buttons(m.lang))]


def _end_dialogue(s: DialogueState) -> None:
    s.mode, s.draft, s.handover_ticket, s.handover_acked = Mode.IDLE, None, None, False
    s.survey_id = None


def _client_command(m: Incoming, command: ClientCommand) -> list[Action]:
    """``/start [PAYLOAD]``, ``/greet``, ``/get_started``, ``/help``, ``/restart``."""
    s, lang = m.state, m.lang
    if command.kind == CommandKind.RESTART:
        _end_dialogue(s)
        return [Reply(tc("restarted", lang)), *welcome(m)]
    if command.kind == CommandKind.HELP:
        return [Reply(tc("help", lang, example=m.config.ticket_example), menu_buttons(lang))]
    prefix = m.config.ticket_example.split("-", 1)[0]
    number = command.ticket_number(prefix)
    _end_dialogue(s)
    if number is not None:
        # A deep link printed on a receipt: that ticket's status (details for its owner).
        return [ReportStatus(number)]
    entry = command.menu_entry
    if entry is not None:
        return _after_commands(replace(m, payload=_DEEP_LINK_PAYLOADS[entry], text="", nlu=None))
    return welcome(m)
