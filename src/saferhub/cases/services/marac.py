"""DASH checklists, MARAC referrals, the checklist results and the quarterly MARAC return.

The rules are in :mod:`saferhub.cases.dash` (pure Python); this module reads the settings,
validates, saves and audits. Every write is keyword-only, atomic and audited; details name
fields, never their contents.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.accounts.models import Agency, User
from saferhub.cases import dash
from saferhub.cases.audit_actions import MaracCaseAction
from saferhub.cases.models import DashChecklist, MaracCase, MaracReferral
from saferhub.cases.services.cases import case_open
from saferhub.cases.threshold import add_months
from saferhub.core.periods import PeriodError, parse_quarter


def dash_bands() -> dash.Bands:
    """The bands and escalation threshold of the settings (``SAFERHUB_DASH_BANDS``,
    ``SAFERHUB_MARAC_ESCALATION_INCIDENTS``)."""
    try:
        return dash.Bands.parse(
            settings.SAFERHUB_DASH_BANDS,
            escalation_incidents=settings.SAFERHUB_MARAC_ESCALATION_INCIDENTS,
        )
    except dash.DashError as exc:
        raise ImproperlyConfigured(str(exc)) from exc


def checklist_result(checklist: DashChecklist, bands: dash.Bands | None = None) -> dash.Result:
    return dash.assess(
        checklist.answers,
        police_incidents_12m=checklist.police_incidents_12m,
        professional_judgement=checklist.professional_judgement,
        bands=bands or dash_bands(),
    )


# --------------------------------------------------------------------------- writes


@transaction.atomic
def dash_checklist_record(
    *,
    actor: Actor,
    checklist_ref: str,
    victim_ref: str,
    perpetrator_ref: str,
    completed_date: dt.date | None,
    answers: dict[str, str],
    today: dt.date,
    comments: dict[str, str] | None = None,
    police_incidents_12m: int | None = None,
    professional_judgement: bool = False,
    judgement_reason: str = "",
    agency: Agency | None = None,
) -> DashChecklist:
    """Record a completed checklist; refused (naming the question or field) when any
    answer is missing, the date is in the future, or a professional judgement has no
    written reason."""
    errors: dict[str, str] = {}
    for key in dash.QUESTIONS:
        value = (answers.get(key) or "").strip().lower()
        if value not in dash.ANSWERS:
            errors[key] = f"Question {key[1:]} ({dash.HEADING[key]}): answer yes, no or not known."
    for name, value in (
        ("checklist_ref", checklist_ref),
        ("victim_ref", victim_ref),
        ("perpetrator_ref", perpetrator_ref),
    ):
        if not value.strip():
            errors[name] = "Enter the reference."
    if completed_date is None:
        errors["completed_date"] = "Enter the date the checklist was completed."
    elif completed_date > today:
        errors["completed_date"] = "The checklist cannot be completed in the future."
    if police_incidents_12m is not None and police_incidents_12m < 0:
        errors["police_incidents_12m"] = "Enter 0 or more (leave it empty if not known)."
    if professional_judgement and not judgement_reason.strip():
        errors["judgement_reason"] = "Write why, in your professional judgement, this is high risk."
    if DashChecklist.objects.filter(checklist_ref=checklist_ref.strip()).exists():
        errors["checklist_ref"] = f"There is already a checklist “{checklist_ref.strip()}”."
    if errors:
        raise ValidationError(errors)
    assert completed_date is not None
    clean = {k: answers[k].strip().lower() for k in dash.QUESTIONS}
    kept = {k: v.strip() for k, v in (comments or {}).items() if k in clean and v.strip()}
    checklist = DashChecklist.objects.create(
        checklist_ref=checklist_ref.strip(),
        victim_ref=victim_ref.strip(),
        perpetrator_ref=perpetrator_ref.strip(),
        completed_date=completed_date,
        agency=agency,
        answers=clean,
        comments=json.dumps(kept) if kept else "",
        score=dash.score(clean),
        police_incidents_12m=police_incidents_12m,
        professional_judgement=professional_judgement,
        judgement_reason=judgement_reason.strip() if professional_judgement else "",
    )
    audit_record(
        actor=actor,
        action=MaracCaseAction.DASH_RECORD,
        obj=checklist,
        new={"fields": ["answers", "comments", "judgement_reason"], "score": checklist.score},
    )
    return checklist


def checklist_comments(checklist: DashChecklist) -> dict[str, str]:
    return json.loads(checklist.comments) if checklist.comments else {}


@dataclass(frozen=True)
class Household:
    """What the referral records of the household and the victim, where known."""

    children_in_household: int | None = None
    victim_gender: str = ""
    victim_aged_16_17: bool | None = None
    victim_minority_ethnic: bool | None = None
    victim_disabled: bool | None = None
    victim_lgbt: bool | None = None


def next_referral_ref(day: dt.date) -> str:
    prefix = f"MR-{day.year}-"
    last = (
        MaracReferral.objects.filter(referral_ref__startswith=prefix)
        .order_by("-referral_ref")
        .first()
    )
    tail = last.referral_ref.rsplit("-", 1)[1] if last else "0"
    return f"{prefix}{(int(tail) if tail.isdigit() else 0) + 1:05d}"


@transaction.atomic
def marac_refer(
    *,
    actor: Actor,
    checklist: DashChecklist,
    referral_date: dt.date,
    referring_agency: Agency,
    today: dt.date,
    reason: str = "",
    household: Household | None = None,
    officer: User | None = None,
    referral_ref: str = "",
) -> MaracReferral:
    """Refer the checklist's victim to the MARAC, reusing its answers, and open the MARAC
    case (led by the referring agency). Refused with no written reason when the checklist
    indicates no referral, and for a date in the future or before the checklist."""
    result = checklist_result(checklist)
    errors: dict[str, str] = {}
    if referral_date > today:
        errors["referral_date"] = "The referral date cannot be in the future."
    elif referral_date < checklist.completed_date:
        errors["referral_date"] = "The referral cannot be dated before its checklist."
    if not result.marac_referral and not reason.strip():
        errors["reason"] = (
            f"The checklist scores {result.score} ({result.risk_level} risk), with no "
            "escalation or professional judgement: write why you are referring."
        )
    if errors:
        raise ValidationError(errors)
    case = case_open(
        actor=actor,
        case_type="marac",
        lead_agency=referring_agency,
        opened_on=referral_date,
        officer=officer,
    )
    MaracCase.objects.create(
        case=case, victim_ref=checklist.victim_ref, perpetrator_ref=checklist.perpetrator_ref
    )
    household = household or Household()
    referral = MaracReferral.objects.create(
        referral_ref=referral_ref or next_referral_ref(referral_date),
        victim_ref=checklist.victim_ref,
        perpetrator_ref=checklist.perpetrator_ref,
        referral_date=referral_date,
        checklist=checklist,
        referring_agency=referring_agency,
        reason=reason.strip(),
        case=case,
        children_in_household=household.children_in_household,
        victim_gender=household.victim_gender,
        victim_aged_16_17=household.victim_aged_16_17,
        victim_minority_ethnic=household.victim_minority_ethnic,
        victim_disabled=household.victim_disabled,
        victim_lgbt=household.victim_lgbt,
    )
    if checklist.case_id is None:
        checklist.case = case
        checklist.save(update_fields=["case"])
    audit_record(
        actor=actor,
        action=MaracCaseAction.REFERRAL,
        obj=referral,
        new={"case": case.reference, "fields": ["reason"] if reason.strip() else []},
    )
    return referral


# --------------------------------------------------------------------------- reads


@dataclass(frozen=True)
class ChecklistResult:
    checklist_ref: str
    result: dash.Result


def dash_results(queryset: QuerySet[DashChecklist] | None = None) -> Iterator[ChecklistResult]:
    """Every checklist's score, band and referral reason, by checklist reference."""
    bands = dash_bands()
    rows = (queryset if queryset is not None else DashChecklist.objects.all()).order_by(
        "checklist_ref"
    )
    for ref, answers, incidents, judgement in rows.values_list(
        "checklist_ref", "answers", "police_incidents_12m", "professional_judgement"
    ).iterator(chunk_size=5000):
        yield ChecklistResult(
            ref,
            dash.assess(
                answers,
                police_incidents_12m=incidents,
                professional_judgement=judgement,
                bands=bands,
            ),
        )


