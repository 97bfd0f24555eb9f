# ruff: noqa: E501  (a table of one-line cases reads best unwrapped)
"""Every permission check of every service and selector refuses whom it must, called
directly (the access matrix covers the routes; some use cases have none: the ledger's own
posting, rates, the worker's jobs). Removing any single check makes a case here, or in the
matrix, fail."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from coalition.access.actor import ANONYMOUS, Actor
from coalition.errors import Forbidden, NotFound, Unauthenticated
from coalition.finance import selectors as finance
from coalition.finance.ledger import core
from coalition.finance.models import Contribution, Fund
from coalition.finance.services import contributions, funds, ledger, rates
from coalition.governance import selectors as governance
from coalition.governance.models import (
    Application,
    Category,
    Coalition,
    Country,
    Meeting,
    Membership,
)
from coalition.governance.services import accession, categories, coalitions, meetings, users
from coalition.procurement import selectors as procurement
from coalition.procurement.models import PlanRun
from coalition.procurement.services import (
    competitions,
    needs,
    offers,
    order_changes,
    orders,
    plans,
)
from tests.helpers import user_actor

pytestmark = pytest.mark.django_db

JP = Actor(name="delegate-jp", kind="delegate", country="JP")  # a non-member's delegate
DE = Actor(name="delegate-de", kind="delegate", country="DE")  # a plain member's delegate
TR = Actor(name="delegate-tr", kind="delegate", country="TR")  # a candidate's delegate
AUDITOR = Actor(name="auditor", kind="auditor")
DAY = dt.date(2025, 6, 2)
PLEDGE = (
    b"reference,date,donor,channel,status,amount,currency\n"
    b"X-1,2025-03-03,DE,national,pledged,1.00,EUR\n"
)


def _tr(c: Coalition) -> Application:
    return Application.objects.get(coalition=c, country="TR", status="pending")


def _fund(c: Coalition) -> Fund:
    return Fund.objects.filter(coalition=c).order_by("id").first()  # type: ignore[return-value]


def _programme(c: Coalition) -> Fund:
    """A national programme that is not Germany's."""
    country = Country.objects.get(code="LV")
    return Fund.objects.get_or_create(coalition=c, channel="national", country=country)[0]


def _tx() -> core.Transaction:
    return core.Transaction(
        key="k",
        date=DAY,
        postings=(core.Posting("a", "EUR", Decimal(-1)), core.Posting("b", "EUR", Decimal(1))),
    )


def _user() -> Any:
    return get_user_model().objects.get(username="delegate-de")


def _run(c: Coalition) -> PlanRun:
    return PlanRun.objects.create(coalition=c, scenario={}, time_limit=5)


