"""Setting a coalition up: its sources, the coalition itself, and who holds which role
when (administrators and data loaders only)."""

from datetime import date

from django.db import transaction
from django.db.models import Q

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance.errors import MembershipOverlap
from coalition.governance.models import Coalition, Country, Membership, Source
from coalition.validation import model_check


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
    require(actor, "coalition.manage")
    source = Source(
        key=key, title=title, publisher=publisher, published=published, url=url, note=note
    )
    model_check(source)
    source.save()
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
    require(actor, "coalition.manage")
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
    model_check(coalition)
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


def membership_write(
    *,
    coalition: Coalition,
    country: Country,
    role: str,
    start: date,
    end: date | None = None,
    note: str = "",
    source: Source | None = None,
) -> Membership:
    """Write a membership row inside the calling service, which checked the access
    policy and records the audit event (the accession services admit members too)."""
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
    model_check(membership)
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
    require(actor, "coalition.manage")
    membership = membership_write(
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
    require(actor, "coalition.manage")
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if end <= locked.start:
        raise MembershipOverlap(
            "a role cannot end before it starts", field="end", code="membership.end_before_start"
        )
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
