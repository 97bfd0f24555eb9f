"""Reference data (the countries, the shipped ECB rates) is written by `migrate` and put
back after `flush`, which empties every table (`demo --reset`, tests after transactional
tests): one post_migrate handler per app, built here."""

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.db.models.signals import post_migrate


def load_after_migrate(
    config: AppConfig, model_name: str, load: Callable[[Any, str], object], *, after_flush: str = ""
) -> None:
    """Connect `load(model, using)` to run after `migrate` (with the migration's
    historical model) and after `flush` (the current one) unless the setting named
    `after_flush` is False."""

    def handler(
        sender: AppConfig, using: str = "default", apps: Any = None, plan: Any = None, **_: Any
    ) -> None:
        if plan is None and after_flush and not getattr(settings, after_flush, True):
            return  # `flush` passes no plan
        try:
            model = (apps or global_apps).get_model(config.label, model_name)
        except LookupError:  # migrating backwards, before the table exists
            return
        load(model, using)

    post_migrate.connect(handler, sender=config, weak=False)
