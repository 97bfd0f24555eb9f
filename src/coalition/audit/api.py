"""Thin REST router of the audit log, for auditors and admins: the events (filtered,
newest first, a page at a time), verifying the chain, the days' heads and comparing an
earlier export of them with the chain."""

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, UploadedFile
from pydantic import ConfigDict, Field

from coalition.access.actor import actor_of
from coalition.audit.selectors_days import audit_days, days_csv, days_json, heads_compare
from coalition.audit.selectors_log import LogFilters, audit_log
from coalition.audit.services_days import audit_chain_verify

router = Router(tags=["audit"])

MAX_PAGE = 1000
MAX_SEQ = 2**63 - 1  # the database's largest integer


class EventOut(Schema):
    seq: int
    occurred_at: datetime
    actor: str = Field(description="username, or a system actor's name")
    action: str
    object_type: str
    object_id: str
    changes: dict[str, Any]
    hash: str
    prev_hash: str
    signature: str


class EventsPage(Schema):
    count: int = Field(description="all the events that match the filters")
    events: list[EventOut] = Field(description="newest first")
    next: str | None = Field(description="the next page, while there is one")


class EventsQuery(Schema):
    model_config = ConfigDict(populate_by_name=True)

    actor: str = Field("", description="the username (exact)")
    action: str = Field("", description="e.g. application.voted (exact)")
    object_type: str = Field("", description="exact")
    object_id: str = Field("", description="exact")
    from_: date | None = Field(None, alias="from", description="from this day (included)")
    until: date | None = Field(None, description="until this day (included)")
    before: int | None = Field(
        None, ge=1, le=MAX_SEQ, description="the last seq of the previous page"
    )
    limit: int = Field(100, ge=1, le=MAX_PAGE)


@router.get(
    "/audit/events",
    response=EventsPage,
    summary="The audit log, newest first, a page at a time (auditors and admins)",
)
def audit_events(request: HttpRequest, query: Query[EventsQuery]) -> EventsPage:  # type: ignore[type-arg]
    filters = LogFilters(
        actor=query.actor.strip(),
        action=query.action.strip(),
        object_type=query.object_type.strip(),
        object_id=query.object_id.strip(),
        start=query.from_,
        end=query.until,
    )
    found = audit_log(actor=actor_of(request), filters=filters)
    page = found.filter(seq__lt=query.before) if query.before else found
    events = list(page[: query.limit + 1])
    more = len(events) > query.limit
    events = events[: query.limit]
    next_url = None
    if more:
        params = filters.as_query() | {"before": str(events[-1].seq), "limit": str(query.limit)}
        next_url = "/api/v1/audit/events?" + urlencode(params)
    return EventsPage(
        count=found.count(),
        events=[
            EventOut(
                seq=e.seq,
                occurred_at=e.occurred_at,
                actor=e.actor,
                action=e.action,
                object_type=e.object_type,
                object_id=e.object_id,
                changes=e.changes if isinstance(e.changes, dict) else {"value": e.changes},
                hash=e.hash,
                prev_hash=e.prev_hash,
                signature=e.signature,
            )
            for e in events
        ],
        next=next_url,
    )


class VerifyOut(Schema):
    intact: bool
    events: int = Field(description="the events walked intact, from the first")
    seq: int | None = Field(description="the last of them")
    head: str | None = Field(description="its hash")
    problems: list[str] = Field(
        description="where the chain broke: the first event "
        "altered, removed or inserted, then what else does not hold"
    )
    day_recorded: date | None = Field(description="the day whose head this recorded")


@router.post(
    "/audit/verify",
    response=VerifyOut,
    summary="Verify the audit chain, and record the check (auditors and admins)",
    description="Walks the chain as `coalition audit verify` does, with the days' heads "
    "kept so far as heads it must hold. Records one `audit.verified` event; an intact "
    "chain's head becomes the day's head.",
)
def audit_verify_now(request: HttpRequest) -> VerifyOut:
    result = audit_chain_verify(actor=actor_of(request))
    return VerifyOut(
        intact=result.intact,
        events=result.events,
        seq=result.seq,
        head=result.head,
        problems=list(result.problems),
        day_recorded=result.day.day if result.day else None,
    )


@router.get(
    "/audit/heads",
    summary="The days' heads, to keep (JSON; `format=csv`: CSV)",
    response={200: dict[str, Any]},
)
def audit_heads(request: HttpRequest, format: str = "json") -> HttpResponse:
    days = audit_days(actor=actor_of(request))
    if format == "csv":
        response = HttpResponse(days_csv(days), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-heads.csv"'
        return response
    response = HttpResponse(days_json(days), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="audit-heads.json"'
    return response


class DayComparisonOut(Schema):
    day: date
    seq: int
    exported: str = Field(description="the hash in the export")
    now: str | None = Field(description="the chain's hash at that seq now (null: none)")
    problem: str


class ComparisonOut(Schema):
    days: int
    matching: int
    mismatches: list[DayComparisonOut] = Field(description="the days that no longer match")


@router.post(
    "/audit/heads/compare",
    response=ComparisonOut,
    summary="Compare an earlier export of the days' heads with the chain now",
    description="Multipart `file`: the JSON or CSV of `GET /audit/heads`. A day whose head "
    "is no longer in the chain at its seq with its hash no longer matches.",
)
def audit_heads_compare(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
) -> ComparisonOut:
    result = heads_compare(actor=actor_of(request), name=file.name or "heads", data=file.read())
    return ComparisonOut(
        days=len(result.days),
        matching=result.matching,
        mismatches=[
            DayComparisonOut(
                day=d.day, seq=d.seq, exported=d.exported, now=d.now, problem=d.problem
            )
            for d in result.mismatches
        ],
    )
