"""Queries per page (issue 12, fast pages): each main page, as a signed-in delegate (and
anonymous where it is public), costs a fixed number of database queries that does not
grow with the data: more contributions, requirements, competitions, plans, orders and
deliveries leave every count where it was. An N+1 (one query per row) fails here."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coalition.demo.services import exercise_load
from coalition.finance.models import Fund
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from coalition.procurement.models import Competition, Order, PlanRun
from tests.finance.conftest import csv_bytes
from tests.helpers import TEST
from tests.procurement.purchase import matrix_samples

pytestmark = pytest.mark.django_db

SLUG = "/coalitions/drone-coalition"
# The most queries a page may make (sessions, the user, the navigation, the page itself).
BOUND = 45


def _pages(coalition: Coalition) -> dict[str, tuple[str, str | None]]:
    """Page name -> (path, who reads it: a username, or None for anonymous)."""
    fund = Fund.objects.filter(coalition=coalition).order_by("id").first()
    run = PlanRun.objects.filter(coalition=coalition).order_by("id").first()
    order = Order.objects.filter(coalition=coalition).order_by("id").first()
    competition = Competition.objects.filter(coalition=coalition).order_by("id").first()
    assert fund and run and order and competition, "the demo's exercise is loaded"
    reader = "delegate-gb"  # the fund manager: it may read every page below
    return {
        "home": ("/", reader),
        "coalition": (f"{SLUG}/", reader),
        "coalition, anonymous": (f"{SLUG}/", None),
        "country": ("/countries/LV/", reader),
        "finance dashboard": (f"{SLUG}/finance/", reader),
        "finance member": (f"{SLUG}/finance/members/GB/", reader),
        "fund ledger": (f"{SLUG}/finance/funds/{fund.pk}/", reader),
        "requirements": (f"{SLUG}/requirements/", reader),
        "competitions": (f"{SLUG}/competitions/", reader),
        "competition": (f"{SLUG}/competitions/{competition.reference}/", reader),
        "plans": ("/plans/", reader),
        "plan": (f"/plans/{run.pk}/", reader),
        "orders": (f"{SLUG}/orders/", reader),
        "order": (f"{SLUG}/orders/{order.reference}/", reader),
        "deliveries": (f"{SLUG}/deliveries/", reader),
        "reconciliation": (f"{SLUG}/reconciliation/", reader),
        "audit log": ("/audit/", "auditor"),
        "transparency page, anonymous": (f"{SLUG}/public/", None),
    }


def _counts(pages: dict[str, tuple[str, str | None]]) -> dict[str, int]:
    counts = {}
    clients: dict[str | None, Client] = {}
    for name, (path, username) in pages.items():
        if username not in clients:
            clients[username] = client = Client()
            if username:
                client.force_login(_user(username))
            client.get("/")  # the session and the language settled before counting
        with CaptureQueriesContext(connection) as queries:
            response = clients[username].get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        counts[name] = len(queries)
    return counts


def _user(username: str) -> object:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _more_data(coalition: Coalition) -> None:
    """Many more rows of every kind the pages list: 40 contributions (80 ledger postings
    and audit events), requirements, competitions, offers, plans, two more orders, a
    delivery with inspected lots."""
    rows = [
        f"Q-{i},2025-0{1 + i % 9}-1{i % 10},{donor},national,pledged,{1000 + i}.00,EUR,,,"
        for i, donor in enumerate(["GB", "LV", "NL", "SE", "DK"] * 8)
    ]
    pledges_import(actor=TEST, coalition=coalition, data=csv_bytes(*rows), name="more.csv")
    matrix_samples(coalition)


def test_every_main_page_makes_a_fixed_number_of_queries(demo: Coalition) -> None:
    exercise_load(demo)  # as `coalition demo` has it: a plan, orders, deliveries, payments
    pages: Callable[[], dict[str, tuple[str, str | None]]] = lambda: _pages(demo)  # noqa: E731
    before = _counts(pages())
    assert all(count <= BOUND for count in before.values()), before
    _more_data(demo)
    after = _counts(pages())
    grown = {name: (before[name], after[name]) for name in before if after[name] > before[name]}
    assert not grown, f"queries grew with the data (before, after): {grown}"
