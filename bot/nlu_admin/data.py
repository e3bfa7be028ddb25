"""Training data in the database: seeding, labels, duplicates and conflicts, edits, YAML.

The ``training_examples`` table is the one source of what the NLU learns. It is
seeded from the shipped YAML (source "shipped") the first time it is needed, so
admins can edit or delete shipped examples like any other. Every change is
written to the audit trail in the same transaction.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from nlu.examples import TrainingExample as Example
from nlu.rasa_yaml import NluData, NluYamlError, read_nlu_yaml, write_nlu_yaml
from nlu.taxonomy import CATEGORIES, CATEGORY_INTENTS, INTENTS
from nlu.training import SHIPPED_NLU_PATH
from storage.models import TrainingExample, utcnow
from storage.ports import Repositories

MAX_TEXT = 4000  # imported SP4N-LAPOR! reports are long (nlu.lapor.MAX_TEXT)
SOURCES = ("shipped", "import", "admin", "review", "lapor")


class NluAdminError(ValueError):
    """A request the NLU administration cannot do; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def check_label(intent: str | None, category: str | None, custom: Collection[str] = ()
                ) -> tuple[str, str | None]:
    """A valid (intent, category): complaints and aspirations need a category, others none.

    ``custom`` names the admins' own intents (which take no category either).
    """
    intent = (intent or "").strip()
    category = (category or "").strip() or None
    if intent not in INTENTS and intent not in custom:
        known = ", ".join([*INTENTS, *custom])
        raise NluAdminError(f"unknown intent {intent!r} (known: {known})")
    if intent in CATEGORY_INTENTS:
        if category is None:
            raise NluAdminError(f"a {intent} needs a category")
        if category not in CATEGORIES:
            raise NluAdminError(f"unknown category {category!r}")
    elif category is not None:
        raise NluAdminError(f"the intent {intent!r} takes no category")
    return intent, category


def check_text(value: str | None) -> str:
    """An example's text on one line; NluAdminError when empty or too long."""
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise NluAdminError("the text is empty")
    if len(cleaned) > MAX_TEXT:
        raise NluAdminError(f"the text is longer than {MAX_TEXT} characters")
    return cleaned


_NON_WORD = re.compile(r"[^\w]+")


