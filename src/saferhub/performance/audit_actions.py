"""Audit actions of performance written by the newer services (older ones still pass text)."""

from enum import StrEnum


class PerformanceAuditAction(StrEnum):
    INDICATOR_PUBLISH = "indicator.publish"
    INDICATOR_UNPUBLISH = "indicator.unpublish"
