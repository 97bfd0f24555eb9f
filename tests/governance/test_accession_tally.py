"""The counting rules alone: unanimity, qualified majority at and under the threshold, quorum."""

from decimal import Decimal

import pytest

from coalition.governance.tally import (
    Rule,
    StillNeeded,
    Tally,
    approvals_required,
    outcome,
    still_needed,
    votes_required,
)

UNANIMITY = Rule("unanimity")
TWO_THIRDS = Rule("qualified-majority", threshold=Decimal("0.6667"), quorum=Decimal("0"))


def test_unanimity_needs_every_elector() -> None:
    assert approvals_required(UNANIMITY, 18) == 18
    assert outcome(UNANIMITY, Tally(18, 17, 0)) is None
    assert outcome(UNANIMITY, Tally(18, 18, 0)) == "approved"


def test_under_unanimity_the_first_reject_rejects() -> None:
    assert outcome(UNANIMITY, Tally(18, 0, 1)) == "rejected"
    assert outcome(UNANIMITY, Tally(18, 17, 1)) == "rejected"


def test_two_thirds_stored_as_0_6667_is_reached_by_exactly_two_thirds() -> None:
    # 12 / 18 = 0.66666…, which rounds to the stored threshold 0.6667.
    assert approvals_required(TWO_THIRDS, 18) == 12
    assert outcome(TWO_THIRDS, Tally(18, 12, 0)) == "approved"
    assert outcome(TWO_THIRDS, Tally(18, 11, 0)) is None
    assert outcome(TWO_THIRDS, Tally(18, 11, 7)) == "rejected"


def test_just_under_the_threshold_is_rejected_as_soon_as_it_is_certain() -> None:
    rule = Rule("qualified-majority", threshold=Decimal("0.75"))
    assert approvals_required(rule, 4) == 3  # 3/4 is exactly 0.75
    assert outcome(rule, Tally(4, 2, 1)) is None  # the last vote could still make 3/4
    assert outcome(rule, Tally(4, 2, 2)) == "rejected"  # 2/4 < 0.75 and no vote left
    assert outcome(rule, Tally(4, 1, 2)) == "rejected"  # 1 + 1 missing < 3: certain already


def test_the_quorum_counts_votes_cast_either_way() -> None:
    rule = Rule("qualified-majority", threshold=Decimal("0.5"), quorum=Decimal("0.8"))
    assert (approvals_required(rule, 5), votes_required(rule, 5)) == (3, 4)
    assert outcome(rule, Tally(5, 3, 0)) is None  # enough approvals, too few votes
    assert still_needed(rule, Tally(5, 3, 0)) == StillNeeded(approvals=0, votes=1)
    assert outcome(rule, Tally(5, 3, 1)) == "approved"  # a reject makes the quorum


def test_at_the_deadline_missing_votes_do_not_approve() -> None:
    rule = Rule("qualified-majority", threshold=Decimal("0.5"), quorum=Decimal("0.8"))
    assert outcome(rule, Tally(5, 3, 0), final=True) == "rejected"
    assert outcome(UNANIMITY, Tally(18, 17, 0), final=True) == "rejected"


@pytest.mark.parametrize("electorate", range(1, 40))
def test_a_decision_comes_exactly_when_it_is_certain(electorate: int) -> None:
    """Decided iff every way the vote can end (the missing electors all approve, all
    reject, or let the deadline pass) gives the same outcome."""
    for rule in (UNANIMITY, TWO_THIRDS, Rule("qualified-majority", Decimal("0.5"), Decimal("1"))):
        for approve in range(electorate + 1):
            for reject in range(electorate + 1 - approve):
                missing = electorate - approve - reject
                endings = {
                    outcome(rule, Tally(electorate, approve + missing, reject), final=True),
                    outcome(rule, Tally(electorate, approve, reject + missing), final=True),
                    outcome(rule, Tally(electorate, approve, reject), final=True),
                }
                result = outcome(rule, Tally(electorate, approve, reject))
                assert endings == {result} if result else len(endings) == 2
