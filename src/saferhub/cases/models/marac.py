"""High-risk domestic abuse: DASH checklists, MARAC referrals, cases, meetings and actions.

Checklists and referrals carry the source systems' pseudonymous references
(``victim_ref``, ``perpetrator_ref``), never names, like the ASB Case Review complaints;
everything written about a person (comments, reasons, research, actions) is encrypted.
A MARAC case is a :class:`~saferhub.cases.models.base.Case` of type ``marac`` with a
:class:`MaracCase` detail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferhub.cases.fields import EncryptedTextField


class DashChecklist(models.Model):
    """One completed DASH risk identification checklist (24 answers, see ``cases.dash``)."""

    checklist_ref = models.CharField(max_length=100, unique=True)
    victim_ref = models.CharField(max_length=100)
    perpetrator_ref = models.CharField(max_length=100)
    completed_date = models.DateField(db_index=True)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # q1..q24 -> "yes" / "no" / "not known": no free text here.
    answers = models.JSONField(default=dict)
    # q1..q24 -> comment, as one encrypted JSON object (comments may name people).
    comments = EncryptedTextField(blank=True)
    score = models.PositiveSmallIntegerField()
    police_incidents_12m = models.PositiveIntegerField(null=True, blank=True)
    professional_judgement = models.BooleanField(default=False)
    judgement_reason = EncryptedTextField(blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="dash"
    )

    class Meta:
        ordering = ["checklist_ref"]
        indexes = [
            models.Index(fields=["victim_ref", "perpetrator_ref", "completed_date"]),
        ]

    def __str__(self) -> str:
        return self.checklist_ref


class MaracReferral(models.Model):
    """A referral to the MARAC. It reuses the answers of its checklist (no re-keying)."""

    class Gender(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other or self-described"

    referral_ref = models.CharField(max_length=100, unique=True)
    victim_ref = models.CharField(max_length=100)
    perpetrator_ref = models.CharField(max_length=100)
    referral_date = models.DateField(db_index=True)
    checklist = models.ForeignKey(
        DashChecklist, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    referring_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Why a referral the checklist does not indicate is made (encrypted: may name people).
    reason = EncryptedTextField(blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    # The household and the victim's protected characteristics, where recorded (None: not).
    children_in_household = models.PositiveSmallIntegerField(null=True, blank=True)
    victim_gender = models.CharField(max_length=10, choices=Gender.choices, blank=True, default="")
    victim_aged_16_17 = models.BooleanField(null=True, blank=True)
    victim_minority_ethnic = models.BooleanField(null=True, blank=True)
    victim_disabled = models.BooleanField(null=True, blank=True)
    victim_lgbt = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["referral_date", "referral_ref"]
        indexes = [
            models.Index(fields=["victim_ref", "perpetrator_ref", "referral_date"]),
        ]

    def __str__(self) -> str:
        return self.referral_ref


class MaracCase(models.Model):
    """The MARAC detail of a case: the IDVA, and who may see the victim's address."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="marac"
    )
    victim_ref = models.CharField(max_length=100, blank=True)
    perpetrator_ref = models.CharField(max_length=100, blank=True)
    idva = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When set, the victim's address is shown only to the named users (e.g. a refuge).
    address_restricted = models.BooleanField(default=False)
    address_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class MaracMeeting(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"

    held_on = models.DateField(db_index=True)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    chair = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="marac_meetings"
    )
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="marac_meetings")

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"MARAC {self.held_on:%d %B %Y}"


class AgencyResearch(models.Model):
    """What one agency holds on a case before a meeting: facts apart from opinion."""

    meeting = models.ForeignKey(MaracMeeting, on_delete=models.CASCADE, related_name="research")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="research")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    facts = EncryptedTextField(blank=True)
    opinion = EncryptedTextField(blank=True)
    recorded_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case", "agency"], name="marac_research_once_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class MaracAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    meeting = models.ForeignKey(MaracMeeting, on_delete=models.PROTECT, related_name="actions")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="marac_actions")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    due_on = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
