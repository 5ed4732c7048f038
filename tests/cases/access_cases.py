"""The authorisation matrix lines of case work (role x agency x case type).

The test users belong to the default agency (a council). A case that agency leads is seen
only by the role that works ASB cases; a case another agency leads is refused to everyone
with a 404 (administrators use break-glass, which is its own page).
"""

from __future__ import annotations

from tests.access import ADMINS, CASE_WORKERS, MANAGERS, AccessCase
from tests.cases import factories as f

ASB = frozenset({"asb_officer"})
PERSONAL = CASE_WORKERS
FIGURES = ASB | MANAGERS


def _own_case() -> dict[str, object]:
    return {"pk": f.asb_case().case.pk}


def _other_agencys_case() -> dict[str, object]:
    return {"pk": f.asb_case(lead=f.police()).case.pk}


def _added_agency_case() -> dict[str, object]:
    from saferhub.cases.services.cases import case_share_with_agency

    asb = f.asb_case(lead=f.police())
    f.victim(asb)
    case_share_with_agency(actor=f.T, case=asb.case, agency=f.agency())
    return {"pk": asb.case.pk}


def _application() -> dict[str, object]:
    return {"pk": f.application().pk}


def _letter_html() -> dict[str, object]:
    return {"pk": f.decided_application().pk, "fmt": "html"}


def _letter_pdf() -> dict[str, object]:
    return {"pk": f.decided_application().pk, "fmt": "pdf"}


CASES = [
    AccessCase("cases:list", roles=PERSONAL),
    AccessCase("cases:list", roles=PERSONAL, query="format=csv"),
    AccessCase("cases:list", roles=PERSONAL, query="format=xlsx"),
    AccessCase("cases:mine", roles=PERSONAL),
    AccessCase("cases:mine", roles=PERSONAL, query="format=csv"),
    AccessCase("cases:detail", roles=ASB, kwargs=_own_case),
    AccessCase("cases:detail", roles=ASB, kwargs=_added_agency_case),
    AccessCase("cases:detail", roles=frozenset(), kwargs=_other_agencys_case),
    AccessCase("cases:break_glass", roles=ADMINS, kwargs=_other_agencys_case),
    AccessCase("cases:import", roles=ASB),
    AccessCase("cases:figures", roles=FIGURES),
    AccessCase("cases:figures", roles=FIGURES, query="year=2024%2F25&format=csv"),
    AccessCase("api:cases-list", roles=PERSONAL),
    AccessCase("api:cases-detail", roles=ASB, kwargs=_own_case),
    AccessCase("api:cases-detail", roles=frozenset(), kwargs=_other_agencys_case),
    AccessCase("api:cases-case-review-figures", roles=FIGURES, query="year=2024/25"),
    # Opening and working an ASB case (ASB officers, their scope only).
    AccessCase("cases:asb_open", roles=ASB),
    *[
        AccessCase(f"cases:{name}", roles=ASB, kwargs=_own_case)
        for name in (
            "party_add",
            "incident_add",
            "risk_assess",
            "intervention_add",
            "review",
            "victim_update",
            "close",
        )
    ],
    AccessCase("cases:party_add", roles=frozenset(), kwargs=_other_agencys_case),
    AccessCase("cases:close", roles=frozenset(), kwargs=_other_agencys_case),
    # The ASB Case Review (ASB officers).
    AccessCase("cases:case_reviews", roles=ASB),
    AccessCase("cases:case_reviews", roles=ASB, query="format=csv"),
    AccessCase("cases:case_review_new", roles=ASB),
    *[
        AccessCase(f"cases:{name}", roles=ASB, kwargs=_application)
        for name in (
            "case_review",
            "case_review_match",
            "case_review_decide",
            "case_review_meeting",
            "case_review_recommendation",
            "case_review_letter",
            "case_review_appeal",
            "case_review_appeal_outcome",
        )
    ],
    AccessCase("cases:case_review_letter_document", roles=ASB, kwargs=_letter_html),
    AccessCase("cases:case_review_letter_document", roles=ASB, kwargs=_letter_pdf),
]
