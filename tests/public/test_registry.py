"""Sections registered by apps: a later app fills a placeholder; a placeholder never wins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from saferhub.public import registry
from saferhub.public.registry import PublicSection, PublicTable, public_section, section_get


@pytest.fixture
def restore() -> Iterator[None]:
    saved = dict(registry._SECTIONS)
    yield
    registry._SECTIONS.clear()
    registry._SECTIONS.update(saved)


def test_the_apps_that_exist_register_their_sections() -> None:
    keys = {s.key for s in registry.sections()}
    assert {"plan", "performance", "crime", "asb-case-review", "end-of-year"} <= keys
    for key in ("asb-case-review", "end-of-year"):  # case work and governance filled them
        filled = section_get(key)
        assert filled is not None and filled.content is not None and not filled.placeholder


def test_a_later_app_fills_a_placeholder_and_a_placeholder_never_replaces(
    restore: None,
) -> None:
    public_section(
        PublicSection(
            "asb-case-review",
            "ASB Case Review",
            "Figures",
            content=lambda: {"figures": [("Applications", 12)]},
            table=lambda: PublicTable(["figure", "value"], [["applications", 12]], "Cases"),
        )
    )
    public_section(PublicSection("asb-case-review", "x", "y", placeholder=True))
    section = section_get("asb-case-review")
    assert section is not None and section.content is not None
    assert section.content() == {"figures": [("Applications", 12)]}


@pytest.mark.django_db
def test_a_filled_section_shows_its_figures_and_downloads(client, restore: None) -> None:  # type: ignore[no-untyped-def]
    public_section(
        PublicSection(
            "asb-case-review",
            "ASB Case Review",
            "Figures",
            content=lambda: {"figures": [("Applications", 12)]},
            table=lambda: PublicTable(["figure", "value"], [["applications", 12]], "Cases"),
        )
    )
    html = client.get("/public/asb-case-review/").content.decode()
    assert "Applications" in html and "Not yet published." not in html
    assert client.get("/public/asb-case-review/download.json").json()["rows"] == [
        ["applications", 12]
    ]
