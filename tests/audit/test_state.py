"""Attack report, defect 9 (state): a deleted ledger posting, edited votes, contribution
steps, balances and `is_superuser` all passed `audit verify`. Now verify compares what the
database holds with what the log says was written, and names what differs. Each edit is
made with raw SQL, as someone with database access would."""

import datetime as dt

import pytest
from django.db import connection

from coalition.audit.selectors import audit_verify
from coalition.finance.models import ContributionStep, Posting
from coalition.finance.services.contributions import pledges_import
from coalition.governance.models import Application, Coalition, Vote
from coalition.governance.services import accession
from tests.helpers import TEST

pytestmark = pytest.mark.django_db


def sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def attacker_drops_the_append_only_triggers() -> None:
    """What someone with database access does first (rolled back with the test)."""
    for table in ("finance_posting", "finance_ledgertransaction"):
        if connection.vendor == "postgresql":
            sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}", [])
        else:
            sql(f"DROP TRIGGER IF EXISTS {table}_no_update", [])


def _problems() -> tuple[str, ...]:
    return audit_verify().problems


@pytest.fixture
def voted(demo: Coalition) -> Vote:
    tr = Application.objects.get(coalition=demo, country="TR", status="pending")
    return accession.application_vote(
        actor=TEST,
        application=tr,
        vote="approve",
        country="GB",
        cast=dt.datetime(2025, 6, 2, tzinfo=dt.UTC),
    )


def test_the_demo_and_a_vote_verify(voted: Vote) -> None:
    assert audit_verify().ok, _problems()


def test_an_edited_vote_is_named(voted: Vote) -> None:
    sql("UPDATE governance_vote SET vote = 'reject' WHERE id = %s", [voted.pk])
    assert _problems() == (f"vote {voted.pk} (GB, event #{_seq('application.voted')}) was altered",)


def test_a_vote_inserted_behind_the_platform_is_named(voted: Vote) -> None:
    sql(
        'INSERT INTO governance_vote (application_id, country_id, vote, comment, "cast") '
        "VALUES (%s, 'DE', 'approve', '', %s)",
        [voted.application_id, dt.datetime(2025, 6, 3, tzinfo=dt.UTC)],
    )
    [problem] = _problems()
    assert problem.endswith("(DE) has no audit event")


def test_a_deleted_posting_is_named(demo: Coalition) -> None:
    posting = Posting.objects.order_by("id").last()
    assert posting is not None
    key = posting.transaction.idempotency_key
    attacker_drops_the_append_only_triggers()
    sql("DELETE FROM finance_posting WHERE id = %s", [posting.pk])
    problems = _problems()
    assert any(f"a posting of ledger transaction {key}" in p for p in problems), problems
    assert any(p.startswith("the balance of ") for p in problems), problems


def test_an_edited_posting_amount_is_named(demo: Coalition) -> None:
    posting = Posting.objects.order_by("id").first()
    assert posting is not None
    attacker_drops_the_append_only_triggers()
    sql("UPDATE finance_posting SET amount_minor = amount_minor * 10 WHERE id = %s", [posting.pk])
    problems = _problems()
    assert any(posting.transaction.idempotency_key in p and "was altered" in p for p in problems)


def test_an_edited_balance_is_named(demo: Coalition) -> None:
    sql(
        "UPDATE finance_accountbalance SET balance_minor = balance_minor + 100 "
        "WHERE id = (SELECT MIN(id) FROM finance_accountbalance)",
        [],
    )
    [problem] = _problems()
    assert problem.startswith("the balance of ") and "its postings sum to" in problem


def test_an_edited_contribution_step_is_named(demo: Coalition) -> None:
    data = (
        b"reference,date,donor,channel,status,amount,currency\n"
        b"DE-9,2025-03-03,DE,national,pledged,100.00,EUR\n"
    )
    pledges_import(actor=TEST, coalition=demo, data=data, name="p.csv")
    step = ContributionStep.objects.get(contribution__reference="DE-9")
    sql("UPDATE finance_contributionstep SET amount_minor = 1 WHERE id = %s", [step.pk])
    [problem] = _problems()
    assert problem == f"contribution DE-9 pledged (event #{_seq('pledges.imported')}) was altered"


def test_a_superuser_made_behind_the_platform_is_named(demo: Coalition) -> None:
    sql("UPDATE auth_user SET is_superuser = %s WHERE username = 'delegate-de'", [True])
    [problem] = _problems()
    assert problem.startswith("the rights of user delegate-de differ from event #")


def test_the_same_through_the_platform_verifies(demo: Coalition) -> None:
    """The rights changed through the admin's service are what the log holds."""
    from django.contrib.auth import get_user_model

    from coalition.governance.services.users import user_admin_save

    user = get_user_model().objects.get(username="delegate-de")
    user.is_superuser = True
    user_admin_save(actor=TEST, user=user, created=False, save_related=lambda: None)
    assert audit_verify().ok, _problems()


def _seq(action: str) -> int:
    from coalition.audit.models import AuditEvent

    return (
        AuditEvent.objects.filter(action=action).order_by("-seq").values_list("seq", flat=True)[0]
    )
