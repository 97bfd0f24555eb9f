"""The one access policy: may this actor do this to this object?

Services call `require` before they write; selectors call `require` or `restrict` before
they read; views, API routes and commands never decide on their own. Rights come from
the actor's delegation and the roles its country holds in the coalition on the day:

- anyone reads a coalition's public facts (members, roles, totals);
- a logged-in user reads the accession procedure (applications, votes, meetings);
- a country's delegate speaks for its country: applies, votes, withdraws its application,
  enters its own contributions, spends from its own programmes;
- the chair's delegate records letters, meetings and decisions and may apply or withdraw
  for any country; the fund manager's delegate spends from the common fund;
- the delegations of the members of the day, the auditors and the admins read the ledger
  and the coalition's plans and procurement; members' delegations (and the
  beneficiary's) run plans;
- the beneficiary's delegation enters requirements; the fund manager's delegates run
  competitions, enter offers, build and approve plans and manage orders, and spend from
  the programmes that joined a purchase; members' delegates review offers;
- an admin (superuser) may do whatever the chair and any delegation may, except speak
  for a country it does not belong to (it has no vote);
- a system actor (the CLI, the worker, the demo loader) holds only what it is granted.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.errors import Forbidden, NotFound, Unauthenticated
from coalition.governance import selectors as governance
from coalition.governance.models import Coalition, Role

M = TypeVar("M", bound=Model)
Check = Callable[..., bool]


@dataclass(frozen=True)
class Rule:
    check: Check
    # Why it was refused: "only ... may ..." with {names} from the context, or a function
    # of the actor and the context giving (message, code) when the reason varies.
    denial: str | Callable[..., tuple[str, str]]
    hidden: bool = False  # refused objects answer 404: their existence is not told


def _roles(actor: Actor, coalition: Coalition, on: date | None = None) -> frozenset[str]:
    if actor.country is None:
        return frozenset()
    return governance.roles_on(
        coalition=coalition, country_code=actor.country, on=on or timezone.localdate()
    )


def is_chair(actor: Actor, coalition: Coalition) -> bool:
    return actor.is_admin or (actor.kind == "delegate" and Role.CHAIR in _roles(actor, coalition))


def _member_delegation(actor: Actor, coalition: Coalition) -> bool:
    """Any user of the delegation of a country that is a member today."""
    return actor.kind in ("delegate", "beneficiary") and Role.MEMBER in _roles(actor, coalition)


def _reader(actor: Actor, coalition: Coalition) -> bool:
    return actor.is_admin or actor.is_auditor or _member_delegation(actor, coalition)


def _submit(actor: Actor, *, coalition: Coalition, country: str) -> bool:
    return is_chair(actor, coalition) or actor.speaks_for == country


def _withdraw(actor: Actor, *, coalition: Coalition, country: str) -> bool:
    return is_chair(actor, coalition) or actor.speaks_for == country


def _enter(
    actor: Actor, *, coalition: Coalition, donor: str | None = None, channel: str | None = None
) -> bool:
    """A member's delegation enters its own country's contributions; the fund manager's
    delegation also records any member's deposits into the common fund it manages."""
    if actor.is_admin:
        return True
    own = actor.speaks_for
    member = own is not None and Role.MEMBER in _roles(actor, coalition)
    if member and donor in (None, own):
        return True
    return channel == "common-fund" and is_fund_manager(actor, coalition)


def is_fund_manager(actor: Actor, coalition: Coalition) -> bool:
    """The delegation of today's fund manager (not an admin: admins may do anything)."""
    return actor.kind == "delegate" and _holds(actor, coalition, Role.FUND_MANAGER)


def _spend(
    actor: Actor, *, coalition: Coalition, holder: str | None, joined: bool = False, **_: Any
) -> bool:
    """The holder spends; a programme that joined a purchase is spent by the fund manager."""
    if actor.is_admin or (holder is not None and actor.speaks_for == holder):
        return True
    return joined and _fund_manager(actor, coalition=coalition)


def _plan_run(actor: Actor, *, coalition: Coalition) -> bool:
    return actor.is_admin or _member_delegation(actor, coalition)


def _holds(actor: Actor, coalition: Coalition, role: str) -> bool:
    return actor.kind in ("delegate", "beneficiary") and role in _roles(actor, coalition)


def _fund_manager(actor: Actor, *, coalition: Coalition, **_: Any) -> bool:
    """The fund manager's delegates (who run competitions and place orders) and admins."""
    return actor.is_admin or (
        actor.kind == "delegate" and _holds(actor, coalition, Role.FUND_MANAGER)
    )


