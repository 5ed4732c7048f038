"""``saferhub actions ...``: thin callers of the same services."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from saferhub.actions.models import ActionPlan
from tests.actions import factories as f
from tests.actions.test_imports import GOOD_ROWS, ned_xlsx

pytestmark = pytest.mark.django_db


def _run(*args: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("actions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_remind(make_user: Any) -> None:
    lead = make_user("lead_officer", username="lead")
    f.action(lead_officer=lead, due_date=dt.date(2010, 5, 1))
    out, _ = _run("remind", "--date", "2010-06-01")
    assert "1 reminder emails sent; 1 actions became overdue." in out
    assert mail.outbox[0].to == [lead.email]
    with pytest.raises(CommandError, match="is not a date"):
        _run("remind", "--date", "June")


def test_import_carry_forward_and_year_end(tmp_path: Path, ned_partners: Any) -> None:
    plan = f.plan("NED 2010/11", dt.date(2010, 4, 1), dt.date(2011, 3, 31))
    path = tmp_path / "ned.xlsx"
    path.write_bytes(ned_xlsx())
    out, err = _run("import", str(plan.pk), str(path), "--dry-run")
    assert "(dry run: nothing was saved)" in out and "Row 4" in err
    assert plan.actions.count() == 0
    out, _ = _run("import", str(plan.pk), str(path))
    assert f"{GOOD_ROWS} actions created" in out
    out, _ = _run("year-end", str(plan.pk))
    assert out.splitlines()[-1] == f"Total\t{GOOD_ROWS}\t0\t{GOOD_ROWS}\t0\t0"
    out, _ = _run(
        "carry-forward",
        str(plan.pk),
        "--title",
        "NED 2011/12",
        "--starts",
        "2011-04-01",
        "--ends",
        "2012-03-31",
    )
    assert f"{GOOD_ROWS} actions carried into “NED 2011/12”." in out
    assert ActionPlan.objects.get(title="NED 2011/12").actions.count() == GOOD_ROWS
    with pytest.raises(CommandError, match="There is no action plan 999"):
        _run("year-end", "999")
    with pytest.raises(CommandError, match="has no Lead partner"):
        bad = tmp_path / "bad.csv"
        bad.write_text("Name,Date\nx,y\n")
        _run("import", str(plan.pk), str(bad))
