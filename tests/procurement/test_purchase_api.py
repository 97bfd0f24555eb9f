"""The purchase through the REST API, as each party's script would drive it: the contract's
shapes exactly, refusals with their codes and fields, nothing written after bad input."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from coalition.finance.models import Fund
from coalition.procurement.models import Competition, Order, Requirement
from tests.helpers import api_get, api_post, bearer
from tests.procurement.purchase import BENEFICIARY, CHAIR, FUND_MANAGER, purchase_setup

pytestmark = pytest.mark.django_db
SLUG = "/coalitions/drone-coalition"


def _built_and_approved(client: Client, demo: Any) -> dict[str, Any]:
    purchase_setup(demo)
    status, run = api_post(
        client, f"{SLUG}/plans", {"competitions": ["TR-1"], "time_limit": 20}, FUND_MANAGER
    )
    assert status == 202, run
    assert isinstance(run, dict)
    status, signed = api_post(client, f"/plans/{run['id']}/approve", {}, FUND_MANAGER)
    assert status == 201, signed
    assert isinstance(signed, list)
    return {"run": run, "orders": signed}


def test_a_competition_is_opened_with_the_contract_fields(client, demo):
    deadline = (timezone.localdate() + timedelta(days=20)).isoformat()
    body = {
        "reference": "FPV-1",
        "category": "fpv",
        "budget": "2500000",
        "currency": "EUR",
        "bid_deadline": deadline,
    }
    status, created = api_post(client, f"{SLUG}/competitions", body, FUND_MANAGER)
    assert status == 201
    assert created == {
        "reference": "FPV-1",
        "category": "fpv",
        "budget": "2500000.00",
        "currency": "EUR",
        "bid_deadline": deadline,
        "status": "open",
        "trial_quantity": 0,
        "offers": 0,
        "programmes": [],
    }


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"category": "laser-swords"}, "competition.invalid", "category"),
        ({"budget": "-5"}, "competition.invalid", "budget"),
        ({"budget": "12.345"}, "competition.invalid", "budget"),
        ({"currency": "ZZZ"}, "competition.invalid", "currency"),
    ],
)
def test_a_bad_competition_is_refused_by_field_and_writes_nothing(
    client, demo, change, code, field
):
    body = {
        "reference": "FPV-1",
        "category": "fpv",
        "budget": "2500000",
        "currency": "EUR",
        "bid_deadline": (timezone.localdate() + timedelta(days=20)).isoformat(),
    } | change
    status, refused = api_post(client, f"{SLUG}/competitions", body, FUND_MANAGER)
    assert (status, refused["code"], refused["field"]) == (422, code, field)  # type: ignore[index]
    assert not Competition.objects.filter(reference="FPV-1").exists()


def test_requirements_list_has_the_contract_shape(client, demo):
    _built_and_approved(client, demo)
    status, listed = api_get(client, f"{SLUG}/requirements", "auditor")
    assert status == 200
    assert isinstance(listed, list)
    first = next(r for r in listed if r["reference"] == "N-1")
    assert {k: first[k] for k in ("reference", "category", "quantity", "weight", "status")} == {
        "reference": "N-1",
        "category": "tactical-recon",
        "quantity": 200,
        "weight": "10",
        "status": "ordered",
    }
    assert first["covered"] == 200
    assert {"needed_by", "covered"} <= set(first)


def test_build_then_approve_signs_orders_with_the_contract_shape(client, demo):
    done = _built_and_approved(client, demo)
    assert done["run"]["source"] == "database"
    [order] = done["orders"]
    year = timezone.localdate().year
    assert order["reference"] == f"PO-{year}-0001"
    assert [(f["fund"], f["category"], f["amount"]) for f in order["fundings"]] == [
        ("national:LV", None, "90000.00"),
        ("common-fund", None, "100000.00"),
        ("common-fund", "tactical-recon", "230000.00"),
    ]
    status, listed = api_get(client, f"{SLUG}/orders", "delegate-de")
    assert status == 200
    assert listed == [
        {
            "reference": f"PO-{year}-0001",
            "supplier": "Aerorozvidka Works",
            "category": "tactical-recon",
            "quantity": 350,
            "amount": "420000.00",
            "currency": "EUR",
            "status": "signed",
            "delivered": 0,
            "accepted": 0,
            "rejected": 0,
            "paid": "0.00",
        }
    ]


def test_a_second_approval_answers_409_with_its_code(client, demo):
    done = _built_and_approved(client, demo)
    status, refused = api_post(client, f"/plans/{done['run']['id']}/approve", {}, FUND_MANAGER)
    assert (status, refused["code"]) == (409, "plan.already_approved")  # type: ignore[index]
    assert Order.objects.count() == 1


def test_amend_and_cancel_through_the_api(client, demo):
    [order] = _built_and_approved(client, demo)["orders"]
    path = f"{SLUG}/orders/{order['reference']}"
    status, amended = api_post(
        client, f"{path}/amend", {"reason": "Capacity", "quantity": 300}, FUND_MANAGER
    )
    assert status == 200
    assert (amended["amount"], amended["revision"]) == ("360000.00", 1)  # type: ignore[index]
    status, refused = api_post(
        client, f"{path}/amend", {"reason": "x", "quantity": 400}, FUND_MANAGER
    )
    assert (status, refused["field"]) == (422, "quantity")  # type: ignore[index]
    status, cancelled = api_post(client, f"{path}/cancel", {"reason": "Licence"}, FUND_MANAGER)
    assert status == 200
    assert cancelled["status"] == "cancelled"  # type: ignore[index]
    assert [r["reason"] for r in cancelled["revisions"]] == ["signed", "Capacity", "Licence"]  # type: ignore[index]
    assert set(Requirement.objects.values_list("status", flat=True)) == {"open"}


def test_a_bad_requirements_upload_names_row_and_column(client, demo):
    data = "reference,category,quantity,weight,needed_by\nR-1,fpv,ten,1,2027-01-01\n"
    response = client.post(
        f"/api/v1{SLUG}/requirements/import",
        {"file": SimpleUploadedFile("needs.csv", data.encode(), content_type="text/csv")},
        **bearer(BENEFICIARY),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "file.rejected"
    assert [(e["file"], e["row"], e["column"]) for e in body["errors"]] == [
        ("needs.csv", 2, "quantity")
    ]
    assert Requirement.objects.count() == 0


def test_offers_reviews_and_joining_through_the_api(client, demo):
    purchase_setup(demo, close=False, join=False)
    offer = {
        "offer": "D1",
        "supplier": "Delta Air",
        "supplier_country": "PL",
        "origin": "PL",
        "currency": "EUR",
        "capacity_per_30_days": 80,
        "lead_time_days": 15,
        "tiers": [
            {"min_quantity": 1, "unit_price": "1400"},
            {"min_quantity": 50, "unit_price": "1300"},
        ],
    }
    competition = f"{SLUG}/competitions/TR-1"
    status, created = api_post(client, f"{competition}/offers", offer, FUND_MANAGER)
    assert status == 201, created
    assert created["tiers"] == [  # type: ignore[index]
        {"min_quantity": 1, "unit_price": "1400.00"},
        {"min_quantity": 50, "unit_price": "1300.00"},
    ]
    assert created["tested"] is False  # type: ignore[index]
    status, review = api_post(
        client, f"{competition}/offers/D1/reviews", {"score": 4, "comment": "Fine"}, "delegate-de"
    )
    assert (status, review["country"], review["score"]) == (201, "DE", 4)  # type: ignore[index]
    status, refused = api_post(
        client, f"{competition}/offers/D1/reviews", {"score": 9}, "delegate-de"
    )
    assert (status, refused["field"]) == (422, "score")  # type: ignore[index]
    fund = Fund.objects.get(coalition=demo, channel="national", country="LV")
    status, joined = api_post(client, f"{competition}/participations", {"fund": fund.pk}, CHAIR)
    assert (status, joined["fund"]) == (201, "national:LV")  # type: ignore[index]
    status, closed = api_post(client, f"{competition}/moves", {"move": "close"}, FUND_MANAGER)
    assert (status, closed["status"], closed["programmes"]) == (200, "closed", ["national:LV"])  # type: ignore[index]
    status, late = api_post(client, f"{competition}/offers", {**offer, "offer": "D2"}, FUND_MANAGER)
    assert (status, late["code"]) == (409, "competition.not_open")  # type: ignore[index]


def test_the_categories_are_public_with_their_three_names(client, demo):
    status, listed = api_get(client, "/categories")
    assert status == 200
    assert isinstance(listed, list)
    assert [c["slug"] for c in listed] == [
        "tactical-recon",
        "fpv",
        "interceptor",
        "long-range",
        "maritime",
        "ground",
        "counter-drone",
        "components",
    ]
    assert all(c["name_en"] and c["name_fr"] and c["name_uk"] for c in listed)
