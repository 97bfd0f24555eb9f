"""The ledger in the database: the pure core's rules, made safe for concurrent writers.

`post_many` is the one write path. Under the caller's transaction it validates every
transaction with the core, skips keys already posted (a replay changes nothing), locks the
balance rows it touches with SELECT ... FOR UPDATE in a fixed order (account id, currency),
refuses anything that takes a floored account below zero, then writes the rows in bulk
and moves the balances by relative updates (`balance = balance + delta`: F() for a few
rows, one statement for a big batch). The CHECK constraint on AccountBalance is the last
line: even a writer that skipped this module cannot overdraw an earmark.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from coalition.finance.errors import IdempotencyConflict, InsufficientFunds, LedgerInvalid
from coalition.finance.ledger import bulk, core, projection
from coalition.finance.models import (
    DONOR_KINDS,
    Account,
    AccountBalance,
    LedgerTransaction,
    Posting,
)
from coalition.finance.money import from_minor

CHUNK = 500  # ids per IN (...) list


@dataclass
class PostResult:
    created: list[str] = field(default_factory=list)
    replayed: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    # What the audit event of the write records of the transactions created.
    ledger: dict[str, object] = field(default_factory=dict)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(keys: list[str]) -> dict[str, int]:
    return bulk.ids_by(LedgerTransaction._meta.db_table, "idempotency_key", keys)


def stored_signature(tx_id: int) -> tuple[object, ...]:
    stored = LedgerTransaction.objects.get(id=tx_id)
    rows = Posting.objects.filter(transaction_id=tx_id).values_list(
        "account__key", "currency", "amount_minor"
    )
    net: dict[tuple[str, str], int] = defaultdict(int)
    for key, currency, minor in rows:
        net[(key, currency)] += minor
    return (stored.date, tuple(sorted(net.items())))


def stored_transactions(keys: Sequence[str]) -> dict[str, core.Transaction]:
    """Stored transactions as the core sees them, by key, in a few queries."""
    found: dict[str, core.Transaction] = {}
    for chunk in _chunks(sorted(set(keys))):
        rows = LedgerTransaction.objects.filter(idempotency_key__in=chunk).prefetch_related(
            "postings__account"
        )
        for tx in rows:
            found[tx.idempotency_key] = core.Transaction(
                key=tx.idempotency_key,
                date=tx.date,
                kind=tx.kind,
                memo=tx.memo,
                postings=tuple(
                    core.Posting(p.account.key, p.currency, from_minor(p.amount_minor, p.currency))
                    for p in tx.postings.all()
                ),
            )
    missing = [k for k in keys if k not in found]
    if missing:
        raise LedgerInvalid(f"no ledger transaction {missing[0]}")
    return found


def stored_transaction(key: str) -> core.Transaction:
    """A stored transaction as the core sees it."""
    return stored_transactions([key])[key]


def _dedupe(txs: Sequence[core.Transaction]) -> list[core.Transaction]:
    """Validate each; keep the first of a key given twice in one batch (same content)."""
    unique: dict[str, core.Transaction] = {}
    for tx in txs:
        core.validate(tx)
        first = unique.get(tx.key)
        if first is None:
            unique[tx.key] = tx
        elif first.signature() != tx.signature():
            raise IdempotencyConflict(
                f"idempotency key {tx.key} given twice with different content"
            )
    return list(unique.values())


def _accounts(txs: Sequence[core.Transaction]) -> dict[str, tuple[int, bool, bool]]:
    """{key: (id, has a floor, feeds the yearly EUR totals)} of the accounts used."""
    keys = sorted({p.account for tx in txs for p in tx.postings})
    found: dict[str, tuple[int, bool, bool]] = {}
    for chunk in _chunks(keys):
        for key, pk, floor, kind in Account.objects.filter(key__in=chunk).values_list(
            "key", "id", "floor_zero", "kind"
        ):
            found[key] = (pk, floor, kind in DONOR_KINDS)
    missing = [k for k in keys if k not in found]
    if missing:
        raise LedgerInvalid(f"unknown account(s): {', '.join(missing[:5])}")
    return found


def _lock_balances(
    slots: set[tuple[int, str]], floors: dict[int, bool]
) -> dict[tuple[int, str], tuple[int, int]]:
    """Lock the balance rows of `slots` in (account id, currency) order; creates the
    missing ones first. Returns {(account id, currency): (row id, balance)}."""
    bulk.upsert(
        AccountBalance._meta.db_table,
        ["account_id", "currency", "balance_minor", "floor_zero"],
        ["account_id", "currency"],
        [(a, c, 0, floors[a]) for a, c in sorted(slots)],
    )
    account_ids = sorted({a for a, _ in slots})
    locked: dict[tuple[int, str], tuple[int, int]] = {}
    for chunk in _chunks(account_ids):
        rows = (
            AccountBalance.objects.select_for_update()
            .filter(account_id__in=chunk)
            .order_by("account_id", "currency")
            .values_list("account_id", "currency", "id", "balance_minor")
        )
        for account_id, currency, row_id, balance in rows:
            locked[(account_id, currency)] = (row_id, balance)
    return locked


def _reversed_ids(txs: Sequence[core.Transaction]) -> dict[str, int]:
    """Ids of the stored transactions that `txs` reverse (each at most once)."""
    in_batch = {tx.key for tx in txs}
    targets = [tx.reverses for tx in txs if tx.reverses]
    if len(targets) != len(set(targets)):
        raise LedgerInvalid("a transaction is reversed twice in one batch")
    wanted = sorted(t for t in targets if t not in in_batch)
    ids = _existing(wanted)
    unknown = [k for k in wanted if k not in ids]
    if unknown:
        raise LedgerInvalid(f"a reversal names unknown transaction {unknown[0]}")
    already = LedgerTransaction.objects.filter(reverses_id__in=list(ids.values())).values_list(
        "reverses__idempotency_key", flat=True
    )
    for key in already:
        raise LedgerInvalid(f"transaction {key} was already reversed")
    return ids


def _waves(txs: list[core.Transaction]) -> list[list[core.Transaction]]:
    """Split so that a reversal is inserted after the transaction it reverses."""
    waves: list[list[core.Transaction]] = [[]]
    in_wave: set[str] = set()
    for tx in txs:
        if tx.reverses in in_wave:
            waves.append([])
            in_wave = set()
        waves[-1].append(tx)
        in_wave.add(tx.key)
    return waves


def _insert_transactions(
    txs: Sequence[core.Transaction], recorded_at: datetime, reverses: dict[str, int]
) -> dict[str, int]:
    stamp = connection.ops.adapt_datetimefield_value(recorded_at)
    rows = [
        (
            tx.key,
            tx.date,
            tx.kind,
            tx.memo[:300],
            stamp,
            reverses.get(tx.reverses) if tx.reverses else None,
        )
        for tx in txs
    ]
    columns = ["idempotency_key", "date", "kind", "memo", "recorded_at", "reverses_id"]
    bulk.insert(LedgerTransaction._meta.db_table, columns, rows)
    return _existing([tx.key for tx in txs])


def _insert_postings(rows: list[tuple[int, int, str, int, date]]) -> None:
    columns = ["transaction_id", "account_id", "currency", "amount_minor", "date"]
    bulk.insert(Posting._meta.db_table, columns, rows)


def _move_balances(deltas: dict[int, int]) -> None:
    """balance = balance + delta on the locked rows, in id order. A few rows: one ORM
    F() update each; a big batch: the same relative UPDATE, sent as one executemany."""
    if len(deltas) <= 32:
        for row_id, delta in sorted(deltas.items()):
            AccountBalance.objects.filter(id=row_id).update(
                balance_minor=F("balance_minor") + delta
            )
        return
    bulk.add_by_id(AccountBalance._meta.db_table, "balance_minor", sorted(deltas.items()))


def post_many(
    txs: Sequence[core.Transaction], *, recorded_at: datetime | None = None
) -> PostResult:
    """Post `txs` in order, all or none; keys already posted are replays (no change)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("post_many must run inside the caller's transaction")
    result = PostResult()
    unique = _dedupe(txs)
    existing = _existing([tx.key for tx in unique])
    for tx in unique:
        if tx.key in existing and stored_signature(existing[tx.key]) != tx.signature():
            raise IdempotencyConflict(
                f"idempotency key {tx.key} was already used for a different transaction"
            )
    result.replayed = [tx.key for tx in unique if tx.key in existing]
    result.ids.update({k: existing[k] for k in result.replayed})
    new = [tx for tx in unique if tx.key not in existing]
    if not new:
        return result
    accounts = _accounts(new)
    reverses = _reversed_ids(new)
    floors = {pk: floor for pk, floor, _ in accounts.values()}
    slots = {(accounts[p.account][0], p.currency) for tx in new for p in tx.postings}
    locked = _lock_balances(slots, floors)
    # Another writer may have posted one of these keys while we waited for the locks
    # (not on SQLite, where IMMEDIATE transactions let one writer in at a time).
    raced = _existing([tx.key for tx in new]) if connection.vendor != "sqlite" else {}
    if raced:
        for tx in new:
            if tx.key in raced and stored_signature(raced[tx.key]) != tx.signature():
                raise IdempotencyConflict(
                    f"idempotency key {tx.key} was already used for a different transaction"
                )
        result.replayed += list(raced)
        result.ids.update(raced)
        new = [tx for tx in new if tx.key not in raced]
    if not new:
        return result
    return _post_locked(new, result, accounts, locked, reverses, recorded_at)


