"""The public site's sections: each app registers its own in ``AppConfig.ready``.

A section has a key (its address under ``/public/``), a title and summary (translatable),
and ``content``: a function returning the template context of its page, or ``None`` while
the partnership has published nothing for it ("not yet published"). ``table`` gives its
figures for download (CSV and JSON, with their source and licence).

An app that fills a section later (the ASB Case Review from the case work, the end-of-year
summary from governance) registers the same key with its content; a placeholder never
replaces a section already registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PublicTable:
    """Published figures: column headings, rows, where they come from."""

    columns: list[str]
    rows: list[list[Any]]
    source: str


@dataclass(frozen=True)
class PublicSection:
    key: str
    title: Any
    summary: Any
    order: int = 100
    template: str = "public/section.html"
    content: Callable[[], dict[str, Any] | None] | None = None
    table: Callable[[], PublicTable | None] | None = None
    # A page per published item (``/public/<key>/<pk>/``): its context, or Http404.
    item: Callable[[int], dict[str, Any]] | None = None
    item_template: str = ""
    # A large-print PDF of the section (WeasyPrint renders this template), if it has one.
    large_print_template: str = ""
    # Models (``app_label.ModelName``) whose change makes the section's cached pages stale.
    depends_on: tuple[str, ...] = ()
    placeholder: bool = field(default=False, compare=False)


_SECTIONS: dict[str, PublicSection] = {}


def public_section(section: PublicSection) -> PublicSection:
    """Register a section (replacing a placeholder of the same key, never a real one)."""
    from saferhub.public import cache

    existing = _SECTIONS.get(section.key)
    if existing is not None and section.placeholder:
        return existing
    _SECTIONS[section.key] = section
    cache.connect(set(section.depends_on))
    return section


def sections() -> list[PublicSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def section_get(key: str) -> PublicSection | None:
    return _SECTIONS.get(key)
