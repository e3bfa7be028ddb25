"""IKM (Indeks Kepuasan Masyarakat) from SKM answers, PermenPANRB 14/2017.

Per element the NRR (nilai rata-rata) is the sum of its scores divided by
the number of answers to it. Elements are weighted equally: 1/9 each on the
full form (the regulation prints 0.111), 1/k over the k elements of a shorter
form. The IKM is the sum of weighted NRRs on the 1-4 scale; times 25 it is
the converted IKM on the 25-100 scale, which gives the quality grade A-D.

Arithmetic is exact (fractions) until the end:

* weights are exactly 1/k, not the regulation's rounded 0.111, so a form
  answered 4 everywhere gives 4.00 / 100.00 (0.111 x 9 would give 99.90);
* the converted IKM is rounded once, to 2 decimals, half up, and the grade is
  read from that rounded value (the regulation's grade table is written with
  2 decimals: 88.30 is B, 88.31 is A, so 88.305 rounds to 88.31 and is A);
* NRRs are not rounded before weighting.

An element nobody answered has no NRR; it is left out and the weights are
spread over the answered elements (reported in
:attr:`IkmResult.empty_elements`). With no answers at all there is no IKM.

Everything here is pure: no I/O, no clock, no state.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from bot.core.i18n import skm_csv_headings
from bot.surveys.skm import (
    MAX_SCORE,
    MIN_SCORE,
    Lang,
    SkmElement,
    element,
    resolve_form,
)

Period = Literal["week", "month", "quarter", "semester", "year"]

#: Group name for answers whose grouping key is unknown (no unit, channel or date).
NO_GROUP = "(none)"

CONVERSION_FACTOR = 25
_CENT = Decimal("0.01")

# (grade, lowest converted value, label id, label en), best first, from the
# regulation's table of service quality (mutu pelayanan).
_GRADES: tuple[tuple[str, Decimal, str, str], ...] = (
    ("A", Decimal("88.31"), "Sangat Baik", "Very Good"),
    ("B", Decimal("76.61"), "Baik", "Good"),
    ("C", Decimal("65.00"), "Kurang Baik", "Poor"),
    ("D", Decimal("25.00"), "Tidak Baik", "Very Poor"),
)
_LOWEST = Decimal("25.00")
_HIGHEST = Decimal("100.00")

# Krejcie & Morgan (1970): chi-square for 1 df at 95% (3.841), population
# proportion 0.5, accuracy 0.05.
_KM_CHI_SQUARE = Fraction("3.841")
_KM_PROPORTION = Fraction(1, 2)
_KM_ACCURACY = Fraction(1, 20)


@dataclass(frozen=True)
class SurveyAnswer:
    """One answer (score 1..4) to one SKM element.

    ``respondent_id`` identifies one filled-in questionnaire (one survey
    response), not a person: a citizen surveyed twice is two respondents.
    """

    respondent_id: str
    element: str
    score: int
    unit_id: str | None = None
    channel: str | None = None
    answered_at: datetime | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.respondent_id, str) or not self.respondent_id:
            raise ValueError(
                f"respondent_id must be a non-empty string, got {self.respondent_id!r}"
            )
        element(self.element)  # ValueError naming the known keys
        _check_score(self.score, self.element)


@dataclass(frozen=True)
class ElementScore:
    """One element's tally: ``answers`` scores summing to ``total``.

    ``nrr``, ``weight`` and ``weighted`` (= nrr x weight) are None when the
    element got no answers.
    """

    element: str
    answers: int
    total: int
    nrr: float | None
    weight: float | None
    weighted: float | None


@dataclass(frozen=True)
class IkmResult:
    """The IKM of a set of answers, element by element.

    ``ikm`` is on the 1-4 scale (unrounded); ``converted`` on the 25-100
    scale, rounded to 2 decimals half up, and ``grade`` is read from it.
    ``minimum_sample`` and ``sample_sufficient`` are None unless the
    population of service users was given.
    """

    elements: tuple[ElementScore, ...]
    respondents: int
    ikm: float | None
    converted: float | None
    grade: str | None
    grade_label_id: str | None
    grade_label_en: str | None
    population: int | None
    minimum_sample: int | None
    sample_sufficient: bool | None

    @property
    def empty_elements(self) -> tuple[str, ...]:
        """Keys of the elements nobody answered (left out of the weights)."""
        return tuple(e.element for e in self.elements if e.answers == 0)

    def element_score(self, key: str) -> ElementScore:
        """The tally for element ``key``; KeyError if it is not in this result."""
        for score in self.elements:
            if score.element == key:
                return score
        raise KeyError(key)


def _check_score(score: object, element_key: str) -> int:
    if isinstance(score, bool) or not isinstance(score, int):
        raise ValueError(f"score for {element_key!r} must be an integer 1..4, got {score!r}")
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"score for {element_key!r} must be 1..4, got {score}")
    return score


def _form(elements: str | Sequence[str] | None) -> tuple[SkmElement, ...]:
    return resolve_form("full" if elements is None else elements)


def _round_cents(value: Fraction) -> Decimal:
    """``value`` rounded half up to 2 decimals, exactly (value >= 0)."""
    cents = math.floor(value * 100 + Fraction(1, 2))
    return (Decimal(cents) / 100).quantize(_CENT)


def _tally(
    answers: Iterable[SurveyAnswer], form: Sequence[SkmElement]
) -> tuple[dict[str, list[int]], list[str], dict[tuple[str, str], int]]:
    """Scores per element of ``form``, respondents in first-seen order, and
    each (respondent, element) score. Answers to other elements are skipped.
    """
    wanted = {e.key for e in form}
    scores: dict[str, list[int]] = {e.key: [] for e in form}
    respondents: dict[str, None] = {}
    cells: dict[tuple[str, str], int] = {}
    for answer in answers:
        if not isinstance(answer, SurveyAnswer):
            raise TypeError(f"expected SurveyAnswer, got {type(answer).__name__}")
        _check_score(answer.score, answer.element)
        if answer.element not in wanted:
            element(answer.element)  # unknown keys are an error, not "another form"
            continue
        cell = (answer.respondent_id, answer.element)
        if cell in cells:
            raise ValueError(
                f"respondent {answer.respondent_id!r} answered {answer.element!r} twice; "
                "keep one answer per respondent and element"
            )
        cells[cell] = answer.score
        scores[answer.element].append(answer.score)
        respondents.setdefault(answer.respondent_id, None)
    return scores, list(respondents), cells


def grade_for(converted: float | Decimal) -> tuple[str, str, str]:
    """``(grade, label_id, label_en)`` for a converted IKM (25-100).

    The value is first rounded half up to 2 decimals (a float via its
    shortest decimal form, so ``88.305`` counts as 88.31): 88.31-100 A Sangat
    Baik, 76.61-88.30 B Baik, 65.00-76.60 C Kurang Baik, 25.00-64.99 D Tidak
    Baik. Values outside 25-100 after rounding raise ValueError.
    """
    if isinstance(converted, bool) or not isinstance(converted, float | int | Decimal):
        raise ValueError(f"converted IKM must be a number, got {converted!r}")
    exact = converted if isinstance(converted, Decimal) else Decimal(str(converted))
    if not exact.is_finite():
        raise ValueError(f"converted IKM must be a finite number, got {converted!r}")
    rounded = exact.quantize(_CENT, rounding=ROUND_HALF_UP)
    if not _LOWEST <= rounded <= _HIGHEST:
        raise ValueError(f"converted IKM must be within 25.00-100.00, got {converted!r}")
    for grade, lowest, label_id, label_en in _GRADES:
        if rounded >= lowest:
            return grade, label_id, label_en
    raise AssertionError("unreachable: D starts at the scale's lowest value")


def minimum_sample(population: int) -> int:
    """Minimum number of respondents for ``population`` service users.

    Krejcie & Morgan (1970), as the regulation's sample table:
    s = X²NP(1-P) / (d²(N-1) + X²P(1-P)) with X² = 3.841, P = 0.5, d = 0.05,
    rounded to the nearest whole respondent (half up). Rounding to nearest,
    not up, is what reproduces the published table (N=15 gives 14.47 and the
    table says 14). Population must be a positive integer.
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ValueError(f"population must be a positive integer, got {population!r}")
    spread = _KM_CHI_SQUARE * _KM_PROPORTION * (1 - _KM_PROPORTION)
    size = spread * population / (_KM_ACCURACY**2 * (population - 1) + spread)
    return math.floor(size + Fraction(1, 2))


