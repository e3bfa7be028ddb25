"""The NLU training pages' words for templates (the texts are in
:mod:`bot.core.i18n.nlu_admin`)."""

from __future__ import annotations

from bot.core.i18n import NLU_ADMIN, Lang, lang_of


class NluWords:
    """The NLU pages' texts in one language; ``n('key', x=1)`` fills placeholders."""

    def __init__(self, lang: str) -> None:
        self.lang: Lang = lang_of(lang)

    def __call__(self, key: str, **values: object) -> str:
        """A text (the key itself if missing, so a gap shows instead of failing a page;
        tests check that every key the templates name exists)."""
        if values and key in NLU_ADMIN:
            return NLU_ADMIN.text(key, self.lang, **values)
        return NLU_ADMIN.get(key, self.lang, key)
