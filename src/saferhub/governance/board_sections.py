"""Sections other apps add to the quarterly Board pack, without governance importing them.

An app registers in ``AppConfig.ready``::

    board_section(BoardSection("asb-case-review", "ASB Case Review", "caption",
                               columns=[...], rows=lambda quarter: [...]))

``rows`` receives the pack's quarter (``2025-Q3``) and returns the table's rows (counts
only: the pack is shared with the Board). ``permission``, if set, is what a reader of the
pack must hold for the section to appear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BoardSection:
    key: str
    title: str
    caption: str
    columns: list[str]
    rows: Callable[[str], list[list[Any]]]
    note: str = ""
    permission: str = ""
    order: int = 100


_SECTIONS: dict[str, BoardSection] = {}


def board_section(section: BoardSection) -> BoardSection:
    _SECTIONS[section.key] = section
    return section


def board_sections() -> list[BoardSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


@dataclass(frozen=True)
class FilledSection:
    section: BoardSection
    rows: list[list[Any]]


def filled_sections(*, user: Any, quarter: str) -> list[FilledSection]:
    """The registered sections this reader may see, with their rows for ``quarter``."""
    return [
        FilledSection(s, s.rows(quarter))
        for s in board_sections()
        if not s.permission or user.has_perm(s.permission)
    ]
