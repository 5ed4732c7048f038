"""Pages of the public site: no sign-in, in every language of the partnership.

Views are thin: the content comes from the registered sections, which read only
published aggregates through their apps' selectors.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.views.decorators.http import require_safe

from saferhub.public import selectors
from saferhub.public.registry import PublicSection, section_get, sections


def _alternates(request: HttpRequest) -> list[dict[str, str]]:
    path = request.path
    current = translation.get_supported_language_variant(translation.get_language())
    return [
        {"code": code, "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
        if code != current
    ]


def _render(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    ctx = {
        "alternates": _alternates(request),
        "default_language_url": translate_url(request.path, settings.LANGUAGES[0][0]),
        "public_sections": sections(),
        "unknown_language": request.GET.get("unknown_language", "")[:20],
        **(context or {}),
    }
    return render(request, template, ctx, status=status)


def cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark the view's pages as the same for every reader of a language, so that
    ``PublicPageCacheMiddleware`` keeps them until what they show changes (``cache``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.public_cacheable = True  # type: ignore[attr-defined]
        return response

    return wrapper


def not_found_in_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public page that does not exist (or is not published) is a 404 page of the public
    site, in the page's language, rather than the signed-in service's English one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _render(request, "public/404.html", status=404)

    return wrapper


def _section(key: str) -> PublicSection:
    section = section_get(key)
    if section is None:
        raise Http404("No such section.")
    return section


@login_not_required
@require_safe
@cached
def index(request: HttpRequest) -> HttpResponse:
    return _render(request, "public/index.html")


@login_not_required
@require_safe
@not_found_in_language
@cached
def section(request: HttpRequest, key: str) -> HttpResponse:
    sec = _section(key)
    content = selectors.section_content(sec)
    return _render(
        request,
        sec.template if content is not None else "public/section.html",
        {"section": sec, "content": content, "has_table": sec.table is not None},
    )


@login_not_required
@require_safe
@not_found_in_language
@cached
def section_item(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    sec = _section(key)
    if sec.item is None:
        raise Http404("This section has no items.")
    return _render(request, sec.item_template, {"section": sec, **sec.item(pk)})


@login_not_required
@require_safe
@not_found_in_language
@cached
def section_download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "json"}:
        raise Http404("Downloads are CSV or JSON.")
    sec = _section(key)
    table = selectors.section_table(sec)
    if table is None:
        raise Http404("Nothing published to download.")
    filename = f"{key}.{fmt}"
    if fmt == "json":
        body = {
            "title": str(sec.title),
            "source": table.source,
            "licence": selectors.OGL,
            "licence_url": selectors.OGL_URL,
            "columns": table.columns,
            "rows": table.rows,
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, default=str, indent=1),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        writer.writerow([])
        writer.writerow(["Source", table.source])
        writer.writerow(["Licence", f"{selectors.OGL} {selectors.OGL_URL}"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_safe
@not_found_in_language
@cached
def section_large_print(request: HttpRequest, key: str) -> HttpResponse:
    """The section as a large-print PDF (18 point type and more), in the page's language."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    sec = _section(key)
    content = selectors.section_content(sec)
    if not sec.large_print_template or content is None:
        raise Http404("No large-print version of this section.")
    html = render_to_string(
        sec.large_print_template, {"section": sec, "content": content}, request=request
    )
    response = HttpResponse(bytes(HTML(string=html).write_pdf()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{key}-large-print.pdf"'
    return response


@login_not_required
@require_safe
@cached
def page(request: HttpRequest, name: str) -> HttpResponse:
    return _render(request, f"public/{name}.html")


@login_not_required
@require_safe
def unknown_language(request: HttpRequest, prefix: str, rest: str) -> HttpResponse:
    """A language prefix we do not hold: the English page, with a notice (not a 404)."""
    with translation.override(settings.LANGUAGES[0][0]):
        target = f"/public/{rest}"
    return redirect(f"{target}?unknown_language={prefix[:20]}")