Case = tuple[str, Actor, Callable[[Coalition], object]]
CASES: list[Case] = [
    # governance: users
    ("user.manage: create", DE, lambda c: users.delegate_create(actor=DE, username="x", password=None, kind="delegate", country=Country.objects.get(code="DE"))),
    ("token.create: another's", DE, lambda c: users.token_create(actor=DE, username="admin")),
    ("user.manage: admin save", DE, lambda c: users.user_admin_save(actor=DE, user=_user(), created=False, save_related=lambda: None)),
    ("user.manage: admin delete", DE, lambda c: users.user_admin_delete(actor=DE, user=_user())),
    ("user.manage: password", DE, lambda c: users.user_password_changed_record(actor=DE, user=_user())),
    # governance: set-up
    ("category.manage", DE, lambda c: categories.category_save(actor=DE, category=Category(slug="x", name_en="x", name_fr="x", name_uk="x"))),
    ("coalition.manage: source", DE, lambda c: coalitions.source_create(actor=DE, key="k", title="t")),
    ("coalition.manage: coalition", DE, lambda c: coalitions.coalition_create(actor=DE, slug="s", name="n", founded=DAY)),
    ("coalition.manage: membership start", DE, lambda c: coalitions.membership_start(actor=DE, coalition=c, country=Country.objects.get(code="JP"), role="member", start=DAY)),
    ("coalition.manage: membership end", DE, lambda c: coalitions.membership_end(actor=DE, membership=Membership.objects.filter(coalition=c).first(), end=DAY)),  # type: ignore[arg-type]
    # governance: meetings
    ("meeting.record", DE, lambda c: meetings.meeting_record(actor=DE, coalition=c, date=DAY, kind="summit")),
    ("meeting.decide", DE, lambda c: meetings.meeting_decision_record(actor=DE, meeting=Meeting.objects.filter(coalition=c).first(), text="t")),  # type: ignore[arg-type]
    # governance: accession
    ("application.submit: another country", TR, lambda c: accession.application_submit(actor=TR, coalition=c, country=Country.objects.get(code="JP"))),
    ("application.record_letter", JP, lambda c: accession.application_submit(actor=JP, coalition=c, country=Country.objects.get(code="JP"), letter_reference="L")),
    ("application.backdate: submit", JP, lambda c: accession.application_submit(actor=JP, coalition=c, country=Country.objects.get(code="JP"), submitted=DAY)),
    ("application.withdraw: another's", DE, lambda c: accession.application_withdraw(actor=DE, application=_tr(c))),
    ("application.backdate: withdraw", TR, lambda c: accession.application_withdraw(actor=TR, application=_tr(c), on=DAY)),
    ("application.backdate: vote", DE, lambda c: accession.application_vote(actor=DE, application=_tr(c), vote="approve", cast=dt.datetime(2025, 6, 2, tzinfo=dt.UTC))),
    ("application.vote: no country", AUDITOR, lambda c: accession.application_vote(actor=AUDITOR, application=_tr(c), vote="approve")),
    ("application.vote: not an elector", JP, lambda c: accession.application_vote(actor=JP, application=_tr(c), vote="approve")),
    ("accession.close_expired", DE, lambda c: accession.applications_close_expired(actor=DE)),
    ("application.view: list", ANONYMOUS, lambda c: governance.applications_list(actor=ANONYMOUS, coalition=c)),
    ("application.view: one", ANONYMOUS, lambda c: governance.application_get(actor=ANONYMOUS, coalition=c, application_id=_tr(c).pk)),
    ("meeting.view", ANONYMOUS, lambda c: governance.meetings_list(actor=ANONYMOUS, coalition=c)),
    ("application.apply", AUDITOR, lambda c: governance.apply_countries(AUDITOR, c, DAY)),
    # finance
    ("contribution.enter: import", AUDITOR, lambda c: contributions.pledges_import(actor=AUDITOR, coalition=c, data=PLEDGE, name="p.csv")),
    ("contribution.enter: another donor", DE, lambda c: finance.entry_scope(actor=DE, coalition=c, donor="LV")),
    ("coalition.manage: reported figure", DE, lambda c: contributions.reported_figure_record(actor=DE, coalition=c, kind="planned", year=2025, description="d", source=c.source)),  # type: ignore[arg-type]
    ("fund.spend", DE, lambda c: funds.fund_obligate(actor=DE, fund=_fund(c), amount=Decimal(1), currency="EUR", on=DAY, key="o")),
    ("ledger.post: one", DE, lambda c: ledger.ledger_post(actor=DE, tx=_tx())),
    ("ledger.post: batch", DE, lambda c: ledger.ledger_post_many(actor=DE, txs=[_tx()])),
    ("ledger.post: reversal", DE, lambda c: ledger.ledger_reverse(actor=DE, key="LV-2025-drones")),
    ("rates.manage: load", DE, lambda c: rates.rates_load(actor=DE)),
    ("rates.manage: update", DE, lambda c: rates.rates_update(actor=DE, data=b"Date,USD\n2026-11-30,1.1\n", name="r.csv")),
    ("rates.manage: add", DE, lambda c: rates.rate_add(actor=DE, currency="UAH", on=DAY, rate=Decimal(40))),
    ("ledger.view: funds", JP, lambda c: finance.funds_list(actor=JP, coalition=c)),
    ("ledger.view: balances", JP, lambda c: finance.fund_balances(actor=JP, coalition=c)),
    ("ledger.view: a fund", JP, lambda c: finance.fund_get(actor=JP, coalition=c, fund_id=_fund(c).pk)),
    ("ledger.view: contributions", JP, lambda c: finance.contributions_list(actor=JP, coalition=c)),
    # procurement
    ("plan.run", AUDITOR, lambda c: plans.plan_run_submit(actor=AUDITOR, coalition=c, scenario={})),
    ("plan.execute", DE, lambda c: plans.plan_run_execute(actor=DE, run_id=_run(c).pk)),
    ("plan.execute: recover", DE, lambda c: plans.plan_runs_recover(actor=DE)),
    ("plan.view", JP, lambda c: procurement.plan_run_get(actor=JP, run_id=_run(c).pk)),
    ("procurement.view: requirements", JP, lambda c: procurement.requirements_list(actor=JP, coalition=c)),
    ("procurement.view: competitions", JP, lambda c: procurement.competitions_list(actor=JP, coalition=c)),
    ("procurement.view: a competition", JP, lambda c: procurement.competition_get(actor=JP, coalition=c, reference="X")),
    ("procurement.view: suppliers", JP, lambda c: procurement.suppliers_list(actor=JP, coalition=c)),
    ("procurement.view: tests", JP, lambda c: procurement.trials_list(actor=JP, coalition=c)),
    ("procurement.view: orders", JP, lambda c: procurement.orders_list(actor=JP, coalition=c)),
    ("procurement.view: an order", JP, lambda c: procurement.order_get(actor=JP, coalition=c, reference="PO-1")),
    ("requirement.enter: import", DE, lambda c: needs.requirements_import(actor=DE, coalition=c, data=b"reference\n", name="n.csv")),
    ("requirement.enter: one", DE, lambda c: needs.requirement_create(actor=DE, coalition=c, reference="R", category="fpv", quantity=1, weight="1", needed_by=DAY)),
    ("competition.manage: create", DE, lambda c: competitions.competition_create(actor=DE, coalition=c, reference="C", category="fpv", budget="1", currency="EUR", bid_deadline=DAY)),
    ("competition.manage: move", DE, lambda c: competitions.competition_move(actor=DE, coalition=c, reference="C", move="close")),
    ("competition.manage: offers import", DE, lambda c: offers.offers_import(actor=DE, coalition=c, competition="C", data=b"offer\n", name="o.csv")),
    ("competition.manage: an offer", DE, lambda c: offers.offer_record(actor=DE, coalition=c, competition="C", fields={}, tiers=[])),
    ("competition.manage: supplier", DE, lambda c: offers.supplier_create(actor=DE, coalition=c, name="S", country="DE")),
    ("trial.record", DE, lambda c: offers.trial_record(actor=DE, coalition=c, supplier="S", category="fpv", outcome="passed", on=DAY, site="x")),
    ("offer.review: no member", AUDITOR, lambda c: offers.review_record(actor=AUDITOR, coalition=c, competition="C", offer="O", score=3)),
    ("offer.review: a candidate", TR, lambda c: offers.review_record(actor=TR, coalition=c, competition="C", offer="O", score=3)),
    ("competition.join: another's programme", DE, lambda c: competitions.competition_join(actor=DE, coalition=c, reference="C", fund_id=_programme(c).pk)),
    ("plan.build", DE, lambda c: plans.plan_build_submit(actor=DE, coalition=c, competitions=["C"])),
    ("plan.approve", DE, lambda c: orders.plan_approve(actor=DE, run_id=_run(c).pk)),
    ("order.manage: amend", DE, lambda c: order_changes.order_amend(actor=DE, coalition=c, reference="PO-1", reason="r", quantity=1)),
    ("order.manage: cancel", DE, lambda c: order_changes.order_cancel(actor=DE, coalition=c, reference="PO-1", reason="r")),
]  # fmt: skip


@pytest.mark.parametrize(("name", "actor", "call"), CASES, ids=[c[0] for c in CASES])
def test_the_check_refuses(demo: Coalition, name: str, actor: Actor, call: Callable) -> None:
    with pytest.raises((Forbidden, Unauthenticated, NotFound)):
        call(demo)


def test_a_restricted_list_hides_other_coalitions_runs(demo: Coalition) -> None:
    _run(demo)
    assert list(procurement.plan_run_list(actor=JP)) == []
    assert len(procurement.plan_run_list(actor=user_actor("delegate-de"))) == 1


def test_nothing_was_written_by_a_refused_call(demo: Coalition) -> None:
    before = Contribution.objects.count()
    with pytest.raises(Forbidden):
        contributions.pledges_import(actor=AUDITOR, coalition=demo, data=PLEDGE, name="p.csv")
    assert Contribution.objects.count() == before
