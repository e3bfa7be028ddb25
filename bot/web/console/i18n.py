"""Choosing the console's language from a request, and its words for templates.

The words themselves are in :mod:`bot.core.i18n.console`.
"""

from __future__ import annotations

from fastapi import Request

from bot.core.i18n import (
    CONSOLE,
    CONSOLE_EVENTS,
    CONSOLE_KINDS,
    CONSOLE_STATUS,
    Lang,
    is_lang,
    lang_of,
)
from bot.staff.sessions import StaffContext
from routing.categories import CATEGORY_KEYS, category_name

LANG_COOKIE = "pintu_lang"


def request_lang(request: Request, ctx: StaffContext | None = None) -> Lang:
    """A console page's language: ?lang=, then the language cookie, the user's preference,
    then the configured default."""
    settings_lang = request.app.state.runtime.settings.console.language
    return pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                     ctx.user.language if ctx else None, settings_lang)


def pick_lang(*candidates: str | None) -> Lang:
    """The first supported language among the candidates (Indonesian if none).

    Unlike :func:`bot.core.i18n.lang_of` an unsupported candidate (a stale
    cookie, "fr") is skipped, so the next source gets its say.
    """
    for lang in candidates:
        if is_lang(lang):
            return lang
    return "id"


class Words:
    """The console's texts in one language, for templates."""

    def __init__(self, lang: str) -> None:
        self.lang: Lang = lang_of(lang)

    def __call__(self, key: str) -> str:
        """A UI text (the key itself if missing, so a gap shows instead of failing a page;
        tests check that every key the templates name exists)."""
        return CONSOLE.get(key, self.lang, key)

    def status(self, status: str) -> str:
        """A status in words."""
        return CONSOLE_STATUS.get(status, self.lang, status)

    def event(self, kind: str) -> str:
        """A history event in words."""
        return CONSOLE_EVENTS.get(kind, self.lang, kind)

    def kind(self, kind: str) -> str:
        """A report type in words."""
        return CONSOLE_KINDS.get(kind, self.lang, kind)

    def category(self, key: str | None) -> str:
        """A category in words."""
        return category_name(key, self.lang) if key else "-"

    @property
    def categories(self) -> list[tuple[str, str]]:
        """Every category key with its name, for filters."""
        return [(k, category_name(k, self.lang)) for k in CATEGORY_KEYS]
