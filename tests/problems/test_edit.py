"""The edit page of a problem, on the real Derby geography and incidents: every detail
changed through the service; bad input a message on its field with nothing saved; a
drawn polygon checked against the partnership's area; the register counts kept after an
import equal the incidents counted directly; harm where weights are held."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.problems import factories

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
HOT = "E01013480"  # Derby 016A, Arboretum
OTHER = "E01013461"  # Allestree
VIOLENCE = "Violence and sexual offences"


def _square(lon: float, lat: float, d: float = 0.002, close: bool = True) -> str:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d]]
    if close:
        ring.append([lon, lat])
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _form(problem: Any, **changes: Any) -> dict[str, Any]:
    """The edit form's fields as posted, from the problem, with ``changes``."""
    data: dict[str, Any] = {
        "title": problem.title,
        "kind": problem.kind,
        "status": problem.status,
        "area": problem.area_id,
        "place_type": problem.place_type,
        "lsoa_codes": ", ".join(problem.lsoa_codes),
        "location": problem.location,
        "polygon": problem.polygon,
        "lead_partner": problem.lead_partner_id,
        "categories": [c.pk for c in problem.categories.all()],
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def test_edit_page_changes_every_detail_through_the_service(
    derbyshire: Any, client_as: Any
) -> None:
    from saferhub.accounts.models import AuditEvent
    from saferhub.incidents.models import Category, Theme

    problem = factories.problem(lsoa=HOT)
    client = client_as("manager")
    page = client.get(f"/problems/{problem.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Change the problem" in html and f'value="{HOT}"' in html
    assert 'id="place-draw-map"' in html and "place-draw-geojson" in html
    fire = factories.lead_partner("fire", "Fire and rescue")
    violence = Category.objects.get(name=VIOLENCE)
    theme = Theme.objects.order_by("position").first()
    assert theme is not None
    done = client.post(
        f"/problems/{problem.pk}/edit/",
        _form(
            problem,
            title="Violence at night, Arboretum",
            kind="behaviour",
            status="open",
            lsoa_codes=f"{HOT}, {OTHER}",
            categories=[violence.pk],
            themes=[theme.pk],
            partner_agencies=[fire.pk],
            review_on="2025-02-01",
        ),
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    problem.refresh_from_db()
    assert problem.title == "Violence at night, Arboretum" and problem.kind == "behaviour"
    assert problem.status == "open" and str(problem.review_on) == "2025-02-01"
    assert problem.lsoa_codes == sorted([HOT, OTHER])
    assert list(problem.categories.all()) == [violence]
    assert list(problem.themes.all()) == [theme]
    assert list(problem.partner_agencies.all()) == [fire]
    event = AuditEvent.objects.filter(action="problems.problem_edit").latest("sequence")
    assert event.new_values["title"] == "Violence at night, Arboretum"


def test_edit_refuses_bad_input_on_the_field_and_saves_nothing(
    derbyshire: Any, client_as: Any
) -> None:
    problem = factories.problem(lsoa=HOT)
    client = client_as("manager")
    url = f"/problems/{problem.pk}/edit/"

    def refused(field: str, text: str, **changes: Any) -> None:
        page = client.post(url, _form(problem, title="Changed", **changes))
        assert page.status_code == 400
        html = page.content.decode()
        assert text in html, html[:3000]
        assert f'id="id_{field}-error"' in html  # the message is on the field
        problem.refresh_from_db()
        assert problem.title != "Changed" and problem.status == "proposed"

    refused("status", "only after its assessment", status="closed")
    refused(
        "polygon",
        "does not close",
        place_type="polygon",
        polygon=_square(-1.47, 52.92, close=False),
    )
    refused("polygon", "outside Derby", place_type="polygon", polygon=_square(-0.13, 51.50))
    refused("polygon", "not valid GeoJSON", place_type="polygon", polygon="{not json")
    refused("lsoa_codes", "Unknown LSOA code", lsoa_codes="E01099999")
    assert problem.place_type == "lsoas" and problem.lsoa_codes == [HOT]
    # A drawn polygon inside Derby is held, and its incidents counted by their points.
    inside = client.post(url, _form(problem, place_type="polygon", polygon=_square(-1.477, 52.922)))
    assert inside.status_code == 302
    problem.refresh_from_db()
    assert problem.place_type == "polygon"
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "drawn on the map" in page


def test_only_a_manager_or_the_lead_officer_edits(
    derbyshire: Any, client: Any, make_user: Any
) -> None:
    from tests.conftest import verified_client

    lead = make_user("lead_officer", username="lead-one")
    other = make_user("lead_officer", username="lead-two")
    problem = factories.problem(lsoa=HOT, lead_officer=lead)
    url = f"/problems/{problem.pk}/edit/"
    assert verified_client(client, other).get(url).status_code == 403
    client.logout()
    mine = verified_client(client, lead)
    assert mine.get(url).status_code == 200
    assert mine.post(url, _form(problem, title="Mine, renamed")).status_code == 302
    problem.refresh_from_db()
    assert problem.title == "Mine, renamed"


def test_kept_register_counts_equal_the_incidents_counted_directly(derbyshire: Any) -> None:
    from saferhub.incidents.models import Category
    from saferhub.problems.measure import held_months
    from saferhub.problems.models import RankingCount, RankingWindow
    from saferhub.problems.ranking import batch_inputs, counted_window, problem_inputs
    from saferhub.problems.services import ranking_counts_refresh

    violence = Category.objects.get(name=VIOLENCE)
    items = [
        factories.problem(lsoa=HOT),
        factories.problem(lsoa=OTHER, categories=[violence]),
        factories.problem(
            lsoa="E01013456", place_type="location", location="On or near Argyle Street"
        ),
    ]
    months = held_months()[-12:]
    live = batch_inputs(items, months, {})
    rows = ranking_counts_refresh()
    assert rows == RankingCount.objects.count() == len(counted_window(None, months))
    assert RankingWindow.objects.get().months == [f"{m:%Y-%m}" for m in months]
    kept = batch_inputs(items, months, {})
    assert kept == live
    for problem in items:
        assert kept[problem.pk] == problem_inputs(problem, months, {})
    # Counts built for other months are not used: the incidents are counted instead.
    assert batch_inputs(items, held_months()[-13:-1], {}) == {
        p.pk: problem_inputs(p, held_months()[-13:-1], {}) for p in items
    }


def test_harm_where_weights_are_held_and_a_missing_weight_named(
    derbyshire: Any, client_as: Any
) -> None:
    from django.core.exceptions import ValidationError

    from saferhub.accounts.actors import SystemActor
    from saferhub.incidents.models import Category
    from saferhub.problems.models import HarmWeight
    from saferhub.problems.ranking import rank_register
    from saferhub.problems.services import harm_weights_set

    violence = Category.objects.get(name=VIOLENCE)
    burglary = Category.objects.get(name="Burglary")
    weighted = factories.problem(lsoa=HOT, categories=[violence])
    everything = factories.problem(lsoa=OTHER)  # every category: most have no weight
    with pytest.raises(ValidationError) as bad:
        harm_weights_set(
            actor=SystemActor.TEST,
            text="category,weight,source\nViolence and sexual offences,-1,x\nNo such,2,y\n",
            name="weights.csv",
        )
    message = " ".join(bad.value.messages)
    assert "row 2, column weight" in message and "row 3, column category" in message
    assert not HarmWeight.objects.exists()
    held = harm_weights_set(
        actor=SystemActor.TEST,
        text=(
            "category,weight,source\n"
            f"{VIOLENCE},12.5,Test weights (not the ONS table)\n"
            "Burglary,30,Test weights (not the ONS table)\n"
        ),
    )
    assert held == 2
    ranking = rank_register(problems=[weighted, everything])
    rows = {r.problem.pk: r for r in ranking.rows}
    top = rows[weighted.pk]
    assert top.inputs["harm"] == pytest.approx(12.5 * (top.inputs["volume"] or 0))
    assert top.harm_missing == []
    other = rows[everything.pk]
    assert other.inputs["harm"] is None and other.normalised["harm"] is None
    assert VIOLENCE not in other.harm_missing and burglary.name not in other.harm_missing
    assert "Anti-social behaviour" in other.harm_missing
    assert "harm" in ranking.used and "harm" not in ranking.not_held
    # The other's score is made of the measures it has: harm is left out, not taken as 0.
    had = [m for m in ranking.used if other.normalised[m] is not None]
    scaled = {m: float(other.normalised[m] or 0.0) for m in had}
    total = sum(ranking.weights[m] * scaled[m] for m in had)
    expected = 100 * total / sum(ranking.weights[m] for m in had)
    assert other.score == round(expected, 1)
    assert [h.category for h in ranking.harm_weights] == ["Burglary", VIOLENCE]
    page = client_as("analyst").get("/problems/").content.decode()
    assert "not counted: no weight for Anti-social behaviour" in page
    assert "Test weights (not the ONS table)" in page and "(1.00)" in page
    csv = client_as("manager").get("/problems/?format=csv").content.decode()
    assert "Harm not counted: categories without a weight" in csv.splitlines()[0]
