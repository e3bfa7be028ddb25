"""Optional NLU backend: a Rasa server's ``POST /model/parse``.

The Rasa answer is mapped into an :class:`~nlu.types.NluResult`: intent names
like ``complaint+water_supply`` (see :mod:`nlu.rasa_yaml`) are split into intent
and category; a ``category`` entity also sets the category. Entity types Rasa
does not return (region, ticket number, NIK, ...) come from Pintu's own
extraction, and the place is always resolved by :mod:`nlu.places`.
"""

from __future__ import annotations

from typing import Any

import httpx

from nlu.embedded import analyse
from nlu.entities import DEFAULT_TICKET_PREFIX
from nlu.lang import detect_lang
from nlu.rasa_yaml import split_intent_name
from nlu.types import Entity, NluResult, Prediction


class NluBackendError(RuntimeError):
    """The Rasa server could not be reached or answered something unusable."""


class RasaClassifier:
    """:class:`~nlu.types.IntentClassifier` backed by a Rasa server."""

    def __init__(
        self,
        base_url: str,
        timeout: float = 5.0,
        *,
        intent_threshold: float = 0.45,
        category_threshold: float = 0.40,
        ticket_prefix: str = DEFAULT_TICKET_PREFIX,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.intent_threshold = intent_threshold
        self.category_threshold = category_threshold
        self.ticket_prefix = ticket_prefix
        self._client = client or httpx.Client(timeout=timeout)
        self._owns_client = client is None

    def close(self) -> None:
        """Close the HTTP connection pool (when this object created it)."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> RasaClassifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _post(self, text: str) -> dict[str, Any]:
        url = f"{self.base_url}/model/parse"
        try:
            response = self._client.post(url, json={"text": text}, timeout=self.timeout)
        except httpx.TimeoutException as exc:
            raise NluBackendError(f"Rasa server at {url} timed out after {self.timeout}s") from exc
        except httpx.HTTPError as exc:
            raise NluBackendError(f"Rasa server at {url} unreachable: {exc}") from exc
        if response.status_code != 200:
            raise NluBackendError(
                f"Rasa server at {url} answered HTTP {response.status_code}: "
                f"{response.text[:200]}")
        try:
            data = response.json()
        except ValueError as exc:
            raise NluBackendError(f"Rasa server at {url} answered non-JSON") from exc
        if not isinstance(data, dict) or not isinstance(data.get("intent"), dict):
            raise NluBackendError(f"Rasa server at {url} answered without an 'intent' object")
        return data

    def parse(self, text: str) -> NluResult:
        """Ask Rasa and map its answer; :class:`NluBackendError` when Rasa fails."""
        data = self._post(text)
        ranking_raw = data.get("intent_ranking") or [data["intent"]]
        intent_scores: dict[str, float] = {}
        category_scores: dict[str, float] = {}
        for item in ranking_raw:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                continue
            name, cat = split_intent_name(item["name"])
            conf = _float(item.get("confidence"))
            intent_scores[name] = intent_scores.get(name, 0.0) + conf
            if cat:
                category_scores[cat] = category_scores.get(cat, 0.0) + conf
        top_name = data["intent"].get("name")
        if not isinstance(top_name, str):
            raise NluBackendError("Rasa answer has an intent without a name")
        top_intent, top_category = split_intent_name(top_name)
        if top_intent not in intent_scores:
            intent_scores[top_intent] = _float(data["intent"].get("confidence"))

        rasa_entities: list[Entity] = []
        category_from_entity: tuple[str, float] | None = None
        for raw in data.get("entities") or []:
            if not isinstance(raw, dict) or not isinstance(raw.get("entity"), str):
                continue
            conf = _float(raw.get("confidence_entity", raw.get("confidence", 1.0)), 1.0)
            if raw["entity"] == "category" and isinstance(raw.get("value"), str):
                category_from_entity = (raw["value"], conf)
                continue
            rasa_entities.append(Entity(
                entity=raw["entity"], value=str(raw.get("value", "")),
                start=int(raw.get("start", 0) or 0), end=int(raw.get("end", 0) or 0),
                confidence=conf, extractor=str(raw.get("extractor") or "rasa"),
            ))

        intent = _prediction(intent_scores, top_intent, self.intent_threshold)
        category: Prediction | None = None
        if category_from_entity is not None:
            label, conf = category_from_entity
            category = Prediction(label, conf, ((label, conf),), conf >= self.category_threshold)
        elif category_scores:
            best = top_category or max(category_scores, key=category_scores.__getitem__)
            total = sum(category_scores.values()) or 1.0
            normalised = {k: v / total for k, v in category_scores.items()}
            category = _prediction(normalised, best, self.category_threshold)

        own = analyse(text, ticket_prefix=self.ticket_prefix)
        rasa_types = {e.entity for e in rasa_entities}
        entities = rasa_entities + [e for e in own.entities if e.entity not in rasa_types]
        return NluResult(
            text=text,
            intent=intent,
            category=category,
            entities=tuple(sorted(entities, key=lambda e: e.start)),
            region=own.region,
            lang=detect_lang(text),
            model_version=str(data.get("model_version") or data.get("model") or "rasa"),
        )


def _float(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _prediction(scores: dict[str, float], top: str, threshold: float) -> Prediction:
    ranking = tuple(sorted(((k, round(v, 4)) for k, v in scores.items()),
                           key=lambda kv: (-kv[1], kv[0] != top)))
    conf = scores.get(top, 0.0)
    return Prediction(top, round(conf, 4), ranking, conf >= threshold)
