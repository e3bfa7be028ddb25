"""SKM (Survei Kepuasan Masyarakat) questionnaire, PermenPANRB 14/2017.

The regulation defines nine elements (unsur) U1..U9, each asked as one
question with four answers a-d scored 1-4. This module holds the elements
with the questionnaire wording in Indonesian and English, chooses the
elements of a form (a short three-item form by default, up to all nine),
renders questions and answer options for chat channels and understands
typed or tapped answers. It is pure: no I/O, no state.

Element numbering follows the regulation's list of elements (U8 complaint
handling, U9 facilities); the regulation's sample questionnaire happens to
ask facilities as question 8 and complaint handling as question 9, which
does not change any score.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Lang and LANGS are re-exported: the IKM and report code import them from here.
from bot.core.i18n import LANGS as LANGS
from bot.core.i18n import SURVEY, require_lang
from bot.core.i18n import Lang as Lang

#: Prefix of button payloads: ``skm:<element_key>:<score>``.
PAYLOAD_PREFIX = "skm"
#: Longest option title we emit: the narrowest pick-list rows allow 24 characters
#: (all current titles also fit a 20-character reply button).
MAX_TITLE_CHARS = 24
MIN_SCORE = 1
MAX_SCORE = 4


@dataclass(frozen=True)
class SkmElement:
    """One SKM element (unsur) with its question and its four answers.

    ``answers_*[i]`` is the answer scored ``i + 1`` (regulation letters a-d).
    ``titles_*`` are the same answers shortened to fit a button or list row
    (at most :data:`MAX_TITLE_CHARS` characters).
    """

    key: str
    number: int
    name_id: str
    name_en: str
    question_id: str
    question_en: str
    answers_id: tuple[str, str, str, str]
    answers_en: tuple[str, str, str, str]
    titles_id: tuple[str, str, str, str]
    titles_en: tuple[str, str, str, str]

    @property
    def code(self) -> str:
        """The regulation's element code, e.g. ``"U3"``."""
        return f"U{self.number}"

    def name(self, lang: Lang) -> str:
        """The element's name in ``lang``."""
        return self.name_id if require_lang(lang) == "id" else self.name_en

    def question(self, lang: Lang) -> str:
        """The questionnaire question in ``lang``."""
        return self.question_id if require_lang(lang) == "id" else self.question_en

    def answers(self, lang: Lang) -> tuple[str, str, str, str]:
        """The four full answer labels in ``lang``, scored 1..4 in order."""
        return self.answers_id if require_lang(lang) == "id" else self.answers_en

    def titles(self, lang: Lang) -> tuple[str, str, str, str]:
        """The four short answer titles in ``lang``, scored 1..4 in order."""
        return self.titles_id if require_lang(lang) == "id" else self.titles_en


