"""What django-axes calls: the client's address, and the answer to a locked-out login."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, unless COALITION_CLIENT_IP_HEADER names the header a trusted reverse
    proxy sets: then its right-most address, the one that proxy appended itself (the
    left-most ones are whatever the client sent)."""
    header = getattr(settings, "COALITION_CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        addresses = [a.strip() for a in value.split(",") if a.strip()]
        if addresses:
            return addresses[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 with a page that says why and for how long (no hint whether the account
    exists: the same page for a username and for an address)."""
    minutes = round(float(getattr(settings, "AXES_COOLOFF_TIME", 0)) * 60)
    return render(
        request,
        "accounts/locked.html",
        {"minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )
