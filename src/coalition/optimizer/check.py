"""The independent checker: does a plan keep every rule of docs/spec/SCENARIO.md?

Deliberately shares no code with the models: it re-derives tiers, delivery limits and
eligibility from the scenario's raw fields, so a bug in the model cannot hide itself.
Returns human-readable violations naming the rule and the ids; an empty list means the
plan is feasible.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from coalition.optimizer.plan import Assignment, Coverage, Order, Payment, Plan, Separate
from coalition.optimizer.scenario import Fund, Offer, Scenario

R1 = "rule 1 (orders)"
R2 = "rule 2 (tier pricing)"
R3 = "rule 3 (assignments)"
R4 = "rule 4 (delivery in time)"
R5 = "rule 5 (payments)"
CONSISTENCY = "consistency"


def check(scenario: Scenario, plan: Plan) -> list[str]:
    """Every violation of `plan` against `scenario`; [] when the plan is feasible.
    (A plan file's shape is `Plan.from_json`'s business.)"""
    checker = _PlanChecker(scenario)
    quantities = checker.orders(plan.orders)
    checker.assignments(plan.assignments, quantities)
    checker.payments(plan.payments, quantities)
    checker.totals(plan)
    if plan.separate is not None:
        checker.separate(plan.separate)
    return checker.violations


def _price(offer: Offer, quantity: int) -> Decimal | None:
    """Unit price of the tier with the largest min_quantity <= quantity."""
    found = [t.price_cents for t in offer.tiers if t.min_quantity <= quantity]
    return Decimal(found[-1]).scaleb(-2) if found else None


def _can_deliver(offer: Offer, start: date, by: date) -> int:
    days = (by - start).days
    return offer.capacity_per_30_days * max(0, days - offer.lead_time_days) // 30


def _eligible(fund: Fund, offer: Offer) -> bool:
    category_ok = fund.categories is None or offer.category in fund.categories
    return category_ok and (fund.origins is None or offer.origin in fund.origins)


class _PlanChecker:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.violations: list[str] = []
        self.offers = {o.id: o for o in scenario.offers}
        self.reqs = {r.id: r for r in scenario.requirements}
        self.funds = {f.id: f for f in scenario.funds}
        self.order_cost: dict[str, Decimal] = {}
        self.assigned: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def fail(self, rule: str, message: str) -> None:
        self.violations.append(f"{rule}: {message}")

    def orders(self, orders: tuple[Order, ...]) -> dict[str, int]:
        quantities: dict[str, int] = {}
        for i, order in enumerate(orders):
            offer = self.offers.get(order.offer)
            if offer is None:
                self.fail(CONSISTENCY, f'orders[{i}]: unknown offer "{order.offer}"')
                continue
            if offer.id in quantities:
                self.fail(R1, f"offer {offer.id} has more than one order")
                continue
            quantities[offer.id] = order.quantity
            self.order_cost[offer.id] = order.cost
            self._priced(offer, order.quantity, order.unit_price, order.cost, R1, R2, "")
            self._within_cap(offer, order.quantity, R1)
        return quantities

    def _within_cap(self, offer: Offer, units: int, rule: str) -> None:
        cap = offer.max_quantity
        if cap is not None and units > cap:
            self.fail(
                rule, f"offer {offer.id}: {units} units ordered, more than its max_quantity {cap}"
            )

    def _priced(
        self, offer: Offer, q: int, unit: Decimal, cost: Decimal, r1: str, r2: str, who: str
    ) -> None:
        price = _price(offer, q)
        if price is None:
            first = offer.tiers[0].min_quantity
            self.fail(r1, f"offer {offer.id}{who}: {q} units, below the first tier's {first}")
            return
        if unit != price:
            self.fail(r2, f"offer {offer.id}{who}: {q} units cost {price} each, not {unit}")
        if cost != unit * q:
            self.fail(r2, f"offer {offer.id}{who}: cost {cost} is not {q} x {unit}")

    def assignments(self, rows: tuple[Assignment, ...], quantities: dict[str, int]) -> None:
        for i, row in enumerate(rows):
            offer, req = self.offers.get(row.offer), self.reqs.get(row.requirement)
            if offer is None or req is None:
                what = "offer" if offer is None else "requirement"
                self.fail(CONSISTENCY, f'assignments[{i}]: unknown {what} "{getattr(row, what)}"')
                continue
            if offer.category != req.category:
                self.fail(
                    R3,
                    f"offer {offer.id} ({offer.category}) is assigned to requirement "
                    f"{req.id} ({req.category}), another category",
                )
            self.assigned[offer.id][req.id] += row.quantity
        for offer_id in sorted(set(quantities) | set(self.assigned)):
            given = sum(self.assigned[offer_id].values())
            if given != quantities.get(offer_id, 0):
                self.fail(
                    R3,
                    f"offer {offer_id}: {quantities.get(offer_id, 0)} units ordered "
                    f"but {given} assigned",
                )
        received: dict[str, int] = defaultdict(int)
        for per_req in self.assigned.values():
            for req_id, units in per_req.items():
                received[req_id] += units
        for req_id, units in sorted(received.items()):
            if units > self.reqs[req_id].quantity:
                self.fail(
                    R3,
                    f"requirement {req_id} receives {units} units, more than its "
                    f"quantity {self.reqs[req_id].quantity}",
                )
        self._delivery()

    def _delivery(self) -> None:
        dates = sorted({r.needed_by for r in self.s.requirements})
        for offer_id, per_req in sorted(self.assigned.items()):
            offer = self.offers[offer_id]
            for d in dates:
                due = sum(u for r, u in per_req.items() if self.reqs[r].needed_by <= d)
                limit = _can_deliver(offer, self.s.start, d)
                if due > limit:
                    self.fail(
                        R4,
                        f"offer {offer_id}: {due} units due by {d}, but it can "
                        f"deliver only {limit} by then",
                    )
                    break  # one date is enough to name the offer

    def payments(self, rows: tuple[Payment, ...], quantities: dict[str, int]) -> None:
        paid: dict[str, Decimal] = defaultdict(Decimal)
        spent: dict[str, Decimal] = defaultdict(Decimal)
        for i, row in enumerate(rows):
            fund, offer = self.funds.get(row.fund), self.offers.get(row.offer)
            if fund is None or offer is None:
                what = "fund" if fund is None else "offer"
                self.fail(CONSISTENCY, f'payments[{i}]: unknown {what} "{getattr(row, what)}"')
                continue
            amount = row.amount
            if not _eligible(fund, offer):
                self.fail(
                    R5,
                    f"fund {fund.id} may not pay for offer {offer.id} "
                    f"({offer.category}, made in {offer.origin})",
                )
            if offer.id not in quantities and amount:
                self.fail(
                    R5, f"fund {fund.id} pays {amount} for offer {offer.id}, which has no order"
                )
            paid[offer.id] += amount
            spent[fund.id] += amount
        for offer_id, cost in sorted(self.order_cost.items()):
            if paid[offer_id] != cost:
                self.fail(
                    R5, f"order of offer {offer_id} costs {cost} but is paid {paid[offer_id]:.2f}"
                )
        for fund_id, total in sorted(spent.items()):
            if total > self.funds[fund_id].amount:
                self.fail(
                    R5,
                    f"fund {fund_id} pays {total} in total, more than its amount "
                    f"{self.funds[fund_id].amount}",
                )

    def totals(self, plan: Plan) -> None:
        if plan.currency != self.s.currency:
            self.fail(
                CONSISTENCY, f"currency {plan.currency} is not the scenario's {self.s.currency}"
            )
        cost = sum(self.order_cost.values(), Decimal(0))
        if plan.cost != cost:
            self.fail(CONSISTENCY, f"cost {plan.cost} is not the orders' total {cost:.2f}")
        self._coverage(plan.coverage)
        value = sum(
            (
                r.weight * sum(per.get(r.id, 0) for per in self.assigned.values())
                for r in self.s.requirements
            ),
            Decimal(0),
        )
        if not _close(plan.value, value):
            self.fail(
                CONSISTENCY, f"value {plan.value} is not what the assignments are worth, {value}"
            )
        if plan.bound is not None and not _close(plan.bound, value) and plan.bound < value:
            self.fail(CONSISTENCY, f"bound {plan.bound} is below the value {value}")

    def _coverage(self, rows: tuple[Coverage, ...]) -> None:
        seen: set[str] = set()
        for i, row in enumerate(rows):
            req = self.reqs.get(row.requirement)
            if req is None:
                self.fail(CONSISTENCY, f'coverage[{i}]: unknown requirement "{row.requirement}"')
                continue
            if req.id in seen:
                self.fail(CONSISTENCY, f"coverage lists requirement {req.id} twice")
            seen.add(req.id)
            got = sum(per.get(req.id, 0) for per in self.assigned.values())
            if row.covered != got:
                self.fail(
                    CONSISTENCY,
                    f"coverage of requirement {req.id} says {row.covered}"
                    f", the assignments give {got}",
                )
            if row.quantity != req.quantity:
                self.fail(
                    CONSISTENCY,
                    f"coverage of requirement {req.id} gives quantity "
                    f"{row.quantity}, the scenario {req.quantity}",
                )
        for req in self.s.requirements:
            if req.id not in seen:
                self.fail(CONSISTENCY, f"coverage misses requirement {req.id}")

    def separate(self, separate: Separate) -> None:
        """What can be verified of `separate` without its assignments: each order belongs
        to one fund that may buy it, is priced on its own quantity, and no fund overspends."""
        seen: set[tuple[str, str]] = set()
        spent: dict[str, Decimal] = defaultdict(Decimal)
        units: dict[str, int] = defaultdict(int)
        for i, order in enumerate(separate.orders):
            offer, fund = self.offers.get(order.offer), self.funds.get(order.fund or "")
            if offer is None or fund is None:
                what = "offer" if offer is None else "fund"
                self.fail(
                    CONSISTENCY, f'separate.orders[{i}]: unknown {what} "{getattr(order, what)}"'
                )
                continue
            if (offer.id, fund.id) in seen:
                self.fail(f"separate {R1}", f"fund {fund.id} has two orders of offer {offer.id}")
            seen.add((offer.id, fund.id))
            cost = order.cost
            self._priced(
                offer,
                order.quantity,
                order.unit_price,
                cost,
                f"separate {R1}",
                f"separate {R2}",
                f" (fund {fund.id})",
            )
            if not _eligible(fund, offer):
                self.fail(f"separate {R5}", f"fund {fund.id} may not buy offer {offer.id}")
            spent[fund.id] += cost
            units[offer.id] += order.quantity
        for fund_id, total in sorted(spent.items()):
            if total > self.funds[fund_id].amount:
                self.fail(
                    f"separate {R5}",
                    f"fund {fund_id} spends {total}, more than its "
                    f"amount {self.funds[fund_id].amount}",
                )
        if separate.cost != sum(spent.values(), Decimal(0)):
            self.fail(CONSISTENCY, f"separate.cost {separate.cost} is not its orders' total")
        for offer_id, ordered in sorted(units.items()):
            offer = self.offers[offer_id]
            self._within_cap(offer, ordered, f"separate {R1}")
            last = max(
                (r.needed_by for r in self.s.requirements if r.category == offer.category),
                default=self.s.start,
            )
            if ordered > _can_deliver(offer, self.s.start, last):
                self.fail(
                    f"separate {R4}",
                    f"offer {offer_id}: {ordered} units ordered, more than it can deliver "
                    f"by {last}",
                )


def _close(reported: Decimal, exact: Decimal) -> bool:
    """JSON numbers may have been floats; integral values compare exactly, others to 1e-9."""
    return abs(reported - exact) <= Decimal("1e-9") * max(Decimal(1), abs(exact))