ELEMENTS: tuple[SkmElement, ...] = (
    SkmElement(
        key="requirements",
        number=1,
        name_id="Persyaratan",
        name_en="Requirements",
        question_id=(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
            "dengan jenis pelayanannya?"
        ),
        question_en=("How well do the service requirements match the type of service?"),
        answers_id=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        answers_en=("Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"),
        titles_id=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        titles_en=("Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"),
    ),
    SkmElement(
        key="procedure",
        number=2,
        name_id="Sistem, mekanisme dan prosedur",
        name_en="System, mechanism and procedure",
        question_id=(
            "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"
        ),
        question_en="How easy is the service procedure at this unit?",
        answers_id=("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        answers_en=("Not easy", "Less easy", "Easy", "Very easy"),
        titles_id=("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        titles_en=("Not easy", "Less easy", "Easy", "Very easy"),
    ),
    SkmElement(
        key="completion_time",
        number=3,
        name_id="Waktu penyelesaian",
        name_en="Completion time",
        question_id=(
            "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"
        ),
        question_en="How fast was the service delivered?",
        answers_id=("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        answers_en=("Not fast", "Less fast", "Fast", "Very fast"),
        titles_id=("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        titles_en=("Not fast", "Less fast", "Fast", "Very fast"),
    ),
    SkmElement(
        key="cost",
        number=4,
        name_id="Biaya/tarif",
        name_en="Cost/tariff",
        question_id="Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        question_en="How reasonable is the cost/tariff of the service?",
        answers_id=("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        answers_en=("Very expensive", "Fairly expensive", "Cheap", "Free"),
        titles_id=("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        titles_en=("Very expensive", "Fairly expensive", "Cheap", "Free"),
    ),
    SkmElement(
        key="product",
        number=5,
        name_id="Produk spesifikasi jenis pelayanan",
        name_en="Product specification of the service type",
        question_id=(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
            "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        question_en=(
            "How well does the service delivered match what the service standard promises?"
        ),
        answers_id=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        answers_en=("Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"),
        titles_id=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        titles_en=("Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"),
    ),
    SkmElement(
        key="competence",
        number=6,
        name_id="Kompetensi pelaksana",
        name_en="Staff competence",
        question_id=(
            "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"
        ),
        question_en="How competent/capable were the staff in providing the service?",
        answers_id=("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        answers_en=("Not competent", "Less competent", "Competent", "Very competent"),
        titles_id=("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        titles_en=("Not competent", "Less competent", "Competent", "Very competent"),
    ),
    SkmElement(
        key="conduct",
        number=7,
        name_id="Perilaku pelaksana",
        name_en="Staff conduct",
        question_id=(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?"
        ),
        question_en="How polite and friendly were the staff in providing the service?",
        answers_id=(
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
        answers_en=(
            "Impolite and unfriendly",
            "Less polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ),
        titles_id=(
            "Tidak sopan & ramah",
            "Kurang sopan & ramah",
            "Sopan & ramah",
            "Sangat sopan & ramah",
        ),
        titles_en=(
            "Impolite, unfriendly",
            "Less polite/friendly",
            "Polite and friendly",
            "Very polite/friendly",
        ),
    ),
    SkmElement(
        key="complaint_handling",
        number=8,
        name_id="Penanganan pengaduan, saran dan masukan",
        name_en="Handling of complaints, suggestions and feedback",
        question_id=("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
        question_en="How are complaints from service users handled?",
        answers_id=(
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
        answers_en=(
            "Not available",
            "Available but not working",
            "Working, not optimally",
            "Well managed",
        ),
        titles_id=(
            "Tidak ada",
            "Ada, tidak berfungsi",
            "Kurang maksimal",
            "Dikelola dengan baik",
        ),
        titles_en=(
            "Not available",
            "Exists, not working",
            "Works, not optimally",
            "Well managed",
        ),
    ),
    SkmElement(
        key="facilities",
        number=9,
        name_id="Sarana dan prasarana",
        name_en="Facilities and infrastructure",
        question_id="Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        question_en="How good is the quality of the facilities and infrastructure?",
        answers_id=("Buruk", "Cukup", "Baik", "Sangat baik"),
        answers_en=("Bad", "Fair", "Good", "Very good"),
        titles_id=("Buruk", "Cukup", "Baik", "Sangat baik"),
        titles_en=("Bad", "Fair", "Good", "Very good"),
    ),
)

ELEMENTS_BY_KEY: dict[str, SkmElement] = {e.key: e for e in ELEMENTS}

#: Default three-item form: completion time, staff conduct, complaint handling.
SHORT_FORM: tuple[str, ...] = ("completion_time", "conduct", "complaint_handling")
FULL_FORM: tuple[str, ...] = tuple(e.key for e in ELEMENTS)


def element(key: str) -> SkmElement:
    """The element with stable key ``key``; ValueError names the known keys."""
    try:
        return ELEMENTS_BY_KEY[key]
    except KeyError:
        raise ValueError(
            f"unknown SKM element {key!r}; expected one of {', '.join(FULL_FORM)}"
        ) from None


def resolve_form(form: str | Sequence[str]) -> tuple[SkmElement, ...]:
    """The elements of a survey form, in the order they are asked.

    ``form`` is ``"short"`` (:data:`SHORT_FORM`), ``"full"`` (all nine, U1..U9)
    or a sequence of element keys. Unknown keys, an empty form and duplicate
    keys raise ValueError.
    """
    if isinstance(form, str):
        if form == "short":
            keys: Sequence[str] = SHORT_FORM
        elif form == "full":
            keys = FULL_FORM
        else:
            raise ValueError(
                f"unknown SKM form {form!r}; expected 'short', 'full' or a list of "
                f"element keys ({', '.join(FULL_FORM)})"
            )
    else:
        keys = form
    if not keys:
        raise ValueError("an SKM form needs at least one element")
    duplicates = sorted({k for k in keys if list(keys).count(k) > 1})
    if duplicates:
        raise ValueError(f"SKM form repeats element(s): {', '.join(duplicates)}")
    return tuple(element(k) for k in keys)


def payload(element_key: str, score: int) -> str:
    """The button payload for answering ``element_key`` with ``score``."""
    element(element_key)
    _check_score(score)
    return f"{PAYLOAD_PREFIX}:{element_key}:{score}"


def answer_options(element: SkmElement, lang: Lang) -> list[tuple[str, str]]:
    """``(title, payload)`` for the four answers, scored 1..4 in that order.

    Position ``i`` (1-based) is score ``i``, so a numbered-text rendering of
    this list matches the "reply 1-4" hint. Titles are at most
    :data:`MAX_TITLE_CHARS` characters (the narrowest channel's list row).
    """
    return [
        (title, f"{PAYLOAD_PREFIX}:{element.key}:{score}")
        for score, title in enumerate(element.titles(lang), start=MIN_SCORE)
    ]


def question_text(element: SkmElement, lang: Lang, index: int, total: int) -> str:
    """The question with its position, e.g. ``"(1/3) Bagaimana ...?"``.

    ``index`` is 1-based. Used as the message text above buttons; see
    :func:`numbered_question` for channels without buttons.
    """
    if total < 1 or not 1 <= index <= total:
        raise ValueError(f"question index {index} out of range 1..{total}")
    return f"({index}/{total}) {element.question(lang)}"


def numbered_hint(lang: Lang) -> str:
    """The hint appended where answers are shown as numbered text."""
    return SURVEY.text("numbered_hint", require_lang(lang))


def numbered_question(element: SkmElement, lang: Lang, index: int, total: int) -> str:
    """Question, the four answers numbered 1-4 and the reply hint, as one text.

    The fallback for channels without buttons; the numbers are the scores.
    """
    lines = [question_text(element, lang, index, total)]
    lines += [f"{score}. {label}" for score, label in enumerate(element.answers(lang), 1)]
    lines.append(numbered_hint(lang))
    return "\n".join(lines)


def _check_score(score: int) -> int:
    if isinstance(score, bool) or not isinstance(score, int):
        raise ValueError(f"SKM score must be an integer 1..4, got {score!r}")
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"SKM score must be 1..4, got {score}")
    return score


# --- understanding typed answers -------------------------------------------

# Satisfaction words valid for any element. An element's own answer labels
# take precedence (e.g. facilities "cukup" = 2).
_GENERIC_PHRASES: dict[str, int] = {
    # Indonesian
    "sangat puas": 4,
    "puas": 3,
    "kurang puas": 2,
    "tidak puas": 1,
    "kecewa": 1,
    "sangat kecewa": 1,
    "sangat baik": 4,
    "baik": 3,
    "kurang baik": 2,
    "tidak baik": 1,
    "sangat bagus": 4,
    "bagus": 3,
    "kurang bagus": 2,
    "tidak bagus": 1,
    "mantap": 4,
    "mantul": 4,
    "memuaskan": 3,
    "sangat memuaskan": 4,
    "kurang memuaskan": 2,
    "tidak memuaskan": 1,
    "kurang": 2,
    "buruk": 1,
    "sangat buruk": 1,
    "jelek": 1,
    "sangat jelek": 1,
    # English
    "excellent": 4,
    "very good": 4,
    "very satisfied": 4,
    "good": 3,
    "satisfied": 3,
    "poor": 2,
    "not satisfied": 1,
    "dissatisfied": 1,
    "unsatisfied": 1,
    "very poor": 1,
    "bad": 1,
    "very bad": 1,
    "not good": 1,
}

# Words that reverse or weaken what follows. A phrase preceded by one of
# these (and not itself starting with it) is not trusted: "tidak sangat puas".
_NEGATORS = frozenset({"tidak", "kurang", "bukan", "belum", "not", "no", "never", "less"})

# Spelling variants normalised before matching, token by token.
_TOKEN_SYNONYMS: dict[str, str] = {
    "tdk": "tidak",
    "tak": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "krg": "kurang",
    "sgt": "sangat",
    "amat": "sangat",
    "bgt": "banget",
    "bngt": "banget",
    "skali": "sekali",
    "tapi": "tetapi",
}

# Intensifiers after a phrase: "puas banget" means "sangat puas".
_TRAILING_INTENSIFIERS = frozenset({"banget", "sekali"})

# Words after a leading number that make it a quantity, not a score:
# "4 hari" (four days) says nothing about satisfaction.
_QUANTITY_WORDS = frozenset(
    {
        *("menit", "jam", "hari", "minggu", "bulan", "tahun", "kali", "orang", "ribu", "rp"),
        *("minute", "minutes", "hour", "hours", "day", "days", "week", "weeks"),
        *("month", "months", "year", "years", "times"),
    }
)

_WORD_NUMBERS: dict[str, int] = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
}

_PAYLOAD_RE = re.compile(r"^skm:([a-z_]+):(\d+)$")
# A leading score: "4", "4.", "4)", "4 - sangat puas"; "d", "d.", "d) sangat cepat".
_LEADING_NUMBER_RE = re.compile(
    r"^(?:nilai|skor|score)?\s*([1-4])(?!\d)(?![.,]\d)\s*[.):\-/]?\s*(.*)$"
)
_LEADING_LETTER_RE = re.compile(r"^([a-d])(?:\s*$|\s*[.)]\s*(.*)$)")
_STARS_RE = re.compile(r"^[⭐★]{1,4}$")
_EMOJI_SCORES: dict[str, int] = {"👎": 1, "👍": 3, "👍👍": 4, "😡": 1, "🙁": 2, "🙂": 3, "😍": 4}


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    # Keycap digits ("4️⃣") and variation selectors carry no meaning here.
    text = text.replace("\ufe0f", "").replace("\u20e3", "")
    text = text.replace("&", " dan ")
    return " ".join(text.split()).strip(" .,!?;:")


def _words(text: str) -> list[str]:
    tokens = re.findall(r"[a-z]+", text)
    return [_TOKEN_SYNONYMS.get(t, t) for t in tokens]


@functools.cache
def _phrase_table(element: SkmElement) -> dict[tuple[str, ...], int]:
    table: dict[tuple[str, ...], int] = {}
    for phrase, score in _GENERIC_PHRASES.items():
        table[tuple(_words(phrase))] = score
    for lang in LANGS:
        for labels in (element.answers(lang), element.titles(lang)):
            for score, label in enumerate(labels, start=MIN_SCORE):
                table[tuple(_words(_normalise(label)))] = score
    table.pop((), None)
    return table


def _score_from_words(words: list[str], element: SkmElement) -> int | None:
    """Score from free words, or None when absent, conflicting or negated."""
    if not words:
        return None
    table = _phrase_table(element)
    longest = max(len(p) for p in table)
    taken = [False] * len(words)
    scores: set[int] = set()
    # Longest phrases first, so "tidak puas" wins over "puas" and
    # "dikelola dengan baik" over "baik".
    for size in range(min(longest, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if any(taken[start : start + size]):
                continue
            phrase = tuple(words[start : start + size])
            if phrase not in table:
                continue
            if start > 0 and words[start - 1] in _NEGATORS:
                return None
            score = table[phrase]
            end = start + size
            # "cepat sekali" reads as "sangat cepat" when the table has it.
            if end < len(words) and words[end] in _TRAILING_INTENSIFIERS and not taken[end]:
                score = table.get(("sangat", *phrase), score)
                end += 1
            for i in range(start, end):
                taken[i] = True
            scores.add(score)
    if len(scores) != 1:
        return None
    return scores.pop()


def parse_answer(text: str, element: SkmElement) -> int | None:
    """The score 1..4 a citizen's reply gives ``element``, or None.

    Understands button payloads ``skm:<key>:<score>`` (for this element
    only), a leading number or letter ("4", "d.", "4 - sangat puas"), the
    element's own answer labels in Indonesian and English ("sangat cepat"),
    general satisfaction words ("puas", "kurang puas", "tidak puas",
    "mantap", "very good", "poor"), 1-4 stars and a few emoji. Negations
    are respected: "tidak puas" is 1, never 3; "tidak sangat puas" and
    replies mixing different scores are not understood. Never raises.
    """
    if not isinstance(text, str):
        return None
    raw = text.strip()
    match = _PAYLOAD_RE.match(raw)
    if match:
        key, digits = match.groups()
        score = int(digits)
        # A payload from another element's buttons is stale, not an answer here.
        if key != element.key or not MIN_SCORE <= score <= MAX_SCORE:
            return None
        return score

    norm = _normalise(raw)
    if not norm:
        return None
    compact = norm.replace(" ", "")
    if _STARS_RE.match(compact):
        return len(compact)
    if compact in _EMOJI_SCORES:
        return _EMOJI_SCORES[compact]
    if norm in _WORD_NUMBERS:
        return _WORD_NUMBERS[norm]

    leading = _LEADING_NUMBER_RE.match(norm)
    if leading is None:
        letter = _LEADING_LETTER_RE.match(norm)
        if letter is not None:
            leading = letter
    if leading is not None:
        head, rest = leading.group(1), leading.group(2) or ""
        score = int(head) if head.isdigit() else "abcd".index(head) + 1
        rest_words = _words(rest)
        if not rest_words:
            return score
        if rest_words[0] in _QUANTITY_WORDS:
            return None
        said = _score_from_words(rest_words, element)
        # "4 - sangat puas" confirms; "1 sangat puas" contradicts itself.
        if said is not None and said != score:
            return None
        return score

    return _score_from_words(_words(norm), element)


# --- declining, and telling survey replies from new requests ------------------

#: Payload of a "skip" button (the optional comment, or the whole survey).
SKIP_PAYLOAD = f"{PAYLOAD_PREFIX}:skip"
#: Sent by the conversation after a question answered aside: show the current question again.
SURVEY_RESUME = f"{PAYLOAD_PREFIX}:resume"

_SKIP_RE = re.compile(
    r"^(lewati|lewat|skip|nanti( saja| aja)?|tidak (mau|usah|perlu)|"
    r"(gak|ga|nggak|enggak) (mau|usah)|batal|cancel|no thanks?|not now|later)$"
)


def is_skip(text: str) -> bool:
    """Whether a reply declines the survey or its comment ("lewati", "skip", "nanti saja")."""
    if not isinstance(text, str):
        return False
    return text.strip() == SKIP_PAYLOAD or bool(_SKIP_RE.match(_normalise(text)))


def is_survey_reply(text: str, choices: Sequence[Sequence[str]]) -> bool:
    """Whether ``text`` answers the survey question last offered as ``choices``.

    ``choices`` are the ``[title, payload]`` pairs of the question's buttons
    (a dialogue state's ``choices``); the reply answers it when it scores
    that element (:func:`parse_answer`) or declines (:func:`is_skip`). Lets
    the dialogue keep "tidak puas" as a score instead of a new complaint.
    """
    keys = set()
    for choice in choices:
        match = _PAYLOAD_RE.match(choice[1]) if len(choice) > 1 else None
        if match and match.group(1) in ELEMENTS_BY_KEY:
            keys.add(match.group(1))
    if is_skip(text):
        return bool(keys) or any(len(c) > 1 and c[1] == SKIP_PAYLOAD for c in choices)
    return any(parse_answer(text, ELEMENTS_BY_KEY[k]) is not None for k in keys)