def _beneficiary(actor: Actor, *, coalition: Coalition, **_: Any) -> bool:
    """The beneficiary's delegation (its delegates and its beneficiary users) and admins."""
    return actor.is_admin or _holds(actor, coalition, Role.BENEFICIARY)


def _tester(actor: Actor, *, coalition: Coalition, **_: Any) -> bool:
    return _fund_manager(actor, coalition=coalition) or _beneficiary(actor, coalition=coalition)


def _deliverer(actor: Actor, *, coalition: Coalition, **_: Any) -> bool:
    """Delivery manifests: the fund manager's delegates (who hold the supplier's papers),
    the beneficiary's delegation (who receives the items) and admins."""
    return _fund_manager(actor, coalition=coalition) or _beneficiary(actor, coalition=coalition)


def _reviewer(actor: Actor, *, coalition: Coalition, **_: Any) -> bool:
    """A member country's delegate: the review is its delegation's, one per offer."""
    return actor.speaks_for is not None and Role.MEMBER in _roles(actor, coalition)


def _programme(actor: Actor, *, coalition: Coalition, holder: str, **_: Any) -> bool:
    return actor.is_admin or (actor.speaks_for is not None and actor.speaks_for == holder)


def _anyone(actor: Actor, **_: Any) -> bool:
    return True


def _logged_in(actor: Actor, **_: Any) -> bool:
    return actor.is_authenticated


def _admin(actor: Actor, **_: Any) -> bool:
    return actor.is_admin


def _chair(actor: Actor, *, coalition: Coalition, **_: Any) -> bool:
    return is_chair(actor, coalition)


def _read(actor: Actor, *, coalition: Coalition, **_: Any) -> bool:
    return _reader(actor, coalition)


def _voter(actor: Actor, *, application: Any = None, **_: Any) -> bool:
    """A country's delegate; on an application, a country of its frozen electorate."""
    country = actor.speaks_for
    if country is None:
        return False
    return application is None or governance.elector_problem(application, country) is None


def _voter_denial(actor: Actor, *, application: Any = None, **_: Any) -> tuple[str, str]:
    country = actor.speaks_for
    if country is None or application is None:
        return "only a member country's delegate votes", "application.vote.forbidden"
    problem = governance.elector_problem(application, country)
    assert problem is not None
    return problem


def _applicant(actor: Actor, *, coalition: Coalition) -> bool:
    return is_chair(actor, coalition) or actor.speaks_for is not None


def _auditor(actor: Actor, **_: Any) -> bool:
    return actor.is_admin or actor.is_auditor


def _own_token(actor: Actor, *, username: str, **_: Any) -> bool:
    return actor.is_admin or (actor.is_authenticated and actor.name == username)


