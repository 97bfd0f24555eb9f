"""The releases of one contracting process (a competition), from what
selectors_ocds.ocds_source read. The ocid is `<prefix>-<coalition slug>-<competition
reference>`; each release id is the ocid, its stage and what makes it unique and stable:

- `<ocid>-planning` (the opening day): the budget and the needs it buys for (planned
  items of the tender);
- `<ocid>-tender` (the opening day): the competition, its items, budget and bid period;
  then `<ocid>-tender-<status>` at the bid deadline once it is closed, awarded or
  cancelled: its status, the number of tenderers and who they are;
- per order, `<ocid>-award-<order>-r<revision>` and `<ocid>-contract-<order>-r<revision>`
  (signed, or the day of its latest amendment): the supplier, value, items with quantity
  and unit price, the contract's period and its delivery milestones, scheduled;
- per order and per day something happened (items delivered, inspected, paid, a delivery
  date passed, the order closed), `<ocid>-implementation-<order>-<day>`: the payments of
  that day as transactions (payer: the fund manager, payee: the supplier) and every
  delivery milestone as it stood that evening (met, notMet or scheduled, with the units
  delivered by its due date).

Confidential prices leave out every value but the budget (the coalition's own envelope,
not a supplier's price): awards', contracts', unit prices and transactions'.
Confidential suppliers leave out the suppliers, tenderers and payees, as parties and
wherever they would be referenced (the number of tenderers stays)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from coalition.finance.money import from_minor
from coalition.procurement.selectors_ocds import ItemCount, OcdsSource, OrderSource, ProcessSource

Json = dict[str, Any]
TENDER_STATUS = {
    "draft": "planned",
    "open": "active",
    "closed": "active",
    "awarded": "complete",
    "cancelled": "cancelled",
}
CONTRACT_STATUS = {"signed": "active", "cancelled": "cancelled", "closed": "active"}
AWARD_STATUS = {"signed": "active", "cancelled": "cancelled", "closed": "active"}
CATEGORY_SCHEME = "x_coalitionCategory"


@dataclass(frozen=True)
class Privacy:
    prices: bool
    suppliers: bool


def day_start(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def day_end(day: date) -> str:
    return f"{day.isoformat()}T23:59:59Z"


def moment(at: datetime) -> str:
    return at.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def amount(minor: int, currency: str) -> int | float:
    """A JSON number exact to the minor unit: an int when whole, else the float whose
    shortest representation is the decimal (true for the platform's amounts, at most a
    trillion units, 15 significant digits)."""
    value = Decimal(str(from_minor(minor, currency)))
    if value == value.to_integral_value():
        return int(value)
    number = float(value)
    if Decimal(repr(number)) != value:
        raise ValueError(f"{value} {currency} has no exact JSON number")
    return number


def value(minor: int, currency: str) -> Json:
    return {"amount": amount(minor, currency), "currency": currency}


class Process:
    """Builds the releases of one competition."""

    def __init__(self, source: OcdsSource, process: ProcessSource, privacy: Privacy) -> None:
        self.source, self.process, self.privacy = source, process, privacy
        coalition = source.coalition
        competition = process.competition
        self.ocid = f"{coalition.ocid_prefix}-{coalition.slug}-{competition.reference}"
        self.buyer = {"id": f"coalition-{coalition.slug}", "name": coalition.name}
        manager = source.fund_manager
        self.manager = {"id": f"country-{manager.code}", "name": manager.name} if manager else None
        offered = min([o.received_on for o in competition.offers.all()], default=None)
        created = competition.created_at.date() if competition.created_at else None
        self.opened = min(d for d in (offered, created, competition.bid_deadline) if d)
        self.roles = self._roles()

    # Parties -------------------------------------------------------------------------

    def _supplier_ref(self, supplier: Any) -> Json:
        return {"id": f"supplier-{supplier.pk}", "name": supplier.name}

    def _roles(self) -> dict[str, tuple[Json, set[str]]]:
        """Every party of the process with all its roles in it (each release names a
        party with the same roles, so the compiled release keeps them all)."""
        roles: dict[str, tuple[Json, set[str]]] = {}

        def add(ref: Json, *names: str, extra: Json | None = None) -> None:
            party = roles.setdefault(ref["id"], ({**ref, **(extra or {})}, set()))
            party[1].update(names)

        add(self.buyer, "buyer")
        if self.manager:
            add(self.manager, "procuringEntity")
            if any(o.payments for o in self.process.orders):
                add(self.manager, "payer")
        if not self.privacy.suppliers:
            for supplier in self.process.tenderers:
                add(self._supplier_ref(supplier), "tenderer", extra=self._address(supplier))
            for o in self.process.orders:
                ref = self._supplier_ref(o.order.supplier)
                add(ref, "supplier", extra=self._address(o.order.supplier))
                if o.payments:
                    add(ref, "payee")
        return roles

    @staticmethod
    def _address(supplier: Any) -> Json:
        return {"address": {"countryName": supplier.country.name}}

    def _parties(self, refs: Iterable[Json | None]) -> list[Json]:
        ids = {self.buyer["id"]} | {r["id"] for r in refs if r}
        return [
            {**party, "roles": sorted(names)}
            for key, (party, names) in self.roles.items()
            if key in ids
        ]

    def _release(
        self, suffix: str, when: str, tags: list[str], refs: list[Any], **parts: Any
    ) -> Json:
        return {
            "ocid": self.ocid,
            "id": f"{self.ocid}-{suffix}",
            "date": when,
            "tag": tags,
            "initiationType": "tender",
            "parties": self._parties(refs),
            "buyer": self.buyer,
            **parts,
        }

    # Items -----------------------------------------------------------------------------

    def _classification(self, category: Any) -> Json:
        return {"scheme": CATEGORY_SCHEME, "id": category.slug, "description": category.name_en}

    def _need_items(self) -> list[Json]:
        return [
            {
                "id": r.reference,
                "description": f"{r.category.name_en}: {r.quantity} units needed by "
                f"{r.needed_by.isoformat()} ({r.priority} priority)",
                "classification": self._classification(r.category),
                "quantity": r.quantity,
                "unit": {"name": "unit"},
            }
            for r in self.process.requirements
        ]

    def _order_items(self, o: OrderSource) -> list[Json]:
        unit: Json = {"name": "unit"}
        if not self.privacy.prices:
            unit["value"] = value(o.order.unit_price_minor, o.order.currency)
        return [
            {
                "id": line.requirement.reference,
                "description": f"{line.requirement.category.name_en} for "
                f"{line.requirement.reference}, due by {line.due.isoformat()}",
                "classification": self._classification(line.requirement.category),
                "quantity": line.quantity,
                "unit": dict(unit),
            }
            for line in o.lines
        ]

    # Stages --------------------------------------------------------------------------------

    def releases(self) -> list[Json]:
        found = [self._planning(), *self._tender()]
        for o in self.process.orders:
            found.extend(self._award_and_contract(o))
            found.extend(self._implementation(o))
        return found

    def _planning(self) -> Json:
        c = self.process.competition
        needs = self.process.requirements
        rationale = (
            f"Competition {c.reference} buys {c.category.name_en} for "
            f"{len(needs)} of the beneficiary's requirements"
            if needs
            else f"Competition {c.reference} buys {c.category.name_en}"
        )
        tender: Json = {"id": c.reference, "title": f"{c.reference}: {c.category.name_en}"}
        if needs:
            tender["items"] = self._need_items()
        return self._release(
            "planning",
            day_start(self.opened),
            ["planning"],
            [],
            planning={
                "rationale": rationale,
                "budget": {
                    "id": f"{c.reference}-budget",
                    "description": f"The budget of competition {c.reference}",
                    "amount": value(c.budget_minor, c.currency),
                },
            },
            tender=tender,
        )

    def _tender(self) -> list[Json]:
        c = self.process.competition
        tender: Json = {
            "id": c.reference,
            "title": f"{c.reference}: {c.category.name_en}",
            "status": "planned" if c.status == "draft" else "active",
            "value": value(c.budget_minor, c.currency),
            "mainProcurementCategory": "goods",
            "tenderPeriod": {
                "startDate": day_start(self.opened),
                "endDate": day_end(c.bid_deadline),
            },
        }
        if self.process.requirements:
            tender["items"] = self._need_items()
        if self.manager:
            tender["procuringEntity"] = self.manager
        found = [
            self._release(
                "tender", day_start(self.opened), ["tender"], [self.manager], tender=tender
            )
        ]
        if c.status in ("draft", "open"):
            return found
        update: Json = {
            "id": c.reference,
            "status": TENDER_STATUS[c.status],
            "numberOfTenderers": len(self.process.tenderers),
        }
        refs: list[Json] = []
        if not self.privacy.suppliers and self.process.tenderers:
            refs = [self._supplier_ref(s) for s in self.process.tenderers]
            update["tenderers"] = refs
        tag = "tenderCancellation" if c.status == "cancelled" else "tenderUpdate"
        when = day_end(max(c.bid_deadline, self.opened))
        found.append(self._release(f"tender-{c.status}", when, [tag], refs, tender=update))
        return found

    def _award_and_contract(self, o: OrderSource) -> list[Json]:
        order = o.order
        revised = o.revision > 0
        when = day_start(o.changed_on)
        terminated = order.closed_on is not None and order.closed_on <= o.changed_on
        supplier = None if self.privacy.suppliers else self._supplier_ref(order.supplier)
        award: Json = {
            "id": order.reference,
            "title": f"Order {order.reference}",
            "status": AWARD_STATUS[order.status],
            "date": day_start(order.signed_on),
            "items": self._order_items(o),
        }
        contract: Json = {
            "id": order.reference,
            "awardID": order.reference,
            "title": f"Order {order.reference}",
            "status": "terminated" if terminated else CONTRACT_STATUS[order.status],
            "dateSigned": day_start(order.signed_on),
            "items": self._order_items(o),
        }
        if o.lines:
            period = {
                "startDate": day_start(order.signed_on),
                "endDate": day_end(max(line.due for line in o.lines)),
            }
            award["contractPeriod"] = contract["period"] = period
            if order.status != "cancelled":
                contract["implementation"] = {"milestones": self._milestones(o, o.changed_on)}
        if not self.privacy.prices:
            award["value"] = contract["value"] = value(order.amount_minor, order.currency)
        if supplier:
            award["suppliers"] = [supplier]
        suffix = f"{order.reference}-r{o.revision}"
        award_tags = ["awardUpdate"] if revised else ["award"]
        contract_tags = ["contractAmendment"] if revised else ["contract"]
        if order.status == "cancelled":
            award_tags, contract_tags = ["awardCancellation"], ["contractTermination"]
        return [
            self._release(f"award-{suffix}", when, award_tags, [supplier], awards=[award]),
            self._release(f"contract-{suffix}", when, contract_tags, [], contracts=[contract]),
        ]

    # Implementation ------------------------------------------------------------------------

    def _implementation(self, o: OrderSource) -> list[Json]:
        order = o.order
        if order.status == "cancelled":
            return []
        days = {i.delivered_on for i in o.items} | {p.paid_on for p in o.payments}
        days |= {i.rejected_on for i in o.items if i.rejected_on}
        days |= {line.due for line in o.lines if line.due <= self.source.today}
        if order.closed_on:
            days.add(order.closed_on)
        found = []
        for day in sorted(d for d in days if d >= order.signed_on):
            contract: Json = {"id": order.reference, "awardID": order.reference}
            tags = ["implementation"]
            if order.closed_on == day:
                contract["status"] = "terminated"
                tags.append("contractTermination")
            implementation: Json = {}
            milestones = self._milestones(o, day)
            if milestones:
                implementation["milestones"] = milestones
            paid = [self._transaction(o, p) for p in o.payments if p.paid_on == day]
            if paid:
                implementation["transactions"] = paid
            contract["implementation"] = implementation
            refs = [self.manager] if paid else []
            if paid and not self.privacy.suppliers:
                refs.append(self._supplier_ref(order.supplier))
            suffix = f"implementation-{order.reference}-{day.isoformat()}"
            found.append(self._release(suffix, day_end(day), tags, refs, contracts=[contract]))
        return found

    def _transaction(self, o: OrderSource, payment: Any) -> Json:
        found: Json = {"id": payment.reference, "date": day_start(payment.paid_on)}
        if not self.privacy.prices:
            found["value"] = value(payment.amount_minor, payment.currency)
        if self.manager:
            found["payer"] = self.manager
        if not self.privacy.suppliers:
            found["payee"] = self._supplier_ref(o.order.supplier)
        return found

    def _milestones(self, o: OrderSource, on: date) -> list[Json]:
        """A delivery milestone per due date of the order's lines, as it stood on `on`:
        met when the units due by then (cumulated) were delivered by the due date and not
        rejected by `on`; notMet once the due date has passed without them."""
        dues = sorted({line.due for line in o.lines})
        found = []
        for due in dues:
            needed = sum(line.quantity for line in o.lines if line.due <= due)
            counted = _delivered(o.items, by=min(due, on), on=on)
            milestone: Json = {
                "id": f"delivery-{due.isoformat()}",
                "title": f"Delivery by {due.isoformat()}",
                "type": "delivery",
                "dueDate": day_end(due),
                "description": f"{needed} units due by {due.isoformat()} in all; "
                f"{counted} delivered and not rejected by then",
            }
            if counted < needed and on < due:
                milestone["status"] = "scheduled"
            elif counted >= needed:
                milestone["status"] = "met"
                milestone["dateMet"] = day_end(_met_on(o.items, needed, due, on))
            else:
                milestone["status"] = "notMet"
            milestone["dateModified"] = day_end(on)
            found.append(milestone)
        return found


def _delivered(items: list[ItemCount], *, by: date, on: date) -> int:
    """Items delivered by `by` that were not rejected by `on`."""
    return sum(
        i.count
        for i in items
        if i.delivered_on <= by and not (i.rejected_on is not None and i.rejected_on <= on)
    )


def _met_on(items: list[ItemCount], needed: int, due: date, on: date) -> date:
    """The day the units delivered (and not rejected by `on`) reached `needed`."""
    total = 0
    for day in sorted({i.delivered_on for i in items if i.delivered_on <= due}):
        total += sum(
            i.count
            for i in items
            if i.delivered_on == day and not (i.rejected_on is not None and i.rejected_on <= on)
        )
        if total >= needed:
            return day
    return due


def process_releases(source: OcdsSource, *, privacy: Privacy) -> list[tuple[str, list[Json]]]:
    """(ocid, releases) for every contracting process of the source."""
    found = []
    for process in source.processes:
        builder = Process(source, process, privacy)
        found.append((builder.ocid, builder.releases()))
    return found