def ikm_score(
    answers: Iterable[SurveyAnswer],
    elements: str | Sequence[str] | None = None,
    *,
    population: int | None = None,
) -> IkmResult:
    """The IKM of ``answers`` over the form ``elements``.

    ``elements`` is a form as :func:`bot.surveys.skm.resolve_form` takes it
    ("short", "full", or element keys); None means all nine. Answers to
    elements outside the form are ignored; an unknown element key, a score
    outside 1..4 or a respondent answering the same element twice raise
    ValueError. ``population`` (service users in the period) adds the
    Krejcie-Morgan minimum sample and whether the respondents reach it.
    """
    form = _form(elements)
    scores, respondents, _ = _tally(answers, form)
    totals = {key: (len(got), sum(got)) for key, got in scores.items()}
    return ikm_from_totals(totals, len(respondents), tuple(e.key for e in form),
                           population=population)


def ikm_from_totals(
    totals: Mapping[str, tuple[int, int]],
    respondents: int,
    elements: str | Sequence[str] | None = None,
    *,
    population: int | None = None,
) -> IkmResult:
    """The IKM from each element's ``(answers, total score)`` and the respondent count.

    The same arithmetic as :func:`ikm_score` (which tallies answers and calls
    this), for tallies aggregated elsewhere (the database). Elements of the
    form missing from ``totals`` count as unanswered.
    """
    form = _form(elements)
    sample = None if population is None else minimum_sample(population)
    answered = [e for e in form if totals.get(e.key, (0, 0))[0]]
    weight = Fraction(1, len(answered)) if answered else None
    element_scores: list[ElementScore] = []
    ikm = Fraction(0)
    for item in form:
        count, total = totals.get(item.key, (0, 0))
        if not count or weight is None:
            element_scores.append(ElementScore(item.key, 0, 0, None, None, None))
            continue
        nrr = Fraction(total, count)
        ikm += nrr * weight
        element_scores.append(
            ElementScore(
                element=item.key,
                answers=count,
                total=total,
                nrr=float(nrr),
                weight=float(weight),
                weighted=float(nrr * weight),
            )
        )
    if weight is None:
        return IkmResult(
            elements=tuple(element_scores),
            respondents=0,
            ikm=None,
            converted=None,
            grade=None,
            grade_label_id=None,
            grade_label_en=None,
            population=population,
            minimum_sample=sample,
            sample_sufficient=None if sample is None else False,
        )
    converted = _round_cents(ikm * CONVERSION_FACTOR)
    grade, label_id, label_en = grade_for(converted)
    return IkmResult(
        elements=tuple(element_scores),
        respondents=respondents,
        ikm=float(ikm),
        converted=float(converted),
        grade=grade,
        grade_label_id=label_id,
        grade_label_en=label_en,
        population=population,
        minimum_sample=sample,
        sample_sufficient=None if sample is None else respondents >= sample,
    )