_CHAIR = "only the chair's delegate or an administrator may"
_FUND_MANAGER = "only the fund manager's delegates or an administrator may"
RULES: dict[str, Rule] = {
    "page.public": Rule(_anyone, ""),
    "account.two_factor": Rule(_logged_in, "two-factor authentication is for logged-in users"),
    "account.two_factor_reset": Rule(
        _admin, "only an administrator may reset someone's two-factor device"
    ),
    "coalition.view": Rule(_anyone, ""),
    "totals.view": Rule(_anyone, ""),
    "rates.view": Rule(_anyone, ""),
    "admin.site": Rule(_admin, "the back office is for administrators"),
    "coalition.manage": Rule(_admin, "only an administrator may change a coalition's set-up"),
    "category.manage": Rule(_admin, "only an administrator manages the capability categories"),
    "user.manage": Rule(_admin, "only an administrator may manage users"),
    "token.create": Rule(_own_token, "only an administrator may create tokens for others"),
    "token.view": Rule(_logged_in, "API tokens are for logged-in users"),
    # Revoking someone else's token: that token is not shown (404), not refused.
    "token.revoke": Rule(_own_token, "no such token", hidden=True),
    "token.manage": Rule(_admin, "only an administrator sees other users' tokens"),
    "application.view": Rule(_logged_in, "the accession procedure is for logged-in users"),
    "application.submit": Rule(_submit, "only a delegate of {country} may apply for {country}"),
    "application.record_letter": Rule(
        _chair, "only the chair's delegate or an administrator records a letter or sets a deadline"
    ),
    "application.backdate": Rule(_anyone, "only a data loader may date an application back"),
    "application.vote": Rule(_voter, _voter_denial),
    "application.apply": Rule(
        _applicant, "only a country's delegate or the chair's delegate may apply for a country"
    ),
    "application.withdraw": Rule(
        _withdraw,
        "only a delegate of {country}, the chair's delegate or an administrator may "
        "withdraw this application",
    ),
    "accession.close_expired": Rule(_admin, "only an administrator may close votes"),
    "meeting.view": Rule(_logged_in, "meetings are for logged-in users"),
    "meeting.record": Rule(_chair, f"{_CHAIR} record a meeting"),
    "meeting.decide": Rule(_chair, f"{_CHAIR} record a meeting's decision"),
    "ledger.view": Rule(
        _read, "the ledger is for the coalition's member delegations, auditors and admins"
    ),
    "contribution.enter": Rule(
        _enter,
        "only a member's delegation (for its own country), the fund manager's (into the common"
        " fund) or an admin enters contributions",
    ),
    "fund.spend": Rule(_spend, "only the delegation of {holder_name} spends from {fund}"),
    "ledger.post": Rule(_admin, "only an administrator posts ledger transactions by hand"),
    "rates.manage": Rule(_admin, "only an administrator may change exchange rates"),
    "plan.list": Rule(_logged_in, "plans are for logged-in users"),
    "plan.view": Rule(_read, "no such plan run", hidden=True),
    "plan.run": Rule(_plan_run, "only members' delegations, the beneficiary and admins run plans"),
    "plan.execute": Rule(_admin, "only the task worker runs queued plans"),
    "task.recover": Rule(_admin, "only the task worker recovers the tasks of dead workers"),
    "audit.view": Rule(_auditor, "the audit log is for auditors and admins"),
    "audit.verify": Rule(_auditor, "only auditors and admins verify the audit chain"),
    "procurement.view": Rule(
        _read, "procurement is for the coalition's member delegations, auditors and admins"
    ),
    "requirement.enter": Rule(
        _beneficiary, "only the beneficiary's delegation or an administrator enters requirements"
    ),
    "competition.manage": Rule(_fund_manager, f"{_FUND_MANAGER} run competitions and enter offers"),
    "trial.record": Rule(
        _tester, "only the fund manager's or the beneficiary's delegation records test results"
    ),
    "offer.review": Rule(_reviewer, "only a member country's delegate reviews offers"),
    "competition.join": Rule(
        _programme, "only the delegation of {holder} may bring its programme into a purchase"
    ),
    "plan.build": Rule(_fund_manager, f"{_FUND_MANAGER} build a plan from the database"),
    "plan.approve": Rule(_fund_manager, f"{_FUND_MANAGER} approve a plan"),
    "order.manage": Rule(_fund_manager, f"{_FUND_MANAGER} amend, cancel or close an order"),
    "delivery.inspect": Rule(
        _beneficiary,
        "only the beneficiary's delegation or an administrator accepts or rejects delivered items",
    ),
    "order.pay": Rule(_fund_manager, f"{_FUND_MANAGER} pay a supplier"),
    "delivery.record": Rule(
        _deliverer,
        "only the fund manager's or the beneficiary's delegation records deliveries",
    ),
}
# Granted to system actors only: an admin backdates nothing through the web.
SYSTEM_ONLY = {"application.backdate", "plan.execute", "task.recover"}


def may(actor: Actor, action: str, **context: Any) -> bool:
    rule = RULES[action]  # KeyError: an action without a rule is a programming error
    if actor.is_system:
        return action in actor.grants
    if action in SYSTEM_ONLY:
        return False
    return bool(rule.check(actor, **context))


def require(actor: Actor, action: str, **context: Any) -> None:
    """Return quietly when `actor` may; else Unauthenticated, Forbidden or (for objects
    whose existence must not be told) NotFound, each with the rule's reason."""
    if may(actor, action, **context):
        return
    rule = RULES[action]
    if not actor.is_authenticated and not rule.hidden:
        raise Unauthenticated("Authentication required: a Bearer token or a session.")
    if callable(rule.denial):
        message, code = rule.denial(actor, **context)
    else:
        message, code = rule.denial.format(**context), f"{action}.forbidden"
    if rule.hidden:
        raise NotFound(message, code=f"{action.split('.')[0]}.not_found")
    raise Forbidden(message, code=code)


def restrict(actor: Actor, action: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """`queryset` narrowed to the objects of coalitions where `actor` may `action`
    (objects with a `coalition` field)."""
    if actor.is_system:
        return queryset if action in actor.grants else queryset.none()
    if actor.is_admin or actor.is_auditor:
        return queryset
    if actor.country is None or actor.kind not in ("delegate", "beneficiary"):
        return queryset.none()
    ids = governance.member_coalition_ids(country_code=actor.country, on=timezone.localdate())
    allowed = [c for c in Coalition.objects.filter(id__in=ids) if may(actor, action, coalition=c)]
    return queryset.filter(coalition__in=allowed)


ALL_ACTIONS = frozenset(RULES)
