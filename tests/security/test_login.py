"""Issue 13, login: passwords hashed with argon2 (older PBKDF2 hashes upgraded at login),
and django-axes locking an account after 5 failures, and separately an address after 30
(an office behind one NAT address shares it), with a translated 429 page, a reset command
and the end of the lock after the cool-off."""

import io
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from coalition import settings as project_settings
from coalition.accounts.hashers import Argon2PasswordHasher

pytestmark = pytest.mark.django_db

# The project's own hashers (tests/conftest.py swaps in MD5 for speed).
HASHERS = project_settings.PASSWORD_HASHERS
LOCKOUT = {
    "AXES_ENABLED": True,
    "AXES_FAILURE_LIMIT": 5,
    "COALITION_ADDRESS_FAILURE_LIMIT": 30,
    "AXES_COOLOFF_TIME": 0.25,  # 15 minutes, in axes' hours
}


def test_argon2_comes_first_with_the_chosen_parameters() -> None:
    assert HASHERS[0] == "coalition.accounts.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in HASHERS
    hasher = Argon2PasswordHasher()
    assert (hasher.algorithm, hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        "argon2",
        3,
        65536,
        1,
    )
    with override_settings(PASSWORD_HASHERS=HASHERS):
        encoded = make_password("demo")
        assert encoded.startswith("argon2$argon2id$v=19$m=65536,t=3,p=1$")


def test_a_pbkdf2_hash_still_logs_in_and_is_upgraded_to_argon2(demo: Any) -> None:
    user = get_user_model().objects.get(username="delegate-de")
    with override_settings(PASSWORD_HASHERS=HASHERS):
        user.password = make_password("demo", hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
        client = Client()
        response = client.post("/login/", {"username": "delegate-de", "password": "demo"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert identify_hasher(user.password).algorithm == "argon2"
        assert "m=65536,t=3,p=1" in user.password


def _wrong(client: Client, username: str) -> Any:
    return client.post("/login/", {"username": username, "password": "wrong"})


def _right(client: Client, username: str) -> Any:
    return client.post("/login/", {"username": username, "password": "demo"})


@override_settings(**LOCKOUT)
def test_five_wrong_passwords_lock_the_account_even_from_another_address(demo: Any) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        assert _wrong(attacker, "delegate-lv").status_code == 200  # the form again
    assert _wrong(attacker, "delegate-lv").status_code == 429
    # The right password, from a fresh address: the account is locked.
    response = _right(Client(REMOTE_ADDR="198.51.100.1"), "delegate-lv")
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in response.client.session
    # Another account is not concerned, from that fresh address or from the same one.
    assert _right(Client(REMOTE_ADDR="198.51.100.1"), "delegate-de").status_code == 302
    assert _right(Client(REMOTE_ADDR="203.0.113.7"), "delegate-fr").status_code == 302


@override_settings(**LOCKOUT)
def test_29_failures_on_several_accounts_leave_the_address_open(demo: Any) -> None:
    # An office behind one NAT address: many people, a few typos each.
    office = Client(REMOTE_ADDR="203.0.113.15")
    for n in range(29):
        assert _wrong(office, f"colleague-{n}").status_code == 200
    assert _right(office, "delegate-gb").status_code == 302


@override_settings(**LOCKOUT)
def test_30_failures_on_several_accounts_lock_the_address(demo: Any) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.8")
    for username in ["delegate-de", "delegate-fr", "delegate-nl", "delegate-se"]:
        assert _wrong(attacker, username).status_code == 200
    for n in range(25):
        assert _wrong(attacker, f"nobody-{n}").status_code == 200
    assert _wrong(attacker, "delegate-pl").status_code == 429
    # A right password from that address is refused, for an account never tried...
    assert _right(attacker, "delegate-gb").status_code == 429
    # ...which logs in from elsewhere.
    assert _right(Client(REMOTE_ADDR="198.51.100.2"), "delegate-gb").status_code == 302


@override_settings(**LOCKOUT)
def test_the_lockout_page_is_translated(demo: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.cookies["django_language"] = "fr"
    for _ in range(5):
        response = _wrong(client, "delegate-lv")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Trop de connexions échouées" in text
    assert "15 minutes" in text


@override_settings(**LOCKOUT)
def test_axes_reset_lifts_the_lock(demo: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(5):
        _wrong(client, "delegate-lv")
    assert _right(client, "delegate-lv").status_code == 429
    call_command("axes_reset", stdout=io.StringIO())
    assert AccessAttempt.objects.count() == 0
    assert _right(client, "delegate-lv").status_code == 302


@override_settings(**LOCKOUT)
def test_the_right_password_logs_in_after_the_cool_off(demo: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.11")
    for _ in range(5):
        _wrong(client, "delegate-lv")
    assert _right(client, "delegate-lv").status_code == 429
    # The cool-off runs from the last failure: move the failures 16 minutes back.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _right(client, "delegate-lv").status_code == 302


@override_settings(**LOCKOUT, COALITION_CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_a_trusted_proxy_the_address_is_the_one_it_appended(demo: Any) -> None:
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for n in range(5):
        # The client forges the left-most entry each time; the proxy appends the real one.
        proxy.post(
            "/login/",
            {"username": f"nobody-{n}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.12",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.12"}
    other = {"HTTP_X_FORWARDED_FOR": "203.0.113.13"}
    login = {"username": "delegate-de", "password": "demo"}
    assert proxy.post("/login/", login, **other).status_code == 302


def test_by_default_the_address_is_remote_addr_whatever_the_headers(demo: Any) -> None:
    with override_settings(**LOCKOUT):
        client = Client(REMOTE_ADDR="203.0.113.14")
        client.post(
            "/login/",
            {"username": "nobody", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="192.0.2.1",
        )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.14"]


def test_the_lockout_settings_come_from_the_environment() -> None:
    from coalition.accounts.deploy import lockout_settings

    defaults = lockout_settings({})
    assert defaults["AXES_FAILURE_LIMIT"] == 5
    assert defaults["COALITION_ADDRESS_FAILURE_LIMIT"] == 30
    assert defaults["AXES_HANDLER"] == "coalition.accounts.lockout.LockoutHandler"
    assert defaults["AXES_COOLOFF_TIME"] == 0.25
    assert defaults["AXES_LOCKOUT_PARAMETERS"] == ["username", "ip_address"]
    assert defaults["AXES_ENABLED"] is True
    env = {
        "LOGIN_FAILURE_LIMIT": "10",
        "LOGIN_ADDRESS_FAILURE_LIMIT": "100",
        "LOGIN_COOLOFF_MINUTES": "60",
        "LOGIN_LOCKOUT": "0",
    }
    tuned = lockout_settings(env)
    assert (tuned["AXES_FAILURE_LIMIT"], tuned["AXES_COOLOFF_TIME"]) == (10, 1.0)
    assert tuned["COALITION_ADDRESS_FAILURE_LIMIT"] == 100
    assert tuned["AXES_ENABLED"] is False
    # A limit of 0 would refuse every login: at least one failure is allowed.
    zero = lockout_settings({"LOGIN_FAILURE_LIMIT": "0", "LOGIN_ADDRESS_FAILURE_LIMIT": "0"})
    assert (zero["AXES_FAILURE_LIMIT"], zero["COALITION_ADDRESS_FAILURE_LIMIT"]) == (1, 1)
    assert project_settings.AXES_FAILURE_LIMIT == 5
    assert project_settings.COALITION_ADDRESS_FAILURE_LIMIT == 30
    assert project_settings.AXES_HANDLER == "coalition.accounts.lockout.LockoutHandler"