def period_key(moment: datetime, period: Period) -> str:
    """The reporting period ``moment`` falls in.

    ``"week"`` gives the ISO week ("2024-W01"; ISO years start on a Monday),
    ``"month"`` "2024-05", ``"quarter"`` "2024-Q2", ``"semester"`` "2024-S1"
    (SKM is often reported per semester), ``"year"`` "2024". The date is
    taken as given: convert to the unit's local time (WIB/WITA/WIT) first.
    """
    if period == "week":
        iso = moment.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if period == "quarter":
        return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"
    if period == "semester":
        return f"{moment.year:04d}-S{(moment.month - 1) // 6 + 1}"
    if period == "year":
        return f"{moment.year:04d}"
    raise ValueError(f"unknown period {period!r}; expected week, month, quarter, semester or year")


def by_unit(answer: SurveyAnswer) -> str | None:
    """Grouping key: the answer's service unit."""
    return answer.unit_id


def by_channel(answer: SurveyAnswer) -> str | None:
    """Grouping key: the channel the answer came in on."""
    return answer.channel


def by_period(period: Period) -> Callable[[SurveyAnswer], str | None]:
    """Grouping key: the reporting period of the answer (see :func:`period_key`)."""
    period_key(datetime(2000, 1, 1), period)  # reject an unknown period now

    def key(answer: SurveyAnswer) -> str | None:
        if answer.answered_at is None:
            return None
        return period_key(answer.answered_at, period)

    return key


def ikm_by(
    answers: Iterable[SurveyAnswer],
    key: Callable[[SurveyAnswer], str | None],
    elements: str | Sequence[str] | None = None,
    *,
    populations: Mapping[str, int] | None = None,
) -> dict[str, IkmResult]:
    """The IKM per group (unit, channel, period...), groups in sorted order.

    ``key`` names each answer's group (see :func:`by_unit`,
    :func:`by_channel`, :func:`by_period`); answers whose key is None go to
    :data:`NO_GROUP`. ``populations`` gives the population per group for the
    minimum-sample check.
    """
    form = _form(elements)
    keys = tuple(e.key for e in form)
    groups: dict[str, list[SurveyAnswer]] = {}
    for answer in answers:
        group = key(answer)
        groups.setdefault(NO_GROUP if group is None else group, []).append(answer)
    populations = populations or {}
    return {
        group: ikm_score(groups[group], keys, population=populations.get(group))
        for group in sorted(groups)
    }


