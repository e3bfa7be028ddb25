"""IKM reports from the stored survey answers: the layer under the CLI, the API and the console.

:func:`load_answers` reads :class:`~storage.models.SurveyResponse` rows with
the report's filters (unit and, by default, the units below it; dates,
inclusive, in local time; channel) as :class:`bot.surveys.ikm.SurveyAnswer` (one
respondent per survey). :func:`build_report` is pure: the IKM overall, per
unit, per period and per channel, each with its elements' NRR, the
respondent count and, where the unit's population of service users is known,
the Krejcie-Morgan minimum sample. :func:`report_to_dict` is the JSON shape
of ``pintu report ikm --json`` and ``GET /api/reports/ikm``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from bot.core.i18n import REPORT_SCOPE
from bot.surveys.ikm import (
    BASIS,
    NO_GROUP,
    IkmResult,
    Period,
    SurveyAnswer,
    by_channel,
    by_period,
    by_unit,
    ikm_by,
    ikm_from_totals,
    ikm_score,
    skm_report_csv,
)
from bot.surveys.skm import ELEMENTS, FULL_FORM, Lang, element
from routing.catalog import Catalog
from storage.ports import Repositories
from storage.repositories.survey_report import IkmTallies

log = logging.getLogger(__name__)

#: Local time the reports' dates and periods are read in (Indonesia has no DST).
WIB = timezone(timedelta(hours=7), "WIB")
PERIODS: tuple[Period, ...] = ("week", "month", "quarter", "semester", "year")


@dataclass(frozen=True)
class ReportFilter:
    """Which answers a report covers.

    ``unit_id`` selects a unit and, with ``include_descendants``, every unit
    below it. ``visible_units`` is the viewer's visibility (None: all, for
    admins and the CLI); an answer must pass both. ``date_from``/``date_to``
    are inclusive local dates.
    """

    unit_id: str | None = None
    include_descendants: bool = True
    date_from: date | None = None
    date_to: date | None = None
    channel: str | None = None
    visible_units: tuple[str, ...] | None = None

    def unit_scope(self, catalog: Catalog) -> tuple[str, ...] | None:
        """The unit ids the answers may belong to (None: any, including none).

        KeyError for a ``unit_id`` the catalog does not know.
        """
        scope: tuple[str, ...] | None = None
        if self.unit_id is not None:
            catalog.unit(self.unit_id)
            below = catalog.descendants(self.unit_id) if self.include_descendants else ()
            scope = (self.unit_id, *(u.id for u in below))
        if self.visible_units is not None:
            visible = set(self.visible_units)
            scope = tuple(u for u in (scope or self.visible_units) if u in visible)
        return scope


@dataclass(frozen=True)
class IkmReport:
    """The IKM of the filtered answers, overall and broken down."""

    filters: ReportFilter
    period: Period
    elements: tuple[str, ...]
    overall: IkmResult
    by_unit: Mapping[str, IkmResult]
    by_period: Mapping[str, IkmResult]
    by_channel: Mapping[str, IkmResult]
    unit_names: Mapping[str, str] = field(default_factory=dict)
    tz_name: str = "WIB"


def local_day_bounds(day_from: date | None, day_to: date | None,
                     tz: tzinfo = WIB) -> tuple[datetime | None, datetime | None]:
    """UTC instants ``[start, end)`` covering local days ``day_from``..``day_to`` inclusive."""
    start = datetime.combine(day_from, time.min, tz).astimezone(UTC) if day_from else None
    end = (datetime.combine(day_to + timedelta(days=1), time.min, tz).astimezone(UTC)
           if day_to else None)
    return start, end


async def load_answers(repos: Repositories, catalog: Catalog, flt: ReportFilter,
                       tz: tzinfo = WIB) -> list[SurveyAnswer]:
    """The stored survey answers the filter selects, answer times in ``tz``.

    Each survey is one respondent (``respondent_id`` is the survey id).
    """
    scope = flt.unit_scope(catalog)
    start, end = local_day_bounds(flt.date_from, flt.date_to, tz)
    rows = await repos.surveys.responses_for_report(
        unit_ids=scope, since=start, until=end, channel=flt.channel)
    answers: list[SurveyAnswer] = []
    for row in rows:
        try:
            answers.append(SurveyAnswer(
                respondent_id=str(row.survey_id), element=row.element, score=row.score,
                unit_id=row.unit_id, channel=row.channel,
                answered_at=row.created_at.astimezone(tz)))
        except ValueError:
            # A row no form knows (hand-edited data) must not hide every other answer.
            log.warning("skipping survey response %s: %s/%s", row.id, row.element, row.score)
    return answers


def report_elements(answers: Iterable[SurveyAnswer]) -> tuple[str, ...]:
    """The elements the answers cover, in the regulation's order (all nine if none)."""
    present = {a.element for a in answers}
    keys = tuple(e.key for e in ELEMENTS if e.key in present)
    return keys or FULL_FORM


