"""Issue 13, "no CSP": the pages run under a strict Content-Security-Policy (script-src
'self', no inline script). In a real browser, the main chart pages draw their charts and
report no CSP violation, neither as a `securitypolicyviolation` event nor on the console."""

from typing import Any

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded before any page script runs, so a violation during loading is caught too.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""

PAGES = {
    "coalition": ("/coalitions/drone-coalition/", "#timeline .main-svg"),
    "finance": ("/coalitions/drone-coalition/finance/?year=2025", ".chart .main-svg"),
    "member": ("/coalitions/drone-coalition/finance/members/DE/?year=2025", ".chart .main-svg"),
    "public": ("/coalitions/drone-coalition/public/", "main"),
    "api docs": ("/api/v1/docs", ".swagger-ui .info"),
}


def _violations(page: Any, console: list[str]) -> list[str]:
    events: list[str] = page.evaluate("window.__csp")
    return events + [m for m in console if "Content Security Policy" in m]


@pytest.mark.parametrize("name", list(PAGES))
def test_the_main_pages_draw_without_a_csp_violation(
    demo: Any, live_server: Any, browser: Any, name: str
) -> None:
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    login(page, live_server, "auditor")
    page.wait_for_url(lambda url: "/login" not in url)
    path, drawn = PAGES[name]
    response = page.goto(f"{live_server.url}{path}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(drawn)
    page.wait_for_load_state("networkidle")
    assert _violations(page, console) == []
    context.close()


def test_the_plan_page_draws_its_charts_without_a_csp_violation(
    demo: Any, live_server: Any, browser: Any
) -> None:
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    login(page, live_server, "delegate-gb")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server.url}/plans/")
    page.click("form:has(textarea[name=scenario]) button[type=submit]")
    page.wait_for_selector("#plan-figures")
    page.locator(".chart .bars path").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert _violations(page, console) == []
    context.close()
