"""The governance app's records: the budget, and funded projects with their outputs."""

from saferhub.governance.models.budget import (
    QUARTERS,
    ExpenditureLine,
    FinancialYear,
    IncomeLine,
)
from saferhub.governance.models.projects import FundedProject, ProjectOutcome, ProjectOutput

__all__ = [
    "QUARTERS",
    "ExpenditureLine",
    "FinancialYear",
    "FundedProject",
    "IncomeLine",
    "ProjectOutcome",
    "ProjectOutput",
]
