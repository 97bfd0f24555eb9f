"""Reads of the finance domain: totals per year, fund balances, ledgers, contributions.

Totals read the donors' yearly movements in EUR that the ledger keeps (AccountYear), not
its postings: a year costs a few rows per donor account however many transactions there
are. Each posting was converted at the ECB rate of its date (or the latest before it),
rounded half-even to the cent, when it was posted.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import is_fund_manager, require
from coalition.errors import Message, _
from coalition.finance.errors import ContributionNotFound, FundNotFound, NoRate
from coalition.finance.models import (
    DONOR_KINDS,
    Account,
    AccountBalance,
    AccountKind,
    Channel,
    Contribution,
    Fund,
    Posting,
    Rate,
)
from coalition.finance.money import EUR, RateBook, from_minor
from coalition.governance.models import Coalition, Role
from coalition.governance.selectors import role_holder_on

FUND_KINDS = ["pledges", "commitments", "available", "obligated", "paid"]


@dataclass
class EarmarkBalance:
    fund: Fund
    category: str
    origin: str
    currency: str
    amounts: dict[str, Decimal] = field(default_factory=dict)
    available_eur: Decimal | None = None

    @property
    def earmark(self) -> str:
        return " · ".join(x for x in (self.category, self.origin) if x) or "—"


def fund_balances(
    *, actor: Actor, coalition: Coalition, fund: Fund | None = None
) -> list[EarmarkBalance]:
    """Per fund, earmark and currency: what was promised, what is available, obligated,
    paid; read from the maintained balances (no sum over postings)."""
    require(actor, "ledger.view", coalition=coalition)
    qs = AccountBalance.objects.filter(
        account__coalition=coalition, account__kind__in=FUND_KINDS
    ).select_related("account__fund__country")
    if fund is not None:
        qs = qs.filter(account__fund=fund)
    rows: dict[tuple[int, str, str, str], EarmarkBalance] = {}
    for b in qs.order_by("account__fund_id", "account__category", "account__origin", "currency"):
        a = b.account
        slot = (a.fund_id, a.category, a.origin, b.currency)
        row = rows.setdefault(slot, EarmarkBalance(a.fund, a.category, a.origin, b.currency))
        row.amounts[a.kind] = b.balance
    today = timezone.localdate()
    book = rate_book({r.currency for r in rows.values()}, start=today, end=today)
    for row in rows.values():
        for kind in FUND_KINDS:
            row.amounts.setdefault(kind, from_minor(0, row.currency))
        try:
            row.available_eur = book.to_eur(row.amounts["available"], row.currency, today)
        except NoRate:
            row.available_eur = None
    return list(rows.values())


def funds_list(*, actor: Actor, coalition: Coalition) -> QuerySet[Fund]:
    require(actor, "ledger.view", coalition=coalition)
    return Fund.objects.filter(coalition=coalition).select_related("country")


def balance(*, account: Account, currency: str = EUR) -> Decimal:
    """One account's balance in one currency: a single row read."""
    minor = (
        AccountBalance.objects.filter(account=account, currency=currency)
        .values_list("balance_minor", flat=True)
        .first()
    )
    return from_minor(minor or 0, currency)


def fund_accounts(*, fund: Fund) -> QuerySet[Account]:
    return fund.accounts.exclude(kind__in=DONOR_KINDS).order_by("category", "origin", "kind")


def fund_get(*, actor: Actor, coalition: Coalition, fund_id: int) -> Fund:
    require(actor, "ledger.view", coalition=coalition)
    try:
        return Fund.objects.select_related("coalition", "country").get(
            coalition=coalition, id=fund_id
        )
    except Fund.DoesNotExist:
        raise FundNotFound(f"no fund {fund_id} in coalition '{coalition.slug}'") from None


