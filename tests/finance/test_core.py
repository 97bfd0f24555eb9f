"""The pure ledger core and money arithmetic: properties (hypothesis) and examples."""

from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.finance.errors import (
    IdempotencyConflict,
    InsufficientFunds,
    LedgerInvalid,
    NoRate,
)
from coalition.finance.ledger import core
from coalition.finance.money import RateBook, earmark_allows, from_minor, to_eur, to_minor

ACCOUNTS = ["donor:LV", "donor:SE", "fund:available", "fund:obligated", "supplier"]
CURRENCIES = ["EUR", "USD", "JPY"]

amounts = st.integers(min_value=1, max_value=10**9)


def keyed(txs: list[core.Transaction]) -> list[core.Transaction]:
    """Distinct idempotency keys, as distinct transactions have."""
    return [replace(tx, key=f"t{i}") for i, tx in enumerate(txs)]


@st.composite
def transactions(draw: st.DrawFn, key: str | None = None) -> core.Transaction:
    """A balanced transaction: per currency, legs that sum to zero."""
    postings = []
    for currency in draw(st.lists(st.sampled_from(CURRENCIES), min_size=1, max_size=2)):
        legs = draw(st.lists(amounts, min_size=1, max_size=3))
        sources = draw(st.lists(st.sampled_from(ACCOUNTS), min_size=len(legs), max_size=len(legs)))
        target = draw(st.sampled_from(ACCOUNTS))
        for minor, source in zip(legs, sources, strict=True):
            postings.append(core.Posting(source, currency, -from_minor(minor, currency)))
        postings.append(core.Posting(target, currency, from_minor(sum(legs), currency)))
    return core.Transaction(
        key=key or draw(st.text("abcdef0123456789", min_size=1, max_size=12)),
        date=draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31))),
        postings=tuple(postings),
    )


@given(st.lists(transactions(), max_size=20))
def test_every_transaction_balances_per_currency(txs: list[core.Transaction]) -> None:
    for tx in txs:
        core.validate(tx)
        sums: dict[str, int] = defaultdict(int)
        for p in tx.postings:
            sums[p.currency] += p.minor
        assert set(sums.values()) == {0}


@given(st.lists(transactions(), max_size=25))
def test_balances_equal_the_sum_of_the_postings(txs: list[core.Transaction]) -> None:
    ledger = core.Ledger()
    for tx in keyed(txs):
        ledger.post(tx)
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for p in ledger.postings():
        expected[(p.account, p.currency)] += p.minor
    assert {k: v for k, v in ledger.balances.items() if v} == {
        k: v for k, v in expected.items() if v
    }
    for currency in CURRENCIES:  # money is only moved, never made
        assert sum(v for (_, c), v in ledger.balances.items() if c == currency) == 0


@given(st.lists(transactions(), min_size=1, max_size=15), st.data())
def test_replaying_a_key_changes_nothing(txs: list[core.Transaction], data: st.DataObject) -> None:
    ledger = core.Ledger()
    for tx in keyed(txs):
        ledger.post(tx)
    before = (dict(ledger.balances), dict(ledger.transactions))
    replayed = data.draw(st.sampled_from(list(ledger.transactions.values())))
    same, created = ledger.post(replayed)
    assert created is False and same is ledger.transactions[replayed.key]
    assert (dict(ledger.balances), dict(ledger.transactions)) == before


@given(transactions(key="k1"), transactions(key="k1"))
def test_a_key_replayed_with_other_content_is_refused(
    first: core.Transaction, second: core.Transaction
) -> None:
    ledger = core.Ledger()
    ledger.post(first)
    if first.signature() == second.signature():
        assert ledger.post(second)[1] is False
    else:
        with pytest.raises(IdempotencyConflict):
            ledger.post(second)


@given(st.lists(transactions(), min_size=1, max_size=15))
def test_reversals_bring_every_balance_back_to_zero(txs: list[core.Transaction]) -> None:
    ledger = core.Ledger()
    for tx in keyed(txs):
        ledger.post(tx)
    for tx in list(ledger.transactions.values()):
        ledger.post(core.reversal(tx, key=f"{tx.key}~reversal"))
    assert all(v == 0 for v in ledger.balances.values())


