from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def _rates_after_migrate(
    sender: AppConfig, using: str = "default", apps: Any = None, **kwargs: Any
) -> None:
    # The shipped ECB history is reference data, like the countries: a migration writes
    # it, and this puts it back after `flush` (tests flush after transactional tests).
    try:
        model = (apps or global_apps).get_model("finance", "RateLoad")
    except LookupError:  # migrating backwards, before the table exists
        return
    from coalition.finance.shipped_rates import shipped_rates_load

    shipped_rates_load(load_model=model, using=using)


class FinanceConfig(AppConfig):
    name = "coalition.finance"
    label = "finance"
    verbose_name = "Finance"

    def ready(self) -> None:
        post_migrate.connect(_rates_after_migrate, sender=self)
