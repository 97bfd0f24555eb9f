"""The earmark category of a contribution refers to the managed capability categories.
The column keeps its slug; "no earmark" becomes NULL; a slug in use that is not a known
category becomes one (named by its slug, for an administrator to rename)."""

import django.db.models.deletion
from django.db import migrations, models


def to_categories(apps, schema_editor):
    from coalition.governance.categories import categories_load

    alias = schema_editor.connection.alias
    Category = apps.get_model("governance", "Category")
    Contribution = apps.get_model("finance", "Contribution")
    categories_load(model=Category, using=alias)
    Contribution.objects.using(alias).filter(category="").update(category=None)
    known = set(Category.objects.using(alias).values_list("slug", flat=True))
    used = set(
        Contribution.objects.using(alias).exclude(category=None).values_list("category", flat=True)
    )
    Category.objects.using(alias).bulk_create(
        Category(slug=slug, name_en=slug, name_fr=slug, name_uk=slug, position=100)
        for slug in sorted(used - known)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_append_only"),
        ("governance", "0004_categories"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contribution",
            name="category",
            field=models.CharField(max_length=80, blank=True, null=True),
        ),
        migrations.RunPython(to_categories, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contribution",
            name="category",
            field=models.ForeignKey(
                blank=True,
                db_column="category",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="governance.category",
            ),
        ),
    ]
