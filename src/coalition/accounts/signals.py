"""A new login starts the two-factor check afresh (Django keeps the session's data when
the same user logs in again)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from coalition.accounts.middleware import PASSED


@receiver(user_logged_in)
def _forget_passed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(PASSED, None)
