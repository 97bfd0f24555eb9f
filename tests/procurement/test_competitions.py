"""Needs, competitions, offers, tests and reviews through the services: who may do each,
the deadline and the frozen offers, files refused whole by row and column."""

from datetime import timedelta
from decimal import Decimal

import pytest

from coalition.audit.models import AuditEvent
from coalition.errors import Conflict, FileRejected, Forbidden
from coalition.finance.models import Fund
from coalition.procurement.models import Offer, Requirement, Review
from coalition.procurement.services import competitions, needs, offers
from tests.helpers import user_actor
from tests.procurement.purchase import (
    BENEFICIARY,
    CHAIR,
    FUND_MANAGER,
    offer_fields,
    purchase_setup,
)

pytestmark = pytest.mark.django_db

NEEDS = (
    "reference,category,quantity,weight,needed_by,priority,note\n"
    "R-10,tactical-recon,300,8,2027-06-30,high,Eastern front\n"
    "R-11,fpv,1000,2.5,2027-09-30,,\n"
)


def _import(demo, data: str, username: str = BENEFICIARY):
    return needs.requirements_import(
        actor=user_actor(username), coalition=demo, data=data.encode(), name="needs.csv"
    )


def test_the_beneficiary_imports_needs_and_a_second_import_changes_nothing(demo):
    first = _import(demo, NEEDS)
    assert (first.rows, first.created, first.unchanged) == (2, ["R-10", "R-11"], 0)
    r10 = Requirement.objects.get(reference="R-10")
    assert (r10.category_id, r10.quantity, r10.weight, r10.priority, r10.status) == (
        "tactical-recon",
        300,
        Decimal("8"),
        "high",
        "open",
    )
    events = AuditEvent.objects.count()
    again = _import(demo, NEEDS)
    assert (again.created, again.unchanged) == ([], 2)
    assert AuditEvent.objects.count() == events


def test_a_bad_needs_file_is_refused_whole_by_row_and_column(demo):
    bad = NEEDS + "R-12,laser-swords,5,1,2027-01-01,,\nR-13,fpv,-4,1,2027-13-01,,\n"
    with pytest.raises(FileRejected) as refused:
        _import(demo, bad)
    said = [(e.row, e.column) for e in refused.value.errors]
    assert (4, "category") in said
    assert (5, "quantity") in said
    assert (5, "needed_by") in said
    assert Requirement.objects.count() == 0


def test_a_changed_row_under_a_known_reference_is_refused(demo):
    _import(demo, NEEDS)
    with pytest.raises(FileRejected) as refused:
        _import(demo, NEEDS.replace("R-10,tactical-recon,300", "R-10,tactical-recon,310"))
    [error] = refused.value.errors
    assert (error.file, error.row) == ("needs.csv", 2)
    assert "R-10" in error.message
    assert Requirement.objects.get(reference="R-10").quantity == 300


@pytest.mark.parametrize("username", [FUND_MANAGER, "delegate-nl", "auditor"])
def test_only_the_beneficiary_enters_needs(demo, username):
    with pytest.raises(Forbidden):
        _import(demo, NEEDS, username)
    assert Requirement.objects.count() == 0


def test_an_offer_after_the_bid_deadline_is_refused(demo):
    purchase = purchase_setup(demo, close=False)
    fields, tiers = offer_fields("A1")
    with pytest.raises(Conflict) as refused:
        offers.offer_record(
            actor=user_actor(FUND_MANAGER),
            coalition=demo,
            competition="TR-1",
            fields={**fields, "offer": "A2"},
            tiers=tiers,  # type: ignore[arg-type]
            on=purchase.competition.bid_deadline + timedelta(days=1),
        )
    assert refused.value.code == "competition.deadline_passed"
    assert not Offer.objects.filter(reference="A2").exists()


def test_a_closed_competition_freezes_its_offers(demo):
    purchase_setup(demo)
    fields, tiers = offer_fields("A1")
    with pytest.raises(Conflict) as refused:
        offers.offer_record(
            actor=user_actor(FUND_MANAGER),
            coalition=demo,
            competition="TR-1",
            fields={**fields, "offer": "A2"},
            tiers=tiers,  # type: ignore[arg-type]
        )
    assert refused.value.code == "competition.not_open"
    assert str(refused.value) == "competition TR-1 is closed: its offers are frozen"
    assert Offer.objects.filter(competition__reference="TR-1").count() == 3


def test_an_offer_file_with_a_bad_row_is_refused_whole(demo):
    purchase_setup(demo, close=False)
    data = (
        "offer,supplier,supplier_country,origin,category,min_quantity,unit_price,currency,"
        "capacity_per_30_days,lead_time_days,valid_until\n"
        "D1,Delta Air,PL,PL,tactical-recon,1,1400.00,EUR,80,15,\n"
        "E1,Echo Ltd,FI,FI,tactical-recon,1,abc,EUR,80,15,\n"
    )
    with pytest.raises(FileRejected) as refused:
        offers.offers_import(
            actor=user_actor(FUND_MANAGER),
            coalition=demo,
            competition="TR-1",
            data=data.encode(),
            name="offers.csv",
        )
    assert [(e.file, e.row, e.column) for e in refused.value.errors] == [
        ("offers.csv", 3, "unit_price")
    ]
    assert not Offer.objects.filter(reference__in=["D1", "E1"]).exists()


def test_a_member_reviews_an_offer_once_and_a_second_review_replaces_it(demo):
    purchase_setup(demo)
    for score in (3, 5):
        offers.review_record(
            actor=user_actor("delegate-nl"),
            coalition=demo,
            competition="TR-1",
            offer="A1",
            score=score,
            comment="Good range in tests",
        )
    [review] = Review.objects.filter(offer__reference="A1")
    assert (review.country_id, review.score) == ("NL", 5)


@pytest.mark.parametrize("username", [BENEFICIARY, "auditor"])
def test_only_member_delegations_review_offers(demo, username):
    purchase_setup(demo)
    with pytest.raises(Forbidden):
        offers.review_record(
            actor=user_actor(username), coalition=demo, competition="TR-1", offer="A1", score=4
        )
    assert Review.objects.count() == 0


def test_a_programme_joins_only_by_its_own_delegation(demo):
    purchase_setup(demo, close=False, join=False)
    fund = Fund.objects.get(coalition=demo, channel="national", country="LV")
    with pytest.raises(Forbidden) as refused:
        competitions.competition_join(
            actor=user_actor("delegate-nl"), coalition=demo, reference="TR-1", fund_id=fund.pk
        )
    assert "LV" in str(refused.value)
    joined = competitions.competition_join(
        actor=user_actor(CHAIR), coalition=demo, reference="TR-1", fund_id=fund.pk
    )
    assert joined.fund_id == fund.pk
