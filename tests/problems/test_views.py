"""Problem pages and the ``saferhub problems`` command, on a small geography."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.problems import factories as f

pytestmark = pytest.mark.django_db
HOT = "E01013480"


def test_create_form_is_prefilled_from_a_hotspot_row(client_as: Any) -> None:
    f.tiny_geography()
    client = client_as("lead_officer")
    page = client.get(f"/problems/new/?origin=hotspot&lsoa={HOT}&theme=violence&area=E06000015")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Violence and sexual offences hotspot: Derby 016A" in html
    assert f'value="{HOT}"' in html
    assert "pseudonymous references only" in html


def test_bad_place_shows_on_the_field_and_saves_nothing(client_as: Any) -> None:
    from saferhub.geography.models import Area
    from saferhub.problems.models import Problem

    derby = f.tiny_geography()
    police = f.lead_partner()
    client = client_as("manager")
    data = {
        "title": "Drawn badly",
        "kind": "place",
        "area": derby.pk,
        "place_type": "polygon",
        "polygon": '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}',
        "lead_partner": police.pk,
    }
    page = client.post("/problems/new/", data)
    assert page.status_code == 400
    assert "does not close" in page.content.decode()
    assert not Problem.objects.exists()
    data |= {"place_type": "lsoas", "lsoa_codes": "E01099999"}
    assert "Unknown LSOA code: E01099999" in client.post("/problems/new/", data).content.decode()
    data |= {"lsoa_codes": HOT}
    done = client.post("/problems/new/", data)
    assert done.status_code == 302
    problem = Problem.objects.get()
    assert problem.lsoa_codes == [HOT] and problem.area == derby
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "OSARA" in page and "govuk-task-list" in page
    assert Area.objects.filter(level="lsoa", code=HOT).exists()


def test_only_the_lead_officer_or_a_manager_edits(client: Any, make_user: Any) -> None:
    from tests.conftest import verified_client

    f.tiny_geography()
    lead = make_user("lead_officer", username="lead-one")
    other = make_user("lead_officer", username="lead-two")
    problem = f.problem(lsoa=HOT, lead_officer=lead)
    assert (
        verified_client(client, other).get(f"/problems/{problem.pk}/objective/").status_code == 403
    )
    client.logout()
    mine = verified_client(client, lead)
    assert mine.get(f"/problems/{problem.pk}/objective/").status_code == 200
    saved = mine.post(f"/problems/{problem.pk}/objective/", {"objective": "Reduce by 20%"})
    assert saved.status_code == 302
    problem.refresh_from_db()
    assert problem.objective == "Reduce by 20%"


def test_register_exports_and_meeting_minutes_pdf(client_as: Any) -> None:
    from saferhub.accounts.actors import SystemActor
    from saferhub.problems.tasking import meeting_create

    derby = f.tiny_geography()
    f.problem(lsoa=HOT)
    client = client_as("viewer")
    csv = client.get("/problems/?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("Rank,Problem,Status,Lead partner")
    meeting = meeting_create(
        actor=SystemActor.TEST, group="Tasking", held_on=dt.date(2025, 1, 15), area=derby
    )
    pdf = client.get(f"/problems/tasking/{meeting.pk}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_command_creates_lists_and_refuses_bad_input() -> None:
    f.tiny_geography()
    f.lead_partner()
    out = StringIO()
    call_command(
        "problems",
        "create",
        "--title",
        "Arboretum violence",
        "--area",
        "E06000015",
        "--lsoa",
        HOT,
        "--lead-partner",
        "police",
        stdout=out,
    )
    assert "registered: Arboretum violence" in out.getvalue()
    listing = StringIO()
    call_command("problems", "list", stdout=listing)
    assert "Arboretum violence" in listing.getvalue()
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command(
            "problems",
            "create",
            "--title",
            "Nowhere",
            "--area",
            "E06000015",
            "--lsoa",
            "E01099999",
            "--lead-partner",
            "police",
            stderr=err,
        )
    assert "Unknown LSOA code" in err.getvalue()


def test_api_creates_ranks_and_refuses_by_field(client_as: Any) -> None:
    f.tiny_geography()
    f.lead_partner()
    client = client_as("lead_officer")
    bad = client.post(
        "/api/problems/new/",
        {"title": "Nowhere", "area": "E06000015", "place_type": "lsoas", "lead_partner": "police"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "lsoa_codes" in bad.json()
    good = client.post(
        "/api/problems/new/",
        {
            "title": "Arboretum",
            "area": "E06000015",
            "place_type": "lsoas",
            "lsoa_codes": [HOT],
            "lead_partner": "police",
        },
        content_type="application/json",
    )
    assert good.status_code == 201, good.content
    register = client.get("/api/problems/").json()
    assert [r["problem"]["title"] for r in register["rows"]] == []  # no months held yet
    detail = client.get(f"/api/problems/{good.json()['id']}/").json()
    assert detail["problem"]["lsoa_codes"] == [HOT] and detail["months"] == []


def test_command_holds_harm_weights_and_refuses_a_bad_file(tmp_path: Any) -> None:
    from saferhub.accounts.models import AuditEvent
    from saferhub.problems.models import HarmWeight

    bad = tmp_path / "weights.csv"
    bad.write_text("category,weight,source\nBurglary,heavy,Test\nBurglary,2,\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("problems", "harm-weights", str(bad))
    message = str(refused.value)
    assert "row 2, column weight" in message and "row 3, column source" in message
    assert "weights.csv: nothing held" in message and str(tmp_path) not in message
    assert not HarmWeight.objects.exists()
    no_column = tmp_path / "short.csv"
    no_column.write_text("category,weight\nBurglary,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no column source"):
        call_command("problems", "harm-weights", str(no_column))
    good = tmp_path / "good.csv"
    good.write_text(
        "\ufeffcategory,weight,source\nburglary,30.5,Test weights\nDrugs,4,Test weights\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("problems", "harm-weights", str(good), stdout=out)
    assert "held for 2 categories" in out.getvalue()
    held = {h.category.name: h.weight for h in HarmWeight.objects.select_related("category")}
    assert held == {"Burglary": 30.5, "Drugs": 4.0}
    assert AuditEvent.objects.filter(action="problems.harm_weights_set").count() == 1
    counts = StringIO()
    call_command("problems", "refresh-counts", stdout=counts)
    assert "Register counts rebuilt: 0 rows" in counts.getvalue()  # no incidents here
