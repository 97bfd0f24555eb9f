"""The scenario as frozen dataclasses: what the beneficiary needs, what is offered, the money.

Money is kept as integer cents (exact, and what the MILP works in); `Decimal` views are
provided for display. `parse_scenario` (in `parse.py`) is the only way in from JSON.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coalition.optimizer.money import cents_to_decimal


@dataclass(frozen=True)
class Tier:
    """All-units price: every unit of an order of at least `min_quantity` costs this much."""

    min_quantity: int
    price_cents: int

    @property
    def unit_price(self) -> Decimal:
        return cents_to_decimal(self.price_cents)


@dataclass(frozen=True)
class Requirement:
    id: str
    category: str
    quantity: int
    weight: Decimal
    needed_by: date
    note: str | None = None


@dataclass(frozen=True)
class Offer:
    id: str
    supplier: str
    origin: str
    category: str
    lead_time_days: int
    capacity_per_30_days: int
    tiers: tuple[Tier, ...]
    max_quantity: int | None = None  # most units the offer may receive in all (rule 1)

    def tier_for(self, quantity: int) -> Tier | None:
        """The tier pricing an order of `quantity` (rule 2), None below the first tier."""
        chosen = None
        for tier in self.tiers:
            if tier.min_quantity <= quantity:
                chosen = tier
        return chosen

    def cost_cents(self, quantity: int) -> int:
        """Exact cost of an order of `quantity` units; 0 for no order."""
        if quantity == 0:
            return 0
        tier = self.tier_for(quantity)
        if tier is None:
            raise ValueError(f"offer {self.id}: {quantity} is below the first tier")
        return tier.price_cents * quantity

    def deliverable(self, day: int) -> int:
        """Units this offer can have delivered by `day` (rule 4), in exact integers."""
        return self.capacity_per_30_days * max(0, day - self.lead_time_days) // 30


@dataclass(frozen=True)
class Fund:
    id: str
    donor: str
    amount_cents: int
    categories: tuple[str, ...] | None = None
    origins: tuple[str, ...] | None = None

    @property
    def amount(self) -> Decimal:
        return cents_to_decimal(self.amount_cents)

    def may_pay(self, offer: Offer) -> bool:
        """Rule 5 eligibility: absent lists allow anything, present ones must name the offer's."""
        if self.categories is not None and offer.category not in self.categories:
            return False
        return self.origins is None or offer.origin in self.origins


@dataclass(frozen=True)
class Scenario:
    start: date
    requirements: tuple[Requirement, ...]
    offers: tuple[Offer, ...]
    funds: tuple[Fund, ...]
    currency: str = "EUR"
    name: str | None = None

    def day(self, when: date) -> int:
        """Days from the scenario's start (day 0, when orders are placed) to `when`."""
        return (when - self.start).days
