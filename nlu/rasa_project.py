"""A whole Rasa project's training data: read it all, keep it all, write it back.

:mod:`nlu.rasa_yaml` reads what Pintu's classifier learns (intents, categories);
this module reads everything else a real Rasa project's files hold, so nothing is
dropped silently:

* examples with entity annotations, inline ``[Kota Batu](region)``,
  ``[Batu](region:city)`` (synonym) and JSON ``[Batu]{"entity": "region",
  "role": "origin", "group": "1"}``, and example or intent ``metadata``;
* ``synonym``, ``regex`` and ``lookup`` blocks;
* ``responses`` (``utter_<intent>``), ``stories``, ``rules`` and the other domain
  sections (``intents``, ``entities``, ``slots``, ``forms``, ``actions``...);
* intents outside Pintu's taxonomy (an admin's own intents, see
  :data:`CUSTOM_INTENT_NAME`).

Like Rasa, an example line without ``- `` is skipped with a warning rather than
refused. Several files (``rasa train`` takes files and directories) merge into
one :class:`RasaProject`; :func:`write_rasa_project` writes it as one file
that reads back equal (:meth:`RasaProject.comparable`). Pure: no I/O beyond
what the caller hands in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from nlu.examples import TrainingExample
from nlu.rasa_yaml import (
    RASA_VERSION,
    NluYamlError,
    join_intent_name,
    split_intent_name,
)
from nlu.taxonomy import CATEGORIES, CATEGORY_INTENTS, INTENTS

#: An admin's own intent name: letters, digits, "_" and "-", at most 32 characters.
CUSTOM_INTENT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,31}$")
# [text](entity), [text](entity:value), [text]{json}
_ANNOTATION = re.compile(r"\[(?P<text>[^\]\n]+)\](?:\((?P<paren>[^)\n]*)\)|(?P<json>\{[^}\n]*\}))")
#: Top-level keys of Rasa files kept as they are (besides nlu, responses, stories, rules).
DOMAIN_KEYS = ("intents", "entities", "slots", "forms", "actions", "session_config",
               "e2e_actions")


@dataclass(frozen=True)
class Annotation:
    """One annotated entity in an example: its place in the plain text and its labels."""

    entity: str
    value: str
    start: int
    end: int
    text: str
    role: str | None = None
    group: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form (storage, model state)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class RasaProject:
    """Everything read from one or more Rasa files."""

    examples: list[TrainingExample] = field(default_factory=list)
    # (intent name as written, plain text) -> {"text": annotated, "metadata": ...}
    example_extras: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)
    intent_metadata: dict[str, Any] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    responses: dict[str, Any] = field(default_factory=dict)
    stories: list[Any] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)
    domain: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def custom_intents(self) -> list[str]:
        """Intent names outside the taxonomy, in order of appearance."""
        return list(dict.fromkeys(e.intent for e in self.examples if e.intent not in INTENTS))

    def comparable(self) -> dict[str, Any]:
        """What a round trip must give back, in a form that compares with ``==``."""
        return {
            "examples": sorted((join_intent_name(e.intent, e.category), e.text)
                               for e in self.examples),
            "example_extras": {f"{k[0]}|{k[1]}": v for k, v in self.example_extras.items()},
            "intent_metadata": self.intent_metadata,
            "synonyms": self.synonyms, "regexes": self.regexes, "lookups": self.lookups,
            "responses": self.responses, "stories": self.stories, "rules": self.rules,
            "domain": self.domain,
        }


# --------------------------------------------------------------------------- annotations

def parse_annotations(text: str) -> tuple[str, list[Annotation]]:
    """The plain text of an example and its entity annotations.

    ``[Batu](region)`` -> value "Batu"; ``[Batu](region:Kota Batu)`` -> value
    "Kota Batu" (Rasa's synonym shorthand); ``[Batu]{"entity": "region", "role":
    "origin", "group": "1", "value": "Kota Batu"}``. Markup that is not an entity
    (``[a](b c)``) stays text.
    """
    plain: list[str] = []
    found: list[Annotation] = []
    pos = 0
    length = 0
    for m in _ANNOTATION.finditer(text):
        before = text[pos:m.start()]
        plain.append(before)
        length += len(before)
        label = _label(m)
        shown = m.group("text")
        if label is None:
            plain.append(m.group(0))
            length += len(m.group(0))
        else:
            entity, value, role, group = label
            found.append(Annotation(entity, value or shown, length, length + len(shown), shown,
                                    role, group))
            plain.append(shown)
            length += len(shown)
        pos = m.end()
    plain.append(text[pos:])
    return "".join(plain), found


def _label(m: re.Match[str]) -> tuple[str, str | None, str | None, str | None] | None:
    if m.group("json") is not None:
        try:
            data = json.loads(m.group("json"))
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("entity"), str):
            return None
        opt = {k: str(data[k]) for k in ("value", "role", "group") if data.get(k) is not None}
        return data["entity"], opt.get("value"), opt.get("role"), opt.get("group")
    paren = (m.group("paren") or "").strip()
    entity, _, value = paren.partition(":")
    if not re.fullmatch(r"[\w\-.]+", entity):
        return None
    return entity, value.strip() or None, None, None


# --------------------------------------------------------------------------- reading

def _load(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}: line {mark.line + 1}" if mark else source
        raise NluYamlError(f"{where}: not valid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise NluYamlError(f"{source}: not valid YAML: {exc}") from exc
    except RecursionError:  # PyYAML composes nested collections recursively
        raise NluYamlError(f"{source}: not valid YAML: collections nested too deeply") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise NluYamlError(f"{source}: the top level must be a mapping (nlu:, responses:...)")
    version = data.get("version")
    if version is not None and not str(version).startswith(("2.", "3.")):
        raise NluYamlError(f"{source}: unsupported version {version!r} (expected \"3.1\")")
    return data


def _example_items(raw: Any, where: str, warnings: list[str]) -> list[tuple[str, Any]]:
    """(text, metadata) pairs of an ``examples`` value; lines without "- " are skipped."""
    out: list[tuple[str, Any]] = []
    if isinstance(raw, str):
        for line in raw.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            if not stripped.startswith("-"):
                warnings.append(f"{where}: skipped {stripped[:60]!r}: an example must start "
                                "with '- '")
                continue
            out.append((stripped[1:].strip(), None))
        return out
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, str):
                out.append((item.strip(), None))
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                out.append((item["text"].strip(), item.get("metadata")))
            else:
                warnings.append(f"{where}: skipped an example that is not text")
        return out
    raise NluYamlError(f"{where}: 'examples' must be a block of '- text' lines or a list")


def _check_intent(name: str, source: str) -> tuple[str, str | None]:
    intent, category = split_intent_name(name)
    if category is not None:
        if intent not in CATEGORY_INTENTS:
            raise NluYamlError(f"{source}: intent {intent!r} takes no category")
        if category not in CATEGORIES:
            raise NluYamlError(f"{source}: unknown category {category!r}")
    elif intent not in INTENTS and not CUSTOM_INTENT_NAME.match(intent):
        raise NluYamlError(f"{source}: intent name {intent!r} must be letters, digits, '_' "
                           "or '-' (at most 32 characters)")
    return intent, category


def _read_intent(project: RasaProject, block: dict[str, Any], source: str) -> None:
    name = str(block["intent"]).strip()
    intent, category = _check_intent(name, f"{source}: intent {name!r}")
    if block.get("metadata") is not None:
        project.intent_metadata[name] = block["metadata"]
    for text, meta in _example_items(block.get("examples"), f"{source}: intent {name!r}",
                                     project.warnings):
        plain, found = parse_annotations(text)
        plain = " ".join(plain.split()) if not found else plain.strip()
        if not plain:
            project.warnings.append(f"{source}: intent {name!r}: skipped an empty example")
            continue
        project.examples.append(TrainingExample(plain, intent, category, "import"))
        extra: dict[str, Any] = {}
        if found:
            extra["text"] = text
            project.annotations.extend(found)
        if meta is not None:
            extra["metadata"] = meta
        if extra:
            project.example_extras[(name, plain)] = extra


def _read_table(project: RasaProject, kind: str, block: dict[str, Any], source: str) -> None:
    name = str(block[kind]).strip()
    items = [t for t, _m in _example_items(block.get("examples"), f"{source}: {kind} {name!r}",
                                           project.warnings)]
    if kind == "regex":
        for pattern in items:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise NluYamlError(f"{source}: bad regex {pattern!r} in {name!r}: {exc}") from exc
    table = {"synonym": project.synonyms, "regex": project.regexes,
             "lookup": project.lookups}[kind]
    bucket = table.setdefault(name, [])
    bucket.extend(i for i in items if i not in bucket)


def _block_lines_of(text: str) -> list[int]:
    """The 1-based line of each block of ``nlu:`` (for error messages)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "nlu" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _read_nlu(project: RasaProject, blocks: Any, source: str, text: str = "") -> None:
    if blocks is None:
        return
    if not isinstance(blocks, list):
        raise NluYamlError(f"{source}: 'nlu:' must be a list of blocks")
    lines = _block_lines_of(text)
    for i, block in enumerate(blocks):
        where = f"{source}: line {lines[i]}" if i < len(lines) else source
        _read_block(project, block, where)


