"""The site's URLs plus pages that fail on purpose, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from saferhub.config.urls import handler400, handler403, handler404, handler500, urlpatterns


@login_not_required
def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internal detail that must never reach a page")


@login_not_required
def database_gone(request: HttpRequest) -> HttpResponse:
    # What psycopg raises, through Django, when the server restarts under a request.
    raise OperationalError("server closed the connection unexpectedly at 10.0.0.5")


urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/database-gone/", database_gone),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
