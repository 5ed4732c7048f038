"""Every public page in English and Welsh: no sign-in, the right language, no English left."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from saferhub.public.catalogue import public_strings
from tests.public.factories import make_plan, make_published_indicator

pytestmark = pytest.mark.django_db

PAGES = [
    "",
    "plan/",
    "performance/",
    "crime/",
    "asb-case-review/",
    "asb-case-review/apply/",
    "end-of-year/",
    "accessibility/",
    "privacy/",
    "contact/",
]


@pytest.fixture
def published() -> Any:
    make_plan()
    return make_published_indicator()


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)" dir="(ltr|rtl)"', html)
    assert match, "no lang and dir on <html>"
    return match.group(1)


def _english_left(html: str) -> list[str]:
    """Public strings still in English on a Welsh page (those whose Welsh differs)."""
    body = html.replace("&#x27;", "'").replace("&quot;", '"')
    with translation.override("cy"):
        strings = [s for s in public_strings() if translation.gettext(s) != s and len(s) > 6]
    return [s for s in strings if s.replace("%%", "%") in body]


@pytest.mark.parametrize("page", PAGES)
def test_page_in_english_and_welsh(client: Any, published: Any, page: str) -> None:
    en = client.get(f"/public/{page}")
    cy = client.get(f"/cy/public/{page}")
    assert en.status_code == 200 and cy.status_code == 200
    en_html, cy_html = en.content.decode(), cy.content.decode()
    assert _lang(en_html) == "en-gb"
    assert _lang(cy_html) == "cy"
    # Each links to the same page in the other language, with hreflang.
    assert f'hreflang="cy" href="/cy/public/{page}"' in en_html
    assert f'hreflang="en-gb" href="/public/{page}"' in cy_html
    assert f'hreflang="x-default" href="/public/{page}"' in cy_html
    assert _english_left(cy_html) == []


def test_welsh_catalogue_complete() -> None:
    with translation.override("cy"):
        missing = [s for s in public_strings() if translation.gettext(s) == s]
    assert missing == []


def test_welsh_page_shows_welsh_words(client: Any, published: Any) -> None:
    html = client.get("/cy/public/plan/").content.decode()
    assert "Mae’n bwysig oherwydd" in html
    assert "Violence harms people and places." in html  # the partnership's own words


def test_urdu_chrome_is_right_to_left(client: Any) -> None:
    html = client.get("/ur/public/").content.decode()
    assert '<html lang="ur" dir="rtl"' in html
    assert "مرکزی مواد پر جائیں" in html  # "Skip to main content"


def test_unknown_language_prefix_gives_english_with_a_notice(client: Any) -> None:
    response = client.get("/fr/public/plan/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert _lang(html) == "en-gb"
    assert "not available in the language you asked for" in html


def test_not_a_language_at_all_is_a_404_page_not_a_500(client: Any) -> None:
    assert client.get("/public/no-such-section/").status_code == 404


def test_published_indicator_page_and_unpublished_is_404(client: Any, published: Any) -> None:
    assert client.get(f"/public/performance/{published.pk}/").status_code == 200
    assert client.get(f"/cy/public/performance/{published.pk}/").status_code == 200
    from tests.performance.factories import make_survey_indicator

    hidden = make_survey_indicator(title="Internal only")
    assert client.get(f"/public/performance/{hidden.pk}/").status_code == 404
    assert "Internal only" not in client.get("/public/performance/").content.decode()


def test_plan_shows_the_three_statements_and_objectives(client: Any, published: Any) -> None:
    html = client.get("/public/plan/").content.decode()
    for text in [
        "It matters because",
        "We hope that together we can",
        "Together we will",
        "Patrol hotspots and support victims.",
        "Fewer assaults",
    ]:
        assert text in html


def test_performance_says_status_in_plain_words(client: Any, published: Any) -> None:
    html = client.get("/public/performance/").content.decode()
    assert "Residents who feel safe after dark" in html
    assert re.search(r"(On track|At risk|Off track|Not yet measurable): ", html)


def test_sections_not_yet_filled_say_not_yet_published(client: Any) -> None:
    # (The ASB Case Review section is filled by case work: tests/cases/test_public_form.py.)
    for page in ["end-of-year/", "crime/"]:
        assert "Not yet published." in client.get(f"/public/{page}").content.decode()
        assert "Heb ei gyhoeddi eto." in client.get(f"/cy/public/{page}").content.decode()


def test_a_manager_publishes_and_withdraws_from_the_indicator_page(
    client: Any, make_user: Any
) -> None:
    from tests.conftest import verified_client
    from tests.performance.factories import make_survey_indicator

    indicator = make_survey_indicator(title="Feeling safe at night")
    manager = verified_client(client, make_user("manager"))
    assert (
        "Publish on the public site"
        in manager.get(f"/performance/indicators/{indicator.pk}/").content.decode()
    )
    manager.post(f"/performance/indicators/{indicator.pk}/publish/", {"public": "yes"})
    assert client.get(f"/public/performance/{indicator.pk}/").status_code == 200
    manager.post(f"/performance/indicators/{indicator.pk}/publish/", {"public": "no"})
    assert client.get(f"/public/performance/{indicator.pk}/").status_code == 404


@pytest.fixture
def measured(make_user: Any) -> Any:
    """A published indicator with monthly values entered by its lead partner's manager."""
    from decimal import Decimal

    from saferhub.performance import services

    indicator = make_published_indicator()
    manager = make_user("manager")
    for month, value in (("2024-10", "61"), ("2024-11", "63")):
        services.measurement_enter(
            actor=manager,
            indicator=indicator,
            period=month,
            value=Decimal(value),
            evidence="Residents' survey",
        )
    return indicator


