"""Reminders: victims with no update for the configured days (default 14)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail

from saferhub.cases.models import AsbCase


def victims_not_updated(*, today: dt.date) -> list[AsbCase]:
    cutoff = today - dt.timedelta(days=settings.SAFERHUB_CASES_VICTIM_UPDATE_DAYS)
    return list(
        AsbCase.objects.filter(case__status="open", last_victim_update__lte=cutoff)
        .select_related("case", "single_point_of_contact")
        .order_by("last_victim_update")
    )


def victim_update_reminders(*, today: dt.date) -> int:
    """One email per single point of contact, naming case references only."""
    by_contact: dict[str, list[str]] = defaultdict(list)
    for asb in victims_not_updated(today=today):
        contact = asb.single_point_of_contact
        if contact and contact.email:
            by_contact[contact.email].append(asb.case.reference)
    for email, references in by_contact.items():
        send_mail(
            "Victims waiting for an update",
            "These cases' victims have had no update for "
            f"{settings.SAFERHUB_CASES_VICTIM_UPDATE_DAYS} days or more: "
            + ", ".join(references)
            + ".",
            None,
            [email],
        )
    return len(by_contact)
