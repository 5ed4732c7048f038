"""Case work models: the generic foundation (cases, people, parties) and each case type."""

from saferhub.cases.models.asb import (
    AsbCase,
    AsbIncident,
    Intervention,
    RiskAssessment,
    VictimUpdate,
)
from saferhub.cases.models.base import (
    BreakGlassGrant,
    Case,
    CaseAgency,
    CaseReviewMeeting,
    Party,
    PartyConsent,
    Person,
)
from saferhub.cases.models.case_review import (
    CaseReviewApplication,
    CaseReviewRecommendation,
    Complaint,
)
from saferhub.cases.models.channel import (
    ChannelAssessment,
    ChannelCase,
    ChannelReview,
    ChannelSupport,
    ChannelSupportPlan,
)
from saferhub.cases.models.iom import (
    IomCase,
    IomCohort,
    IomPlanAction,
    IomReview,
    OffendingRecord,
)
from saferhub.cases.models.marac import (
    AgencyResearch,
    DashChecklist,
    MaracAction,
    MaracCase,
    MaracMeeting,
    MaracReferral,
)

__all__ = [
    "ChannelAssessment",
    "ChannelCase",
    "ChannelReview",
    "ChannelSupport",
    "ChannelSupportPlan",
    "IomCase",
    "IomCohort",
    "IomPlanAction",
    "IomReview",
    "OffendingRecord",
    "AgencyResearch",
    "DashChecklist",
    "MaracAction",
    "MaracCase",
    "MaracMeeting",
    "MaracReferral",
    "AsbCase",
    "AsbIncident",
    "BreakGlassGrant",
    "Case",
    "CaseAgency",
    "CaseReviewApplication",
    "CaseReviewMeeting",
    "CaseReviewRecommendation",
    "Complaint",
    "Intervention",
    "Party",
    "PartyConsent",
    "Person",
    "RiskAssessment",
    "VictimUpdate",
]
