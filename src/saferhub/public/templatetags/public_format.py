"""Months and periods on public pages, in the page's language (Django's localisation).

A month is held as ``YYYY-MM`` (or the first of the month); it is shown as the
language's "month year" (``November 2024``, ``Tachwedd 2024``). A financial year
(``2024/25``) and a year are numbers and stay as written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from saferhub.core.periods import month_or_none

register = template.Library()

_ROLLING = re.compile(r"^12 months to (\d{4}-\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def _month(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return month_or_none(str(value)) if value else None


@register.filter
def public_month(value: Any) -> str:
    """``2024-11`` -> ``November 2024`` / ``Tachwedd 2024``; anything else as it is."""
    month = _month(value)
    if month is None:
        return "" if value is None else str(value)
    return date_format(month, "YEAR_MONTH_FORMAT")


@register.filter
def public_month_short(value: Any) -> str:
    """``2024-11`` -> ``Nov 2024`` / ``Tach 2024`` (chart axes)."""
    month = _month(value)
    if month is None:
        return "" if value is None else str(value)
    return date_format(month, "M Y")


@register.filter
def public_period(value: Any) -> str:
    """An indicator's period in the page's language (months named, quarters in words)."""
    if value is None:
        return ""
    text = str(value)
    if m := _ROLLING.match(text):
        return _("12 months to %(month)s") % {"month": public_month(m.group(1))}
    if m := _QUARTER.match(text):
        return _("Quarter %(quarter)s %(year)s") % {"quarter": m.group(2), "year": m.group(1)}
    if month_or_none(text):
        return public_month(text)
    return text
