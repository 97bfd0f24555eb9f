"""Reading the audit log as auditors do: filtered by actor, action, object and date, newest
first, a page at a time, or every matching event as CSV."""

import csv
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.errors import FilterInvalid
from coalition.audit.models import AuditEvent
from coalition.tabular import neutralise

CSV_COLUMNS = [
    "seq",
    "occurred_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "changes",
    "hash",
    "prev_hash",
    "signature",
]
SHOWN_CHARS = 300  # a change's value shown on the page; the CSV has it whole


@dataclass(frozen=True)
class LogFilters:
    """What the log is narrowed to; empty text and None filter nothing. Dates are whole
    days, both included, in the platform's time zone."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        for name in ("actor", "action", "object_type", "object_id"):
            if "\x00" in getattr(self, name):
                raise FilterInvalid(_("A filter cannot hold a NUL character."), field=name)
        if self.start is not None and self.end is not None and self.start > self.end:
            raise FilterInvalid(
                _("“From” (%(start)s) is after “until” (%(end)s).")
                % {"start": self.start.isoformat(), "end": self.end.isoformat()},
                field="from",
            )

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (the next page's link, the CSV link)."""
        values = asdict(self)
        query = {k: str(v) for k, v in values.items() if k not in ("start", "end") and v}
        if self.start is not None:
            query["from"] = self.start.isoformat()
        if self.end is not None:
            query["until"] = self.end.isoformat()
        return query


def day_parse(text: str | None, field: str) -> date | None:
    """A filter's date: empty is none; anything but an ISO date is refused, naming it."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterInvalid(
            _("“%(value)s” is not a date: give it as YYYY-MM-DD.") % {"value": text[:40]},
            field=field,
        ) from None


def log_filters(params: Any) -> LogFilters:
    """The filters of a request's query parameters (`from`, `until` as ISO dates)."""
    return LogFilters(
        actor=(params.get("actor") or "").strip(),
        action=(params.get("action") or "").strip(),
        object_type=(params.get("object_type") or "").strip(),
        object_id=(params.get("object_id") or "").strip(),
        start=day_parse(params.get("from"), "from"),
        end=day_parse(params.get("until"), "until"),
    )


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_log(*, actor: Actor, filters: LogFilters) -> QuerySet[AuditEvent]:
    """The events that match, newest first."""
    require(actor, "audit.view")
    events = AuditEvent.objects.order_by("-seq")
    exact = {
        "actor": filters.actor,
        "action": filters.action,
        "object_type": filters.object_type,
        "object_id": filters.object_id,
    }
    events = events.filter(**{k: v for k, v in exact.items() if v})
    if filters.start is not None:
        events = events.filter(occurred_at__gte=_midnight(filters.start))
    if filters.end is not None:
        events = events.filter(occurred_at__lt=_midnight(filters.end + timedelta(days=1)))
    return events


SUGGESTED_FROM = 5000  # the newest events whose actions and object types are suggested


def audit_log_choices(*, actor: Actor) -> dict[str, list[str]]:
    """The actions and object types of the newest events, to suggest in the filters (a
    hint only: any text filters; read from a bounded number of events, so the page costs
    the same on a long chain)."""
    require(actor, "audit.view")
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    newest = AuditEvent.objects.order_by().filter(seq__gt=last - SUGGESTED_FROM)
    pairs = set(newest.values_list("action", "object_type").distinct())
    return {
        "actions": sorted({action for action, _ in pairs}),
        "object_types": sorted({object_type for _, object_type in pairs}),
    }


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def change_items(changes: object) -> list[tuple[str, str]]:
    """An event's changes as key: value pairs to show; long values are cut with "…"."""
    if not isinstance(changes, dict):
        return [("", _text(changes))] if changes not in (None, "") else []
    items = []
    for key, value in changes.items():
        text = _text(value)
        if len(text) > SHOWN_CHARS:
            text = text[: SHOWN_CHARS - 1] + "…"
        items.append((str(key), text))
    return items


class _Echo:
    def write(self, value: str) -> str:
        return value


def log_csv(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """Every event of `events` as CSV lines, read in chunks (for a streamed download)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        row = [
            event.seq,
            event.occurred_at.isoformat(),
            event.actor,
            event.action,
            event.object_type,
            event.object_id,
            json.dumps(event.changes, ensure_ascii=False, sort_keys=True, default=str),
            event.hash,
            event.prev_hash,
            event.signature,
        ]
        yield writer.writerow([neutralise(v) for v in row])
