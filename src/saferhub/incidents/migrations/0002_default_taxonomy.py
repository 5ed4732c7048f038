"""Load the default taxonomy (themes and police.uk crime types): reference data."""

from django.db import migrations


def load(apps, schema_editor):
    from saferhub.incidents.taxonomy import POLICE_UK_CATEGORIES, THEMES

    Theme = apps.get_model("incidents", "Theme")
    Category = apps.get_model("incidents", "Category")
    themes = {}
    for position, (key, name, description) in enumerate(THEMES):
        themes[key], _ = Theme.objects.get_or_create(
            key=key, defaults={"name": name, "description": description, "position": position}
        )
    for name, keys in POLICE_UK_CATEGORIES.items():
        category, created = Category.objects.get_or_create(name=name, defaults={"source": "police.uk"})
        if created:
            category.themes.set([themes[k] for k in keys])


def unload(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
