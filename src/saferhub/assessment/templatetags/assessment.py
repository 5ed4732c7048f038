"""Small filters for the assessment templates."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def absval(value: Any) -> Any:
    return abs(value) if isinstance(value, int | float) else value


@register.filter
def ptext(value: Any) -> str:
    from saferhub.assessment.build import p_text

    return p_text(value) if isinstance(value, int | float) else ""


@register.filter
def intcomma_plain(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, int | float):
        return f"{value:,.0f}"
    return str(value)


@register.filter
def map_table(theme: dict[str, Any]) -> dict[str, Any]:
    """The full table behind a theme's map: every LSOA's count and Gi* class."""
    rows = [[code, *values] for code, values in sorted(theme["map"].items())]
    return {
        "key": f"{theme['key']}_map",
        "title": f"{theme['title']}: every LSOA",
        "columns": ["LSOA", "Count this period", "Gi* class"],
        "rows": rows,
        "method": "Records per LSOA this period; Gi* class as in the hot spot table",
        "source": "police.uk",
        "empty": "No LSOAs.",
    }


@register.filter
def cell(value: Any) -> Any:
    """A table cell for reading: thousands separators on numbers; codes and text as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text