@settings(max_examples=200)
@given(st.lists(st.integers(min_value=1, max_value=500), max_size=30), amounts)
def test_a_floored_account_never_goes_below_zero(spends: list[int], funding: int) -> None:
    ledger = core.Ledger(floors={"fund:available"})
    ledger.post(
        core.Transaction(
            "fund",
            date(2024, 1, 1),
            (
                core.Posting("donor:LV", "EUR", -from_minor(funding, "EUR")),
                core.Posting("fund:available", "EUR", from_minor(funding, "EUR")),
            ),
        )
    )
    left = funding
    for i, spend in enumerate(spends):
        tx = core.Transaction(
            f"spend-{i}",
            date(2024, 2, 1),
            (
                core.Posting("fund:available", "EUR", -from_minor(spend, "EUR")),
                core.Posting("supplier", "EUR", from_minor(spend, "EUR")),
            ),
        )
        if spend <= left:
            ledger.post(tx)
            left -= spend
        else:
            with pytest.raises(InsufficientFunds):
                ledger.post(tx)
        assert ledger.balances[("fund:available", "EUR")] == left >= 0


def test_unbalanced_and_malformed_transactions_are_refused() -> None:
    day = date(2024, 1, 1)
    with pytest.raises(LedgerInvalid, match="does not balance in EUR"):
        core.validate(
            core.Transaction(
                "t",
                day,
                (core.Posting("a", "EUR", Decimal(5)), core.Posting("b", "EUR", Decimal(-4))),
            )
        )
    with pytest.raises(LedgerInvalid, match="does not balance in EUR, USD"):  # per currency
        core.validate(
            core.Transaction(
                "t",
                day,
                (core.Posting("a", "EUR", Decimal(5)), core.Posting("b", "USD", Decimal(-5))),
            )
        )
    with pytest.raises(LedgerInvalid, match="at least two postings"):
        core.validate(core.Transaction("t", day, (core.Posting("a", "EUR", Decimal(5)),)))
    with pytest.raises(LedgerInvalid, match="JPY allows at most 0 decimal places"):
        core.validate(
            core.Transaction(
                "t",
                day,
                (
                    core.Posting("a", "JPY", Decimal("1.5")),
                    core.Posting("b", "JPY", Decimal("-1.5")),
                ),
            )
        )
    with pytest.raises(LedgerInvalid, match="a posting of zero"):
        core.validate(
            core.Transaction(
                "t",
                day,
                (core.Posting("a", "EUR", Decimal(0)), core.Posting("b", "EUR", Decimal(0))),
            )
        )


def test_conversion_divides_and_rounds_half_even_to_the_cent() -> None:
    assert to_eur(Decimal("1000000.00"), Decimal("1.0932")) == Decimal("914745.70")
    assert to_eur(Decimal("0.125"), Decimal("1")) == Decimal("0.12")  # half to even
    assert to_eur(Decimal("0.135"), Decimal("1")) == Decimal("0.14")
    assert to_minor(Decimal("12.30"), "EUR") == 1230
    assert to_minor(Decimal("1500"), "JPY") == 1500
    assert from_minor(1230, "EUR") == Decimal("12.30")
    with pytest.raises(ValueError, match="at most 2 decimal places"):
        to_minor(Decimal("1.001"), "USD")


def test_rate_book_uses_the_latest_rate_on_or_before_the_date() -> None:
    book = RateBook.from_rows(
        [
            ("USD", date(2024, 12, 24), Decimal("1.0395")),
            ("USD", date(2024, 12, 27), Decimal("1.0435")),
        ]
    )
    assert book.rate_on("USD", date(2024, 12, 25)) == (date(2024, 12, 24), Decimal("1.0395"))
    assert book.rate_on("USD", date(2024, 12, 27))[1] == Decimal("1.0435")
    assert book.rate_on("EUR", date(1990, 1, 1))[1] == Decimal(1)
    with pytest.raises(NoRate, match="no EUR reference rate for USD on or before 2024-12-23"):
        book.rate_on("USD", date(2024, 12, 23))
    with pytest.raises(NoRate, match=r"coalition rates add UAH DATE RATE"):
        book.rate_on("UAH", date(2024, 12, 23))


@given(
    st.text("abc", max_size=2), st.text("XY", max_size=1), st.text("abc", min_size=1, max_size=2)
)
def test_a_blank_earmark_allows_anything(category: str, origin: str, purpose: str) -> None:
    assert earmark_allows(category="", origin="", purpose_category=purpose, purpose_origin=origin)
    assert earmark_allows(
        category=category, origin="", purpose_category=purpose, purpose_origin=""
    ) == (category in ("", purpose))


def test_the_core_imports_no_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import coalition.finance.ledger.core, coalition.finance.money, "
        "coalition.finance.ecb, coalition.finance.pledgefile; "
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
