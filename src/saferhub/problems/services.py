"""Writes for problems: every change goes through one of these functions, audited.

Pages, the API and the ``saferhub problems`` command call these. Each is one
transaction: bad input raises ``ValidationError`` by field and nothing is saved in part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record, changed_values, model_values
from saferhub.accounts.models import Agency, User
from saferhub.actions import services as action_services
from saferhub.actions.models import Action, ActionPlan
from saferhub.core.services import stamp
from saferhub.geography.models import Area, Lsoa
from saferhub.incidents.models import Category, Theme
from saferhub.problems import place as places
from saferhub.problems.audit_actions import ProblemAudit
from saferhub.problems.measure import before_after, held_months
from saferhub.problems.models import (
    CommunityConcern,
    Problem,
    ProblemAssessment,
    RankingCount,
    RankingWindow,
)

PLACE_FIELDS = [
    "place_type",
    "lsoa_codes",
    "place_area",
    "longitude",
    "latitude",
    "radius_m",
    "polygon",
    "location",
]
PROBLEM_FIELDS = [
    "title",
    "kind",
    "area",
    *PLACE_FIELDS,
    "lead_partner",
    "lead_officer",
    "status",
    "review_on",
    "origin",
    "origin_detail",
]
OSARA_FIELDS = [
    "objective",
    "scanning_sources",
    "victim_known",
    "guardian_known",
    "offender_known",
    "handler_known",
    "location_known",
    "manager_known",
    "response_started_on",
    "response_summary",
]


def _place_errors(problem: Problem) -> dict[str, Any]:
    """Errors by field for the place's own fields (what its type needs)."""
    kind = problem.place_type
    if kind == Problem.PlaceType.LSOAS:
        codes = [str(c).strip().upper() for c in problem.lsoa_codes or [] if str(c).strip()]
        problem.lsoa_codes = sorted(set(codes))
        if not codes:
            return {"lsoa_codes": "Give at least one LSOA code."}
        known = set(Lsoa.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = sorted(set(codes) - known)
        if unknown:
            return {"lsoa_codes": f"Unknown LSOA code: {', '.join(unknown[:5])}."}
    elif kind in (Problem.PlaceType.WARD, Problem.PlaceType.NEIGHBOURHOOD):
        if problem.place_area is None or problem.place_area.level != kind:
            return {"place_area": f"Choose the {kind} the problem is in."}
    elif kind == Problem.PlaceType.POINT:
        if problem.longitude is None or problem.latitude is None:
            return {"longitude": "Give the point's longitude and latitude."}
        if not problem.radius_m:
            return {"radius_m": "Give the radius in metres."}
    elif kind == Problem.PlaceType.POLYGON:
        places.polygon_from_geojson(problem.polygon)  # raises by field
    elif kind == Problem.PlaceType.LOCATION:
        if not problem.location.strip():
            return {"location": "Give the street location, as police.uk words it."}
        if len(problem.lsoa_codes or []) != 1:
            return {"lsoa_codes": "A street location needs the one LSOA it lies in."}
    return {}


def _clean_problem(problem: Problem) -> None:
    errors: dict[str, Any] = {}
    try:
        problem.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if "place_type" not in errors and "area" not in errors:
        try:
            place_errors = _place_errors(problem)
        except ValidationError as exc:
            place_errors = exc.update_error_dict({})
        if not place_errors:
            place_errors = places.check_inside(problem, places.resolve(problem))
        for name, message in place_errors.items():
            errors.setdefault(name, []).extend(message if isinstance(message, list) else [message])
    if problem.status == Problem.Status.CLOSED and not _has_assessment(problem):
        errors.setdefault("status", []).append(
            "A problem can be closed only after its assessment is recorded."
        )
    if errors:
        raise ValidationError(errors)


def _has_assessment(problem: Problem) -> bool:
    return bool(problem.pk) and ProblemAssessment.objects.filter(problem=problem).exists()


def _values(problem: Problem) -> dict[str, Any]:
    values = model_values(problem)
    values.pop("modified_at", None)
    if problem.pk:
        values["categories"] = sorted(c.name for c in problem.categories.all())
        values["themes"] = sorted(t.key for t in problem.themes.all())
        values["partner_agencies"] = sorted(a.code for a in problem.partner_agencies.all())
    return values


@transaction.atomic
def problem_create(
    *,
    actor: Actor,
    title: str,
    area: Area,
    place_type: str,
    lead_partner: Agency,
    categories: Iterable[Category] = (),
    themes: Iterable[Theme] = (),
    partner_agencies: Iterable[Agency] = (),
    **fields: Any,
) -> Problem:
    """Register a problem (``fields``: any of :data:`PROBLEM_FIELDS` and the OSARA ones)."""
    unknown = set(fields) - set(PROBLEM_FIELDS) - set(OSARA_FIELDS)
    if unknown:
        raise TypeError(f"Unknown problem fields: {', '.join(sorted(unknown))}")
    problem = Problem(
        title=title.strip(), area=area, place_type=place_type, lead_partner=lead_partner, **fields
    )
    stamp(problem, actor)
    _clean_problem(problem)
    problem.save()
    problem.categories.set(list(categories))
    problem.themes.set(list(themes))
    problem.partner_agencies.set(list(partner_agencies))
    audit_record(actor=actor, action=ProblemAudit.CREATE, obj=problem, new=_values(problem))
    return problem


@transaction.atomic
def problem_edit(
    *,
    actor: Actor,
    problem: Problem,
    categories: Iterable[Category] | None = None,
    themes: Iterable[Theme] | None = None,
    partner_agencies: Iterable[Agency] | None = None,
    **fields: Any,
) -> Problem:
    """Change a problem's register details or place; audits only what changed."""
    unknown = set(fields) - set(PROBLEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown problem fields: {', '.join(sorted(unknown))}")
    old = _values(problem)
    for name, value in fields.items():
        setattr(problem, name, value)
    stamp(problem, actor)
    _clean_problem(problem)
    problem.save()
    if categories is not None:
        problem.categories.set(list(categories))
    if themes is not None:
        problem.themes.set(list(themes))
    if partner_agencies is not None:
        problem.partner_agencies.set(list(partner_agencies))
    before, after = changed_values(old, _values(problem))
    if after:
        audit_record(actor=actor, action=ProblemAudit.EDIT, obj=problem, old=before, new=after)
    return problem


@transaction.atomic
def osara_record(*, actor: Actor, problem: Problem, **fields: Any) -> Problem:
    """Record one or more OSARA steps: objective, scanning, the analysis triangle, response."""
    unknown = set(fields) - set(OSARA_FIELDS)
    if unknown:
        raise TypeError(f"Unknown OSARA fields: {', '.join(sorted(unknown))}")
    old = model_values(problem, OSARA_FIELDS)
    for name, value in fields.items():
        setattr(problem, name, value.strip() if isinstance(value, str) else value)
    stamp(problem, actor)
    problem.full_clean()
    problem.save()
    before, after = changed_values(old, model_values(problem, OSARA_FIELDS))
    if after:
        audit_record(actor=actor, action=ProblemAudit.OSARA, obj=problem, old=before, new=after)
    return problem


@transaction.atomic
def response_action_add(
    *,
    actor: Actor,
    problem: Problem,
    plan: ActionPlan,
    reference: str,
    description: str,
    lead_partners: Iterable[Agency],
    due_date: dt.date | None = None,
    lead_officer: User | None = None,
    supporting_partners: Iterable[Agency] = (),
) -> Action:
    """An action of the response, made in the actions app (so it is in "Your actions" and
    its plan) and linked to the problem. The response starts on the first action's day."""
    action = action_services.action_create(
        actor=actor,
        plan=plan,
        reference=reference,
        description=description,
        lead_partners=lead_partners,
        supporting_partners=supporting_partners,
        due_date=due_date,
        lead_officer=lead_officer,
        priority=f"Problem: {problem.title}"[:200],
    )
    problem.actions.add(action)
    if problem.response_started_on is None:
        problem.response_started_on = dt.date.today()
        problem.save(update_fields=["response_started_on", "modified_at"])
    audit_record(
        actor=actor,
        action=ProblemAudit.RESPONSE_ADD,
        obj=problem,
        new={"action": action.pk, "reference": action.reference},
    )
    return action


@transaction.atomic
def assessment_record(
    *,
    actor: Actor,
    problem: Problem,
    comparison_area: Area,
    before_from: dt.date,
    before_to: dt.date,
    after_from: dt.date,
    after_to: dt.date,
    impact: str,
    evidence: str,
    buffer_m: int = 200,
    reduced_percent: int | None = None,
    lessons: str = "",
) -> ProblemAssessment:
    """OSARA's Assessment: counts and WDD computed from the data, with the officer's
    judgement of impact, evidence and lessons. Replaces an earlier assessment."""
    comparison_error = places.check_comparison(places.resolve(problem), comparison_area)
    if comparison_error:
        raise ValidationError({"comparison_area": comparison_error})
    errors: dict[str, list[str]] = {}
    if before_to >= after_from:
        errors["after_from"] = ["The period after must start after the period before ends."]
    if impact == ProblemAssessment.Impact.REDUCED and reduced_percent is None:
        errors["reduced_percent"] = ["Give the reduction in percent."]
    if errors:
        raise ValidationError(errors)
    result = before_after(
        problem,
        comparison=comparison_area,
        buffer_m=buffer_m,
        before=(before_from.replace(day=1), before_to.replace(day=1)),
        after=(after_from.replace(day=1), after_to.replace(day=1)),
    )
    existing = ProblemAssessment.objects.filter(problem=problem).first()
    old = model_values(existing) if existing else {}
    assessment = existing or ProblemAssessment(problem=problem)
    wdd = result.wdd

    def finite(value: float) -> float | None:
        return None if value != value else float(value)  # NaN to None

    for name, value in {
        "comparison_area": comparison_area,
        "before_from": before_from.replace(day=1),
        "before_to": before_to.replace(day=1),
        "after_from": after_from.replace(day=1),
        "after_to": after_to.replace(day=1),
        "buffer_m": buffer_m,
        "treated_before": result.treated_before,
        "treated_after": result.treated_after,
        "control_before": result.control_before,
        "control_after": result.control_after,
        "buffer_before": result.buffer_before,
        "buffer_after": result.buffer_after,
        "wdd": wdd.wdd,
        "wdd_z": finite(wdd.z),
        "wdd_p": finite(wdd.p_value),
        "wdq": finite(wdd.wdq),
        "method": wdd.method,
        "gap_months": result.gaps,
        "impact": impact,
        "reduced_percent": reduced_percent,
        "evidence": evidence.strip(),
        "lessons": lessons.strip(),
    }.items():
        setattr(assessment, name, value)
    stamp(assessment, actor)
    assessment.full_clean()
    assessment.save()
    before, after = changed_values(old, model_values(assessment))
    audit_record(actor=actor, action=ProblemAudit.ASSESS, obj=problem, old=before, new=after)
    return assessment


@transaction.atomic
def problem_status_set(*, actor: Actor, problem: Problem, status: str) -> Problem:
    """Move a problem along proposed, open, monitoring, closed (closing needs an assessment)."""
    old = problem.status
    problem.status = status
    stamp(problem, actor)
    _clean_problem(problem)
    problem.save()
    if old != status:
        audit_record(
            actor=actor,
            action=ProblemAudit.STATUS,
            obj=problem,
            old={"status": old},
            new={"status": status},
        )
    return problem


HARM_WEIGHTS_MAX_BYTES = 1_000_000


@transaction.atomic
def harm_weights_set(*, actor: Actor, text: str, name: str = "the file") -> int:
    """Hold the harm weights of incident categories, from CSV text with the columns
    ``category`` (the category's name), ``weight`` (a number, 0 or more) and ``source``
    (where the weight comes from). The file replaces the weights held; every row is checked
    first and a bad row refuses the whole file, naming its row and column. Categories
    without a row have no weight: the register names them and leaves harm out for the
    problems that count them, never taking the weight as zero. Returns the rows held."""
    import csv
    import io

    from saferhub.problems.models import HarmWeight

    if len(text.encode()) > HARM_WEIGHTS_MAX_BYTES:
        raise ValidationError({"file": f"{name} is larger than 1 MB: not a weights table."})
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"category", "weight", "source"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationError(
            {"file": f"{name} has no column {', '.join(sorted(missing))} (row 1, the header)."}
        )
    by_name = {c.name.casefold(): c for c in Category.objects.all()}
    errors: list[str] = []
    rows: dict[int, tuple[float, str]] = {}
    for line, row in enumerate(reader, start=2):
        category = by_name.get((row.get("category") or "").strip().casefold())
        if category is None:
            errors.append(f"row {line}, column category: no category “{row.get('category')}”")
            continue
        try:
            weight = float((row.get("weight") or "").strip())
        except ValueError:
            errors.append(f"row {line}, column weight: “{row.get('weight')}” is not a number")
            continue
        if not weight >= 0:
            errors.append(f"row {line}, column weight: a weight is 0 or more")
            continue
        source = (row.get("source") or "").strip()
        if not source:
            errors.append(f"row {line}, column source: say where the weight comes from")
            continue
        if category.pk in rows:
            errors.append(f"row {line}, column category: {category.name} is given twice")
            continue
        rows[category.pk] = (weight, source[:300])
    if errors:
        shown = "; ".join(errors[:10]) + (
            f"; and {len(errors) - 10} more" if len(errors) > 10 else ""
        )
        raise ValidationError({"file": f"{name}: nothing held. {shown}."})
    old = {h.category.name: h.weight for h in HarmWeight.objects.select_related("category")}
    HarmWeight.objects.all().delete()
    names = {c.pk: c.name for c in by_name.values()}
    held = []
    for category_id, (weight, source) in rows.items():
        item = HarmWeight(category_id=category_id, weight=weight, source=source)
        stamp(item, actor)
        held.append(item)
    HarmWeight.objects.bulk_create(held)
    audit_record(
        actor=actor,
        action=ProblemAudit.HARM_WEIGHTS,
        object_type="problems.HarmWeight",
        old=old,
        new={names[c]: w for c, (w, _) in rows.items()},
    )
    return len(held)


@transaction.atomic
def ranking_counts_refresh(*, actor: Actor | None = None) -> int:
    """Rebuild the counts the register ranks from (:class:`RankingCount`) for the last 12
    months held. Runs after every committed import (``incidents.hooks.after_import``) and
    from ``saferhub problems refresh-counts``; derived rows, rebuilt whole, as the
    monthly aggregate is, so not audited row by row. Returns the rows written."""
    from saferhub.problems.ranking import counted_window, window_labels

    months = held_months()[-12:]
    RankingCount.objects.all().delete()
    RankingWindow.objects.all().delete()
    if not months:
        return 0
    frame = counted_window(None, months)
    RankingCount.objects.bulk_create(
        (
            RankingCount(
                lsoa_code=lsoa,
                location=location,
                category_id=category,
                n=n,
                recent=recent,
                earlier=earlier,
            )
            for lsoa, location, category, n, recent, earlier in frame.itertuples(
                index=False, name=None
            )
        ),
        batch_size=2000,
    )
    RankingWindow.objects.create(months=window_labels(months))
    return len(frame)


@transaction.atomic
def concern_record(
    *,
    actor: Actor,
    place: Area,
    theme: Theme,
    raised_by: str,
    received_on: dt.date,
    summary: str,
    channel: str = "staff",
) -> CommunityConcern:
    """A resident's, councillor's or business's concern about a place and theme.

    Staff enter them; the public site will call this with ``channel="public"``."""
    concern = CommunityConcern(
        place=place,
        theme=theme,
        raised_by=raised_by,
        received_on=received_on,
        summary=summary.strip(),
        channel=channel,
    )
    stamp(concern, actor)
    concern.full_clean()
    concern.save()
    audit_record(actor=actor, action=ProblemAudit.CONCERN, obj=concern, new=model_values(concern))
    return concern
