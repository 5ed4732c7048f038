"""The budget's services and summaries: the Derby 2005-06 totals, bad input refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from saferhub.accounts.actors import SystemActor
from saferhub.accounts.models import AuditEvent
from saferhub.governance import selectors as sel
from saferhub.governance import services
from saferhub.governance.audit_actions import GovernanceAudit
from saferhub.governance.models import ExpenditureLine
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def test_derby_2005_06_totals_from_lines_entered() -> None:
    year = f.derby_2005_06()
    summary = sel.budget_summary(year)
    assert summary.income_total == f.DERBY_TOTAL == Decimal("6057022")
    assert summary.expenditure_total == f.DERBY_TOTAL
    assert summary.balance == 0
    assert sum(r.amount for r in summary.income_by_source) == f.DERBY_TOTAL
    assert sum(r.amount for r in summary.expenditure_by_kind) == f.DERBY_TOTAL
    # No spend entered yet: a gap, not a zero spend; the forecast is the budget.
    assert summary.quarters_entered == ()
    assert summary.forecast_total == f.DERBY_TOTAL


def test_even_profile_adds_up_to_the_budget() -> None:
    line = f.expenditure(budget=Decimal("1000.01"))
    assert [line.profile(q) for q in (1, 2, 3, 4)] == [
        Decimal("250.00"),
        Decimal("250.00"),
        Decimal("250.00"),
        Decimal("250.01"),
    ]


def test_a_profile_that_does_not_add_up_is_refused_on_the_budget_field() -> None:
    year = f.year()
    with pytest.raises(ValidationError) as exc:
        services.expenditure_line_create(
            actor=SystemActor.TEST,
            year=year,
            title="Burglary kits",
            budget=Decimal("1000"),
            profile=(Decimal("250"), Decimal("250"), Decimal("250"), Decimal("200")),
        )
    assert "adds up to £950.00, not the budget of £1,000.00" in exc.value.message_dict["budget"][0]
    assert not ExpenditureLine.objects.filter(title="Burglary kits").exists()


def test_the_database_also_refuses_a_profile_that_does_not_add_up() -> None:
    line = f.expenditure(budget=Decimal("400"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpenditureLine.objects.filter(pk=line.pk).update(profile_q1=Decimal("1"))


def test_quarter_spend_variance_needs_a_reason_and_is_audited() -> None:
    line = f.expenditure(budget=Decimal("4000"))
    with pytest.raises(ValidationError) as exc:
        services.quarter_spend_record(
            actor=SystemActor.TEST,
            line=line,
            quarter=1,
            actual=Decimal("900"),
            forecast_outturn=Decimal("3600"),
        )
    assert "variance_reason" in exc.value.message_dict
    line.refresh_from_db()
    assert line.actual_q1 is None  # nothing saved in part
    line = services.quarter_spend_record(
        actor=SystemActor.TEST,
        line=line,
        quarter=1,
        actual=Decimal("900"),
        forecast_outturn=Decimal("3600"),
        variance_reason="Post vacant for three months",
    )
    assert line.variance == Decimal("-400")
    assert sel.variance_lines(line.year) == [line]
    event = AuditEvent.objects.filter(action=GovernanceAudit.QUARTER_SPEND).latest("pk")
    assert Decimal(event.new_values["actual_q1"]) == Decimal("900")
    summary = sel.budget_summary(line.year)
    assert summary.actual_total == Decimal("900") and summary.quarters_entered == (1,)
    assert sel.manager_home_counts().budget_variance_lines == 1


def test_spend_against_a_closed_year_is_refused() -> None:
    line = f.expenditure(budget=Decimal("4000"))
    services.year_set_status(actor=SystemActor.TEST, year=line.year, status="closed")
    line.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.quarter_spend_record(
            actor=SystemActor.TEST,
            line=line,
            quarter=2,
            actual=Decimal("1000"),
            forecast_outturn=Decimal("4000"),
        )
    assert "is closed" in exc.value.message_dict["actual"][0]
    line.refresh_from_db()
    assert line.actual_q2 is None
    with pytest.raises(ValidationError, match="closed"):
        f.income(line.year)
    assert sel.manager_home_counts().open_years == 0


def test_a_year_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError) as exc:
        services.year_create(
            actor=SystemActor.TEST,
            label="Backwards",
            starts_on=dt.date(2006, 3, 31),
            ends_on=dt.date(2005, 4, 1),
        )
    assert "ends_on" in exc.value.message_dict


def test_income_with_grant_conditions(django_assert_max_num_queries: Any) -> None:
    year = f.year()
    f.income(
        year,
        source="pcc_grant",
        funder="Police and crime commissioner",
        amount=Decimal("120000"),
        grant_conditions="Spent by 31 March; quarterly monitoring returns",
    )
    rows = sel.income_rows(year)
    assert rows == [
        [
            "Police and crime commissioner grant",
            "Police and crime commissioner",
            "",
            Decimal("120000.00"),
            "Spent by 31 March; quarterly monitoring returns",
        ]
    ]
    with django_assert_max_num_queries(3):
        sel.budget_summary(year)
