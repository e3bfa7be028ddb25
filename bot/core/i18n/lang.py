"""The i18n mechanism: supported languages, the one normaliser and message tables.

Every text Pintu shows (to citizens, officers or NLU admins) lives in a
:class:`Messages` table, one per audience, defined in this package and
listed in :data:`bot.core.i18n.TABLES`. Indonesian is the default and the
fallback: a text missing in English is shown in Indonesian, while a key
missing altogether is an error that names the table and the key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from string import Formatter
from typing import Literal, TypeGuard

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
#: The default language and the fallback for a text missing in another one.
DEFAULT_LANG: Lang = "id"


def lang_of(value: str | None) -> Lang:
    """The supported language closest to ``value`` (``"en-US"`` -> ``"en"``; Indonesian
    unless English, including for None and unknown languages)."""
    return "en" if (value or "").lower().startswith("en") else "id"


def is_lang(value: object) -> TypeGuard[Lang]:
    """Whether ``value`` is exactly a supported language code."""
    return value in LANGS


def require_lang(value: str) -> Lang:
    """``value`` as a :data:`Lang`; ValueError for anything that is not exactly one.

    For APIs that take a language argument and must not silently fall back
    (e.g. the SKM questionnaire); citizen and request input uses :func:`lang_of`.
    """
    if value == "id":
        return "id"
    if value == "en":
        return "en"
    raise ValueError(f"unknown language {value!r}; expected one of {LANGS}")


def placeholders(text: str) -> frozenset[str]:
    """The names of the ``{placeholders}`` in ``text`` (``{{`` escapes excluded)."""
    return frozenset(name for _, name, _, _ in Formatter().parse(text) if name is not None)


class MissingText(KeyError):
    """A key that a message table does not have."""

    def __str__(self) -> str:
        # KeyError quotes its argument; the message reads better without.
        return str(self.args[0])


class Messages:
    """One audience's texts: ``key -> {language -> text}``.

    Every entry must have an Indonesian text (the fallback); entries are
    checked when the table is built, so a broken table fails at import.
    """

    def __init__(self, name: str, entries: Mapping[str, Mapping[str, str]]) -> None:
        self.name = name
        self._entries: dict[str, dict[Lang, str]] = {}
        for key, texts in entries.items():
            unknown = sorted(set(texts) - set(LANGS))
            if unknown:
                raise ValueError(f"{name} text {key!r} has unknown language(s) {unknown}")
            if DEFAULT_LANG not in texts:
                raise ValueError(f"{name} text {key!r} has no {DEFAULT_LANG!r} text")
            self._entries[key] = {require_lang(lg): text for lg, text in texts.items()}

    @classmethod
    def per_language(cls, name: str, by_lang: Mapping[str, Mapping[str, str]]) -> Messages:
        """A table written language first (``{"id": {key: text}, "en": {...}}``),
        the layout of long UI word lists."""
        entries: dict[str, dict[str, str]] = {}
        for lg, texts in by_lang.items():
            for key, text in texts.items():
                entries.setdefault(key, {})[lg] = text
        return cls(name, entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def languages(self, key: str) -> Mapping[Lang, str]:
        """Every language's text of ``key``; :class:`MissingText` if there is none."""
        try:
            return self._entries[key]
        except KeyError:
            raise MissingText(f"no text {key!r} in the {self.name} messages") from None

    def raw(self, key: str, lang: str | None) -> str:
        """The unformatted text ``key`` in ``lang`` (Indonesian if it has no such text)."""
        entry = self.languages(key)
        return entry.get(lang_of(lang), entry[DEFAULT_LANG])

    def text(self, key: str, lang: str | None, **params: object) -> str:
        """The text ``key`` in ``lang`` with ``params`` filled in.

        :class:`MissingText` for an unknown key; ValueError naming the
        placeholder when ``params`` lack one the text needs.
        """
        template = self.raw(key, lang)
        try:
            return template.format(**params)
        except KeyError as exc:
            raise ValueError(
                f"the {self.name} text {key!r} needs a value for {{{exc.args[0]}}}"
            ) from None

    def get(self, key: str, lang: str | None, default: str) -> str:
        """The unformatted text ``key`` in ``lang``, or ``default`` for an unknown key.

        For keys that come from data (a ticket status, a template's
        ``'st_' ~ status``) where showing the raw key beats failing a page.
        """
        entry = self._entries.get(key)
        if entry is None:
            return default
        return entry.get(lang_of(lang), entry[DEFAULT_LANG])

    def in_lang(self, lang: str | None) -> dict[str, str]:
        """Every unformatted text in ``lang`` (Indonesian where it has none), by key.

        For templates that read words as ``r.title`` and for fixed layouts such
        as a CSV file's headings; a fresh dict, so callers cannot alter the table.
        """
        lg = lang_of(lang)
        return {key: entry.get(lg, entry[DEFAULT_LANG]) for key, entry in self._entries.items()}

    def variants(self, key: str) -> tuple[str, ...]:
        """The unformatted text ``key`` in every language it has, in :data:`LANGS` order."""
        entry = self.languages(key)
        return tuple(entry[lg] for lg in LANGS if lg in entry)
