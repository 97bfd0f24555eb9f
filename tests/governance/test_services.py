import datetime as dt

import pytest

from coalition.audit.models import AuditEvent
from coalition.governance import selectors
from coalition.governance.errors import MembershipOverlap, UserUnknown
from coalition.governance.models import Country, Membership
from coalition.governance.selectors_tokens import user_for_token
from coalition.governance.services.coalitions import membership_end, membership_start
from coalition.governance.services.users import token_create
from tests.helpers import TEST

pytestmark = pytest.mark.django_db


def test_every_iso_country_is_there_from_pycountry(db: None) -> None:
    assert Country.objects.count() == 249
    assert Country.objects.get(code="TR").name == "Türkiye"
    assert Country.objects.get(code="UA").flag == "🇺🇦"


def test_a_role_cannot_be_held_twice_at_once(demo: object) -> None:
    coalition = selectors.coalition_get(slug="drone-coalition")
    before = AuditEvent.objects.count()
    with pytest.raises(MembershipOverlap, match="LV already holds the role 'member'"):
        membership_start(
            actor=TEST,
            coalition=coalition,
            country=Country.objects.get(code="LV"),
            role="member",
            start=dt.date(2025, 1, 1),
        )
    assert AuditEvent.objects.count() == before


def test_chair_on_a_date_follows_the_handover(demo: object) -> None:
    coalition = selectors.coalition_get(slug="drone-coalition")
    chair = Membership.objects.get(coalition=coalition, country="LV", role="chair")
    membership_end(actor=TEST, membership=chair, end=dt.date(2026, 1, 1))
    membership_start(
        actor=TEST,
        coalition=coalition,
        country=Country.objects.get(code="GB"),
        role="chair",
        start=dt.date(2026, 1, 1),
    )
    assert (
        selectors.role_holder_on(coalition=coalition, role="chair", on=dt.date(2025, 12, 31))
        == "LV"
    )
    assert (
        selectors.role_holder_on(coalition=coalition, role="chair", on=dt.date(2026, 1, 1)) == "GB"
    )


def test_a_membership_that_ends_no_longer_counts(demo: object) -> None:
    coalition = selectors.coalition_get(slug="drone-coalition")
    m = Membership.objects.get(coalition=coalition, country="NO", role="member")
    membership_end(actor=TEST, membership=m, end=dt.date(2026, 6, 1))
    assert selectors.is_member_on(coalition=coalition, country_code="NO", on=dt.date(2026, 5, 31))
    assert not selectors.is_member_on(
        coalition=coalition, country_code="NO", on=dt.date(2026, 6, 1)
    )


def test_tokens_are_stored_hashed_and_resolve_to_their_user(demo: object) -> None:
    token = token_create(actor=TEST, username="auditor")
    assert user_for_token(token=token).username == "auditor"
    from coalition.governance.models import ApiToken

    assert not ApiToken.objects.filter(digest=token).exists()
    assert user_for_token(token=token + "x") is None


def test_token_for_an_unknown_user_is_refused(db: None) -> None:
    with pytest.raises(UserUnknown, match="no user named 'ghost'"):
        token_create(actor=TEST, username="ghost")
