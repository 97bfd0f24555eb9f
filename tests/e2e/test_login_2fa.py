"""Issue 13, two-factor in a real browser: the chair logs in, is sent to set up a TOTP
app (QR code drawn inline, no CSP violation), types the app's code and gets in; at the
next login the code is asked after the password."""

from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str, drift: int = 0) -> str:
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, t0=0, step=30, digits=6, drift=drift):06d}"


def test_the_chair_sets_up_two_factor_then_gives_the_code_at_login(
    demo: Any, live_server: Any, browser: Any, settings: Any
) -> None:
    settings.COALITION_REQUIRE_2FA = True
    context = browser.new_context()
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.__csp.push(e.violatedDirective));"
    )
    page = context.new_page()
    login(page, live_server, "delegate-lv")
    page.wait_for_url(f"{live_server.url}/account/two-factor/")
    assert page.locator(".qr svg path").count() == 1
    page.goto(f"{live_server.url}/coalitions/drone-coalition/")
    page.wait_for_url(f"{live_server.url}/account/two-factor/")  # nothing else until then
    secret = page.locator("[data-testid=totp-secret]").inner_text()
    page.fill("input[name=token]", _code(secret))
    page.click("main form:has(input[name=token]) button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.evaluate("window.__csp") == []
    context.close()

    again = browser.new_context().new_page()
    login(again, live_server, "delegate-lv")
    again.wait_for_url(lambda url: "/login/verify/" in url)
    # The next step's code: the one just used at set-up is never accepted twice.
    again.fill("input[name=token]", _code(secret, drift=1))
    again.click("main form:has(input[name=token]) button[type=submit]")
    again.wait_for_url(f"{live_server.url}/")
    again.goto(f"{live_server.url}/coalitions/drone-coalition/")
    assert again.url == f"{live_server.url}/coalitions/drone-coalition/"