def _read_block(project: RasaProject, block: Any, source: str) -> None:
    if not isinstance(block, dict):
        raise NluYamlError(f"{source}: each item of 'nlu:' must be a mapping")
    kinds = [k for k in ("intent", "synonym", "regex", "lookup") if k in block]
    if len(kinds) != 1 or not str(block[kinds[0]] or "").strip():
        raise NluYamlError(f"{source}: each block needs exactly one named intent, synonym, "
                           "regex or lookup")
    if kinds[0] == "intent":
        _read_intent(project, block, source)
    else:
        _read_table(project, kinds[0], block, source)


def read_rasa_files(files: Iterable[tuple[str, str]]) -> RasaProject:
    """Read ``(name, text)`` Rasa files (NLU data, domain, stories, rules) into one project.

    Raises :class:`NluYamlError` naming the file for what Rasa would refuse too; what Rasa
    only warns about is in :attr:`RasaProject.warnings`.
    """
    project = RasaProject()
    for source, text in files:
        data = _load(text, source)
        _read_nlu(project, data.get("nlu"), source, text)
        responses = data.get("responses")
        if responses is not None:
            if not isinstance(responses, dict):
                raise NluYamlError(f"{source}: 'responses:' must be a mapping")
            project.responses.update(responses)
        for key, target in (("stories", project.stories), ("rules", project.rules)):
            value = data.get(key)
            if value is not None:
                if not isinstance(value, list):
                    raise NluYamlError(f"{source}: '{key}:' must be a list")
                target.extend(value)
        for key in DOMAIN_KEYS:
            if data.get(key) is not None:
                project.domain[key] = _merged(project.domain.get(key), data[key])
        unknown = sorted(set(data) - {"version", "nlu", "responses", "stories", "rules",
                                      *DOMAIN_KEYS})
        for key in unknown:
            project.warnings.append(f"{source}: section {key!r} is not Rasa training data; "
                                    "ignored")
    return project


