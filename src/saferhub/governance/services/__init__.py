"""Writes of the governance app, one audited function each (budget, funded projects)."""

from saferhub.governance.services.budget import (
    EDITABLE,
    expenditure_line_create,
    expenditure_line_edit,
    income_line_create,
    income_line_edit,
    quarter_spend_record,
    year_create,
    year_publish_summary,
    year_set_status,
)
from saferhub.governance.services.projects import (
    output_actual_record,
    project_create,
    project_edit,
    project_outcome_add,
    project_output_add,
)
from saferhub.governance.services.risks import (
    risk_create,
    risk_edit,
    risk_rescore,
    risks_send_review_reminders,
)

__all__ = [
    "EDITABLE",
    "expenditure_line_create",
    "expenditure_line_edit",
    "income_line_create",
    "income_line_edit",
    "output_actual_record",
    "project_create",
    "project_edit",
    "project_outcome_add",
    "project_output_add",
    "quarter_spend_record",
    "risk_create",
    "risk_edit",
    "risk_rescore",
    "risks_send_review_reminders",
    "year_create",
    "year_publish_summary",
    "year_set_status",
]
