"""Loading the drone coalition demo through the same services a user's actions go through."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from coalition.access.system import DEMO as ACTOR
from coalition.audit.services import audit_record
from coalition.demo import facts
from coalition.finance.services.contributions import contribution_record, reported_figure_record
from coalition.governance.models import Coalition, Country, Role, Source
from coalition.governance.services import accession, meetings
from coalition.governance.services.coalitions import (
    coalition_create,
    membership_start,
    source_create,
)
from coalition.governance.services.users import delegate_create


def demo_is_loaded() -> bool:
    return Coalition.objects.filter(slug=facts.COALITION["slug"]).exists()


def demo_logins() -> list[tuple[str, str]]:
    """(username, what it is) for every demo user, in the order `make run` prints them."""
    User = get_user_model()
    rows = []
    for user in User.objects.select_related("delegate").order_by("username"):
        delegate = getattr(user, "delegate", None)
        what = "superuser" if user.is_superuser else ""
        if delegate is not None:
            what = f"{delegate.kind} {delegate.country_id or ''}".strip()
        rows.append((user.username, what))
    return rows


def _load_sources() -> dict[str, Source]:
    return {s["key"]: source_create(actor=ACTOR, **s) for s in facts.SOURCES}


def _load_members(coalition: Coalition, sources: dict[str, Source]) -> None:
    for joined in facts.MEMBERS:
        country = Country.objects.get(code=joined.country)
        source = sources[joined.source]
        membership_start(
            actor=ACTOR,
            coalition=coalition,
            country=country,
            role=Role.MEMBER,
            start=joined.start,
            note=joined.note,
            source=source,
        )
        for role in joined.roles:
            membership_start(
                actor=ACTOR,
                coalition=coalition,
                country=country,
                role=role,
                start=joined.role_start or joined.start,
                source=source,
            )


def _load_users() -> None:
    # One hash for every demo user: the demo password is public anyway, and hashing it
    # twenty times would make `make run` and the tests slow for nothing.
    codes = [m.country for m in facts.MEMBERS] + [c["country"] for c in facts.CANDIDATES]
    users: list[tuple[str, str, str | None, bool]] = [
        ("admin", "", None, True),
        ("auditor", "auditor", None, False),
    ]
    users += [(f"delegate-{code.lower()}", "delegate", code, False) for code in sorted(codes)]
    users.append(("beneficiary-ua", "beneficiary", "UA", False))
    for username, kind, code, superuser in users:
        delegate_create(
            actor=ACTOR,
            username=username,
            password=None,
            kind=kind,
            country=Country.objects.get(code=code) if code else None,
            is_superuser=superuser,
        )
    get_user_model().objects.update(password=make_password(facts.DEMO_PASSWORD))


def _load_money(coalition: Coalition, sources: dict[str, Source]) -> None:
    """The money facts, through the finance services; each keeps its source."""
    for spec in facts.MONEY_SOURCES:
        sources[spec["key"]] = source_create(actor=ACTOR, **spec)
    for figure in facts.REPORTED_FIGURES:
        reported_figure_record(
            actor=ACTOR,
            coalition=coalition,
            **{
                **figure,
                "amount": Decimal(figure["amount"]) if figure["amount"] else None,
                "country": Country.objects.get(code=figure["country"])
                if figure.get("country")
                else None,
                "source": sources[figure["source"]],
            },
        )
    for contribution in facts.CONTRIBUTIONS:
        contribution_record(
            actor=ACTOR,
            coalition=coalition,
            **{**contribution, "source": sources[contribution["source"]]},
        )


@transaction.atomic
def demo_load() -> Coalition:
    """Create the drone coalition at the article's date. Runs once on an empty database."""
    sources = _load_sources()
    spec = dict(facts.COALITION)
    coalition = coalition_create(
        actor=ACTOR,
        source=sources[str(spec.pop("source"))],
        **spec,
    )
    _load_members(coalition, sources)
    _load_users()
    summit = meetings.meeting_record(
        actor=ACTOR,
        coalition=coalition,
        **{**facts.SUMMIT_2025, "source": sources[str(facts.SUMMIT_2025["source"])]},
    )
    for candidate in facts.CANDIDATES:
        accession.application_submit(
            actor=ACTOR,
            coalition=coalition,
            country=Country.objects.get(code=candidate["country"]),
            submitted=candidate["submitted"],
            note=str(candidate["note"]),
            source=sources[str(candidate["source"])],
            meeting=summit,
        )
    _load_money(coalition, sources)
    audit_record(
        actor=ACTOR,
        action="demo.loaded",
        object_type="coalition",
        object_id=coalition.slug,
        changes={"members": len(facts.MEMBERS), "candidates": len(facts.CANDIDATES)},
    )
    return coalition
