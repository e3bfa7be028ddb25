"""Rasa's ``POST /model/parse`` response shape for an :class:`~nlu.types.NluResult`."""

from __future__ import annotations

from typing import Any

from nlu.types import Entity, NluResult, Region, ServicePrediction


def entity_to_rasa(entity: Entity) -> dict[str, Any]:
    """One entity in Rasa's shape (plus Pintu's extra fields, e.g. a region's code)."""
    out: dict[str, Any] = {
        "entity": entity.entity,
        "value": entity.value,
        "start": entity.start,
        "end": entity.end,
        "confidence_entity": round(entity.confidence, 4),
        "extractor": entity.extractor,
    }
    out.update({k: v for k, v in entity.extra.items() if k not in out})
    return out


def region_to_dict(region: Region | None) -> dict[str, Any] | None:
    """A region as JSON (None stays None)."""
    if region is None:
        return None
    return {
        "name": region.canonical_name,
        "code": region.code,
        "level": region.level,
        "province_code": region.province_code,
        "province_name": region.province_name,
        "regency_code": region.regency_code,
        "regency_name": region.regency_name,
        "district_name": region.district_name,
    }


def service_to_dict(service: ServicePrediction | None) -> dict[str, Any] | None:
    """The service picker's choice as JSON (None stays None)."""
    if service is None:
        return None
    return {"code": service.code, "confidence": round(service.confidence, 4),
            "confident": service.confident, "category": service.category,
            "oversight": service.oversight, "evidence": service.evidence,
            "ranking": [{"code": c, "confidence": round(p, 4)} for c, p in service.ranking]}


def to_rasa_parse(result: NluResult) -> dict[str, Any]:
    """Rasa's parse answer (text, intent, intent_ranking, entities) plus Pintu's
    ``category``, ``category_ranking``, ``region``, ``service`` (the catalog service with its
    confidence and ranking, when a service picker ran), ``lang`` and ``model_version``."""
    category = result.category
    return {
        "text": result.text,
        "intent": {"name": result.intent.label, "confidence": round(result.intent.confidence, 4),
                   "confident": result.intent.confident},
        "intent_ranking": [{"name": n, "confidence": round(c, 4)}
                           for n, c in result.intent.ranking],
        "entities": [entity_to_rasa(e) for e in result.entities],
        "category": ({"name": category.label, "confidence": round(category.confidence, 4),
                      "confident": category.confident} if category else None),
        "category_ranking": ([{"name": n, "confidence": round(c, 4)} for n, c in category.ranking]
                             if category else []),
        "region": region_to_dict(result.region),
        "service": service_to_dict(result.service),
        "lang": result.lang,
        "model_version": result.model_version,
    }