def unit_populations(catalog: Catalog, unit_ids: Iterable[str]) -> dict[str, int]:
    """Service-user populations the catalog gives for these units (a ``population`` field)."""
    out: dict[str, int] = {}
    for unit_id in unit_ids:
        if not catalog.has_unit(unit_id):
            continue
        population = catalog.unit(unit_id).population
        if population is not None:
            out[unit_id] = population
    return out


def build_report(answers: Sequence[SurveyAnswer], catalog: Catalog, *,
                 flt: ReportFilter | None = None, period: Period = "month",
                 populations: Mapping[str, int] | None = None,
                 overall_population: int | None = None, tz_name: str = "WIB") -> IkmReport:
    """The IKM of ``answers`` overall, per unit, per ``period`` and per channel.

    ``populations`` (per unit id) override the catalog's; ``overall_population``
    is used for the overall result, defaulting to the filter unit's population.
    """
    flt = flt or ReportFilter()
    elements = report_elements(answers)
    units = {a.unit_id for a in answers if a.unit_id is not None}
    if flt.unit_id is not None:
        units.add(flt.unit_id)
    pops = {**unit_populations(catalog, units), **(populations or {})}
    if overall_population is None and flt.unit_id is not None:
        overall_population = pops.get(flt.unit_id)
    names = {u: catalog.unit(u).name if catalog.has_unit(u) else u for u in units}
    return IkmReport(
        filters=flt, period=period, elements=elements,
        overall=ikm_score(answers, elements, population=overall_population),
        by_unit=ikm_by(answers, by_unit, elements, populations=pops),
        by_period=ikm_by(answers, by_period(period), elements),
        by_channel=ikm_by(answers, by_channel, elements),
        unit_names=names, tz_name=tz_name,
    )


async def ikm_report(repos: Repositories, catalog: Catalog, flt: ReportFilter, *,
                     period: Period = "month", populations: Mapping[str, int] | None = None,
                     overall_population: int | None = None) -> IkmReport:
    """The report of the filtered answers, exactly as :func:`build_report` of
    :func:`load_answers` gives it, but tallied in the database: a year of every
    unit is a few thousand rows back, not every answer."""
    by_period(period)  # ValueError for an unknown period, before any query
    scope = flt.unit_scope(catalog)
    start, end = local_day_bounds(flt.date_from, flt.date_to, WIB)
    offset = WIB.utcoffset(None)
    tallies = await repos.survey_report.ikm_tallies(
        elements=tuple(e.key for e in ELEMENTS), period=period, offset=offset,
        unit_ids=scope, since=start, until=end, channel=flt.channel)
    return report_from_tallies(tallies, catalog, flt=flt, period=period,
                               populations=populations, overall_population=overall_population)