def repeat_referral_ids(referrals: list[dict[str, Any]]) -> set[int]:
    """The ids of the referrals (dicts of id, victim_ref, perpetrator_ref, referral_date,
    referral_ref) that repeat an earlier one of the same victim and perpetrator."""
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in referrals:
        by_pair.setdefault((r["victim_ref"], r["perpetrator_ref"]), []).append(r)
    repeats = set()
    for group in by_pair.values():
        group.sort(key=lambda r: (r["referral_date"], r["referral_ref"]))
        for i, r in enumerate(group):
            if dash.is_repeat(r["referral_date"], (p["referral_date"] for p in group[:i])):
                repeats.add(r["id"])
    return repeats


def repeats_among(referrals: QuerySet[MaracReferral]) -> set[int]:
    """The ids of ``referrals`` that are repeats (looking back 12 months before the earliest)."""
    rows = list(referrals.values("id", "victim_ref", "perpetrator_ref", "referral_date"))
    if not rows:
        return set()
    first = min(r["referral_date"] for r in rows)
    last = max(r["referral_date"] for r in rows)
    pairs = {(r["victim_ref"], r["perpetrator_ref"]) for r in rows}
    victims = {v for v, _ in pairs}
    history: list[dict[str, Any]] = [
        dict(r)
        for r in MaracReferral.objects.filter(
            victim_ref__in=victims,
            referral_date__gte=add_months(first, -12),
            referral_date__lte=last,
        ).values("id", "victim_ref", "perpetrator_ref", "referral_date", "referral_ref")
        if (r["victim_ref"], r["perpetrator_ref"]) in pairs
    ]
    wanted = {r["id"] for r in rows}
    return repeat_referral_ids(history) & wanted


