"""Funds and earmarks: a disbursement to the common fund is money the fund manager can
spend on what its earmark allows; never below zero."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from coalition.errors import Forbidden
from coalition.finance import selectors
from coalition.finance.errors import EarmarkMismatch, InsufficientFunds
from coalition.finance.models import Contribution, Fund
from coalition.finance.services.contributions import pledges_import
from coalition.finance.services.funds import fund_obligate, fund_pay, fund_release
from coalition.governance.models import Coalition
from tests.finance.conftest import csv_bytes
from tests.finance.helpers import counts
from tests.helpers import TEST, user_actor

pytestmark = pytest.mark.django_db


def user(name: str) -> object:
    return get_user_model().objects.get(username=name)


@pytest.fixture
def common(demo: Coalition) -> Fund:
    pledges_import(
        actor=TEST,
        coalition=demo,
        data=csv_bytes(
            "NL-1,2024-09-02,NL,common-fund,disbursed,1000.00,EUR,tactical-recon,UA,",
            "SE-1,2024-09-03,SE,common-fund,disbursed,500.00,EUR,,,",
            "LV-1,2024-09-03,LV,national,disbursed,300.00,EUR,,,",
        ),
        name="p.csv",
    )
    return Contribution.objects.get(reference="NL-1").fund


def _earmarks(coalition: Coalition) -> dict[tuple[str, str, str], dict[str, Decimal]]:
    return {
        (b.fund.channel, b.category, b.origin): b.amounts
        for b in selectors.fund_balances(actor=TEST, coalition=coalition)
    }


def test_disbursements_are_money_available_per_earmark(demo: Coalition, common: Fund) -> None:
    balances = _earmarks(demo)
    assert balances[("common-fund", "tactical-recon", "UA")]["available"] == Decimal("1000.00")
    assert balances[("common-fund", "", "")]["available"] == Decimal("500.00")
    assert balances[("national", "", "")]["available"] == Decimal("300.00")
    assert common.channel == "common-fund" and common.country_id is None


def test_the_fund_manager_obligates_and_pays_what_the_earmark_allows(
    demo: Coalition, common: Fund
) -> None:
    gb = user_actor("delegate-gb")
    order = dict(
        fund=common,
        currency="EUR",
        on=date(2024, 10, 1),
        category="tactical-recon",
        origin="UA",
        purpose_category="tactical-recon",
        purpose_origin="UA",
    )
    tx = fund_obligate(actor=gb, amount=Decimal("600.00"), key="order-1", **order)  # type: ignore[arg-type]
    assert fund_obligate(actor=gb, amount=Decimal("600.00"), key="order-1", **order).id == tx.id  # type: ignore[arg-type]
    with pytest.raises(InsufficientFunds, match=r"holds 400\.00 EUR, not enough for 500\.00 EUR"):
        fund_obligate(actor=gb, amount=Decimal("500.00"), key="order-2", **order)  # type: ignore[arg-type]
    fund_pay(actor=gb, amount=Decimal("250.00"), key="pay-1", **order)  # type: ignore[arg-type]
    fund_release(
        actor=gb,
        fund=common,
        amount=Decimal("50.00"),
        currency="EUR",
        on=date(2024, 10, 2),
        key="rel-1",
        category="tactical-recon",
        origin="UA",
    )
    amounts = _earmarks(demo)[("common-fund", "tactical-recon", "UA")]
    assert amounts["available"] == Decimal("450.00")
    assert amounts["obligated"] == Decimal("300.00")
    assert amounts["paid"] == Decimal("250.00")
    with pytest.raises(InsufficientFunds):  # more than was obligated
        fund_pay(actor=gb, amount=Decimal("300.01"), key="pay-2", **order)  # type: ignore[arg-type]


def test_an_earmark_pays_only_for_what_it_allows(demo: Coalition, common: Fund) -> None:
    before = counts()
    with pytest.raises(EarmarkMismatch, match="cannot pay for fpv / PL"):
        fund_obligate(
            actor=TEST,
            fund=common,
            amount=Decimal(10),
            currency="EUR",
            on=date(2024, 10, 1),
            key="o",
            category="tactical-recon",
            origin="UA",
            purpose_category="fpv",
            purpose_origin="PL",
        )
    assert counts() == before
    # Unearmarked money pays for anything.
    fund_obligate(
        actor=TEST,
        fund=common,
        amount=Decimal(10),
        currency="EUR",
        on=date(2024, 10, 1),
        key="o2",
        purpose_category="fpv",
        purpose_origin="PL",
    )


def test_only_the_holder_spends(demo: Coalition, common: Fund) -> None:
    national = Contribution.objects.get(reference="LV-1").fund
    args = dict(amount=Decimal(10), currency="EUR", key="k")
    with pytest.raises(Forbidden, match="only the delegation of GB spends from Common fund"):
        fund_obligate(actor=user_actor("delegate-lv"), fund=common, on=date(2024, 10, 1), **args)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        fund_obligate(actor=user_actor("auditor"), fund=common, on=date(2024, 10, 1), **args)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        fund_obligate(actor=user_actor("delegate-gb"), fund=national, on=date(2024, 10, 1), **args)  # type: ignore[arg-type]
    # Before the MoU of 10 Jul 2024 nobody managed the common fund.
    with pytest.raises(Forbidden, match="only the delegation of the fund holder"):
        fund_obligate(actor=user_actor("delegate-gb"), fund=common, on=date(2024, 7, 1), **args)  # type: ignore[arg-type]
    fund_obligate(actor=user_actor("delegate-lv"), fund=national, on=date(2024, 10, 1), **args)  # type: ignore[arg-type]
    admin = user_actor("admin")
    fund_obligate(actor=admin, fund=common, on=date(2024, 10, 1), **{**args, "key": "a"})  # type: ignore[arg-type]
