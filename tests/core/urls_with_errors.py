"""The site's URLs plus pages that fail on purpose, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from saferhub.config.urls import handler400, handler403, handler404, handler500, urlpatterns


@login_not_required
def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internal detail that must never reach a page")


urlpatterns = [path("test-errors/boom/", boom), *urlpatterns]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
