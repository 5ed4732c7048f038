"""The Board report PDF is rendered once per version of its content (issue 12, item 6)."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest

from saferhub.performance import reports
from saferhub.performance.report_cache import board_report_pdf_cached, cache_dir
from tests.performance.factories import make_survey_indicator

pytestmark = pytest.mark.django_db


def test_the_pdf_is_rendered_once_per_version(client_as: Any) -> None:
    indicator = make_survey_indicator()
    client = client_as("viewer")
    first = client.get("/performance/board-report.pdf?quarter=2024-Q4")
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert first["X-SaferHub-Cache"] == "miss"
    second = client.get("/performance/board-report.pdf?quarter=2024-Q4")
    assert second["X-SaferHub-Cache"] == "hit" and second.content == first.content
    assert len(list(cache_dir().glob("*.pdf"))) == 1

    from saferhub.performance import services

    services.indicator_update(actor="test", indicator=indicator, target_value=Decimal("70"))
    changed = client.get("/performance/board-report.pdf?quarter=2024-Q4")
    assert changed["X-SaferHub-Cache"] == "miss"  # an input changed: a new version
    assert len(list(cache_dir().glob("*.pdf"))) == 2


def test_parallel_first_requests_render_once(make_user: Any) -> None:
    make_survey_indicator()
    report = reports.board_report(user=make_user("viewer"), quarter="2024-Q4")
    results: list[bool] = []

    def fetch() -> None:
        results.append(board_report_pdf_cached(report)[1])

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True, True, True]
