"""The MARAC exchange files, ``dash.csv`` and ``marac_referrals.csv``, read by the one
case-work import (``saferhub cases import PATH``, :mod:`saferhub.cases.imports`): all or
nothing, every problem named by file, row (the header is row 1), column and reason, and
idempotent by reference.

* ``dash.csv``: ``checklist_ref,victim_ref,perpetrator_ref,completed_date,q1..q24,
  police_incidents_12m,professional_judgement``; answers ``yes``, ``no`` or ``not known``;
  ``police_incidents_12m`` a whole number or empty (not known); ``professional_judgement``
  ``yes`` or ``no``.
* ``marac_referrals.csv``: ``referral_ref,victim_ref,perpetrator_ref,referral_date``. A
  referral takes the answers of the latest checklist of the same victim and perpetrator
  completed on or before its date (no re-keying). When that checklist indicates no
  referral (below the high band, no escalation, no professional judgement) the row is
  refused: a referral below the threshold needs a reason, which only the referral page
  can take. A referral with no checklist held is accepted (the checklist may be held by
  the referring agency alone).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.cases import dash
from saferhub.cases.audit_actions import MaracCaseAction
from saferhub.cases.imports import (
    ExchangeExtension,
    ImportReport,
    _Checker,
    _upsert,
    register_extension,
)
from saferhub.cases.models import DashChecklist, MaracReferral
from saferhub.cases.services.marac import dash_bands

DASH = "dash.csv"
REFERRALS = "marac_referrals.csv"
COLUMNS: dict[str, list[str]] = {
    DASH: [
        "checklist_ref",
        "victim_ref",
        "perpetrator_ref",
        "completed_date",
        *dash.QUESTIONS,
        "police_incidents_12m",
        "professional_judgement",
    ],
    REFERRALS: ["referral_ref", "victim_ref", "perpetrator_ref", "referral_date"],
}


def _not_future(check: _Checker, n: int, column: str, day: dt.date | None, today: dt.date) -> None:
    if day and day > today:
        check.problem(n, column, f"{day:%Y-%m-%d} is in the future (today is {today:%Y-%m-%d})")


def _unique_ref(check: _Checker, n: int, row: dict[str, str], column: str, seen: set[str]) -> str:
    ref = check.required(n, row, column) or ""
    if ref and ref in seen:
        check.problem(n, column, f"“{ref}” appears twice in the file")
    seen.add(ref)
    return ref


def _check_dash(
    rows: list[dict[str, str]], report: ImportReport, today: dt.date
) -> list[dict[str, Any]]:
    check = _Checker(DASH, report)
    seen: set[str] = set()
    good = []
    for n, row in enumerate(rows, start=2):
        ref = _unique_ref(check, n, row, "checklist_ref", seen)
        victim = check.required(n, row, "victim_ref")
        perpetrator = check.required(n, row, "perpetrator_ref")
        completed = check.date(n, row, "completed_date")
        _not_future(check, n, "completed_date", completed, today)
        answers = {}
        for key in dash.QUESTIONS:
            value = row.get(key, "").lower()
            if not value:
                check.problem(
                    n, key, f"has no answer ({dash.HEADING[key]}): answer yes, no or not known"
                )
            elif value not in dash.ANSWERS:
                check.problem(
                    n,
                    key,
                    f"“{row[key]}” is not yes, no or not known ({dash.HEADING[key]})",
                )
            answers[key] = value
        incidents_text = row.get("police_incidents_12m", "")
        incidents = int(incidents_text) if incidents_text.isdigit() else None
        if incidents_text and incidents is None:
            check.problem(
                n,
                "police_incidents_12m",
                f"“{incidents_text}” is not a whole number, 0 or more (leave it empty if not known)",
            )
        judgement = row.get("professional_judgement", "").lower()
        if judgement not in {"yes", "no"}:
            check.problem(
                n,
                "professional_judgement",
                f"“{row.get('professional_judgement', '')}” is not yes or no",
            )
        good.append(
            {
                "checklist_ref": ref,
                "victim_ref": victim,
                "perpetrator_ref": perpetrator,
                "completed_date": completed,
                "answers": answers,
                "score": dash.score(answers),
                "police_incidents_12m": incidents,
                "professional_judgement": judgement == "yes",
            }
        )
    return good


def _latest_checklists(
    referrals: list[dict[str, str]], checklists: list[dict[str, Any]]
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The checklists (this file's, then those held) of each victim and perpetrator pair."""
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = {}
    in_file = {c["checklist_ref"] for c in checklists}
    for c in checklists:
        by_pair.setdefault((c["victim_ref"], c["perpetrator_ref"]), []).append(c)
    victims = {r.get("victim_ref", "") for r in referrals} - {""}
    held = DashChecklist.objects.filter(victim_ref__in=victims).values(
        "checklist_ref",
        "victim_ref",
        "perpetrator_ref",
        "completed_date",
        "answers",
        "police_incidents_12m",
        "professional_judgement",
    )
    for row in held.iterator(chunk_size=2000):
        if row["checklist_ref"] not in in_file:
            by_pair.setdefault((row["victim_ref"], row["perpetrator_ref"]), []).append(dict(row))
    return by_pair


