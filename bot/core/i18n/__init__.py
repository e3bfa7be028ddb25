"""Pintu's one i18n mechanism: languages, the normaliser and every message table.

* :data:`Lang` (``"id"`` | ``"en"``), :func:`lang_of` (normalise any language
  hint or preference), :func:`require_lang` (strict check for API arguments);
* :class:`Messages`, a table ``key -> {language -> text}`` whose
  :meth:`~Messages.text` raises :class:`MissingText` for an unknown key and
  falls back to Indonesian for a text missing in English;
* one module per audience: :mod:`.citizen` (the chat, with :func:`t`),
  :mod:`.survey` (the SKM survey in the chat), :mod:`.console` (officers'
  console), :mod:`.nlu_admin` (NLU training pages) and :mod:`.reports`
  (the IKM/SKM report files, page and terminal table), all listed in
  :data:`TABLES`.

Reading the language off a web request or cookie stays in ``bot.web``.
"""

from __future__ import annotations

from bot.core.i18n.cases import ALERTS, CASES, CASES_CITIZEN
from bot.core.i18n.chat import CHAT, chat_text
from bot.core.i18n.chat_commands import CHAT_COMMANDS, tc
from bot.core.i18n.citizen import CITIZEN, CITIZEN_STATUS, category_label, status_label, t
from bot.core.i18n.console import CONSOLE, CONSOLE_EVENTS, CONSOLE_KINDS, CONSOLE_STATUS
from bot.core.i18n.lang import (
    DEFAULT_LANG,
    LANGS,
    Lang,
    Messages,
    MissingText,
    is_lang,
    lang_of,
    placeholders,
    require_lang,
)
from bot.core.i18n.me_too import ME_TOO, ME_TOO_CONSOLE
from bot.core.i18n.nlu_admin import NLU_ADMIN
from bot.core.i18n.privacy import PRIVACY, privacy_notice, privacy_text
from bot.core.i18n.reports import (
    IKM_PAGE,
    IKM_TERMINAL,
    IKM_TERMINAL_COLUMNS,
    REPORT_SCOPE,
    SKM_CSV,
    skm_csv_headings,
)
from bot.core.i18n.services_admin import SERVICES_ADMIN
from bot.core.i18n.survey import SURVEY

#: Every message table, by name (the completeness test walks these).
TABLES: dict[str, Messages] = {
    table.name: table
    for table in (CITIZEN, CITIZEN_STATUS, CHAT, SURVEY, CONSOLE, CONSOLE_STATUS, CONSOLE_EVENTS,
                  CONSOLE_KINDS, NLU_ADMIN, SKM_CSV, IKM_PAGE, IKM_TERMINAL, REPORT_SCOPE,
                  PRIVACY, SERVICES_ADMIN, CASES, CASES_CITIZEN, ALERTS, CHAT_COMMANDS,
                  ME_TOO, ME_TOO_CONSOLE)
}

__all__ = [
    "ALERTS",
    "CASES",
    "CASES_CITIZEN",
    "CHAT",
    "CHAT_COMMANDS",
    "CITIZEN",
    "CITIZEN_STATUS",
    "CONSOLE",
    "CONSOLE_EVENTS",
    "CONSOLE_KINDS",
    "CONSOLE_STATUS",
    "DEFAULT_LANG",
    "IKM_PAGE",
    "IKM_TERMINAL",
    "IKM_TERMINAL_COLUMNS",
    "LANGS",
    "ME_TOO",
    "ME_TOO_CONSOLE",
    "NLU_ADMIN",
    "PRIVACY",
    "REPORT_SCOPE",
    "SERVICES_ADMIN",
    "SKM_CSV",
    "SURVEY",
    "TABLES",
    "Lang",
    "Messages",
    "MissingText",
    "category_label",
    "chat_text",
    "is_lang",
    "lang_of",
    "placeholders",
    "privacy_notice",
    "privacy_text",
    "require_lang",
    "skm_csv_headings",
    "status_label",
    "t",
    "tc",
]
