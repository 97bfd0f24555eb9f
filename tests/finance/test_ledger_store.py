"""The ledger store: the core's rules in the database, append-only rows, O(1) balances,
idempotent replays, and no earmark below zero under concurrent writers (PostgreSQL)."""

import random
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Sum

from coalition.finance.errors import (
    AppendOnly,
    IdempotencyConflict,
    InsufficientFunds,
    LedgerInvalid,
)
from coalition.finance.ledger import core
from coalition.finance.models import (
    AccountBalance,
    AccountYear,
    Fund,
    LedgerTransaction,
    Posting,
)
from coalition.finance.money import from_minor, to_eur
from coalition.finance.selectors import rate_on
from coalition.finance.services.funds import (
    AccountSpec,
    accounts_ensure,
    fund_get_or_create,
    fund_obligate,
)
from coalition.finance.services.ledger import ledger_post, ledger_post_many, ledger_reverse
from coalition.governance.models import Coalition
from tests.conftest import requires_postgres
from tests.finance.helpers import counts
from tests.helpers import TEST

pytestmark = pytest.mark.django_db


def _accounts(coalition: Coalition) -> tuple[Fund, dict[str, str]]:
    fund = fund_get_or_create(coalition=coalition, channel="common-fund", donor=None)
    specs = {
        "donor": AccountSpec(fund, "disbursed", "tactical-recon", "", "GB"),
        "available": AccountSpec(fund, "available", "tactical-recon"),
        "obligated": AccountSpec(fund, "obligated", "tactical-recon"),
        "paid": AccountSpec(fund, "paid", "tactical-recon"),
    }
    accounts_ensure(list(specs.values()))
    return fund, {name: spec.key for name, spec in specs.items()}


def _move(
    key: str,
    source: str,
    target: str,
    amount: str,
    currency: str = "EUR",
    on: date = date(2024, 8, 1),
) -> core.Transaction:
    value = Decimal(amount)
    return core.Transaction(
        key, on, (core.Posting(source, currency, -value), core.Posting(target, currency, value))
    )


def _balance(key: str, currency: str = "EUR") -> int:
    row = AccountBalance.objects.filter(account__key=key, currency=currency).first()
    return row.balance_minor if row else 0


def test_posting_moves_balances_and_a_replay_changes_nothing(demo: Coalition) -> None:
    _, acc = _accounts(demo)
    tx = _move("fund-1", acc["donor"], acc["available"], "1000.00")
    first = ledger_post(actor=TEST, tx=tx)
    assert (_balance(acc["donor"]), _balance(acc["available"])) == (-100000, 100000)
    before = counts()
    again = ledger_post(actor=TEST, tx=tx)
    assert again.id == first.id
    assert counts() == before
    with pytest.raises(IdempotencyConflict, match="fund-1 was already used"):
        ledger_post(actor=TEST, tx=_move("fund-1", acc["donor"], acc["available"], "999.00"))


def test_unbalanced_or_unknown_account_writes_nothing(demo: Coalition) -> None:
    _, acc = _accounts(demo)
    before = counts()
    bad = core.Transaction(
        "bad",
        date(2024, 8, 1),
        (
            core.Posting(acc["donor"], "EUR", Decimal(-5)),
            core.Posting(acc["available"], "EUR", Decimal(4)),
        ),
    )
    with pytest.raises(LedgerInvalid, match="does not balance"):
        ledger_post(actor=TEST, tx=bad)
    with pytest.raises(LedgerInvalid, match="unknown account"):
        ledger_post(actor=TEST, tx=_move("x", "nope", acc["available"], "1.00"))
    assert counts() == before


def test_a_floored_account_refuses_to_go_below_zero(demo: Coalition) -> None:
    _, acc = _accounts(demo)
    ledger_post(actor=TEST, tx=_move("in", acc["donor"], acc["available"], "100.00"))
    with pytest.raises(InsufficientFunds, match=r"holds 100\.00 EUR, not enough for 100\.01 EUR"):
        ledger_post(actor=TEST, tx=_move("out", acc["available"], acc["paid"], "100.01"))
    with pytest.raises(InsufficientFunds):  # nor in another currency it does not hold
        ledger_post(actor=TEST, tx=_move("usd", acc["available"], acc["paid"], "1.00", "USD"))
    ledger_post(actor=TEST, tx=_move("all", acc["available"], acc["paid"], "100.00"))
    assert _balance(acc["available"]) == 0
    # The database CHECK stands behind the service: a raw write cannot overdraw either.
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountBalance.objects.filter(account__key=acc["available"], currency="EUR").update(
            balance_minor=-1
        )


def test_postings_are_never_updated_or_deleted(demo: Coalition) -> None:
    _, acc = _accounts(demo)
    ledger_post(actor=TEST, tx=_move("t", acc["donor"], acc["available"], "10.00"))
    posting = Posting.objects.get(transaction__idempotency_key="t", amount_minor__gt=0)
    posting.amount_minor = 5
    with pytest.raises(AppendOnly):
        posting.save()
    with pytest.raises(AppendOnly):
        posting.delete()
    with pytest.raises(AppendOnly):
        Posting.objects.filter(id=posting.id).update(amount_minor=5)
    with pytest.raises(AppendOnly):
        Posting.objects.all().delete()
    with pytest.raises(AppendOnly):
        LedgerTransaction.objects.all().update(memo="edited")
    table = Posting._meta.db_table
    # Behind the ORM's back, the database trigger refuses.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET amount_minor = 5")
    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"DELETE FROM {table}")
    assert Posting.objects.get(id=posting.id).amount_minor == 1000  # unchanged


