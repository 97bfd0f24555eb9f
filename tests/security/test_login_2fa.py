"""Issue 13, two-factor: TOTP (django-otp) required for the chair's and the fund
manager's delegates and for admins, optional for the others; Bearer tokens unaffected."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.audit.models import AuditEvent
from tests.helpers import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

REQUIRED = override_settings(COALITION_REQUIRE_2FA=True)


def _code(key_hex: str, *, drift: int = 0) -> str:
    return f"{totp(bytes.fromhex(key_hex), t0=0, step=30, digits=6, drift=drift):06d}"


def _wrong_code(key_hex: str) -> str:
    """A code that no step the device accepts now (or next) would give."""
    near = {_code(key_hex, drift=d) for d in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in near)


def _logged_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _device(username: str) -> TOTPDevice:
    user = get_user_model().objects.get(username=username)
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _offer_and_key(page: str) -> tuple[str, str]:
    offer = re.search(r'name="offer" value="([^"]+)"', page)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page)
    assert offer and secret
    from base64 import b32decode

    key = b32decode(secret.group(1).replace(" ", "")).hex()
    return offer.group(1), key


@REQUIRED
@pytest.mark.parametrize("username", ["delegate-lv", "delegate-gb", "admin"])
def test_a_required_role_without_a_device_is_sent_to_set_up(username: str) -> None:
    client = _logged_in(username)
    for path in ["/", "/coalitions/drone-coalition/", "/audit/", "/admin/"]:
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/account/two-factor/")
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    assert b'data-testid="totp-required"' in page.content
    assert b"<svg" in page.content  # the QR code, inline
    # Logging out stays open.
    assert client.post("/logout/").status_code == 302


@REQUIRED
def test_the_set_up_page_writes_nothing_and_a_wrong_code_enrols_nothing() -> None:
    client = _logged_in("delegate-lv")
    events = AuditEvent.objects.count()
    offer, key = _offer_and_key(client.get("/account/two-factor/").content.decode())
    assert TOTPDevice.objects.count() == 0
    wrong = _wrong_code(key)
    response = client.post("/account/two-factor/", {"offer": offer, "token": wrong})
    assert response.status_code == 422
    assert b"This code is not the current one" in response.content
    assert (TOTPDevice.objects.count(), AuditEvent.objects.count()) == (0, events)
    # The same secret is shown again, so the scan need not be redone.
    assert _offer_and_key(response.content.decode())[1] == key
    forged = client.post("/account/two-factor/", {"offer": key, "token": _code(key)})
    assert forged.status_code == 422
    assert b"The set-up form has expired or was altered" in forged.content
    assert (TOTPDevice.objects.count(), AuditEvent.objects.count()) == (0, events)


@REQUIRED
def test_the_chair_enrols_with_the_right_code_and_an_audit_event() -> None:
    client = _logged_in("delegate-lv")
    offer, key = _offer_and_key(client.get("/account/two-factor/").content.decode())
    response = client.post("/account/two-factor/", {"offer": offer, "token": _code(key)})
    assert (response.status_code, response["Location"]) == (302, "/")
    device = TOTPDevice.objects.get()
    assert (device.user.username, device.key, device.confirmed) == ("delegate-lv", key, True)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.actor, event.action, event.object_type, event.object_id) == (
        "delegate-lv",
        "totp.enrolled",
        "user",
        "delegate-lv",
    )
    assert event.changes == {"device": device.persistent_id}
    assert client.get("/coalitions/drone-coalition/").status_code == 200


@REQUIRED
def test_a_user_with_a_device_must_give_the_code_after_the_password() -> None:
    device = _device("delegate-lv")
    client = Client()
    response = client.post("/login/", {"username": "delegate-lv", "password": "demo"})
    assert response.status_code == 302
    response = client.get("/coalitions/drone-coalition/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/login/verify/?next=%2Fcoalitions%2Fdrone-coalition%2F%3Fx%3D1"
    wrong = _wrong_code(device.key)
    refused = client.post("/login/verify/", {"token": wrong, "next": "/coalitions/"})
    assert refused.status_code == 422
    assert b"This code is not the current one" in refused.content
    assert client.get("/").status_code == 302  # still not in
    # The API does not take the unfinished session either.
    api = client.get("/api/v1/coalitions/drone-coalition/applications")
    assert api.status_code == 401
    device.refresh_from_db()
    device.throttling_failure_timestamp = None  # django-otp's back-off after a failure
    device.save()
    done = client.post(
        "/login/verify/", {"token": _code(device.key), "next": "/coalitions/drone-coalition/"}
    )
    assert (done.status_code, done["Location"]) == (302, "/coalitions/drone-coalition/")
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/coalitions/drone-coalition/applications").status_code == 200


@REQUIRED
def test_the_same_code_cannot_be_used_twice() -> None:
    device = _device("delegate-de")
    code = _code(device.key)
    first = Client()
    first.post("/login/", {"username": "delegate-de", "password": "demo"})
    assert first.post("/login/verify/", {"token": code}).status_code == 302
    second = Client()
    second.post("/login/", {"username": "delegate-de", "password": "demo"})
    assert second.post("/login/verify/", {"token": code}).status_code == 422


@REQUIRED
def test_a_member_delegate_without_a_device_goes_straight_in() -> None:
    client = Client()
    response = client.post("/login/", {"username": "delegate-de", "password": "demo"})
    assert response.status_code == 302
    assert client.get("/coalitions/drone-coalition/").status_code == 200


@REQUIRED
def test_optional_enrolment_for_a_member_then_off_again() -> None:
    client = _logged_in("delegate-de")
    page = client.get("/account/two-factor/")
    assert b"optional for you" in page.content
    offer, key = _offer_and_key(page.content.decode())
    assert (
        client.post("/account/two-factor/", {"offer": offer, "token": _code(key)}).status_code
        == 302
    )
    assert TOTPDevice.objects.filter(user__username="delegate-de").count() == 1
    # From now on the member's logins ask for the code.
    again = Client()
    again.post("/login/", {"username": "delegate-de", "password": "demo"})
    assert again.get("/")["Location"] == "/login/verify/?next=%2F"
    assert client.post("/account/two-factor/", {"action": "remove"}).status_code == 302
    assert TOTPDevice.objects.filter(user__username="delegate-de").count() == 0
    actions = list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["totp.removed", "totp.enrolled"]


@REQUIRED
def test_a_required_role_cannot_turn_two_factor_off() -> None:
    _device("delegate-lv")
    client = _logged_in("delegate-lv")
    assert client.post("/account/two-factor/", {"action": "remove"}).status_code == 302
    assert TOTPDevice.objects.filter(user__username="delegate-lv").count() == 1


@REQUIRED
def test_bearer_tokens_are_not_asked_for_a_second_factor() -> None:
    response = Client().get(
        "/api/v1/coalitions/drone-coalition/applications", **bearer("delegate-lv")
    )
    assert response.status_code == 200


def test_with_the_requirement_off_the_chair_goes_straight_in() -> None:
    # What `make run` does for its demo (COALITION_REQUIRE_2FA=0).
    client = Client()
    client.post("/login/", {"username": "delegate-lv", "password": "demo"})
    assert client.get("/coalitions/drone-coalition/").status_code == 200