MISSING = "missing"
RETURN_MEASURES: dict[str, str] = {
    "cases_discussed": "Cases discussed (referrals dated in the quarter)",
    "repeat_cases": "Repeat cases (same victim and perpetrator referred in the 12 months before)",
    "repeat_percent": "Repeat cases as a percentage of cases discussed",
    "referrals_from_police": "Referrals from the police",
    "referrals_from_other_agencies": "Referrals from agencies other than the police",
    "referring_agency_not_recorded": "Referrals whose referring agency is not recorded",
    "non_police_percent": "Referrals from other agencies, percentage of those recorded",
    "children_in_households": "Children in the households (where recorded)",
    "children_not_recorded": "Cases with the number of children not recorded",
    "victims_female": "Victims recorded as female",
    "victims_male": "Victims recorded as male",
    "victims_other_gender": "Victims recorded as another gender",
    "victim_gender_not_recorded": "Victims with gender not recorded",
    "victims_aged_16_17": "Victims aged 16 or 17",
    "victims_aged_16_17_not_recorded": "Victims with age not recorded",
    "victims_minority_ethnic": "Victims from a minority ethnic group",
    "victims_minority_ethnic_not_recorded": "Victims with ethnicity not recorded",
    "victims_disabled": "Victims with a disability",
    "victims_disabled_not_recorded": "Victims with disability not recorded",
    "victims_lgbt": "Victims who are lesbian, gay, bisexual or trans",
    "victims_lgbt_not_recorded": "Victims with sexual orientation or gender identity not recorded",
    "adult_women_population": "Women aged 16 or over in the area (population held)",
    "population_year": "Year of that population",
    "population_source": "Source of that population",
    "cases_per_10000_adult_women": "Cases discussed per 10,000 women aged 16 or over",
}


