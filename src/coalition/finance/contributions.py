"""Contributions: planning what a set of rows changes, checked whole before anything is
written, then writing it (contribution rows, steps, ledger transactions).

A row names a contribution by its reference and one status step. Status moves forward
only; a contribution first seen as committed or disbursed also counts as pledged (and
committed) on that date. A row that restates a recorded step changes nothing, so the same
file imported twice is a no-op; a row that restates the current status with another date
or amount corrects it: the old ledger transaction is reversed and a new one posted.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from coalition.errors import FileRejected, RowError
from coalition.finance import rates
from coalition.finance.errors import InsufficientFunds, NoRate
from coalition.finance.funds import AccountSpec, accounts_ensure, fund_for
from coalition.finance.ledger import core, store
from coalition.finance.models import (
    STATUS_ORDER,
    AccountKind,
    Contribution,
    ContributionStep,
    Fund,
)
from coalition.finance.money import from_minor
from coalition.finance.pledgefile import PledgeRow
from coalition.governance.models import Coalition, Country, Membership, Role

# The donor's account and the fund's account each status step moves money between.
STEP_ACCOUNTS = {
    "pledged": (AccountKind.PLEDGED, AccountKind.PLEDGES),
    "committed": (AccountKind.COMMITTED, AccountKind.COMMITMENTS),
    "disbursed": (AccountKind.DISBURSED, AccountKind.AVAILABLE),
}
FORWARD = "status moves forward only: pledged → committed → disbursed"


@dataclass
class Step:
    date: date
    amount_minor: int
    currency: str
    implied: bool = False
    revision: int = 0
    tx_key: str | None = None  # the stored transaction, for a reversal
    row: int | None = None
    action: str = ""  # "", "new" or "corrected"

    def same(self, row: PledgeRow) -> bool:
        return (self.date, self.amount_minor, self.currency) == (
            row.date,
            row.amount_minor,
            row.currency,
        )


@dataclass
class State:
    reference: str
    donor: str
    channel: str
    category: str
    origin: str
    note: str
    contribution: Contribution | None = None
    steps: dict[str, Step] = field(default_factory=dict)
    new_note: str | None = None

    @property
    def status(self) -> str:
        return max(self.steps, key=STATUS_ORDER.index)

    @property
    def changed(self) -> bool:
        return any(s.action for s in self.steps.values()) or (
            self.new_note is not None and self.new_note != self.note
        )


def _load(coalition: Coalition, references: list[str]) -> dict[str, State]:
    states: dict[str, State] = {}
    qs = Contribution.objects.filter(coalition=coalition, reference__in=references)
    for c in qs.prefetch_related("steps__transaction"):
        state = State(c.reference, c.donor_id, c.channel, c.category, c.origin, c.note, c)
        for s in c.steps.all():
            state.steps[s.status] = Step(
                s.date,
                s.amount_minor,
                s.currency,
                s.implied,
                s.revision,
                s.transaction.idempotency_key,
            )
        states[c.reference] = state
    return states


def _memberships(coalition: Coalition) -> dict[str, list[tuple[date, date | None]]]:
    spans: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    for code, start, end in Membership.objects.filter(
        coalition=coalition, role=Role.MEMBER
    ).values_list("country_id", "start", "end"):
        spans[code].append((start, end))
    return spans


def _is_member(spans: list[tuple[date, date | None]], on: date) -> bool:
    return any(start <= on and (end is None or on < end) for start, end in spans)


def plan(
    *, coalition: Coalition, rows: list[PledgeRow], file: str, scope: str | None, today: date
) -> dict[str, State]:
    """What the rows change, per reference; FileRejected with every problem otherwise."""
    errors: list[RowError] = []
    states = _load(coalition, sorted({r.reference for r in rows}))
    members = _memberships(coalition)
    currencies = {r.currency for r in rows}
    rates.rates_ensure(currencies=currencies)
    book = rates.rate_book(currencies, start=min((r.date for r in rows), default=today))
    for row in rows:
        problems: list[tuple[str, str]] = []
        if scope is not None and row.donor != scope:
            problems.append(("donor", f"your delegation may only enter contributions of {scope}"))
        elif not _is_member(members.get(row.donor, []), row.date):
            problems.append(
                ("donor", f"{row.donor} is not a member of {coalition.slug} on {row.date}")
            )
        if row.status != "pledged" and row.date > today:
            problems.append(("date", f"a {row.status} step cannot be dated in the future"))
        try:
            book.rate_on(row.currency, row.date)
        except NoRate as error:
            problems.append(("currency", error.message))
        if not problems:
            problems = _advance(states, row)
        errors += [RowError(file, row.row or None, column, msg) for column, msg in problems]
    if errors:
        raise FileRejected(errors)
    notes = {r.reference: r.note for r in rows if r.note}
    for reference, note in notes.items():
        states[reference].new_note = note
    return {ref: s for ref, s in states.items() if s.changed}


def _advance(states: dict[str, State], row: PledgeRow) -> list[tuple[str, str]]:
    """Apply one row to the in-memory state; the problems it has, if any."""
    state = states.get(row.reference)
    if state is None:
        state = State(row.reference, row.donor, row.channel, row.category, row.origin, "")
        for status in STATUS_ORDER[: STATUS_ORDER.index(row.status) + 1]:
            state.steps[status] = Step(
                row.date,
                row.amount_minor,
                row.currency,
                status != row.status,
                row=row.row,
                action="new",
            )
        states[row.reference] = state
        return []
    problems = []
    for column in ("donor", "channel", "category", "origin"):
        old, new = getattr(state, column), getattr(row, column)
        if old != new:
            problems.append(
                (
                    column,
                    f"contribution {row.reference} is recorded with {column} {old or '(none)'}; "
                    f"it cannot change to {new or '(none)'}",
                )
            )
    if problems:
        return problems
    current = state.status
    top = state.steps[current]
    order = STATUS_ORDER.index(row.status) - STATUS_ORDER.index(current)
    if order < 0:
        if state.steps[row.status].same(row):
            return []
        return [
            (
                "status",
                f"contribution {row.reference} is already {current} (since {top.date}); {FORWARD}",
            )
        ]
    if order == 0:
        return _correct(state, row)
    if row.date < top.date:
        return [("date", f"{row.status} on {row.date} would be before {current} on {top.date}")]
    start = STATUS_ORDER.index(current) + 1
    for status in STATUS_ORDER[start : STATUS_ORDER.index(row.status) + 1]:
        state.steps[status] = Step(
            row.date,
            row.amount_minor,
            row.currency,
            status != row.status,
            row=row.row,
            action="new",
        )
    return []


def _correct(state: State, row: PledgeRow) -> list[tuple[str, str]]:
    """The row restates the current status: the same values change nothing; others
    correct the step (the ledger reverses the old transaction and posts the new one)."""
    top = state.steps[row.status]
    if top.same(row):
        return []
    position = STATUS_ORDER.index(row.status)
    if position > 0:
        previous = STATUS_ORDER[position - 1]
        if row.date < state.steps[previous].date:
            when = state.steps[previous].date
            return [("date", f"{row.status} on {row.date} would be before {previous} on {when}")]
    top.date, top.amount_minor, top.currency = row.date, row.amount_minor, row.currency
    top.revision += 1
    top.row, top.action, top.implied = row.row, "corrected", False
    return []


def step_key(coalition: Coalition, reference: str, status: str, revision: int) -> str:
    base = f"{coalition.slug}:contribution:{reference}:{status}"
    return base if revision == 0 else f"{base}~r{revision}"


def apply(*, coalition: Coalition, states: dict[str, State], file: str) -> list[list[object]]:
    """Write the planned changes; returns one line per step written, for the audit."""
    countries = {
        c.code: c for c in Country.objects.filter(code__in={s.donor for s in states.values()})
    }
    funds: dict[tuple[str, str], Fund] = {}
    specs: list[AccountSpec] = []
    txs: list[core.Transaction] = []
    rows_of: dict[str, int | None] = {}
    for state in states.values():
        fund = funds.get((state.channel, state.donor))
        if fund is None:
            fund = fund_for(
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
                txs.append(_reversal_of(step.tx_key))
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
                    file, row, "amount", f"the fund has already spent that money: {error.message}"
                )
            ]
        ) from error
    return _write_rows(coalition, states, funds, result.ids)


def _reversal_of(original_key: str) -> core.Transaction:
    """The reversal of a stored transaction, on the original's value date, so that the
    corrected step's year loses the old amount and gains the new one."""
    return core.reversal(
        store.stored_transaction(original_key),
        key=f"{original_key}~reversal",
        memo=f"correction of {original_key}",
    )