def normalized_key(value: str) -> str:
    """What makes two examples "the same text": case, accents, punctuation and spacing
    ignored."""
    folded = unicodedata.normalize("NFKD", value.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", folded).split())


# --------------------------------------------------------------------------- seeding

def shipped_data() -> NluData:
    """The shipped training data (examples plus synonyms, regexes and lookup tables)."""
    return read_nlu_yaml(SHIPPED_NLU_PATH.read_text(encoding="utf-8"), source="shipped")


def _read_if_exists(path: Path | None) -> str | None:
    return path.read_text(encoding="utf-8") if path is not None and path.exists() else None


async def ensure_seeded(repos: Repositories, *, legacy_extra: Path | None = None) -> int:
    """Fill an empty table from the shipped YAML, once; how many examples were added.

    ``legacy_extra`` is the file where ``pintu nlu import`` kept examples before
    they lived in the database; its examples come along (source "import"). A
    table an admin emptied on purpose is not refilled: the seeding is recorded
    in the audit trail and happens only once.
    """
    repo = repos.examples
    await repo.lock_seeding()  # two processes seeding at once must not store everything twice
    if await repo.count() > 0:
        return 0
    if await repo.seeding_recorded():
        return 0
    examples = list((await asyncio.to_thread(shipped_data)).examples)
    extra_text = await asyncio.to_thread(_read_if_exists, legacy_extra)
    if extra_text is not None:
        extra = read_nlu_yaml(extra_text, source="import")
        seen = {(e.text, e.intent, e.category) for e in examples}
        examples.extend(e for e in extra.examples if (e.text, e.intent, e.category) not in seen)
    added = await repo.add_many({"text": e.text, "intent": e.intent, "category": e.category,
                                 "source": e.source} for e in examples)
    await repo.record_seeding(added)
    return added


async def training_examples(repos: Repositories) -> list[Example]:
    """Every example in the database, as the trainer takes them (seeding first)."""
    await ensure_seeded(repos)
    rows = await repos.examples.labelled_texts()
    return [Example(text, intent, category, source) for _id, text, intent, category, source in rows]


# --------------------------------------------------------------------------- flags

@dataclass(frozen=True)
class Flags:
    """Examples whose normalised text occurs more than once: same label (duplicate) or
    different labels (conflict)."""

    by_id: dict[int, str]
    duplicate_groups: int
    conflict_groups: int

    def ids(self, kind: str) -> frozenset[int]:
        """The ids flagged ``kind`` ("duplicate" or "conflict")."""
        return frozenset(i for i, k in self.by_id.items() if k == kind)


def find_flags(rows: Sequence[tuple[int, str, str, str | None, str]]) -> Flags:
    """Duplicates and conflicts among (id, text, intent, category, source) rows."""
    groups: dict[str, list[tuple[int, str, str | None]]] = defaultdict(list)
    for example_id, text, intent, category, _source in rows:
        groups[normalized_key(text)].append((example_id, intent, category))
    by_id: dict[int, str] = {}
    dup = conflict = 0
    for members in groups.values():
        if len(members) < 2:
            continue
        kind = "conflict" if len({(i, c) for _, i, c in members}) > 1 else "duplicate"
        if kind == "conflict":
            conflict += 1
        else:
            dup += 1
        for example_id, _i, _c in members:
            by_id[example_id] = kind
    return Flags(by_id, dup, conflict)


async def flags(repos: Repositories) -> Flags:
    """Duplicates and conflicts in the whole table."""
    return find_flags(await repos.examples.labelled_texts())


# --------------------------------------------------------------------------- changes

def example_dict(row: TrainingExample, flag: str | None = None) -> dict[str, Any]:
    """An example as the API shows it."""
    return {"id": row.id, "text": row.text, "intent": row.intent, "category": row.category,
            "source": row.source, "created_by": row.created_by,
            "created_at": row.created_at.isoformat() if row.created_at else None,
            "updated_at": row.updated_at.isoformat() if row.updated_at else None,
            "flag": flag}


async def add_example(repos: Repositories, ctx: StaffContext | None, text: str,
                      intent: str, category: str | None, *, source: str = "admin",
                      ip: str | None = None) -> TrainingExample:
    """Add one example (validated, audited)."""
    clean = check_text(text)
    intent, category = check_label(intent, category, await custom_names(repos))
    await ensure_seeded(repos)
    now = utcnow()
    row = await repos.examples.add(TrainingExample(
        text=clean, intent=intent, category=category, source=source,
        created_by=ctx.user_id if ctx else None, created_at=now, updated_at=now))
    await audit(repos, ctx, "nlu_example_added", target_type="training_example",
                target_id=str(row.id),
                data={"text": clean, "intent": intent, "category": category, "source": source},
                ip=ip)
    return row


async def custom_names(repos: Repositories) -> list[str]:
    """Names of the admins' own intents (valid labels besides the taxonomy's)."""
    return [row.name for row in await repos.custom_intents.all()]


async def _existing(repos: Repositories, example_id: int) -> TrainingExample:
    row = await repos.examples.get(example_id)
    if row is None:
        raise NluAdminError("no such training example", 404)
    return row


async def update_example(repos: Repositories, ctx: StaffContext | None, example_id: int,
                         text: str, intent: str, category: str | None, *,
                         ip: str | None = None) -> TrainingExample:
    """Change one example's text or label (validated before anything changes; audited)."""
    clean = check_text(text)
    intent, category = check_label(intent, category, await custom_names(repos))
    row = await _existing(repos, example_id)
    before = {"text": row.text, "intent": row.intent, "category": row.category}
    await repos.examples.update(row, text=clean, intent=intent, category=category)
    await audit(repos, ctx, "nlu_example_updated", target_type="training_example",
                target_id=str(row.id),
                data={"before": before,
                      "after": {"text": clean, "intent": intent, "category": category}}, ip=ip)
    return row


async def delete_example(repos: Repositories, ctx: StaffContext | None, example_id: int, *,
                         ip: str | None = None) -> None:
    """Remove one example (audited with what it was)."""
    row = await _existing(repos, example_id)
    data = {"text": row.text, "intent": row.intent, "category": row.category,
            "source": row.source}
    await repos.examples.delete(row)
    await audit(repos, ctx, "nlu_example_deleted", target_type="training_example",
                target_id=str(example_id), data=data, ip=ip)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: examples in the file, and how many were new."""

    in_file: int
    added: int


async def import_yaml(repos: Repositories, ctx: StaffContext | None, yaml_text: str, *,
                      ip: str | None = None) -> ImportResult:
    """Add the examples of a Rasa NLU YAML text that are not already there (source
    "import"). :class:`NluAdminError` naming the line for a bad file; nothing is added then."""
    try:
        data = read_nlu_yaml(yaml_text, source="import")
    except NluYamlError as exc:
        raise NluAdminError(f"not valid Rasa NLU YAML: {exc}") from exc
    for ex in data.examples:
        if len(ex.text) > MAX_TEXT:
            raise NluAdminError(f"an example is longer than {MAX_TEXT} characters: "
                                f"{ex.text[:40]!r}")
    await ensure_seeded(repos)
    repo = repos.examples
    seen = {(t, i, c) for _id, t, i, c, _s in await repo.labelled_texts()}
    new: list[dict[str, Any]] = []
    for ex in data.examples:
        key = (ex.text, ex.intent, ex.category)
        if key in seen:
            continue
        seen.add(key)
        new.append({"text": ex.text, "intent": ex.intent, "category": ex.category,
                    "source": "import", "created_by": ctx.user_id if ctx else None})
    added = await repo.add_many(new)
    await audit(repos, ctx, "nlu_examples_imported", target_type="training_examples",
                data={"in_file": len(data.examples), "added": added}, ip=ip)
    return ImportResult(len(data.examples), added)


async def export_yaml(repos: Repositories, *, source: str | None = None) -> tuple[str, int]:
    """The database's examples as Rasa NLU YAML (the shipped format, with the shipped
    synonyms, regexes and lookup tables); the text and the number of examples."""
    await ensure_seeded(repos)
    rows = await repos.examples.labelled_texts(source)
    shipped = await asyncio.to_thread(shipped_data)
    data = NluData(tuple(Example(t, i, c, s) for _id, t, i, c, s in rows), shipped.synonyms,
                   shipped.regexes, shipped.lookups)
    return write_nlu_yaml(data), len(rows)
