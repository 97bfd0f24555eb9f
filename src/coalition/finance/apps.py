from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.db.models.signals import post_migrate


def _rates_after_migrate(
    sender: AppConfig,
    using: str = "default",
    apps: Any = None,
    plan: Any = None,
    **kwargs: Any,
) -> None:
    # The shipped ECB history is reference data, like the countries: `migrate` writes it,
    # and this puts it back after `flush` (`demo --reset`). The test suite, which flushes
    # after each transactional test and needs no foreign rate there, turns the second off.
    if plan is None and not getattr(settings, "SHIPPED_RATES_AFTER_FLUSH", True):
        return
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
