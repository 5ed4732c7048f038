"""The incidents app's audit actions (values at most 60 characters)."""

from __future__ import annotations

from enum import StrEnum


class RowProblemAction(StrEnum):
    """Who read the problem rows of an import, on a page, in an export or by the API."""

    VIEW = "row_problem.view"
    EXPORT = "row_problem.export"
