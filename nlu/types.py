"""What the NLU says about one message, and the port every NLU backend implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

RegionLevel = Literal["province", "regency", "district"]


@dataclass(frozen=True, slots=True)
class Prediction:
    """A label with calibrated confidence, the full ranking, and whether it clears the threshold."""

    label: str
    confidence: float
    ranking: tuple[tuple[str, float], ...] = ()
    confident: bool = True


@dataclass(frozen=True, slots=True)
class Region:
    """A place resolved to the Kemendagri wilayah codes.

    ``name`` is the canonical name as in ``regencies.csv`` ("Kota Bandung"),
    or "Provinsi " + province name for a province. A district resolves to its
    regency/city in ``regency_code``/``regency_name`` and keeps its own name
    in ``district_name``.
    """

    code: str
    name: str
    level: RegionLevel
    province_code: str
    province_name: str
    regency_code: str | None = None
    regency_name: str | None = None
    district_name: str | None = None

    @property
    def canonical_name(self) -> str:
        """The eval-format name: the regency/city, else "Provinsi X"."""
        if self.regency_name:
            return self.regency_name
        return f"Provinsi {self.province_name}"


@dataclass(frozen=True, slots=True)
class Entity:
    """An extracted entity, in Rasa's terms (character offsets into the original text)."""

    entity: str
    value: str
    start: int
    end: int
    confidence: float = 1.0
    extractor: str = "pintu"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ServicePrediction:
    """The catalog service a message is about, below its category (``nlu.services``).

    ``confident`` says whether the score clears the service threshold; below
    it routing falls back to the category's owner. ``oversight`` marks a
    complaint about the apparatus itself (pungli, bribery). ``evidence`` is the
    keyword found in the text, if any.
    """

    code: str
    confidence: float
    category: str
    ranking: tuple[tuple[str, float], ...] = ()
    confident: bool = True
    oversight: bool = False
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class NluResult:
    """The parse of one message.

    ``category`` is set for every message (the best topic guess), but only
    means something for complaints and aspirations. ``lang`` is "id", "en"
    or "mixed".
    """

    text: str
    intent: Prediction
    category: Prediction | None
    entities: tuple[Entity, ...] = ()
    region: Region | None = None
    lang: str = "id"
    model_version: str | None = None
    service: ServicePrediction | None = None
    """The catalog service, when a service picker ran (``nlu.services``)."""

    def values(self, entity: str) -> list[str]:
        """All values of one entity type, in order of appearance."""
        return [e.value for e in self.entities if e.entity == entity]

    @property
    def ticket_numbers(self) -> list[str]:
        """Ticket numbers mentioned, normalised (e.g. "PTU-2026-000123")."""
        return self.values("ticket_number")


@runtime_checkable
class IntentClassifier(Protocol):
    """An NLU backend: the embedded model, or a Rasa server."""

    def parse(self, text: str) -> NluResult:
        """Understand one message. Never raises on any text."""
        ...
