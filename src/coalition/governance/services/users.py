"""Users of the platform: delegations' members, auditors, admins, and their API tokens."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance.errors import UserUnknown
from coalition.governance.models import ApiToken, Country, Delegate


@transaction.atomic
def delegate_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    kind: str,
    country: Country | None,
    is_superuser: bool = False,
) -> AbstractBaseUser:
    """A user and its delegation; `password` None leaves the password unusable (to be set
    later: hashing one costs about half a second)."""
    require(actor, "user.manage")
    User = get_user_model()
    user = User.objects.create_user(username=username, password=password)
    if is_superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    if kind:
        Delegate.objects.create(user=user, kind=kind, country=country)
    audit_record(
        actor=actor,
        action="user.created",
        object_type="user",
        object_id=username,
        changes={
            "kind": kind,
            "country": country.code if country else None,
            "superuser": is_superuser,
        },
    )
    return user


@transaction.atomic
def token_create(*, actor: Actor, username: str) -> str:
    """A new API token for `username`; the token itself is returned once, never stored."""
    require(actor, "token.create", username=username)
    User = get_user_model()
    try:
        user = User.objects.get(username=username)
    except User.DoesNotExist:
        raise UserUnknown(f"no user named '{username}'", field="username") from None
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token), prefix=token[:8])
    audit_record(
        actor=actor,
        action="token.created",
        object_type="user",
        object_id=username,
        changes={"prefix": token[:8]},
    )
    return token
