"""The audit log's names for what happens to problems, tasking meetings and concerns."""

from __future__ import annotations

from enum import StrEnum


class ProblemAudit(StrEnum):
    CREATE = "problems.problem_create"
    EDIT = "problems.problem_edit"
    OSARA = "problems.osara_record"
    RESPONSE_ADD = "problems.response_add"
    ASSESS = "problems.assessment_record"
    STATUS = "problems.status_change"
    CONCERN = "problems.concern_record"
    MEETING_CREATE = "problems.meeting_create"
    MEETING_MINUTES = "problems.meeting_minutes"
    DECISION = "problems.decision_record"
    HARM_WEIGHTS = "problems.harm_weights_set"
