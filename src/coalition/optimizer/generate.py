"""Seeded random scenarios, for tests, the benchmark and demos in the web UI.

Shaped like the drone coalition: a few capability categories with very different unit
prices, requirements due within a year, suppliers with volume tiers, lead times and
monthly capacities, and funds of which some are earmarked by category or origin.
`budget` scales the money to the demand: "tight" buys about a third of it, "loose" most.
"""

import random
from datetime import date, timedelta
from typing import Any

ORIGINS = ["UA", "UA", "UA", "PL", "LV", "LT", "DE", "NO", "GB", "FR", "CZ", "US"]
DONORS = ["GB", "LV", "NO", "DE", "NL", "SE", "DK", "EE", "LT", "PL", "CA", "US", "FR"]
BUDGET_SHARE = {"tight": 0.3, "loose": 0.8}
SIZES = {"small": (20, 60, 6), "medium": (100, 400, 20), "large": (300, 1500, 40)}


def generate(
    requirements: int,
    offers: int,
    funds: int,
    *,
    budget: str = "tight",
    seed: int = 0,
    start: date = date(2025, 3, 1),
) -> dict[str, Any]:
    """A scenario document (valid against scenario.schema.json) of the given size."""
    # Seeded by size only: the tight and loose variants differ in their money alone.
    rng = random.Random(f"{requirements}/{offers}/{funds}/{seed}")
    categories = [f"cat-{i}" for i in range(max(2, round(requirements / 5)))]
    base = {c: round(10 ** rng.uniform(2.3, 4.3), 2) for c in categories}  # EUR 200..20000
    reqs = [_requirement(rng, i, categories, base, start) for i in range(requirements)]
    demand = {c: sum(r["quantity"] for r in reqs if r["category"] == c) for c in categories}
    per_category = {c: max(1, offers // len(categories)) for c in categories}
    offer_docs = [_offer(rng, i, categories, base, demand, per_category) for i in range(offers)]
    money = sum(r["quantity"] * base[r["category"]] for r in reqs) * BUDGET_SHARE[budget]
    return {
        "name": f"generated-{requirements}x{offers}x{funds}-{budget}-{seed}",
        "currency": "EUR",
        "start": start.isoformat(),
        "requirements": reqs,
        "offers": offer_docs,
        "funds": _funds(rng, funds, money, categories),
    }


def generate_size(size: str, budget: str = "tight", seed: int = 0) -> dict[str, Any]:
    """One of the benchmark's sizes: small, medium or large."""
    return generate(*SIZES[size], budget=budget, seed=seed)


def _requirement(
    rng: random.Random, i: int, categories: list[str], base: dict[str, float], start: date
) -> dict[str, Any]:
    category = rng.choice(categories)
    worth = 10 ** rng.uniform(4.7, 6.3)  # EUR 50k..2M of need per requirement
    return {
        "id": f"R{i + 1}",
        "category": category,
        "quantity": max(1, round(worth / base[category])),
        "weight": rng.randint(1, 10),
        "needed_by": (start + timedelta(days=rng.randint(30, 365))).isoformat(),
    }


def _offer(
    rng: random.Random,
    i: int,
    categories: list[str],
    base: dict[str, float],
    demand: dict[str, int],
    per_category: dict[str, int],
) -> dict[str, Any]:
    category = categories[i % len(categories)] if i < len(categories) else rng.choice(categories)
    price = base[category] * rng.uniform(0.85, 1.3)
    first = 1 if rng.random() < 0.7 else rng.choice([5, 10, 20, 50])
    tiers = [{"min_quantity": first, "unit_price": f"{price:.2f}"}]
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        first = first * rng.choice([3, 5, 10]) + rng.randint(0, 20)
        price *= 1 - rng.uniform(0.03, 0.15)
        tiers.append({"min_quantity": first, "unit_price": f"{price:.2f}"})
    # Monthly capacity around the category's demand shared by its offers over ~9 months.
    capacity = demand[category] / per_category[category] / 9 * rng.uniform(0.3, 3.0)
    return {
        "id": f"O{i + 1}",
        "supplier": f"Supplier {rng.randint(1, max(2, len(categories) * 8))}",
        "origin": rng.choice(ORIGINS),
        "category": category,
        "lead_time_days": rng.randint(0, 90),
        "capacity_per_30_days": max(1, round(capacity)),
        "tiers": tiers,
    }


def _funds(
    rng: random.Random, count: int, money: float, categories: list[str]
) -> list[dict[str, Any]]:
    shares = [rng.uniform(0.2, 1.0) for _ in range(count)]
    funds = []
    for i, share in enumerate(shares):
        fund: dict[str, Any] = {
            "id": f"F{i + 1}",
            "donor": rng.choice(DONORS),
            "amount": f"{money * share / sum(shares):.2f}",
        }
        roll = rng.random()
        if roll < 0.3:
            fund["categories"] = sorted(
                rng.sample(categories, rng.randint(1, min(3, len(categories))))
            )
        elif roll < 0.5:
            fund["origins"] = ["UA"] if rng.random() < 0.6 else sorted(rng.sample(ORIGINS[3:], 3))
        funds.append(fund)
    return funds