def _merged(old: Any, new: Any) -> Any:
    if isinstance(old, list) and isinstance(new, list):
        return old + [x for x in new if x not in old]
    if isinstance(old, dict) and isinstance(new, dict):
        return {**old, **new}
    return new


# --------------------------------------------------------------------------- writing

def _block_lines(kind: str, name: str, items: Sequence[str], metadata: Any = None
                 ) -> list[str]:
    lines = [f"- {kind}: {_scalar(name)}"]
    if metadata is not None:
        lines.append("  metadata: " + json.dumps(metadata, ensure_ascii=False))
    lines.append("  examples: |")
    lines.extend(f"    - {' '.join(i.split())}" for i in items if i.strip())
    return lines


def _scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return dumped.strip().removesuffix("...").strip()


def _intent_block(name: str, texts: list[str], project: RasaProject) -> list[str]:
    with_meta = [t for t in texts if "metadata" in project.example_extras.get((name, t), {})]
    if not with_meta:
        written = [project.example_extras.get((name, t), {}).get("text", t) for t in texts]
        return _block_lines("intent", name, written, project.intent_metadata.get(name))
    # Example metadata needs Rasa's list form: one {text, metadata} item per example.
    items = []
    for t in texts:
        extra = project.example_extras.get((name, t), {})
        item: dict[str, Any] = {"text": extra.get("text", t)}
        if "metadata" in extra:
            item["metadata"] = extra["metadata"]
        items.append(item)
    block: dict[str, Any] = {"intent": name}
    if name in project.intent_metadata:
        block["metadata"] = project.intent_metadata[name]
    block["examples"] = items
    return yaml.safe_dump([block], allow_unicode=True, sort_keys=False, width=10_000
                          ).rstrip().splitlines()


