"""One translation of Django's errors for the API (REST_FRAMEWORK["EXCEPTION_HANDLER"]).

Services raise Django's own exceptions; API views let them through, and this handler
answers as DRF would for its own:

* ``django.core.exceptions.ValidationError`` -> 400, ``{field: [messages]}`` (an error
  not tied to a field: ``{"detail": [messages]}``);
* ``django.core.exceptions.PermissionDenied`` -> 403; ``django.http.Http404`` -> 404
  (DRF's own handler already maps these two; they are named here so the mapping is in
  one place and tested).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def as_api_error(exc: Exception) -> Exception:
    """The DRF exception for a Django one (any other exception unchanged)."""
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    return drf_exception_handler(as_api_error(exc), context)