@dataclass(frozen=True)
class AdultWomen:
    persons: int
    year: int
    source: str


def adult_women() -> AdultWomen | None:
    """``SAFERHUB_MARAC_ADULT_WOMEN`` ("persons:year:source"), or None when not held."""
    text = (settings.SAFERHUB_MARAC_ADULT_WOMEN or "").strip()
    if not text:
        return None
    persons, _, rest = text.partition(":")
    year, _, source = rest.partition(":")
    if not persons.strip().isdigit() or not year.strip().isdigit() or int(persons) <= 0:
        raise ImproperlyConfigured(
            "SAFERHUB_MARAC_ADULT_WOMEN: write it as persons:year:source, "
            "e.g. 104000:2023:ONS mid-year estimates."
        )
    return AdultWomen(int(persons), int(year), source.strip())


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else MISSING


def marac_return(*, quarter: str) -> dict[str, int | str]:
    """The quarterly MARAC data return: each measure of :data:`RETURN_MEASURES`.

    A case is counted in the quarter of its referral date. Percentages have one decimal
    place; a share of nothing, and the rate when the population is not held, are
    ``missing`` (never 0).
    """
    try:
        first, last = parse_quarter(quarter)
    except PeriodError as exc:
        raise ValidationError({"quarter": str(exc)}) from exc
    start = dt.date.fromisoformat(first + "-01")
    end = add_months(start, 3) - dt.timedelta(days=1)
    referrals = MaracReferral.objects.filter(referral_date__gte=start, referral_date__lte=end)
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in referrals.values(
            "id",
            "referring_agency__kind",
            "children_in_household",
            "victim_gender",
            "victim_aged_16_17",
            "victim_minority_ethnic",
            "victim_disabled",
            "victim_lgbt",
        )
    ]
    cases = len(rows)
    repeats = len(repeats_among(referrals))
    police = sum(1 for r in rows if r["referring_agency__kind"] == "police")
    unknown_agency = sum(1 for r in rows if r["referring_agency__kind"] is None)
    others = cases - police - unknown_agency
    out: dict[str, int | str] = {
        "cases_discussed": cases,
        "repeat_cases": repeats,
        "repeat_percent": _percent(repeats, cases),
        "referrals_from_police": police,
        "referrals_from_other_agencies": others,
        "referring_agency_not_recorded": unknown_agency,
        "non_police_percent": _percent(others, police + others),
        "children_in_households": sum(r["children_in_household"] or 0 for r in rows),
        "children_not_recorded": sum(1 for r in rows if r["children_in_household"] is None),
        "victims_female": sum(1 for r in rows if r["victim_gender"] == "female"),
        "victims_male": sum(1 for r in rows if r["victim_gender"] == "male"),
        "victims_other_gender": sum(1 for r in rows if r["victim_gender"] == "other"),
        "victim_gender_not_recorded": sum(1 for r in rows if not r["victim_gender"]),
    }
    for flag in ("aged_16_17", "minority_ethnic", "disabled", "lgbt"):
        out[f"victims_{flag}"] = sum(1 for r in rows if r[f"victim_{flag}"] is True)
        out[f"victims_{flag}_not_recorded"] = sum(1 for r in rows if r[f"victim_{flag}"] is None)
    women = adult_women()
    out["adult_women_population"] = women.persons if women else MISSING
    out["population_year"] = women.year if women else MISSING
    out["population_source"] = women.source if women else MISSING
    out["cases_per_10000_adult_women"] = (
        f"{10000 * cases / women.persons:.1f}" if women else MISSING
    )
    return {k: out[k] for k in RETURN_MEASURES}
