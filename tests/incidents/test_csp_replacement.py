"""CSP areas defined after the import get their incidents: the real 24 Derbyshire months.

A CSP area made of Derby wards is defined after the import; the background job places
every incident in its CSP area again (in SQL) and rebuilds the CSP monthly counts. The
counts are checked against an independent count from the incidents' own ward codes.
Neighbourhoods have no stored counts: theirs are the sums of their members'.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.db.models import Count

from saferhub.accounts.models import AuditEvent
from saferhub.core.models import Job
from saferhub.geography.selectors import csp_for_places
from saferhub.geography.services import area_archive, area_define
from saferhub.incidents import selectors
from saferhub.incidents.models import Incident, MonthlyCount

pytestmark = pytest.mark.django_db

# Derby's CSP (ONS lookup) and its local authority; the force area's nine CSPs.
DERBY = "E22000040"
DERBY_LAD = "E06000015"
FORCE_CSPS = [f"E220000{n}" for n in range(37, 46)]
# Abbey, Arboretum, Darley and Normanton: four of Derby's 18 wards.
WARDS = ["E05015507", "E05015511", "E05015517", "E05015521"]
# Changed: Arboretum out, Mackworth & New Zealand in.
ARBORETUM = "E05015511"
WARDS_CHANGED = ["E05015507", "E05015517", "E05015519", "E05015521"]
START, END = dt.date(2000, 1, 1), dt.date(2100, 1, 1)

Counts = dict[tuple[str, int, dt.date], int]


def csp_counts() -> Counts:
    """The stored monthly aggregate at CSP level: (CSP code, category, month) -> count."""
    return {
        (code, cat, month): n
        for code, cat, month, n in MonthlyCount.objects.filter(level="csp").values_list(
            "area_code", "category_id", "month", "count"
        )
    }


def counted_from_wards(wards: list[str]) -> Counter[tuple[int, dt.date]]:
    """An independent count: incidents whose own ward is one of ``wards``, by category and
    month (straight from the incident rows, not the aggregate nor the CSP code)."""
    rows = (
        Incident.objects.filter(ward_code__in=wards)
        .values("category_id", "month")
        .annotate(n=Count("id"))
    )
    return Counter({(r["category_id"], r["month"]): r["n"] for r in rows})


def of(counts: Counts, code: str) -> Counter[tuple[int, dt.date]]:
    return Counter({(cat, m): n for (c, cat, m), n in counts.items() if c == code})


def define(user: Any, capture: Any, wards: list[str], **kw: Any) -> Job:
    with capture(execute=True):
        result = area_define(
            actor=user,
            level=kw.get("level", "csp"),
            code=kw.get("code", "derby-north"),
            name=kw.get("name", "Derby North"),
            member_codes=wards,
            member_level=kw.get("member_level", "ward"),
        )
    assert result.job is not None
    job = Job.objects.get(pk=result.job.pk)
    assert job.status == Job.Status.SUCCEEDED, job.error
    return job


def test_a_csp_of_derby_wards_gets_its_incidents_and_counts(
    derbyshire: dict[str, Any], make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user("analyst")
    before = csp_counts()
    derby_before = of(before, DERBY)
    assert sum(derby_before.values()) == Incident.objects.filter(lad_code=DERBY_LAD).count()

    job = define(user, django_capture_on_commit_callbacks, WARDS)

    expected = counted_from_wards(WARDS)
    total = sum(expected.values())
    assert total > 10_000  # four busy city wards over 24 months
    assert Incident.objects.filter(csp_code="derby-north").count() == total
    assert set(
        Incident.objects.filter(csp_code="derby-north").values_list("ward_code", flat=True)
    ) == set(WARDS)
    after = csp_counts()
    assert of(after, "derby-north") == expected
    # Derby's CSP area lost exactly those incidents; the other eight are unchanged.
    assert of(after, DERBY) == derby_before - expected
    for code in FORCE_CSPS:
        if code != DERBY:
            assert of(after, code) == of(before, code), code
    assert len(of(after, "derby-north")) == len(expected)
    # The job's result and the audit log say what moved.
    assert job.result["moved"] == total
    assert job.result["moves"] == [{"from": DERBY, "to": "derby-north", "incidents": total}]
    assert job.result["months"] == 24
    assert job.created_by == user
    event = AuditEvent.objects.filter(action="incidents.csp_replace").latest("sequence")
    assert event.new_values["moved"] == total
    assert event.new_values["moves"] == {f"{DERBY} -> derby-north": total}
    assert event.actor_username == user.username
    # The reads: monthly_counts at CSP level and the incidents of the CSP area.
    frame = selectors.monthly_counts(
        area_codes=["derby-north"], level="csp", themes=["asb"], start=START, end=END
    )
    asb = Incident.objects.filter(ward_code__in=WARDS, category__name="Anti-social behaviour")
    assert int(frame["count"].sum()) == asb.count()
    rows = selectors.incidents_frame(area_code="derby-north", start=START, end=END, level="csp")
    assert len(rows) == total and set(rows["csp"]) == {"derby-north"}

    # Changed: one ward out, another in. The counts follow; Derby's take the rest.
    define(user, django_capture_on_commit_callbacks, WARDS_CHANGED)
    changed = csp_counts()
    assert of(changed, "derby-north") == counted_from_wards(WARDS_CHANGED)
    assert of(changed, DERBY) == derby_before - counted_from_wards(WARDS_CHANGED)
    for code in FORCE_CSPS:
        if code != DERBY:
            assert of(changed, code) == of(before, code), code
    arboretum = Incident.objects.filter(ward_code=ARBORETUM)
    assert set(arboretum.values_list("csp_code", flat=True)) == {DERBY}

    # Removed: every incident is back in Derby's CSP area, the counts as at the import.
    with django_capture_on_commit_callbacks(execute=True):
        removed = area_archive(actor=user, level="csp", code="derby-north")
    assert removed.job is not None
    assert Job.objects.get(pk=removed.job.pk).status == Job.Status.SUCCEEDED
    assert csp_counts() == before
    assert not Incident.objects.filter(csp_code="derby-north").exists()


def test_lsoa_beats_ward_beats_local_authority_as_at_import(
    derbyshire: dict[str, Any], make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Every incident's CSP area after the re-placement is the one the import's rule gives
    for its LSOA, ward and local authority."""
    from saferhub.geography.models import Lsoa

    user = make_user("analyst")
    define(user, django_capture_on_commit_callbacks, WARDS)
    # Two LSOAs: one inside Abbey (a ward of derby-north), one in Mickleover (in none).
    inside = Lsoa.objects.filter(ward_code="E05015507").order_by("code")[0].code
    outside = Lsoa.objects.filter(ward_code="E05015520").order_by("code")[0].code
    define(
        user,
        django_capture_on_commit_callbacks,
        [inside, outside],
        code="derby-hotspots",
        name="Derby hotspots",
        member_level="lsoa",
    )
    by_lad, by_ward, by_lsoa = csp_for_places()
    assert by_lsoa == {inside: "derby-hotspots", outside: "derby-hotspots"}
    stored: dict[tuple[str, str, str], set[str]] = {}
    for lsoa, ward, lad, csp in (
        Incident.objects.values_list("lsoa_code", "ward_code", "lad_code", "csp_code")
        .distinct()
        .iterator()
    ):
        stored.setdefault((lsoa, ward, lad), set()).add(csp)
    for (lsoa, ward, lad), csps in stored.items():
        rule = by_lsoa.get(lsoa) or by_ward.get(ward) or by_lad.get(lad, "")
        assert csps == {rule}, (lsoa, ward, lad, csps)
    assert Incident.objects.filter(lsoa_code=inside).exclude(csp_code="derby-hotspots").count() == 0
    hotspots = Incident.objects.filter(lsoa_code__in=[inside, outside])
    assert of(csp_counts(), "derby-hotspots") == Counter(
        {
            (r["category_id"], r["month"]): r["n"]
            for r in hotspots.values("category_id", "month").annotate(n=Count("id"))
        }
    )
    in_wards = Incident.objects.filter(ward_code__in=WARDS).exclude(lsoa_code=inside).count()
    assert Incident.objects.filter(csp_code="derby-north").count() == in_wards
    # Incidents with no place have no CSP area, as at import.
    assert set(Incident.objects.filter(lad_code="").values_list("csp_code", flat=True)) <= {""}


