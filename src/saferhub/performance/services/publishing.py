"""Publishing an indicator on the public site (its value, target and status)."""

from __future__ import annotations

from django.db import transaction

from saferhub.accounts.actors import Actor
from saferhub.accounts.audit import audit_record
from saferhub.core.services import stamp
from saferhub.performance.audit_actions import PerformanceAuditAction
from saferhub.performance.models import Indicator


@transaction.atomic
def indicator_set_public(*, actor: Actor, indicator: Indicator, public: bool) -> Indicator:
    """Mark an indicator as published (or withdraw it); audited with old and new values."""
    if indicator.public == public:
        return indicator
    before = indicator.public
    indicator.public = public
    stamp(indicator, actor)
    indicator.full_clean()
    indicator.save(update_fields=["public", "modified_by", "modified_at"])
    action = (
        PerformanceAuditAction.INDICATOR_PUBLISH
        if public
        else PerformanceAuditAction.INDICATOR_UNPUBLISH
    )
    audit_record(
        actor=actor, action=action, obj=indicator, old={"public": before}, new={"public": public}
    )
    return indicator
