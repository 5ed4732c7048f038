"""Survey import (a count above its sample refused), figures as indicators, change test."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook
from scipy import stats

from saferhub.accounts.actors import SystemActor
from saferhub.governance.models import SurveyAnswer, SurveyWave
from saferhub.governance.surveys import (
    answers_matching,
    survey_change,
    survey_figure,
    survey_import,
    survey_measure_indicator,
)
from saferhub.performance.models import Measurement
from tests.performance.factories import make_survey_indicator

pytestmark = pytest.mark.django_db
QUESTION = "How good a place to live is your neighbourhood?"


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Question", "Answer", "Count", "Respondents"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _wave(year: int, very_good: int, sample: int) -> SurveyWave:
    report = survey_import(
        actor=SystemActor.TEST,
        survey="Residents' survey",
        wave_date=dt.date(year, 10, 1),
        sample_size=sample,
        filename="survey.xlsx",
        content=_xlsx(
            [
                [QUESTION, "Very good", very_good, sample],
                [QUESTION, "Fairly good", sample - very_good - 10, sample],
                [QUESTION, "Poor", 10, sample],
            ]
        ),
    )
    assert report.wave is not None, report.errors
    return report.wave


def test_a_count_above_its_sample_is_refused_by_row_and_nothing_saved() -> None:
    report = survey_import(
        actor=SystemActor.TEST,
        survey="Young people's survey",
        wave_date=dt.date(2005, 10, 1),
        sample_size=399,
        filename="young.xlsx",
        content=_xlsx(
            [
                ["Do you feel safe?", "Yes", 300, 399],
                ["Do you feel safe?", "No", 400, None],
                ["Seen ASB?", "Yes", 10, 500],
            ]
        ),
    )
    assert [str(e) for e in report.errors] == [
        "Sheet “Sheet”, row 3, column “Count”: 400 is more than the 399 who answered the question",
        "Sheet “Sheet”, row 4, column “Respondents”: 500 answered, more than the sample of 399",
    ]
    assert report.wave is None
    assert not SurveyWave.objects.exists() and not SurveyAnswer.objects.exists()


def test_survey_figure_as_an_indicator_with_its_wilson_interval() -> None:
    wave = _wave(2005, 814, 1085)  # 75% of 1,085 adults
    question = wave.questions.get()
    figure = survey_figure(answers=answers_matching(question, ["Very good"]))
    assert figure.percent == pytest.approx(75.02, abs=0.01)
    ci = stats.binomtest(814, 1085).proportion_ci(method="wilson")
    assert (figure.low, figure.high) == pytest.approx((100 * ci.low, 100 * ci.high))
    indicator = make_survey_indicator()
    measurement = survey_measure_indicator(
        actor=SystemActor.TEST,
        indicator=indicator,
        period="2024/25",
        answers=answers_matching(question, ["Very good"]),
    )
    assert measurement.source == Measurement.Source.SURVEY
    assert measurement.value == Decimal("75.0230")
    assert "814 of 1,085; 95% Wilson interval" in measurement.evidence


def test_change_between_waves_against_scipy() -> None:
    first = survey_figure(
        answers=answers_matching(_wave(2005, 814, 1085).questions.get(), ["Very good"])
    )
    second = survey_figure(
        answers=answers_matching(_wave(2006, 781, 1100).questions.get(), ["Very good"])
    )
    change = survey_change(first, second)
    chi2, p, _, _ = stats.chi2_contingency([[814, 271], [781, 319]], correction=False)
    assert change.p_value == pytest.approx(p, rel=1e-9)
    assert change.method.startswith("two-proportion z test")