def test_a_neighbourhood_of_three_lsoas_is_the_sum_of_them(
    derbyshire: dict[str, Any], make_user: Any, client_as: Any
) -> None:
    from saferhub.geography.models import Lsoa

    lsoas = list(
        Lsoa.objects.filter(lad_code=DERBY_LAD).order_by("code").values_list("code", flat=True)[:3]
    )
    result = area_define(
        actor=make_user("manager", username="hood-maker"),
        level="neighbourhood",
        code="derby-013",
        name="Derby 013",
        member_codes=lsoas,
        member_level="lsoa",
    )
    assert result.jobs == []  # a neighbourhood places nothing: its figures are read as sums
    hood = selectors.monthly_counts(
        area_codes=["derby-013"], level="neighbourhood", themes=None, start=START, end=END
    )
    parts = selectors.monthly_counts(
        area_codes=lsoas, level="lsoa", themes=None, start=START, end=END
    )
    assert set(hood["area_code"]) == {"derby-013"}
    keys = ["theme", "category", "month"]
    summed = parts.groupby(keys)["count"].sum()
    assert hood.set_index(keys)["count"].sort_index().equals(summed.sort_index())
    assert int(hood[hood["theme"] == "all-crime"]["count"].sum()) > 100
    # Every neighbourhood at once, and one theme.
    everyone = selectors.monthly_counts(
        area_codes=None, level="neighbourhood", themes=["asb"], start=START, end=END
    )
    assert int(everyone["count"].sum()) == int(summed.loc["asb"].sum())

    # The incidents of the neighbourhood are those of its three LSOAs, each once.
    rows = selectors.incidents_frame(
        area_code="derby-013", start=START, end=END, level="neighbourhood"
    )
    assert len(rows) == Incident.objects.filter(lsoa_code__in=lsoas).count()
    assert set(rows["lsoa"]) == set(lsoas)
    guessed = selectors.incidents_frame(area_code="derby-013", start=START, end=END)
    assert len(guessed) == len(rows)

    # The area page shows its members and its monthly counts; the API counts it too.
    client = client_as("viewer")
    page = client.get("/areas/neighbourhood/derby-013/").content.decode()
    assert "3 LSOAs" in page and lsoas[0] in page and "Incidents per month" in page
    asb_total = int(summed.loc["asb"].sum())
    csv_text = client.get("/areas/neighbourhood/derby-013/?table=months&format=csv").content
    lines = csv_text.decode().splitlines()
    assert lines[0].startswith("month,All crime") and len(lines) == 25
    column = lines[0].split(",").index("Anti-social behaviour")
    cells = [line.split(",")[column] for line in lines[1:]]
    # 2024-11 has no ASB in police.uk's file: a gap (not a zero), so it adds nothing.
    assert [line.split(",")[0] for line in lines[1:] if line.split(",")[column] == "gap"] == [
        "2024-11"
    ]
    assert sum(int(c) for c in cells if c != "gap") == asb_total
    api = client.get("/api/data/monthly-counts/?level=neighbourhood&area=derby-013&theme=asb")
    assert api.status_code == 200
    # The API lists the same gap as a row of its own (count null), never as a zero.
    assert sum(r["count"] for r in api.json() if not r["gap"]) == asb_total
    assert [r["month"][:7] for r in api.json() if r["gap"]] == ["2024-11"]
    assert all(r["count"] is None for r in api.json() if r["gap"])


