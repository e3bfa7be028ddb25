"""Property tests: no input makes the NLU raise."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.embedded import EmbeddedClassifier
from nlu.entities import extract_entities
from nlu.normalize import normalize
from nlu.places import extract_region

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
MIXED = st.lists(
    st.sampled_from(["Bandung", "jalan", "rusak", "PTU-2026-1", "3273014507900001", "🙏", "😡",
                     "ꦗꦮ", "日本", "مرحبا", "RT 3/RW 5", "#12345", "http://x.id", "  ", "\n",
                     "Kab.", "Kota", "0812", "Rp5.000", "a@b.co", "\u200b", "\x00", "🇮🇩"]),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(ANY_TEXT, MIXED))
def test_text_functions_never_raise(text: str) -> None:
    assert isinstance(normalize(text), str)
    entities = extract_entities(text)
    for e in entities:
        assert 0 <= e.start <= e.end <= len(text)
    region, _ = extract_region(text)
    assert region is None or region.canonical_name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.one_of(ANY_TEXT, MIXED))
def test_parse_never_raises(model: EmbeddedClassifier, text: str) -> None:
    result = model.parse(text)
    assert result.text == text
    assert 0.0 <= result.intent.confidence <= 1.0
    assert result.lang in ("id", "en", "mixed")


def test_edge_inputs(model: EmbeddedClassifier) -> None:
    for text in ["", " ", "🙏🙏🙏😡😡", "a" * 10_000, "jalan rusak " * 1_000,
                 "ꦲꦏ꧀ꦱꦫꦗꦮ 日本語 العربية Ελληνικά", "\ud800 lone surrogate", "\x00\x01\x02",
                 "9" * 5_000, "#" * 300]:
        result = model.parse(text)
        assert result.intent.label
        assert result.category is not None
