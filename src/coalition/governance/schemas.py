from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from coalition.schema_types import Id, LongText, ShortText, Word, clean_text


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
    accession_vote_days: int | None = None
    ocid_prefix: str = ""
    confidential_prices: bool = False
    confidential_suppliers: bool = False
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


class VoteCastOut(VoteOut):
    application: int
    application_status: str = Field(description="the application's status after this vote")
    decided: date | None = Field(description="the decision date, when this vote decided it")


class MeetingRefOut(Schema):
    id: int
    date: date
    kind: str
    place: str
    title: str


class RuleOut(Schema):
    name: str = Field(description="`unanimity` or `qualified-majority`, frozen at submission")
    threshold: str = Field(description="fraction of the electorate that must approve")
    quorum: str = Field(description="fraction of the electorate that must vote")
    approvals_required: int
    votes_required: int


class TallyOut(Schema):
    electorate: int
    approve: int
    reject: int
    not_voted: int


class StillNeededOut(Schema):
    approvals: int = Field(description="more approvals that would approve (0 once decided)")
    votes: int = Field(description="more votes, either way, for the quorum")


class ApplicationDetailOut(ApplicationOut):
    letter_date: date | None
    note: str
    electorate: list[str]
    votes: list[VoteOut]
    rule: RuleOut
    tally: TallyOut
    still_needed: StillNeededOut
    decision_meeting: MeetingRefOut | None


class ApplicationIn(Schema):
    country: Word = Field(description="ISO 3166-1 alpha-2 code of the applying country")
    letter_reference: Annotated[str, Field(max_length=200), AfterValidator(clean_text)] = Field(
        "", description="chair only: the application letter's reference"
    )
    letter_date: date | None = Field(
        None, description="chair only: the letter's date (information only)"
    )
    deadline: date | None = Field(None, description="chair only: the end of the vote")
    note: LongText = ""


class VoteIn(Schema):
    vote: Literal["approve", "reject"]
    comment: LongText = ""


class MeetingIn(Schema):
    date: date
    kind: Literal["summit", "steering-committee", "udcg"]
    place: Annotated[str, Field(max_length=200), AfterValidator(clean_text)] = ""
    title: ShortText = ""


class DecisionIn(Schema):
    text: LongText = ""
    application: Id | None = Field(None, description="the application decided at the meeting")


class DecisionOut(Schema):
    id: int
    text: str
    application: int | None
    country: str | None
    status: str | None


class MeetingOut(MeetingRefOut):
    decisions: list[DecisionOut]


class CategoryOut(Schema):
    slug: str
    name_en: str
    name_fr: str
    name_uk: str
