"""The purchase pages through the Django test client: each page shows its figures with
names and formatted numbers, offers its forms only to who may use them, a refused POST
(bad input, wrong role, a stale plan) shows why and writes nothing, a GET writes nothing."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from coalition.audit.models import AuditEvent
from coalition.governance.models import Coalition, Country
from coalition.governance.services.users import delegate_create
from coalition.procurement.models import (
    Competition,
    Offer,
    Order,
    OrderStatus,
    PlanRun,
    Requirement,
    Review,
)
from coalition.procurement.services import orders
from tests.helpers import TEST, user_actor
from tests.procurement.purchase import (
    BENEFICIARY,
    CHAIR,
    FUND_MANAGER,
    Purchase,
    plan_built,
    purchase_setup,
)

pytestmark = pytest.mark.django_db
SLUG = "/coalitions/drone-coalition"
MEMBER = "delegate-de"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo")
    return client


def page(username: str, url: str, status: int = 200) -> str:
    response = login(username).get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def counts() -> tuple[int, ...]:
    models = (Requirement, Competition, Offer, Review, PlanRun, Order, AuditEvent)
    return tuple(m.objects.count() for m in models)


@pytest.fixture
def purchase(demo: Coalition) -> Purchase:
    return purchase_setup(demo)


def _csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# Requirements


def test_the_requirements_page_lists_the_needs_with_names_and_coverage(purchase: Purchase):
    html = page("auditor", f"{SLUG}/requirements/")
    row = html[html.index('data-reference="N-1"') :][:1200]
    assert "Tactical reconnaissance" in row and ">200<" in row
    assert "0 of 200" in row and ">10<" in row  # covered, weight
    assert date_format(purchase.today + timedelta(days=90)) in row
    assert "normal" in row and "planned" not in row
    assert 'data-testid="requirement-form"' not in html  # the auditor reads
    html = page(BENEFICIARY, f"{SLUG}/requirements/")
    assert 'data-testid="requirement-form"' in html and 'data-testid="requirements-upload"' in html
    assert 'data-testid="requirement-form"' not in page(FUND_MANAGER, f"{SLUG}/requirements/")
    orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=plan_built(purchase).pk)
    html = page("auditor", f"{SLUG}/requirements/")
    assert "200 of 200" in html[html.index('data-reference="N-1"') :][:1200]


def test_the_beneficiary_adds_a_requirement(purchase: Purchase):
    client = login(BENEFICIARY)
    day = (purchase.today + timedelta(days=60)).isoformat()
    body = {"reference": "N-9", "category": "fpv", "quantity": "2500", "weight": "2.5"}
    response = client.post(f"{SLUG}/requirements/", body | {"needed_by": day, "priority": "high"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Requirement N-9 added." in html
    row = html[html.index('data-reference="N-9"') :][:1200]
    assert "FPV strike" in row and ">2,500<" in row and "0 of 2,500" in row and ">2.5<" in row


def test_a_refused_requirement_says_why_beside_the_field_and_writes_nothing(purchase: Purchase):
    before = counts()
    day = (purchase.today + timedelta(days=60)).isoformat()
    body = {"reference": "N-1", "category": "fpv", "quantity": "5", "weight": "1"}
    body |= {"needed_by": day, "priority": "normal"}
    response = login(BENEFICIARY).post(f"{SLUG}/requirements/", body)
    assert response.status_code == 422
    assert "requirement N-1 is already recorded with other values" in response.content.decode()
    response = login(BENEFICIARY).post(f"{SLUG}/requirements/", body | {"quantity": "zero"})
    assert response.status_code == 422 and "Enter a whole number." in response.content.decode()
    assert (
        login(MEMBER).post(f"{SLUG}/requirements/", body | {"reference": "N-8"}).status_code == 403
    )
    assert counts() == before


def test_a_requirements_file_is_all_or_nothing_and_names_row_and_column(purchase: Purchase):
    client, before = login(BENEFICIARY), counts()
    bad = "reference,category,quantity,weight,needed_by\n"
    bad += "F-1,fpv,3,1,2099-01-01\nF-2,fpv,-4,1,2099-01-01\n"
    response = client.post(f"{SLUG}/requirements/import/", {"file": _csv("needs.csv", bad)})
    assert response.status_code == 422
    html = response.content.decode()
    assert "The file was refused; nothing was written." in html
    assert "needs.csv row 3, column quantity:" in html
    assert counts() == before
    good = bad.replace("-4", "4")
    response = client.post(f"{SLUG}/requirements/import/", {"file": _csv("needs.csv", good)})
    assert response.status_code == 302
    assert (
        "needs.csv: 2 requirements added, 0 already there."
        in client.get(response["Location"]).content.decode()
    )
    response = login(MEMBER).post(f"{SLUG}/requirements/import/", {"file": _csv("n.csv", good)})
    assert response.status_code == 403


def test_the_requirements_export_holds_the_numbers(purchase: Purchase):
    response = login("auditor").get(f"{SLUG}/requirements/?export=csv&table=requirements")
    lines = response.content.decode().splitlines()
    assert (
        lines[0] == "Reference,Category,Quantity,Covered by orders,Weight,Needed by,Priority,Status"
    )
    n1 = (purchase.today + timedelta(days=90)).isoformat()
    assert f"N-1,Tactical reconnaissance,200,0,10,{n1},normal,open" in lines


# Competitions


def test_the_competitions_list_and_who_may_open_one(purchase: Purchase):
    html = page("auditor", f"{SLUG}/competitions/")
    assert "TR-1" in html and "€\xa0500,000.00" in html and "closed" in html
    assert 'data-testid="competition-form"' not in html and 'data-testid="build-plan"' not in html
    html = page(FUND_MANAGER, f"{SLUG}/competitions/")
    assert 'data-testid="competition-form"' in html and 'data-testid="build-plan"' in html


def test_the_fund_manager_opens_a_competition(purchase: Purchase):
    client = login(FUND_MANAGER)
    deadline = purchase.today + timedelta(days=20)
    body = {"reference": "FPV-1", "category": "fpv", "budget": "2500000", "currency": "EUR"}
    body |= {"bid_deadline": deadline.isoformat(), "trial_quantity": "50"}
    response = client.post(f"{SLUG}/competitions/", body)
    assert response.status_code == 302 and response["Location"].endswith("/competitions/FPV-1/")
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="budget">€\xa02,500,000.00<' in html
    assert f"{date_format(deadline)} (20 days left)" in html
    assert "50 units at most from a supplier without a passed test" in html
    assert "none yet: the common fund pays" in html
    assert 'data-testid="move-close"' in html and 'data-testid="offer-form"' in html


def test_a_refused_competition_writes_nothing(purchase: Purchase):
    before = counts()
    body = {"reference": "FPV-2", "category": "fpv", "budget": "12", "currency": "ZZZ"}
    body |= {"bid_deadline": (purchase.today + timedelta(days=20)).isoformat()}
    response = login(FUND_MANAGER).post(f"{SLUG}/competitions/", body)
    assert response.status_code == 422
    assert "&#x27;ZZZ&#x27; is not an ISO 4217 currency code" in response.content.decode()
    response = login(FUND_MANAGER).post(f"{SLUG}/competitions/", body | {"reference": "TR-1"})
    assert response.status_code in (409, 422)
    assert (
        login(MEMBER).post(f"{SLUG}/competitions/", body | {"currency": "EUR"}).status_code == 403
    )
    assert counts() == before


def test_the_competition_page_shows_offers_reviews_and_programmes(purchase: Purchase):
    html = page("auditor", f"{SLUG}/competitions/TR-1/")
    assert 'data-testid="programmes">National programme of Latvia<' in html
    a1 = html[html.index('data-offer="A1"') :][:1500]
    assert "Aerorozvidka Works" in a1 and "Ukraine" in a1
    assert "from 1 unit: <strong>€\xa01,500.00</strong>" in a1
    assert "from 100 units: <strong>€\xa01,200.00</strong>" in a1
    assert ">120<" in a1 and "10 days" in a1 and "passed" in a1
    c1 = html[html.index('data-offer="C1"') :][:1500]
    assert "Nordic Sight" in c1 and "Sweden" in c1 and "not tested: at most 20 units" in c1
    for absent in ("review-form", "move-cancel", "offer-form", "join"):
        assert f'data-testid="{absent}"' not in html
    html = page(FUND_MANAGER, f"{SLUG}/competitions/TR-1/")
    assert 'data-testid="move-cancel"' in html and 'data-testid="move-close"' not in html
    assert 'data-testid="offer-form"' not in html  # closed: offers are frozen
    assert 'data-testid="review-form"' in page(MEMBER, f"{SLUG}/competitions/TR-1/")


def test_a_member_reviews_an_offer(purchase: Purchase):
    client = login(MEMBER)
    body = {"offer": "B1", "score": "4", "comment": "Good optics, slow deliveries"}
    response = client.post(f"{SLUG}/competitions/TR-1/reviews/", body)
    assert response.status_code == 302
    login("delegate-lv").post(f"{SLUG}/competitions/TR-1/reviews/", body | {"score": "3"})
    html = page("auditor", f"{SLUG}/competitions/TR-1/")
    b1 = html[html.index('data-offer="B1"') :][:2000]
    assert 'data-testid="average">3.5 / 5<' in b1
    assert "Germany: 4 — Good optics, slow deliveries" in b1 and "Latvia: 3" in b1
    before = counts()
    response = client.post(f"{SLUG}/competitions/TR-1/reviews/", body | {"score": "9"})
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert login("auditor").post(f"{SLUG}/competitions/TR-1/reviews/", body).status_code == 403
    assert counts() == before


def test_offers_by_form_and_by_file_while_the_competition_is_open(demo: Coalition):
    purchase = purchase_setup(demo, close=False, join=False)
    client, url = login(FUND_MANAGER), f"{SLUG}/competitions/TR-1/"
    body = {"offer": "D1", "supplier": "Dnipro Drones", "supplier_country": "UA", "origin": "UA"}
    body |= {"capacity_per_30_days": "500", "lead_time_days": "15"}
    body |= {"min_quantity_1": "1", "unit_price_1": "900", "min_quantity_2": "1000"}
    body |= {"unit_price_2": "850.50"}
    response = client.post(url + "offers/", body)
    assert response.status_code == 302, response.content.decode()[-2000:]
    html = client.get(url).content.decode()
    assert "Offer D1 of Dnipro Drones recorded." in html
    assert "from 1,000 units: <strong>€\xa0850.50</strong>" in html
    before = counts()
    response = client.post(url + "offers/", body | {"offer": "D2", "valid_until": "2001-01-01"})
    assert (
        response.status_code == 422
        and "the offer expired on 2001-01-01" in response.content.decode()
    )
    header = "offer,supplier,supplier_country,origin,category,min_quantity,unit_price,currency,"
    header += "capacity_per_30_days,lead_time_days,valid_until\n"
    bad = header + "E1,Elbe Air,DE,DE,tactical-recon,1,100,EUR,10,10,\n"
    bad += "E2,Elbe Air,DE,DE,fpv,1,100,EUR,10,10,\n"
    response = client.post(url + "offers/import/", {"file": _csv("offers.csv", bad)})
    assert response.status_code == 422
    assert "offers.csv row 3, column category: competition TR-1 is for tactical-recon, not fpv" in (
        response.content.decode()
    )
    assert login(MEMBER).post(url + "offers/", body | {"offer": "D3"}).status_code == 403
    assert counts() == before
    good = bad.replace(",fpv,", ",tactical-recon,")
    response = client.post(url + "offers/import/", {"file": _csv("offers.csv", good)})
    assert response.status_code == 302
    assert "offers.csv: 2 offers recorded, 0 already there." in client.get(url).content.decode()
    assert purchase.competition.offers.count() == 6


def test_a_programme_joins_and_the_fund_manager_closes(demo: Coalition):
    purchase_setup(demo, close=False, join=False)
    url = f"{SLUG}/competitions/TR-1/"
    html = page(CHAIR, url)
    assert (
        'data-testid="join"' in html
        and "Join with our programme (National programme of Latvia)" in html
    )
    assert 'data-testid="join"' not in page(MEMBER, url)  # Germany has no programme money here
    found = re.search(r'name="fund" value="(\d+)"><button[^>]*>[^<]*National programme', html)
    assert found is not None
    fund = found.group(1)
    assert login(MEMBER).post(url + "join/", {"fund": fund}).status_code == 403
    response = login(CHAIR).post(url + "join/", {"fund": fund})
    assert response.status_code == 302
    html = page(FUND_MANAGER, url)
    assert 'data-testid="programmes">National programme of Latvia<' in html
    assert login(MEMBER).post(url + "move/", {"move": "close"}).status_code == 403
    response = login(FUND_MANAGER).post(url + "move/", {"move": "close"}, follow=True)
    assert "Competition TR-1 is now closed." in response.content.decode()
    response = login(FUND_MANAGER).post(url + "move/", {"move": "close"}, follow=True)
    assert "Refused: competition TR-1 is closed: it cannot be moved to closed" in (
        response.content.decode()
    )


# Plans


def test_the_fund_manager_builds_a_plan_and_sees_what_went_in(purchase: Purchase):
    client = login(FUND_MANAGER)
    html = client.get(f"{SLUG}/plans/new/").content.decode()
    assert 'data-testid="build-form"' in html and 'value="TR-1"' in html
    assert 'data-testid="build-form"' not in page(MEMBER, f"{SLUG}/plans/new/")
    body = {"competitions": ["TR-1"], "on": purchase.today.isoformat()}
    response = client.post(f"{SLUG}/plans/new/", body)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    inputs = html[html.index('data-testid="plan-inputs"') :]
    assert "Common fund (Tactical reconnaissance)" in inputs and "€\xa0300,000.00" in inputs
    assert "National programme of Latvia" in inputs and "€\xa090,000.00" in inputs
    assert 'data-testid="funds-total">€\xa0490,000.00<' in inputs
    assert "Aerorozvidka Works" in inputs and "not tested: at most 20 units" in inputs
    assert "requirement ISR-UA-1: already on orders" in inputs or "Nothing was left out." in inputs
    summary = html[
        html.index('data-testid="plan-summary"') : html.index('data-testid="plan-inputs"')
    ]
    assert "350 units delivered on time, for €\xa0420,000.00." in summary
    assert (
        "Pooling covers the same needs on time as each fund buying alone, for €\xa030,000.00 less."
        in summary
    )
    assert "Aerorozvidka Works" in summary and "€\xa01,200.00" in summary
    assert 'data-testid="approve"' in summary
    run = response["Location"]
    assert 'data-testid="approve"' not in page("auditor", run)
    assert 'data-testid="approve"' not in page(MEMBER, run)


def test_a_refused_build_says_why_and_writes_nothing(demo: Coalition):
    purchase_setup(demo, close=False)
    before = counts()
    body = {"competitions": ["TR-1"], "on": "2026-01-01"}
    response = login(FUND_MANAGER).post(f"{SLUG}/plans/new/", body)
    assert response.status_code == 422  # TR-1 is open: no choice to make
    assert login(MEMBER).post(f"{SLUG}/plans/new/", body).status_code in (403, 422)
    assert counts() == before


def test_approval_signs_the_orders_and_shows_them(purchase: Purchase):
    run = plan_built(purchase)
    response = login(MEMBER).post(f"/plans/{run.pk}/approve/")
    assert response.status_code == 403 and not Order.objects.filter(plan=run).exists()
    client = login(FUND_MANAGER)
    response = client.post(f"/plans/{run.pk}/approve/")
    assert response.status_code == 302 and response["Location"] == f"{SLUG}/orders/"
    html = client.get(response["Location"]).content.decode()
    assert "Approved: 1 order is signed." in html
    [order] = Order.objects.filter(plan=run)
    row = html[html.index(f'data-order="{order.reference}"') :][:1000]
    assert "Aerorozvidka Works" in row and "Tactical reconnaissance" in row
    assert ">350<" in row and "€\xa0420,000.00" in row and "signed" in row
    assert date_format(purchase.today) in row
    html = page("auditor", f"/plans/{run.pk}/")
    assert 'data-testid="approved"' in html and 'data-testid="approve"' not in html


def test_a_stale_plan_is_refused_with_what_changed(purchase: Purchase):
    first, second = plan_built(purchase), plan_built(purchase)
    orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=first.pk)
    before = counts()
    response = login(FUND_MANAGER).post(f"/plans/{second.pk}/approve/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(f"/plans/{second.pk}/", 302)]
    assert f"Refused: plan run {second.pk} no longer fits" in html
    assert "requirement N-1: 0 units still to cover, 200 when the plan was built" in html
    assert counts() == before


def test_the_plan_page_shows_what_one_more_million_buys_when_the_plan_has_it(purchase: Purchase):
    run = plan_built(purchase)
    fund = next(iter(run.inputs["funds"]))
    extra = {"fund": fund, "raise": "1000000.00", "extra_value": 120, "status": "optimal"}
    extra |= {"extra_units": {"N-2": 30}, "extra_cost": "36000.00", "gap": 0}
    plain = {k: v for k, v in run.plan.items() if k != "marginal"}
    kept = {"status": "done", "raise": "1000000.00", "funds": [extra]}
    for plan, marginal in ((plain | {"marginal": [extra]}, None), (plain, kept)):
        PlanRun.objects.filter(pk=run.pk).update(plan=plan, marginal=marginal)
        html = page("auditor", f"/plans/{run.pk}/")
        table = html[html.index('data-testid="marginal"') :][:2000]
        assert "€\xa01,000,000.00" in table and ">120<" in table and "N-2: +30" in table
        assert "€\xa036,000.00" in table
    PlanRun.objects.filter(pk=run.pk).update(plan=plain, marginal={"status": "running"})
    html = page("auditor", f"/plans/{run.pk}/")
    assert 'data-testid="marginal"' not in html and 'data-testid="marginal-running"' in html
    PlanRun.objects.filter(pk=run.pk).update(plan=plain, marginal=None)
    assert 'data-testid="marginal' not in page("auditor", f"/plans/{run.pk}/")


# Orders


@pytest.fixture
def signed(purchase: Purchase) -> Order:
    [order] = orders.plan_approve(actor=user_actor(FUND_MANAGER), run_id=plan_built(purchase).pk)
    return order


def test_the_order_page_shows_lines_fundings_and_history(signed: Order, purchase: Purchase):
    html = page("auditor", f"{SLUG}/orders/{signed.reference}/")
    assert 'data-testid="quantity">350<' in html and 'data-testid="amount">€\xa0420,000.00<' in html
    assert date_format(purchase.today + timedelta(days=90)) in html  # N-1 due
    fundings = html[html.index('data-table="fundings"') :][:3000]
    assert "National programme of Latvia" in fundings and "€\xa090,000.00" in fundings
    assert "Common fund" in fundings and "Tactical reconnaissance" in fundings
    assert f"order:drone-coalition:{signed.reference}:" in fundings
    assert 'data-testid="amend-form"' not in html
    html = page(FUND_MANAGER, f"{SLUG}/orders/{signed.reference}/")
    assert 'data-testid="amend-form"' in html and 'data-testid="cancel-form"' in html


def test_the_fund_manager_amends_then_cancels_an_order(signed: Order):
    client, url = login(FUND_MANAGER), f"{SLUG}/orders/{signed.reference}/"
    response = client.post(url + "amend/", {"quantity": "300", "reason": "Fewer needed"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert 'data-testid="quantity">300<' in html and "€\xa0360,000.00" in html
    assert "Fewer needed" in html
    response = client.post(url + "cancel/", {"reason": "Supplier failed"}, follow=True)
    html = response.content.decode()
    assert "Order " + signed.reference + " is cancelled." in html
    assert (
        'data-testid="order-status">cancelled<' in html and 'data-testid="amend-form"' not in html
    )


def test_a_refused_amendment_says_why_and_writes_nothing(signed: Order):
    client, url = login(FUND_MANAGER), f"{SLUG}/orders/{signed.reference}/"
    before = counts()
    response = client.post(url + "amend/", {"quantity": "400", "reason": "More"})
    assert response.status_code == 422
    assert "an amendment lowers the quantity: 1 to 349 units" in response.content.decode()
    response = client.post(url + "cancel/", {"reason": ""})
    assert response.status_code == 422 and "This field is required." in response.content.decode()
    assert login(MEMBER).post(url + "cancel/", {"reason": "No"}).status_code == 403
    assert counts() == before
    assert Order.objects.get(pk=signed.pk).status == OrderStatus.SIGNED


# All pages


def _pages(signed: Order) -> list[str]:
    return [
        "/purchases/",
        f"{SLUG}/requirements/",
        f"{SLUG}/competitions/",
        f"{SLUG}/competitions/TR-1/",
        f"{SLUG}/plans/new/",
        f"/plans/{signed.plan_id}/",
        f"{SLUG}/orders/",
        f"{SLUG}/orders/{signed.reference}/",
    ]


def test_a_get_writes_nothing(signed: Order):
    for username in ("auditor", FUND_MANAGER, BENEFICIARY):
        client = login(username)
        for url in _pages(signed):
            events = AuditEvent.objects.count()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code in (200, 302), url
            writes = [
                q["sql"]
                for q in queries.captured_queries
                if WRITES.match(q["sql"]) and "django_session" not in q["sql"]
            ]
            assert writes == [] and AuditEvent.objects.count() == events, url


def test_who_sees_the_purchases(signed: Order):
    assert Client().get(f"{SLUG}/requirements/")["Location"].startswith("/login/")
    delegate_create(
        actor=TEST,
        username="delegate-jp",
        password="demo",
        kind="delegate",
        country=Country.objects.get(code="JP"),
    )
    page("delegate-jp", f"{SLUG}/orders/", 403)  # not a member: no purchases
    assert "your account sees none" in page("delegate-jp", "/purchases/")
    response = login("auditor").get("/purchases/")
    assert response.status_code == 302 and response["Location"] == f"{SLUG}/requirements/"
    assert 'data-testid="nav-purchases"' in page("auditor", "/plans/")
    assert 'data-testid="nav-purchases"' not in Client().get("/").content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Besoins", "Reconnaissance tactique", "500\xa0000,00", "Mises en concurrence"]),
        ("uk", ["Потреби", "Тактична розвідка", "500\xa0000,00", "Конкурси"]),
    ],
)
def test_the_pages_speak_french_and_ukrainian(signed: Order, language: str, words: list[str]):
    client = login("auditor")
    client.cookies["django_language"] = language
    html = "".join(client.get(url).content.decode() for url in _pages(signed)[1:])
    assert f'lang="{language}"' in html
    for word in words:
        assert word in html, word
    assert ("Lettonie" if language == "fr" else "Латвія") in html  # country names too


def test_every_page_answers(signed: Order, demo: Any):
    for url in _pages(signed):
        assert login(FUND_MANAGER).get(url).status_code in (200, 302), url
