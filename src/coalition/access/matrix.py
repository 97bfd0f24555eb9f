"""The access matrix: every API operation and every page against every role, as data.

Each route names the policy action that decides it and the context it is asked about;
`expected` evaluates the policy for a role, `render` writes docs/access.md, and the test
tests/test_access_matrix.py sends every request of the matrix through the real URL routes
and checks that the answer is the one the policy gives (a route without a row fails it).
"""

from typing import Any

from coalition.access.actor import Actor
from coalition.access.matrix_audit import AUDIT_API_ROUTES, AUDIT_PAGE_ROUTES
from coalition.access.matrix_purchase import PURCHASE_API_ROUTES, PURCHASE_PAGE_ROUTES
from coalition.access.matrix_tokens import TOKEN_API_ROUTES, TOKEN_PAGE_ROUTES
from coalition.access.policy import RULES, may
from coalition.access.route import API, SLUG, Route
from coalition.access.route import coalition as _coalition
from coalition.access.route import fixed as _fixed
from coalition.access.route import with_ as _with

# The roles of the matrix: the demo's users, and a delegate of a non-member country.
ROLES: dict[str, str] = {
    "anonymous": "not logged in",
    "admin": "administrator (superuser)",
    "auditor": "auditor",
    "beneficiary-ua": "user of the beneficiary's delegation (UA)",
    "delegate-lv": "delegate of the chair (LV)",
    "delegate-gb": "delegate of the fund manager (GB)",
    "delegate-de": "delegate of a member (DE)",
    "delegate-tr": "delegate of a candidate (TR, application pending)",
    "delegate-jp": "delegate of a non-member (JP)",
}

APP = f"{SLUG}/applications/{{application_id}}"
JP = {"country": "JP"}


def own_donor(actor: Actor) -> str:
    """The donor of the pledge a role sends: its own country (DE for the others)."""
    return actor.speaks_for or "DE"


