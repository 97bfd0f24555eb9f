"""Writes of two-factor: enrol a TOTP device, verify a code at login, remove a device, and
an administrator's reset of a device that was lost."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.accounts.errors import TotpAlreadyEnrolled, TotpCodeWrong
from coalition.accounts.selectors import totp_device
from coalition.audit.services import audit_record
from coalition.governance.selectors import user_get


@transaction.atomic
def totp_enrol(*, actor: Actor, user: Any, key: str, token: str) -> TOTPDevice:
    """Confirm a device with its first code; the device exists only once confirmed."""
    require(actor, "account.two_factor")
    if totp_device(user) is not None:
        raise TotpAlreadyEnrolled(
            _("Two-factor authentication is already set up for this account."), field="token"
        )
    device = TOTPDevice(user=user, name="authenticator", key=key, confirmed=True)
    if not device.verify_token(token.strip()):
        raise TotpCodeWrong(
            _("This code is not the current one: check the device's clock and type the new code."),
            field="token",
        )
    device.save()
    audit_record(
        actor=actor,
        action="totp.enrolled",
        object_type="user",
        object_id=user.get_username(),
        changes={"device": device.persistent_id},
    )
    return device


def totp_verify(*, user: Any, token: str) -> TOTPDevice:
    """The device whose current code `token` is. Only the device's replay and throttling
    counters change (django-otp), like Django's last_login: no audit event."""
    device = totp_device(user)
    if device is None or not device.verify_token(token.strip()):
        raise TotpCodeWrong(
            _("This code is not the current one: check the device's clock and type the new code."),
            field="token",
        )
    return device


@transaction.atomic
def totp_remove(*, actor: Actor, user: Any) -> None:
    """Turn two-factor off for a user who is not required to use it."""
    require(actor, "account.two_factor")
    _devices_delete(actor=actor, user=user, action="totp.removed", changes=lambda _n: {})


@transaction.atomic
def totp_reset(*, actor: Actor, username: str) -> int:
    """A lost or replaced phone: an administrator (or the operator's command line) removes
    the user's devices, so that the next login asks for a new one to be set up where it is
    required. Returns how many were removed; the event names who reset whose."""
    require(actor, "account.two_factor_reset")
    user = user_get(username=username)
    return _devices_delete(
        actor=actor, user=user, action="totp.reset", changes=lambda n: {"devices": n}
    )


def _devices_delete(
    *, actor: Actor, user: Any, action: str, changes: Callable[[int], dict[str, Any]]
) -> int:
    """Delete the user's devices; when there were any, one event `action` with
    `changes(how many)`. Runs inside the caller's transaction."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=action,
            object_type="user",
            object_id=user.get_username(),
            changes=changes(deleted),
        )
    return deleted
