"""The plan and performance sections of the public site (registered in ``ready``).

They read only :mod:`saferhub.performance.selectors.public`: priorities and objectives as
published, and the indicators the partnership marks as public.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saferhub.performance.charts import trend_svg
from saferhub.performance.selectors.public import (
    PublicIndicator,
    published_indicator,
    published_indicators,
    published_plan,
)
from saferhub.public.registry import PublicSection, PublicTable, public_section
from saferhub.public.templatetags.public_format import public_month_short

STATUS_WORDS = {
    "on_track": _("On track: on course to meet its target."),
    "at_risk": _("At risk: may not meet its target without more work."),
    "off_track": _("Off track: not on course to meet its target."),
    "not_measurable": _("Not yet measurable: there is not yet enough data to say."),
}


def _words(indicator: PublicIndicator) -> Any:
    return STATUS_WORDS.get(indicator.status_key, STATUS_WORDS["not_measurable"])


def _plan() -> dict[str, Any]:
    return {"priorities": published_plan()}


def _plan_table() -> PublicTable:
    rows: list[list[Any]] = []
    for p in published_plan():
        rows.append([p.title, p.plan_period, "", p.matters_because, p.together_we_will])
        rows.extend([p.title, p.plan_period, o, "", ""] for o in p.objectives)
    return PublicTable(
        ["priority", "plan_period", "objective", "it_matters_because", "together_we_will"],
        rows,
        "The partnership plan, as agreed by the partnership.",
    )


def _performance() -> dict[str, Any]:
    indicators = [{**i.__dict__, "status_words": _words(i)} for i in published_indicators()]
    return {"indicators": indicators}


def _performance_table() -> PublicTable:
    rows = [
        [
            i.code,
            i.title,
            i.priority,
            i.unit,
            i.period,
            i.value,
            i.baseline_period,
            i.baseline,
            i.target_period,
            i.target,
            i.status_key,
            i.data_source,
        ]
        for i in published_indicators()
    ]
    return PublicTable(
        [
            "code",
            "indicator",
            "priority",
            "unit",
            "period",
            "value",
            "baseline_period",
            "baseline",
            "target_period",
            "target",
            "status",
            "source",
        ],
        rows,
        "Indicators published by the partnership; incident counts from police.uk "
        "(data.police.uk), other values as reported by the lead partner.",
    )


def _chart(indicator: PublicIndicator) -> Any:
    """The indicator's values over time as a server-drawn SVG (its table is on the page)."""
    if not indicator.series:
        return ""
    return trend_svg(
        series=[
            {"month": m, "label": public_month_short(m), "rolling": v} for m, v in indicator.series
        ],
        target=indicator.target,
        baseline=indicator.baseline,
        title=str(_("%(indicator)s: values over time")) % {"indicator": indicator.title},
        description=str(
            _(
                "A line chart of the values, with the baseline and the target; the figures are in the table below."
            )
        ),
        decimals=indicator.decimals,
        chart_id=f"indicator-{indicator.pk}",
        labels={
            "value": str(_("Value")),
            "milestone": str(_("Milestone")),
            "target": str(_("Target")),
            "baseline": str(_("Baseline")),
        },
    )


def _indicator(pk: int) -> dict[str, Any]:
    indicator = published_indicator(id=pk)
    return {"indicator": indicator, "status_words": _words(indicator), "chart": _chart(indicator)}


def register() -> None:
    public_section(
        PublicSection(
            "plan",
            _("Our plan"),
            _("The partnership's priorities, why they matter and what we will do together."),
            order=10,
            template="public/plan.html",
            content=_plan,
            table=_plan_table,
            large_print_template="public/plan_large_print.html",
            depends_on=("performance.Priority", "performance.Objective"),
        )
    )
    public_section(
        PublicSection(
            "performance",
            _("How we are doing"),
            _(
                "Each indicator we publish: its latest value, its target and whether it is on track."
            ),
            order=20,
            template="public/performance.html",
            content=_performance,
            table=_performance_table,
            item=_indicator,
            item_template="public/indicator.html",
            depends_on=(
                "performance.Priority",
                "performance.Indicator",
                "performance.Milestone",
                "performance.Measurement",
            ),
        )
    )