def test_a_reversal_undoes_a_transaction_once(demo: Coalition) -> None:
    _, acc = _accounts(demo)
    ledger_post(actor=TEST, tx=_move("t", acc["donor"], acc["available"], "10.00"))
    reversal = ledger_reverse(actor=TEST, key="t")
    assert reversal.reverses is not None and reversal.reverses.idempotency_key == "t"
    assert _balance(acc["available"]) == 0 and _balance(acc["donor"]) == 0
    assert ledger_reverse(actor=TEST, key="t").id == reversal.id  # a replay
    with pytest.raises(LedgerInvalid, match="already reversed"):
        ledger_reverse(actor=TEST, key="t", reversal_key="t-again")


def test_store_balances_and_days_equal_the_postings_and_the_core(demo: Coalition) -> None:
    """Random batches through the store, checked against the pure core."""
    fund, acc = _accounts(demo)
    names = ["donor", "available", "obligated", "paid"]
    floors = {acc["available"], acc["obligated"]}
    reference = core.Ledger(floors=floors)
    rnd = random.Random(7)
    for batch in range(6):
        txs = []
        for i in range(40):
            source, target = rnd.sample(names, 2)
            if rnd.random() < 0.5:
                source, target = "donor", rnd.choice(["available", "obligated"])
            currency = rnd.choice(["EUR", "USD", "GBP"])
            amount = f"{rnd.randint(1, 50000) / 100:.2f}"
            day = date(2024, 1 + rnd.randint(0, 11), 1 + rnd.randint(0, 27))
            txs.append(_move(f"b{batch}-{i}", acc[source], acc[target], amount, currency, day))
        # Keep the batch to what the core accepts, so the store must accept all of it.
        accepted = []
        for tx in txs:
            try:
                reference.post(tx)
            except InsufficientFunds:
                continue
            accepted.append(tx)
        result = ledger_post_many(actor=TEST, txs=accepted, label=f"batch {batch}")
        assert len(result.created) == len(accepted)
    replay = ledger_post_many(actor=TEST, txs=accepted)
    assert replay.created == [] and len(replay.replayed) == len(accepted)
    mine = {"account__fund": fund}
    sums = (
        Posting.objects.filter(**mine)
        .values_list("account__key", "currency")
        .annotate(s=Sum("amount_minor"))
    )
    from_postings = {(k, c): s for k, c, s in sums if s}
    stored = {
        (b.account.key, b.currency): b.balance_minor
        for b in AccountBalance.objects.filter(**mine).select_related("account")
        if b.balance_minor
    }
    assert stored == from_postings == {k: v for k, v in reference.balances.items() if v}
    # The donors' yearly movements, each posting converted at its date's rate.
    years = {
        (y.account.key, y.currency, y.year): (y.amount_minor, y.eur_cents)
        for y in AccountYear.objects.filter(**mine).select_related("account")
    }
    expected: dict[tuple[str, str, int], list[int]] = {}
    for p in Posting.objects.filter(**mine, account__kind="disbursed").select_related("account"):
        rate = rate_on(p.currency, p.date)[1]
        row = expected.setdefault((p.account.key, p.currency, p.date.year), [0, 0])
        row[0] += p.amount_minor
        row[1] += int(to_eur(from_minor(p.amount_minor, p.currency), rate) * 100)
    assert years == {k: tuple(v) for k, v in expected.items()}


def test_a_batch_is_all_or_nothing(demo: Coalition) -> None:
    _, acc = _accounts(demo)
    before = counts()
    txs = [
        _move("ok", acc["donor"], acc["available"], "10.00"),
        _move("too-much", acc["available"], acc["paid"], "10.01"),
    ]
    with pytest.raises(InsufficientFunds, match="too-much"):
        ledger_post_many(actor=TEST, txs=txs)
    assert counts() == before


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_overspending_never_goes_below_zero(demo: Coalition) -> None:
    """20 threads each obligate EUR 150 from an earmark holding EUR 1000: exactly 6 may."""
    fund, acc = _accounts(demo)
    with transaction.atomic():
        ledger_post(actor=TEST, tx=_move("fund", acc["donor"], acc["available"], "1000.00"))
    threads, results = 20, []
    barrier = threading.Barrier(threads)
    lock = threading.Lock()

    def spend(i: int) -> None:
        try:
            barrier.wait()
            fund_obligate(
                actor=TEST,
                fund=Fund.objects.get(id=fund.id),
                amount=Decimal("150.00"),
                currency="EUR",
                on=date(2024, 9, 1),
                key=f"order-{i}",
                category="tactical-recon",
            )
            outcome = "ok"
        except InsufficientFunds:
            outcome = "refused"
        except Exception as error:  # pragma: no cover - reported by the assertion
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=spend, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(results) == ["ok"] * 6 + ["refused"] * 14, results
    assert _balance(acc["available"]) == 10000  # EUR 100.00 left, never below zero
    assert _balance(acc["obligated"]) == 90000
    assert Posting.objects.filter(transaction__kind="obligated").count() == 12


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_of_one_key_post_once(demo: Coalition) -> None:
    fund, acc = _accounts(demo)
    with transaction.atomic():
        ledger_post(actor=TEST, tx=_move("fund", acc["donor"], acc["available"], "1000.00"))
    barrier = threading.Barrier(8)
    ids: list[int] = []

    def spend() -> None:
        try:
            barrier.wait()
            tx = fund_obligate(
                actor=TEST,
                fund=Fund.objects.get(id=fund.id),
                amount=Decimal("100.00"),
                currency="EUR",
                on=date(2024, 9, 1),
                key="same-order",
                category="tactical-recon",
            )
            ids.append(tx.id)
        finally:
            connection.close()

    workers = [threading.Thread(target=spend) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(ids) == 8 and len(set(ids)) == 1
    assert _balance(acc["available"]) == 90000
