"""Channel panel cases (Counter-Terrorism and Security Act 2015 s.36): referral, the panel's
vulnerability assessment, a support plan with recorded consent, support providers, reviews,
exit, and reviews 6 and 12 months after exit. A case of type ``channel`` is seen only by the
Channel role and the panel's named members."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferhub.cases.fields import EncryptedTextField


class ChannelCase(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="channel"
    )
    referred_on = models.DateField()
    referring_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    concern = EncryptedTextField(blank=True)
    panel_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="channel_panels"
    )
    exited_on = models.DateField(null=True, blank=True)
    exit_reason = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ChannelAssessment(models.Model):
    """The panel's vulnerability assessment: engagement, intent and capability."""

    class Decision(models.TextChoices):
        ADOPT = "adopt", "Adopt as a Channel case"
        NOT_ADOPT = "not_adopt", "Not adopted: no further action"
        OTHER_SUPPORT = "other_support", "Not adopted: referred to other support"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="channel_assessments"
    )
    assessed_on = models.DateField()
    engagement = EncryptedTextField(blank=True)
    intent = EncryptedTextField(blank=True)
    capability = EncryptedTextField(blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices)

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ChannelSupportPlan(models.Model):
    """The support plan, and the consent to it: how, when and by whom it was sought."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="channel_plans")
    agreed_on = models.DateField()
    summary = EncryptedTextField(blank=True)
    consent_sought_how = models.CharField(max_length=200)
    consent_sought_on = models.DateField()
    consent_sought_by = models.CharField(max_length=200)
    consent_given = models.BooleanField()

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ChannelSupport(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="channel_support")
    provider = models.CharField(max_length=200)
    kind = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class ChannelReview(models.Model):
    class Kind(models.TextChoices):
        PANEL = "panel", "Panel review"
        SIX_MONTHS = "six_months", "Review 6 months after exit"
        TWELVE_MONTHS = "twelve_months", "Review 12 months after exit"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="channel_reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    summary = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
