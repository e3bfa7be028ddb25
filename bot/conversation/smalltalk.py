"""Small talk and follow-ups: what real citizens say between requests.

"p", "🙏", "😡😡😡", "ok" are acknowledged (never "outside what we handle");
"kapan diperbaiki?" after a status check or a filing asks about *that* ticket;
"berapa biayanya?" after a service answer asks about *that* service; "kok
triase? maksudnya apa" is answered by explaining the bot's own words (triage,
confidential, working days, ticket number, SKM/IKM, escalation).

:func:`small_talk` and :func:`aside` are pure and tight: they read only short
messages of these shapes and return a :class:`Talk` (what to do), or None for
anything else, so real requests still go to the NLU's intents. The dialogue
turns a :class:`Talk` into actions (this module never imports it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Kinds of :class:`Talk`.
SAY = "say"  # say the chat text ``key``
SAY_WITH_MENU = "say_with_menu"  # ... and offer the main menu
LAST_TICKET = "last_ticket"  # report the status of the ticket just discussed
LAST_SERVICE = "last_service"  # answer again from the service standard just given
WHICH_TICKET = "which_ticket"  # ask which ticket (none discussed yet)

_HERE_WORDS = frozenset({"p", "pp", "ping", "tes", "test", "testing", "hallo", "halo", "min",
                         "kak", "admin", "permisi", "hello", "hi", "hai", "woy", "woi", "oi",
                         "bang", "gan", "sis", "om", "pak", "bu"})
_ACK_WORDS = frozenset({"ok", "oke", "okay", "okey", "okeh", "sip", "sipp", "siap", "baik",
                        "noted", "oh", "ooh", "oalah", "owh", "hmm", "hm", "wkwk", "wkwkwk",
                        "haha", "hehe", "mantap", "mantul", "good", "nice", "cool", "alright"})
_UPSET_EMOJI = frozenset("😡😠🤬😤👿💢😾👎😒😞😢😭")
_UPSET_WORDS = re.compile(r"\b(kesal|kesel|marah|kecewa|jengkel|parah|payah|lambat banget|"
                          r"lelet|angry|disappointed|annoyed|useless)\b", re.IGNORECASE)
_MAX_WORDS = 10
_FOLLOW_UP_TICKET = re.compile(
    r"\b(kapan|kpn|sampai mana|sampe mana|sdh sampai|gimana|bagaimana|bgmn|gmn|udah|sudah|"
    r"sdh|belum|blm|ada kabar|when|any|how)\b.*\b(diperbaiki|dibenerin|dibetulkan|ditangani|"
    r"diproses|diurus|selesai|beres|dikerjakan|ditindaklanjuti|ditanggapi|kabar|kabarnya|"
    r"progres|progress|perkembangan|perkembangannya|laporan saya|laporannya|fixed|handled|"
    r"done|update|news|resolved)\b", re.IGNORECASE)
_FOLLOW_UP_INFO = re.compile(
    r"\b(berapa lama|brp lama|lama(nya)?|berapa hari|biaya(nya)?|bayar|gratis|tarif|"
    r"syarat(nya)?|persyaratan(nya)?|prosedur(nya)?|caranya|dasar hukum(nya)?|"
    r"how long|cost|fee|free|requirements?|procedure)\b", re.IGNORECASE)
_QUESTION = re.compile(r"\?|\b(apa|apaan|maksud(nya)?|arti(nya)?|artinya|kok|knp|kenapa|"
                       r"gimana|bagaimana|itu|what|mean|means|meaning|why)\b", re.IGNORECASE)
# The bot's own words and the text that explains each.
_GLOSSARY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(triase|triage|dipilah)\b", re.IGNORECASE), "explain_triage"),
    (re.compile(r"\b(rahasia\w*|dirahasiakan|confidential\w*|anonim\w*)\b", re.IGNORECASE),
     "explain_confidential"),
    (re.compile(r"\b(hari kerja|working days?|business days?)\b", re.IGNORECASE),
     "explain_working_days"),
    (re.compile(r"\b(eskalasi|dieskalasi|escalat\w*)\b", re.IGNORECASE), "explain_escalated"),
    (re.compile(r"\b(skm|ikm|survei kepuasan|survey)\b", re.IGNORECASE), "explain_survey"),
    (re.compile(r"\b(nomor tiket|no tiket|tiket itu|ticket number)\b", re.IGNORECASE),
     "explain_ticket"),
)


@dataclass(frozen=True)
class Talk:
    """What to answer: a kind (:data:`SAY`, ...) and, for the texts, the chat text key."""

    kind: str
    key: str = ""


@dataclass(frozen=True)
class Heard:
    """One message as small talk sees it, with what the conversation just discussed."""

    text: str
    intent: str | None = None
    has_numbers: bool = False
    last_ticket: str | None = None
    last_standard: str | None = None


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def _only_symbols(text: str) -> bool:
    """Emoji, punctuation and spaces only ("🙏", "😡😡😡", "??")."""
    return bool(text) and not any(unicodedata.category(c)[0] in "LN" for c in text)


def explain(text: str) -> str | None:
    """The key of the explanation of the bot's own word the citizen asks about, if any."""
    if len(_words(text)) > _MAX_WORDS or not _QUESTION.search(text):
        return None
    for pattern, key in _GLOSSARY:
        if pattern.search(text):
            return key
    return None


def is_ticket_follow_up(text: str) -> bool:
    """ "kapan diperbaiki?", "udah sampai mana?", "when will it be fixed?" """
    return len(_words(text)) <= _MAX_WORDS and bool(_FOLLOW_UP_TICKET.search(text))


def is_info_follow_up(text: str) -> bool:
    """ "berapa lama jadinya?", "biayanya berapa?", "how long does it take?" """
    return len(_words(text)) <= 6 and bool(_FOLLOW_UP_INFO.search(text))


def aside(heard: Heard) -> Talk | None:
    """A follow-up question that can be answered without leaving what is going on
    (a survey, say): the bot's words explained, the last ticket, the last service."""
    text = heard.text.strip()
    if not text or heard.has_numbers:
        return None
    key = explain(text)
    if key is not None:
        return Talk(SAY, key)
    if heard.last_standard and is_info_follow_up(text):
        return Talk(LAST_SERVICE)
    if heard.last_ticket and is_ticket_follow_up(text):
        return Talk(LAST_TICKET)
    return None


def small_talk(heard: Heard) -> Talk | None:
    """What to answer to small talk or a follow-up in an idle conversation, or None."""
    text = heard.text.strip()
    if not text:
        return None
    followed = aside(heard)
    if followed is not None:
        return followed
    words = _words(text)
    if _only_symbols(text):
        upset = any(c in _UPSET_EMOJI for c in text)
        return Talk(SAY_WITH_MENU, "upset") if upset else Talk(SAY, "acknowledged")
    short = len(words) <= 2
    if short and _UPSET_WORDS.search(text) and heard.intent != "complaint":
        return Talk(SAY_WITH_MENU, "upset")
    if short and all(w in _HERE_WORDS for w in words) and heard.intent != "greet":
        return Talk(SAY_WITH_MENU, "here")
    if short and all(w in _ACK_WORDS for w in words):
        return Talk(SAY, "acknowledged")
    if is_ticket_follow_up(text) and heard.intent not in ("complaint", "aspiration"):
        return Talk(WHICH_TICKET, "no_ticket_yet")
    return None
