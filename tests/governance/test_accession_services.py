"""The accession procedure through its services, on the drone coalition demo and on small
coalitions built for one rule each."""

import datetime as dt

import pytest
from django.utils import timezone

from coalition.audit.models import AuditEvent
from coalition.audit.selectors import audit_verify
from coalition.errors import Forbidden
from coalition.governance import selectors
from coalition.governance.errors import (
    AlreadyVoted,
    ApplicationConflict,
    ApplicationDecided,
    InvalidApplication,
    NotAllowed,
    NotAnElector,
)
from coalition.governance.models import Application, Membership
from coalition.governance.services import accession
from coalition.governance.services.coalitions import membership_end, membership_start
from tests.governance.accession_helpers import (
    ARTICLE_DAY,
    DEMO_ELECTORATE,
    apply,
    country,
    drone,
    pending_of,
    refreshed,
    small_coalition,
    vote,
)
from tests.helpers import TEST, user_actor

pytestmark = pytest.mark.django_db
JUNE_2 = dt.date(2025, 6, 2)


def members(on: dt.date, code: str = "TR") -> bool:
    return selectors.is_member_on(coalition=drone(), country_code=code, on=on)


def candidates(on: dt.date) -> list[str]:
    return selectors.role_holders_on(coalition=drone(), role="candidate", on=on)


# Unanimity, on the demo: 18 members vote on Türkiye's application of 28 May 2025.


def test_the_demo_applications_have_the_18_members_as_electorate(demo: object) -> None:
    tr = pending_of("TR")
    assert sorted(c.code for c in tr.electorate.all()) == sorted(DEMO_ELECTORATE)
    assert tr.rule == "unanimity"
    assert candidates(ARTICLE_DAY) == ["BE", "TR"]


def test_unanimity_approves_on_the_last_approval(demo: object) -> None:
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE[:-1]:
        vote(tr, code)
        assert refreshed(tr).status == "pending"
    ballot = vote(tr, DEMO_ELECTORATE[-1])
    assert ballot.application.status == "approved"
    assert refreshed(tr).decided == JUNE_2


def test_unanimity_rejects_on_the_first_reject(demo: object) -> None:
    tr = pending_of("TR")
    vote(tr, "GB")
    vote(tr, "SE", "reject", comment="not yet")
    tr = refreshed(tr)
    assert (tr.status, tr.decided) == ("rejected", JUNE_2)
    with pytest.raises(ApplicationDecided, match=f"application {tr.pk} is already rejected"):
        vote(tr, "LV")


def test_approval_makes_the_candidate_a_member_from_the_decision_date(demo: object) -> None:
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE:
        vote(tr, code)
    assert members(JUNE_2) and not members(JUNE_2 - dt.timedelta(days=1))
    assert candidates(JUNE_2 - dt.timedelta(days=1)) == ["BE", "TR"]
    assert candidates(JUNE_2) == ["BE"]
    row = Membership.objects.get(coalition=drone(), country="TR", role="member")
    assert (row.start, row.end, row.note) == (JUNE_2, None, f"admitted on application #{tr.pk}")
    on_day = selectors.members_on(coalition=drone(), on=JUNE_2)
    assert len(on_day) == 19 and "TR" in {m.country.code for m in on_day}


def test_the_new_member_votes_on_later_applications_not_on_pending_ones(demo: object) -> None:
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE:
        vote(tr, code)
    with pytest.raises(NotAnElector, match="TR was not a member of drone-coalition on 2025-05-28"):
        vote(pending_of("BE"), "TR")
    jp = accession.application_submit(
        actor=TEST, coalition=drone(), country=country("JP"), submitted=dt.date(2025, 6, 3)
    )
    assert "TR" in {c.code for c in jp.electorate.all()}
    vote(jp, "TR", on=dt.date(2025, 6, 4))


# Qualified majority: a coalition of 6 with a two-thirds threshold, and one of 5 with a quorum.

SIX = ["AT", "BG", "HR", "CY", "FI", "GR"]


def test_qualified_majority_approves_exactly_at_the_threshold(db: None) -> None:
    coalition = small_coalition(members=SIX, rule="qualified-majority", threshold="0.6667")
    application = apply(coalition, "IE")
    vote(application, "AT", "reject")
    vote(application, "BG", "reject")
    for code in ["HR", "CY", "FI"]:
        vote(application, code)
        assert refreshed(application).status == "pending"
    vote(application, "GR")  # 4 of 6 = two thirds
    assert refreshed(application).status == "approved"


