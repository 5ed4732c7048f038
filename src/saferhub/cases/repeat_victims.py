"""Repeat and vulnerable victims across agencies.

A victim is flagged when their incidents across every agency's cases reach the rule
(default 3 in 3 calendar months, ``SAFERHUB_CASES_REPEAT_VICTIM_RULE = "3/3"``). Counted:

* the incidents logged on every ASB case (any agency's) where the same person is a victim
  (the person is one row, found by the blind index when the party is added);
* complaints of the exchange set under the party's pseudonymous reference (``source_ref``),
  unless already on one of those cases;
* partner incident data (``incidents``) under the same pseudonymous reference.

Only the count is shown: the flag says how many incidents in how many months, never which
cases or agencies, so nothing outside the officer's scope is disclosed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from saferhub.cases.models import AsbIncident, Complaint, Party
from saferhub.cases.threshold import add_months


@dataclass(frozen=True)
class Rule:
    incidents: int
    months: int


def rule() -> Rule:
    text = str(getattr(settings, "SAFERHUB_CASES_REPEAT_VICTIM_RULE", "3/3"))
    try:
        count, months = (int(x) for x in text.split("/"))
        if count < 1 or months < 1:
            raise ValueError
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"SAFERHUB_CASES_REPEAT_VICTIM_RULE: “{text}” is not incidents/months, e.g. 3/3."
        ) from exc
    return Rule(count, months)


@dataclass(frozen=True)
class RepeatFlag:
    incidents: int
    months: int
    vulnerable: bool

    def __str__(self) -> str:
        who = "Repeat and vulnerable victim" if self.vulnerable else "Repeat victim"
        return f"{who}: {self.incidents} incidents in {self.months} months across agencies"


def repeat_flags(*, case_ids: Iterable[int], today: dt.date) -> dict[int, RepeatFlag]:
    """The cases (of ``case_ids``) whose victim meets the rule, with the count."""
    from saferhub.incidents.selectors import victim_incident_dates

    the_rule = rule()
    since = add_months(today, -the_rule.months)
    victims = list(
        Party.objects.filter(case_id__in=list(case_ids), role=Party.Role.VICTIM).values_list(
            "case_id", "person_id", "source_ref", "vulnerable"
        )
    )
    if not victims:
        return {}
    person_ids = {p for _, p, _, _ in victims if p}
    cases_of_person: dict[int, set[int]] = {}
    for case_id, person_id in Party.objects.filter(
        person_id__in=person_ids, role=Party.Role.VICTIM
    ).values_list("case_id", "person_id"):
        cases_of_person.setdefault(person_id, set()).add(case_id)
    all_cases = set().union(*cases_of_person.values()) if cases_of_person else set()
    incidents_of_case: dict[int, list[dt.date]] = {}
    for case_id, day in AsbIncident.objects.filter(
        case_id__in=all_cases, reported_date__gte=since, reported_date__lte=today
    ).values_list("case_id", "reported_date"):
        incidents_of_case.setdefault(case_id, []).append(day)
    refs = {ref for _, _, ref, _ in victims if ref}
    complaints: dict[str, list[int | None]] = {}
    for ref, on_case in Complaint.objects.filter(
        victim_ref__in=refs, reported_date__gte=since, reported_date__lte=today
    ).values_list("victim_ref", "case_id"):
        complaints.setdefault(ref, []).append(on_case)
    partner: dict[str, int] = {}
    for ref, day in victim_incident_dates(victim_refs=refs, since=since):
        if day <= today:
            partner[ref] = partner.get(ref, 0) + 1
    out: dict[int, RepeatFlag] = {}
    for case_id, person_id, ref, vulnerable in victims:
        linked = cases_of_person.get(person_id, set()) if person_id else {case_id}
        count = sum(len(incidents_of_case.get(c, [])) for c in linked)
        if ref:
            count += sum(1 for c in complaints.get(ref, []) if c not in linked)
            count += partner.get(ref, 0)
        if count >= the_rule.incidents:
            best = out.get(case_id)
            if best is None or count > best.incidents:
                out[case_id] = RepeatFlag(count, the_rule.months, vulnerable)
    return out
