"""Issue 12: the contribution form invited a GBP pledge to be recorded as EUR (currency
defaulted to EUR), its status defaulted to the current step, field errors sat above the
next field's label, and the category was free text."""

import re

import pytest
from django.test import Client

from coalition.finance.models import Contribution
from coalition.governance.models import Coalition

pytestmark = pytest.mark.django_db

NEW = "/coalitions/drone-coalition/finance/contributions/new/"


def _client(username: str = "delegate-lv", language: str = "en") -> Client:
    client = Client()
    client.login(username=username, password="demo")
    client.cookies["django_language"] = language
    return client


def _field(html: str, name: str) -> str:
    """The paragraph of one field: its label, its input and its error."""
    found = re.search(rf'<p class="field[^"]*" data-field="{name}">.*?</p>', html, re.S)
    assert found, name
    return found.group(0)


def test_a_new_contribution_has_no_currency_and_starts_pledged(demo: Coalition) -> None:
    html = _client().get(NEW).content.decode()
    currency = _field(html, "currency")
    assert 'name="currency"' in currency and "value=" not in currency.split("<input", 1)[1]
    assert "required" in currency and "e.g. GBP" in currency
    status = _field(html, "status")
    assert '<option value="pledged" selected>' in status
    category = _field(html, "category")
    assert "<select" in category and '<option value="tactical-recon">' in category
    assert "Tactical reconnaissance" in category


def test_a_gbp_pledge_is_recorded_as_gbp(demo: Coalition) -> None:
    form = {
        "reference": "GB-form",
        "date": "2024-09-02",
        "donor": "GB",
        "channel": "national",
        "status": "pledged",
        "amount": "1500.00",
        "currency": "gbp",
        "category": "tactical-recon",
    }
    response = _client("delegate-gb").post(NEW, form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    saved = Contribution.objects.get(reference="GB-form")
    step = saved.steps.get()
    assert step.currency == "GBP" and saved.category_id == "tactical-recon"
    edit = _client("delegate-gb").get(f"{NEW.removesuffix('new/')}GB-form/").content.decode()
    assert 'value="GBP"' in _field(edit, "currency")  # the next step: the same currency
    assert '<option value="committed" selected>' in _field(edit, "status")


def test_a_missing_currency_is_an_error_tied_to_its_own_field(demo: Coalition) -> None:
    form = {"reference": "LV-x", "date": "2024-09-02", "channel": "national"}
    form |= {"status": "pledged", "amount": "10", "currency": ""}
    response = _client().post(NEW, form)
    html = response.content.decode()
    currency = _field(html, "currency")
    assert 'aria-describedby="id_currency_helptext id_currency_error"' in currency
    assert 'id="id_currency_error"' in currency and "This field is required." in currency
    # The error sits after its own input, never before the next field's label.
    assert currency.index("<input") < currency.index('id="id_currency_error"')
    assert "id_currency_error" not in _field(html, "category")
    response = _client().post(NEW, form | {"currency": "XYZ"})
    assert "“XYZ” is not an ISO 4217 currency code." in _field(
        response.content.decode(), "currency"
    )
    assert not Contribution.objects.filter(reference="LV-x").exists()


def test_the_form_in_french_and_ukrainian(demo: Coalition) -> None:
    html = _client(language="fr").get(NEW).content.decode()
    assert "Reconnaissance tactique" in _field(html, "category")
    assert "Lettonie" in _field(html, "donor")
    html = _client(language="uk").get(NEW).content.decode()
    assert "Тактична розвідка" in _field(html, "category")


def test_the_currency_help_and_error_are_translated(demo: Coalition) -> None:
    form = {"reference": "LV-y", "date": "2024-09-02", "channel": "national"}
    form |= {"status": "pledged", "amount": "10", "currency": "XYZ"}
    html = _client(language="fr").post(NEW, form).content.decode()
    assert "« XYZ » n&#x27;est pas un code de devise ISO 4217." in _field(html, "currency")
    html = _client(language="uk").get(NEW).content.decode()
    assert "Код ISO 4217" in _field(html, "currency")
