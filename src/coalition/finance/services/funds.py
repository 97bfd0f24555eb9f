"""Funds, their accounts, and spending from an earmark (the procurement app calls
`fund_obligate`, `fund_release` and `fund_pay`). Who spends is the access policy's
`fund.spend`: the fund manager of the day for the common fund, the programme's country
for the others."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.finance.errors import EarmarkMismatch, LedgerInvalid
from coalition.finance.ledger import core, store
from coalition.finance.models import (
    FLOOR_KINDS,
    Account,
    AccountKind,
    Channel,
    Fund,
    LedgerTransaction,
)
from coalition.finance.money import earmark_allows
from coalition.finance.selectors import fund_holder
from coalition.governance.models import Coalition, Country

FUND_NAMES = {
    Channel.COMMON_FUND: "Common fund",
    Channel.NATIONAL: "National programme of {country}",
    Channel.INDUSTRY: "Ukrainian industry programme of {country}",
}


@dataclass(frozen=True)
class AccountSpec:
    fund: Fund
    kind: str
    category: str = ""
    origin: str = ""
    country: str | None = None  # the donor, for the donor's side

    @property
    def key(self) -> str:
        return ":".join(
            [
                self.fund.coalition.slug,
                self.fund.code,
                self.kind,
                self.country or "-",
                self.category or "*",
                self.origin or "*",
            ]
        )


def fund_get_or_create(*, coalition: Coalition, channel: str, donor: Country | None) -> Fund:
    """The fund a contribution of `channel` goes to, created on first use (inside the
    calling service's transaction)."""
    country = None if channel == Channel.COMMON_FUND else donor
    fund = Fund.objects.filter(coalition=coalition, channel=channel, country=country).first()
    if fund is None:
        name = FUND_NAMES[Channel(channel)].format(country=country.name if country else "")
        fund, _ = Fund.objects.get_or_create(
            coalition=coalition, channel=channel, country=country, defaults={"name": name}
        )
    return fund


def accounts_ensure(specs: list[AccountSpec]) -> dict[str, Account]:
    """The accounts of `specs` by key, creating those that do not exist yet."""
    keys = sorted({s.key for s in specs})
    found = {a.key: a for a in Account.objects.filter(key__in=keys)}
    missing = {s.key: s for s in specs if s.key not in found}
    if missing:
        Account.objects.bulk_create(
            [
                Account(
                    key=key,
                    coalition=s.fund.coalition,
                    fund=s.fund,
                    kind=s.kind,
                    country_id=s.country,
                    category=s.category,
                    origin=s.origin,
                    floor_zero=s.kind in FLOOR_KINDS,
                )
                for key, s in missing.items()
            ],
            ignore_conflicts=True,
        )
        found = {a.key: a for a in Account.objects.filter(key__in=keys)}
    return found


def _fund_transfer(
    *,
    actor: Actor,
    fund: Fund,
    source: str,
    target: str,
    category: str,
    origin: str,
    purpose_category: str,
    purpose_origin: str,
    amount: Decimal,
    currency: str,
    on: date,
    key: str,
    memo: str,
    action: str,
) -> LedgerTransaction:
    holder = fund_holder(fund, on)
    require(
        actor,
        "fund.spend",
        coalition=fund.coalition,
        holder=holder,
        fund=fund,
        holder_name=holder or "the fund holder",
    )
    if not earmark_allows(
        category=category,
        origin=origin,
        purpose_category=purpose_category,
        purpose_origin=purpose_origin,
    ):
        raise EarmarkMismatch(
            f"money earmarked for {category or 'any category'} / {origin or 'any origin'} "
            f"cannot pay for {purpose_category or '?'} / {purpose_origin or '?'}",
            field="category",
        )
    if amount <= 0:
        raise LedgerInvalid("the amount must be greater than zero", field="amount")
    specs = [AccountSpec(fund, kind, category, origin) for kind in (source, target)]
    accounts = accounts_ensure(specs)
    tx = core.Transaction(
        key=key,
        date=on,
        kind=action.split(".")[-1],
        memo=memo,
        postings=(
            core.Posting(specs[0].key, currency, -amount),
            core.Posting(specs[1].key, currency, amount),
        ),
    )
    result = store.post_many([tx])
    stored = LedgerTransaction.objects.get(id=result.ids[key])
    if result.created:
        audit_record(
            actor=actor,
            action=action,
            object_type="ledger-transaction",
            object_id=key,
            changes={
                "fund": fund.code,
                "from": accounts[specs[0].key].key,
                "to": accounts[specs[1].key].key,
                "amount": amount,
                "currency": currency,
                "date": on,
                "memo": memo,
                "ledger": result.ledger,
            },
        )
    return stored


@transaction.atomic
def fund_obligate(
    *,
    actor: Actor,
    fund: Fund,
    amount: Decimal,
    currency: str,
    on: date,
    key: str,
    category: str = "",
    origin: str = "",
    purpose_category: str = "",
    purpose_origin: str = "",
    memo: str = "",
) -> LedgerTransaction:
    """Set money of the earmark (category, origin) aside for an order; refused when the
    earmark does not allow the purchase or holds too little (InsufficientFunds). Replaying
    `key` returns the first transaction and changes nothing."""
    return _fund_transfer(
        actor=actor,
        fund=fund,
        source=AccountKind.AVAILABLE,
        target=AccountKind.OBLIGATED,
        category=category,
        origin=origin,
        purpose_category=purpose_category or category,
        purpose_origin=purpose_origin or origin,
        amount=amount,
        currency=currency,
        on=on,
        key=key,
        memo=memo,
        action="fund.obligated",
    )


@transaction.atomic
def fund_release(
    *,
    actor: Actor,
    fund: Fund,
    amount: Decimal,
    currency: str,
    on: date,
    key: str,
    category: str = "",
    origin: str = "",
    memo: str = "",
) -> LedgerTransaction:
    """Give obligated money back to the earmark (an order cancelled or cheaper)."""
    return _fund_transfer(
        actor=actor,
        fund=fund,
        source=AccountKind.OBLIGATED,
        target=AccountKind.AVAILABLE,
        category=category,
        origin=origin,
        purpose_category=category,
        purpose_origin=origin,
        amount=amount,
        currency=currency,
        on=on,
        key=key,
        memo=memo,
        action="fund.released",
    )


@transaction.atomic
def fund_pay(
    *,
    actor: Actor,
    fund: Fund,
    amount: Decimal,
    currency: str,
    on: date,
    key: str,
    category: str = "",
    origin: str = "",
    purpose_category: str = "",
    purpose_origin: str = "",
    obligated: bool = True,
    memo: str = "",
) -> LedgerTransaction:
    """Pay a supplier from obligated money (or straight from the available money when
    `obligated` is False); never below zero."""
    return _fund_transfer(
        actor=actor,
        fund=fund,
        source=AccountKind.OBLIGATED if obligated else AccountKind.AVAILABLE,
        target=AccountKind.PAID,
        category=category,
        origin=origin,
        purpose_category=purpose_category or category,
        purpose_origin=purpose_origin or origin,
        amount=amount,
        currency=currency,
        on=on,
        key=key,
        memo=memo,
        action="fund.paid",
    )
