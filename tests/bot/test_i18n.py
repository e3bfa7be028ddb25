"""The i18n mechanism (bot.core.i18n) and the completeness of every message table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.i18n import (
    CITIZEN_STATUS,
    CONSOLE,
    CONSOLE_STATUS,
    IKM_PAGE,
    IKM_TERMINAL,
    IKM_TERMINAL_COLUMNS,
    LANGS,
    NLU_ADMIN,
    SERVICES_ADMIN,
    SKM_CSV,
    TABLES,
    Messages,
    MissingText,
    lang_of,
    placeholders,
    require_lang,
    skm_csv_headings,
    t,
)
from bot.surveys.reports import PERIODS
from bot.tickets.status import TicketStatus

WEB = Path(__file__).resolve().parents[2] / "bot" / "web"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_key_has_every_language(name: str) -> None:
    table = TABLES[name]
    assert len(table) > 0
    missing = [(key, lg) for key in table for lg in LANGS if lg not in table.languages(key)]
    assert missing == [], f"{name}: texts missing in a language: {missing}"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_placeholders_match_between_languages(name: str) -> None:
    table = TABLES[name]
    for key in table:
        found = {lg: placeholders(text) for lg, text in table.languages(key).items()}
        assert len(set(found.values())) == 1, f"{name} {key!r}: placeholders differ: {found}"


def test_table_names_are_unique_and_registered() -> None:
    assert {"citizen", "survey", "console", "NLU admin", "SKM CSV", "IKM page",
            "IKM terminal"} <= set(TABLES)
    assert all(table.name == name for name, table in TABLES.items())


@pytest.mark.parametrize(
    ("value", "lang"),
    [("en", "en"), ("EN", "en"), ("en-US", "en"), ("id", "id"), ("id-ID", "id"),
     ("fr", "id"), ("", "id"), (None, "id")],
)
def test_lang_of_normalises_to_a_supported_language(value: str | None, lang: str) -> None:
    assert lang_of(value) == lang


def test_require_lang_rejects_anything_else() -> None:
    assert require_lang("en") == "en"
    expected = r"unknown language 'en-US'; expected one of \('id', 'en'\)"
    with pytest.raises(ValueError, match=expected):
        require_lang("en-US")


def test_missing_key_is_a_clear_error() -> None:
    with pytest.raises(MissingText, match="no text 'no_such_key' in the citizen messages"):
        t("no_such_key", "id")
    with pytest.raises(MissingText):
        CONSOLE.raw("no_such_key", "en")
    assert CONSOLE.get("no_such_key", "en", "no_such_key") == "no_such_key"


def test_missing_placeholder_value_names_it() -> None:
    with pytest.raises(ValueError, match=r"citizen text 'last_update' needs a value for \{text\}"):
        t("last_update", "en")


def test_falls_back_to_indonesian() -> None:
    table = Messages("sample", {"only_id": {"id": "Halo {name}"}, "both": {"id": "a", "en": "b"}})
    assert table.text("only_id", "en", name="Ani") == "Halo Ani"
    assert table.text("both", "fr") == "a"
    assert table.text("both", "en-GB") == "b"
    assert table.variants("both") == ("a", "b")


def test_a_table_without_indonesian_or_with_unknown_languages_is_refused() -> None:
    with pytest.raises(ValueError, match="has no 'id' text"):
        Messages("broken", {"x": {"en": "x"}})
    with pytest.raises(ValueError, match="unknown language"):
        Messages("broken", {"x": {"id": "x", "fr": "x"}})


def test_per_language_tables_read_like_key_first_ones() -> None:
    table = Messages.per_language("sample", {"id": {"a": "satu"}, "en": {"a": "one"}})
    assert table.text("a", "id") == "satu" and table.text("a", "en") == "one"


def test_in_lang_gives_every_text_of_one_language() -> None:
    table = Messages("sample", {"a": {"id": "satu", "en": "one"}, "b": {"id": "dua"}})
    assert table.in_lang("en") == {"a": "one", "b": "dua"}
    assert table.in_lang("fr") == {"a": "satu", "b": "dua"}
    table.in_lang("en")["a"] = "changed"  # a copy: the table stays as it was
    assert table.raw("a", "en") == "one"


@pytest.mark.parametrize("table", [CITIZEN_STATUS, CONSOLE_STATUS], ids=lambda table: table.name)
def test_status_tables_cover_every_ticket_status(table: Messages) -> None:
    # Checked here, not in core: bot.core must not import bot.tickets at run time.
    assert set(table) == {status.value for status in TicketStatus}


def test_skm_csv_headings_refuse_an_unknown_language() -> None:
    assert skm_csv_headings("en")["title"] == "Public Satisfaction Survey (SKM) report"
    assert skm_csv_headings("id") == SKM_CSV.in_lang("id")
    for lang in ("fr", "en-US", ""):
        with pytest.raises(ValueError, match=f"unknown language {lang!r}"):
            skm_csv_headings(lang)


def test_terminal_columns_and_page_periods_have_words() -> None:
    assert [k for k in IKM_TERMINAL_COLUMNS if k not in IKM_TERMINAL] == []
    assert [p for p in PERIODS if p not in IKM_PAGE] == []


def test_every_word_the_ikm_page_names_exists() -> None:
    # The page reads its words as ``r.title`` / ``r['from']``; Jinja would show a gap silently.
    html = (WEB / "console" / "templates" / "reports_ikm.html").read_text(encoding="utf-8")
    keys = set(re.findall(r"\br\.([a-z_]+)", html))
    keys |= {m[1] for m in re.findall(r"\br\[\s*(['\"])([a-z_]+)\1\s*\]", html)}
    assert "title" in keys and "from" in keys
    assert sorted(k for k in keys if k not in IKM_PAGE) == []


def _template_keys(folder: Path, helper: str) -> tuple[set[str], set[str]]:
    """Literal keys (``w('inbox')``) and prefixes of built keys (``n('st_' ~ status)``)."""
    pattern = re.compile(rf"\b{helper}\(\s*(['\"])([a-z0-9_]+)\1\s*([),~])")
    literal: set[str] = set()
    prefixes: set[str] = set()
    for path in folder.rglob("*.html"):
        for m in pattern.finditer(path.read_text(encoding="utf-8")):
            (prefixes if m.group(3) == "~" else literal).add(m.group(2))
    return literal, prefixes


@pytest.mark.parametrize(
    ("folders", "helper", "table"),
    [(("console", "nlu_admin"), "w", CONSOLE), (("nlu_admin",), "n", NLU_ADMIN),
     (("console",), "s", SERVICES_ADMIN)],
)
def test_every_key_the_templates_name_exists(
    folders: tuple[str, ...], helper: str, table: Messages
) -> None:
    # Words/NluWords show a missing key instead of failing the page; this catches typos.
    literal: set[str] = set()
    prefixes: set[str] = set()
    for folder in folders:
        keys, starts = _template_keys(WEB / folder / "templates", helper)
        literal |= keys
        prefixes |= starts
    assert literal
    assert sorted(k for k in literal if k not in table) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in table)) == []