def _check_referrals(
    rows: list[dict[str, str]],
    checklists: list[dict[str, Any]],
    report: ImportReport,
    today: dt.date,
) -> list[dict[str, Any]]:
    check = _Checker(REFERRALS, report)
    bands = dash_bands()
    by_pair = _latest_checklists(rows, checklists)
    seen: set[str] = set()
    good = []
    for n, row in enumerate(rows, start=2):
        ref = _unique_ref(check, n, row, "referral_ref", seen)
        victim = check.required(n, row, "victim_ref")
        perpetrator = check.required(n, row, "perpetrator_ref")
        day = check.date(n, row, "referral_date")
        _not_future(check, n, "referral_date", day, today)
        found = None
        if day and victim and perpetrator:
            earlier = [
                c
                for c in by_pair.get((victim, perpetrator), [])
                if c["completed_date"] and c["completed_date"] <= day
            ]
            found = max(
                earlier, key=lambda c: (c["completed_date"], c["checklist_ref"]), default=None
            )
        if found is not None and all(
            found["answers"].get(q) in dash.ANSWERS for q in dash.QUESTIONS
        ):
            result = dash.assess(
                found["answers"],
                police_incidents_12m=found["police_incidents_12m"],
                professional_judgement=found["professional_judgement"],
                bands=bands,
            )
            if not result.marac_referral:
                check.problem(
                    n,
                    "referral_ref",
                    f"checklist “{found['checklist_ref']}” scores {result.score} "
                    f"({result.risk_level} risk), below the threshold, with fewer than "
                    f"{bands.escalation_incidents} police incidents and no professional "
                    "judgement: a referral below the threshold needs a written reason "
                    "(make it on the referral page)",
                )
        good.append(
            {
                "referral_ref": ref,
                "victim_ref": victim,
                "perpetrator_ref": perpetrator,
                "referral_date": day,
                "checklist_ref": found["checklist_ref"] if found else None,
            }
        )
    return good


def check(parsed: dict[str, list[dict[str, str]]], report: ImportReport) -> dict[str, Any]:
    today = timezone.localdate()
    checklists = _check_dash(parsed.get(DASH, []), report, today)
    referrals = _check_referrals(parsed.get(REFERRALS, []), checklists, report, today)
    return {
        "checklists": checklists,
        "referrals": referrals,
        "files": sorted(set(parsed) & set(COLUMNS)),
    }


def save(checked: dict[str, Any], report: ImportReport, actor: Actor | None = None) -> None:
    if not checked["files"]:
        return
    _upsert(DashChecklist, "checklist_ref", checked["checklists"], report)
    refs = {r["checklist_ref"] for r in checked["referrals"] if r["checklist_ref"]}
    ids = dict(
        DashChecklist.objects.filter(checklist_ref__in=refs).values_list("checklist_ref", "pk")
    )
    rows = []
    for r in checked["referrals"]:
        row = {k: v for k, v in r.items() if k != "checklist_ref"}
        row["checklist_id"] = ids.get(r["checklist_ref"]) if r["checklist_ref"] else None
        rows.append(row)
    _upsert(MaracReferral, "referral_ref", rows, report)
    audit_record(
        actor=actor or "exchange import",
        action=MaracCaseAction.DASH_IMPORT,
        object_type="cases.MaracReferral",
        new={"files": checked["files"], "created": report.created, "updated": report.updated},
    )


register_extension(ExchangeExtension(columns=COLUMNS, check=check, save=save))
