from typing import Any

from django.apps import AppConfig


def _rates_load(model: Any, using: str) -> None:
    from coalition.finance.shipped_rates import shipped_rates_load

    shipped_rates_load(load_model=model, using=using)


class FinanceConfig(AppConfig):
    name = "coalition.finance"
    label = "finance"
    verbose_name = "Finance"

    def ready(self) -> None:
        from coalition.reference_data import load_after_migrate

        # The shipped ECB history. The test suite, which flushes after each transactional
        # test and converts no foreign currency there, turns the reload after flush off.
        load_after_migrate(self, "RateLoad", _rates_load, after_flush="SHIPPED_RATES_AFTER_FLUSH")
