"""IKM edges: whole CSV texts (line endings included), an insufficient sample, tallies
aggregated elsewhere, and the messages of the errors. Expected values are worked out
by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.surveys.ikm import (
    ElementScore,
    IkmResult,
    SurveyAnswer,
    by_period,
    grade_for,
    ikm_from_totals,
    ikm_score,
    respondent_matrix_csv,
    skm_report_csv,
)

SHORT = ("completion_time", "conduct", "complaint_handling")

# p answers U3=4, U7=2; q answers U7=3, U3=3, U8=1.
ANSWERS = [
    SurveyAnswer("p", "completion_time", 4),
    SurveyAnswer("p", "conduct", 2),
    SurveyAnswer("q", "conduct", 3),
    SurveyAnswer("q", "completion_time", 3),
    SurveyAnswer("q", "complaint_handling", 1),
]


def test_english_report_with_a_grade_and_a_sample_too_small_is_whole_text() -> None:
    # U3 7/2 = 3.5, U7 5/2 = 2.5, U8 1/1 = 1.0; weights 1/3; IKM 7/3 = 2.3333;
    # x25 = 58.33 -> D "Very Poor". N=100 needs 80 respondents (Krejcie-Morgan); 2 < 80.
    result = ikm_score(ANSWERS, "short", population=100)
    assert skm_report_csv(result, unit_name="Samsat Batu", period="2024-Q1", lang="en") == (
        "Public Satisfaction Survey (SKM) report\n"
        "Basis,PermenPANRB 14/2017\n"
        "Service unit,Samsat Batu\n"
        "Period,2024-Q1\n"
        "\n"
        "No,Code,Service element,Answers,Total score,NRR,Weight,Weighted NRR,Note\n"
        "1,U3,Completion time,2,7,3.5000,0.3333,1.1667,\n"
        "2,U7,Staff conduct,2,5,2.5000,0.3333,0.8333,\n"
        '3,U8,"Handling of complaints, suggestions and feedback",1,1,1.0000,0.3333,0.3333,\n'
        "\n"
        "IKM (1-4 scale),2.3333\n"
        "Converted IKM (25-100 scale),58.33\n"
        "Service quality,D\n"
        "Unit performance,Very Poor\n"
        "Respondents,2\n"
        "Population,100\n"
        "Minimum sample (Krejcie-Morgan),80\n"
        "Sample sufficient,No\n"
    )


def test_indonesian_report_says_tidak_for_a_sample_too_small() -> None:
    result = ikm_score(ANSWERS, "short", population=100)
    text = skm_report_csv(result, unit_name="Samsat Batu", period="2024-Q1")
    assert text.splitlines()[-5:] == [
        "Kinerja unit pelayanan,Tidak Baik",
        "Jumlah responden,2",
        "Populasi,100",
        "Sampel minimum (Krejcie-Morgan),80",
        "Sampel memenuhi,Tidak",
    ]
    assert "\r" not in text


def test_mismatched_elements_are_refused_with_the_reason() -> None:
    result = ikm_score(ANSWERS, "short")
    with pytest.raises(ValueError) as err:
        skm_report_csv(result, unit_name="x", period="y", elements=())
    assert str(err.value) == "elements do not match the elements of the IKM result"


def test_respondent_matrix_is_whole_text() -> None:
    assert respondent_matrix_csv(ANSWERS, "short", lang="en") == (
        "Respondent,U3,U7,U8\n"
        "p,4,2,\n"
        "q,3,3,1\n"
        "Total score,7,5,1\n"
        "Answers,2,2,1\n"
        "NRR,3.5000,2.5000,1.0000\n"
    )


def test_answers_to_other_elements_anywhere_in_the_stream_are_skipped() -> None:
    # "cost" (U4) is not on the short form: skipped wherever it comes, the rest counted.
    answers = [SurveyAnswer("p", "cost", 1), *ANSWERS, SurveyAnswer("q", "cost", 4),
               SurveyAnswer("r", "conduct", 4)]
    result = ikm_score(answers, "short")
    assert [(e.element, e.answers, e.total) for e in result.elements] == [
        ("completion_time", 2, 7), ("conduct", 3, 9), ("complaint_handling", 1, 1)]
    assert result.respondents == 3


def test_a_non_answer_is_refused_by_type() -> None:
    with pytest.raises(TypeError) as err:
        ikm_score([{"respondent_id": "p", "element": "cost", "score": 4}])  # type: ignore[list-item]
    assert str(err.value) == "expected SurveyAnswer, got dict"


def test_a_second_answer_to_an_element_is_refused_with_the_rule() -> None:
    with pytest.raises(ValueError) as err:
        ikm_score([SurveyAnswer("p", "cost", 4), SurveyAnswer("p", "cost", 3)])
    assert str(err.value) == (
        "respondent 'p' answered 'cost' twice; keep one answer per respondent and element")


def test_totals_missing_elements_count_as_unanswered() -> None:
    # Only U3 tallied (2 answers, 7 points): NRR 3.5 is the IKM; x25 = 87.50 -> B.
    result = ikm_from_totals({"completion_time": (2, 7)}, 2, SHORT, population=2)
    assert result == IkmResult(
        elements=(
            ElementScore("completion_time", 2, 7, 3.5, 1.0, 3.5),
            ElementScore("conduct", 0, 0, None, None, None),
            ElementScore("complaint_handling", 0, 0, None, None, None),
        ),
        respondents=2, ikm=3.5, converted=87.5, grade="B", grade_label_id="Baik",
        grade_label_en="Good", population=2, minimum_sample=2, sample_sufficient=True,
    )


def test_no_totals_keep_the_population_and_its_sample() -> None:
    # Nobody answered: no index, the sample (N=10 needs 10) is not reached.
    result = ikm_from_totals({}, 0, ["cost"], population=10)
    assert result == IkmResult(
        elements=(ElementScore("cost", 0, 0, None, None, None),),
        respondents=0, ikm=None, converted=None, grade=None, grade_label_id=None,
        grade_label_en=None, population=10, minimum_sample=10, sample_sufficient=False,
    )


@pytest.mark.parametrize("value", [True, "88.40", None])
def test_grade_of_a_non_number_is_refused(value: object) -> None:
    with pytest.raises(ValueError) as err:
        grade_for(value)  # type: ignore[arg-type]
    assert str(err.value) == f"converted IKM must be a number, got {value!r}"


def test_grade_of_a_decimal_is_read_exactly() -> None:
    assert grade_for(Decimal("88.305")) == ("A", "Sangat Baik", "Very Good")
    assert grade_for(Decimal("88.304")) == ("B", "Baik", "Good")


def test_by_period_refuses_an_unknown_period_at_once() -> None:
    with pytest.raises(ValueError) as err:
        by_period("decade")  # type: ignore[arg-type]
    assert str(err.value) == (
        "unknown period 'decade'; expected week, month, quarter, semester or year")


def test_respondent_matrix_leaves_an_unanswered_element_empty() -> None:
    answers = [SurveyAnswer("p", "completion_time", 4), SurveyAnswer("q", "conduct", 2)]
    assert respondent_matrix_csv(answers, "short") == (
        "Responden,U3,U7,U8\n"
        "p,4,,\n"
        "q,,2,\n"
        "Jumlah nilai,4,2,0\n"
        "Jumlah jawaban,1,1,0\n"
        "NRR,4.0000,2.0000,\n"
    )


def test_element_score_names_a_missing_element() -> None:
    result = ikm_score(ANSWERS, "short")
    assert result.element_score("conduct") == ElementScore("conduct", 2, 5, 2.5, 1 / 3, 2.5 / 3)
    with pytest.raises(KeyError) as err:
        result.element_score("cost")
    assert err.value.args == ("cost",)
