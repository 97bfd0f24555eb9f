from datetime import date
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

from coalition.schema_types import Reference, Word, clean_text


class StepOut(Schema):
    status: str
    date: date
    amount: str
    currency: str
    amount_eur: str | None
    implied: bool
    revision: int
    transaction: str


class ContributionOut(Schema):
    reference: str
    donor: str
    channel: str
    fund: str
    category: str | None
    origin: str | None
    status: str
    note: str
    source: str | None
    steps: list[StepOut]


class ContributionIn(Schema):
    reference: Reference
    date: date
    donor: Word
    channel: Word
    status: Word
    amount: Word
    currency: Word
    category: Annotated[str, Field(max_length=80), AfterValidator(clean_text)] = ""
    origin: Word = ""
    note: Annotated[str, Field(max_length=2000), AfterValidator(clean_text)] = ""


class ImportOut(Schema):
    file: str
    rows: int
    contributions: int
    steps: int
    changed: bool


class BalanceOut(Schema):
    category: str | None
    origin: str | None
    currency: str
    pledges: str
    commitments: str
    available: str
    obligated: str
    paid: str
    available_eur: str | None


class FundOut(Schema):
    id: int
    channel: str
    country: str | None
    name: str
    holder: str | None
    balances: list[BalanceOut]


class LedgerRowOut(Schema):
    date: date
    transaction: str
    kind: str
    memo: str
    account: str
    account_kind: str
    category: str | None
    origin: str | None
    amount: str
    currency: str


class RateOut(Schema):
    currency: str
    on: date
    rate: str
    rate_date: date
    amount: str | None = None
    eur: str | None = None
