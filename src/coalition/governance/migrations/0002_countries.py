"""Loads every ISO 3166-1 country from pycountry (a maintained list, not a typed one)."""

from django.db import migrations


def load_countries(apps, schema_editor):
    from coalition.governance.countries import countries_load

    countries_load(
        model=apps.get_model("governance", "Country"), using=schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
