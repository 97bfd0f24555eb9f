"""Writes of the finance domain: pledge files, single contributions, reported figures.
(Rates: `rates.py`; spending from funds: `funds.py`; the ledger store: `ledger/`.)"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from coalition.audit.services import Actor, audit_record
from coalition.errors import FileRejected, RowError
from coalition.finance import contributions, permissions, pledgefile
from coalition.finance.errors import ContributionInvalid, NotAllowed
from coalition.finance.models import Channel, Contribution, FigureKind, ReportedFigure
from coalition.finance.money import to_minor
from coalition.governance.models import Coalition, Country, Source


@dataclass
class ImportResult:
    rows: int
    contributions: int = 0
    steps: list[list[object]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.steps)


def _lock(coalition: Coalition) -> None:
    """One writer of a coalition's contributions at a time: two imports of the same file
    at once would otherwise both plan the same new contributions."""
    Coalition.objects.select_for_update().filter(pk=coalition.pk).first()


def _plan_all(
    *,
    coalition: Coalition,
    rows: list[pledgefile.PledgeRow],
    errors: list[RowError],
    file: str,
    scope: str | None,
) -> dict[str, contributions.State]:
    """Plan the rows that read well, and report their problems with the file's own."""
    try:
        states = contributions.plan(
            coalition=coalition, rows=rows, file=file, scope=scope, today=timezone.localdate()
        )
    except FileRejected as rejected:
        errors = errors + rejected.errors
    if errors:
        raise FileRejected(sorted(errors, key=lambda e: e.row or 0))
    return states


@transaction.atomic
def pledges_import(*, actor: Actor, coalition: Coalition, data: bytes, name: str) -> ImportResult:
    """Import a pledge file (CONTRACT.md), all or nothing; the same file twice is a no-op."""
    scope = permissions.entry_scope(actor, coalition)
    _lock(coalition)
    rows, errors = pledgefile.parse(data, name)
    states = _plan_all(coalition=coalition, rows=rows, errors=errors, file=name, scope=scope)
    result = ImportResult(rows=len(rows), contributions=len(states))
    if not states:
        return result
    result.steps = contributions.apply(coalition=coalition, states=states, file=name)
    audit_record(
        actor=actor,
        action="pledges.imported",
        object_type="coalition",
        object_id=coalition.slug,
        changes={
            "file": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(rows),
            "steps": result.steps,
        },
    )
    return result


@transaction.atomic
def contribution_record(
    *,
    actor: Actor,
    coalition: Coalition,
    reference: str,
    date: date | str,
    donor: str,
    channel: str,
    status: str,
    amount: Decimal | str,
    currency: str,
    category: str = "",
    origin: str = "",
    note: str = "",
    source: Source | None = None,
) -> Contribution:
    """Enter a contribution or its next step (or correct its current step) by hand; the
    same rules as a one-row pledge file. A delegation enters its own country's only.
    `source`: where the figure comes from (kept on the contribution)."""
    scope = permissions.entry_scope(actor, coalition)
    if scope is not None and str(donor).strip().upper() != scope:
        raise NotAllowed(f"your delegation may only enter contributions of {scope}")
    _lock(coalition)
    raw: dict[str, Any] = {
        "reference": reference,
        "date": date,
        "donor": donor,
        "channel": channel,
        "status": status,
        "amount": str(amount),
        "currency": currency,
        "category": category,
        "origin": origin,
        "note": note,
    }
    row, errors = pledgefile.check_row("form", 0, raw)
    states = _plan_all(
        coalition=coalition, rows=[row] if row else [], errors=errors, file="form", scope=scope
    )
    ref = str(reference).strip()
    sourced = (
        source is not None
        and not Contribution.objects.filter(
            coalition=coalition, reference=ref, source=source
        ).exists()
    )
    if states or sourced:
        steps = contributions.apply(coalition=coalition, states=states, file="form")
        if sourced:
            Contribution.objects.filter(coalition=coalition, reference=ref).update(source=source)
        audit_record(
            actor=actor,
            action="contribution.recorded",
            object_type="contribution",
            object_id=f"{coalition.slug}:{ref}",
            changes={"steps": steps, "source": source.key if source else None},
        )
    return Contribution.objects.get(coalition=coalition, reference=ref)


@transaction.atomic
def reported_figure_record(
    *,
    actor: Actor,
    coalition: Coalition,
    kind: str,
    year: int,
    description: str,
    source: Source,
    amount: Decimal | None = None,
    currency: str = "EUR",
    as_of: date | None = None,
    approximate: bool = False,
    country: Country | None = None,
    channel: str = "",
    category: str = "",
    origin: str = "",
    note: str = "",
) -> ReportedFigure:
    """A figure as a source reports it (e.g. a coalition total), kept with its source and
    shown beside the ledger's totals; `amount` None when the source gives none."""
    if kind not in FigureKind.values:
        raise ContributionInvalid(f"unknown kind of figure '{kind}'", field="kind")
    if channel and channel not in Channel.values:
        raise ContributionInvalid(f"unknown channel '{channel}'", field="channel")
    if amount is not None and amount <= 0:
        raise ContributionInvalid("a reported amount must be greater than zero", field="amount")
    figure = ReportedFigure.objects.create(
        coalition=coalition,
        kind=kind,
        year=year,
        as_of=as_of,
        amount_minor=None if amount is None else to_minor(amount, currency),
        currency=currency,
        approximate=approximate,
        country=country,
        channel=channel,
        category=category,
        origin=origin,
        description=description,
        note=note,
        source=source,
    )
    audit_record(
        actor=actor,
        action="figure.reported",
        object_type="reported-figure",
        object_id=figure.pk,
        changes={
            "coalition": coalition.slug,
            "kind": kind,
            "year": year,
            "amount": amount,
            "currency": currency,
            "country": country.code if country else None,
            "source": source.key,
        },
    )
    return figure
