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


def _moved(
    part: Obligation, source_kind: str, target_kind: str
) -> tuple[core.Posting, core.Posting]:
    if part.amount <= 0:
        raise LedgerInvalid(f"{part.key}: an amount moved must be greater than zero")
    source, target = (
        AccountSpec(part.fund, k, part.category, part.origin) for k in (source_kind, target_kind)
    )
    accounts_ensure([source, target])
    return (
        core.Posting(source.key, part.currency, -part.amount),
        core.Posting(target.key, part.currency, part.amount),
    )


def _obligated_move(
    *,
    actor: Actor,
    key: str,
    parts: Sequence[Obligation],
    on: date,
    target_kind: str,
    kind: str,
    memo: str,
) -> store.PostResult:
    _require_spend(actor, parts, on)
    postings = [p for part in parts for p in _moved(part, AccountKind.OBLIGATED, target_kind)]
    return store.post_many(
        [core.Transaction(key=key, date=on, kind=kind, memo=memo, postings=tuple(postings))]
    )


def obligations_pay(
    *, actor: Actor, key: str, parts: Sequence[Obligation], on: date, memo: str = ""
) -> store.PostResult:
    """Pay a supplier from obligated money: each part (a fund's earmark, its share of the
    payment) moves obligated -> paid, all in one transaction under `key` (a replay of the
    same key and amounts changes nothing); must run inside the caller's transaction."""
    return _obligated_move(
        actor=actor,
        key=key,
        parts=parts,
        on=on,
        target_kind=AccountKind.PAID,
        kind="paid",
        memo=memo,
    )


def obligations_release(
    *, actor: Actor, key: str, parts: Sequence[Obligation], on: date, memo: str = ""
) -> store.PostResult:
    """Give what an order still holds obligated back to each earmark (obligated ->
    available), in one transaction under `key`; must run inside the caller's
    transaction."""
    return _obligated_move(
        actor=actor,
        key=key,
        parts=parts,
        on=on,
        target_kind=AccountKind.AVAILABLE,
        kind="released",
        memo=memo,
    )