def test_months_are_named_in_the_page_language(client: Any, measured: Any) -> None:
    en = client.get(f"/public/performance/{measured.pk}/").content.decode()
    cy = client.get(f"/cy/public/performance/{measured.pk}/").content.decode()
    assert "November 2024" in en
    assert "Tachwedd 2024" in cy and "November 2024" not in cy
    assert "Tachwedd 2024" in client.get("/cy/public/performance/").content.decode()


def test_indicator_chart_is_drawn_on_the_server_with_its_table(client: Any, measured: Any) -> None:
    cy = client.get(f"/cy/public/performance/{measured.pk}/").content.decode()
    svg = cy[cy.index("<svg") : cy.index("</svg>")]
    assert 'role="img"' in svg and "gwerthoedd dros amser" in svg
    assert "Targed" in svg and "Target " not in svg  # the chart's words are Welsh too
    assert "<script" not in svg
    assert cy.index("</svg>") < cy.index("Gwerthoedd dros amser")  # its table follows


def test_an_unknown_language_keeps_the_rest_of_the_address(client: Any, published: Any) -> None:
    response = client.get(f"/xx/public/performance/{published.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"/public/performance/{published.pk}/")
    assert client.get("/zz-Latn/public/", follow=True).status_code == 200


def test_unpublished_indicator_is_404_in_every_language_and_its_download_too(
    client: Any, published: Any
) -> None:
    from tests.performance.factories import make_survey_indicator

    hidden = make_survey_indicator(title="Internal only")
    for prefix in ("", "/cy", "/ur"):
        assert client.get(f"{prefix}/public/performance/{hidden.pk}/").status_code == 404
        assert client.get(f"{prefix}/public/performance/999999/").status_code == 404
    assert "Internal only" not in client.get("/public/performance/download.json").content.decode()
    # The 404 page is the public site's, in the page's language.
    cy = client.get(f"/cy/public/performance/{hidden.pk}/").content.decode()
    assert _lang(cy) == "cy" and "Heb ddod o hyd i’r dudalen" in cy
    assert _english_left(cy) == []
    assert client.get("/cy/public/no-such-section/").status_code == 404


def test_the_catalogue_check_reads_block_translations_and_python_strings() -> None:
    """The untranslated-string test sees every kind of public string (so it can fail)."""
    strings = public_strings()
    assert any(
        s.startswith("Crime and anti-social behaviour recorded by the police in %(month)s")
        for s in strings
    )
    assert "Crime and anti-social behaviour by ward, %(month)s" in strings  # incidents/public.py
    assert "A map; every figure on it is in the table below." in strings  # public/charts.py
    assert "12 months to %(month)s" in strings  # the month filters
    with translation.override("cy"):
        assert translation.gettext("12 months to %(month)s") == "12 mis hyd at %(month)s"
