"""Input and output schemas of the purchase API: requirements, competitions, offers,
suppliers, test results, reviews, plans built from the database, orders. Money is a
decimal string in the object's currency."""

from datetime import date, datetime

from ninja import Field, Schema

from coalition.schema_types import Code2, Code3, Id, LongText, Reference, ShortText, Word


class RequirementIn(Schema):
    reference: Reference
    category: Word
    quantity: int = Field(ge=1, le=10**9)
    weight: str = Field(max_length=30, description="value of one unit covered on time")
    needed_by: date
    priority: Word = Field("normal", description="critical, high or normal")
    note: LongText = ""


class RequirementOut(Schema):
    reference: str
    category: str
    quantity: int
    weight: str
    needed_by: date
    status: str = Field(description="open, ordered, partly-delivered or delivered")
    covered: int = Field(description="units on signed orders")
    priority: str
    note: str


class ImportOut(Schema):
    file: str
    rows: int
    created: list[str] = Field(description="the references created by this import")
    unchanged: int = Field(description="rows already recorded exactly so")


class CompetitionIn(Schema):
    reference: Reference
    category: Word
    budget: str = Field(max_length=30, description="a decimal amount in `currency`")
    currency: Code3
    bid_deadline: date = Field(description="the last day offers are received")
    trial_quantity: int = Field(
        0, ge=0, le=10**9, description="the most an untested supplier may be ordered"
    )
    draft: bool = Field(False, description="create it as a draft, not yet open to offers")


class CompetitionOut(Schema):
    reference: str
    category: str
    budget: str
    currency: str
    bid_deadline: date
    status: str = Field(description="draft, open, closed, awarded or cancelled")
    trial_quantity: int
    offers: int
    programmes: list[str] = Field(description="the funds of programmes that joined")


class MoveIn(Schema):
    move: Word = Field(description="open, close or cancel")
    note: ShortText = ""


class JoinIn(Schema):
    fund: Id = Field(description="the id of a national or industry programme's fund")


class JoinOut(Schema):
    competition: str
    fund: str
    joined_at: datetime


class TierIO(Schema):
    min_quantity: int = Field(ge=1, le=10**9)
    unit_price: str = Field(max_length=30)


class OfferIn(Schema):
    offer: Reference
    supplier: ShortText
    supplier_country: Code2
    origin: Code2
    currency: Code3
    capacity_per_30_days: int = Field(ge=1, le=10**9)
    lead_time_days: int = Field(ge=0, le=36500)
    valid_until: date | None = None
    tiers: list[TierIO] = Field(min_length=1, max_length=100)


class ReviewOut(Schema):
    country: str
    score: int
    comment: str
    reviewed_at: datetime


class OfferOut(Schema):
    reference: str
    supplier: str
    supplier_country: str
    origin: str
    currency: str
    capacity_per_30_days: int
    lead_time_days: int
    valid_until: date | None
    received_on: date
    tiers: list[TierIO]
    tested: bool = Field(description="its supplier passed the category's testing gate")
    reviews: list[ReviewOut]


class ReviewIn(Schema):
    score: int = Field(description="1 to 5")
    comment: LongText = ""


class SupplierIn(Schema):
    name: ShortText
    country: Code2
    registration_number: ShortText = ""
    contact: ShortText = ""


class SupplierOut(Schema):
    name: str
    country: str
    registration_number: str


class TrialIn(Schema):
    supplier: ShortText
    category: Word
    outcome: Word = Field(description="passed or failed")
    date: date
    site: ShortText
    note: LongText = ""


class TrialOut(Schema):
    supplier: str
    category: str
    outcome: str
    date: date
    site: str
    note: str


class BuildIn(Schema):
    competitions: list[Reference] = Field(min_length=1, max_length=50)
    requirements: list[Reference] | None = Field(
        None, max_length=10_000, description="default: every open requirement"
    )
    on: date | None = Field(None, description="the day of the balances (default: today)")
    time_limit: float = Field(30.0, gt=0, le=600)
    name: ShortText = ""


class ApproveIn(Schema):
    on: date | None = Field(None, description="the day the orders are signed (default: today)")


class OrderOut(Schema):
    reference: str
    supplier: str
    category: str
    quantity: int
    amount: str
    currency: str
    status: str = Field(description="signed, cancelled or closed")
    delivered: int = Field(description="items delivered (rejected ones included)")
    accepted: int = Field(description="items accepted by the beneficiary")
    rejected: int = Field(description="items rejected by the beneficiary")
    paid: str = Field(description="amount paid to the supplier")


class LineOut(Schema):
    requirement: str
    quantity: int
    due: date


class FundingOut(Schema):
    fund: str
    category: str | None
    origin: str | None
    amount: str
    currency: str
    obligation: str = Field(description="the ledger transaction that obligates it")


class RevisionOut(Schema):
    number: int
    status: str
    quantity: int
    amount: str
    reason: str
    created_at: datetime


class OrderDetailOut(OrderOut):
    offer: str
    competition: str
    unit_price: str
    signed_on: date
    plan_run: int
    revision: int
    closed_on: date | None = None
    lines: list[LineOut]
    fundings: list[FundingOut]
    revisions: list[RevisionOut]


class AmendIn(Schema):
    reason: ShortText
    quantity: int | None = Field(None, ge=1, le=10**9, description="a lower quantity")
    schedule: dict[Reference, date] | None = Field(
        None, description="new due dates by requirement reference"
    )


class CancelIn(Schema):
    reason: ShortText
