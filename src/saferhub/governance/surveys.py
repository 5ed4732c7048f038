"""Import a survey wave's results, and read a survey figure with its interval and change.

The workbook has one sheet (or a CSV) with the columns *Question, Answer, Count,
Respondents* (respondents: how many answered the question; the wave's sample size if
left empty). The wave's details (survey, date, area, sample size, weighting) come from
the form or the caller. Every problem is reported by row and column; if there is any,
nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.actions.imports import (
    ImportRefused,
    _header_and_rows,
    _map_headings,
    _norm,
    _read_tables,
    _text,
)
from saferhub.analysis.proportions import ProportionChange, compare_proportions, wilson_interval
from saferhub.governance.audit_actions import GovernanceAudit
from saferhub.governance.models import SurveyAnswer, SurveyQuestion, SurveyWave
from saferhub.governance.workbook import MAX_BYTES, MAX_ROWS, CellError

HEADINGS = {
    "question": ("question",),
    "answer": ("answer", "answeroption", "option", "response"),
    "count": ("count", "number", "n"),
    "respondents": ("respondents", "answered", "base"),
}


@dataclass
class SurveyImportReport:
    filename: str
    questions: int = 0
    answers: int = 0
    errors: list[CellError] = field(default_factory=list)
    wave: SurveyWave | None = None


class _Abort(Exception):
    pass


def _whole(cell: Any, what: str) -> int:
    text = _text(cell).replace(",", "")
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, int) or text.isdigit():
        return int(text)
    raise ValueError(f"“{_text(cell)}” is not a whole number ({what})")


def survey_import(
    *,
    actor: Actor,
    survey: str,
    wave_date: dt.date,
    sample_size: int,
    filename: str,
    content: bytes,
    area_code: str = "",
    area_name: str = "",
    weighting: str = "",
    effective_sample_size: int | None = None,
) -> SurveyImportReport:
    if len(content) > MAX_BYTES:
        raise ImportRefused(f"{filename} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    sheets = _read_tables(filename, content)
    rows = next(iter(sheets.values()), [])
    _, header, data = _header_and_rows(rows, filename=filename, sheet=next(iter(sheets), None))
    cols, labels = _map_headings(header, HEADINGS)
    missing = [n.capitalize() for n in ("question", "answer", "count") if n not in cols]
    if missing:
        raise ImportRefused(
            f"{filename} needs the columns {', '.join(missing)} "
            f"(columns found: {', '.join(x for x in labels if x) or 'none'})."
        )
    if len(data) > MAX_ROWS:
        raise ImportRefused(f"{filename} has more than {MAX_ROWS:,} rows.")
    sheet = next(iter(sheets), "Survey")
    report = SurveyImportReport(filename=filename)
    try:
        with transaction.atomic():
            wave = SurveyWave(
                survey=survey.strip(),
                wave_date=wave_date,
                area_code=area_code.strip(),
                area_name=area_name.strip(),
                sample_size=sample_size,
                weighting=weighting.strip(),
                effective_sample_size=effective_sample_size,
            )
            try:
                wave.full_clean()
            except ValidationError as exc:
                raise ImportRefused(" ".join(exc.messages)) from exc
            wave.save()
            _rows(wave, sheet, cols, data, report)
            if report.errors:
                raise _Abort
            report.wave = wave
            audit_record(
                actor=actor,
                action=GovernanceAudit.SURVEY_IMPORT,
                obj=wave,
                detail=f"{filename}: {report.questions} questions, {report.answers} answers",
            )
    except _Abort:
        report.questions = report.answers = 0
    return report


def _rows(
    wave: SurveyWave,
    sheet: str,
    cols: dict[str, int],
    data: list[tuple[int, list[Any]]],
    report: SurveyImportReport,
) -> None:
    questions: dict[str, SurveyQuestion] = {}
    totals: dict[str, int] = {}
    for number, row in data:

        def cell(name: str, row: list[Any] = row) -> Any:
            return row[cols[name]] if name in cols and cols[name] < len(row) else None

        text, option = _text(cell("question")), _text(cell("answer"))
        if not text or not option:
            column = "Question" if not text else "Answer"
            report.errors.append(CellError(sheet, number, column, "this cell is empty"))
            continue
        try:
            count = _whole(cell("count"), "count")
            base_cell = cell("respondents")
            base = _whole(base_cell, "respondents") if _text(base_cell) else wave.sample_size
        except ValueError as exc:
            report.errors.append(CellError(sheet, number, "Count", str(exc)))
            continue
        if base > wave.sample_size:
            report.errors.append(
                CellError(
                    sheet,
                    number,
                    "Respondents",
                    f"{base:,} answered, more than the sample of {wave.sample_size:,}",
                )
            )
            continue
        if count > base:
            report.errors.append(
                CellError(
                    sheet,
                    number,
                    "Count",
                    f"{count:,} is more than the {base:,} who answered the question",
                )
            )
            continue
        question = questions.get(text)
        if question is None:
            question = SurveyQuestion.objects.create(wave=wave, text=text[:500], respondents=base)
            questions[text] = question
            report.questions += 1
        totals[text] = totals.get(text, 0) + count
        if totals[text] > question.respondents:
            report.errors.append(
                CellError(
                    sheet,
                    number,
                    "Count",
                    f"the answers to “{text[:60]}” add up to {totals[text]:,}, more than "
                    f"the {question.respondents:,} who answered it",
                )
            )
            continue
        if SurveyAnswer.objects.filter(question=question, option=option[:300]).exists():
            report.errors.append(CellError(sheet, number, "Answer", f"“{option}” is listed twice"))
            continue
        SurveyAnswer.objects.create(question=question, option=option[:300], count=count)
        report.answers += 1


@dataclass(frozen=True)
class SurveyFigure:
    """One answer's share of a question, with its Wilson interval (percentages)."""

    wave: SurveyWave
    percent: float
    low: float
    high: float
    count: int
    base: int

    @property
    def note(self) -> str:
        weighted = " (weighted; effective sample size used)" if self.wave.weighting else ""
        return (
            f"{self.wave}: {self.count:,} of {self.base:,}; 95% Wilson interval "
            f"{self.low:.1f}% to {self.high:.1f}%{weighted}"
        )


