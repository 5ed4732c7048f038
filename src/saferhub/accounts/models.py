"""Agencies, users, and the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models


class Agency(models.Model):
    """A partner agency of the partnership. Every user belongs to one."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        COUNCIL = "council", "Council"
        FIRE = "fire", "Fire and rescue"
        HEALTH = "health", "Health"
        PROBATION = "probation", "Probation"
        HOUSING = "housing", "Housing"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        permissions = [
            ("view_personal_data", "Can see personal data (need-to-know, case work)"),
            ("view_audit", "Can search and export the audit log"),
            ("manage_users", "Can manage users and their roles"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class AuditEvent(models.Model):
    """One audit event. Append-only and chained: each row's hash covers the previous hash.

    Rows are never updated or deleted by the application; ``saferhub audit verify``
    recomputes the chain and reports the first row that does not match.
    """

    sequence = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    agency_code = models.CharField(max_length=50, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    source_address = models.GenericIPAddressField(null=True, blank=True)
    old_values = models.JSONField(default=dict, blank=True)
    new_values = models.JSONField(default=dict, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The id of the HMAC key that chained this event; empty for the unkeyed events
    # stored before keys existed (verified as the chain's legacy prefix).
    key_id = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """A single row holding the latest hash, locked while an event is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return self.last_hash


from saferhub.accounts.token_models import ApiToken  # noqa: E402  (registered with the app)

__all__ = ["Agency", "ApiToken", "AuditChainHead", "AuditEvent", "User"]


class SignInDelay(models.Model):
    """Failed sign-ins counted under one user name, one client address or one known
    browser, and the wait they impose (see ``accounts/sign_in_delays.py``)."""

    class Kind(models.TextChoices):
        USERNAME = "username", "User name"
        ADDRESS = "address", "Client address"
        DEVICE = "device", "Known browser"
        PAIR = "pair", "User name at an address"  # bookkeeping only, never a wait

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=200)
    failures = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    wait_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="sign_in_delay_kind_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.failures}"


class PasswordResetSent(models.Model):
    """One password-reset email asked for: counted per address and per account to limit
    them. The address is kept only as a keyed digest."""

    sent_at = models.DateTimeField(db_index=True)
    email_digest = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE)
    source_address = models.CharField(max_length=64, blank=True)
    sent = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d %H:%M} {self.email_digest[:8]}"
