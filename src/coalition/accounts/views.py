"""Two-factor pages: the code after the password, and setting up (or removing) a device.
Thin: the rules are in services and selectors, the door in middleware."""

import django_otp
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coalition.access.actor import actor_of
from coalition.access.policy import require
from coalition.accounts import services, totp
from coalition.accounts.errors import TotpCodeWrong, TotpEnrolmentExpired
from coalition.accounts.selectors import totp_device, two_factor_required


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login whose user has a device."""
    require(actor_of(request), "account.two_factor")
    user = request.user
    if user.is_verified() or totp_device(user) is None:  # type: ignore[union-attr,attr-defined]
        return redirect(_next(request))
    error = None
    if request.method == "POST":
        try:
            device = services.totp_verify(user=user, token=request.POST.get("token", ""))
        except TotpCodeWrong as e:
            error = e.message
        else:
            django_otp.login(request, device)
            return redirect(_next(request))
    context = {"error": error, "next": _next(request)}
    return render(request, "accounts/verify.html", context, status=422 if error else 200)


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up a TOTP device (required for some roles, optional for others), or remove one."""
    actor = actor_of(request)
    require(actor, "account.two_factor")
    user = request.user
    device = totp_device(user)
    required = two_factor_required(user)
    error, key, offer = None, "", ""
    if request.method == "POST" and request.POST.get("action") == "remove" and not required:
        services.totp_remove(actor=actor, user=user)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("two-factor")
    if request.method == "POST" and device is None:
        try:
            offer = request.POST.get("offer", "")
            key = totp.offer_key(offer)
            device = services.totp_enrol(
                actor=actor, user=user, key=key, token=request.POST.get("token", "")
            )
        except (TotpCodeWrong, TotpEnrolmentExpired) as e:
            error = e.message
            key = key if isinstance(e, TotpCodeWrong) else ""  # a wrong code keeps the scan
        else:
            django_otp.login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("home")
    context: dict[str, object] = {"device": device, "required": required, "error": error}
    if device is None:
        if not key:
            key, offer = totp.new_offer()
        context |= {
            "offer": offer,
            "secret": totp.secret_text(key),
            "qr": totp.qr_svg(totp.provisioning_uri(user, key)),
        }
    return render(request, "accounts/two_factor.html", context, status=422 if error else 200)