def test_qualified_majority_rejects_just_under_the_threshold(db: None) -> None:
    coalition = small_coalition(members=SIX, rule="qualified-majority", threshold="0.6667")
    application = apply(coalition, "IE")
    for code in ["AT", "BG", "HR"]:
        vote(application, code)
    vote(application, "CY", "reject")
    vote(application, "FI", "reject")
    assert refreshed(application).status == "pending"  # GR could still make 4 of 6
    vote(application, "GR", "reject")  # 3 of 6 = one half, under two thirds
    assert refreshed(application).status == "rejected"


def test_two_thirds_of_the_18_demo_members_is_12(demo: object) -> None:
    coalition = drone()
    coalition.accession_rule, coalition.majority_threshold = "qualified-majority", "0.6667"
    coalition.save()
    jp = apply(coalition, "JP", submitted=ARTICLE_DAY)
    for code in DEMO_ELECTORATE[:11]:
        vote(jp, code)
    for code in DEMO_ELECTORATE[11:17]:
        vote(jp, code, "reject")
    assert refreshed(jp).status == "pending"
    vote(jp, DEMO_ELECTORATE[17])
    assert refreshed(jp).status == "approved"
    nz = apply(coalition, "KR", submitted=ARTICLE_DAY)
    for code in DEMO_ELECTORATE[:7]:
        vote(nz, code, "reject")
    assert refreshed(nz).status == "rejected"  # 11 approvals at most: under two thirds


def test_the_quorum_must_be_met_before_approval(db: None) -> None:
    coalition = small_coalition(
        members=SIX[:5], rule="qualified-majority", threshold="0.5", quorum="0.8"
    )
    application = apply(coalition, "IE")
    for code in ["AT", "BG", "HR"]:
        vote(application, code)
    assert refreshed(application).status == "pending"  # 3 of 5 approve, 3 of 5 voted < 80 %
    vote(application, "CY", "reject")  # a reject completes the quorum
    assert refreshed(application).status == "approved"


def test_the_rule_is_frozen_at_submission(db: None) -> None:
    coalition = small_coalition(members=SIX, rule="qualified-majority", threshold="0.5")
    application = apply(coalition, "IE")
    coalition.accession_rule = "unanimity"
    coalition.save()
    for code in ["AT", "BG", "HR"]:
        vote(application, code)
    assert refreshed(application).status == "approved"


# Deadline


def test_at_the_deadline_missing_votes_count_as_not_approving(db: None) -> None:
    coalition = small_coalition(members=SIX[:5], rule="qualified-majority", threshold="0.5")
    application = apply(coalition, "IE", deadline=dt.date(2025, 1, 31))
    vote(application, "AT", on=dt.date(2025, 1, 20))
    vote(application, "BG", on=dt.date(2025, 1, 31))  # the deadline day still counts
    assert accession.applications_close_expired(actor=TEST, today=dt.date(2025, 1, 31)) == []
    before = AuditEvent.objects.count()
    [closed] = accession.applications_close_expired(actor=TEST, today=dt.date(2025, 2, 14))
    assert (closed.status, closed.decided) == ("rejected", dt.date(2025, 1, 31))
    event = AuditEvent.objects.get(seq=before + 1)
    assert (event.action, event.object_id, AuditEvent.objects.count()) == (
        "application.closed",
        str(application.pk),
        before + 1,
    )
    assert event.changes["decision"]["tally"] == {"electorate": 5, "approve": 2, "reject": 0}
    assert accession.applications_close_expired(actor=TEST, today=dt.date(2025, 2, 15)) == []


def test_a_vote_after_the_deadline_is_refused(db: None) -> None:
    coalition = small_coalition(members=SIX)
    application = apply(coalition, "IE", deadline=dt.date(2025, 1, 31))
    with pytest.raises(ApplicationDecided, match="closed on 2025-01-31"):
        vote(application, "AT", on=dt.date(2025, 2, 1))
    assert refreshed(application).votes.count() == 0


def test_the_coalition_s_voting_period_sets_the_deadline(db: None) -> None:
    coalition = small_coalition(members=SIX)
    coalition.accession_vote_days = 30
    coalition.save()
    assert apply(coalition, "IE").deadline == dt.date(2025, 2, 9)


