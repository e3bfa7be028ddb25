"""The service picker: learns services from examples and keywords, says when it is unsure,
and never takes a complaint about an officer for the service the officer delivered."""

from __future__ import annotations

import pytest

from nlu.normalize import normalize
from nlu.services import (
    LinearScorer,
    ServiceDescription,
    ServicePicker,
    fit_pipeline,
    shipped_examples,
)
from nlu.types import Prediction

SERVICES = (
    ServiceDescription("lampu", "infrastructure", ("lampu jalan", "pju"),
                       ("lampu jalan mati gelap", "pju di gang padam", "lampu penerangan rusak")),
    ServiceDescription("jalan", "infrastructure", ("jalan berlubang", "aspal"),
                       ("jalan rusak berlubang", "aspal mengelupas", "jalan bergelombang")),
    ServiceDescription("kk", "population_registry", ("kk", "kartu keluarga"),
                       ("kartu keluarga belum jadi", "kk salah nama", "pecah kk ditolak")),
    ServiceDescription("pungli", "civil_service", ("pungli", "minta uang", "suap"),
                       ("petugas minta uang", "ada pungli di kantor", "pegawai minta suap"),
                       oversight=True),
)


@pytest.fixture(scope="module")
def picker() -> ServicePicker:
    return ServicePicker(SERVICES, extra_examples={})


def test_a_named_service_is_picked_with_confidence(picker: ServicePicker) -> None:
    result = picker.pick("Lampu jalan di depan rumah mati sejak Senin")
    assert result is not None
    assert (result.code, result.category, result.confident, result.oversight,
            result.evidence) == ("lampu", "infrastructure", True, False, "lampu jalan")
    assert 0.5 <= result.confidence <= 1.0
    assert result.ranking[0][0] == "lampu"
    assert abs(sum(p for _, p in result.ranking) - 1.0) < 0.01  # all four services ranked


def test_no_service_named_is_below_the_threshold(picker: ServicePicker) -> None:
    for text in ("selamat pagi admin", "banjir setinggi lutut", "terima kasih banyak"):
        result = picker.pick(text)
        assert result is not None and result.confident is False, (text, result)
        assert result.confidence < 0.5


def test_an_officer_asking_money_is_oversight_not_the_service(picker: ServicePicker) -> None:
    result = picker.pick("petugas kelurahan minta uang 200rb buat urus KK")
    assert result is not None
    assert (result.code, result.oversight, result.confident, result.evidence) == (
        "pungli", True, True, "minta uang")
    assert result.confidence >= 0.9


def test_a_confident_category_limits_the_candidates(picker: ServicePicker) -> None:
    # Lamp words in a family-card complaint do not make it the street-lighting service.
    text = "kk saya belum jadi padahal lampu jalan depan kantor sudah menyala"
    assert picker.pick(text) is not None
    within = picker.pick(text, Prediction("population_registry", 0.9))
    assert within is not None and (within.code, within.confident) == ("kk", True)
    # A category without services: the best guess is shown, never confident.
    health = picker.pick("lampu jalan mati", Prediction("health", 0.95))
    assert health is not None and health.code == "lampu" and health.confident is False
    # An unsure category changes nothing.
    assert picker.pick(text, Prediction("infrastructure", 0.3, confident=False)) == picker.pick(
        text)


def test_a_civil_service_category_is_oversight_without_a_keyword(picker: ServicePicker) -> None:
    result = picker.pick("petugasnya kasar dan membentak warga",
                         Prediction("civil_service", 0.8))
    assert result is not None
    assert (result.code, result.oversight, result.confident, result.confidence) == (
        "pungli", True, True, 0.8)


def test_empty_inputs() -> None:
    assert ServicePicker((), extra_examples={}).pick("lampu jalan mati") is None
    one = ServicePicker(SERVICES[:1], extra_examples={})
    result = one.pick("lampu jalan mati")
    assert result is not None and result.code == "lampu" and result.confident
    assert ServicePicker(SERVICES, extra_examples={}).pick("  ?! ") is None


def test_shipped_examples_cover_the_demo_services_and_are_used() -> None:
    shipped = shipped_examples()
    assert len(shipped["penerangan-jalan"]) >= 10
    extra = ServicePicker(SERVICES[:2], extra_examples={"lampu": ["ornamen cahaya tugu padam"],
                                                        "unknown-code": ["ignored"]})
    assert set(extra.services) == {"lampu", "jalan"}
    result = extra.pick("ornamen cahaya tugu padam")
    assert result is not None and result.code == "lampu"


def test_threshold_is_configurable() -> None:
    strict = ServicePicker(SERVICES, extra_examples={}, threshold=0.99)
    result = strict.pick("Lampu jalan mati")
    assert result is not None and result.code == "lampu" and result.confident is False


@pytest.mark.parametrize("classes", [SERVICES, SERVICES[:2]], ids=["multiclass", "binary"])
def test_the_fast_scorer_gives_scikit_learns_probabilities(
        classes: tuple[ServiceDescription, ...]) -> None:
    """The picker scores without scikit-learn's per-call overhead; the figures are the same."""
    texts = [normalize(t) for s in classes for t in (*s.examples, *s.keywords)]
    labels = [s.code for s in classes for _ in (*s.examples, *s.keywords)]
    pipeline = fit_pipeline(texts, labels)
    scorer = LinearScorer.from_pipeline(pipeline)
    probes = ["lampu jalan mati", "JALAN BERLUBANG dekat sekolah, aspal rusak!!",
              "kk saya salah", "petugas minta uang 200rb", "zzz qqq", ""]
    for probe in probes:
        text = normalize(probe)
        expected = dict(zip(pipeline.classes_, pipeline.predict_proba([text])[0], strict=True))
        assert scorer.probabilities(text) == pytest.approx(expected, abs=1e-9)