# --- CSV exports -------------------------------------------------------------

BASIS = "PermenPANRB 14/2017"


def _fmt(value: float | None, places: int) -> str:
    # Dot decimals: the file is for machines and spreadsheets alike.
    return "" if value is None else f"{value:.{places}f}"


def skm_report_csv(
    result: IkmResult,
    *,
    unit_name: str,
    period: str,
    elements: Sequence[SkmElement] | None = None,
    lang: Lang = "id",
) -> str:
    """A unit's SKM report as CSV text.

    Header rows (title, legal basis, unit, period), a blank row, one row per
    element (no, U-code, name, answers, total score, NRR, weight, weighted
    NRR, note), a blank row, then IKM, converted IKM, grade, its label,
    respondents, population, minimum sample and whether it is reached.
    Values on the 1-4 scale have 4 decimals, the converted IKM 2; cells with
    no value are empty. ``elements`` defaults to the result's own elements
    and must match them.
    """
    h = skm_csv_headings(lang)  # ValueError for an unknown language
    form = (
        tuple(element(s.element) for s in result.elements) if elements is None else tuple(elements)
    )
    if [e.key for e in form] != [s.element for s in result.elements]:
        raise ValueError("elements do not match the elements of the IKM result")

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([h["title"]])
    writer.writerow([h["basis"], BASIS])
    writer.writerow([h["unit"], unit_name])
    writer.writerow([h["period"], period])
    writer.writerow([])
    writer.writerow(
        [
            h["no"],
            h["code"],
            h["element"],
            h["answers"],
            h["total"],
            h["nrr"],
            h["weight"],
            h["weighted"],
            h["note"],
        ]
    )
    for no, (item, score) in enumerate(zip(form, result.elements, strict=True), start=1):
        writer.writerow(
            [
                no,
                item.code,
                item.name(lang),
                score.answers,
                score.total,
                _fmt(score.nrr, 4),
                _fmt(score.weight, 4),
                _fmt(score.weighted, 4),
                h["empty"] if score.answers == 0 else "",
            ]
        )
    writer.writerow([])
    sufficient = result.sample_sufficient
    writer.writerow([h["ikm"], _fmt(result.ikm, 4)])
    writer.writerow([h["converted"], _fmt(result.converted, 2)])
    writer.writerow([h["grade"], result.grade or ""])
    label = result.grade_label_id if lang == "id" else result.grade_label_en
    writer.writerow([h["label"], label or ""])
    writer.writerow([h["respondents"], result.respondents])
    writer.writerow([h["population"], "" if result.population is None else result.population])
    writer.writerow([h["minimum"], "" if result.minimum_sample is None else result.minimum_sample])
    writer.writerow(
        [h["sufficient"], "" if sufficient is None else h["yes"] if sufficient else h["no_"]]
    )
    return out.getvalue()


def respondent_matrix_csv(
    answers: Iterable[SurveyAnswer],
    elements: str | Sequence[str] | None = None,
    *,
    lang: Lang = "id",
) -> str:
    """The tabulation sheet: one row per respondent, one column per element.

    Columns are the respondent id then the U-codes of the form; respondents
    appear in the order first seen; a cell is empty where the respondent did
    not answer. Footer rows give each element's total score, number of
    answers and NRR (4 decimals). Same validation as :func:`ikm_score`.
    """
    h = skm_csv_headings(lang)  # ValueError for an unknown language
    form = _form(elements)
    scores, respondents, cells = _tally(answers, form)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([h["respondent"], *(e.code for e in form)])
    for respondent in respondents:
        row: list[str | int] = [respondent]
        row += [cells.get((respondent, e.key), "") for e in form]
        writer.writerow(row)
    writer.writerow([h["sum_row"], *(sum(scores[e.key]) for e in form)])
    writer.writerow([h["count_row"], *(len(scores[e.key]) for e in form)])
    writer.writerow(
        [
            h["nrr"],
            *(
                _fmt(sum(scores[e.key]) / len(scores[e.key]) if scores[e.key] else None, 4)
                for e in form
            ),
        ]
    )
    return out.getvalue()
