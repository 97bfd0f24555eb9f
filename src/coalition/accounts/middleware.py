"""Two-factor at the door: after the password, a session whose user has a device must
give a code, and one whose role requires a device must set one up, before anything else.

Runs after django-otp's OTPMiddleware (which tells whether the session was verified).
A session that passed is marked, so later requests cost no query. API requests with a
Bearer token never carry this session and are not concerned; an API request that relies
on an unfinished session is treated as anonymous (401), not redirected.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from coalition.accounts.selectors import totp_device, two_factor_required

PASSED = "coalition.two_factor_passed"  # the session key: the user id that passed

VERIFY, SET_UP = "verify", "set-up"


def state(request: HttpRequest) -> str | None:
    """None when the session may go on; else what it still owes: VERIFY or SET_UP."""
    user = request.user
    if not user.is_authenticated or request.session.get(PASSED) == user.pk:
        return None
    if user.is_verified():  # type: ignore[union-attr,attr-defined]  # django-otp's
        owed = None
    elif totp_device(user) is not None:
        owed = VERIFY
    elif two_factor_required(user):
        owed = SET_UP
    else:
        owed = None
    if owed is None:
        request.session[PASSED] = user.pk
    return owed


def mark_passed(request: HttpRequest) -> None:
    request.session[PASSED] = request.user.pk


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
