"""Contributions: pledge files, single contributions entered by hand, and figures as
sources report them. A pledge file is read and checked row by row before the write
transaction opens; the write itself is one short transaction that locks the coalition,
drafts what the rows change (contribution_changes.py) against the stored state, and writes
contribution rows, status steps and their ledger transactions."""

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.errors import FileRejected, Message, RowError, _
from coalition.finance import pledgefile
from coalition.finance.contribution_changes import ContributionDraft, changes_from_rows
from coalition.finance.errors import ContributionInvalid, InsufficientFunds, NotAllowed
from coalition.finance.ledger import core, store
from coalition.finance.models import (
    AccountKind,
    Channel,
    Contribution,
    ContributionStep,
    FigureKind,
    Fund,
    ReportedFigure,
)
from coalition.finance.money import from_minor, to_minor
from coalition.finance.selectors import EntryScope, entry_scope, rate_book
from coalition.finance.services.funds import AccountSpec, accounts_ensure, fund_get_or_create
from coalition.governance.models import Coalition, Country, Source

# The donor's account and the fund's account each status step moves money between.
STEP_ACCOUNTS = {
    "pledged": (AccountKind.PLEDGED, AccountKind.PLEDGES),
    "committed": (AccountKind.COMMITTED, AccountKind.COMMITMENTS),
    "disbursed": (AccountKind.DISBURSED, AccountKind.AVAILABLE),
}


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
    at once would otherwise both draft the same new contributions."""
    Coalition.objects.select_for_update().filter(pk=coalition.pk).first()


def _drafts(
    *,
    coalition: Coalition,
    rows: list[pledgefile.PledgeRow],
    errors: list[RowError],
    file: str,
    scope: EntryScope,
) -> dict[str, ContributionDraft]:
    """Draft the rows that read well, and report their problems with the file's own."""
    today = timezone.localdate()
    book = rate_book({r.currency for r in rows}, start=min((r.date for r in rows), default=today))
    try:
        drafts = changes_from_rows(
            coalition=coalition, rows=rows, file=file, scope=scope, today=today, book=book
        )
    except FileRejected as rejected:
        errors = errors + rejected.errors
    if errors:
        raise FileRejected(sorted(errors, key=lambda e: e.row or 0))
    return drafts


def _digest(data: bytes | IO[bytes]) -> str:
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    data.seek(0)
    for chunk in iter(lambda: data.read(1 << 20), b""):
        digest.update(chunk)
    data.seek(0)
    return digest.hexdigest()


def pledges_import(
    *, actor: Actor, coalition: Coalition, data: bytes | IO[bytes], name: str
) -> ImportResult:
    """Import a pledge file (docs/CONTRACT.md), all or nothing; the same file twice is a no-op.
    `data`: the file's bytes or a binary file (read as a stream)."""
    scope = entry_scope(actor=actor, coalition=coalition)
    digest = _digest(data)
    rows, errors = pledgefile.parse(data, name)
    return _pledges_write(
        actor=actor,
        coalition=coalition,
        rows=rows,
        errors=errors,
        name=name,
        digest=digest,
        scope=scope,
    )


