"""Template helpers for action pages: the colour of a status tag."""

from __future__ import annotations

from django import template

register = template.Library()

STATUS_TAG = {
    "not_started": "govuk-tag--grey",
    "on_track": "govuk-tag--blue",
    "at_risk": "govuk-tag--yellow",
    "overdue": "govuk-tag--red",
    "completed": "govuk-tag--green",
    "carried_forward": "govuk-tag--purple",
    "dropped": "govuk-tag--grey",
}


@register.filter
def status_tag(status: str) -> str:
    """The GOV.UK tag modifier class for an action status."""
    return STATUS_TAG.get(status, "govuk-tag--grey")
