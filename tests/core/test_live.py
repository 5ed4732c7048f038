"""``.live()``: the records not archived, on every model built on BaseModel."""

from __future__ import annotations

import pytest
from django.utils import timezone

from saferhub.performance.models import Indicator, Priority
from tests.performance.factories import make_priority, make_survey_indicator


@pytest.mark.django_db
def test_live_leaves_out_archived_records_and_those_of_an_archived_parent() -> None:
    indicator = make_survey_indicator()
    other = make_priority("Reduce burglary")
    assert set(Priority.objects.live()) == {indicator.priority, other}
    Priority.objects.filter(pk=other.pk).update(archived_at=timezone.now())
    assert list(Priority.objects.live()) == [indicator.priority]
    # Through a relation: the indicator is live, and so is its priority.
    assert list(Indicator.objects.live("priority")) == [indicator]
    Priority.objects.filter(pk=indicator.priority.pk).update(archived_at=timezone.now())
    assert list(Indicator.objects.live()) == [indicator]
    assert list(Indicator.objects.live("priority")) == []
    # A related manager has it too.
    assert indicator.priority.indicators.live().count() == 1