@transaction.atomic
def _pledges_write(
    *,
    actor: Actor,
    coalition: Coalition,
    rows: list[pledgefile.PledgeRow],
    errors: list[RowError],
    name: str,
    digest: str,
    scope: EntryScope,
) -> ImportResult:
    _lock(coalition)
    drafts = _drafts(coalition=coalition, rows=rows, errors=errors, file=name, scope=scope)
    result = ImportResult(rows=len(rows), contributions=len(drafts))
    if not drafts:
        return result
    result.steps, ledger = _changes_write(coalition=coalition, states=drafts, file=name)
    audit_record(
        actor=actor,
        action="pledges.imported",
        object_type="coalition",
        object_id=coalition.slug,
        changes={
            "file": name,
            "sha256": digest,
            "rows": len(rows),
            "steps": result.steps,
            "ledger": ledger,
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
    scope = entry_scope(actor=actor, coalition=coalition)
    if not scope.allows(str(donor).strip().upper(), str(channel).strip().lower()):
        raise NotAllowed(scope.refusal(), code="contribution.enter.forbidden")
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
    errors = [replace(e, row=None) for e in errors]  # a form has fields, not rows
    drafts = _drafts(
        coalition=coalition, rows=[row] if row else [], errors=errors, file="form", scope=scope
    )
    ref = str(reference).strip()
    sourced = (
        source is not None
        and not Contribution.objects.filter(
            coalition=coalition, reference=ref, source=source
        ).exists()
    )
    if drafts or sourced:
        steps, ledger = _changes_write(coalition=coalition, states=drafts, file="form")
        if sourced:
            Contribution.objects.filter(coalition=coalition, reference=ref).update(source=source)
        audit_record(
            actor=actor,
            action="contribution.recorded",
            object_type="contribution",
            object_id=f"{coalition.slug}:{ref}",
            changes={"steps": steps, "source": source.key if source else None, "ledger": ledger},
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
    require(actor, "coalition.manage")
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


def step_key(coalition: Coalition, reference: str, status: str, revision: int) -> str:
    base = f"{coalition.slug}:contribution:{reference}:{status}"
    return base if revision == 0 else f"{base}~r{revision}"


def _changes_write(
    *, coalition: Coalition, states: dict[str, ContributionDraft], file: str
) -> tuple[list[list[object]], dict[str, object]]:
    """Write the drafted changes; returns one line per step written and what the ledger
    posted (core.ledger_summary), for the audit event."""
    countries = {
        c.code: c for c in Country.objects.filter(code__in={s.donor for s in states.values()})
    }
    funds: dict[tuple[str, str], Fund] = {}
    specs: list[AccountSpec] = []
    txs: list[core.Transaction] = []
    rows_of: dict[str, int | None] = {}
    corrected = store.stored_transactions(
        [
            step.tx_key
            for state in states.values()
            for step in state.steps.values()
            if step.action == "corrected" and step.tx_key
        ]
    )
    for state in states.values():
        fund = funds.get((state.channel, state.donor))
        if fund is None:
            fund = fund_get_or_create(
                coalition=coalition, channel=state.channel, donor=countries[state.donor]
            )
            funds[(state.channel, state.donor)] = fund
        for status, step in state.steps.items():
            if not step.action:
                continue
            donor_kind, fund_kind = STEP_ACCOUNTS[status]
            pair = (
                AccountSpec(fund, donor_kind, state.category, state.origin, state.donor),
                AccountSpec(fund, fund_kind, state.category, state.origin),
            )
            specs += pair
            if step.action == "corrected" and step.tx_key:
                txs.append(_reversal_of(corrected[step.tx_key]))
            key = step_key(coalition, state.reference, status, step.revision)
            amount = from_minor(step.amount_minor, step.currency)
            txs.append(
                core.Transaction(
                    key=key,
                    date=step.date,
                    kind=status,
                    memo=f"{state.reference}: {state.donor} {status} ({fund.code})",
                    postings=(
                        core.Posting(pair[0].key, step.currency, -amount),
                        core.Posting(pair[1].key, step.currency, amount),
                    ),
                )
            )
            rows_of[key] = step.row
    accounts_ensure(specs)
    try:
        result = store.post_many(txs)
    except InsufficientFunds as error:
        row = rows_of.get(error.tx_key or "") or next(iter(rows_of.values()), None)
        raise FileRejected(
            [
                RowError(
                    file,
                    row,
                    "amount",
                    Message(
                        _("the fund has already spent that money: %(reason)s"),
                        reason=error.message,
                    ),
                )
            ]
        ) from error
    return _rows_write(coalition, states, funds, result.ids), result.ledger


def _reversal_of(original: core.Transaction) -> core.Transaction:
    """The reversal of a stored transaction, on the original's value date, so that the
    corrected step's year loses the old amount and gains the new one."""
    return core.reversal(
        original, key=f"{original.key}~reversal", memo=f"correction of {original.key}"
    )


def _rows_write(
    coalition: Coalition,
    states: dict[str, ContributionDraft],
    funds: dict[tuple[str, str], Fund],
    tx_ids: dict[str, int],
) -> list[list[object]]:
    """Contribution and step rows, in bulk (a few statements for a file of any size);
    returns one line per step written, for the audit event."""
    contributions = _contribution_rows_write(coalition, states, funds)
    new_steps: list[ContributionStep] = []
    corrected: dict[tuple[int, str], ContributionStep] = {}
    lines: list[list[object]] = []
    for state in states.values():
        contribution = contributions[state.reference]
        for status, step in state.steps.items():
            if not step.action:
                continue
            row = ContributionStep(
                contribution=contribution,
                status=status,
                date=step.date,
                amount_minor=step.amount_minor,
                currency=step.currency,
                implied=step.implied,
                revision=step.revision,
                transaction_id=tx_ids[step_key(coalition, state.reference, status, step.revision)],
            )
            if step.action == "corrected":
                corrected[(contribution.pk, status)] = row
            else:
                new_steps.append(row)
            amount = from_minor(step.amount_minor, step.currency)
            what = "implied" if step.implied else step.action
            lines.append([state.reference, status, step.date, amount, step.currency, what])
        if not any(s.action for s in state.steps.values()):
            lines.append([state.reference, "note", None, None, None, "note"])
    ContributionStep.objects.bulk_create(new_steps, batch_size=BATCH)
    _corrected_steps_write(corrected)
    return lines


BATCH = 500
STEP_FIELDS = ["date", "amount_minor", "currency", "implied", "revision", "transaction"]


def _contribution_rows_write(
    coalition: Coalition,
    states: dict[str, ContributionDraft],
    funds: dict[tuple[str, str], Fund],
) -> dict[str, Contribution]:
    """The contributions of `states` by reference: the new ones created, the others'
    status and note updated."""
    new: list[Contribution] = []
    changed: list[Contribution] = []
    for state in states.values():
        if state.contribution is None:
            new.append(
                Contribution(
                    coalition=coalition,
                    reference=state.reference,
                    donor_id=state.donor,
                    channel=state.channel,
                    fund=funds[(state.channel, state.donor)],
                    category_id=state.category or None,
                    origin=state.origin,
                    status=state.status,
                    note=state.new_note or "",
                )
            )
        else:
            state.contribution.status = state.status
            if state.new_note is not None:
                state.contribution.note = state.new_note
            changed.append(state.contribution)
    Contribution.objects.bulk_create(new, batch_size=BATCH)
    Contribution.objects.bulk_update(changed, ["status", "note"], batch_size=BATCH)
    return {c.reference: c for c in [*new, *changed]}


def _corrected_steps_write(corrected: dict[tuple[int, str], ContributionStep]) -> None:
    """Corrections replace the step they correct (its row keeps its id)."""
    contribution_ids = sorted({pk for pk, _ in corrected})
    stored: list[ContributionStep] = []
    for start in range(0, len(contribution_ids), BATCH):
        part = contribution_ids[start : start + BATCH]
        for step in ContributionStep.objects.filter(contribution_id__in=part):
            new = corrected.get((step.contribution_id, step.status))
            if new is not None:
                new.pk = step.pk
                stored.append(new)
    ContributionStep.objects.bulk_update(stored, STEP_FIELDS, batch_size=BATCH)
