"""The quarterly performance report for the Board: one content, three forms (page, PDF, XLSX)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from saferhub.core.exports import workbook_bytes
from saferhub.performance import rules, selectors
from saferhub.performance.charts import trend_svg
from saferhub.performance.periods import PeriodError, parse_period

METHOD_NOTES = [
    "Value: the latest whole period after the baseline (data-driven indicators are counted "
    "from the imported incident data; the others are entered by the lead partner with an "
    "evidence note).",
    "Change against the baseline: % change, tested with the exact conditional (binomial) test "
    "for two Poisson counts at the 5% level; 'no significant change' is an answer.",
    "SPC: XmR chart of the monthly counts (limits = mean +/- 2.66 x mean moving range); "
    "signals: a point outside the limits, a run of 8 on one side of the centre, "
    "6 points rising or falling.",
    "Forecast: data-driven indicators carry the latest rolling 12 months forward to the target "
    "date (95% exact Poisson interval); other indicators use a straight-line trend through "
    "the baseline and values so far.",
    "Status: on track when the forecast (or, once the target period is over, the value) meets "
    "the target; at risk when it misses but the target lies inside the 95% interval (for "
    "counts) or within 10% of the planned change (other figures); off track otherwise; not "
    "yet measurable without a baseline, a target or a value. The rule is given for each row.",
    "Milestones: a straight line from the baseline to the target, one per year or quarter, "
    "unless set by the partnership.",
]


@dataclass
class BoardReport:
    quarter: str
    generated_at: dt.datetime
    judgements: list[selectors.Judgement]
    counts: list[tuple[str, str, int]]
    year_end: list[selectors.YearEndRow]
    charts: dict[int, SafeString] = field(default_factory=dict)
    notes: list[str] = field(default_factory=lambda: list(METHOD_NOTES))

    @property
    def filename(self) -> str:
        return f"board-performance-report-{self.quarter}"

    @property
    def scorecard_rows(self) -> list[list[Any]]:
        return selectors.scorecard_rows(self.judgements)


def latest_quarter(today: dt.date | None = None) -> str:
    """The last quarter that has ended."""
    month = pd.Period(today or timezone.now().date(), "M")
    start_of_quarter = month - ((month.month - 1) % 3)
    last = start_of_quarter - 1
    return f"{last.year}-Q{(last.month - 1) // 3 + 1}"


def status_counts(judgements: list[selectors.Judgement]) -> list[tuple[str, str, int]]:
    counter = Counter(j.status.key for j in judgements)
    return [
        (rules.STATUS_LABELS[key], rules.STATUS_TAGS[key], counter.get(key, 0))
        for key in (rules.ON_TRACK, rules.AT_RISK, rules.OFF_TRACK, rules.NOT_MEASURABLE)
    ]


def board_report(*, user: Any, quarter: str | None) -> BoardReport:
    """The Board's quarterly report, as the indicators stood at the end of ``quarter``."""
    if quarter:
        try:
            period = parse_period(quarter)
        except PeriodError as exc:
            raise ValueError(str(exc)) from exc
        if period.kind != "quarter":
            raise ValueError(f"“{quarter}” is not a quarter: write it as 2024-Q4.")
        label = period.label
    else:
        label = latest_quarter()
    judgements = selectors.judgements_for_user(user=user, as_of=label)
    charts = {
        j.indicator.pk: trend_svg(
            series=j.series,
            target=j.target,
            baseline=j.baseline,
            title=f"{j.indicator}: trend, milestones and target",
            description=j.status.rule,
            decimals=j.indicator.decimals,
            chart_id=f"chart-{j.indicator.pk}",
        )
        for j in judgements
    }
    return BoardReport(
        quarter=label,
        generated_at=timezone.now(),
        judgements=judgements,
        counts=status_counts(judgements),
        year_end=selectors.year_end_rows(user=user),
        charts=charts,
    )


def board_report_pdf(report: BoardReport) -> bytes:
    from weasyprint import HTML

    html = render_to_string("performance/board_report_pdf.html", {"report": report})
    return bytes(HTML(string=html).write_pdf())


def board_report_xlsx(report: BoardReport) -> bytes:
    series_rows = [
        [str(j.indicator), r["month"], r.get("rolling"), r.get("milestone"), j.target]
        for j in report.judgements
        for r in j.series
    ]
    return workbook_bytes(
        [
            ("Scorecard", selectors.SCORECARD_COLUMNS, report.scorecard_rows),
            ("Year end", selectors.YEAR_END_COLUMNS, selectors.year_end_table(report.year_end)),
            (
                "Trend data",
                ["Indicator", "Month or period", "Value", "Milestone", "Target"],
                series_rows,
            ),
        ],
        notes=[
            f"Quarterly performance report for the Board, {report.quarter}",
            f"Produced {report.generated_at:%d %B %Y %H:%M}",
            *report.notes,
        ],
    )