def _base(question: SurveyQuestion) -> int:
    wave = question.wave
    if wave.effective_sample_size:
        return max(1, round(question.respondents * wave.effective_sample_size / wave.sample_size))
    return question.respondents


def survey_figure(*, answers: list[SurveyAnswer]) -> SurveyFigure:
    """The share of a question's respondents giving any of ``answers`` (one question)."""
    question = answers[0].question
    if any(a.question_id != question.pk for a in answers):
        raise ValueError("the answers must be of one question")
    count = sum(a.count for a in answers)
    base = _base(question)
    if question.wave.effective_sample_size:
        count = round(count * base / question.respondents)
    low, high = wilson_interval(count, base)
    return SurveyFigure(question.wave, 100 * count / base, 100 * low, 100 * high, count, base)


def survey_change(first: SurveyFigure, second: SurveyFigure) -> ProportionChange:
    """The test of the change in a survey figure between two waves."""
    return compare_proportions(first.count, first.base, second.count, second.base)


def answers_matching(question: SurveyQuestion, options: list[str]) -> list[SurveyAnswer]:
    wanted = {_norm(o) for o in options}
    return [a for a in question.answers.all() if _norm(a.option) in wanted]


def survey_measure_indicator(
    *, actor: Actor, indicator: Any, period: str, answers: list[SurveyAnswer]
) -> Any:
    """Record a survey percentage indicator's value for ``period`` from a wave's answers."""
    from decimal import Decimal

    from saferhub.performance.services.measurements import measurement_from_survey

    figure = survey_figure(answers=answers)
    options = ", ".join(a.option for a in answers)
    return measurement_from_survey(
        actor=actor,
        indicator=indicator,
        period=period,
        percent=Decimal(f"{figure.percent:.4f}"),
        count=figure.count,
        evidence=f"“{answers[0].question.text}”: {options}. {figure.note}",
    )
