from datetime import date, datetime

from ninja import Schema


class SourceOut(Schema):
    key: str
    title: str
    publisher: str
    published: date | None
    url: str
    note: str


class CoalitionOut(Schema):
    slug: str
    name: str
    founded: date
    format: str
    accession_rule: str


class MemberOut(Schema):
    country: str
    name: str
    roles: list[str]
    since: date
    note: str = ""
    source: str | None = None


class CoalitionDetailOut(CoalitionOut):
    description: str
    majority_threshold: str
    quorum: str
    on: date
    chair: str | None
    fund_manager: str | None
    beneficiary: str | None
    members: list[MemberOut]
    source: SourceOut | None


class ApplicationOut(Schema):
    id: int
    country: str
    status: str
    submitted: date
    decided: date | None
    deadline: date | None
    letter_reference: str
    meeting: str | None


class VoteOut(Schema):
    country: str
    vote: str
    cast: datetime
    comment: str


class ApplicationDetailOut(ApplicationOut):
    electorate: list[str]
    votes: list[VoteOut]
