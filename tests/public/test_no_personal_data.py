"""Walk every public URL in every language: no field of a user appears anywhere.

The records behind the pages are made by a user with unmistakable values in every text
field, and a value entered with an evidence note (internal); none of them may leak.
Cases and parties are added to this walk when the case work lands.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings

from saferhub.performance import services
from saferhub.performance.models import Indicator
from saferhub.public.registry import sections

pytestmark = pytest.mark.django_db


def _public_urls(prefix: str, indicator_pks: list[int]) -> list[str]:
    urls = [
        f"{prefix}/public/",
        *(f"{prefix}/public/{p}/" for p in ("accessibility", "privacy", "contact")),
    ]
    for section in sections():
        urls.append(f"{prefix}/public/{section.key}/")
        urls += [f"{prefix}/public/{section.key}/download.{fmt}" for fmt in ("csv", "json")]
        if section.item is not None:
            urls += [f"{prefix}/public/{section.key}/{pk}/" for pk in indicator_pks]
    return urls


def test_no_user_field_on_any_public_url(client: Any, make_user: Any) -> None:
    user = make_user(
        "manager",
        username="zqxuser",
        first_name="Zebedee",
        last_name="Quixotic",
    )
    user.job_title = "Secret Job Title Zq"
    user.save()
    priority = services.priority_create(
        actor=user, title="Reduce burglary", matters_because="Homes should feel safe."
    )
    indicator = services.indicator_create(
        actor=user,
        priority=priority,
        title="Residents who feel safe",
        kind=Indicator.Kind.SURVEY_PERCENTAGE,
        unit="%",
        direction=Indicator.Direction.HIGHER,
        baseline_period="2023/24",
        baseline_value=Decimal("60"),
        target_kind=Indicator.TargetKind.ABSOLUTE,
        target_value=Decimal("66"),
        target_period="2025/26",
        lead_agency=user.agency,
        data_source="Residents' survey",
    )
    services.measurement_enter(
        actor=user,
        indicator=indicator,
        period="2024/25",
        value=Decimal("62"),
        evidence="Evidence note Zq only for partners",
    )
    services.indicator_set_public(actor=user, indicator=indicator, public=True)
    secrets = [
        user.username,
        user.email,
        user.first_name,
        user.last_name,
        user.job_title,
        "Evidence note Zq",
    ]
    walked = 0
    for code, _name in settings.LANGUAGES:
        prefix = "" if code == settings.LANGUAGES[0][0] else f"/{code}"
        for url in _public_urls(prefix, [indicator.pk]):
            response = client.get(url)
            assert response.status_code in {200, 404}, url
            body = response.content.decode()
            for secret in secrets:
                assert secret not in body, f"{secret!r} on {url}"
            walked += response.status_code == 200
    assert walked >= 3 * 10
    assert "Residents who feel safe" in client.get("/public/performance/").content.decode()


def test_signed_in_users_see_the_public_site_too(client: Any, make_user: Any) -> None:
    from saferhub.accounts.roles import ROLES
    from tests.conftest import verified_client

    for role in ROLES:
        signed_in = verified_client(client, make_user(role, username=f"pub-{role}"))
        assert signed_in.get("/public/").status_code == 200, role
        signed_in.logout()
