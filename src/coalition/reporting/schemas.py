from datetime import date

from ninja import Schema


class FiguresOut(Schema):
    pledged: str
    committed: str
    disbursed: str


class MemberFiguresOut(FiguresOut):
    country: str


class ChannelFiguresOut(FiguresOut):
    channel: str


class CategoryFiguresOut(FiguresOut):
    category: str | None


class ReportedOut(Schema):
    kind: str
    year: int
    description: str
    amount: str | None
    currency: str
    approximate: bool
    as_of: date | None
    country: str | None
    channel: str | None
    category: str | None
    origin: str | None
    note: str
    source: str


class TotalsOut(Schema):
    year: int
    currency: str = "EUR"
    pledged: str
    committed: str
    disbursed: str
    by_member: list[MemberFiguresOut]
    by_channel: list[ChannelFiguresOut]
    by_category: list[CategoryFiguresOut]
    reported: list[ReportedOut]
