"""Issue 13, headers and forms: secure cookies, HSTS and the https redirect behind
COALITION_TLS (no W004/W008/W012/W016 from `check --deploy`), a strict CSP on every page,
CSRF on every web form (the only csrf_exempt views are the API's), DEBUG off by default."""

import io
import os
import subprocess
import sys
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver

from coalition.access.matrix import ROUTES
from coalition.accounts.deploy import tls_settings
from coalition.audit.models import AuditEvent
from tests.test_access_matrix import samples  # noqa: F401  (the fixture)

STRONG_KEY = "k" * 20 + "Zq8#Lr2$Vn5&Tb1*Xw7!Hc4@Jm9^Pd3%Gf6(Ys0)" * 2
DEPLOY_WARNINGS = ("security.W004", "security.W008", "security.W012", "security.W016")


def _deploy_check(**overrides: Any) -> str:
    out, err = io.StringIO(), io.StringIO()
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process when they run in the
    # same test worker (tests/e2e/conftest.py); a deployment never has it, and the check
    # makes it an error.
    with (
        mock.patch.dict(os.environ),
        override_settings(SECRET_KEY=STRONG_KEY, DEBUG=False, **overrides),
    ):
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        call_command("check", deploy=True, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_with_tls_the_deploy_check_finds_no_cookie_hsts_or_redirect_warning() -> None:
    settings = tls_settings({"COALITION_TLS": "1"})
    assert settings["SESSION_COOKIE_SECURE"] is settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 31536000
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    report = _deploy_check(**settings)
    assert [w for w in DEPLOY_WARNINGS if w in report] == []


def test_without_tls_the_deploy_check_names_what_is_off() -> None:
    # Plain http (`make run` on localhost): secure cookies would never reach the server.
    settings = tls_settings({})
    assert settings["SESSION_COOKIE_SECURE"] is settings["CSRF_COOKIE_SECURE"] is False
    assert settings["SECURE_PROXY_SSL_HEADER"] is None
    report = _deploy_check(**settings)
    assert [w for w in DEPLOY_WARNINGS if w in report] == list(DEPLOY_WARNINGS)


def test_the_proxy_header_and_hsts_are_tunable() -> None:
    env = {"COALITION_TLS": "1", "COALITION_PROXY_SSL_HEADER": "", "SECURE_HSTS_SECONDS": "600"}
    settings = tls_settings(env)
    assert (settings["SECURE_PROXY_SSL_HEADER"], settings["SECURE_HSTS_SECONDS"]) == (None, 600)


@pytest.mark.django_db
def test_with_tls_cookies_are_secure_and_http_is_redirected(demo: Any) -> None:
    with override_settings(**tls_settings({"COALITION_TLS": "1"})):
        client = Client()
        assert client.get("/login/")["Location"] == "https://testserver/login/"
        https = {"HTTP_X_FORWARDED_PROTO": "https"}
        page = client.get("/login/", **https)
        assert page.status_code == 200
        assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        csrf = page.cookies["csrftoken"]
        assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")
        login = {"username": "delegate-de", "password": "demo"}
        response = client.post("/login/", login, **https)
        session = response.cookies["sessionid"]
        assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/login/", "/coalitions/drone-coalition/"])
def test_every_page_has_a_strict_content_security_policy(demo: Any, path: str) -> None:
    response = Client().get(path)
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def _urls(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _urls(p.url_patterns, prefix + str(p.pattern))
        else:
            found.append((prefix + str(p.pattern), p.callback))
    return found


def test_only_the_api_is_csrf_exempt() -> None:
    """The API's views (django-ninja) check CSRF themselves for session logins and need
    none for Bearer tokens; every other view is under Django's CSRF middleware."""
    exempt = [
        url
        for url, view in _urls(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
    ]
    assert exempt, "the API's operations are expected here"
    assert [url for url in exempt if not url.startswith("api/v1/")] == []


@pytest.mark.django_db
def test_every_web_form_refuses_a_post_without_the_csrf_token(
    demo: Any,
    samples: dict[str, Any],  # noqa: F811
) -> None:
    # The purchase's rows need the purchase's own samples: the others are enough here.
    posts = [r for r in ROUTES if r.surface == "page" and r.method == "POST"]
    urls = []
    for route in posts:
        try:
            urls.append(route.url(samples))
        except KeyError:
            continue
    assert len(urls) >= 10
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="admin"))
    events = AuditEvent.objects.count()
    for url in urls:
        response = client.post(url, {"anything": "1"})
        assert response.status_code == 403, url
        assert b"CSRF" in response.content, url
    assert Client(enforce_csrf_checks=True).post("/login/", {"username": "x"}).status_code == 403
    assert AuditEvent.objects.count() == events


def test_debug_is_off_unless_asked() -> None:
    code = "from coalition import settings; print(settings.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
    on = subprocess.run(
        [sys.executable, "-c", code], env={**env, "DEBUG": "1"}, capture_output=True, text=True
    )
    assert on.stdout.strip() == "True"