@dataclass(frozen=True)
class EntryScope:
    """Whose contributions an actor may enter: `donor`, its own country (None: any donor,
    for admins and loaders), and with `common_fund` (the fund manager's delegation) any
    member's deposits into the common fund it manages."""

    donor: str | None
    common_fund: bool = False

    def allows(self, donor: str, channel: str) -> bool:
        if self.donor is None or donor == self.donor:
            return True
        return self.common_fund and channel == Channel.COMMON_FUND

    def refusal(self) -> Message:
        if self.common_fund:
            return Message(
                _(
                    "your delegation may only enter contributions of %(donor)s, and any "
                    "member's into the common fund"
                ),
                donor=self.donor,
            )
        return Message(
            _("your delegation may only enter contributions of %(donor)s"), donor=self.donor
        )


def entry_scope(
    *, actor: Actor, coalition: Coalition, donor: str | None = None, channel: str | None = None
) -> EntryScope:
    """Whose contributions `actor` may enter; refused when it may enter none (or not for
    `donor` in `channel`)."""
    require(actor, "contribution.enter", coalition=coalition, donor=donor, channel=channel)
    if actor.is_admin or actor.is_system:
        return EntryScope(None)
    return EntryScope(actor.speaks_for, is_fund_manager(actor, coalition))


def fund_holder(fund: Fund, on: date) -> str | None:
    """The country that spends from the fund on `on`: the fund manager of the day for the
    common fund, the programme's country otherwise."""
    if fund.channel == Channel.COMMON_FUND:
        return role_holder_on(coalition=fund.coalition, role=Role.FUND_MANAGER, on=on)
    return fund.country_id


def ledger(
    *,
    fund: Fund,
    start: date | None = None,
    end: date | None = None,
    account_id: int | None = None,
    category: str | None = None,
    origin: str | None = None,
    kinds: Iterable[str] = (AccountKind.AVAILABLE, AccountKind.OBLIGATED, AccountKind.PAID),
) -> QuerySet[Posting]:
    """The postings of a fund's accounts, newest first, filtered."""
    qs = Posting.objects.filter(account__fund=fund).select_related("transaction", "account")
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    else:
        qs = qs.filter(account__kind__in=list(kinds))
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    if category is not None:
        qs = qs.filter(account__category=category)
    if origin is not None:
        qs = qs.filter(account__origin=origin)
    return qs.order_by("-date", "-id")


def contributions_list(
    *, actor: Actor, coalition: Coalition, donor: str | None = None
) -> QuerySet[Contribution]:
    require(actor, "ledger.view", coalition=coalition)
    qs = (
        Contribution.objects.filter(coalition=coalition)
        .select_related("donor", "fund", "source")
        .prefetch_related("steps")
    )
    return qs.filter(donor_id=donor) if donor else qs


def contribution_get(*, actor: Actor, coalition: Coalition, reference: str) -> Contribution:
    try:
        return contributions_list(actor=actor, coalition=coalition).get(reference=reference)
    except Contribution.DoesNotExist:
        raise ContributionNotFound(
            f"no contribution '{reference}' in coalition '{coalition.slug}'"
        ) from None


def rate_book(
    currencies: Iterable[str], *, start: date | None = None, end: date | None = None
) -> RateBook:
    """The stored rates of `currencies` that look-ups between `start` and `end` can need:
    those in the period and the latest one before it. Public reference data."""
    wanted = sorted({c for c in currencies if c != EUR})
    rows: list[tuple[str, date, Decimal]] = []
    if not wanted:
        return RateBook()
    qs = Rate.objects.filter(currency__in=wanted)
    if end is not None:
        qs = qs.filter(date__lte=end)
    if start is not None:
        for currency in wanted:
            before = (
                Rate.objects.filter(currency=currency, date__lt=start)
                .order_by("-date")
                .values_list("currency", "date", "rate")
                .first()
            )
            if before:
                rows.append(before)
        qs = qs.filter(date__gte=start)
    rows += list(qs.values_list("currency", "date", "rate"))
    return RateBook.from_rows(rows)


def rate_on(currency: str, on: date) -> tuple[date, Decimal]:
    """The rate of `on` or the latest before it; NoRate when there is none."""
    return rate_book([currency], start=on, end=on).rate_on(currency, on)