def write_rasa_project(project: RasaProject) -> str:
    """One Rasa YAML file (version 3.1) holding the whole project; reads back equal."""
    groups: dict[str, list[str]] = {}
    for ex in project.examples:
        groups.setdefault(join_intent_name(ex.intent, ex.category), []).append(ex.text)
    lines = [f'version: "{RASA_VERSION}"', "", "nlu:"]
    for name, texts in groups.items():
        lines.extend(_intent_block(name, texts, project))
    for kind, table in (("synonym", project.synonyms), ("regex", project.regexes),
                        ("lookup", project.lookups)):
        for name, items in table.items():
            lines.extend(_block_lines(kind, name, items))
    text = "\n".join(lines) + "\n"
    rest: dict[str, Any] = {}
    if project.responses:
        rest["responses"] = project.responses
    if project.stories:
        rest["stories"] = project.stories
    if project.rules:
        rest["rules"] = project.rules
    rest.update(project.domain)
    if rest:
        text += "\n" + yaml.safe_dump(rest, allow_unicode=True, sort_keys=False, width=10_000)
    return text


def response_texts(variations: Any) -> tuple[str, str, list[dict[str, str]]]:
    """(Indonesian text, English text, buttons) of an ``utter_<intent>`` response.

    The first variation without a language condition is the Indonesian answer; one whose
    ``condition`` (or ``metadata``) names ``language: en`` is the English one.
    """
    text_id = text_en = ""
    buttons: list[dict[str, str]] = []
    for variation in variations if isinstance(variations, list) else []:
        if not isinstance(variation, Mapping) or not isinstance(variation.get("text"), str):
            continue
        if _language_of(variation) == "en":
            text_en = text_en or variation["text"]
        else:
            text_id = text_id or variation["text"]
        if not buttons:
            buttons = [{"title_id": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                       for b in variation.get("buttons") or [] if isinstance(b, Mapping)]
    return text_id, text_en, buttons


def _language_of(variation: Mapping[str, Any]) -> str | None:
    for cond in variation.get("condition") or []:
        if isinstance(cond, Mapping) and cond.get("name") in ("language", "lang"):
            return str(cond.get("value"))
    meta = variation.get("metadata")
    if isinstance(meta, Mapping) and meta.get("language"):
        return str(meta["language"])
    return None


def answer_response(text_id: str, text_en: str, buttons: Sequence[Mapping[str, Any]]
                    ) -> list[dict[str, Any]]:
    """An ``utter_<intent>`` response for an admin's answer (the inverse of
    :func:`response_texts`): Indonesian first, English under ``condition`` language en."""
    out: list[dict[str, Any]] = []
    for lang, text in (("id", text_id), ("en", text_en)):
        if not text.strip():
            continue
        variation: dict[str, Any] = {"text": text}
        title_key = "title_en" if lang == "en" else "title_id"
        shown = [{"title": str(b.get(title_key) or b.get("title_id") or ""),
                  "payload": str(b.get("payload", ""))} for b in buttons]
        if shown:
            variation["buttons"] = shown
        if lang == "en":
            variation["condition"] = [{"type": "slot", "name": "language", "value": "en"}]
        out.append(variation)
    return out
