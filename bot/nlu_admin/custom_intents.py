"""Admins' own intents and whole Rasa projects: add, edit, import, export, train.

An admin adds an intent (a name, example phrases, an answer in Indonesian and
English with optional buttons) in the NLU pages, the API, or by importing Rasa
files; it is trained with the rest on the next training, and once that
version is promoted the bot answers it on every channel. The eight intents of
the taxonomy keep their meaning; a custom intent is an information answer
(``kind`` "answer") unless marked ``human_agent`` (hand over to an officer).

Importing Rasa files keeps everything (:mod:`nlu.rasa_project`): examples
with their entity markup and metadata, synonyms, regexes, lookup tables,
responses, stories, rules and other domain sections, in ``nlu_rasa_items``, so
the export gives back what came in. :class:`ImportReport` says what the
embedded NLU uses and what is kept but unused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.conversation.custom_answers import KINDS
from bot.nlu_admin.data import (
    MAX_TEXT,
    NluAdminError,
    check_text,
    ensure_seeded,
    shipped_data,
)
from bot.staff.audit import audit
from bot.staff.sessions import StaffContext
from nlu.examples import TrainingExample as Example
from nlu.rasa_extractors import RasaExtras
from nlu.rasa_project import (
    CUSTOM_INTENT_NAME,
    RasaProject,
    answer_response,
    parse_annotations,
    read_rasa_files,
    response_texts,
    write_rasa_project,
)
from nlu.rasa_yaml import NluYamlError, join_intent_name
from nlu.taxonomy import INTENTS
from storage.models import CustomIntent, utcnow
from storage.ports import Repositories

MAX_BUTTONS = 10
MAX_ANSWER = 4000
_TABLE_KINDS = ("synonym", "regex", "lookup")


# --------------------------------------------------------------------------- validation

def check_intent_name(name: str | None) -> str:
    """A valid name for a new intent; NluAdminError for a built-in or malformed one."""
    clean = (name or "").strip()
    if clean in INTENTS:
        raise NluAdminError(f"{clean!r} is a built-in intent; choose another name")
    if not CUSTOM_INTENT_NAME.match(clean):
        raise NluAdminError("an intent name is a letter then letters, digits, '_' or '-' "
                            "(at most 32 characters), e.g. jadwal_posyandu")
    return clean


def check_buttons(buttons: Iterable[Mapping[str, Any]] | None) -> list[dict[str, str]]:
    """Buttons as stored: a title (Indonesian, optionally English) and a payload each."""
    out: list[dict[str, str]] = []
    for raw in buttons or []:
        title_id = " ".join(str(raw.get("title_id") or raw.get("title") or "").split())
        title_en = " ".join(str(raw.get("title_en") or "").split())
        payload = str(raw.get("payload") or "").strip()
        if not (title_id or title_en or payload):
            continue
        if not (title_id or title_en) or not payload:
            raise NluAdminError("every button needs a title and a payload")
        if len(payload) > 200 or len(title_id) > 60 or len(title_en) > 60:
            raise NluAdminError("a button title is at most 60 characters, a payload 200")
        out.append({"title_id": title_id, "title_en": title_en, "payload": payload})
    if len(out) > MAX_BUTTONS:
        raise NluAdminError(f"at most {MAX_BUTTONS} buttons")
    return out


def _answer(value: str | None) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_ANSWER:
        raise NluAdminError(f"an answer is at most {MAX_ANSWER} characters")
    return text


def intent_dict(row: CustomIntent, examples: int = 0) -> dict[str, Any]:
    """A custom intent as the API shows it."""
    return {"name": row.name, "kind": row.kind, "description": row.description,
            "answer_id": row.answer_id, "answer_en": row.answer_en,
            "buttons": list(row.buttons or []), "source": row.source, "examples": examples,
            "needs_review": row.needs_review,
            "updated_at": row.updated_at.isoformat() if row.updated_at else None}


# --------------------------------------------------------------------------- changes

async def save_custom_intent(
    repos: Repositories, ctx: StaffContext | None, name: str, *, examples: Sequence[str] = (),
    answer_id: str = "", answer_en: str = "", buttons: Iterable[Mapping[str, Any]] = (),
    kind: str = "answer", description: str = "", ip: str | None = None,
) -> CustomIntent:
    """Add an intent (or change an existing one's answer) and add its new examples.

    Everything is checked before anything changes; audited.
    """
    clean = check_intent_name(name)
    if kind not in KINDS:
        raise NluAdminError(f"kind must be one of {', '.join(KINDS)}")
    texts = list(dict.fromkeys(check_text(t) for t in examples if t.strip()))
    fields = {"answer_id": _answer(answer_id), "answer_en": _answer(answer_en),
              "buttons": check_buttons(buttons), "kind": kind,
              "description": " ".join(description.split())[:500]}
    row = await repos.custom_intents.by_name(clean)
    if row is None and not texts:
        raise NluAdminError("a new intent needs at least one example phrase")
    await ensure_seeded(repos)
    now = utcnow()
    if row is None:
        row = await repos.custom_intents.add(CustomIntent(
            name=clean, source="admin", created_by=ctx.user_id if ctx else None,
            created_at=now, updated_at=now, **fields))
    else:
        for key, value in fields.items():
            setattr(row, key, value)
        row.updated_at = now
    added = await _add_examples(repos, ctx, [Example(t, clean, None, "admin") for t in texts])
    await audit(repos, ctx, "nlu_intent_saved", target_type="custom_intent", target_id=clean,
                data={**fields, "examples_added": added}, ip=ip)
    return row


async def delete_custom_intent(repos: Repositories, ctx: StaffContext | None, name: str, *,
                               ip: str | None = None) -> int:
    """Remove a custom intent and its examples; how many examples went with it."""
    row = await repos.custom_intents.by_name(name)
    if row is None:
        raise NluAdminError("no such intent", 404)
    ids = [i for i, _t, intent, _c, _s in await repos.examples.labelled_texts()
           if intent == name]
    for example_id in ids:
        example = await repos.examples.get(example_id)
        if example is not None:
            await repos.examples.delete(example)
    await repos.custom_intents.delete(row)
    await audit(repos, ctx, "nlu_intent_deleted", target_type="custom_intent", target_id=name,
                data={"examples_deleted": len(ids)}, ip=ip)
    return len(ids)


async def _add_examples(repos: Repositories, ctx: StaffContext | None,
                        examples: Iterable[Example]) -> int:
    seen = {(t, i, c) for _id, t, i, c, _s in await repos.examples.labelled_texts()}
    new: list[dict[str, Any]] = []
    for ex in examples:
        key = (ex.text, ex.intent, ex.category)
        if key not in seen:
            seen.add(key)
            new.append({"text": ex.text, "intent": ex.intent, "category": ex.category,
                        "source": ex.source, "created_by": ctx.user_id if ctx else None})
    return await repos.examples.add_many(new)


# --------------------------------------------------------------------------- Rasa import

@dataclass
class ImportReport:
    """What an import of Rasa files did, and what of it the embedded NLU uses."""

    files: int = 0
    in_file: int = 0
    added: int = 0
    intents_added: list[str] = field(default_factory=list)
    needs_review: list[str] = field(default_factory=list)
    used: dict[str, int] = field(default_factory=dict)
    unused: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form (API, CLI --json)."""
        return dict(self.__dict__)

    def lines(self) -> list[str]:
        """The report as text lines (CLI, admin page)."""
        out = [f"imported {self.added} new examples ({self.in_file} in {self.files} file(s))"]
        if self.intents_added:
            out.append(f"new intents: {', '.join(self.intents_added)}")
        if self.needs_review:
            out.append("intents without an answer (kept for review): "
                       + ", ".join(self.needs_review))
        used = ", ".join(f"{n} {k}" for k, n in self.used.items() if n)
        unused = ", ".join(f"{n} {k}" for k, n in self.unused.items() if n)
        if used:
            out.append(f"used by the embedded NLU: {used}")
        if unused:
            out.append(f"kept for the export but unused by the embedded NLU: {unused}")
        out.extend(f"warning: {w}" for w in self.warnings)
        return out


#: Files of a Rasa project that hold no training data (``rasa train`` reads them apart).
NOT_TRAINING_DATA = frozenset({"config.yml", "config.yaml", "credentials.yml",
                               "endpoints.yml", "credentials.yaml", "endpoints.yaml"})


def collect_rasa_files(paths: Sequence[str | Path]) -> list[tuple[str, str]]:
    """``(name, text)`` of the Rasa files at ``paths``: files, and directories searched
    for ``*.yml``/``*.yaml`` like ``rasa train`` does (config, credentials and endpoints
    files left out). :class:`NluAdminError` for a path that is not there or not UTF-8."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file()
                                and p.suffix in (".yml", ".yaml")
                                and p.name not in NOT_TRAINING_DATA))
        elif path.is_file():
            found.append(path)
        else:
            raise NluAdminError(f"{path}: no such file or directory", 404)
    out: list[tuple[str, str]] = []
    for path in found:
        try:
            out.append((str(path), path.read_text(encoding="utf-8")))
        except UnicodeDecodeError as exc:
            raise NluAdminError(f"{path}: not UTF-8 text") from exc
    if not out:
        raise NluAdminError("no Rasa YAML files found in " + ", ".join(map(str, paths)))
    return out


def read_files(files: Sequence[tuple[str, str]]) -> RasaProject:
    """Rasa files as a project; :class:`NluAdminError` naming the file for a bad one."""
    if not files:
        raise NluAdminError("no Rasa files given")
    try:
        project = read_rasa_files(files)
    except NluYamlError as exc:
        raise NluAdminError(f"not valid Rasa training data: {exc}") from exc
    for ex in project.examples:
        if len(ex.text) > MAX_TEXT:
            raise NluAdminError(f"an example is longer than {MAX_TEXT} characters: "
                                f"{ex.text[:40]!r}")
    return project


async def import_rasa(repos: Repositories, ctx: StaffContext | None,
                      files: Sequence[tuple[str, str]], *, ip: str | None = None
                      ) -> ImportReport:
    """Import ``(name, text)`` Rasa files: new intents (with their ``utter_<intent>``
    answers), new examples, and everything else kept. Nothing changes on a bad file."""
    project = read_files(files)
    await ensure_seeded(repos)
    report = ImportReport(files=len(files), in_file=len(project.examples),
                          warnings=list(project.warnings))
    await _import_intents(repos, ctx, project, report)
    report.added = await _add_examples(repos, ctx, project.examples)
    await _keep_items(repos, project, report)
    await audit(repos, ctx, "nlu_rasa_imported", target_type="training_examples",
                data={k: v for k, v in report.as_dict().items() if k != "warnings"}, ip=ip)
    return report


async def _import_intents(repos: Repositories, ctx: StaffContext | None,
                          project: RasaProject, report: ImportReport) -> None:
    now = utcnow()
    for name in project.custom_intents:
        text_id, text_en, buttons = response_texts(project.responses.get(f"utter_{name}"))
        row = await repos.custom_intents.by_name(name)
        if row is None:
            row = await repos.custom_intents.add(CustomIntent(
                name=name, kind="answer", description="", answer_id=text_id, answer_en=text_en,
                buttons=buttons, source="import", created_by=ctx.user_id if ctx else None,
                created_at=now, updated_at=now))
            report.intents_added.append(name)
        elif row.needs_review and (text_id or text_en):
            row.answer_id, row.answer_en, row.buttons, row.updated_at = (
                text_id, text_en, buttons, now)
        if row.needs_review:
            report.needs_review.append(name)


def _item_rows(project: RasaProject) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for kind, table in (("synonym", project.synonyms), ("regex", project.regexes),
                        ("lookup", project.lookups)):
        rows.extend({"kind": kind, "name": name, "data": items} for name, items in table.items())
    rows.extend({"kind": "example", "name": intent, "key": text, "data": extra}
                for (intent, text), extra in project.example_extras.items())
    rows.extend({"kind": "intent_meta", "name": k, "data": v}
                for k, v in project.intent_metadata.items())
    rows.extend({"kind": "response", "name": k, "data": v} for k, v in project.responses.items())
    for kind, items in (("story", project.stories), ("rule", project.rules)):
        rows.extend({"kind": kind, "name": _step_name(item, kind, i), "data": item}
                    for i, item in enumerate(items))
    rows.extend({"kind": "domain", "name": k, "data": v} for k, v in project.domain.items())
    return rows


def _step_name(item: Any, kind: str, index: int) -> str:
    name = item.get(kind) if isinstance(item, Mapping) else None
    return str(name)[:200] if name else f"{kind} {index + 1}"


async def _keep_items(repos: Repositories, project: RasaProject, report: ImportReport) -> None:
    """Store what came in (replacing what an earlier import kept under the same name)."""
    kept = {(r.kind, r.name, r.key): r.data for r in await repos.rasa_items.all()}
    rows = _item_rows(project)
    for row in rows:
        key = (row["kind"], row["name"], row.get("key"))
        old = kept.get(key)
        if key in kept:
            await repos.rasa_items.remove(row["kind"], row["name"], row.get("key"))
        if row["kind"] in _TABLE_KINDS and isinstance(old, list):
            row["data"] = list(dict.fromkeys([*old, *row["data"]]))
        row["source"] = "import"
    await repos.rasa_items.add_many(rows)
    custom = set(project.custom_intents)
    answers = sum(1 for k in project.responses if k.removeprefix("utter_") in custom)
    report.used = {"synonyms": len(project.synonyms), "regexes": len(project.regexes),
                   "lookup tables": len(project.lookups),
                   "annotated entities": len(project.annotations),
                   "responses (as answers)": answers}
    report.unused = {
        "other responses": len(project.responses) - answers,
        "stories": len(project.stories), "rules": len(project.rules),
        "metadata": len(project.intent_metadata) + sum(
            1 for e in project.example_extras.values() if "metadata" in e),
        "domain sections": len(project.domain)}


# --------------------------------------------------------------------------- export, training

async def export_project(repos: Repositories, *, source: str | None = None) -> tuple[str, int]:
    """Every example (or one source's) with everything kept, as one Rasa YAML file."""
    await ensure_seeded(repos)
    rows = await repos.examples.labelled_texts(source)
    project = RasaProject(examples=[Example(t, i, c, s) for _id, t, i, c, s in rows])
    if source is None:
        shipped = await asyncio.to_thread(shipped_data)
        project.synonyms = {k: list(v) for k, v in shipped.synonyms.items()}
        project.regexes = {k: list(v) for k, v in shipped.regexes.items()}
        project.lookups = {k: list(v) for k, v in shipped.lookups.items()}
    present = {(join_intent_name(i, c), t) for _id, t, i, c, _s in rows}
    for item in await repos.rasa_items.all():
        _restore(project, item.kind, item.name, item.key, item.data, present)
    for intent in await repos.custom_intents.all():
        kept = project.responses.get(f"utter_{intent.name}")
        if response_texts(kept) != (intent.answer_id, intent.answer_en, list(intent.buttons)):
            generated = answer_response(intent.answer_id, intent.answer_en, intent.buttons)
            if generated:
                project.responses[f"utter_{intent.name}"] = generated
    return write_rasa_project(project), len(rows)


def _restore(project: RasaProject, kind: str, name: str, key: str | None, data: Any,
             present: set[tuple[str, str]]) -> None:
    if kind in _TABLE_KINDS:
        table = {"synonym": project.synonyms, "regex": project.regexes,
                 "lookup": project.lookups}[kind]
        table[name] = list(dict.fromkeys([*table.get(name, []), *data]))
    elif kind == "example" and key is not None and (name, key) in present:
        project.example_extras[(name, key)] = data
    elif kind == "intent_meta":
        project.intent_metadata[name] = data
    elif kind == "response":
        project.responses[name] = data
    elif kind in ("story", "rule"):
        (project.stories if kind == "story" else project.rules).append(data)
    elif kind == "domain":
        project.domain[name] = data


def trainable(examples: Sequence[Example], custom: Iterable[str]) -> list[Example]:
    """The examples the model learns: the taxonomy's, and those of ``custom`` intents (an
    intent kept for review, without an answer yet, is not learnt until it has one)."""
    names = {*INTENTS, *custom}
    return [e for e in examples if e.intent in names]


async def training_extras(repos: Repositories) -> tuple[list[str], RasaExtras]:
    """The custom intents to learn (those with an answer) and the kept Rasa data the model
    uses."""
    names = [row.name for row in await repos.custom_intents.all() if not row.needs_review]
    extras = RasaExtras()
    for item in await repos.rasa_items.all():
        if item.kind == "synonym":
            extras.synonyms.setdefault(item.name, []).extend(item.data)
        elif item.kind == "regex":
            extras.regexes.setdefault(item.name, []).extend(item.data)
        elif item.kind == "lookup":
            extras.lookups.setdefault(item.name, []).extend(item.data)
        elif item.kind == "example" and isinstance(item.data, Mapping) and item.data.get("text"):
            extras.annotated.extend(a.as_dict() for a in parse_annotations(item.data["text"])[1])
    return names, RasaExtras.from_state(extras.to_state())

