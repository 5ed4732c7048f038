"""Tiles of the signed-in home page: apps register theirs in ``AppConfig.ready``.

A tile says what it counts, links to the page behind it and is shown to the roles it
names that also hold its permission (so nothing a role may not see). ``count(user)``
reads the app's own selectors, in the user's scope; it returns a number or a short text
(a month). Apps that land later (cases, governance, problems) add their tiles the same
way: case reviews due, high risks, budget variance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from saferhub.accounts.roles import role_of


@dataclass(frozen=True)
class HomeTile:
    key: str
    title: str
    counts: str  # what the figure counts, in a sentence
    url_name: str
    permission: str
    roles: frozenset[str]
    count: Callable[[Any], int | str]
    order: int = 100


_TILES: dict[str, HomeTile] = {}


def home_tile(tile: HomeTile) -> HomeTile:
    _TILES[tile.key] = tile
    return tile


def tiles_for(user: Any) -> list[tuple[HomeTile, int | str]]:
    """The tiles for the user's role that their permissions allow, with their figures."""
    role = role_of(user)
    if role is None:
        return []
    shown = [
        t
        for t in sorted(_TILES.values(), key=lambda t: (t.order, t.key))
        if role.key in t.roles and user.has_perm(t.permission)
    ]
    return [(t, t.count(user)) for t in shown]
