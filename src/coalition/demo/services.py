"""Loading the drone coalition demo through the same services a user's actions go through."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from coalition.access.actor import Actor
from coalition.access.system import DEMO as ACTOR
from coalition.audit.services import audit_record
from coalition.demo import exercise, facts
from coalition.finance.models import Fund
from coalition.finance.services.contributions import contribution_record, reported_figure_record
from coalition.governance.models import Coalition, Country, Role, Source
from coalition.governance.services import accession, meetings
from coalition.governance.services.coalitions import (
    coalition_create,
    membership_start,
    source_create,
)
from coalition.governance.services.users import delegate_create
from coalition.procurement.models import PlanRun, PlanStatus
from coalition.procurement.services import competitions, needs, offers, orders, plans
from coalition.procurement.services.deliveries import deliveries_import
from coalition.procurement.services.inspections import items_inspect
from coalition.procurement.services.payments import order_close, order_pay


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


def _user_actor(username: str) -> Actor:
    return Actor.of(get_user_model().objects.get(username=username))


def _load_exercise_money(coalition: Coalition, source: Source) -> None:
    """The exercise's money, pledged then disbursed: the common fund's first, then the
    programmes' (so the common fund is created before the Netherlands' programme)."""
    for reference, donor, channel, amount, category, note in exercise.CONTRIBUTIONS:
        for status, day in (("pledged", exercise.PLEDGED), ("disbursed", exercise.DISBURSED)):
            contribution_record(
                actor=ACTOR,
                coalition=coalition,
                reference=reference,
                date=day,
                donor=donor,
                channel=channel,
                status=status,
                amount=amount,
                currency="EUR",
                category=category,
                note=note,
                source=source,
            )


def _load_exercise_competition(coalition: Coalition) -> None:
    """The beneficiary's needs, the competition, its offers, tests, joins and reviews."""
    beneficiary = _user_actor(exercise.BENEFICIARY_USER)
    for reference, quantity, weight, needed_by, priority, note in exercise.REQUIREMENTS:
        needs.requirement_create(
            actor=beneficiary,
            coalition=coalition,
            reference=reference,
            category=exercise.CATEGORY,
            quantity=quantity,
            weight=weight,
            needed_by=needed_by,
            priority=priority,
            note=note,
        )
    reference = str(exercise.COMPETITION["reference"])
    competitions.competition_create(actor=ACTOR, coalition=coalition, **exercise.COMPETITION)
    for offer, spec in exercise.OFFERS.items():
        supplier, country, origin, capacity, lead, received, tiers = spec
        offers.offer_record(
            actor=ACTOR,
            coalition=coalition,
            competition=reference,
            fields={
                "offer": offer,
                "supplier": supplier,
                "supplier_country": country,
                "origin": origin,
                "category": exercise.CATEGORY,
                "currency": "EUR",
                "capacity_per_30_days": capacity,
                "lead_time_days": lead,
                "valid_until": "",
            },
            tiers=list(tiers),
            on=received,
        )
    for supplier, day in exercise.TRIALS:
        offers.trial_record(
            actor=ACTOR,
            coalition=coalition,
            supplier=supplier,
            category=exercise.CATEGORY,
            outcome="passed",
            on=day,
            site=exercise.TRIAL_SITE,
            note=exercise.TRIAL_NOTE,
        )
    for country, username in exercise.JOINS:
        fund = Fund.objects.get(coalition=coalition, channel="national", country=country)
        competitions.competition_join(
            actor=_user_actor(username), coalition=coalition, reference=reference, fund_id=fund.pk
        )
    for username, offer, score, comment in exercise.REVIEWS:
        offers.review_record(
            actor=_user_actor(username),
            coalition=coalition,
            competition=reference,
            offer=offer,
            score=score,
            comment=comment,
        )
    competitions.competition_move(
        actor=ACTOR,
        coalition=coalition,
        reference=reference,
        move="close",
        note=exercise.CLOSE_NOTE,
    )


def _load_exercise_plan(coalition: Coalition) -> PlanRun:
    """The plan built on the exercise's day, solved here and now (not by a worker: the
    demo loads in one call), then approved into signed orders and obligations."""
    run = plans.plan_build_submit(
        actor=ACTOR,
        coalition=coalition,
        competitions=[str(exercise.COMPETITION["reference"])],
        on=exercise.PLAN_DAY,
        time_limit=exercise.TIME_LIMIT,
        name=exercise.PLAN_NAME,
    )
    # A backend that runs tasks at once has solved it already; else it is solved here,
    # and the queued task later finds it done and does nothing.
    plans.plan_run_execute(actor=ACTOR, run_id=run.pk)
    run.refresh_from_db()
    if run.status != PlanStatus.DONE:
        raise RuntimeError(f"the demo's plan run {run.pk} is {run.status}: {run.error}")
    orders.plan_approve(actor=ACTOR, run_id=run.pk, on=exercise.PLAN_DAY)
    run.refresh_from_db()
    return run


def _load_exercise_deliveries(coalition: Coalition) -> None:
    """What arrived, was inspected, paid and closed, each by the user whose act it is:
    the fund manager records the manifests and pays, the beneficiary inspects."""
    manager, beneficiary = _user_actor("delegate-gb"), _user_actor(exercise.BENEFICIARY_USER)
    replaced = False

    def _import(data: str, name: str) -> None:
        deliveries_import(actor=manager, coalition=coalition, data=data.encode(), name=name)

    _import(exercise.manifest(exercise.DELIVERIES), "manifest-2025.csv")
    for order, lot, serials, verdict, reason, day in exercise.INSPECTIONS:
        if day > exercise.REPLACED_ON and not replaced:
            _import(exercise.replacement_manifest(), "manifest-2025-replacements.csv")
            replaced = True
        items_inspect(
            actor=beneficiary,
            coalition=coalition,
            order=order,
            verdict=verdict,
            lot=lot,
            serials=serials or None,
            reason=reason,
            note=exercise.REJECTION_NOTE if reason else exercise.INSPECTION_NOTE,
            on=day,
        )
    for order, reference, amount, day in exercise.PAYMENTS:
        order_pay(
            actor=manager,
            coalition=coalition,
            order=order,
            reference=reference,
            amount=amount,
            paid_on=day,
            note=exercise.PAYMENT_NOTE,
        )
    for order, day, reason in exercise.CLOSINGS:
        order_close(actor=manager, coalition=coalition, order=order, on=day, reason=reason)


@transaction.atomic
def exercise_load(coalition: Coalition) -> PlanRun:
    """The worked purchase example (exercise.py) on the loaded demo: illustrative, apart
    from the facts, each record marked so. Returns its approved plan run."""
    source = source_create(actor=ACTOR, **exercise.SOURCE)
    _load_exercise_money(coalition, source)
    _load_exercise_competition(coalition)
    run = _load_exercise_plan(coalition)
    _load_exercise_deliveries(coalition)
    return run


@transaction.atomic
def demo_load(*, with_exercise: bool = False) -> Coalition:
    """Create the drone coalition at the article's date; `with_exercise`, also the
    illustrative purchase exercise (exercise.py), as `coalition demo` does. Runs once on an
    empty database, in one transaction."""
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
    run = exercise_load(coalition) if with_exercise else None
    audit_record(
        actor=ACTOR,
        action="demo.loaded",
        object_type="coalition",
        object_id=coalition.slug,
        changes={"members": len(facts.MEMBERS), "candidates": len(facts.CANDIDATES)}
        | ({} if run is None else {"exercise": f"{run.name} (plan run {run.pk})"}),
    )
    return coalition
