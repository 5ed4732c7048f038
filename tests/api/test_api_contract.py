"""The API against its own OpenAPI schema: schemathesis over every operation, as an
analyst and as a partnership manager (API tokens), for a bounded number of examples.

Fails on any server error (5xx) and on any response the schema does not describe: a
status code it does not list, a content type, or a body of another shape. The counts of
the last run are printed (``-s``) and written in docs/benchmarks.md.

Marked ``slow``: the full suite runs it on both databases; the fast lane skips it.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=False)]

# Examples per operation and role: with ~70 operations and 2 roles, a few hundred
# requests, well under two minutes on 2 cores.
EXAMPLES = int(os.environ.get("SAFERHUB_CONTRACT_EXAMPLES", "8"))


@dataclass
class Tally:
    operations: set[str] = field(default_factory=set)
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _run_role(schema: Any, token: str, role: str, tally: Tally) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        tally.operations.add(label)

        @settings(
            max_examples=EXAMPLES,
            phases=[Phase.explicit, Phase.generate],
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Token {token}"})
            tally.requests += 1
            tally.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, BaseExceptionGroup) as exc:  # schemathesis failures
                found = getattr(exc, "exceptions", [exc])
                titles = sorted(
                    {
                        getattr(e, "title", type(e).__name__)
                        + (
                            f" ({str(e).splitlines()[2][:160]})"
                            if os.environ.get("SAFERHUB_CONTRACT_DETAIL")
                            else ""
                        )
                        for e in found
                    }
                )
                tally.failures.append(
                    f"{role} {label} -> {response.status_code}: {', '.join(titles)}"
                )

        run()


def test_every_operation_answers_as_its_schema_says(make_user: Any) -> None:
    import schemathesis
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    from tests.conftest import api_token_key

    app = get_wsgi_application()
    # As Django's test client does: the requests share the test's database connection
    # (and its transaction), so the end of a request must not close it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
        tally = Tally()
        started = time.monotonic()
        for role in ["analyst", "manager"]:
            user = make_user(role, username=f"contract-{role}")
            _run_role(schema, api_token_key(user), role, tally)
        took = time.monotonic() - started
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    print(
        f"\nschemathesis: {len(tally.operations)} operations, {tally.requests} requests, "
        f"{len(tally.failures)} failures in {took:.0f} s; statuses {dict(tally.statuses)}"
    )
    for failure in tally.failures:
        print("  ", failure)
    assert tally.requests >= len(tally.operations)
    assert not [f for f in tally.failures if "-> 5" in f], "server errors"
    assert not tally.failures
