"""IKM index, grades, Krejcie-Morgan sample and SKM report exports.

Expected values are worked out by hand in the comments, not by the code.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

import pytest

from bot.surveys.ikm import (
    NO_GROUP,
    IkmResult,
    SurveyAnswer,
    by_channel,
    by_period,
    by_unit,
    grade_for,
    ikm_by,
    ikm_score,
    minimum_sample,
    period_key,
    respondent_matrix_csv,
    skm_report_csv,
)
from bot.surveys.skm import FULL_FORM, resolve_form

SHORT = ("completion_time", "conduct", "complaint_handling")


def questionnaires(rows: Mapping[str, Sequence[int]], keys: tuple[str, ...]) -> list[SurveyAnswer]:
    """One SurveyAnswer per (respondent, element) from a row of scores."""
    return [
        SurveyAnswer(respondent, key, score)
        for respondent, scores in rows.items()
        for key, score in zip(keys, scores, strict=True)
    ]


def one_element(fours: int, threes: int, twos: int = 0, ones: int = 0) -> list[SurveyAnswer]:
    """Answers to completion time only, ``fours`` 4s then ``threes`` 3s..."""
    scores = [4] * fours + [3] * threes + [2] * twos + [1] * ones
    return [SurveyAnswer(f"r{i}", "completion_time", s) for i, s in enumerate(scores)]


# Full form, four questionnaires, columns U1..U9.
FULL_ROWS = {
    "R1": (3, 3, 3, 4, 3, 3, 4, 3, 3),
    "R2": (4, 3, 3, 4, 3, 3, 4, 2, 3),
    "R3": (3, 2, 4, 4, 3, 4, 4, 3, 3),
    "R4": (3, 3, 2, 4, 3, 3, 3, 2, 3),
}


# --- worked examples ------------------------------------------------------------


def test_full_form_worked_example() -> None:
    # Column sums / 4 answers:
    #   U1 13 -> 3.25   U2 11 -> 2.75   U3 12 -> 3.00   U4 16 -> 4.00
    #   U5 12 -> 3.00   U6 13 -> 3.25   U7 15 -> 3.75   U8 10 -> 2.50
    #   U9 12 -> 3.00
    # Sum of NRR 28.50; weight exactly 1/9: IKM = 28.5 / 9 = 3.1666...
    # Converted 28.5 x 25 / 9 = 79.1666... -> 79.17 -> B (Baik).
    # (With the regulation's printed weight 0.111: 28.5 x 0.111 x 25 = 79.09.)
    result = ikm_score(questionnaires(FULL_ROWS, FULL_FORM))
    assert [(e.element, e.answers, e.total) for e in result.elements] == [
        ("requirements", 4, 13),
        ("procedure", 4, 11),
        ("completion_time", 4, 12),
        ("cost", 4, 16),
        ("product", 4, 12),
        ("competence", 4, 13),
        ("conduct", 4, 15),
        ("complaint_handling", 4, 10),
        ("facilities", 4, 12),
    ]
    assert [e.nrr for e in result.elements] == [3.25, 2.75, 3.0, 4.0, 3.0, 3.25, 3.75, 2.5, 3.0]
    assert all(e.weight == pytest.approx(1 / 9) for e in result.elements)
    assert result.element_score("cost").weighted == pytest.approx(4 / 9)
    assert result.ikm == pytest.approx(3.1666666667)
    assert result.converted == 79.17
    assert (result.grade, result.grade_label_id, result.grade_label_en) == ("B", "Baik", "Good")
    assert result.respondents == 4
    assert result.empty_elements == ()
    assert result.population is None
    assert result.minimum_sample is None
    assert result.sample_sufficient is None


def test_regulation_style_nrr_table() -> None:
    # The regulation's example works from NRR per element. Nine elements with
    # NRR 3.5, 3.5, 3.5, 4, 3, 3.5, 4, 3, 3.5 (two respondents each):
    # sum 31.5, IKM 31.5 / 9 = 3.5, converted 87.50 -> B.
    rows = {
        "a": (4, 4, 4, 4, 3, 4, 4, 3, 4),
        "b": (3, 3, 3, 4, 3, 3, 4, 3, 3),
    }
    result = ikm_score(questionnaires(rows, FULL_FORM))
    assert [e.nrr for e in result.elements] == [3.5, 3.5, 3.5, 4.0, 3.0, 3.5, 4.0, 3.0, 3.5]
    assert result.ikm == 3.5
    assert result.converted == 87.5
    assert result.grade == "B"


def test_short_form_weights_each_element_one_third() -> None:
    # completion time 4,3,3 -> 10/3; conduct 4,4,3 -> 11/3; complaints 2,3,3 -> 8/3
    # IKM = (29/3) / 3 = 29/9 = 3.2222...; converted 725/9 = 80.555... -> 80.56 -> B
    rows = {"p": (4, 4, 2), "q": (3, 4, 3), "r": (3, 3, 3)}
    result = ikm_score(questionnaires(rows, SHORT), "short")
    assert [e.element for e in result.elements] == list(SHORT)
    assert [e.weight for e in result.elements] == pytest.approx([1 / 3] * 3)
    assert [e.nrr for e in result.elements] == pytest.approx([10 / 3, 11 / 3, 8 / 3])
    assert result.element_score("conduct").weighted == pytest.approx(11 / 9)
    assert result.ikm == pytest.approx(3.2222222222)
    assert result.converted == 80.56
    assert result.grade == "B"
    assert result.respondents == 3


def test_answers_outside_the_form_are_ignored() -> None:
    # Same as the short-form example plus a "cost" answer the form never asked.
    rows = {"p": (4, 4, 2), "q": (3, 4, 3), "r": (3, 3, 3)}
    answers = [*questionnaires(rows, SHORT), SurveyAnswer("s", "cost", 1)]
    result = ikm_score(answers, list(SHORT))
    assert result.converted == 80.56
    assert result.respondents == 3


def test_empty_element_is_reported_and_left_out_of_the_weights() -> None:
    # completion time 4,3 -> 3.5; conduct 3,3 -> 3.0; complaints: no answers.
    # Weights 1/2 each: IKM (3.5 + 3.0) / 2 = 3.25; converted 81.25 -> B.
    answers = [
        SurveyAnswer("p", "completion_time", 4),
        SurveyAnswer("p", "conduct", 3),
        SurveyAnswer("q", "completion_time", 3),
        SurveyAnswer("q", "conduct", 3),
    ]
    result = ikm_score(answers, "short")
    assert result.empty_elements == ("complaint_handling",)
    empty = result.element_score("complaint_handling")
    assert (empty.answers, empty.total, empty.nrr, empty.weight, empty.weighted) == (
        0,
        0,
        None,
        None,
        None,
    )
    assert result.element_score("completion_time").weight == 0.5
    assert result.element_score("completion_time").weighted == 1.75
    assert result.ikm == 3.25
    assert result.converted == 81.25
    assert result.grade == "B"


def test_element_answered_by_fewer_respondents_uses_its_own_count() -> None:
    # p answers both, q only conduct: completion time 2/1 = 2.0, conduct
    # (4 + 4) / 2 = 4.0; IKM 3.0, converted 75.00 -> C; two respondents.
    answers = [
        SurveyAnswer("p", "completion_time", 2),
        SurveyAnswer("p", "conduct", 4),
        SurveyAnswer("q", "conduct", 4),
    ]
    result = ikm_score(answers, ["completion_time", "conduct"])
    assert result.element_score("completion_time").nrr == 2.0
    assert result.element_score("conduct").nrr == 4.0
    assert result.converted == 75.0
    assert result.grade == "C"
    assert result.respondents == 2


def test_no_answers_gives_no_index() -> None:
    result = ikm_score([], "short", population=100)
    assert result.ikm is None
    assert result.converted is None
    assert result.grade is None
    assert result.grade_label_id is None
    assert result.grade_label_en is None
    assert result.respondents == 0
    assert result.empty_elements == SHORT
    assert result.minimum_sample == 80
    assert result.sample_sufficient is False


def test_default_form_is_all_nine_elements() -> None:
    # Only U1 answered (3 and 4 -> 3.5): the other eight are empty, so the
    # IKM is U1's NRR alone: 3.5 -> 87.50 -> B.
    answers = [SurveyAnswer("p", "requirements", 3), SurveyAnswer("q", "requirements", 4)]
    result = ikm_score(answers)
    assert len(result.elements) == 9
    assert len(result.empty_elements) == 8
    assert result.converted == 87.5


# --- grade boundaries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("converted", "grade"),
    [
        (100, "A"),
        (100.0, "A"),
        (88.31, "A"),
        (88.305, "A"),  # half up to 88.31
        (88.30, "B"),
        (88.3049, "B"),
        (76.61, "B"),
        (76.605, "B"),
        (76.60, "C"),
        (65.00, "C"),
        (64.995, "C"),  # half up to 65.00
        (64.99, "D"),
        (25.00, "D"),
        (Decimal("88.31"), "A"),
        (Decimal("88.30"), "B"),
        (Decimal("88.305"), "A"),
        (Decimal("88.3049999"), "B"),
    ],
)
def test_grade_boundaries(converted: float | Decimal, grade: str) -> None:
    assert grade_for(converted)[0] == grade


def test_grade_labels() -> None:
    assert grade_for(95.0) == ("A", "Sangat Baik", "Very Good")
    assert grade_for(80.0) == ("B", "Baik", "Good")
    assert grade_for(70.0) == ("C", "Kurang Baik", "Poor")
    assert grade_for(50.0) == ("D", "Tidak Baik", "Very Poor")


@pytest.mark.parametrize("value", [24.99, 100.01, -1, float("nan"), float("inf")])
def test_grade_outside_scale_is_an_error(value: float) -> None:
    with pytest.raises(ValueError, match="converted IKM"):
        grade_for(value)


@pytest.mark.parametrize(
    ("fours", "threes", "twos", "ones", "converted", "grade"),
    [
        # 133x4 + 117x3 = 883 over 250: 3.532 x 25 = 88.30 -> B
        (133, 117, 0, 0, 88.30, "B"),
        # 1331x4 + 1169x3 = 8831 over 2500: 3.5324 x 25 = 88.31 -> A
        (1331, 1169, 0, 0, 88.31, "A"),
        # 2661x4 + 2339x3 = 17661 over 5000: exactly 88.305, half up 88.31 -> A
        # (as a float 88.305 is 88.30499..., so naive float rounding says B)
        (2661, 2339, 0, 0, 88.31, "A"),
        # 161x4 + 2339x3 = 7661 over 2500: 3.0644 x 25 = 76.61 -> B
        (161, 2339, 0, 0, 76.61, "B"),
        # 8x4 + 117x3 = 383 over 125: 3.064 x 25 = 76.60 -> C
        (8, 117, 0, 0, 76.60, "C"),
        # 3+3+3+2+2 = 13 over 5: 2.6 x 25 = 65.00 -> C
        (0, 3, 2, 0, 65.00, "C"),
        # 1499x3 + 1001x2 = 6499 over 2500: 2.5996 x 25 = 64.99 -> D
        (0, 1499, 1001, 0, 64.99, "D"),
        # all 1 -> 25.00 D; all 4 -> 100.00 A
        (0, 0, 0, 3, 25.00, "D"),
        (3, 0, 0, 0, 100.00, "A"),
    ],
)
def test_grade_boundaries_end_to_end(
    fours: int, threes: int, twos: int, ones: int, converted: float, grade: str
) -> None:
    result = ikm_score(one_element(fours, threes, twos, ones), ["completion_time"])
    assert result.converted == converted
    assert result.grade == grade


# --- validation ---------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 5, -1, True, 3.5, "4"])
def test_invalid_score_is_rejected(score: object) -> None:
    with pytest.raises(ValueError, match="score for 'cost'"):
        SurveyAnswer("p", "cost", score)  # type: ignore[arg-type]


def test_unknown_element_and_empty_respondent_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown SKM element 'speed'"):
        SurveyAnswer("p", "speed", 3)
    with pytest.raises(ValueError, match="respondent_id"):
        SurveyAnswer("", "cost", 3)


def test_same_respondent_answering_twice_is_rejected() -> None:
    answers = [SurveyAnswer("p", "cost", 3), SurveyAnswer("p", "cost", 4)]
    with pytest.raises(ValueError, match="answered 'cost' twice"):
        ikm_score(answers)


def test_bad_form_and_population_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown SKM element"):
        ikm_score([], ["speed"])
    with pytest.raises(ValueError, match="population"):
        ikm_score([], population=0)


# --- Krejcie-Morgan -----------------------------------------------------------------

# Krejcie & Morgan (1970), Table 1, population N -> sample S.
KREJCIE_MORGAN_TABLE = [
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40),
    (50, 44), (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70),
    (90, 73), (95, 76), (100, 80), (110, 86), (120, 92), (130, 97), (140, 103),
    (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132), (210, 136),
    (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162),
    (290, 165), (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196),
    (420, 201), (440, 205), (460, 210), (480, 214), (500, 217), (550, 226), (600, 234),
    (650, 242), (700, 248), (750, 254), (800, 260), (850, 265), (900, 269), (950, 274),
    (1000, 278), (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306),
    (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327),
    (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346), (4000, 351),
    (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
]  # fmt: skip


@pytest.mark.parametrize(("population", "sample"), KREJCIE_MORGAN_TABLE)
def test_minimum_sample_reproduces_the_published_table(population: int, sample: int) -> None:
    assert minimum_sample(population) == sample


def test_minimum_sample_worked_values() -> None:
    # s = 3.841 N 0.25 / (0.0025 (N - 1) + 0.96025), to the nearest whole:
    # N=1: 0.96025 / 0.96025 = 1
    # N=4: 3.841 / 0.96775 = 3.97 -> 4
    # N=15: 14.40375 / 0.99525 = 14.47 -> 14 (rounding up would give 15)
    # N=100000: 96025 / 250.95775 = 382.63 -> 383. Some copies of the table
    # print a "100000 -> 384" row; the 1970 table has 75000 -> 382 and
    # 1000000 -> 384, and the formula gives 383 here.
    assert minimum_sample(1) == 1
    assert minimum_sample(4) == 4
    assert minimum_sample(15) == 14
    assert minimum_sample(100_000) == 383
    assert math.isclose(3.841 * 15 * 0.25 / (0.0025 * 14 + 0.96025), 14.4725, abs_tol=1e-4)


@pytest.mark.parametrize("population", [0, -5, True, 2.5])
def test_minimum_sample_rejects_bad_population(population: object) -> None:
    with pytest.raises(ValueError, match="population must be a positive integer"):
        minimum_sample(population)  # type: ignore[arg-type]


def test_sample_sufficiency() -> None:
    answers = questionnaires(FULL_ROWS, FULL_FORM)
    # 4 respondents; N=4 needs 4, N=10 needs 10.
    enough = ikm_score(answers, population=4)
    assert (enough.population, enough.minimum_sample, enough.sample_sufficient) == (4, 4, True)
    short = ikm_score(answers, population=10)
    assert (short.minimum_sample, short.sample_sufficient) == (10, False)


# --- grouping -----------------------------------------------------------------------


def test_ikm_per_unit_channel_and_period() -> None:
    may, june = datetime(2024, 5, 20, 9, 0), datetime(2024, 6, 2, 14, 0)
    answers = [
        # unit dukcapil, telegram, May: all 4 -> 100.00 A
        SurveyAnswer("a", "completion_time", 4, "dukcapil", "telegram", may),
        SurveyAnswer("a", "conduct", 4, "dukcapil", "telegram", may),
        # unit dukcapil, whatsapp, June: 2 and 3
        SurveyAnswer("b", "completion_time", 2, "dukcapil", "whatsapp", june),
        SurveyAnswer("b", "conduct", 3, "dukcapil", "whatsapp", june),
        # unit samsat, whatsapp, no date: 1 and 2
        SurveyAnswer("c", "completion_time", 1, "samsat", "whatsapp", None),
        SurveyAnswer("c", "conduct", 2, None, "whatsapp", None),
    ]
    keys = ["completion_time", "conduct"]

    per_unit = ikm_by(answers, by_unit, keys, populations={"dukcapil": 2})
    assert list(per_unit) == [NO_GROUP, "dukcapil", "samsat"]
    # dukcapil: completion (4+2)/2 = 3, conduct (4+3)/2 = 3.5 -> 3.25 -> 81.25 B
    dukcapil = per_unit["dukcapil"]
    assert (dukcapil.converted, dukcapil.grade, dukcapil.respondents) == (81.25, "B", 2)
    assert (dukcapil.minimum_sample, dukcapil.sample_sufficient) == (2, True)
    # samsat got only c's completion-time answer (1): conduct empty -> 25.00 D
    assert per_unit["samsat"].converted == 25.0
    assert per_unit["samsat"].empty_elements == ("conduct",)
    assert per_unit["samsat"].minimum_sample is None

    per_channel = ikm_by(answers, by_channel, keys)
    assert list(per_channel) == ["telegram", "whatsapp"]
    # whatsapp: completion (2+1)/2 = 1.5, conduct (3+2)/2 = 2.5 -> 2.0 -> 50.00 D
    assert per_channel["whatsapp"].converted == 50.0
    assert per_channel["whatsapp"].grade == "D"
    assert per_channel["telegram"].converted == 100.0

    per_month = ikm_by(answers, by_period("month"), keys)
    assert list(per_month) == [NO_GROUP, "2024-05", "2024-06"]
    # June: 2 and 3 -> 2.5 -> 62.50 D
    assert per_month["2024-06"].converted == 62.5


def test_ikm_by_with_no_answers_is_empty() -> None:
    assert ikm_by([], by_unit) == {}


@pytest.mark.parametrize(
    ("moment", "period", "key"),
    [
        (datetime(2024, 5, 31, 23, 59), "month", "2024-05"),
        (datetime(2024, 4, 1), "quarter", "2024-Q2"),
        (datetime(2024, 12, 31), "quarter", "2024-Q4"),
        (datetime(2024, 6, 30), "semester", "2024-S1"),
        (datetime(2024, 7, 1), "semester", "2024-S2"),
        (datetime(2024, 2, 29), "year", "2024"),
        # Monday 30 Dec 2024 opens ISO week 1 of 2025.
        (datetime(2024, 12, 30), "week", "2025-W01"),
        (datetime(2024, 12, 29), "week", "2024-W52"),
    ],
)
def test_period_key(moment: datetime, period: str, key: str) -> None:
    assert period_key(moment, period) == key  # type: ignore[arg-type]


def test_unknown_period_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown period 'day'"):
        period_key(datetime(2024, 1, 1), "day")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown period 'day'"):
        by_period("day")  # type: ignore[arg-type]


# --- CSV exports ----------------------------------------------------------------------


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_skm_report_csv_layout() -> None:
    # Short form: completion 4,3 (7, 3.5), conduct 3,3 (6, 3.0), complaints
    # none; weights 1/2; IKM 3.25 -> 81.25 B; 2 respondents, N=2 needs 2.
    answers = [
        SurveyAnswer("p", "completion_time", 4),
        SurveyAnswer("p", "conduct", 3),
        SurveyAnswer("q", "completion_time", 3),
        SurveyAnswer("q", "conduct", 3),
    ]
    result = ikm_score(answers, "short", population=2)
    text = skm_report_csv(
        result, unit_name="Disdukcapil Kota Bogor", period="2024-S1", elements=resolve_form("short")
    )
    assert parse_csv(text) == [
        ["Laporan Survei Kepuasan Masyarakat (SKM)"],
        ["Dasar", "PermenPANRB 14/2017"],
        ["Unit pelayanan", "Disdukcapil Kota Bogor"],
        ["Periode", "2024-S1"],
        [],
        [
            "No",
            "Kode",
            "Unsur pelayanan",
            "Jumlah jawaban",
            "Jumlah nilai",
            "NRR",
            "Bobot",
            "NRR tertimbang",
            "Keterangan",
        ],
        ["1", "U3", "Waktu penyelesaian", "2", "7", "3.5000", "0.5000", "1.7500", ""],
        ["2", "U7", "Perilaku pelaksana", "2", "6", "3.0000", "0.5000", "1.5000", ""],
        [
            "3",
            "U8",
            "Penanganan pengaduan, saran dan masukan",
            "0",
            "0",
            "",
            "",
            "",
            "Tidak ada jawaban; tidak dihitung",
        ],
        [],
        ["IKM (skala 1-4)", "3.2500"],
        ["IKM konversi (skala 25-100)", "81.25"],
        ["Mutu pelayanan", "B"],
        ["Kinerja unit pelayanan", "Baik"],
        ["Jumlah responden", "2"],
        ["Populasi", "2"],
        ["Sampel minimum (Krejcie-Morgan)", "2"],
        ["Sampel memenuhi", "Ya"],
    ]


def test_skm_report_csv_english_and_without_answers() -> None:
    result = ikm_score([], ["cost"])
    rows = parse_csv(skm_report_csv(result, unit_name="Samsat", period="2024", lang="en"))
    assert rows[6] == ["1", "U4", "Cost/tariff", "0", "0", "", "", "", "No answers; not counted"]
    assert rows[8:] == [
        ["IKM (1-4 scale)", ""],
        ["Converted IKM (25-100 scale)", ""],
        ["Service quality", ""],
        ["Unit performance", ""],
        ["Respondents", "0"],
        ["Population", ""],
        ["Minimum sample (Krejcie-Morgan)", ""],
        ["Sample sufficient", ""],
    ]


def test_skm_report_csv_rejects_mismatched_elements() -> None:
    result: IkmResult = ikm_score([], "short")
    with pytest.raises(ValueError, match="do not match"):
        skm_report_csv(result, unit_name="x", period="y", elements=resolve_form("full"))


def test_respondent_matrix_csv() -> None:
    # p: 4, 3, -; q: 3, 3, 2. Totals 7, 6, 2; counts 2, 2, 1; NRR 3.5, 3.0, 2.0.
    answers = [
        SurveyAnswer("p", "completion_time", 4),
        SurveyAnswer("q", "complaint_handling", 2),
        SurveyAnswer("p", "conduct", 3),
        SurveyAnswer("q", "completion_time", 3),
        SurveyAnswer("q", "conduct", 3),
    ]
    assert parse_csv(respondent_matrix_csv(answers, "short")) == [
        ["Responden", "U3", "U7", "U8"],
        ["p", "4", "3", ""],
        ["q", "3", "3", "2"],
        ["Jumlah nilai", "7", "6", "2"],
        ["Jumlah jawaban", "2", "2", "1"],
        ["NRR", "3.5000", "3.0000", "2.0000"],
    ]
