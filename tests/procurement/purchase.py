"""A small purchase set up through the services, as the people who own each step would
do it: money in the common fund and in Latvia's programme, the beneficiary's two needs, a
competition with three offers, a passed test, and the competition closed."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from coalition.procurement.models import Competition, Order, PlanRun
from coalition.procurement.services import (
    competitions,
    inspections,
    needs,
    offers,
    orders,
    plans,
)
from tests.helpers import TEST, user_actor

FUND_MANAGER = "delegate-gb"
BENEFICIARY = "beneficiary-ua"
CHAIR = "delegate-lv"

PLEDGES = (
    "reference,date,donor,channel,status,amount,currency,category,origin\n"
    "T-GB,{day},GB,common-fund,disbursed,{gb},EUR,tactical-recon,\n"
    "T-NL,{day},NL,common-fund,disbursed,{nl},EUR,,\n"
    "T-LV,{day},LV,national,disbursed,{lv},EUR,,\n"
)
AMOUNTS = ("300000.00", "100000.00", "90000.00")  # GB earmarked, NL, LV's programme
NEEDS = (200, 150)  # units of N-1 (weight 10, in 90 days) and N-2 (weight 4, in 150 days)

TIER_ROWS = {
    "A1": ("Aerorozvidka Works", "UA", "UA", 120, 10, [(1, "1500.00"), (100, "1200.00")]),
    "B1": ("Baltic Optics", "LV", "LV", 60, 20, [(1, "1800.00"), (50, "1600.00")]),
    "C1": ("Nordic Sight", "SE", "SE", 300, 5, [(1, "2500.00")]),
}


@dataclass
class Purchase:
    coalition: Coalition
    competition: Competition
    today: date


def offer_fields(reference: str) -> tuple[dict[str, object], list[tuple[int, str]]]:
    supplier, country, origin, capacity, lead, tiers = TIER_ROWS[reference]
    fields: dict[str, object] = {
        "offer": reference,
        "supplier": supplier,
        "supplier_country": country,
        "origin": origin,
        "category": "tactical-recon",
        "currency": "EUR",
        "capacity_per_30_days": capacity,
        "lead_time_days": lead,
        "valid_until": "",
    }
    return fields, tiers


def purchase_setup(
    coalition: Coalition,
    *,
    close: bool = True,
    join: bool = True,
    amounts: tuple[str, str, str] = AMOUNTS,
    quantities: tuple[int, int] = NEEDS,
) -> Purchase:
    today = timezone.localdate()
    gb, nl, lv = amounts
    pledges_import(
        actor=TEST,
        coalition=coalition,
        data=PLEDGES.format(day=today - timedelta(days=10), gb=gb, nl=nl, lv=lv).encode(),
        name="money.csv",
    )
    beneficiary, manager = user_actor(BENEFICIARY), user_actor(FUND_MANAGER)
    n1, n2 = quantities
    for reference, quantity, weight, days in (("N-1", n1, "10", 90), ("N-2", n2, "4", 150)):
        needs.requirement_create(
            actor=beneficiary,
            coalition=coalition,
            reference=reference,
            category="tactical-recon",
            quantity=quantity,
            weight=Decimal(weight),
            needed_by=today + timedelta(days=days),
        )
    competition = competitions.competition_create(
        actor=manager,
        coalition=coalition,
        reference="TR-1",
        category="tactical-recon",
        budget="500000",
        currency="EUR",
        bid_deadline=today + timedelta(days=5),
        trial_quantity=20,
    )
    for reference in TIER_ROWS:
        fields, tiers = offer_fields(reference)
        offers.offer_record(
            actor=manager,
            coalition=coalition,
            competition="TR-1",
            fields=fields,
            tiers=tiers,  # type: ignore[arg-type]
        )
    for supplier in ("Aerorozvidka Works", "Baltic Optics"):
        offers.trial_record(
            actor=manager,
            coalition=coalition,
            supplier=supplier,
            category="tactical-recon",
            outcome="passed",
            on=today,
            site="Yavoriv test range",
        )
    if join:
        from coalition.finance.models import Fund

        fund = Fund.objects.get(coalition=coalition, channel="national", country="LV")
        competitions.competition_join(
            actor=user_actor(CHAIR), coalition=coalition, reference="TR-1", fund_id=fund.pk
        )
    if close:
        competition = competitions.competition_move(
            actor=manager, coalition=coalition, reference="TR-1", move="close"
        )
    return Purchase(coalition=coalition, competition=competition, today=today)


def plan_built(purchase: Purchase) -> PlanRun:
    run = plans.plan_build_submit(
        actor=user_actor(FUND_MANAGER),
        coalition=purchase.coalition,
        competitions=["TR-1"],
        time_limit=20,
    )
    run.refresh_from_db()
    return run


def _delivery_batch(coalition: Coalition) -> int:
    """A finished manifest import (its record alone: its items do not matter here)."""
    from coalition.procurement.models import DeliveryBatch

    return DeliveryBatch.objects.create(
        coalition=coalition, name="matrix.csv", digest="", status="done"
    ).pk


def _delivered_order(coalition: Coalition, today: date) -> Order:
    """TR-4's order of 4 units of N-4 at EUR 1,000.00, delivered: lot L1 (2 items)
    accepted, lot L2 (2 items) awaiting inspection."""
    from tests.procurement.deliveries import deliver

    manager = user_actor(FUND_MANAGER)
    needs.requirement_create(
        actor=user_actor(BENEFICIARY),
        coalition=coalition,
        reference="N-4",
        category="tactical-recon",
        quantity=4,
        weight=Decimal(5),
        needed_by=today + timedelta(days=60),
    )
    competitions.competition_create(
        actor=manager,
        coalition=coalition,
        reference="TR-4",
        category="tactical-recon",
        budget="50000",
        currency="EUR",
        bid_deadline=today + timedelta(days=5),
        trial_quantity=10,
    )
    fields, _ = offer_fields("A1")
    offers.offer_record(
        actor=manager,
        coalition=coalition,
        competition="TR-4",
        fields={**fields, "offer": "F1"},
        tiers=[(1, "1000.00")],
    )
    competitions.competition_move(
        actor=manager, coalition=coalition, reference="TR-4", move="close"
    )
    run = plans.plan_build_submit(
        actor=manager, coalition=coalition, competitions=["TR-4"], requirements=["N-4"]
    )
    [order] = orders.plan_approve(actor=manager, run_id=run.pk)
    deliver(order, ["MX-0001", "MX-0002"], lot="L1", on=today)
    deliver(order, ["MX-0003", "MX-0004"], lot="L2", on=today)
    inspections.items_inspect(
        actor=user_actor(BENEFICIARY),
        coalition=coalition,
        order=order.reference,
        verdict="accepted",
        lot="L1",
        on=today,
    )
    return order


def matrix_samples(coalition: Coalition) -> dict[str, object]:
    """What the access matrix's purchase rows act on: a signed order (of TR-1), an open
    competition TR-2 with an offer D1, a closed competition TR-3 whose plan is built
    and not yet approved (it buys 10 units of N-3 with the money TR-1 left), and TR-4's
    order, delivered: lot L1 accepted, lot L2 awaiting inspection."""
    purchase = purchase_setup(coalition)
    [order] = orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=plan_built(purchase).pk)
    today, manager = purchase.today, user_actor(FUND_MANAGER)
    delivered = _delivered_order(coalition, today)
    needs.requirement_create(
        actor=user_actor(BENEFICIARY),
        coalition=coalition,
        reference="N-3",
        category="tactical-recon",
        quantity=10,
        weight=Decimal(5),
        needed_by=today + timedelta(days=60),
    )
    for reference, offer, supplier in (("TR-2", "D1", "Delta Air"), ("TR-3", "E1", "")):
        competitions.competition_create(
            actor=manager,
            coalition=coalition,
            reference=reference,
            category="tactical-recon",
            budget="50000",
            currency="EUR",
            bid_deadline=today + timedelta(days=5),
            trial_quantity=10,
        )
        fields, _ = offer_fields("A1")
        offers.offer_record(
            actor=manager,
            coalition=coalition,
            competition=reference,
            fields={**fields, "offer": offer, "supplier": supplier or fields["supplier"]},
            tiers=[(1, "1000.00")],
        )
    competitions.competition_move(
        actor=manager, coalition=coalition, reference="TR-3", move="close"
    )
    run = plans.plan_build_submit(
        actor=manager, coalition=coalition, competitions=["TR-3"], time_limit=10
    )
    from coalition.finance.models import Fund

    programme = Fund.objects.get(coalition=coalition, channel="national", country="LV")
    return {
        "open_competition": "TR-2",
        "closed_competition": "TR-3",
        "offer": "D1",
        "supplier": "Baltic Optics",
        "programme_id": programme.pk,
        "programme_holder": "LV",
        "build_run_id": run.pk,
        "order": order.reference,
        "delivered_order": delivered.reference,
        "lot": "L2",
        "delivery_batch": _delivery_batch(coalition),
        "today": today.isoformat(),
        "later": (today + timedelta(days=30)).isoformat(),
    }
