"""What the embedded NLU does with a Rasa project's synonyms, regexes, lookups and
annotated entities.

* synonyms normalise the text the classifier sees ("samsat keliling" and
  "samling" are one feature) and map extracted entity values to their
  canonical value, as Rasa's ``EntitySynonymMapper`` does;
* regexes and lookup tables are entity extractors, as Rasa's
  ``RegexEntityExtractor`` uses them (the block's name is the entity);
* annotated entities of the training examples are learnt by heart: a value
  annotated once is found again, with its role and group (a gazetteer, not
  Rasa's statistical DIETClassifier; it does not generalise to unseen values).

:class:`RasaExtras` is stored in the model file; pure and never raises at parse time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nlu.types import Entity

REGEX_EXTRACTOR = "RegexEntityExtractor"
ANNOTATION_EXTRACTOR = "PintuAnnotationExtractor"
SYNONYM_MAPPER = "EntitySynonymMapper"
_MAX_LOOKUP_ALTERNATIVES = 20_000


def _alternation(values: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({v.strip() for v in values if v.strip()}, key=len, reverse=True)
    if not words:
        return None
    body = "|".join(re.escape(w) for w in words[:_MAX_LOOKUP_ALTERNATIVES])
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


@dataclass
class RasaExtras:
    """Synonyms, regexes, lookups and annotated values, ready to use."""

    synonyms: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    # [{"entity", "value", "text", "role"?, "group"?}]
    annotated: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._canonical = {v.casefold(): k for k, vs in self.synonyms.items() for v in vs}
        self._synonym_re = _alternation(self._canonical)
        self._regexes = [(name, re.compile(p)) for name, ps in self.regexes.items() for p in ps
                         if _compiles(p)]
        self._lookups = [(name, pat) for name, vs in self.lookups.items()
                         if (pat := _alternation(vs)) is not None]
        by_text: dict[str, dict[str, str]] = {}
        for a in self.annotated:
            by_text.setdefault(str(a.get("text", "")).casefold(), a)
        self._annotated = by_text
        self._annotated_re = _alternation(by_text)

    @property
    def empty(self) -> bool:
        """Nothing to use."""
        return not (self.synonyms or self.regexes or self.lookups or self.annotated)

    def to_state(self) -> dict[str, Any]:
        """What the model file keeps."""
        return {"synonyms": self.synonyms, "regexes": self.regexes, "lookups": self.lookups,
                "annotated": self.annotated}

    @classmethod
    def from_state(cls, state: Mapping[str, Any] | None) -> RasaExtras:
        """Inverse of :meth:`to_state` (an old model file has none: empty)."""
        state = state or {}
        return cls({k: list(v) for k, v in (state.get("synonyms") or {}).items()},
                   {k: list(v) for k, v in (state.get("regexes") or {}).items()},
                   {k: list(v) for k, v in (state.get("lookups") or {}).items()},
                   [dict(a) for a in state.get("annotated") or []])

    def normalise(self, normalized: str) -> str:
        """The classifier's text with every synonym replaced by its canonical value."""
        if self._synonym_re is None:
            return normalized
        return self._synonym_re.sub(
            lambda m: self._canonical.get(m.group(0).casefold(), m.group(0)).lower(), normalized)

    def canonical(self, value: str) -> str:
        """A value mapped by the synonyms (unchanged when it is no synonym)."""
        return self._canonical.get(value.casefold(), value)

    def entities(self, text: str, taken: Sequence[tuple[int, int]] = ()) -> list[Entity]:
        """Entities found by the regexes, lookup tables and annotated values."""
        found: list[Entity] = []
        spans = list(taken)

        def add(entity: str, m: re.Match[str], extractor: str, extra: dict[str, Any],
                value: str | None = None) -> None:
            start, end = m.span()
            if start == end or any(s < end and start < e for s, e in spans):
                return
            raw = value if value is not None else m.group(0)
            mapped = self.canonical(raw)
            info = dict(extra)
            if mapped.casefold() != m.group(0).casefold():
                info["processors"] = [SYNONYM_MAPPER]
            spans.append((start, end))
            found.append(Entity(entity, mapped, start, end, 1.0, extractor, info))

        for name, pattern in self._regexes:
            for m in pattern.finditer(text):
                add(name, m, REGEX_EXTRACTOR, {})
        for name, pattern in self._lookups:
            for m in pattern.finditer(text):
                add(name, m, REGEX_EXTRACTOR, {})
        if self._annotated_re is not None:
            for m in self._annotated_re.finditer(text):
                a = self._annotated.get(m.group(0).casefold())
                if a is not None:
                    extra = {k: a[k] for k in ("role", "group") if a.get(k)}
                    value = a["value"] if a.get("value") != a.get("text") else None
                    add(a["entity"], m, ANNOTATION_EXTRACTOR, extra, value)
        return sorted(found, key=lambda e: e.start)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
