"""The generic foundation every case type shares.

* :class:`Case`: one row per case of any type (``case_type`` from the registry), with its
  lead agency, officer, status, closure and retention state. A type adds a one-to-one
  detail model (``AsbCase``).
* :class:`CaseAgency`: agencies added to a case (need-to-know: lead or added).
* :class:`Person`: one identity, its personal fields encrypted, found by blind index.
* :class:`Party`: a person's part in one case, with the lawful basis and consent.
* :class:`BreakGlassGrant`: emergency access with a written reason, time-limited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferhub.cases.fields import EncryptedDateField, EncryptedTextField


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    case_type = models.CharField(max_length=20, db_index=True)
    reference = models.CharField(max_length=40, unique=True)
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="led_cases"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases_as_officer",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.CharField(max_length=300, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    linked_cases = models.ManyToManyField("self", blank=True, symmetrical=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        permissions = [
            ("work_asb", "Works ASB cases and case reviews"),
            ("work_marac", "Works MARAC cases"),
            ("work_iom", "Works IOM cases"),
            ("work_channel", "Works Channel cases"),
            ("break_glass", "May open a case outside their scope, with a reason"),
            ("subject_access", "May export everything held about one person"),
            ("view_case_review_figures", "May see the ASB Case Review figures (counts only)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseAgency(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="case_agency_once")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class BreakGlassGrant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Person(models.Model):
    """One person's identity. Everything identifying is encrypted; ``name_dob_index`` is
    the keyed digest of name plus date of birth, for exact-match search."""

    full_name = EncryptedTextField(blank=True)
    date_of_birth = EncryptedDateField(blank=True, null=True)
    address = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    name_dob_index = models.CharField(max_length=64, blank=True, db_index=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Person {self.pk}"


class Party(models.Model):
    class Role(models.TextChoices):
        VICTIM = "victim", "Victim or complainant"
        PERPETRATOR = "perpetrator", "Perpetrator or respondent"
        WITNESS = "witness", "Witness"

    class Article6(models.TextChoices):
        CONSENT = "consent", "6(1)(a) consent"
        LEGAL_OBLIGATION = "legal_obligation", "6(1)(c) legal obligation"
        VITAL_INTERESTS = "vital_interests", "6(1)(d) vital interests"
        PUBLIC_TASK = "public_task", "6(1)(e) public task"

    class Schedule1(models.TextChoices):
        NONE = "", "Not needed (no special category or criminal offence data)"
        STATUTORY = "statutory", "Sch.1 para 6 statutory and government purposes"
        PREVENTING_CRIME = "preventing_crime", "Sch.1 para 10 preventing or detecting crime"
        SAFEGUARDING = "safeguarding", "Sch.1 para 18 safeguarding of children and adults at risk"
        CONSENT = "explicit_consent", "Art.9(2)(a) explicit consent"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="parties"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    unknown = models.BooleanField(default=False, help_text="A perpetrator not yet identified.")
    vulnerable = models.BooleanField(default=False)
    vulnerability_flags = models.JSONField(default=list, blank=True)
    article6_basis = models.CharField(max_length=20, choices=Article6.choices, blank=True)
    special_category = models.BooleanField(default=False)
    schedule1_condition = models.CharField(
        max_length=20, choices=Schedule1.choices, blank=True, default=""
    )
    notes = EncryptedTextField(blank=True)
    source_ref = models.CharField(max_length=100, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class PartyConsent(models.Model):
    """A party's consent to share their data with one named agency."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="consents")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["party", "agency"], name="consent_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class CaseReviewMeeting(models.Model):
    """A review panel meeting (generic: ASB Case Reviews now, case conferences later)."""

    held_on = models.DateField()
    chair = models.CharField(max_length=200, blank=True)
    notes = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
