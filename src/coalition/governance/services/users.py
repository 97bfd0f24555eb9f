"""Users of the platform: delegations' members, auditors, admins, and their API tokens."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance.models import Country, Delegate

# Tokens live in tokens.py; imported from here by older callers.
from coalition.governance.services.tokens import token_create as token_create


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
        changes={"kind": kind, "country": country.code if country else None, **user_state(user)},
    )
    return user


def user_state(user: AbstractBaseUser) -> dict[str, object]:
    """What the audit log keeps of a user's rights, to compare with the database later."""
    return {
        "superuser": bool(getattr(user, "is_superuser", False)),
        "staff": bool(getattr(user, "is_staff", False)),
        "active": bool(user.is_active),
        "groups": sorted(user.groups.values_list("name", flat=True)),  # type: ignore[attr-defined]
        "permissions": sorted(
            f"{app}.{code}"
            for app, code in user.user_permissions.values_list(  # type: ignore[attr-defined]
                "content_type__app_label", "codename"
            )
        ),
    }


@transaction.atomic
def user_admin_save(
    *, actor: Actor, user: AbstractBaseUser, created: bool, save_related: Callable[[], None]
) -> AbstractBaseUser:
    """A user added or changed in the back office, with its groups and permissions
    (`save_related`, the form's many-to-many save): one audit event with the rights that
    result, so that `audit verify` can tell a change made behind the platform's back."""
    require(actor, "user.manage")
    user.save()
    save_related()
    audit_record(
        actor=actor,
        action="user.created" if created else "user.changed",
        object_type="user",
        object_id=user.get_username(),
        changes=user_state(user),
    )
    return user


@transaction.atomic
def user_admin_delete(*, actor: Actor, user: AbstractBaseUser) -> None:
    require(actor, "user.manage")
    username = user.get_username()
    user.delete()
    audit_record(
        actor=actor, action="user.deleted", object_type="user", object_id=username, changes={}
    )


@transaction.atomic
def user_password_changed_record(*, actor: Actor, user: AbstractBaseUser) -> None:
    """The back office set a user's password (Django's own form saved it, in this
    transaction): the log says who and when, never the password."""
    require(actor, "user.manage")
    audit_record(
        actor=actor,
        action="user.password_changed",
        object_type="user",
        object_id=user.get_username(),
        changes={},
    )


@transaction.atomic
def user_created_outside_record(*, actor: Actor, user: AbstractBaseUser) -> None:
    """A user Django's own `createsuperuser` made: the log records it, with its rights."""
    require(actor, "user.manage")
    audit_record(
        actor=actor,
        action="user.created",
        object_type="user",
        object_id=user.get_username(),
        changes={"kind": "", "country": None, **user_state(user)},
    )
