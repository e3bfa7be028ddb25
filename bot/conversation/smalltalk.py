"""Small talk and follow-ups: what real citizens say between requests.

"p", "🙏", "😡😡😡", "ok" are acknowledged (never "outside what we handle");
"kapan diperbaiki?" after a status check or a filing asks about *that* ticket;
"berapa biayanya?" after a service answer asks about *that* service; "kok
triase? maksudnya apa" is answered by explaining the bot's own words (triage,
confidential, working days, ticket number, SKM/IKM, escalation).

:func:`small_talk` is pure and tight: it answers only short messages that match
these shapes, and returns None for anything else, so real requests still go to
the NLU's intents.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from bot.core.i18n import chat_text

if TYPE_CHECKING:
    from bot.conversation.dialogue import Action, Incoming

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


def aside(m: Incoming) -> list[Action] | None:
    """A follow-up question that can be answered without leaving what is going on
    (a survey, say): the bot's words explained, the last ticket, the last service."""
    from bot.conversation import dialogue as dlg

    s, text = m.state, m.text
    if not text or m.numbers:
        return None
    key = explain(text)
    if key is not None:
        return [dlg.Reply(chat_text(key, m.lang, example=m.config.ticket_example))]
    if s.last_standard and is_info_follow_up(text):
        return [dlg.AnswerInfo(query="", standard_id=s.last_standard)]
    if s.last_ticket and is_ticket_follow_up(text):
        return [dlg.ReportStatus(s.last_ticket)]
    return None


def small_talk(m: Incoming) -> list[Action] | None:
    """The answer to small talk or a follow-up in an idle conversation, or None."""
    from bot.conversation import dialogue as dlg

    text, lang = m.text.strip(), m.lang
    if not text or m.payload:
        return None
    followed = aside(m)
    if followed is not None:
        return followed
    words = _words(text)
    if _only_symbols(text):
        if any(c in _UPSET_EMOJI for c in text):
            return [dlg.Reply(chat_text("upset", lang), dlg.menu_buttons(lang))]
        return [dlg.Reply(chat_text("acknowledged", lang))]
    if len(words) <= 2 and _UPSET_WORDS.search(text) and m.intent != "complaint":
        return [dlg.Reply(chat_text("upset", lang), dlg.menu_buttons(lang))]
    if len(words) <= 2 and all(w in _HERE_WORDS for w in words) and m.intent != "greet":
        return [dlg.Reply(chat_text("here", lang), dlg.menu_buttons(lang))]
    if len(words) <= 2 and all(w in _ACK_WORDS for w in words):
        return [dlg.Reply(chat_text("acknowledged", lang))]
    if is_ticket_follow_up(text) and m.intent not in ("complaint", "aspiration"):
        # "kapan diperbaiki?" with no ticket discussed yet: which one?
        m.state.mode = dlg.Mode.AWAITING_TICKET_NUMBER
        return [dlg.Reply(chat_text("no_ticket_yet", lang, example=m.config.ticket_example)),
                dlg.ListMyTickets()]
    return None
