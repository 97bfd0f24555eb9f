"""The managed list of capability categories (administrators add and rename them)."""

from django.db import transaction

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance.models import Category
from coalition.validation import model_check


@transaction.atomic
def category_save(*, actor: Actor, category: Category) -> Category:
    """Add a category or rename one (its slug, which records refer to, never changes)."""
    require(actor, "category.manage")
    created = category._state.adding
    model_check(category)
    category.save()
    audit_record(
        actor=actor,
        action="category.created" if created else "category.renamed",
        object_type="category",
        object_id=category.slug,
        changes={"en": category.name_en, "fr": category.name_fr, "uk": category.name_uk},
    )
    return category
