"""Funded projects: outputs need targets; cost per output and break-even checked by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from saferhub.accounts.actors import SystemActor
from saferhub.governance import project_selectors as psel
from saferhub.governance import services
from saferhub.governance.models import ProjectOutput
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def test_cost_per_output_and_break_even_by_hand() -> None:
    project = f.project(target_offence_groups=["Burglary dwelling"])
    out = f.output(project, actual=Decimal("1200"))
    vfm = psel.value_for_money(project)
    (row,) = vfm.outputs
    assert row.output == out
    assert row.cost_per_target_output == pytest.approx(9.20)  # £23,000 / 2,500 homes
    assert row.cost_per_actual_output == pytest.approx(19.1667, abs=1e-4)  # / 1,200
    assert row.percent_delivered == Decimal("48.0")
    (burglary,) = vfm.break_even.groups
    assert (burglary.offence_group, burglary.crimes_to_prevent) == ("Burglary dwelling", 10)
    assert vfm.break_even.missing == ()
    # With the 2015/16 costs: robbery £11,320 -> 23,000 / 11,320 = 2.03 -> 3 robberies;
    # domestic burglary has no unit cost held there: named as missing, never zero.
    other = f.project(
        unit_cost_table="unit_costs_heeks_2018",
        target_offence_groups=["Robbery", "Domestic burglary"],
    )
    result = psel.value_for_money(other).break_even
    assert [(g.offence_group, g.crimes_to_prevent) for g in result.groups] == [("Robbery", 3)]
    assert result.missing == ("Domestic burglary",)


def test_an_output_with_no_target_is_refused_on_the_field() -> None:
    project = f.project()
    for target in (None, Decimal("0")):
        with pytest.raises(ValidationError) as exc:
            services.project_output_add(
                actor=SystemActor.TEST,
                project=project,
                description="Kits",
                unit="homes",
                target=target,
            )
        assert "target" in exc.value.message_dict
    assert not ProjectOutput.objects.filter(project=project).exists()


def test_an_offence_group_not_in_the_table_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        f.project(target_offence_groups=["Burglary"])
    assert "Burglary" in exc.value.message_dict["target_offence_groups"][0]


def test_project_pages(client_as: Any) -> None:
    project = f.project(title="Burglary kits")
    f.output(project, actual=Decimal("1200"))
    viewer = client_as("viewer")
    page = viewer.get(reverse("governance:project", kwargs={"pk": project.pk})).content.decode()
    assert "9.20" in page and "Burglary dwelling" in page and "1999/2000" in page
    listing = viewer.get(reverse("governance:projects"), {"format": "csv"}).content.decode()
    assert "Burglary kits" in listing and "9.2" in listing
    manager = client_as("manager")
    response = manager.post(
        reverse("governance:output_add", kwargs={"pk": project.pk}),
        {"description": "Talks", "unit": "sessions", "target": ""},
    )
    assert response.status_code == 400
    assert "Give the output a target above zero" in response.content.decode()
