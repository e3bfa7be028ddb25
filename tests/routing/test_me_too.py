""""Saya juga" matching (routing.me_too): which open ticket a new complaint repeats."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from routing.me_too import (
    Match,
    MeTooRules,
    NewReport,
    OpenTicket,
    best_matches,
    bounding_box,
    content_words,
    haversine_m,
    is_village_code,
    place_match,
    same_topic,
    similarity,
)

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
VILLAGE = "35.79.01.1006"  # a kelurahan of Kota Batu (four-part wilayah code)
RULES = MeTooRules(distance_m=300, min_similarity=0.5, window_days=30)
LAMP = "lampu jalan mati di depan masjid Al Ikhlas, sudah tiga hari gelap"


def report(**kw: object) -> NewReport:
    base = NewReport(citizen_id=2, description="lampu jalan depan masjid al ikhlas mati",
                     category="infrastructure", service_code=None, region_code=VILLAGE)
    return replace(base, **kw)  # type: ignore[arg-type]


def ticket(**kw: object) -> OpenTicket:
    base = OpenTicket(id=1, number="PTU-2026-000001", citizen_id=1, description=LAMP,
                      category="infrastructure", service_code=None, region_code=VILLAGE,
                      latitude=None, longitude=None, created_at=NOW - timedelta(days=2))
    return replace(base, **kw)  # type: ignore[arg-type]


def test_haversine_and_its_bounding_box() -> None:
    # One thousandth of a degree of latitude is about 111 m anywhere.
    assert haversine_m(-7.87, 112.52, -7.871, 112.52) == pytest.approx(111.2, abs=0.5)
    assert haversine_m(-7.87, 112.52, -7.87, 112.52) == 0.0
    lat0, lat1, lon0, lon1 = bounding_box(-7.87, 112.52, 300)
    # Every point 300 m away in any direction lies inside the box.
    assert lat0 < -7.87269 and lat1 > -7.86731
    assert lon0 < 112.5173 and lon1 > 112.5227
    assert haversine_m(-7.87, 112.52, lat1, 112.52) == pytest.approx(300, abs=0.5)


def test_village_codes_have_four_parts() -> None:
    assert is_village_code(VILLAGE)
    assert not is_village_code("35.79.01")  # a district
    assert not is_village_code("35.79")
    assert not is_village_code(None)


def test_similarity_keeps_the_problem_words_and_forgives_typos() -> None:
    assert content_words("Pak, tolong lampu jalan di depan masjid sudah mati 3 hari") == (
        "lampu", "jalan", "masjid", "mati")
    assert similarity(LAMP, "lampu jln mati depan masjid al ikhlas") >= 0.7
    assert similarity("sampah menumpuk gak diangkut seminggu",
                      "sampah numpuk tidak diangkut") >= 0.6
    assert similarity(LAMP, "air pdam tidak mengalir sejak kemarin") < 0.2
    assert similarity("", LAMP) == 0.0
    assert similarity("di ke dari", LAMP) == 0.0  # filler only
    assert similarity(LAMP, LAMP) == pytest.approx(1.0)


def test_same_topic_is_the_service_else_a_specific_category() -> None:
    assert same_topic(report(service_code="pju"), ticket(service_code="pju"))
    assert not same_topic(report(service_code="pju"), ticket(service_code="jalan"))
    # One side without a service: the category decides.
    assert same_topic(report(service_code="pju"), ticket(service_code=None))
    assert not same_topic(report(category="health"), ticket())
    assert not same_topic(report(category="other"), ticket(category="other"))
    assert not same_topic(report(category=None), ticket())


def test_place_is_the_same_village_or_near_enough() -> None:
    assert place_match(report(), ticket(), 300) == (True, True, None)
    district = report(region_code="35.79.01")
    assert place_match(district, ticket(region_code="35.79.01"), 300) == (False, False, None)
    here = dict(latitude=-7.87, longitude=112.52)
    near, village, apart = place_match(
        report(region_code=None, **here), ticket(latitude=-7.8718, longitude=112.52), 300)
    assert (near, village) == (True, False) and apart == pytest.approx(200, abs=1)
    near, _, apart = place_match(
        report(region_code=None, **here), ticket(latitude=-7.875, longitude=112.52), 300)
    assert not near and apart == pytest.approx(556, abs=1)


def test_best_matches_ranks_and_leaves_out_what_may_not_be_offered() -> None:
    good = ticket(id=1)
    closer_words = ticket(id=2, number="PTU-2026-000002",
                          description="lampu jalan depan masjid al ikhlas mati")
    found = best_matches(report(), [good, closer_words], RULES, NOW)
    assert [m.ticket.id for m in found] == [2, 1]
    assert found[0] == Match(closer_words, 1.0, True, None)
    never = [
        ticket(id=3, citizen_id=2),  # the citizen's own
        ticket(id=4, confidential=True),
        ticket(id=5, oversight=True),  # about an officer (Inspektorat)
        ticket(id=6, joiner_ids=frozenset({2})),  # joined already
        ticket(id=7, created_at=NOW - timedelta(days=31)),  # too old
        ticket(id=8, category="health"),
        ticket(id=9, region_code="35.79.01.1007"),  # another village
        ticket(id=10, description="jalan berlubang besar dekat pasar"),  # not alike
    ]
    assert best_matches(report(), never, RULES, NOW) == []
    # Equal words: the nearer first, then the newer.
    a = ticket(id=11, latitude=-7.8705, longitude=112.52)
    b = ticket(id=12, latitude=-7.8701, longitude=112.52)
    c = ticket(id=13, latitude=-7.8701, longitude=112.52, created_at=NOW - timedelta(days=1))
    pinned = report(latitude=-7.87, longitude=112.52)
    assert [m.ticket.id for m in best_matches(pinned, [a, b, c], RULES, NOW)] == [13, 12, 11]
