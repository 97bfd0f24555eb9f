"""A scenario built from the database (docs/spec/SCENARIO.md): the requirements still to
cover, the offers of closed competitions, and the money available on a date in the funds
that take part (the common fund, earmark by earmark, and the programmes that joined one of
the competitions). Reads only; `inputs` says what each scenario id stands for and what
was left out, and why, so the page can show what went in and approval can map the plan
back to requirements, offers and funds' earmarks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from coalition.finance.models import AccountBalance, AccountKind, Channel, Fund, Posting
from coalition.finance.money import from_minor, minor_units
from coalition.finance.selectors import fund_holder
from coalition.governance.models import Coalition
from coalition.procurement.errors import CompetitionState, PlanNotApprovable
from coalition.procurement.models import (
    Competition,
    CompetitionStatus,
    Offer,
    Participation,
    Requirement,
)
from coalition.procurement.selectors import covered_units, passed_tests


@dataclass
class Built:
    scenario: dict[str, Any]
    inputs: dict[str, Any]
    left_out: list[str] = field(default_factory=list)


def _money(minor: int, currency: str) -> str:
    return f"{from_minor(minor, currency):.2f}"


def _competitions(coalition: Coalition, references: list[str]) -> list[Competition]:
    found = {
        c.reference: c
        for c in Competition.objects.filter(coalition=coalition, reference__in=references)
    }
    missing = [r for r in references if r not in found]
    if missing:
        raise CompetitionState(f"no competition {missing[0]} in coalition '{coalition.slug}'")
    for c in found.values():
        if c.status != CompetitionStatus.CLOSED:
            raise CompetitionState(
                f"competition {c.reference} is {c.status}: a plan uses closed competitions only"
            )
    currencies = sorted({c.currency for c in found.values()})
    if len(currencies) > 1:
        raise CompetitionState(
            f"the competitions are in {' and '.join(currencies)}: build one plan per currency"
        )
    if currencies and minor_units(currencies[0]) != 2:
        raise CompetitionState(f"plans are in currencies with cents, not {currencies[0]}")
    return [found[r] for r in references]


def _requirements(
    coalition: Coalition, references: list[str] | None, on: date, left_out: list[str]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    qs = Requirement.objects.filter(coalition=coalition)
    if references is not None:
        qs = qs.filter(reference__in=references)
    items: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    for r in qs.order_by("needed_by", "reference"):
        ordered, _ = covered_units(r)
        remaining = r.quantity - ordered
        if remaining <= 0:
            left_out.append(f"requirement {r.reference}: already on orders")
        elif r.needed_by < on:
            left_out.append(f"requirement {r.reference}: needed by {r.needed_by}, before {on}")
        else:
            items.append(
                {
                    "id": r.reference,
                    "category": r.category_id,
                    "quantity": remaining,
                    "weight": _json_number(r.weight),
                    "needed_by": r.needed_by.isoformat(),
                }
            )
            ids[r.reference] = r.pk
    return items, ids


def _json_number(value: Decimal) -> int | float:
    """A weight as JSON writes it: a stored decimal has at most 15 significant digits, so
    its float prints back as the same decimal (the parser reads it through str())."""
    return int(value) if value == value.to_integral_value() else float(value)


def _offer_item(offer: Offer, scenario_id: str, cap: int | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": scenario_id,
        "supplier": offer.supplier.name,
        "origin": offer.origin_id,
        "category": offer.competition.category_id,
        "lead_time_days": offer.lead_time_days,
        "capacity_per_30_days": offer.capacity_per_30_days,
        "tiers": [
            {
                "min_quantity": t.min_quantity,
                "unit_price": _money(t.unit_price_minor, offer.currency),
            }
            for t in offer.tiers.all()
        ],
    }
    if cap is not None:
        item["max_quantity"] = cap
    return item


def _offers(
    coalition: Coalition, competitions: list[Competition], on: date, left_out: list[str]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    passed = passed_tests(coalition=coalition)
    offers = list(
        Offer.objects.filter(competition__in=competitions)
        .select_related("supplier", "competition")
        .prefetch_related("tiers")
        .order_by("competition__reference", "reference")
    )
    plain = {o.reference for o in offers}
    unique = len(plain) == len(offers)
    items: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    for offer in offers:
        sid = offer.reference if unique else f"{offer.competition.reference}/{offer.reference}"
        competition = offer.competition
        tested = (offer.supplier_id, competition.category_id) in passed
        cap = None if tested else competition.trial_quantity
        if offer.valid_until is not None and offer.valid_until < on:
            left_out.append(
                f"offer {sid} of {offer.supplier.name}: valid until {offer.valid_until}"
            )
        elif cap == 0:
            left_out.append(
                f"offer {sid} of {offer.supplier.name}: no passed test for "
                f"{competition.category_id} and no trial quantity in {competition.reference}"
            )
        else:
            items.append(_offer_item(offer, sid, cap))
            ids[sid] = offer.pk
    return items, ids


def _available_on(funds: list[Fund], on: date) -> dict[tuple[int, str, str, str], int]:
    """Available money per (fund, category, origin, currency) on `on`: its postings up to
    that day, never more than what is available now (later obligations count)."""
    rows = (
        Posting.objects.filter(
            account__fund__in=funds, account__kind=AccountKind.AVAILABLE, date__lte=on
        )
        .values_list("account__fund_id", "account__category", "account__origin", "currency")
        .annotate(total=Sum("amount_minor"))
    )
    then = {(f, c, o, cur): int(t) for f, c, o, cur, t in rows}
    now = {
        (f, c, o, cur): int(b)
        for f, c, o, cur, b in AccountBalance.objects.filter(
            account__fund__in=funds, account__kind=AccountKind.AVAILABLE
        ).values_list(
            "account__fund_id", "account__category", "account__origin", "currency", "balance_minor"
        )
    }
    return {k: min(v, now.get(k, 0)) for k, v in then.items()}


def fund_scenario_id(fund: Fund, category: str, origin: str) -> str:
    earmark = "/".join(x for x in (category, origin) if x)
    return f"{fund.code}/{earmark}" if earmark else fund.code


def _funds(
    coalition: Coalition,
    competitions: list[Competition],
    currency: str,
    on: date,
    left_out: list[str],
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    joined = set(
        Participation.objects.filter(competition__in=competitions).values_list("fund_id", flat=True)
    )
    funds = list(Fund.objects.filter(coalition=coalition).select_related("country", "coalition"))
    taking_part = [f for f in funds if f.channel == Channel.COMMON_FUND or f.pk in joined]
    by_id = {f.pk: f for f in taking_part}
    items: list[dict[str, Any]] = []
    ids: dict[str, dict[str, Any]] = {}
    available = _available_on(taking_part, on)
    for (fund_id, category, origin, cur), minor in sorted(available.items()):
        fund = by_id[fund_id]
        sid = fund_scenario_id(fund, category, origin)
        if minor <= 0:
            continue
        if cur != currency:
            left_out.append(
                f"{fund.name} ({category or 'any category'}): {_money(minor, cur)} {cur} "
                f"held in {cur}, the plan is in {currency}"
            )
            continue
        donor = fund.country_id or fund_holder(fund, on)
        if donor is None:
            left_out.append(f"{fund.name}: no fund manager on {on}")
            continue
        item: dict[str, Any] = {"id": sid, "donor": donor, "amount": _money(minor, cur)}
        if category:
            item["categories"] = [category]
        if origin:
            item["origins"] = [origin]
        items.append(item)
        ids[sid] = {
            "fund": fund.pk,
            "category": category,
            "origin": origin,
            "currency": cur,
            "joined": fund.pk in joined,
            "amount_minor": minor,
        }
    return items, ids


def scenario_build(
    *,
    coalition: Coalition,
    competitions: list[str],
    requirements: list[str] | None,
    on: date,
    name: str = "",
) -> Built:
    """The scenario of a purchase: `requirements` (None: all still to cover) and the
    offers of the closed `competitions`, paid from the money available on `on`."""
    chosen = _competitions(coalition, competitions)
    if not chosen:
        raise CompetitionState("choose at least one closed competition")
    currency = chosen[0].currency
    left_out: list[str] = []
    needs, need_ids = _requirements(coalition, requirements, on, left_out)
    offers, offer_ids = _offers(coalition, chosen, on, left_out)
    funds, fund_ids = _funds(coalition, chosen, currency, on, left_out)
    scenario = {
        "name": name or f"{coalition.slug} {', '.join(competitions)} on {on.isoformat()}",
        "currency": currency,
        "start": on.isoformat(),
        "requirements": needs,
        "offers": offers,
        "funds": funds,
    }
    inputs = {
        "requirements": need_ids,
        "offers": offer_ids,
        "funds": fund_ids,
        "competitions": [c.pk for c in chosen],
        "left_out": left_out,
    }
    return Built(scenario=scenario, inputs=inputs, left_out=left_out)


def balances_now(inputs: dict[str, Any]) -> dict[str, int]:
    """The money available now in each of the plan's funds' earmarks (by scenario id)."""
    now: dict[tuple[int, str, str, str], int] = defaultdict(int)
    fund_ids = {spec["fund"] for spec in inputs["funds"].values()}
    rows = AccountBalance.objects.filter(
        account__fund_id__in=fund_ids, account__kind=AccountKind.AVAILABLE
    ).values_list(
        "account__fund_id", "account__category", "account__origin", "currency", "balance_minor"
    )
    for f, c, o, cur, b in rows:
        now[(f, c, o, cur)] += int(b)
    return {
        sid: now[(spec["fund"], spec["category"], spec["origin"], spec["currency"])]
        for sid, spec in inputs["funds"].items()
    }


def balance_changes(inputs: dict[str, Any], current: dict[str, int]) -> list[str]:
    """What changed in the funds since the plan was built, in words."""
    changes = []
    for sid, spec in sorted(inputs["funds"].items()):
        then, now = spec["amount_minor"], current.get(sid, 0)
        if now < then:
            cur = spec["currency"]
            changes.append(
                f"{sid}: {cur} {from_minor(then, cur):,.2f} available when the plan was "
                f"built, {cur} {from_minor(now, cur):,.2f} now"
            )
    return changes


def require_built(inputs: dict[str, Any]) -> None:
    if not inputs or "funds" not in inputs:
        raise PlanNotApprovable("only a plan built from the database can be approved")


__all__ = ["Built", "balance_changes", "balances_now", "scenario_build"]
