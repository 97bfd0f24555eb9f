"""Shared helpers of the optimiser tests: data files, tiny random scenarios and an
independent brute-force optimum (it shares no code with the models)."""

import json
import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations, product
from pathlib import Path
from typing import Any

from coalition.optimizer import spec
from coalition.optimizer.scenario import Offer, Scenario

EXAMPLE = spec.path(spec.EXAMPLE_SCENARIO)
EXPECTED = spec.path(spec.EXAMPLE_EXPECTED)


def load(path: Path) -> Any:
    return json.loads(path.read_text(), parse_float=Decimal)


def tiny_scenario(
    seed: int, offers: int = 4, requirements: int = 3, caps: bool = False
) -> dict[str, Any]:
    """A scenario small enough to enumerate: 1-3 requirements of 1-3 units, a few offers
    with one or two tiers (prices sometimes rising), one or two earmarked funds. With
    `caps`, most offers also get a `max_quantity` of 1-4 (drawn apart: the same seed gives
    the same scenario otherwise)."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    categories = ["a", "b"][: rng.choice([1, 1, 2])]
    reqs = [
        {
            "id": f"R{i}",
            "category": rng.choice(categories),
            "quantity": rng.randint(1, 4),
            "weight": rng.choice([1, 2, 3, 5, 1.5, 0.25, 7]),
            "needed_by": (start + timedelta(days=rng.randint(5, 90))).isoformat(),
        }
        for i in range(rng.randint(1, requirements))
    ]
    offer_docs = []
    for i in range(rng.randint(1, offers)):
        first = rng.choice([1, 1, 2])
        price = rng.randint(1, 20) * 100 + rng.choice([0, 0, 1, 99])
        tiers = [{"min_quantity": first, "unit_price": f"{price / 100:.2f}"}]
        if rng.random() < 0.6:
            price2 = max(1, price + rng.randint(-800, 100))
            tiers.append(
                {"min_quantity": first + rng.randint(1, 2), "unit_price": f"{price2 / 100:.2f}"}
            )
        offer_docs.append(
            {
                "id": f"O{i}",
                "supplier": f"S{i}",
                "origin": rng.choice(["UA", "PL"]),
                "category": rng.choice(categories),
                "lead_time_days": rng.randint(0, 30),
                "capacity_per_30_days": rng.randint(0, 6),
                "tiers": tiers,
            }
        )
    funds = []
    for i in range(rng.randint(1, 2)):
        fund: dict[str, Any] = {
            "id": f"F{i}",
            "donor": "GB",
            "amount": f"{rng.randint(0, 9000) / 100:.2f}",
        }
        roll = rng.random()
        if roll < 0.25:
            fund["categories"] = [rng.choice(categories)]
        elif roll < 0.5:
            fund["origins"] = [rng.choice(["UA", "PL"])]
        funds.append(fund)
    if caps:
        capper = random.Random(f"caps/{seed}")
        for offer in offer_docs:
            if capper.random() < 0.7:
                offer["max_quantity"] = capper.randint(1, 4)
    return {"start": start.isoformat(), "requirements": reqs, "offers": offer_docs, "funds": funds}


def price_cents(offer: Offer, quantity: int) -> int | None:
    prices = [t.price_cents for t in offer.tiers if t.min_quantity <= quantity]
    return prices[-1] if prices else None


def cost_cents(offer: Offer, quantity: int) -> int:
    """Cost of an order already known to reach the first tier (0 for no order)."""
    price = price_cents(offer, quantity) if quantity else 0
    assert price is not None
    return price * quantity


def deliverable(offer: Offer, days: int) -> int:
    return offer.capacity_per_30_days * max(0, days - offer.lead_time_days) // 30


def _may_pay(scenario: Scenario, f: int, o: int) -> bool:
    fund, offer = scenario.funds[f], scenario.offers[o]
    return (fund.categories is None or offer.category in fund.categories) and (
        fund.origins is None or offer.origin in fund.origins
    )


def payable(scenario: Scenario, costs: dict[int, int]) -> bool:
    """Hall's condition: every set of orders costs at most what the funds that may pay
    for any of them hold (max-flow/min-cut for this bipartite payment network)."""
    orders = [o for o, c in costs.items() if c > 0]
    for k in range(1, len(orders) + 1):
        for subset in combinations(orders, k):
            money = sum(
                fund.amount_cents
                for f, fund in enumerate(scenario.funds)
                if any(_may_pay(scenario, f, o) for o in subset)
            )
            if sum(costs[o] for o in subset) > money:
                return False
    return True


def _assignment_vectors(
    scenario: Scenario, o: int, need: list[int], tier_minimum: bool = True
) -> list[dict[int, int]]:
    """Every way offer o can deliver units to same-category requirements in time. In
    separate buying the total may be several orders, each checked against the tiers on its
    own, so `tier_minimum=False` skips the check on the total."""
    offer = scenario.offers[o]
    reqs = [r for r, req in enumerate(scenario.requirements) if req.category == offer.category]
    vectors = []
    for units in product(*(range(need[r] + 1) for r in reqs)):
        vector = dict(zip(reqs, units, strict=True))
        q = sum(units)
        if tier_minimum and q and price_cents(offer, q) is None:
            continue
        if offer.max_quantity is not None and q > offer.max_quantity:
            continue  # rule 1's cap, on all of the offer's orders together
        ok = True
        for r in reqs:  # rule 4 at each requirement date
            due = scenario.requirements[r].needed_by
            total = sum(u for s, u in vector.items() if scenario.requirements[s].needed_by <= due)
            if total > deliverable(offer, scenario.day(due)):
                ok = False
        if ok:
            vectors.append(vector)
    return vectors


def brute_force(scenario: Scenario) -> tuple[Decimal, int]:
    """(best value, least cost in cents at that value) by enumerating every assignment."""
    best: list[tuple[Decimal, int]] = [(Decimal(0), 0)]

    def visit(o: int, need: list[int], quantities: dict[int, int], value: Decimal) -> None:
        if o == len(scenario.offers):
            costs = {p: cost_cents(scenario.offers[p], q) for p, q in quantities.items() if q}
            cost = sum(costs.values())
            if (value, -cost) > (best[0][0], -best[0][1]) and payable(scenario, costs):
                best[0] = (value, cost)
            return
        for vector in _assignment_vectors(scenario, o, need):
            rest = list(need)
            gained = Decimal(0)
            for r, u in vector.items():
                rest[r] -= u
                gained += scenario.requirements[r].weight * u
            visit(o + 1, rest, {**quantities, o: sum(vector.values())}, value + gained)

    visit(0, [r.quantity for r in scenario.requirements], {}, Decimal(0))
    return best[0]


def brute_force_separate(scenario: Scenario) -> tuple[Decimal, int]:
    """The same for separate buying: each offer's units split into orders of single
    funds, each priced on its own quantity and paid by its fund alone."""
    best: list[tuple[Decimal, int]] = [(Decimal(0), 0)]
    funds = range(len(scenario.funds))

    def cheapest_split(quantities: dict[int, int]) -> int | None:
        options = []
        for o, q in quantities.items():
            eligible = [f for f in funds if _may_pay(scenario, f, o)]
            splits = []
            for parts in product(range(q + 1), repeat=len(eligible)):
                if sum(parts) != q:
                    continue
                offer = scenario.offers[o]
                if any(p and price_cents(offer, p) is None for p in parts):
                    continue
                splits.append(
                    {f: cost_cents(offer, p) for f, p in zip(eligible, parts, strict=True)}
                )
            options.append(splits)
        cheapest = None
        for combo in product(*options):
            spent = [sum(split.get(f, 0) for split in combo) for f in funds]
            if all(s <= scenario.funds[f].amount_cents for f, s in enumerate(spent)):
                cheapest = sum(spent) if cheapest is None else min(cheapest, sum(spent))
        return cheapest

    def visit(o: int, need: list[int], quantities: dict[int, int], value: Decimal) -> None:
        if o == len(scenario.offers):
            if value < best[0][0]:
                return
            cost = cheapest_split({p: q for p, q in quantities.items() if q})
            if cost is not None and (value, -cost) > (best[0][0], -best[0][1]):
                best[0] = (value, cost)
            return
        for vector in _assignment_vectors(scenario, o, need, tier_minimum=False):
            rest = list(need)
            gained = Decimal(0)
            for r, u in vector.items():
                rest[r] -= u
                gained += scenario.requirements[r].weight * u
            visit(o + 1, rest, {**quantities, o: sum(vector.values())}, value + gained)

    visit(0, [r.quantity for r in scenario.requirements], {}, Decimal(0))
    return best[0]


def recompute(scenario: Scenario, plan: dict[str, Any]) -> dict[str, Any]:
    """Make coverage, value and cost consistent with a mutated plan's orders and
    assignments, so that a mutation breaks exactly the rule it aims at."""
    covered = {r.id: 0 for r in scenario.requirements}
    for row in plan["assignments"]:
        if row["requirement"] in covered:
            covered[row["requirement"]] += row["quantity"]
    plan["coverage"] = [
        {"requirement": r.id, "covered": covered[r.id], "quantity": r.quantity}
        for r in scenario.requirements
    ]
    value = sum((r.weight * covered[r.id] for r in scenario.requirements), Decimal(0))
    plan["value"] = int(value) if value == int(value) else float(value)
    bound = max(Decimal(str(plan.get("bound", 0))), value)
    plan["bound"] = int(bound) if bound == int(bound) else float(bound)
    plan["cost"] = f"{sum((Decimal(o['cost']) for o in plan['orders']), Decimal(0)):.2f}"
    return plan
