"""Issue 13, two-factor mid-session: a session that passed without a device is judged
again when the data changes (the audit head), the day changes or the user's admin flags
do; a verified session is not asked again; a session whose data did not change costs the
door one primary-key lookup and nothing else."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.middleware import OTPMiddleware
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts.middleware import TwoFactorMiddleware
from coalition.accounts.services import totp_reset
from coalition.audit.models import AuditHead
from coalition.governance.models import Coalition, Country, Role
from coalition.governance.services.coalitions import membership_start
from tests.helpers import TEST, bearer, user_actor

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo"),
    pytest.mark.filterwarnings("ignore::UserWarning"),  # whitenoise's missing var/static
]

REQUIRED = override_settings(COALITION_REQUIRE_2FA=True)
PAGE = "/coalitions/drone-coalition/"
API = "/api/v1/coalitions/drone-coalition/applications"
SET_UP = "/account/two-factor/"


def _logged_in(username: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": "demo"}).status_code == 302
    return client


def _verified(username: str) -> Client:
    """A session that gave its device's code after the password."""
    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = _logged_in(username)
    code = f"{totp(bytes.fromhex(device.key), t0=0, step=30, digits=6):06d}"
    assert client.post("/login/verify/", {"token": code}).status_code == 302
    assert _in(client)
    return client


def _role(code: str, role: str, *, start: date | None = None) -> None:
    membership_start(
        actor=TEST,
        coalition=Coalition.objects.get(slug="drone-coalition"),
        country=Country.objects.get(code=code),
        role=role,
        start=start or timezone.localdate(),
    )


def _in(client: Client) -> bool:
    response = client.get(PAGE)
    if response.status_code == 200:
        return True
    assert (response.status_code, response["Location"]) == (302, SET_UP)
    return False


def _door_queries(client: Client, *, door: bool = True) -> list[str]:
    """The queries of one request through the session, user and OTP middleware, with or
    without the two-factor door, to a view that only looks at the user."""

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(str(request.user.is_authenticated))

    inner = TwoFactorMiddleware(view) if door else view
    chain = SessionMiddleware(AuthenticationMiddleware(OTPMiddleware(inner)))
    request = RequestFactory().get("/")
    cookie = settings.SESSION_COOKIE_NAME
    request.COOKIES[cookie] = client.cookies[cookie].value
    with CaptureQueriesContext(connection) as captured:
        assert chain(request).status_code == 200
    # The session's expiry is compared with now: the same query, whatever the moment.
    queries = [query["sql"] for query in captured.captured_queries]
    return [re.sub(r"'\d{4}-\d\d-\d\d [^']*'", "NOW", sql) for sql in queries]


@REQUIRED
def test_a_delegate_whose_country_becomes_chair_is_sent_to_set_up_at_once() -> None:
    client = _logged_in("delegate-de")
    assert _in(client)
    assert client.get(API).status_code == 200
    _role("DE", Role.CHAIR)
    assert not _in(client)
    assert client.get("/")["Location"] == SET_UP
    # The API does not take the session either, as for an unfinished login...
    assert client.get(API).status_code == 401
    # ...while a Bearer token is not concerned.
    assert Client().get(API, **bearer("delegate-de")).status_code == 200


@REQUIRED
def test_a_role_that_starts_tomorrow_is_asked_for_tomorrow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    today = timezone.localdate()
    client = _logged_in("delegate-de")
    _role("DE", Role.FUND_MANAGER, start=today + timedelta(days=1))
    assert _in(client)  # judged again (a write), and not yet required
    assert _in(client)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + timedelta(days=1))
    assert not _in(client)  # no write since, but another day


@REQUIRED
def test_an_admin_flag_set_without_an_audit_event_is_asked_for_at_once() -> None:
    client = _logged_in("delegate-de")
    assert _in(client)
    get_user_model().objects.filter(username="delegate-de").update(is_staff=True)
    assert not _in(client)


@REQUIRED
def test_a_verified_session_is_not_asked_again_and_costs_no_lookup() -> None:
    client = _verified("delegate-lv")
    _role("LV", Role.FUND_MANAGER)  # a write, and another role needing the device
    assert _in(client)
    assert client.get(API).status_code == 200
    head = AuditHead._meta.db_table
    assert _door_queries(client) == _door_queries(client, door=False)
    assert not any(head in sql for sql in _door_queries(client))


@REQUIRED
def test_a_reset_device_sends_the_chair_s_open_session_to_set_up() -> None:
    client = _verified("delegate-lv")
    totp_reset(actor=user_actor("admin"), username="delegate-lv")
    assert not _in(client)


@REQUIRED
def test_the_door_costs_one_lookup_until_the_data_changes() -> None:
    client = _logged_in("delegate-de")
    assert _in(client)
    head = AuditHead._meta.db_table
    base = _door_queries(client, door=False)
    steady = _door_queries(client)
    # The version lookup, and nothing else: no device, no role, no session written.
    assert len(steady) == len(base) + 1
    assert steady[: len(base)] == base and head in steady[-1]
    _role("TR", Role.MEMBER)  # a write that concerns someone else
    judged = _door_queries(client)
    assert len(judged) > len(steady)  # the device and the roles looked up again, once
    assert _door_queries(client) == steady
