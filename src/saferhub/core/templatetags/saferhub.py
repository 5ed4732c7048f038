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
