"""Writes of the governance domain. One function per use case, one transaction, one event."""

import hashlib
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from coalition.audit.services import Actor, audit_record
from coalition.governance.errors import MembershipOverlap, UserUnknown
from coalition.governance.models import (
    ApiToken,
    Coalition,
    Country,
    Delegate,
    Membership,
    Source,
)


@transaction.atomic
def source_create(
    *,
    actor: Actor,
    key: str,
    title: str,
    publisher: str = "",
    published: date | None = None,
    url: str = "",
    note: str = "",
) -> Source:
    source = Source.objects.create(
        key=key, title=title, publisher=publisher, published=published, url=url, note=note
    )
    audit_record(
        actor=actor,
        action="source.created",
        object_type="source",
        object_id=source.key,
        changes={"title": title, "publisher": publisher, "published": published, "url": url},
    )
    return source


@transaction.atomic
def coalition_create(
    *,
    actor: Actor,
    slug: str,
    name: str,
    founded: date,
    format: str = "",
    description: str = "",
    accession_rule: str = "unanimity",
    majority_threshold: str = "1",
    quorum: str = "0",
    accession_vote_days: int | None = None,
    source: Source | None = None,
) -> Coalition:
    coalition = Coalition(
        slug=slug,
        name=name,
        founded=founded,
        format=format,
        description=description,
        accession_rule=accession_rule,
        majority_threshold=majority_threshold,
        quorum=quorum,
        accession_vote_days=accession_vote_days,
        source=source,
    )
    coalition.full_clean()
    coalition.save()
    audit_record(
        actor=actor,
        action="coalition.created",
        object_type="coalition",
        object_id=slug,
        changes={
            "name": name,
            "founded": founded,
            "accession_rule": accession_rule,
            "majority_threshold": majority_threshold,
            "quorum": quorum,
            "accession_vote_days": accession_vote_days,
        },
    )
    return coalition


def _overlapping(
    *, coalition: Coalition, country: Country, role: str, start: date, end: date | None
) -> bool:
    others = Membership.objects.filter(coalition=coalition, country=country, role=role)
    if end is not None:
        others = others.filter(start__lt=end)
    return others.filter(Q(end__isnull=True) | Q(end__gt=start)).exists()


def membership_row_open(
    *,
    coalition: Coalition,
    country: Country,
    role: str,
    start: date,
    end: date | None = None,
    note: str = "",
    source: Source | None = None,
) -> Membership:
    """Write a membership row; the calling service records the audit event (one per call)."""
    if _overlapping(coalition=coalition, country=country, role=role, start=start, end=end):
        raise MembershipOverlap(
            f"{country.code} already holds the role '{role}' in {coalition.slug} on those dates"
        )
    membership = Membership(
        coalition=coalition,
        country=country,
        role=role,
        start=start,
        end=end,
        note=note,
        source=source,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_start(
    *,
    actor: Actor,
    coalition: Coalition,
    country: Country,
    role: str,
    start: date,
    end: date | None = None,
    note: str = "",
    source: Source | None = None,
) -> Membership:
    """The country holds `role` from `start`; a role is never held twice at once."""
    membership = membership_row_open(
        coalition=coalition,
        country=country,
        role=role,
        start=start,
        end=end,
        note=note,
        source=source,
    )
    audit_record(
        actor=actor,
        action="membership.started",
        object_type="membership",
        object_id=membership.pk,
        changes={
            "coalition": coalition.slug,
            "country": country.code,
            "role": role,
            "start": start,
            "end": end,
        },
    )
    return membership


@transaction.atomic
def membership_end(*, actor: Actor, membership: Membership, end: date) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if end <= locked.start:
        raise MembershipOverlap("a role cannot end before it starts", field="end")
    locked.end = end
    locked.save(update_fields=["end"])
    audit_record(
        actor=actor,
        action="membership.ended",
        object_type="membership",
        object_id=locked.pk,
        changes={"country": locked.country_id, "role": locked.role, "end": end},
    )
    return locked


@transaction.atomic
def delegate_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    kind: str,
    country: Country | None,
    is_superuser: bool = False,
) -> AbstractBaseUser:
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


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: Actor, username: str) -> str:
    """A new API token for `username`; the token itself is returned once, never stored."""
    User = get_user_model()
    try:
        user = User.objects.get(username=username)
    except User.DoesNotExist:
        raise UserUnknown(f"no user named '{username}'", field="username") from None
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=_digest(token), prefix=token[:8])
    audit_record(
        actor=actor,
        action="token.created",
        object_type="user",
        object_id=username,
        changes={"prefix": token[:8]},
    )
    return token


def token_user(*, token: str) -> AbstractBaseUser | None:
    """The active user a token belongs to (a read, kept beside its twin `token_create`)."""
    found = ApiToken.objects.select_related("user").filter(digest=_digest(token)).first()
    if found is None or not found.user.is_active:
        return None
    return found.user
