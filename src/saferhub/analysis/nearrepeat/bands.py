"""Band edges and labels for the Knox test (see the package docstring for the convention)."""

from __future__ import annotations

from collections.abc import Sequence


def band_edges(width: int, count: int) -> tuple[int, ...]:
    """Upper edges ``(width, 2 width, ..., count x width)`` of equal bands."""
    if width < 1 or count < 1:
        raise ValueError("band width and count must be positive whole numbers")
    return tuple(width * k for k in range(1, count + 1))


def check_edges(edges: Sequence[int], *, allow_zero: bool, name: str) -> tuple[int, ...]:
    out = tuple(int(e) for e in edges)
    if not out:
        raise ValueError(f"{name} needs at least one edge")
    if any(float(a) != float(b) for a, b in zip(out, edges)):
        raise ValueError(f"{name} must be whole numbers")
    if out[0] < (0 if allow_zero else 1) or any(b <= a for a, b in zip(out, out[1:])):
        raise ValueError(
            f"{name} must be strictly increasing and {'>= 0' if allow_zero else '> 0'}"
        )
    return out


def distance_band_labels(edges: Sequence[int], *, same_location: bool = True) -> tuple[str, ...]:
    """Labels for distance bands, e.g. ``("same location", "1–200 m", "201–400 m")``."""
    labels = ["same location"] if same_location else []
    low = 1 if same_location else 0
    for high in edges:
        labels.append(f"{low}–{high} m")
        low = high + 1
    return tuple(labels)


def time_band_labels(edges: Sequence[int], *, unit: str = "days") -> tuple[str, ...]:
    """Labels for time bands, e.g. ``("0–7 days", "8–14 days")``."""
    labels = []
    low = 0
    for high in edges:
        labels.append(f"{low}–{high} {unit}" if high != low else f"{low} {unit}")
        low = high + 1
    return tuple(labels)


def band_limits(edges: tuple[int, ...], same_location: bool) -> tuple[list[int], list[int]]:
    lows = [0] if same_location else []
    highs = [0] if same_location else []
    low = 1 if same_location else 0
    for high in edges:
        lows.append(low)
        highs.append(high)
        low = high + 1
    return lows, highs
