"""Generated procurement for the OCDS tests: a new coalition per seed, written with the ORM
(the shape the services leave behind, counters included), with every competition status,
orders signed, amended, cancelled and closed, items delivered, accepted and rejected on
several days, and payments, in currencies with 0 and 2 decimals."""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from coalition.governance.models import Category, Coalition, Country, Membership
from coalition.procurement.models import (
    Competition,
    DeliveredItem,
    Inspection,
    Offer,
    OfferTier,
    Order,
    OrderLine,
    OrderRevision,
    Payment,
    PlanRun,
    Requirement,
    Supplier,
)

STATUSES = ["draft", "open", "closed", "awarded", "cancelled"]
CURRENCIES = ["EUR", "GBP", "JPY"]
TODAY = date(2026, 6, 1)


@dataclass
class Generated:
    coalition: Coalition
    supplier_names: list[str] = field(default_factory=list)
    unit_prices: list[tuple[int, str]] = field(default_factory=list)  # (minor, currency)
    amounts: list[tuple[int, str]] = field(default_factory=list)  # orders' and payments'
    orders: int = 0
    payments: int = 0


def _cents(rng: random.Random, currency: str) -> int:
    """A unit price in minor units, with cents where the currency has them."""
    whole = rng.randint(100, 9000)
    return whole if currency == "JPY" else whole * 100 + rng.choice([0, 1, 55, 99])


def generate(seed: int, **settings: object) -> Generated:
    rng = random.Random(seed)
    coalition = Coalition.objects.create(
        slug=f"gen-{seed}", name=f"Generated coalition {seed}", founded=date(2024, 1, 1), **settings
    )
    Membership.objects.create(
        coalition=coalition, country_id="GB", role="fund-manager", start=date(2024, 1, 1)
    )
    found = Generated(coalition=coalition)
    categories = list(Category.objects.all()[:3])
    countries = list(Country.objects.filter(code__in=["UA", "LV", "PL", "NL"]))
    suppliers = [
        Supplier.objects.create(
            coalition=coalition, name=f"Supplier {seed}-{n} Ltd", country=rng.choice(countries)
        )
        for n in range(4)
    ]
    found.supplier_names = [s.name for s in suppliers]
    run = PlanRun.objects.create(
        coalition=coalition, scenario={}, time_limit=1, status="done", plan={}, source="database"
    )
    start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 60))
    statuses = [*STATUSES, rng.choice(["closed", "awarded"])]
    for n, status in enumerate(statuses):
        currency = rng.choice(CURRENCIES)
        category = rng.choice(categories)
        competition = Competition.objects.create(
            coalition=coalition,
            reference=f"GC-{seed}-{n}",
            category=category,
            budget_minor=rng.randint(10**6, 10**9),
            currency=currency,
            bid_deadline=start + timedelta(days=20),
            status=status,
        )
        Competition.objects.filter(pk=competition.pk).update(
            created_at=datetime(2025, 1, 1, 9, 30, tzinfo=UTC)
        )
        needs = [
            Requirement.objects.create(
                coalition=coalition,
                reference=f"R-{seed}-{n}-{k}",
                category=category,
                quantity=rng.randint(5, 60),
                weight=rng.randint(1, 10),
                needed_by=start + timedelta(days=60 + 30 * k),
            )
            for k in range(rng.randint(1, 3))
        ]
        offers = []
        for k, supplier in enumerate(rng.sample(suppliers, rng.randint(1, 3))):
            offer = Offer.objects.create(
                competition=competition,
                reference=f"O-{k}",
                supplier=supplier,
                origin=supplier.country,
                currency=currency,
                capacity_per_30_days=100,
                lead_time_days=10,
                received_on=start + timedelta(days=k + 1),
            )
            OfferTier.objects.create(offer=offer, min_quantity=1, unit_price_minor=1)
            offers.append(offer)
        if status != "awarded":
            continue
        for k, offer in enumerate(offers):
            _order(rng, found, run, offer, needs, f"GO-{seed}-{n}-{k}", start + timedelta(days=25))
    return found


def _order(
    rng: random.Random,
    found: Generated,
    run: PlanRun,
    offer: Offer,
    needs: list[Requirement],
    reference: str,
    signed: date,
) -> None:
    currency = offer.currency
    price = _cents(rng, currency)
    lines = [(need, rng.randint(1, need.quantity)) for need in needs]
    quantity = sum(q for _, q in lines)
    status = rng.choice(["signed", "signed", "closed", "cancelled"])
    order = Order.objects.create(
        coalition=found.coalition,
        reference=reference,
        plan=run,
        offer=offer,
        supplier=offer.supplier,
        category=offer.competition.category,
        currency=currency,
        quantity=quantity,
        unit_price_minor=price,
        amount_minor=quantity * price,
        status=status,
        signed_on=signed,
        revision=rng.choice([0, 0, 1]),
    )
    found.orders += 1
    found.unit_prices.append((price, currency))
    found.amounts.append((quantity * price, currency))
    for need, units in lines:
        OrderLine.objects.create(order=order, requirement=need, quantity=units, due=need.needed_by)
    for number in range(order.revision + 1):
        OrderRevision.objects.create(
            order=order,
            number=number,
            status=status,
            quantity=quantity,
            amount_minor=quantity * price,
            lines=[],
            fundings=[],
        )
    if status == "cancelled":
        return
    delivered = rng.choice([quantity, rng.randint(0, quantity)])
    rejected = rng.randint(0, delivered // 3)
    accepted = rng.randint(0, delivered - rejected)
    day = signed
    serials = []
    for k in range(delivered):
        day = day + timedelta(days=rng.choice([0, 0, 0, 1, 7]))
        serials.append(
            DeliveredItem(order=order, serial=f"{reference}-{k:04d}", delivered_on=day, lot="L1")
        )
    DeliveredItem.objects.bulk_create(serials)
    decided = day + timedelta(days=3)
    for verdict, count, reason in (("rejected", rejected, "damaged"), ("accepted", accepted, "")):
        if not count:
            continue
        inspection = Inspection.objects.create(
            order=order, verdict=verdict, reason=reason, items=count, decided_on=decided
        )
        undecided = DeliveredItem.objects.filter(order=order, status="delivered")
        chosen = list(undecided.order_by("serial").values_list("pk", flat=True)[:count])
        DeliveredItem.objects.filter(pk__in=chosen).update(status=verdict, inspection=inspection)
    paid = 0
    for k in range(rng.randint(0, 2) if accepted else 0):
        amount = rng.randint(1, accepted * price - paid) if accepted * price > paid else 0
        if not amount:
            break
        paid += amount
        Payment.objects.create(
            coalition=found.coalition,
            order=order,
            reference=f"PAY-{reference}-{k}",
            currency=currency,
            amount_minor=amount,
            paid_on=decided + timedelta(days=5 + k),
            transaction_key=f"pay:{reference}:{k}",
        )
        found.payments += 1
        found.amounts.append((amount, currency))
    closed_on = decided + timedelta(days=20) if status == "closed" else None
    Order.objects.filter(pk=order.pk).update(
        delivered=delivered,
        rejected=rejected,
        accepted=accepted,
        paid_minor=paid,
        closed_on=closed_on,
    )
