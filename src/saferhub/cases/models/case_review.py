"""The ASB Case Review (ASB, Crime and Policing Act 2014 s.104 and Schedule 4).

Complaints and applications carry the source system's pseudonymous references
(``victim_ref``, ``location_ref``), never names.
"""

from __future__ import annotations

from django.db import models

from saferhub.cases.fields import EncryptedTextField


class Complaint(models.Model):
    complaint_ref = models.CharField(max_length=100, unique=True)
    victim_ref = models.CharField(max_length=100, db_index=True)
    behaviour_date = models.DateField()
    reported_date = models.DateField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    location_ref = models.CharField(max_length=100)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )

    class Meta:
        ordering = ["behaviour_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reported_date__gte=models.F("behaviour_date")),
                name="complaint_reported_after_behaviour",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class CaseReviewApplication(models.Model):
    class ApplicantType(models.TextChoices):
        VICTIM = "victim", "The victim"
        THIRD_PARTY = "third_party", "A third party with the victim's consent"
        BUSINESS = "business", "A business"
        COMMUNITY_GROUP = "community_group", "A community group"

    class Decision(models.TextChoices):
        PENDING = "", "Not decided"
        MET = "met", "Threshold met: review to be held"
        NOT_MET = "not_met", "Threshold not met"

    class Source(models.TextChoices):
        STAFF = "staff", "Recorded by staff"
        PUBLIC = "public", "The public application form"
        IMPORT = "import", "An exchange set"

    application_ref = models.CharField(max_length=100, unique=True)
    # Blank until staff match a public application to the victim's complaints.
    victim_ref = models.CharField(max_length=100, db_index=True, blank=True)
    received_date = models.DateField(db_index=True)
    applicant_type = models.CharField(max_length=20, choices=ApplicantType.choices)
    consent = models.BooleanField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_due = models.DateField()
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    decided_on = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(
        "cases.CaseReviewMeeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    review_date = models.DateField(null=True, blank=True, db_index=True)
    recommendations = models.PositiveIntegerField(null=True, blank=True)
    outcome_letter_sent_on = models.DateField(null=True, blank=True)
    appeal_received_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=200, blank=True)
    # Added with the Case Review pages and the public form (personal fields encrypted).
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.IMPORT)
    applicant_name = EncryptedTextField(blank=True)
    applicant_contact = EncryptedTextField(blank=True)
    account = EncryptedTextField(blank=True, help_text="The applicant's account of what happened.")
    outcome_summary = EncryptedTextField(blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(applicant_type="third_party") | models.Q(consent=True),
                name="third_party_application_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return self.application_ref


class CaseReviewRecommendation(models.Model):
    application = models.ForeignKey(
        CaseReviewApplication, on_delete=models.CASCADE, related_name="recommendation_items"
    )
    text = models.CharField(max_length=500)
    owner = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
