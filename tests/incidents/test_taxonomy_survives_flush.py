"""The default taxonomy is reference data: a flush (as transactional tests do) restores it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from saferhub.incidents.models import Category, Theme


@pytest.mark.django_db(transaction=True)
def test_flush_leaves_the_default_taxonomy_in_place() -> None:
    themes = Theme.objects.count()
    categories = Category.objects.count()
    assert themes >= 10 and categories >= 14
    call_command("flush", interactive=False, verbosity=0)
    assert Theme.objects.count() == themes
    assert Category.objects.filter(source="police.uk").count() >= 14
