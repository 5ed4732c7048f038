"""Every environment variable the settings read is documented in .env.example."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_env_example_documents_every_variable() -> None:
    source = (REPO / "src" / "saferhub" / "config" / "settings.py").read_text()
    read = set(re.findall(r"\b(?:env|env_bool|env_int|required)\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= read
    example = (REPO / ".env.example").read_text()
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", example, flags=re.M))
    missing = sorted(read - documented)
    assert not missing, f"Add these to .env.example, with a comment: {missing}"
    unknown = sorted(documented - read)
    assert not unknown, f".env.example names variables the settings never read: {unknown}"
