"""Shared fixtures for the analysis tests (no Django needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Real public data kept beside the repository, never inside it.
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
POLICE_UK = SHARED_DATA / "police_uk" / "derbyshire"


@pytest.fixture(scope="session")
def police_uk_dir() -> Path:
    if not POLICE_UK.is_dir():
        pytest.skip("shared police.uk data not available")
    return POLICE_UK


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("shared data not available")
    return SHARED_DATA
