"""The governance app's records: the budget, and funded projects with their outputs."""

from saferhub.governance.models.board import (
    BoardDecision,
    BoardGroup,
    BoardMeeting,
    BoardMember,
    ConsultationEvent,
)
from saferhub.governance.models.budget import (
    QUARTERS,
    ExpenditureLine,
    FinancialYear,
    IncomeLine,
)
from saferhub.governance.models.projects import FundedProject, ProjectOutcome, ProjectOutput
from saferhub.governance.models.risks import Risk, RiskRating
from saferhub.governance.models.surveys import SurveyAnswer, SurveyQuestion, SurveyWave

__all__ = [
    "BoardDecision",
    "BoardGroup",
    "BoardMeeting",
    "BoardMember",
    "ConsultationEvent",
    "QUARTERS",
    "ExpenditureLine",
    "FinancialYear",
    "FundedProject",
    "IncomeLine",
    "ProjectOutcome",
    "ProjectOutput",
    "Risk",
    "RiskRating",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyWave",
]
