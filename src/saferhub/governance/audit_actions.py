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
    SUMMARY_PUBLISH = "end_of_year.publish"
    SUMMARY_WITHDRAW = "end_of_year.withdraw"
    BOARD_GROUP_CREATE = "board.group_create"
    BOARD_MEMBER_ADD = "board.member_add"
    BOARD_MEMBER_EDIT = "board.member_edit"
    BOARD_MEETING_CREATE = "board.meeting_create"
    BOARD_MINUTES = "board.minutes"
    BOARD_DECISION_ADD = "board.decision_add"
    CONSULTATION_CREATE = "consultation.create"
    CONSULTATION_EDIT = "consultation.edit"
    PROJECT_EDIT = "project.edit"
    RISK_EDIT = "risk.edit"