def test_area_page_of_a_csp_shows_its_monthly_counts(
    derbyshire: dict[str, Any], client_as: Any
) -> None:
    client = client_as("viewer")
    page = client.get(f"/areas/csp/{DERBY}/").content.decode()
    assert "Incidents per month" in page and "Anti-social behaviour" in page
    text = client.get(f"/areas/csp/{DERBY}/?table=months&format=csv").content.decode()
    header, *rows = text.splitlines()
    column = header.split(",").index("All crime")
    all_crime = Incident.objects.filter(csp_code=DERBY).exclude(
        category__name="Anti-social behaviour"
    )
    assert sum(int(r.split(",")[column]) for r in rows) == all_crime.count()


def test_area_page_marks_the_asb_gap_as_the_assessment_does(
    derbyshire: dict[str, Any], client_as: Any
) -> None:
    """police.uk's 2024-11 has no ASB: the area page says "gap", never 0 (one gap rule)."""
    text = client_as("viewer").get(f"/areas/csp/{DERBY}/?table=months&format=csv")
    header, *rows = text.content.decode().splitlines()
    column = header.split(",").index("Anti-social behaviour")
    cells = {r.split(",")[0]: r.split(",")[column] for r in rows}
    assert cells["2024-11"] == "gap"
    assert [m for m, v in cells.items() if v == "gap"] == ["2024-11"]
    assert int(cells["2024-10"]) > 100
