from typing import Any

from django.apps import AppConfig


def _categories_load(model: Any, using: str) -> None:
    from coalition.governance.categories import categories_load

    categories_load(model=model, using=using)


def _countries_load(model: Any, using: str) -> None:
    from coalition.governance.countries import countries_load

    countries_load(model=model, using=using)


class GovernanceConfig(AppConfig):
    name = "coalition.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from coalition.reference_data import load_after_migrate

        # Every ISO 3166-1 country, from pycountry.
        load_after_migrate(self, "Country", _countries_load)
        # The capability categories the platform starts with (admins add and rename).
        load_after_migrate(self, "Category", _categories_load)
