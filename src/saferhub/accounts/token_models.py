"""API tokens: named, expiring, revocable; only a hash of the key is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """One API token of one user.

    The key is shown once, when it is issued; the database holds its SHA-256 and the
    first characters (to tell tokens apart). A token stops working when it expires,
    is revoked (by its owner, an administrator, the user's deactivation or a password
    change), or when its user's password changes by any route (``password_mark``).
    """

    class RevokedBecause(models.TextChoices):
        OWNER = "owner", "Revoked by its owner"
        ADMINISTRATOR = "administrator", "Revoked by an administrator"
        PASSWORD = "password", "The password was changed"
        DEACTIVATED = "deactivated", "The account was deactivated"
        COMMAND_LINE = "command_line", "Revoked at the command line"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    password_mark = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_because = models.CharField(max_length=20, choices=RevokedBecause.choices, blank=True)
    last_used_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_because="")
                | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_because="")),
                name="api_token_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"
