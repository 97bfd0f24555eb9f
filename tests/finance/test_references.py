"""Attack report, defect 5: a reference with "/" broke its country's finance page for
everyone (NoReverseMatch, a 500), the web form answered 500 after writing it, and the API
could not reach it. References now have a plain alphabet (letters, digits, . _ -), and
every page and route stays safe for a value stored before that rule."""

import pytest
from django.test import Client

from coalition.audit.models import AuditEvent
from coalition.errors import FileRejected
from coalition.finance.models import Contribution
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Coalition
from tests.helpers import TEST, bearer

pytestmark = pytest.mark.django_db

ALPHABET = (
    "may hold only letters, digits, '.', '_' and '-', and starts with a letter or a digit "
    "(e.g. LV-2025-001)"
)


@pytest.mark.parametrize("reference", ["LV/2024/1", "a b", "x?y", "-lead", "ü-1"])
def test_a_reference_outside_the_alphabet_is_refused_by_row_and_column(
    demo: Coalition, reference: str
) -> None:
    data = (
        "reference,date,donor,channel,status,amount,currency\n"
        f"{reference},2025-03-03,LV,national,pledged,10.00,EUR\n"
    ).encode()
    before = (Contribution.objects.count(), AuditEvent.objects.count())
    with pytest.raises(FileRejected) as refused:
        pledges_import(actor=TEST, coalition=demo, data=data, name="refs.csv")
    [error] = refused.value.errors
    assert (error.row, error.column, error.message) == (2, "reference", ALPHABET)
    assert (Contribution.objects.count(), AuditEvent.objects.count()) == before


def test_the_web_form_refuses_it_without_writing(demo: Coalition, client: Client) -> None:
    client.login(username="delegate-lv", password="demo")
    before = (Contribution.objects.count(), AuditEvent.objects.count())
    response = client.post(
        "/coalitions/drone-coalition/finance/contributions/new/",
        {
            "reference": "LV/2025/9",
            "date": "2025-03-03",
            "donor": "LV",
            "channel": "national",
            "status": "pledged",
            "amount": "10",
            "currency": "EUR",
        },
    )
    assert response.status_code == 422
    assert ALPHABET.replace("'", "&#x27;") in response.content.decode()
    assert (Contribution.objects.count(), AuditEvent.objects.count()) == before


def test_a_reference_stored_before_the_rule_is_safe_on_every_page(
    demo: Coalition, client: Client
) -> None:
    old = Contribution.objects.get(reference="LV-2025-drones")
    Contribution.objects.filter(pk=old.pk).update(reference="LV/2025/drones")  # as if legacy
    for username in ("delegate-lv", "auditor", "admin"):
        client.force_login(_user(username))
        assert client.get("/coalitions/drone-coalition/finance/members/LV/").status_code == 200
    client.force_login(_user("delegate-lv"))
    page = client.get("/coalitions/drone-coalition/finance/contributions/LV/2025/drones/")
    assert page.status_code == 200
    response = client.get(
        "/api/v1/coalitions/drone-coalition/contributions/LV/2025/drones", **bearer("auditor")
    )
    assert (response.status_code, response.json()["reference"]) == (200, "LV/2025/drones")


def _user(username: str) -> object:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
