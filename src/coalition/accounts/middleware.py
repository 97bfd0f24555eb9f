"""Two-factor at the door: after the password, a session whose user has a device must
give a code, and one whose role requires a device must set one up, before anything else.

Runs after django-otp's OTPMiddleware (which tells whether the session was verified, from
the device it loads anyway). A verified session passes for as long as its device exists.
One that passed without a device holds only for the data it was judged on: a chair's or
fund manager's role granted, or a device enrolled elsewhere, mid-session must be asked at
once, not at the next login. Every write appends an audit event, so the audit head (one
primary-key lookup) tells when to judge again; the day (a role may start today) and the
user's admin flags (not always audited) are part of that stamp too.

API requests with a Bearer token never carry this session and are not concerned; an API
request that relies on an unfinished session is treated as anonymous (401), not redirected.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from coalition.accounts.selectors import totp_device, two_factor_required
from coalition.api_cache import data_version

# The session key: [user id, stamp] of a session that passed without a device.
PASSED = "coalition.two_factor_passed"

VERIFY, SET_UP = "verify", "set-up"


def _stamp(user: Any) -> str:
    """What the judgement of a session without a device rests on."""
    admin = f"{int(user.is_staff)}{int(user.is_superuser)}"
    return f"{data_version()}|{timezone.localdate().isoformat()}|{admin}"


def state(request: HttpRequest) -> str | None:
    """None when the session may go on; else what it still owes: VERIFY or SET_UP."""
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr,attr-defined]  # django-otp's
        return None
    # Taken before judging: a write that lands during the judgement changes the head, so
    # the next request judges again rather than trusting a stale answer.
    passed = [user.pk, _stamp(user)]
    if request.session.get(PASSED) == passed:
        return None
    if totp_device(user) is not None:
        return VERIFY
    if two_factor_required(user):
        return SET_UP
    request.session[PASSED] = passed
    return None


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open_paths = (settings.STATIC_URL, "/i18n/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        owed = state(request)
        if owed is None or request.path.startswith(self.open_paths):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            request.user = AnonymousUser()
            return self.get_response(request)
        verify, set_up = reverse("login-verify"), reverse("two-factor")
        allowed = {verify if owed == VERIFY else set_up, reverse("logout")}
        if request.path in allowed:
            return self.get_response(request)
        if owed == SET_UP:
            return redirect(set_up)
        return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