def report_from_tallies(tallies: IkmTallies, catalog: Catalog, *, flt: ReportFilter,
                        period: Period, populations: Mapping[str, int] | None = None,
                        overall_population: int | None = None,
                        tz_name: str = "WIB") -> IkmReport:
    """:func:`build_report` from tallies aggregated in the database (same result)."""
    overall = tallies.elements.get(("overall", None), {})
    elements = tuple(e.key for e in ELEMENTS if e.key in overall) or FULL_FORM
    units = {g for (dim, g) in tallies.elements if dim == "unit" and g is not None}
    if flt.unit_id is not None:
        units.add(flt.unit_id)
    pops = {**unit_populations(catalog, units), **(populations or {})}
    if overall_population is None and flt.unit_id is not None:
        overall_population = pops.get(flt.unit_id)
    names = {u: catalog.unit(u).name if catalog.has_unit(u) else u for u in units}

    def result(dim: str, group: str | None, population: int | None) -> IkmResult:
        return ikm_from_totals(tallies.elements.get((dim, group), {}),
                               tallies.respondents.get((dim, group), 0), elements,
                               population=population)

    def per(dim: str, pops: Mapping[str, int]) -> dict[str, IkmResult]:
        groups = {NO_GROUP if g is None else g: g for (d, g) in tallies.elements if d == dim}
        return {key: result(dim, groups[key], pops.get(key)) for key in sorted(groups)}

    return IkmReport(
        filters=flt, period=period, elements=elements,
        overall=result("overall", None, overall_population),
        by_unit=per("unit", pops), by_period=per("period", {}), by_channel=per("channel", {}),
        unit_names=names, tz_name=tz_name,
    )


# ---- output shapes ----------------------------------------------------------------


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def result_to_dict(result: IkmResult) -> dict[str, Any]:
    """One IKM result as JSON: 1-4 values to 4 decimals, the converted IKM to 2."""
    return {
        "respondents": result.respondents,
        "ikm": _round(result.ikm, 4),
        "converted": result.converted,
        "grade": result.grade,
        "grade_label_id": result.grade_label_id,
        "grade_label_en": result.grade_label_en,
        "population": result.population,
        "minimum_sample": result.minimum_sample,
        "sample_sufficient": result.sample_sufficient,
        "elements": [
            {
                "element": s.element,
                "code": element(s.element).code,
                "name_id": element(s.element).name_id,
                "name_en": element(s.element).name_en,
                "answers": s.answers,
                "total": s.total,
                "nrr": _round(s.nrr, 4),
                "weight": _round(s.weight, 4),
                "weighted": _round(s.weighted, 4),
            }
            for s in result.elements
        ],
    }


def report_to_dict(report: IkmReport) -> dict[str, Any]:
    """The whole report as JSON (``pintu report ikm --json``, ``GET /api/reports/ikm``)."""
    flt = report.filters
    return {
        "basis": BASIS,
        "filters": {
            "unit": flt.unit_id,
            "include_descendants": flt.include_descendants,
            "from": flt.date_from.isoformat() if flt.date_from else None,
            "to": flt.date_to.isoformat() if flt.date_to else None,
            "channel": flt.channel,
        },
        "period": report.period,
        "timezone": report.tz_name,
        "elements": list(report.elements),
        "overall": result_to_dict(report.overall),
        "units": [
            {"unit_id": unit, "unit_name": report.unit_names.get(unit, unit),
             **result_to_dict(result)}
            for unit, result in report.by_unit.items()
        ],
        "periods": [{"period": key, **result_to_dict(result)}
                    for key, result in report.by_period.items()],
        "channels": [{"channel": key, **result_to_dict(result)}
                     for key, result in report.by_channel.items()],
    }


def period_label(flt: ReportFilter, lang: Lang = "id") -> str:
    """The covered dates in words, e.g. ``"2026-01-01 s.d. 2026-06-30"``."""
    words = REPORT_SCOPE.in_lang(lang)
    start = flt.date_from.isoformat() if flt.date_from else words["start"]
    end = flt.date_to.isoformat() if flt.date_to else words["now"]
    return f"{start} {words['until']} {end}"


def scope_label(report: IkmReport, catalog: Catalog, lang: Lang = "id") -> str:
    """The unit a report is about, in words ("Semua unit" when not filtered)."""
    unit_id = report.filters.unit_id
    if unit_id is None:
        return REPORT_SCOPE.raw("all_units", lang)
    name = catalog.unit(unit_id).name if catalog.has_unit(unit_id) else unit_id
    if report.filters.include_descendants and catalog.has_unit(unit_id) and \
            catalog.descendants(unit_id):
        name += REPORT_SCOPE.raw("with_descendants", lang)
    return name


def report_csv(report: IkmReport, catalog: Catalog, lang: Lang = "id") -> str:
    """The report's overall result laid out as a unit's SKM report (CSV text)."""
    return skm_report_csv(report.overall, unit_name=scope_label(report, catalog, lang),
                          period=period_label(report.filters, lang), lang=lang)
