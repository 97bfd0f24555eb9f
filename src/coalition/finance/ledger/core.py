"""A pure double-entry ledger: no Django, no database; the store applies the same rules.

A transaction moves money between accounts: each posting is a signed amount in one
currency (positive: into the account, negative: out of it), and for every currency the
amounts sum to zero. Postings are never changed; a mistake is undone by a reversal, a new
transaction with every amount negated. Accounts marked with a floor never go below zero.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from coalition.finance.errors import IdempotencyConflict, InsufficientFunds, LedgerInvalid
from coalition.finance.money import MAX_BALANCE_MINOR, from_minor, is_currency, to_minor

MAX_KEY = 200


@dataclass(frozen=True)
class Posting:
    account: str
    currency: str
    amount: Decimal

    @cached_property
    def minor(self) -> int:
        """The amount in minor units (ValueError: more decimals than the currency has)."""
        return to_minor(self.amount, self.currency)


@dataclass(frozen=True)
class Transaction:
    key: str
    date: date
    postings: tuple[Posting, ...]
    kind: str = "transfer"
    memo: str = ""
    reverses: str | None = None

    def signature(self) -> tuple[object, ...]:
        """What must match when a key is replayed: the date and the money moved."""
        return (self.date, tuple(sorted(net_postings(self).items())))


def net_postings(tx: Transaction) -> dict[tuple[str, str], int]:
    """Net minor units per (account, currency) of one transaction."""
    net: dict[tuple[str, str], int] = defaultdict(int)
    for p in tx.postings:
        net[(p.account, p.currency)] += p.minor
    return dict(net)


def validate(tx: Transaction) -> None:
    """LedgerInvalid unless the transaction is well formed and balances per currency."""
    if not tx.key or len(tx.key) > MAX_KEY:
        raise LedgerInvalid(f"an idempotency key of 1 to {MAX_KEY} characters is required")
    if len(tx.postings) < 2:
        raise LedgerInvalid(f"transaction {tx.key}: at least two postings are needed")
    sums: dict[str, int] = defaultdict(int)
    for p in tx.postings:
        if not p.account:
            raise LedgerInvalid(f"transaction {tx.key}: a posting without an account")
        if not is_currency(p.currency):
            raise LedgerInvalid(f"transaction {tx.key}: unknown currency '{p.currency}'")
        try:
            minor = p.minor
        except ValueError as error:
            raise LedgerInvalid(f"transaction {tx.key}: {error}") from None
        if minor == 0:
            raise LedgerInvalid(f"transaction {tx.key}: a posting of zero")
        sums[p.currency] += minor
    unbalanced = sorted(c for c, total in sums.items() if total != 0)
    if unbalanced:
        raise LedgerInvalid(
            f"transaction {tx.key} does not balance in {', '.join(unbalanced)}: "
            "debits and credits differ"
        )


def reversal(tx: Transaction, *, key: str, on: date | None = None, memo: str = "") -> Transaction:
    """The transaction that undoes `tx`: same accounts, amounts negated."""
    return Transaction(
        key=key,
        date=on or tx.date,
        postings=tuple(Posting(p.account, p.currency, -p.amount) for p in tx.postings),
        kind="reversal",
        memo=memo or f"reversal of {tx.key}",
        reverses=tx.key,
    )


def check_floors(
    txs: Iterable[Transaction],
    balances: Mapping[tuple[str, str], int],
    floors: set[str],
) -> dict[tuple[str, str], int]:
    """Apply `txs` in order to `balances` (minor units); InsufficientFunds as soon as an
    account with a floor would go below zero, LedgerInvalid when a balance would pass
    MAX_BALANCE_MINOR either way. Returns the new balances it touched."""
    running: dict[tuple[str, str], int] = {}
    for tx in txs:
        after: dict[tuple[str, str], int] = {}
        for slot, delta in net_postings(tx).items():
            value = running.get(slot, balances.get(slot, 0)) + delta
            if abs(value) > MAX_BALANCE_MINOR:
                raise LedgerInvalid(
                    f"transaction {tx.key}: {slot[0]} would hold more than "
                    f"{from_minor(MAX_BALANCE_MINOR, slot[1]):,} {slot[1]} (the limit of a "
                    "balance)",
                    field="amount",
                    code="ledger.balance_limit",
                )
            if value < 0 and slot[0] in floors:
                available = from_minor(running.get(slot, balances.get(slot, 0)), slot[1])
                error = InsufficientFunds(
                    f"transaction {tx.key}: {slot[0]} holds {available} {slot[1]}, "
                    f"not enough for {from_minor(-delta, slot[1])} {slot[1]}"
                )
                error.tx_key = tx.key
                error.account = slot[0]
                raise error
            after[slot] = value
        running.update(after)
    return running


@dataclass
class Ledger:
    """The reference implementation, in memory: what the store must also do."""

    floors: set[str] = field(default_factory=set)
    transactions: dict[str, Transaction] = field(default_factory=dict)
    balances: dict[tuple[str, str], int] = field(default_factory=dict)

    def post(self, tx: Transaction) -> tuple[Transaction, bool]:
        """(the transaction, True) when posted; (the existing one, False) on a replay."""
        existing = self.transactions.get(tx.key)
        if existing is not None:
            if existing.signature() != tx.signature():
                raise IdempotencyConflict(
                    f"idempotency key {tx.key} was already used for a different transaction"
                )
            return existing, False
        validate(tx)
        if tx.reverses is not None and tx.reverses not in self.transactions:
            raise LedgerInvalid(f"transaction {tx.key} reverses unknown {tx.reverses}")
        self.balances.update(check_floors([tx], self.balances, self.floors))
        self.transactions[tx.key] = tx
        return tx, True

    def balance(self, account: str, currency: str) -> Decimal:
        return from_minor(self.balances.get((account, currency), 0), currency)

    def postings(self) -> list[Posting]:
        return [p for tx in self.transactions.values() for p in tx.postings]


DIGEST_MODULUS = 2**256
LISTED_KEYS = 20  # an event names the keys of at most this many transactions


def content_digest(key: str, day: date, postings: Iterable[tuple[str, str, int]]) -> int:
    """A transaction's content as a number: its key, date and every posting (account key,
    currency, minor units), in a fixed order. The audit log keeps the sum of these for
    what each event posted, so `audit verify` can tell a posting changed behind the
    platform's back (an addition modulo 2^256: the order of a batch does not matter)."""
    lines = [key, day.isoformat(), *sorted(f"{a}|{c}|{m}" for a, c, m in postings)]
    return int(hashlib.sha256("\n".join(lines).encode()).hexdigest(), 16)


def tx_digest(tx: Transaction) -> int:
    return content_digest(tx.key, tx.date, ((p.account, p.currency, p.minor) for p in tx.postings))


def ledger_summary(txs: Sequence[Transaction]) -> dict[str, object]:
    """What an audit event records of the transactions it posted."""
    total = sum(tx_digest(tx) for tx in txs) % DIGEST_MODULUS
    summary: dict[str, object] = {"transactions": len(txs), "digest": f"{total:064x}"}
    if len(txs) <= LISTED_KEYS:
        summary["keys"] = sorted(tx.key for tx in txs)
    return summary