def _write_rows(
    coalition: Coalition,
    states: dict[str, State],
    funds: dict[tuple[str, str], Fund],
    tx_ids: dict[str, int],
) -> list[list[object]]:
    lines: list[list[object]] = []
    for state in states.values():
        contribution = state.contribution
        if contribution is None:
            contribution = Contribution.objects.create(
                coalition=coalition,
                reference=state.reference,
                donor_id=state.donor,
                channel=state.channel,
                fund=funds[(state.channel, state.donor)],
                category=state.category,
                origin=state.origin,
                status=state.status,
                note=state.new_note or "",
            )
        else:
            contribution.status = state.status
            if state.new_note is not None:
                contribution.note = state.new_note
            contribution.save(update_fields=["status", "note"])
        for status, step in state.steps.items():
            if not step.action:
                continue
            key = step_key(coalition, state.reference, status, step.revision)
            ContributionStep.objects.update_or_create(
                contribution=contribution,
                status=status,
                defaults={
                    "date": step.date,
                    "amount_minor": step.amount_minor,
                    "currency": step.currency,
                    "implied": step.implied,
                    "revision": step.revision,
                    "transaction_id": tx_ids[key],
                },
            )
            amount = from_minor(step.amount_minor, step.currency)
            what = "implied" if step.implied else step.action
            lines.append([state.reference, status, step.date, amount, step.currency, what])
        if not any(s.action for s in state.steps.values()):
            lines.append([state.reference, "note", None, None, None, "note"])
    return lines
