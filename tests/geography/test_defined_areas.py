"""CSP areas and neighbourhoods defined by their members, on the real geography: the
service's rules, and the page, the API and the command that all call it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from saferhub.accounts.models import AuditEvent
from saferhub.core.models import Job
from saferhub.geography import selectors
from saferhub.geography.models import Area, Lsoa, Population
from saferhub.geography.services import area_archive, area_define, geography_import

pytestmark = pytest.mark.django_db

DERBY = "E06000015"  # Derby, the local authority
DERBY_CSP = "E22000040"  # its CSP in the ONS lookup
CSPS = 314  # every CSP of the ONS lookup
ABBEY, ARBORETUM, DARLEY = "E05015507", "E05015511", "E05015517"


def hood(**kw: Any) -> Any:
    given = {
        "actor": "test",
        "level": "neighbourhood",
        "code": "derby-centre",
        "name": "Derby centre",
        "member_codes": [ABBEY, ARBORETUM],
        "member_level": "ward",
        **kw,
    }
    return area_define(**given)


def errors_of(**kw: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        hood(**kw)
    return caught.value.message_dict


def test_errors_name_the_field(geography: dict[str, int]) -> None:
    areas, events = Area.objects.count(), AuditEvent.objects.count()
    assert errors_of(member_codes=[ABBEY, "E05999999"]) == {
        "members": ["No ward held with code E05999999."]
    }
    assert errors_of(member_codes=[]) == {"members": ["Choose at least one ward."]}
    assert errors_of(code=ABBEY)["code"] == [
        f"The code {ABBEY} is already used by the ward Abbey: choose another code."
    ]
    assert "local authority Derby" in errors_of(code=DERBY)["code"][0]
    assert "letters, digits, hyphens" in errors_of(code="derby centre!")["code"][0]
    assert errors_of(name="  ") == {"name": ["Enter a name."]}
    assert errors_of(member_level="lad", member_codes=[DERBY]) == {
        "member_level": ["A neighbourhood is made of wards or LSOAs."]
    }
    assert errors_of(level="ward")["level"] == ["Choose CSP area or neighbourhood."]
    # A 2011 LSOA split in 2021 is not a member: only 2021 LSOAs are.
    assert "E01013479" in errors_of(member_level="lsoa", member_codes=["E01013479"])["members"][0]
    # Several problems at once, each on its field.
    assert set(errors_of(code="", name="", member_codes=[])) == {"code", "name", "members"}
    assert (Area.objects.count(), AuditEvent.objects.count()) == (areas, events)


def test_a_place_is_in_one_csp_area_at_a_time(geography: dict[str, int]) -> None:
    area_define(
        actor="test",
        level="csp",
        code="derby-north",
        name="Derby North",
        member_codes=[ABBEY, DARLEY],
        member_level="ward",
    )
    with pytest.raises(ValidationError) as caught:
        area_define(
            actor="test",
            level="csp",
            code="derby-south",
            name="Derby South",
            member_codes=[DARLEY, ARBORETUM],
            member_level="ward",
        )
    assert caught.value.message_dict == {
        "members": [
            f"Each place belongs to one CSP area at a time: ward {DARLEY} is in Derby North "
            "(derby-north). Change or remove that CSP area first."
        ]
    }
    # Wards of another level's CSP area are fine (a ward beats a local authority), and
    # neighbourhoods may overlap each other and any CSP area.
    hood(member_codes=[DARLEY])
    hood(code="darley-too", name="Darley too", member_codes=[DARLEY])
    # A CSP area defined of two local authorities takes them from the ONS lookup's CSPs.
    merged = area_define(
        actor="test",
        level="csp",
        code="south-derbyshire-and-derby",
        name="Derby and South Derbyshire",
        member_codes=[DERBY, "E07000039"],
        member_level="lad",
    ).area
    assert selectors.csp_for_places()[0][DERBY] == "south-derbyshire-and-derby"
    both = Lsoa.objects.filter(lad_code__in=[DERBY, "E07000039"]).count()
    assert selectors.areas_in(merged, "lsoa").count() == both > 152


def test_define_change_and_remove_are_audited_with_population_and_boundary(
    geography: dict[str, int],
) -> None:
    result = hood()
    area = result.area
    assert (result.created, result.changed, result.jobs) == (True, True, [])
    assert area.parent is not None and area.parent.code == DERBY  # both wards are in Derby
    assert area.geometry and area.centroid_x and area.bbox_min_x
    lsoas = set(
        Lsoa.objects.filter(ward_code__in=[ABBEY, ARBORETUM]).values_list("code", flat=True)
    )
    assert selectors.area_lsoa_codes(area) == lsoas
    pop = selectors.population(["derby-centre"], "neighbourhood").iloc[0]
    members_pop = Population.objects.filter(
        area__level="lsoa", area__code__in=lsoas, year=pop["year"], source=pop["source"]
    )
    assert pop["persons"] == sum(members_pop.values_list("persons", flat=True))
    assert pop["method"] == f"sum of {len(lsoas)} LSOAs (2021, best fit)"
    event = AuditEvent.objects.filter(action="geography.area_define").latest("sequence")
    assert event.object_id == str(area.pk) and event.old_values == {}
    assert event.new_values == {
        "name": "Derby centre",
        "member_level": "ward",
        "members": sorted([ABBEY, ARBORETUM]),
    }

    again = hood(name="Derby city centre", member_codes=[ABBEY, ARBORETUM, DARLEY])
    assert (again.created, again.changed, again.area.pk) == (False, True, area.pk)
    event = AuditEvent.objects.filter(action="geography.area_define").latest("sequence")
    assert event.old_values["members"] == sorted([ABBEY, ARBORETUM])
    assert event.new_values["name"] == "Derby city centre"
    assert hood(name="Derby city centre", member_codes=[DARLEY, ARBORETUM, ABBEY]).changed is False

    removed = area_archive(actor="test", level="neighbourhood", code="derby-centre")
    assert removed.area.archived_at is not None
    assert not selectors.defined_areas(level="neighbourhood").filter(code="derby-centre").exists()
    event = AuditEvent.objects.filter(action="geography.area_archive").latest("sequence")
    assert event.old_values["name"] == "Derby city centre"
    # Defined again: the same record comes back.
    back = hood()
    assert back.created and back.area.pk == area.pk and back.area.archived_at is None


def test_a_csp_area_change_queues_the_replacement_job(
    geography: dict[str, int], make_user: Any
) -> None:
    user = make_user("analyst")
    result = area_define(
        actor=user,
        level="csp",
        code="derby-north",
        name="Derby North",
        member_codes=[ABBEY],
        member_level="ward",
    )
    job = result.job
    assert job is not None and job.kind == "incidents.csp_replace"
    assert job.status == Job.Status.QUEUED  # it runs once the transaction commits
    assert job.params == {"area_code": "derby-north", "actor": ""}
    assert job.created_by == user and "Derby North" in job.title


def test_importing_the_geography_again_keeps_defined_areas(
    geography: dict[str, int], data_dir: Any
) -> None:
    derby_wards = sorted(
        set(Lsoa.objects.filter(lad_code=DERBY).values_list("ward_code", flat=True))
    )
    rest = [w for w in derby_wards if w not in {ABBEY, DARLEY}]
    area_define(
        actor="test",
        level="csp",
        code="derby-most",
        name="Derby (most of it)",
        member_codes=rest,
        member_level="ward",
    )
    hood()
    geography_import(actor="test", data_dir=data_dir)
    derby = Area.objects.get(level="csp", code="derby-most")
    assert derby.name == "Derby (most of it)" and derby.archived_at is None
    assert sorted(derby.members.values_list("code", flat=True)) == rest
    assert not selectors.population(["derby-centre"], "neighbourhood").empty
    pops = selectors.population(None, "csp")
    derby_pop = pops[pops["area_code"] == "derby-most"].iloc[0]
    lsoas = Lsoa.objects.filter(ward_code__in=rest).count()
    assert derby_pop["method"] == f"sum of {lsoas} LSOAs (2021, best fit)"
    assert len(pops) == CSPS + 1


# The page -------------------------------------------------------------------------------


def test_pages_define_change_and_remove(geography: dict[str, int], client_as: Any) -> None:
    client = client_as("analyst")
    listing = client.get("/areas/defined/")
    text = listing.content.decode()
    assert listing.status_code == 200 and "Amber Valley" in text and f"{CSPS} CSP areas" in text
    assert (
        client.get("/areas/defined/?format=csv")
        .content.decode()
        .startswith("level,code,name,made of,members,population,member codes")
    )

    # With no police.uk records held, every local authority is listed but no ward or
    # LSOA until a police force area is chosen; then that force area's, all of them.
    form = client.get("/areas/defined/new/").content.decode()
    assert form.count('name="wards"') == 0 and form.count('name="lsoas"') == 0
    assert form.count('name="lads"') == 318 and 'id="id_wards"' in form
    assert "None listed: choose a police force area above to list its wards." in form
    force = Area.objects.get(level="force", name="Derbyshire").code
    form = client.get(f"/areas/defined/new/?force={force}").content.decode()
    in_force = Lsoa.objects.filter(force_code=force)
    assert form.count('name="wards"') == in_force.values("ward_code").distinct().count()
    assert form.count('name="lsoas"') == in_force.count()
    assert form.count('name="lads"') == 318
    assert "Derby: 18 wards" in form and 'id="id_wards"' in form
    assert "Listed now: Derbyshire." in form

    # Errors: on the page, in the summary, linked to the field that is wrong.
    refused = client.post(
        "/areas/defined/new/",
        {"level": "neighbourhood", "code": ABBEY, "name": ""},
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    assert page.count("There is a problem") == 1
    assert 'href="#id_code"' in page and "already used by the ward Abbey" in page
    assert 'href="#id_name"' in page and "Enter a name." in page
    assert 'href="#id_wards"' in page and "Tick the wards or LSOAs it is made of." in page
    assert "<title>Error: " in page
    unknown = client.post(
        "/areas/defined/new/",
        {
            "level": "csp",
            "code": "x",
            "name": "X",
            "lsoas": ["E01099999"],
        },
    ).content.decode()
    assert 'href="#id_lsoas"' in unknown and "No LSOA held with code E01099999" in unknown

    given = {
        "level": "neighbourhood",
        "code": "derby-centre",
        "name": "Derby centre",
        "wards": [ABBEY, ARBORETUM],
    }
    mixed = client.post("/areas/defined/new/", {**given, "lsoas": ["E01013453"]})
    assert mixed.status_code == 400
    assert 'href="#id_lsoas"' in mixed.content.decode()
    assert "one kind only: you ticked wards and LSOAs." in mixed.content.decode()
    lads = client.post("/areas/defined/new/", {**given, "wards": [], "lads": [DERBY]})
    assert 'href="#id_lads"' in lads.content.decode()
    assert "A neighbourhood is made of wards or LSOAs." in lads.content.decode()
    saved = client.post("/areas/defined/new/", given, follow=True)
    text = saved.content.decode()
    assert saved.redirect_chain[-1][0] == "/areas/defined/"
    assert "Neighbourhood Derby centre (derby-centre) saved." in text
    area = Area.objects.get(level="neighbourhood", code="derby-centre")
    assert sorted(area.members.values_list("code", flat=True)) == [ABBEY, ARBORETUM]

    change = client.get("/areas/defined/neighbourhood/derby-centre/change/").content.decode()
    assert f'value="{ABBEY}" checked' in change and 'name="code"' not in change
    client.post(
        "/areas/defined/neighbourhood/derby-centre/change/",
        {"name": "Derby city centre", "wards": [DARLEY]},
    )
    area.refresh_from_db()
    assert area.name == "Derby city centre"
    assert list(area.members.values_list("code", flat=True)) == [DARLEY]

    csp = client.post(
        "/areas/defined/new/",
        {
            "level": "csp",
            "code": "derby-north",
            "name": "Derby North",
            "wards": [ABBEY],
        },
        follow=True,
    ).content.decode()
    job = Job.objects.get(kind="incidents.csp_replace", params__area_code="derby-north")
    assert "CSP area Derby North (derby-north) saved." in csp
    assert f'href="/jobs/{job.pk}/">follow the progress</a>' in csp

    area_page = client.get("/areas/csp/derby-north/").content.decode()
    assert "1 ward" in area_page and "Change Derby North" in area_page
    assert client.get("/areas/csp/derby-north/?table=members&format=csv").content.decode() == (
        f"level,code,name\r\nElectoral ward,{ABBEY},Abbey\r\n"
    )

    confirm = client.get("/areas/defined/csp/derby-north/remove/").content.decode()
    assert "Remove Derby North?" in confirm
    removed = client.post("/areas/defined/csp/derby-north/remove/", follow=True)
    assert "CSP area Derby North (derby-north) removed." in removed.content.decode()
    assert client.get("/areas/csp/derby-north/").status_code == 404
    assert client.get("/areas/defined/csp/derby-north/change/").status_code == 404


def test_viewers_see_areas_but_cannot_define_them(
    geography: dict[str, int], client_as: Any
) -> None:
    client = client_as("viewer")
    assert "Define and change" not in client.get("/areas/").content.decode()
    assert client.get("/areas/defined/new/").status_code == 403
    refused = client.post(
        "/areas/defined/new/",
        {
            "level": "neighbourhood",
            "code": "x",
            "name": "X",
            "member_level": "ward",
            "wards": [ABBEY],
        },
    )
    assert refused.status_code == 403
    assert not Area.objects.filter(code="x").exists()


# The API --------------------------------------------------------------------------------


def test_api_lists_defines_and_removes(geography: dict[str, int], client_as: Any) -> None:
    client = client_as("analyst")
    listed = client.get("/api/areas/defined/?level=csp").json()
    assert len(listed) == CSPS
    derby = next(a for a in listed if a["code"] == DERBY_CSP)
    assert derby["member_level"] == "lad" and derby["members"] == [DERBY]
    assert derby["population"] > 200_000

    body = {
        "level": "csp",
        "code": "derby-north",
        "name": "Derby North",
        "member_level": "ward",
        "members": [ABBEY, DARLEY],
    }
    created = client.post("/api/areas/defined/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["members"] == [ABBEY, DARLEY] and data["created"] is True
    job = Job.objects.get(pk=data["job_id"])
    assert job.kind == "incidents.csp_replace"
    assert data["job_url"] == f"/api/jobs/{job.pk}/"
    again = client.post("/api/areas/defined/", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["changed"] is False

    refused = client.post(
        "/api/areas/defined/",
        {**body, "code": "derby-south", "name": "Derby South", "members": [DARLEY, "E05999999"]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"members": ["No ward held with code E05999999."]}
    clash = client.post(
        "/api/areas/defined/",
        {**body, "code": "derby-south", "name": "Derby South", "members": [DARLEY]},
        content_type="application/json",
    )
    assert clash.status_code == 400 and "Derby North (derby-north)" in clash.json()["members"][0]

    removed = client.post("/api/areas/defined/csp/derby-north/remove/")
    assert removed.status_code == 200 and removed.json()["archived"] is True
    assert removed.json()["job_id"]
    assert client.post("/api/areas/defined/csp/derby-north/remove/").status_code == 404

    viewer = client_as("viewer")
    assert viewer.get("/api/areas/defined/").status_code == 200
    assert (
        viewer.post("/api/areas/defined/", body, content_type="application/json").status_code == 403
    )


# The command ----------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("areas", *args, stdout=out)
    return out.getvalue()


def test_command_defines_lists_and_removes(geography: dict[str, int]) -> None:
    lsoas = list(
        Lsoa.objects.filter(ward_code=ABBEY).order_by("code").values_list("code", flat=True)
    )
    out = run(
        "define",
        "--level",
        "neighbourhood",
        "--code",
        "abbey-hood",
        "--name",
        "Abbey neighbourhood",
        "--lsoas",
        ",".join(lsoas),
    )
    assert f"Neighbourhood abbey-hood (Abbey neighbourhood) defined: {len(lsoas)} LSOAs." in out
    out = run(
        "define", "--level", "csp", "--code", "derby-north", "--name", "Derby North",
        "--wards", f"{ABBEY}, {DARLEY}",
    )  # fmt: skip
    assert "CSP area derby-north (Derby North) defined: 2 wards." in out
    assert "Place incidents in CSP areas: Derby North (derby-north) defined" in out
    listed = run("list")
    assert f"derby-north    Derby North (2 wards): {ABBEY} {DARLEY}" in listed
    assert "abbey-hood" in listed and "Amber Valley" in listed
    assert "Amber Valley" not in run("list", "--level", "neighbourhood")

    with pytest.raises(CommandError) as caught:
        run(
            "define",
            "--level",
            "neighbourhood",
            "--code",
            ABBEY,
            "--name",
            "X",
            "--wards",
            "E05999999",
        )
    message = str(caught.value)
    assert message.startswith("Nothing changed: --code: The code E05015507 is already used")
    assert "members: No ward held with code E05999999." in message

    assert "Neighbourhood abbey-hood (Abbey neighbourhood) removed." in run(
        "remove", "--level", "neighbourhood", "--code", "abbey-hood"
    )
    with pytest.raises(CommandError, match="No neighbourhood with code abbey-hood is held"):
        run("remove", "--level", "neighbourhood", "--code", "abbey-hood")


def test_the_saferhub_command_knows_areas(geography: dict[str, int], capsys: Any) -> None:
    from saferhub.cli import main

    main(["saferhub", "areas", "list", "--level", "csp"])
    assert "Amber Valley" in capsys.readouterr().out
