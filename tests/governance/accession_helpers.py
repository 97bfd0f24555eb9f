"""Builders shared by the accession tests: small coalitions, votes on given days."""

import datetime as dt

from coalition.governance import selectors
from coalition.governance.models import Application, Coalition, Country, Vote
from coalition.governance.services import accession
from coalition.governance.services.coalitions import coalition_create, membership_start
from tests.helpers import TEST

UTC = dt.UTC
ARTICLE_DAY = dt.date(2025, 5, 28)
DEMO_ELECTORATE = [
    "LV", "UA", "GB", "SE", "NL", "DE", "EE", "LT", "DK",
    "CA", "AU", "PL", "IT", "FR", "NZ", "CZ", "LU", "NO",
]  # fmt: skip


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def drone() -> Coalition:
    return selectors.coalition_get(slug="drone-coalition")


def pending_of(code: str, coalition: Coalition | None = None) -> Application:
    return Application.objects.get(
        coalition=coalition or drone(), country_id=code, status="pending"
    )


def small_coalition(
    *,
    members: list[str],
    rule: str = "unanimity",
    threshold: str = "1",
    quorum: str = "0",
    joined: dt.date = dt.date(2024, 1, 1),
    slug: str = "small",
) -> Coalition:
    coalition = coalition_create(
        actor=TEST,
        slug=slug,
        name=f"{slug} coalition",
        founded=joined,
        accession_rule=rule,
        majority_threshold=threshold,
        quorum=quorum,
    )
    for code in members:
        membership_start(
            actor=TEST, coalition=coalition, country=country(code), role="member", start=joined
        )
    return coalition


def apply(
    coalition: Coalition,
    code: str,
    *,
    submitted: dt.date = dt.date(2025, 1, 10),
    deadline: dt.date | None = None,
) -> Application:
    return accession.application_submit(
        actor=TEST,
        coalition=coalition,
        country=country(code),
        submitted=submitted,
        deadline=deadline,
    )


def vote(
    application: Application,
    code: str,
    choice: str = "approve",
    *,
    on: dt.date = dt.date(2025, 6, 2),
    comment: str = "",
) -> Vote:
    return accession.application_vote(
        actor=TEST,
        application=application,
        country=code,
        vote=choice,
        comment=comment,
        cast=at(on),
    )


def refreshed(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)
