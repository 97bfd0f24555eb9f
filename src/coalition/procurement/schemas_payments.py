"""Input and output schemas of an order's inspections, payments and closing. Money is a
decimal string in the order's currency."""

import datetime

from ninja import Field, Schema

from coalition.schema_types import LongText, Reference, ShortText, Word


class InspectionIn(Schema):
    verdict: Word = Field(description="accepted or rejected")
    lot: Reference = Field("", description="a lot: its items still awaiting inspection")
    serials: list[Reference] | None = Field(
        None, max_length=10_000, description="or the serials of the order's items"
    )
    reason: Word = Field(
        "", description="a rejection's: damaged, failed-inspection, wrong-model, missing-parts"
    )
    note: LongText = ""
    date: datetime.date = Field(description="the day of the inspection")


class InspectionOut(Schema):
    id: int
    verdict: str
    reason: str
    note: str
    lot: str
    items: int = Field(description="items decided")
    serials: list[str]
    date: datetime.date


class PaymentIn(Schema):
    reference: Reference = Field(description="unique in the coalition; a replay is a no-op")
    amount: str = Field(max_length=30, description="a decimal in the order's currency")
    date: datetime.date = Field(description="the day the supplier was paid")
    note: LongText = ""


class PaidFromOut(Schema):
    fund: str
    category: str | None
    origin: str | None
    amount: str


class PaymentOut(Schema):
    reference: str
    amount: str
    currency: str
    date: datetime.date
    note: str
    transaction: str = Field(description="the ledger transaction (obligated -> paid)")
    paid_from: list[PaidFromOut]


class CloseIn(Schema):
    reason: ShortText
    date: datetime.date | None = Field(None, description="the closing day (default today)")
