"""Writes for the budget: every change goes through one of these functions, audited.

Pages, the API and the import all call these, so a closed year refuses spend the same
way everywhere, and a line whose quarters do not add up to its budget is never saved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record, changed_values, model_values
from saferhub.core.services import stamp
from saferhub.governance.audit_actions import GovernanceAudit
from saferhub.governance.models import QUARTERS, ExpenditureLine, FinancialYear, IncomeLine
from saferhub.performance.models import Priority


def _open_year(year: FinancialYear, field: str = "year") -> None:
    if year.is_closed:
        raise ValidationError(
            {field: f"The financial year {year.label} is closed: it takes no more lines or spend."}
        )


@transaction.atomic
def year_create(*, actor: Actor, label: str, starts_on: dt.date, ends_on: dt.date) -> FinancialYear:
    year = FinancialYear(label=label.strip(), starts_on=starts_on, ends_on=ends_on)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "The year must end after it starts."})
    stamp(year, actor)
    year.full_clean()
    year.save()
    audit_record(actor=actor, action=GovernanceAudit.YEAR_CREATE, obj=year, new=model_values(year))
    return year


@transaction.atomic
def year_set_status(*, actor: Actor, year: FinancialYear, status: str) -> FinancialYear:
    """Close a year once its outturn is final (or reopen it to correct it)."""
    if status not in FinancialYear.Status.values:
        raise ValidationError({"status": "Choose open or closed."})
    old = year.status
    year.status = status
    stamp(year, actor)
    year.full_clean()
    year.save()
    action = (
        GovernanceAudit.YEAR_CLOSE
        if status == FinancialYear.Status.CLOSED
        else GovernanceAudit.YEAR_REOPEN
    )
    audit_record(actor=actor, action=action, obj=year, old={"status": old}, new={"status": status})
    return year


@transaction.atomic
def income_line_create(
    *,
    actor: Actor,
    year: FinancialYear,
    source: str,
    funder: str,
    amount: Decimal,
    description: str = "",
    grant_conditions: str = "",
) -> IncomeLine:
    _open_year(year)
    line = IncomeLine(
        year=year,
        source=source,
        funder=funder.strip(),
        description=description.strip(),
        amount=amount,
        grant_conditions=grant_conditions.strip(),
    )
    if amount is not None and amount < 0:
        raise ValidationError({"amount": "Income cannot be negative."})
    stamp(line, actor)
    line.full_clean()
    line.save()
    audit_record(
        actor=actor, action=GovernanceAudit.INCOME_CREATE, obj=line, new=model_values(line)
    )
    return line


@transaction.atomic
def income_line_edit(*, actor: Actor, line: IncomeLine, **fields: Any) -> IncomeLine:
    _open_year(line.year)
    old = model_values(line)
    for name in ("source", "funder", "description", "amount", "grant_conditions"):
        if name in fields:
            setattr(line, name, fields[name])
    stamp(line, actor)
    line.full_clean()
    line.save()
    before, after = changed_values(old, model_values(line))
    if after:
        audit_record(
            actor=actor, action=GovernanceAudit.INCOME_EDIT, obj=line, old=before, new=after
        )
    return line


def _profile(budget: Decimal, profile: tuple[Decimal, ...] | None) -> tuple[Decimal, ...]:
    """The quarterly profile given, or the budget spread evenly (pennies to quarter 4)."""
    if profile is not None:
        if len(profile) != 4:
            raise ValidationError({"budget": "Give a profile for each of the four quarters."})
        return tuple(Decimal(p) for p in profile)
    quarter = (Decimal(budget) / 4).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return (quarter, quarter, quarter, Decimal(budget) - 3 * quarter)


@transaction.atomic
def expenditure_line_create(
    *,
    actor: Actor,
    year: FinancialYear,
    title: str,
    budget: Decimal,
    kind: str = ExpenditureLine.Kind.PROJECT,
    priority: Priority | None = None,
    provider: str = "",
    profile: tuple[Decimal, ...] | None = None,
) -> ExpenditureLine:
    _open_year(year)
    quarters = _profile(budget, profile)
    line = ExpenditureLine(
        year=year,
        title=title.strip(),
        kind=kind,
        priority=priority,
        provider=provider.strip(),
        budget=budget,
        **{f"profile_q{q}": quarters[q - 1] for q in QUARTERS},
    )
    stamp(line, actor)
    line.full_clean()
    line.save()
    audit_record(
        actor=actor, action=GovernanceAudit.EXPENDITURE_CREATE, obj=line, new=model_values(line)
    )
    return line


EDITABLE = (
    "title",
    "kind",
    "priority",
    "provider",
    "budget",
    "profile_q1",
    "profile_q2",
    "profile_q3",
    "profile_q4",
    "actual_q1",
    "actual_q2",
    "actual_q3",
    "actual_q4",
    "forecast_outturn",
    "variance_reason",
)


@transaction.atomic
def expenditure_line_edit(*, actor: Actor, line: ExpenditureLine, **fields: Any) -> ExpenditureLine:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not a field of an expenditure line: {', '.join(sorted(unknown))}.")
    _open_year(line.year)
    old = model_values(line)
    for name, value in fields.items():
        setattr(line, name, value)
    stamp(line, actor)
    line.full_clean()
    line.save()
    before, after = changed_values(old, model_values(line))
    if after:
        audit_record(
            actor=actor, action=GovernanceAudit.EXPENDITURE_EDIT, obj=line, old=before, new=after
        )
    return line


@transaction.atomic
def quarter_spend_record(
    *,
    actor: Actor,
    line: ExpenditureLine,
    quarter: int,
    actual: Decimal,
    forecast_outturn: Decimal,
    variance_reason: str = "",
) -> ExpenditureLine:
    """Enter a quarter's actual spend and the forecast outturn (with the variance's reason)."""
    line = ExpenditureLine.objects.select_for_update().select_related("year").get(pk=line.pk)
    if quarter not in QUARTERS:
        raise ValidationError({"quarter": "The quarter must be 1, 2, 3 or 4."})
    _open_year(line.year, field="actual")
    if actual is None or actual < 0:
        raise ValidationError({"actual": "Enter the quarter's actual spend, £0 or more."})
    old = model_values(line)
    setattr(line, f"actual_q{quarter}", actual)
    line.forecast_outturn = forecast_outturn
    line.variance_reason = variance_reason.strip()
    stamp(line, actor)
    try:
        line.full_clean()
    except ValidationError as exc:
        messages = exc.message_dict
        raise ValidationError(
            {("actual" if k.startswith("actual_q") else k): v for k, v in messages.items()}
        ) from exc
    line.save()
    before, after = changed_values(old, model_values(line))
    audit_record(
        actor=actor,
        action=GovernanceAudit.QUARTER_SPEND,
        obj=line,
        old=before,
        new=after,
        detail=f"Quarter {quarter}",
    )
    return line


@transaction.atomic
def year_publish_summary(*, actor: Actor, year: FinancialYear, publish: bool) -> FinancialYear:
    """Publish the year's end-of-year summary on the public site (or withdraw it)."""
    from django.utils import timezone

    old = year.summary_published_at
    year.summary_published_at = (old or timezone.now()) if publish else None
    stamp(year, actor)
    year.save(update_fields=["summary_published_at", "modified_at", "modified_by"])
    audit_record(
        actor=actor,
        action=GovernanceAudit.SUMMARY_PUBLISH if publish else GovernanceAudit.SUMMARY_WITHDRAW,
        obj=year,
        old={"summary_published_at": old},
        new={"summary_published_at": year.summary_published_at},
    )
    return year
