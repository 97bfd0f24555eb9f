"""Django's `createsuperuser`, audited: the users it creates are recorded in the audit log
with their rights, so `coalition audit verify` knows them."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands.createsuperuser import Command as Base

from coalition.access.system import CLI
from coalition.governance.services.users import user_created_outside_record


class Command(Base):
    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        before = set(users.values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in users.exclude(pk__in=before):
            user_created_outside_record(actor=CLI, user=user)
