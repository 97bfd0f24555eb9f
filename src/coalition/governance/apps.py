from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def _countries_after_migrate(
    sender: AppConfig, using: str = "default", apps: Any = None, **kwargs: Any
) -> None:
    # Countries are reference data, like content types: a migration loads them, and this
    # puts them back after `flush` (which tests run after each transactional test).
    # `migrate` passes its historical models; `flush` passes none: the current ones.
    try:
        model = (apps or global_apps).get_model("governance", "Country")
    except LookupError:  # migrating backwards, before the table exists
        return
    from coalition.governance.countries import countries_load

    countries_load(model=model, using=using)


class GovernanceConfig(AppConfig):
    name = "coalition.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        post_migrate.connect(_countries_after_migrate, sender=self)
