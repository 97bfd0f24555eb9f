"""Reads of login state: who must use a second factor, and their device."""

from typing import Any

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.governance.models import Membership, Role

# The roles whose delegates move money or speak for the coalition.
TWO_FACTOR_ROLES = (Role.CHAIR, Role.FUND_MANAGER)


def two_factor_required(user: Any) -> bool:
    """An administrator (superuser or staff), or a delegate of a country that holds the
    chair or the fund manager's role in any coalition today. COALITION_REQUIRE_2FA off
    (the demo of `make run`) requires it of nobody; a user with a device still uses it."""
    if not settings.COALITION_REQUIRE_2FA:
        return False
    if user.is_superuser or user.is_staff:
        return True
    today = timezone.localdate()
    return (
        Membership.objects.filter(
            country__delegate__user=user,
            role__in=TWO_FACTOR_ROLES,
            start__lte=today,
        )
        .exclude(end__lte=today)
        .exists()
    )


def totp_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
