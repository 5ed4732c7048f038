"""Links a later app adds to the rows of an earlier app's tables (deny by default).

An assessment table (hotspots, repeat locations, ward changes) can offer, on each row,
"Create a problem" without the assessment knowing the problems app: the problems app
registers a :class:`RowLink` for the tables it understands, from its ``ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: (table key, columns, row, context such as the assessment's area code) -> query or None
RowParams = Callable[[str, list[str], list[Any], dict[str, Any]], dict[str, str] | None]


@dataclass(frozen=True)
class RowLink:
    table_suffix: str
    text: str
    url_name: str
    permission: str
    params: RowParams


ROW_LINKS: list[RowLink] = []


def row_link(link: RowLink) -> None:
    if all((x.table_suffix, x.url_name) != (link.table_suffix, link.url_name) for x in ROW_LINKS):
        ROW_LINKS.append(link)


def links_for(table_key: str) -> list[RowLink]:
    return [x for x in ROW_LINKS if table_key.endswith(x.table_suffix)]
