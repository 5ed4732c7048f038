"""What the IOM and Channel page tests check of a refused form."""

from __future__ import annotations

from typing import Any


def refused_on(response: Any, field: str) -> str:
    """The page refused the form (400) with the error summary linking to ``field``, the
    error beside the field, and a title starting "Error: "; returns the page's text."""
    text = response.content.decode()
    assert response.status_code == 400, response.status_code
    assert "<title>Error: " in text and "govuk-error-summary" in text
    assert f'href="#id_{field}"' in text and f'id="id_{field}-error"' in text
    return text
