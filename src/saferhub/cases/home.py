"""Home tiles of case work: an ASB officer's reviews due, victims not updated, decisions due."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from saferhub.cases import selectors
from saferhub.core.home import HomeTile, home_tile

ASB = frozenset({"asb_officer"})
CASE_WORKERS = frozenset({"asb_officer", "idva", "iom_officer", "prevent_lead"})


def _yours(user: Any) -> selectors.YourCases:
    return selectors.your_cases(user=user, today=timezone.localdate())


def register() -> None:
    home_tile(
        HomeTile(
            "cases_yours_open",
            "Your open cases",
            "Open cases of the types your role works for which you are the officer.",
            "cases:list",
            "accounts.view_personal_data",
            CASE_WORKERS,
            lambda user: selectors.your_open_case_count(user=user),
            order=9,
        )
    )
    home_tile(
        HomeTile(
            "cases_reviews_due",
            "Your case reviews due",
            "Your open ASB cases whose review date has come.",
            "cases:mine",
            "cases.work_asb",
            ASB,
            lambda user: len(_yours(user).reviews_due),
            order=10,
        )
    )
    home_tile(
        HomeTile(
            "cases_victims_not_updated",
            "Victims not updated",
            "Your open ASB cases whose victim has had no update for the set number of days "
            "(14 unless your partnership changed it).",
            "cases:mine",
            "cases.work_asb",
            ASB,
            lambda user: len(_yours(user).not_updated),
            order=11,
        )
    )
    home_tile(
        HomeTile(
            "cases_case_review_decisions",
            "ASB Case Review decisions awaited",
            "Case Review applications with no decision yet.",
            "cases:mine",
            "cases.work_asb",
            ASB,
            lambda user: len(_yours(user).deadlines),
            order=12,
        )
    )
