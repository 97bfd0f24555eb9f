"""The logged-in home page by role: what each person must do now in the purchase (with
the demo's exercise: the beneficiary's inspection of Zoria's fifth lot, the fund
manager's payment of its fourth), and the figures that matter to them."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from coalition.demo.services import exercise_load
from coalition.governance.models import Coalition

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo: Coalition) -> Coalition:
    exercise_load(demo)
    return demo


def _home(client: Client, username: str) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    return client.get("/").content.decode()


def test_the_beneficiary_is_asked_to_inspect(client: Client, loaded: Coalition) -> None:
    html = _home(client, "beneficiary-ua")
    assert (
        "400 items of PO-2025-0001 (Zoria Recon Systems (illustrative)) await your inspection"
        in html
    )
    assert 'href="/coalitions/drone-coalition/orders/PO-2025-0001/"' in html
    assert "accepted and not yet paid" not in html


def test_the_fund_manager_is_asked_to_pay(client: Client, loaded: Coalition) -> None:
    html = _home(client, "delegate-gb")
    assert (
        "PO-2025-0001 (Zoria Recon Systems (illustrative)): "
        "€\xa03,360,000.00 accepted and not yet paid" in html
    )
    assert "await your inspection" not in html
    assert 'data-row="own"' in html and 'data-row="coalition"' in html
    assert "3 orders: 3,080 items delivered, 2,680 accepted, EUR 11,912,000.00 paid." in html


def test_another_member_sees_figures_but_nothing_to_do(client: Client, loaded: Coalition) -> None:
    html = _home(client, "delegate-nl")
    assert "Nothing waits for you in its purchase." in html
    assert 'data-row="own"' in html


def test_the_auditor_sees_the_coalition_without_tasks(client: Client, loaded: Coalition) -> None:
    html = _home(client, "auditor")
    assert "Nothing waits for you in its purchase." in html
    assert 'data-row="own"' not in html and 'data-row="coalition"' in html


def test_anonymous_sees_no_role_home(client: Client, loaded: Coalition) -> None:
    assert "to do now" not in client.get("/").content.decode()


def test_a_solved_plan_awaits_the_fund_managers_approval(client: Client, demo: Coalition) -> None:
    from tests.procurement.purchase import plan_built, purchase_setup

    run = plan_built(purchase_setup(demo))
    html = _home(client, "delegate-gb")
    assert f'href="/plans/{run.pk}/"' in html and "awaits your approval" in html


def test_the_role_home_in_ukrainian(client: Client, loaded: Coalition) -> None:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    html = _home(client, "beneficiary-ua")
    assert "Drone Coalition: що зробити зараз" in html
    assert (
        "400 виробів із PO-2025-0001 (Zoria Recon Systems (illustrative)) чекають на ваш огляд"
        in html
    )
