"""The audit actions of the governance app (values at most 60 characters)."""

from __future__ import annotations

from enum import StrEnum


class GovernanceAudit(StrEnum):
    YEAR_CREATE = "budget.year_create"
    YEAR_CLOSE = "budget.year_close"
    YEAR_REOPEN = "budget.year_reopen"
    INCOME_CREATE = "budget.income_create"
    INCOME_EDIT = "budget.income_edit"
    EXPENDITURE_CREATE = "budget.expenditure_create"
    EXPENDITURE_EDIT = "budget.expenditure_edit"
    QUARTER_SPEND = "budget.quarter_spend"
    IMPORT = "budget.import"
    PROJECT_CREATE = "project.create"
    OUTPUT_ADD = "project.output_add"
    OUTPUT_ACTUAL = "project.output_actual"
    OUTCOME_ADD = "project.outcome_add"
    RISK_CREATE = "risk.create"
    RISK_RESCORE = "risk.rescore"
    RISK_REMINDER = "risk.review_reminder"
    SURVEY_IMPORT = "survey.import"
