"""The page of one's own API tokens: only one's own are listed, a new token is shown once,
revoking needs a POST and works only on one's own (others' are not found)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from coalition.audit.models import AuditEvent
from coalition.governance.models import ApiToken
from coalition.governance.services.tokens import token_create
from tests.helpers import TEST

pytestmark = pytest.mark.django_db

PAGE = "/account/tokens/"


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _stored(secret: str) -> ApiToken:
    return ApiToken.objects.get(digest=ApiToken.digest_of(secret))


def test_anonymous_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get(PAGE)
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/account/tokens/")


def test_the_page_lists_only_ones_own_tokens() -> None:
    own = _stored(token_create(actor=TEST, username="delegate-de", name="de script"))
    other = _stored(token_create(actor=TEST, username="delegate-lv", name="lv script"))
    page = _client("delegate-de").get(PAGE).content.decode()
    assert f'data-token="{own.pk}"' in page and "de script" in page
    assert f'data-token="{other.pk}"' not in page and "lv script" not in page


def test_creating_a_token_shows_it_once_and_stores_only_its_digest() -> None:
    client = _client("delegate-de")
    events = AuditEvent.objects.count()
    before = timezone.now()
    response = client.post(PAGE, {"name": "budget export", "scope": "read", "days": "30"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert len(secret) == 43 and secret in response.content.decode()
    token = _stored(secret)
    assert (token.user.get_username(), token.name, token.scope) == (
        "delegate-de",
        "budget export",
        "read",
    )
    assert token.expires is not None
    assert before + timedelta(days=30) <= token.expires <= timezone.now() + timedelta(days=30)
    assert AuditEvent.objects.count() == events + 1
    again = client.get(PAGE).content.decode()
    assert secret not in again and f"{secret[:8]}…" in again
    # The token works on the API and, read-only, may not write.
    api = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert api.get("/api/v1/plans", **headers).status_code == 200
    refused = api.post("/api/v1/plans", "{}", content_type="application/json", **headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "auth.token_read_only")


def test_a_read_write_token_from_the_page() -> None:
    response = _client("delegate-de").post(PAGE, {"name": "", "scope": "read-write", "days": "7"})
    assert _stored(response.context["secret"]).scope == "read-write"


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"name": "x", "scope": "read", "days": "5"}, "days", "Select a valid choice."),
        ({"name": "x", "scope": "admin", "days": "90"}, "scope", "Select a valid choice."),
        ({"name": "n" * 101, "scope": "read", "days": "90"}, "name", "Ensure this value"),
    ],
)
def test_a_bad_form_writes_nothing(data: dict[str, str], field: str, error: str) -> None:
    tokens, events = ApiToken.objects.count(), AuditEvent.objects.count()
    response = _client("delegate-de").post(PAGE, data)
    assert response.status_code == 200 and response.context["secret"] is None
    assert response.context["form"].errors[field][0].startswith(error)
    assert (ApiToken.objects.count(), AuditEvent.objects.count()) == (tokens, events)


def test_revoking_ones_own_token_after_confirming() -> None:
    secret = token_create(actor=TEST, username="delegate-de")
    token = _stored(secret)
    client = _client("delegate-de")
    page = client.get(PAGE).content.decode()
    assert f'data-testid="revoke-step-{token.pk}"' in page  # behind a <details> confirmation
    assert client.get(f"{PAGE}{token.pk}/revoke/").status_code == 405
    response = client.post(f"{PAGE}{token.pk}/revoke/", follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    body = response.content.decode()
    assert f"The token {secret[:8]}… is revoked: it no longer works." in body
    assert f'data-testid="revoke-step-{token.pk}"' not in body
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client().get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert (api.status_code, api.json()["code"]) == (401, "auth.token_revoked")


def test_someone_elses_token_is_not_found_and_stays_live() -> None:
    token = _stored(token_create(actor=TEST, username="delegate-lv"))
    events = AuditEvent.objects.count()
    response = _client("delegate-de").post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and AuditEvent.objects.count() == events


def test_the_page_needs_its_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="delegate-de"))
    tokens = ApiToken.objects.count()
    response = client.post(PAGE, {"name": "x", "scope": "read", "days": "90"})
    assert response.status_code == 403 and ApiToken.objects.count() == tokens


def test_the_page_in_french_and_ukrainian() -> None:
    client = _client("delegate-de")
    fr = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Vos jetons API" in fr and "Créer le jeton" in fr
    uk = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Ваші токени API" in uk and "Створити токен" in uk
