"""Obligations of orders on funds, posted by the procurement services inside their own
transaction (whose one audit event records the ledger summary returned here): money of an
earmark set aside for an order (available -> obligated), and the reversal of such an
obligation when the order is amended or cancelled. Nothing is edited in place: an amended
order's obligations are reversed whole and posted anew."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.finance.errors import EarmarkMismatch, LedgerInvalid
from coalition.finance.ledger import core, store
from coalition.finance.models import AccountKind, Fund
from coalition.finance.money import earmark_allows
from coalition.finance.selectors import fund_holder
from coalition.finance.services.funds import AccountSpec, accounts_ensure


@dataclass(frozen=True)
class Obligation:
    """`amount` of `fund`'s earmark (category, origin) set aside for a purchase of
    (purpose_category, purpose_origin); `joined`: the programme joined the purchase, so
    the fund manager may spend it."""

    key: str
    fund: Fund
    category: str
    origin: str
    amount: Decimal
    currency: str
    purpose_category: str
    purpose_origin: str
    memo: str = ""
    joined: bool = False


def _transaction(obligation: Obligation, on: date) -> core.Transaction:
    o = obligation
    if not earmark_allows(
        category=o.category,
        origin=o.origin,
        purpose_category=o.purpose_category,
        purpose_origin=o.purpose_origin,
    ):
        raise EarmarkMismatch(
            f"{o.fund.name}: money earmarked for {o.category or 'any category'} / "
            f"{o.origin or 'any origin'} cannot pay for {o.purpose_category} / "
            f"{o.purpose_origin}",
            field="category",
        )
    if o.amount <= 0:
        raise LedgerInvalid(f"obligation {o.key}: the amount must be greater than zero")
    source, target = (
        AccountSpec(o.fund, k, o.category, o.origin)
        for k in (AccountKind.AVAILABLE, AccountKind.OBLIGATED)
    )
    accounts_ensure([source, target])
    return core.Transaction(
        key=o.key,
        date=on,
        kind="obligated",
        memo=o.memo,
        postings=(
            core.Posting(source.key, o.currency, -o.amount),
            core.Posting(target.key, o.currency, o.amount),
        ),
    )


def _require_spend(actor: Actor, obligations: Sequence[Obligation], on: date) -> None:
    for fund, joined in sorted({(o.fund, o.joined) for o in obligations}, key=lambda x: x[0].pk):
        holder = fund_holder(fund, on)
        require(
            actor,
            "fund.spend",
            coalition=fund.coalition,
            holder=holder,
            fund=fund,
            holder_name=holder or "the fund holder",
            joined=joined,
        )


def obligations_post(
    *, actor: Actor, obligations: Sequence[Obligation], on: date
) -> store.PostResult:
    """Post every obligation or none (InsufficientFunds names the earmark that would go
    below zero); must run inside the caller's transaction."""
    _require_spend(actor, obligations, on)
    return store.post_many([_transaction(o, on) for o in obligations])


def obligations_reverse(
    *, actor: Actor, obligations: Sequence[Obligation], on: date, suffix: str
) -> store.PostResult:
    """Undo posted obligations whole (the key of each reversal is its key + `suffix`);
    must run inside the caller's transaction."""
    _require_spend(actor, obligations, on)
    stored = store.stored_transactions([o.key for o in obligations])
    return store.post_many(
        [core.reversal(stored[o.key], key=o.key + suffix, on=on) for o in obligations]
    )
