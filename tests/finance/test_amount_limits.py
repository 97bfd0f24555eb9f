"""Attack report, defect 4: amounts had no upper bound. 92233720368547758.07 EUR was
accepted; on SQLite balances silently became floating point, on PostgreSQL one such pledge
into the common fund made every other member's pledge to it fail with "bigint out of
range"; a 4,301-digit amount raised InvalidOperation. Now one amount is at most a trillion
units of its currency and a balance at most 10^17 minor units (README, "Limits"), refused
by name, and no accepted sequence of postings can overflow."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from coalition.audit.models import AuditEvent
from coalition.cli import main
from coalition.finance.errors import LedgerInvalid
from coalition.finance.ledger import core
from coalition.finance.models import AccountBalance, Contribution, LedgerTransaction
from coalition.finance.money import MAX_AMOUNT, MAX_BALANCE_MINOR, parse_amount, to_minor
from coalition.finance.services.contributions import pledges_import
from coalition.finance.services.rates import rate_add
from coalition.governance.models import Coalition
from tests.helpers import TEST, bearer

HUGE = "92233720368547758.07"
LONG = "9" * 4301
HEADER = "reference,date,donor,channel,status,amount,currency\n"


def _snapshot() -> tuple[int, int, int]:
    return (
        Contribution.objects.count(),
        LedgerTransaction.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [HUGE, LONG, "1000000000000.01"])
def test_the_api_refuses_an_amount_beyond_the_limit_naming_the_field(
    demo: Coalition, client: Client, amount: str
) -> None:
    headers = bearer("admin")
    before = _snapshot()
    body = {
        "reference": "DE-huge",
        "date": "2025-03-03",
        "donor": "DE",
        "channel": "common-fund",
        "status": "pledged",
        "amount": amount,
        "currency": "EUR",
    }
    response = client.post(
        "/api/v1/coalitions/drone-coalition/contributions",
        body,
        content_type="application/json",
        **headers,
    )
    status, answer = response.status_code, response.json()
    assert status == 422
    if amount is LONG:  # too long to be read at all: the request's own check
        assert answer["code"] == "request.invalid"
        assert answer["detail"][0]["loc"][-1] == "amount"
    else:
        assert answer["code"] == "file.rejected"
        assert answer["errors"] == [
            {
                "file": "form",
                "row": None,
                "column": "amount",
                "message": "must be at most 1,000,000,000,000 (the limit of one amount)",
            }
        ]
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [HUGE, LONG])
def test_a_pledge_file_with_such_an_amount_exits_2_naming_row_and_column(
    demo: Coalition, tmp_path: Path, capsys: pytest.CaptureFixture[str], amount: str
) -> None:
    path = tmp_path / "huge.csv"
    path.write_text(HEADER + f"DE-huge,2025-03-03,DE,common-fund,pledged,{amount},EUR\n")
    before = _snapshot()
    assert main(["pledges", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert (
        "huge.csv row 2, column amount: must be at most 1,000,000,000,000 (the limit of one amount)"
    ) in err
    assert _snapshot() == before


@pytest.mark.django_db
def test_the_largest_pledge_does_not_block_the_common_fund_for_others(demo: Coalition) -> None:
    rows = (
        HEADER
        + f"DE-max,2025-03-03,DE,common-fund,disbursed,{MAX_AMOUNT},EUR\n"
        + "NL-after,2025-03-04,NL,common-fund,disbursed,1000.00,EUR\n"
    )
    result = pledges_import(actor=TEST, coalition=demo, data=rows.encode(), name="max.csv")
    assert result.contributions == 2
    available = AccountBalance.objects.filter(
        account__fund__channel="common-fund", account__kind="available"
    ).values_list("balance_minor", flat=True)
    assert sum(available) == (MAX_AMOUNT + 1000) * 100


@pytest.mark.django_db
def test_a_tiny_hand_typed_rate_cannot_blow_a_yearly_total_past_the_limit(
    demo: Coalition,
) -> None:
    rate_add(actor=TEST, currency="UAH", on=date(2025, 3, 1), rate=Decimal("0.000001"))
    rows = HEADER + f"DE-uah,2025-03-03,DE,national,pledged,{MAX_AMOUNT},UAH\n"
    before = _snapshot()
    with pytest.raises(LedgerInvalid) as refused:
        pledges_import(actor=TEST, coalition=demo, data=rows.encode(), name="uah.csv")
    assert refused.value.code == "ledger.balance_limit"
    assert _snapshot() == before


def test_parse_amount_refuses_what_it_cannot_hold() -> None:
    assert parse_amount(str(MAX_AMOUNT)) == MAX_AMOUNT
    for text in (HUGE, LONG, "1000000000000.01", "-1000000000000.01"):
        with pytest.raises(ValueError, match="the limit of one amount"):
            parse_amount(text)


def _transfer(
    key: str, amount: int, source: str = "donor", target: str = "fund"
) -> core.Transaction:
    return core.Transaction(
        key=key,
        date=date(2025, 1, 1),
        postings=(
            core.Posting(source, "EUR", Decimal(-amount) / 100),
            core.Posting(target, "EUR", Decimal(amount) / 100),
        ),
    )


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=2 * to_minor(MAX_AMOUNT, "EUR")),
            st.sampled_from([("donor", "fund"), ("fund", "donor"), ("fund", "paid")]),
        ),
        max_size=60,
    )
)
def test_no_accepted_sequence_of_postings_overflows(
    moves: list[tuple[int, tuple[str, str]]],
) -> None:
    """Whatever is offered, what the ledger accepts keeps every balance within the limit,
    far below 2^63 - 1; an amount beyond the limit of one amount is refused whole."""
    ledger = core.Ledger()
    for index, (minor, (source, target)) in enumerate(moves):
        tx = _transfer(f"t{index}", minor, source, target)
        try:
            ledger.post(tx)
        except LedgerInvalid:
            assert minor > to_minor(MAX_AMOUNT, "EUR") or any(
                abs(ledger.balances.get((a, "EUR"), 0) + d) > MAX_BALANCE_MINOR
                for a, d in ((source, -minor), (target, minor))
            )
            continue
        assert all(abs(v) <= MAX_BALANCE_MINOR < 2**63 - 1 for v in ledger.balances.values())


def test_a_balance_stops_at_its_limit() -> None:
    ledger = core.Ledger()
    step = to_minor(MAX_AMOUNT, "EUR")
    for index in range(MAX_BALANCE_MINOR // step):
        ledger.post(_transfer(f"t{index}", step))
    with pytest.raises(LedgerInvalid, match="the limit of a balance") as refused:
        ledger.post(_transfer("one-too-many", 1))
    assert refused.value.code == "ledger.balance_limit"
    assert ledger.balances[("fund", "EUR")] == MAX_BALANCE_MINOR
