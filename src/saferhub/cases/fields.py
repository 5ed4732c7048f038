"""Model fields whose values are encrypted at rest (see :mod:`saferhub.cases.crypto`).

Use :class:`EncryptedTextField` for names, addresses, phone numbers and notes, and
:class:`EncryptedDateField` for dates of birth. The database holds only ciphertext, so
these fields cannot be filtered or ordered on: search through a blind index instead.
Every model that has one is found by :func:`encrypted_fields` (key rotation, erasure).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db import models

from saferhub.cases import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted with the case keys; '' is stored as '' (nothing to hide)."""

    encrypted = True

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return crypto.decrypt(value) if value else ""

    def to_python(self, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str) and value.startswith(crypto.PREFIX):
            return crypto.decrypt(value)
        return str(value)

    def get_prep_value(self, value: Any) -> str:
        value = self.to_python(value)
        return crypto.encrypt(value) if value else ""


class EncryptedDateField(models.DateField):  # type: ignore[type-arg]
    """A date encrypted with the case keys (stored as encrypted ISO text in a text column)."""

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> str:
        return value if prepared else self.get_prep_value(value)

    def get_db_prep_save(self, value: Any, connection: Any) -> str:
        return self.get_prep_value(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> dt.date | None:  # type: ignore[override]
        text = crypto.decrypt(value) if value else ""
        return dt.date.fromisoformat(text) if text else None

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = crypto.decrypt(value) if str(value).startswith(crypto.PREFIX) else str(value)
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            from django.core.exceptions import ValidationError

            raise ValidationError(f"“{text}” is not a date: write it as 2001-04-30.") from exc

    def get_prep_value(self, value: Any) -> str:  # type: ignore[override]
        date = self.to_python(value)
        return crypto.encrypt(date.isoformat()) if date else ""


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every installed model with encrypted fields, and those fields' names."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
        if names:
            found.append((model, names))
    return found
