"""What the IOM and Channel page tests check of a refused form."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def refused_on(response: Any, field: str) -> str:
    """The page refused the form (400) with the error summary linking to ``field``, the
    error beside the field, and a title starting "Error: "; returns the page's text."""
    text = response.content.decode()
    assert response.status_code == 400, response.status_code
    assert "<title>Error: " in text and "govuk-error-summary" in text
    assert f'href="#id_{field}"' in text and f'id="id_{field}-error"' in text
    return text


def post_step(client: Any, name: str, pk: int, data: dict[str, Any]) -> Any:
    """POST ``data`` to the step page ``cases:<name>`` of ``pk``."""
    return client.post(reverse(f"cases:{name}", args=[pk]), data)


def audit_events(action: str, actor: Any, case: Any) -> Any:
    """The audit events of ``action`` by ``actor`` on ``case``."""
    from saferhub.accounts.models import AuditEvent

    return AuditEvent.objects.filter(action=action, actor=actor, object_id=str(case.pk))
