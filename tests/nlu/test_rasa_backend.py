"""The Rasa backend against a fake Rasa server over real HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from nlu.rasa_backend import NluBackendError, RasaClassifier
from nlu.rasa_format import to_rasa_parse
from nlu.types import IntentClassifier
from tests.servers import free_port, serve


def fake_rasa() -> tuple[FastAPI, list[dict[str, Any]]]:
    app = FastAPI()
    seen: list[dict[str, Any]] = []

    @app.post("/model/parse")
    async def parse(request: Request) -> Any:
        body = await request.json()
        seen.append(body)
        text = body["text"]
        if text == "boom":
            return PlainTextResponse("internal error", status_code=500)
        if text == "slow":
            await asyncio.sleep(1.0)
        if text == "garbage":
            return PlainTextResponse("not json")
        if text == "shapeless":
            return JSONResponse({"hello": "world"})
        if text.startswith("entity"):
            return {
                "text": text,
                "intent": {"name": "complaint", "confidence": 0.7},
                "intent_ranking": [{"name": "complaint", "confidence": 0.7},
                                   {"name": "greet", "confidence": 0.3}],
                "entities": [{"entity": "category", "value": "electricity", "start": 0, "end": 6,
                              "confidence_entity": 0.9, "extractor": "DIETClassifier"}],
                "model": "rasa-model-2",
            }
        return {
            "text": text,
            "intent": {"name": "complaint+water_supply", "confidence": 0.62},
            "intent_ranking": [
                {"name": "complaint+water_supply", "confidence": 0.62},
                {"name": "complaint+infrastructure", "confidence": 0.18},
                {"name": "aspiration+water_supply", "confidence": 0.12},
                {"name": "greet", "confidence": 0.08},
            ],
            "entities": [{"entity": "phone", "value": "+6281234567890", "start": 0, "end": 4,
                          "confidence_entity": 0.99, "extractor": "RegexEntityExtractor"}],
            "model": "rasa-model-1",
        }

    return app, seen


async def test_maps_intent_names_categories_and_entities() -> None:
    app, seen = fake_rasa()
    async with serve(app) as url:
        with RasaClassifier(url + "/", timeout=5) as clf:
            assert isinstance(clf, IntentClassifier)
            text = "Air PDAM mati di Jaksel, tiket PTU-2026-000001"
            result = await asyncio.to_thread(clf.parse, text)
    assert seen == [{"text": text}]
    assert result.intent.label == "complaint"
    assert result.intent.confidence == pytest.approx(0.80)  # complaint+* summed
    assert result.intent.confident
    assert [n for n, _ in result.intent.ranking] == ["complaint", "aspiration", "greet"]
    assert result.category is not None and result.category.label == "water_supply"
    assert result.category.ranking[0][0] == "water_supply"
    kinds = {e.entity: e for e in result.entities}
    assert kinds["phone"].extractor == "RegexEntityExtractor"  # Rasa's own entity kept
    assert kinds["ticket_number"].value == "PTU-2026-000001"  # Pintu adds what Rasa lacks
    assert result.region is not None
    assert result.region.canonical_name == "Kota Administrasi Jakarta Selatan"
    assert result.model_version == "rasa-model-1"
    payload = to_rasa_parse(result)
    assert payload["intent"]["name"] == "complaint"
    assert payload["category"]["name"] == "water_supply"


async def test_category_entity_and_thresholds() -> None:
    app, _ = fake_rasa()
    async with serve(app) as url:
        clf = RasaClassifier(url, intent_threshold=0.8, category_threshold=0.95)
        result = await asyncio.to_thread(clf.parse, "entity test")
        clf.close()
    assert result.intent.label == "complaint"
    assert not result.intent.confident  # 0.7 < 0.8
    assert result.category is not None
    assert result.category.label == "electricity"
    assert not result.category.confident  # 0.9 < 0.95


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("boom", "HTTP 500"), ("garbage", "non-JSON"), ("shapeless", "without an 'intent'"),
     ("slow", "timed out")],
)
async def test_errors_become_backend_errors(text: str, fragment: str) -> None:
    app, _ = fake_rasa()
    async with serve(app) as url:
        clf = RasaClassifier(url, timeout=0.3)
        with pytest.raises(NluBackendError, match=fragment):
            await asyncio.to_thread(clf.parse, text)
        clf.close()


def test_unreachable_server() -> None:
    clf = RasaClassifier(f"http://127.0.0.1:{free_port()}", timeout=0.5)
    with pytest.raises(NluBackendError, match="unreachable"):
        clf.parse("halo")