def test_close_expired_command(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    from coalition.cli import main

    coalition = small_coalition(members=SIX)
    application = apply(coalition, "IE", deadline=dt.date(2025, 1, 31))
    assert main(["accession", "close-expired"]) == 0
    out = capsys.readouterr().out
    assert f"application {application.pk} (IE → small): rejected on 2025-01-31" in out
    assert "1 expired application(s) closed" in out
    assert main(["accession", "close-expired", "--today", "31/01/2025"]) == 2


# Withdrawal, re-application, who may apply


def test_a_candidate_withdraws_and_its_candidacy_ends(demo: object) -> None:
    tr = accession.application_withdraw(actor=TEST, application=pending_of("TR"), on=JUNE_2)
    assert (tr.status, tr.decided) == ("withdrawn", JUNE_2)
    assert candidates(JUNE_2) == ["BE"]
    with pytest.raises(ApplicationDecided):
        vote(tr, "LV")
    with pytest.raises(ApplicationDecided):
        accession.application_withdraw(actor=TEST, application=tr)


def test_a_rejected_country_may_apply_again(demo: object) -> None:
    first = pending_of("TR")
    vote(first, "GB", "reject")
    second = apply(drone(), "TR", submitted=dt.date(2025, 9, 1))
    assert second.pk != first.pk and second.status == "pending"
    assert candidates(dt.date(2025, 8, 31)) == ["BE"]
    assert candidates(dt.date(2025, 9, 1)) == ["BE", "TR"]
    vote(second, "GB", on=dt.date(2025, 9, 2))


def test_withdrawn_then_reapplied_on_the_same_day(db: None) -> None:
    coalition = small_coalition(members=SIX)
    day = dt.date(2025, 3, 1)
    first = apply(coalition, "IE", submitted=day)
    accession.application_withdraw(actor=TEST, application=first, on=day)
    second = apply(coalition, "IE", submitted=day)
    rows = Membership.objects.filter(coalition=coalition, country="IE", role="candidate")
    assert [(r.start, r.end) for r in rows] == [(day, None)]
    assert second.status == "pending"


def test_one_pending_application_per_country(demo: object) -> None:
    with pytest.raises(ApplicationConflict, match="TR already has a pending application"):
        apply(drone(), "TR", submitted=JUNE_2)


def test_a_member_cannot_apply(demo: object) -> None:
    with pytest.raises(NotAllowed, match="GB is already a member of drone-coalition"):
        apply(drone(), "GB", submitted=JUNE_2)


def test_bad_dates_are_refused(demo: object) -> None:
    with pytest.raises(InvalidApplication, match="deadline is before"):
        apply(drone(), "JP", submitted=JUNE_2, deadline=dt.date(2025, 6, 1))
    with pytest.raises(InvalidApplication, match="in the future"):
        apply(drone(), "JP", submitted=dt.date(2999, 1, 1))
    with pytest.raises(InvalidApplication, match="a vote cannot precede"):
        vote(pending_of("TR"), "GB", on=dt.date(2025, 5, 1))


def test_the_chair_records_a_letter_application(demo: object) -> None:
    jp = accession.application_submit(
        actor=user_actor("delegate-lv"),
        coalition=drone(),
        country=country("JP"),
        letter_reference="JP-MOD/2025/117",
        letter_date=dt.date(2025, 6, 10),
    )
    today = timezone.localdate()
    assert (jp.submitted, jp.letter_date) == (today, dt.date(2025, 6, 10))
    assert jp.letter_reference == "JP-MOD/2025/117"
    assert jp.electorate.count() == 18


def test_a_backdated_letter_does_not_choose_the_electorate(demo: object) -> None:
    """Attack report, defect 10: a letter dated on the founding day froze the 9 members of
    that day as the voters. The electorate is the members of the day it is recorded."""
    jp = accession.application_submit(
        actor=user_actor("delegate-lv"),
        coalition=drone(),
        country=country("JP"),
        letter_reference="JP-MOD/2024/1",
        letter_date=dt.date(2024, 2, 14),
    )
    assert jp.submitted == timezone.localdate()
    assert sorted(jp.electorate.values_list("code", flat=True)) == sorted(DEMO_ELECTORATE)


def test_only_a_data_loader_records_an_application_on_an_earlier_day(demo: object) -> None:
    with pytest.raises(Forbidden) as refused:
        accession.application_submit(
            actor=user_actor("delegate-lv"),
            coalition=drone(),
            country=country("JP"),
            submitted=dt.date(2024, 2, 14),
        )
    assert refused.value.code == "application.backdate.forbidden"
    assert not Application.objects.filter(country="JP").exists()


# The frozen electorate and every forbidden voter


def test_a_member_joining_after_submission_has_no_vote(demo: object) -> None:
    membership_start(
        actor=TEST, coalition=drone(), country=country("JP"), role="member", start=JUNE_2
    )
    with pytest.raises(NotAnElector, match="JP was not a member"):
        vote(pending_of("TR"), "JP", on=dt.date(2025, 6, 3))


def test_a_member_leaving_after_submission_still_votes(demo: object) -> None:
    no = Membership.objects.get(coalition=drone(), country="NO", role="member")
    membership_end(actor=TEST, membership=no, end=JUNE_2)
    assert vote(pending_of("TR"), "NO", on=dt.date(2025, 6, 3)).country_id == "NO"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("TR", "TR is the candidate and does not vote on its application"),
        ("BE", "BE was not a member"),  # the other candidate
        ("US", "US was not a member"),  # never a member
    ],
)
def test_forbidden_voters(demo: object, code: str, message: str) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(NotAnElector, match=message):
        vote(pending_of("TR"), code)
    assert AuditEvent.objects.count() == before


