"""The days' heads: listed, exported (CSV, JSON) for the auditor to keep, and an earlier
export compared with the chain as it is now: a day whose head is no longer in the chain,
at its seq with its hash, no longer matches, however well the chain verifies."""

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.errors import HeadsFileInvalid
from coalition.audit.keys import configured_public_key, public_key_text
from coalition.audit.models import AuditDay, AuditEvent

DAY_COLUMNS = ["day", "seq", "events", "hash", "signature", "recorded_at", "recorded_by"]
MAX_DAYS = 100_000
_HASH = re.compile(r"[0-9a-f]{64}")


def audit_days(*, actor: Actor) -> QuerySet[AuditDay]:
    """The days' heads, newest first."""
    require(actor, "audit.view")
    return AuditDay.objects.order_by("-day")


def _row(day: AuditDay) -> dict[str, Any]:
    return {
        "day": day.day.isoformat(),
        "seq": day.seq,
        "events": day.events,
        "hash": day.hash,
        "signature": day.signature,
        "recorded_at": day.recorded_at.isoformat(),
        "recorded_by": day.recorded_by,
    }


def days_json(days: QuerySet[AuditDay]) -> str:
    """The export as JSON: the heads, and the public key their signatures check with."""
    key = configured_public_key()
    data = {
        "public_key": public_key_text(key).strip() if key is not None else None,
        "heads": [_row(day) for day in days],
    }
    return json.dumps(data, indent=1) + "\n"


def days_csv(days: QuerySet[AuditDay]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, DAY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for day in days:
        writer.writerow(_row(day))
    return out.getvalue()


@dataclass(frozen=True)
class ExportedHead:
    day: date
    seq: int
    hash: str


@dataclass(frozen=True)
class DayComparison:
    day: date
    seq: int
    exported: str  # the hash in the export
    now: str | None  # the chain's hash at that seq now; None: no such event
    matches: bool

    @property
    def problem(self) -> str:
        if self.matches:
            return ""
        if self.now is None:
            return _("event #%(seq)s is no longer in the chain") % {"seq": self.seq}
        return _("event #%(seq)s has another hash now: the chain was rewritten") % {"seq": self.seq}


@dataclass(frozen=True)
class Comparison:
    days: list[DayComparison]

    @property
    def matching(self) -> int:
        return sum(d.matches for d in self.days)

    @property
    def mismatches(self) -> list[DayComparison]:
        return [d for d in self.days if not d.matches]


def heads_compare(*, actor: Actor, name: str, data: bytes) -> Comparison:
    """An earlier export (JSON or CSV, as exported) against the chain as it is now."""
    require(actor, "audit.view")
    heads = heads_parse(name, data)
    seqs = {head.seq for head in heads}
    now: dict[int, str] = {}
    found = AuditEvent.objects.order_by().filter(seq__in=seqs).values_list("seq", "hash")
    for seq, digest in found.iterator(chunk_size=2000):
        now[seq] = digest
    return Comparison(
        [
            DayComparison(h.day, h.seq, h.hash, now.get(h.seq), now.get(h.seq) == h.hash)
            for h in sorted(heads, key=lambda h: h.day, reverse=True)
        ]
    )


def heads_parse(name: str, data: bytes) -> list[ExportedHead]:
    """The heads of an export: JSON `{"heads": [...]}` (or a bare list), or CSV with the
    columns day, seq and hash (others ignored). Refused whole, naming the row, when a
    head cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HeadsFileInvalid(_("%(file)s: not UTF-8 text") % {"file": name}) from None
    if not text.strip():
        raise HeadsFileInvalid(_("%(file)s: the file is empty") % {"file": name})
    if text.lstrip()[:1] in ("{", "["):
        rows = _json_rows(name, text)
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    if len(rows) > MAX_DAYS:
        raise HeadsFileInvalid(
            _("%(file)s: more than %(max)s heads") % {"file": name, "max": MAX_DAYS}
        )
    heads = [_head(name, number, row) for number, row in enumerate(rows, start=1)]
    if not heads:
        raise HeadsFileInvalid(_("%(file)s: no heads in the file") % {"file": name})
    return heads


def _json_rows(name: str, text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise HeadsFileInvalid(_("%(file)s: not JSON") % {"file": name}) from None
    rows = data.get("heads") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise HeadsFileInvalid(
            _("%(file)s: not an export of daily heads (no list of heads)") % {"file": name}
        )
    return rows


def _head(name: str, number: int, row: Any) -> ExportedHead:
    where = {"file": name, "row": number}
    if not isinstance(row, dict):
        raise HeadsFileInvalid(_("%(file)s row %(row)s: not a head") % where)
    try:
        day = date.fromisoformat(str(row.get("day") or ""))
    except ValueError:
        raise HeadsFileInvalid(_("%(file)s row %(row)s: day is not a date") % where) from None
    seq = row.get("seq")
    if isinstance(seq, str) and seq.strip().isdigit():
        seq = int(seq)
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2**63:
        raise HeadsFileInvalid(_("%(file)s row %(row)s: seq must be a whole number from 1") % where)
    digest = row.get("hash")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest):
        raise HeadsFileInvalid(_("%(file)s row %(row)s: hash must be 64 lower-case hex") % where)
    return ExportedHead(day, seq, digest)
