"""The audit actions of case work. Details name fields, never their contents."""

from enum import StrEnum


class CaseAction(StrEnum):
    CASE_OPEN = "case.open"
    CASE_VIEW = "case.view"
    CASE_CHANGE = "case.change"
    CASE_CLOSE = "case.close"
    CASE_SEARCH = "case.search"
    CASE_EXPORT = "case.export"
    CASE_SHARE = "case.share"
    CASE_SHARE_REFUSED = "case.share_refused"
    CASE_LINK = "case.link"
    BREAK_GLASS = "case.break_glass"
    PARTY_ADD = "case.party_add"
    PARTY_CHANGE = "case.party_change"
    CONSENT_CHANGE = "case.consent_change"
    INCIDENT_ADD = "case.incident_add"
    RISK_ASSESS = "case.risk_assessment"
    INTERVENTION_ADD = "case.intervention_add"
    REVIEW_RECORD = "case.review"
    VICTIM_UPDATE = "case.victim_update"
    LEGAL_HOLD = "case.legal_hold"
    RETENTION_ERASE = "case.retention_erase"
    SUBJECT_ACCESS = "case.subject_access_export"
    KEYS_ROTATE = "case.keys_rotate"
    CASE_REVIEW_APPLY = "case_review.application"
    CASE_REVIEW_DECIDE = "case_review.decision"
    CASE_REVIEW_REVIEW = "case_review.review"
    CASE_REVIEW_APPEAL = "case_review.appeal"
    CASE_REVIEW_IMPORT = "case_review.import"
    CASE_REVIEW_MATCH = "case_review.victim_matched"
    CASE_REVIEW_MEETING = "case_review.meeting"
    CASE_REVIEW_RECOMMENDATION = "case_review.recommendation"
    CASE_REVIEW_LETTER = "case_review.outcome_letter"
    CASE_REVIEW_APPEAL_OUTCOME = "case_review.appeal_outcome"
    CASE_REVIEW_VIEW = "case_review.view"


class MaracCaseAction(StrEnum):
    """High-risk domestic abuse: DASH checklists, MARAC referrals, meetings and actions."""

    DASH_RECORD = "marac.dash_checklist"
    DASH_IMPORT = "marac.import"
    REFERRAL = "marac.referral"
    MEETING = "marac.meeting"
    AGENDA_VIEW = "marac.agenda_view"
    RESEARCH = "marac.research"
    ACTION = "marac.action"
    IDVA = "marac.idva"
    ADDRESS_ACCESS = "marac.address_access"
    RETURN = "marac.return"


class IomCaseAction(StrEnum):
    """Integrated Offender Management."""

    COHORT = "iom.cohort"
    ADOPT = "iom.adopt"
    DESELECT = "iom.deselect"
    OFFENDING = "iom.offending"
    PLAN = "iom.plan_action"
    REVIEW = "iom.review"


class ChannelCaseAction(StrEnum):
    """Channel panel cases."""

    REFER = "channel.referral"
    PANEL = "channel.panel_member"
    ASSESS = "channel.assessment"
    PLAN = "channel.support_plan"
    SUPPORT = "channel.support"
    REVIEW = "channel.review"
    EXIT = "channel.exit"
