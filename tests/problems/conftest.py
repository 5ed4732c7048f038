"""The real Derbyshire data for the problems tests: the incidents module's fixtures."""

from __future__ import annotations

from tests.assessment.conftest import derby  # noqa: F401  (the assessment built from files)
from tests.incidents.conftest import derbyshire, geography_only  # noqa: F401