def test_one_vote_each(demo: object) -> None:
    tr = pending_of("TR")
    vote(tr, "GB")
    with pytest.raises(AlreadyVoted, match=f"GB has already voted on application {tr.pk}"):
        vote(tr, "GB", "reject")
    assert tr.votes.count() == 1


def test_an_unknown_choice_is_refused(demo: object) -> None:
    with pytest.raises(InvalidApplication, match="not 'abstain'"):
        vote(pending_of("TR"), "GB", "abstain")


# The audit trail


def test_every_action_writes_one_event_and_the_chain_verifies(demo: object) -> None:
    coalition = drone()
    start = AuditEvent.objects.count()
    jp = apply(coalition, "JP", submitted=JUNE_2)
    vote(jp, "GB", "reject", on=JUNE_2)
    jp2 = apply(coalition, "JP", submitted=dt.date(2025, 7, 1))
    accession.application_withdraw(actor=TEST, application=jp2, on=dt.date(2025, 7, 2))
    tr = pending_of("TR")
    for code in DEMO_ELECTORATE:
        vote(tr, code)
    events = list(AuditEvent.objects.filter(seq__gt=start).order_by("seq"))
    assert [e.action for e in events] == [
        "application.submitted",
        "application.voted",
        "application.submitted",
        "application.withdrawn",
        *["application.voted"] * 18,
    ]
    assert events[1].changes["decision"]["status"] == "rejected"
    assert events[1].changes["decision"]["candidate_role"]["removed"] is True
    assert [e.changes["decision"] for e in events[4:-1]] == [None] * 17
    last = events[-1].changes
    assert (last["country"], last["choice"]) == ("NO", "approve")
    assert last["decision"]["status"] == "approved"
    assert last["decision"]["decided"] == "2025-06-02"
    assert last["decision"]["member_role"]["start"] == "2025-06-02"
    assert last["decision"]["candidate_role"]["end"] == "2025-06-02"
    assert events[0].changes["electorate"] == sorted(DEMO_ELECTORATE)
    report = audit_verify()
    assert report.ok, report.problem


def test_a_refused_action_writes_nothing(demo: object) -> None:
    before = AuditEvent.objects.count()
    for attempt in [
        lambda: apply(drone(), "GB", submitted=JUNE_2),
        lambda: apply(drone(), "TR", submitted=JUNE_2),
        lambda: vote(pending_of("TR"), "TR"),
    ]:
        with pytest.raises(Exception):  # noqa: B017 - each raises its own domain error
            attempt()
    assert AuditEvent.objects.count() == before
    assert Membership.objects.filter(country="GB", role="candidate").count() == 0


def test_only_the_worker_or_an_admin_closes_expired_votes_even_when_none_is_due(
    demo: object,
) -> None:
    with pytest.raises(Forbidden) as refused:
        accession.applications_close_expired(actor=user_actor("delegate-lv"))
    assert refused.value.code == "accession.close_expired.forbidden"
