"""One handler turns Django's exceptions into the API's answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from saferhub.core.api_errors import exception_handler


def _answer(exc: Exception) -> Any:
    view = APIView()
    request = APIRequestFactory().get("/")
    response = exception_handler(exc, {"view": view, "request": request})
    assert response is not None
    return response.status_code, response.data


def test_django_errors_become_api_answers() -> None:
    status, data = _answer(ValidationError({"title": ["Enter a title."]}))
    assert status == 400 and data == {"title": ["Enter a title."]}
    status, data = _answer(ValidationError("The period has ended."))
    assert status == 400 and data == {"detail": ["The period has ended."]}
    status, data = _answer(PermissionDenied("Only the lead partner may update it."))
    assert status == 403 and data == {"detail": "Only the lead partner may update it."}
    status, data = _answer(Http404("No such action."))
    assert status == 404 and data == {"detail": "No such action."}


def test_other_errors_are_not_turned_into_answers() -> None:
    view = APIView()
    request = APIRequestFactory().get("/")
    assert exception_handler(KeyError("x"), {"view": view, "request": request}) is None
