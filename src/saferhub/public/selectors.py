"""Reads for the public site: only published aggregates, through the apps' selectors.

The small-count rule: a count from partner data (a theme that is not police.uk's own
published crime) is published only when it is at least :data:`SMALL_COUNT`; a smaller
count is shown as "fewer than 5", so that nobody can be recognised from it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saferhub.public.registry import PublicSection, PublicTable

SMALL_COUNT = 5
OGL = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def published_count(count: int | None) -> int | str | None:
    """A partner-data count as published: the count, or "fewer than 5" below 5 (not 0)."""
    if count is None:
        return None
    if 0 < count < SMALL_COUNT:
        return _("fewer than 5")
    return int(count)


def section_content(section: PublicSection) -> dict[str, Any] | None:
    """The section's page context, or None while it has nothing published."""
    if section.content is None:
        return None
    return section.content()


def section_table(section: PublicSection) -> PublicTable | None:
    if section.table is None:
        return None
    return section.table()
