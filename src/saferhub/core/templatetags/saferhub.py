"""Template helpers: GOV.UK widgets for Django form fields, number formatting."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = {
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "textarea": "govuk-textarea",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


@register.simple_tag
def govuk_widget(field: BoundField) -> SafeString:
    """Render a field's widget with the GOV.UK class and the hint/error ``aria-describedby``."""
    css = WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    if field.errors:
        css += f" {css}--error"
    attrs: dict[str, Any] = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    existing = field.field.widget.attrs.get("class", "")
    if existing:
        attrs["class"] = (
            f"{existing} {attrs['class']}"
            if "govuk" not in existing
            else existing + (" " + css.split()[0] + "--error" if field.errors else "")
        )
    return field.as_widget(attrs=attrs)


@register.filter
def number(value: Any, places: int = 0) -> str:
    """A number with thousands separators (blank for None)."""
    if value is None or value == "":
        return "–"
    try:
        return f"{float(value):,.{int(places)}f}"
    except (TypeError, ValueError):
        return str(value)


@register.simple_tag(takes_context=True)
def row_links_apply(context: template.Context, table: dict[str, Any]) -> bool:
    """Whether any registered row link applies to ``table`` for the signed-in user."""
    from saferhub.core.row_links import links_for

    user = getattr(context.get("request"), "user", None)
    return any(user is not None and user.has_perm(x.permission) for x in links_for(table["key"]))


@register.simple_tag(takes_context=True)
def row_links(context: template.Context, table: dict[str, Any], row: list[Any]) -> SafeString:
    """The registered links for one row of ``table`` (GOV.UK links, a visually hidden row name)."""
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils.html import format_html_join

    from saferhub.core.row_links import links_for

    user = getattr(context.get("request"), "user", None)
    report = context.get("a") or {}
    extra = {"area": (report.get("area") or {}).get("code", "") if isinstance(report, dict) else ""}
    items = []
    for link in links_for(table["key"]):
        if user is None or not user.has_perm(link.permission):
            continue
        query = link.params(table["key"], table["columns"], row, extra)
        if query:
            items.append((reverse(link.url_name) + "?" + urlencode(query), link.text, row[0]))
    return format_html_join(
        " ",
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> for {}</span></a>',
        items,
    ) or SafeString("")


@register.simple_tag(takes_context=True)
def area_links(context: template.Context, area: Any) -> SafeString:
    """Buttons a later app registers for an area's page (table key ``area_page``)."""
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils.html import format_html_join

    from saferhub.core.row_links import links_for

    user = getattr(context.get("request"), "user", None)
    items = []
    for link in links_for("area_page"):
        if user is None or not user.has_perm(link.permission):
            continue
        query = link.params("area_page", ["code", "level"], [area.code, area.level], {})
        if query:
            items.append((reverse(link.url_name) + "?" + urlencode(query), link.text, area.name))
    return format_html_join(
        "",
        '<a class="govuk-button govuk-button--secondary" data-module="govuk-button" href="{}">'
        '{}<span class="govuk-visually-hidden"> in {}</span></a>',
        items,
    )
