"""What django-axes calls: the client's address, the count of failures held against a
login, and the answer to a locked-out login."""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
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


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per address of its own.

    Axes compares the largest of its counters (one per account, one per address) with
    one limit, AXES_FAILURE_LIMIT, the account's. An office behind one NAT address would
    share that small limit, so the address's count is scaled to it first:
    floor(count * limit / address limit) reaches the limit exactly when the count reaches
    COALITION_ADDRESS_FAILURE_LIMIT. Recording, cool-off and reset stay axes' own."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        address_limit = getattr(settings, "COALITION_ADDRESS_FAILURE_LIMIT", limit)
        # Axes builds one query per lockout parameter, in the parameters' order.
        parameters = get_lockout_parameters(request, credentials)
        counts = []
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                count = count * limit // address_limit
            counts.append(count)
        return max(counts, default=0)