def pledge(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    donor = own_donor(actor)
    return {
        "reference": f"MATRIX-{donor}-1",
        "date": "2025-06-02",
        "donor": donor,
        "channel": "national",
        "status": "pledged",
        "amount": "1000.00",
        "currency": "EUR",
    }


def _plan(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {"scenario": samples["scenario"], "coalition": samples["slug"], "time_limit": 5}


def _plan_form(samples: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {"scenario": samples["scenario_text"], "coalition": samples["slug"], "time_limit": "5"}


_APPLY = _with(country=lambda s, a: "JP")
_OWN = _with(donor=lambda s, a: own_donor(a))
_VOTE = _with(application=lambda s, a: s["application"])
_WITHDRAW = _with(country=lambda s, a: "TR")
_LV = _with(donor=lambda s, a: "LV")
_MEETING = {"date": "2025-06-02", "kind": "steering-committee", "place": "Riga"}
_DECISION = {"text": "The coalition thanks Latvia for the summit."}
_CORRECTION = {"date": "2025-01-01", "status": "pledged", "amount": "20000000", "currency": "EUR"}

API_ROUTES = [
    Route("api", "GET", f"{API}/coalitions", "api-v1:coalitions", "coalition.view"),
    Route("api", "GET", f"{API}{SLUG}", "api-v1:coalition_detail", "coalition.view"),
    Route("api", "GET", f"{API}{SLUG}/members", "api-v1:members", "coalition.view"),
    Route("api", "GET", f"{API}{SLUG}/applications", "api-v1:applications", "application.view"),
    Route(
        "api",
        "POST",
        f"{API}{SLUG}/applications",
        "api-v1:application_create",
        "application.submit",
        _APPLY,
        _fixed(JP),
        note="for JP",
    ),
    Route("api", "GET", f"{API}{APP}", "api-v1:application_detail", "application.view"),
    Route(
        "api",
        "POST",
        f"{API}{APP}/votes",
        "api-v1:vote_cast",
        "application.vote",
        _VOTE,
        _fixed({"vote": "approve"}),
        note="on TR's application",
    ),
    Route(
        "api",
        "POST",
        f"{API}{APP}/withdraw",
        "api-v1:application_withdraw",
        "application.withdraw",
        _WITHDRAW,
        _fixed({}),
        note="TR's application",
    ),
    Route("api", "GET", f"{API}{SLUG}/meetings", "api-v1:meeting_list", "meeting.view"),
    Route(
        "api",
        "POST",
        f"{API}{SLUG}/meetings",
        "api-v1:meeting_create",
        "meeting.record",
        _coalition,
        _fixed(_MEETING),
    ),
    Route(
        "api",
        "POST",
        f"{API}{SLUG}/meetings/{{meeting_id}}/decisions",
        "api-v1:decision_create",
        "meeting.decide",
        _coalition,
        _fixed(_DECISION),
    ),
    Route("api", "GET", f"{API}{SLUG}/totals", "api-v1:totals", "totals.view"),
    Route(
        "api",
        "GET",
        f"{API}{SLUG}/contributions",
        "api-v1:contributions",
        "ledger.view",
        _coalition,
    ),
    Route(
        "api",
        "GET",
        f"{API}{SLUG}/contributions/{{reference}}",
        "api-v1:contribution",
        "ledger.view",
        _coalition,
    ),
    Route(
        "api",
        "POST",
        f"{API}{SLUG}/contributions",
        "api-v1:contribution_create",
        "contribution.enter",
        _OWN,
        pledge,
        note="a pledge of the role's own country",
    ),
    Route(
        "api",
        "POST",
        f"{API}{SLUG}/pledges",
        "api-v1:pledges",
        "contribution.enter",
        _OWN,
        upload=True,
        note="a pledge file of the role's own country",
    ),
    Route("api", "GET", f"{API}{SLUG}/funds", "api-v1:funds", "ledger.view", _coalition),
    Route(
        "api",
        "GET",
        f"{API}{SLUG}/funds/{{fund_id}}/ledger",
        "api-v1:fund_ledger",
        "ledger.view",
        _coalition,
    ),
    Route("api", "GET", f"{API}/rates/USD", "api-v1:rate", "rates.view"),
    Route("api", "GET", f"{API}/categories", "api-v1:categories", "coalition.view"),
    Route("api", "POST", f"{API}/plans", "api-v1:plan_create", "plan.run", _coalition, _plan),
    Route("api", "GET", f"{API}/plans", "api-v1:plan_list", "plan.list"),
    Route("api", "GET", f"{API}/plans/{{run_id}}", "api-v1:plan_detail", "plan.view", _coalition),
]

PAGE_ROUTES = [
    Route("page", "GET", "/", "home", "page.public"),
    Route("page", "GET", "/login/", "login", "page.public"),
    Route("page", "POST", "/logout/", "logout", "page.public", body=_fixed({})),
    Route(
        "page",
        "GET",
        "/login/verify/",
        "login-verify",
        "account.two_factor",
        note="the code after the password; without a device, straight on",
    ),
    Route("page", "GET", "/account/two-factor/", "two-factor", "account.two_factor"),
    Route(
        "page",
        "POST",
        "/i18n/setlang/",
        "set_language",
        "page.public",
        body=_fixed({"language": "fr"}),
    ),
    Route("page", "GET", "/vendor/plotly.min.js", "plotly-js", "page.public"),
    Route("page", "GET", f"{API}/docs", "api-v1:openapi-view", "page.public"),
    Route("page", "GET", f"{API}/openapi.json", "api-v1:openapi-json", "page.public"),
    Route("page", "GET", f"{API}/", "api-v1:api-root", "page.public", note="404: no page here"),
    Route(
        "page",
        "GET",
        "/admin/",
        "admin:index",
        "admin.site",
        denied=302,
        note="the Django admin, read-only; others are sent to its login",
    ),
    Route("page", "GET", f"{SLUG}/", "coalition", "coalition.view"),
    Route("page", "GET", "/countries/LV/", "country", "coalition.view"),
    Route("page", "GET", f"{SLUG}/apply/", "apply", "application.apply", _coalition),
    Route(
        "page",
        "POST",
        f"{SLUG}/apply/",
        "apply",
        "application.submit",
        _APPLY,
        _fixed(JP),
        note="for JP",
    ),
    Route("page", "GET", f"{SLUG}/meetings/", "meetings", "meeting.view"),
    Route(
        "page",
        "POST",
        f"{SLUG}/meetings/",
        "meetings",
        "meeting.record",
        _coalition,
        _fixed(_MEETING),
    ),
    Route("page", "GET", f"{APP}/", "application", "application.view"),
    Route(
        "page",
        "POST",
        f"{APP}/vote/",
        "application-vote",
        "application.vote",
        _VOTE,
        _fixed({"vote": "approve"}),
        note="on TR's application",
    ),
    Route(
        "page",
        "POST",
        f"{APP}/withdraw/",
        "application-withdraw",
        "application.withdraw",
        _WITHDRAW,
        _fixed({}),
        note="TR's application",
    ),
    Route(
        "page",
        "POST",
        f"{APP}/meeting/",
        "application-meeting",
        "meeting.decide",
        _coalition,
        lambda s, a: {"meeting": str(s["meeting_id"])},
        note="refused by the rules while TR's vote is pending",
    ),
    Route("page", "GET", f"{SLUG}/finance/", "finance-dashboard", "totals.view"),
    Route("page", "GET", f"{SLUG}/finance/members/LV/", "finance-member", "totals.view"),
    Route("page", "GET", f"{SLUG}/public/", "public", "page.public"),
    Route("page", "GET", f"{SLUG}/public/summit.pdf", "summit-report", "page.public"),
    Route(
        "page",
        "GET",
        f"{SLUG}/finance/funds/{{fund_id}}/",
        "finance-fund",
        "ledger.view",
        _coalition,
    ),
    Route(
        "page", "GET", f"{SLUG}/finance/import/", "finance-import", "contribution.enter", _coalition
    ),
    Route(
        "page",
        "POST",
        f"{SLUG}/finance/import/",
        "finance-import",
        "contribution.enter",
        _OWN,
        upload=True,
        note="a pledge file of the role's own country",
    ),
    Route(
        "page",
        "GET",
        f"{SLUG}/finance/contributions/new/",
        "finance-contribution-new",
        "contribution.enter",
        _coalition,
    ),
    Route(
        "page",
        "POST",
        f"{SLUG}/finance/contributions/new/",
        "finance-contribution-new",
        "contribution.enter",
        _OWN,
        pledge,
        note="a pledge of the role's own country",
    ),
    Route(
        "page",
        "GET",
        f"{SLUG}/finance/contributions/{{reference}}/",
        "finance-contribution",
        "contribution.enter",
        _LV,
        note="a contribution of LV",
    ),
    Route(
        "page",
        "POST",
        f"{SLUG}/finance/contributions/{{reference}}/",
        "finance-contribution",
        "contribution.enter",
        _LV,
        _fixed(_CORRECTION),
        note="a contribution of LV",
    ),
    Route("page", "GET", "/plans/", "plans", "plan.list"),
    Route("page", "POST", "/plans/", "plans", "plan.run", _coalition, _plan_form),
    Route("page", "GET", "/plans/{run_id}/", "plan", "plan.view", _coalition),
]

ROUTES = API_ROUTES + PURCHASE_API_ROUTES + AUDIT_API_ROUTES + TOKEN_API_ROUTES
ROUTES += PAGE_ROUTES + PURCHASE_PAGE_ROUTES + AUDIT_PAGE_ROUTES + TOKEN_PAGE_ROUTES


def expected(route: Route, actor: Actor, samples: dict[str, Any]) -> str:
    """The policy's answer for `actor`: "ok", "401", "login", "403", "404" or the route's
    own refusal status."""
    context = route.context(samples, actor)
    asked = [a for a in (route.first, route.action) if a is not None]
    refused = next((a for a in asked if not may(actor, a, **context)), None)
    if refused is None:
        return "ok"
    if route.denied is not None:
        return str(route.denied)
    if not actor.is_authenticated:
        return "401" if route.surface == "api" else "login"
    return "404" if RULES[refused].hidden else "403"


CELL = {"ok": "✓", "401": "401", "login": "login", "403": "403", "404": "404", "302": "302"}


def render(cells: dict[tuple[int, str], str]) -> str:
    """docs/access.md from the outcome of every (route index, role)."""
    lines = [
        "# Who may do what",
        "",
        "Generated from the access policy (`src/coalition/access/policy.py`) by",
        "`COALITION_WRITE_DOCS=1 .venv/bin/python -m pytest tests/test_access_matrix.py`;",
        "`make test` fails when this file and the policy disagree, and sends every request",
        "below, as every role, through the real routes.",
        "",
        "✓ allowed · 401 the API wants a login · login: the page sends to the login page ·",
        "403 forbidden · 404 the object is not shown to this role · 302: sent to the",
        "admin's own login. A ✓ means the policy lets the request through; the platform's",
        "rules may still refuse it (a second vote, a closed application).",
        "",
        "Roles: " + "; ".join(f"`{k}`: {v}" for k, v in ROLES.items()) + ".",
        "",
    ]
    for surface, title in (("api", "API operations"), ("page", "Pages")):
        lines += [f"## {title}", ""]
        lines.append("| method | path | action | " + " | ".join(ROLES) + " |")
        lines.append("|---|---|---|" + "---|" * len(ROLES))
        for index, route in enumerate(ROUTES):
            if route.surface != surface:
                continue
            path = f"`{route.path}`" + (f" ({route.note})" if route.note else "")
            row = [route.method, path, f"`{route.action}`"]
            row += [CELL[cells[(index, role)]] for role in ROLES]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return "\n".join(lines)
