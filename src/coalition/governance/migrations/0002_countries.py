"""Loads every ISO 3166-1 country from pycountry (a maintained list, not a typed one)."""

from django.db import migrations


def load_countries(apps, schema_editor):
    import pycountry

    Country = apps.get_model("governance", "Country")
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(code=code, name=name)
        for code, name in sorted(names.items())
        if code not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