def _post_locked(
    new: list[core.Transaction],
    result: PostResult,
    accounts: dict[str, tuple[int, bool, bool]],
    locked: dict[tuple[int, str], tuple[int, int]],
    reverses: dict[str, int],
    recorded_at: datetime | None,
) -> PostResult:
    """Check the floors against the locked balances, then write."""
    deltas: dict[tuple[int, str], int] = defaultdict(int)
    posting_rows: list[tuple[str, int, str, int, date]] = []
    for tx in new:
        for p in tx.postings:
            account_id = accounts[p.account][0]
            deltas[(account_id, p.currency)] += p.minor
            posting_rows.append((tx.key, account_id, p.currency, p.minor, tx.date))
    key_of = {pk: key for key, (pk, _, _) in accounts.items()}
    core.check_floors(
        new,
        {(key_of[a], c): bal for (a, c), (_, bal) in locked.items() if a in key_of},
        {key for key, (_, floor, _) in accounts.items() if floor},
    )
    years = projection.years_of(new, {k: (a[0], a[2]) for k, a in accounts.items()})
    stamp = recorded_at or timezone.now()
    try:
        with transaction.atomic():
            for wave in _waves(new):
                reverses.update(result.ids)
                result.ids.update(_insert_transactions(wave, stamp, reverses))
    except IntegrityError as error:  # a key posted meanwhile with other accounts
        raise IdempotencyConflict(f"an idempotency key was posted concurrently: {error}") from error
    _insert_postings([(result.ids[k], a, c, m, d) for k, a, c, m, d in posting_rows])
    try:
        with transaction.atomic():
            _move_balances({locked[slot][0]: d for slot, d in deltas.items() if d})
    except IntegrityError as error:  # the CHECK constraint: only a bug gets here
        raise InsufficientFunds(f"a balance would go below zero: {error}") from error
    projection.add(years)
    result.created = [tx.key for tx in new]
    result.ledger = core.ledger_summary(new)
    return result
