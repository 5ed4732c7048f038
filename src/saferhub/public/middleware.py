"""Serve cached public pages before the rest of the middleware runs.

A public page is the same for every reader of a language (no sign-in, no form, no
cookie), so its whole response (body and the headers the other middleware added: content
security policy, frame options, language) is kept and served again from the outermost
layer, skipping sessions, authentication and the view, until what it shows changes
(:mod:`saferhub.public.cache`). Only responses the public views mark as cacheable are
kept, and never one that sets a cookie.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from saferhub.public import cache

PUBLIC_PATH = re.compile(r"^/(?:[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})?/)?public/")
# Query parameters a public page reads; any other query is served but not cached, so
# that made-up queries cannot fill the cache.
CACHED_QUERY = {"unknown_language"}
SKIPPED_HEADERS = {"set-cookie", "date", "x-public-cache"}


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET" or not PUBLIC_PATH.match(request.path_info):
            return self.get_response(request)
        if set(request.GET) - CACHED_QUERY:
            return self.get_response(request)
        try:
            key = cache.page_key(
                language=translation.get_language_from_path(request.path_info)
                or settings.LANGUAGE_CODE,
                path=request.path,
                query=request.GET.urlencode(),
            )
            hit = django_cache.get(key)
        except Exception:  # noqa: BLE001 (cache unreachable: serve the page uncached)
            cache.log.exception("Could not read the public page cache")
            return self.get_response(request)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Public-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(response, "public_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            try:
                django_cache.set(key, (response.content, headers), cache.TIMEOUT)
            except Exception:  # noqa: BLE001 (cache unreachable: the page was still served)
                cache.log.exception("Could not store a public page in the cache")
        return response
