"""Rasa NLU training data (YAML format, ``version: "3.1"``): read and write.

Supported blocks under ``nlu:`` are ``intent``, ``synonym``, ``regex`` and
``lookup``, each with ``examples`` given either as Rasa's block string
(``- text`` lines) or as a list of ``{text: ..., metadata: ...}`` items.
Entity annotations in examples (``[Bandung](region)``,
``[Bandung]{"entity": "region"}``) are reduced to their plain text.

Categories: a complaint or aspiration about a topic is an intent block named
``<intent>+<category>``, e.g. ``complaint+water_supply`` (Rasa's multi-intent
separator, so a Rasa model trained on the same file predicts names Pintu can
split). Intent and category names are checked against the taxonomy; a bad
file raises :class:`NluYamlError` with the line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from nlu.examples import TrainingExample
from nlu.taxonomy import CATEGORIES, CATEGORY_INTENTS, INTENTS

RASA_VERSION = "3.1"
CATEGORY_SEPARATOR = "+"

_ANNOTATION = re.compile(r"\[([^\]\n]+)\](?:\([^)\n]*\)|\{[^}\n]*\})")


class NluYamlError(ValueError):
    """The file is not valid Rasa NLU YAML for Pintu; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class NluData:
    """Training examples plus Rasa's synonyms, regexes and lookup tables."""

    examples: tuple[TrainingExample, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    regexes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lookups: dict[str, tuple[str, ...]] = field(default_factory=dict)


def split_intent_name(name: str) -> tuple[str, str | None]:
    """``"complaint+water_supply"`` -> ``("complaint", "water_supply")``; plain names -> None."""
    intent, sep, category = name.partition(CATEGORY_SEPARATOR)
    return intent, (category if sep else None)


def join_intent_name(intent: str, category: str | None) -> str:
    """The Rasa intent name for an intent and optional category."""
    return f"{intent}{CATEGORY_SEPARATOR}{category}" if category else intent


def strip_annotations(text: str) -> str:
    """Rasa entity markup removed: ``"di [Bandung](region)"`` -> ``"di Bandung"``."""
    return _ANNOTATION.sub(r"\1", text)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise NluYamlError(f"{what} must be a text value", _line(node))
    return str(node.value)


def _examples(node: yaml.Node) -> list[tuple[str, int]]:
    """(text, line) pairs from a block string or a list of strings / {text: ...} maps."""
    out: list[tuple[str, int]] = []
    if isinstance(node, yaml.ScalarNode):
        base = _line(node) + (1 if node.style in ("|", ">") else 0)
        for offset, raw in enumerate(str(node.value).splitlines()):
            line = raw.strip()
            if not line:
                continue
            if not line.startswith("-"):
                raise NluYamlError(
                    f"each example must start with '- ', got {line[:40]!r}", base + offset)
            out.append((line[1:].strip(), base + offset))
        return out
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                out.append((str(item.value).strip(), _line(item)))
            elif isinstance(item, yaml.MappingNode):
                texts = [v for k, v in item.value if getattr(k, "value", None) == "text"]
                if not texts:
                    raise NluYamlError("an example item needs 'text'", _line(item))
                out.append((_scalar(texts[0], "text").strip(), _line(texts[0])))
            else:
                raise NluYamlError("an example must be text", _line(item))
        return out
    raise NluYamlError("'examples' must be a block of '- text' lines or a list", _line(node))


def _nlu_blocks(text: str) -> yaml.SequenceNode | None:
    """The ``nlu:`` list of a document after checking its top level; None when it is empty."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise NluYamlError(f"not valid YAML: {exc.problem or exc}",
                           mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise NluYamlError(f"not valid YAML: {exc}") from exc
    except RecursionError:  # PyYAML composes nested collections recursively
        raise NluYamlError("not valid Rasa NLU YAML: collections nested too deeply") from None
    if root is None:
        raise NluYamlError("the file is empty")
    if not isinstance(root, yaml.MappingNode):
        raise NluYamlError("the top level must be a mapping with 'nlu:'", _line(root))
    top = {str(k.value): v for k, v in root.value}
    if "version" in top:
        version = _scalar(top["version"], "version")
        if not version.startswith(("2.", "3.")):
            raise NluYamlError(f"unsupported version {version!r} (expected \"3.1\")",
                               _line(top["version"]))
    if "nlu" not in top:
        raise NluYamlError("no 'nlu:' section", _line(root))
    blocks = top["nlu"]
    if isinstance(blocks, yaml.ScalarNode) and blocks.value in ("", "null", "~"):
        return None
    if not isinstance(blocks, yaml.SequenceNode):
        raise NluYamlError("'nlu:' must be a list of blocks", _line(blocks))
    return blocks


def read_nlu_yaml(text: str, *, source: str = "import", strict: bool = True) -> NluData:
    """Parse Rasa NLU YAML. With ``strict`` intent/category names must be in the taxonomy.

    Raises :class:`NluYamlError` (a ValueError) naming the line of the problem.
    """
    blocks = _nlu_blocks(text)
    if blocks is None:
        return NluData()
    examples: list[TrainingExample] = []
    synonyms: dict[str, list[str]] = {}
    regexes: dict[str, list[str]] = {}
    lookups: dict[str, list[str]] = {}
    for block in blocks.value:
        if not isinstance(block, yaml.MappingNode):
            raise NluYamlError("each item of 'nlu:' must be a mapping", _line(block))
        fields = {str(k.value): v for k, v in block.value}
        kinds = [k for k in ("intent", "synonym", "regex", "lookup") if k in fields]
        if len(kinds) != 1:
            raise NluYamlError(
                "each block needs exactly one of intent, synonym, regex, lookup", _line(block))
        kind = kinds[0]
        name = _scalar(fields[kind], kind).strip()
        if not name:
            raise NluYamlError(f"empty {kind} name", _line(fields[kind]))
        if "examples" not in fields:
            raise NluYamlError(f"{kind} {name!r} has no 'examples'", _line(block))
        items = _examples(fields["examples"])
        if kind == "intent":
            intent, category = split_intent_name(name)
            if strict and intent not in INTENTS:
                raise NluYamlError(f"unknown intent {intent!r} (known: {', '.join(INTENTS)})",
                                   _line(fields[kind]))
            if strict and category is not None and category not in CATEGORIES:
                raise NluYamlError(f"unknown category {category!r}", _line(fields[kind]))
            if strict and category is not None and intent not in CATEGORY_INTENTS:
                raise NluYamlError(f"intent {intent!r} takes no category", _line(fields[kind]))
            for example, line in items:
                plain = " ".join(strip_annotations(example).split())
                if not plain:
                    raise NluYamlError("empty example", line)
                examples.append(TrainingExample(plain, intent, category, source))
        else:
            target = {"synonym": synonyms, "regex": regexes, "lookup": lookups}[kind]
            bucket = target.setdefault(name, [])
            for example, line in items:
                if kind == "regex":
                    try:
                        re.compile(example)
                    except re.error as exc:
                        raise NluYamlError(f"bad regex {example!r}: {exc}", line) from exc
                bucket.append(example)
    return NluData(
        examples=tuple(examples),
        synonyms={k: tuple(v) for k, v in synonyms.items()},
        regexes={k: tuple(v) for k, v in regexes.items()},
        lookups={k: tuple(v) for k, v in lookups.items()},
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _block(kind: str, name: str, items: Iterable[str]) -> list[str]:
    lines = [f"- {kind}: {_quote(name)}", "  examples: |"]
    lines.extend(f"    - {_one_line(item)}" for item in items if _one_line(item))
    return lines


def _quote(name: str) -> str:
    dumped = yaml.safe_dump(name, default_flow_style=True, allow_unicode=True, width=10_000)
    return dumped.strip().removesuffix("...").strip()


def write_nlu_yaml(data: NluData) -> str:
    """Rasa NLU YAML (version 3.1) for ``data``; :func:`read_nlu_yaml` reads it back equal."""
    groups: dict[str, list[str]] = {}
    for ex in data.examples:
        groups.setdefault(join_intent_name(ex.intent, ex.category), []).append(ex.text)
    lines = [f'version: "{RASA_VERSION}"', "", "nlu:"]
    for name, texts in groups.items():
        lines.extend(_block("intent", name, texts))
    for kind, table in (("synonym", data.synonyms), ("regex", data.regexes),
                        ("lookup", data.lookups)):
        for name, items in table.items():
            lines.extend(_block(kind, name, items))
    return "\n".join(lines) + "\n"
