"""What a set of pledge rows would change in the coalition's contributions, checked whole
before anything is written (the writing is services/contributions.py). Reads only.

A row names a contribution by its reference and one status step. Status moves forward
only; a contribution first seen as committed or disbursed also counts as pledged (and
committed) on that date. A row that restates a recorded step changes nothing, so the same
file imported twice is a no-op; a row that restates the current status with another date
or amount corrects it: the old ledger transaction is reversed and a new one posted.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from coalition.errors import FileRejected, Message, RowError, _
from coalition.finance.errors import NoRate
from coalition.finance.models import STATUS_ORDER, Contribution, ContributionStep
from coalition.finance.money import RateBook
from coalition.finance.pledgefile import PledgeRow
from coalition.finance.selectors import EntryScope
from coalition.governance.models import Category, Coalition, Membership, Role

NONE = Message(_("(none)"))
FORWARD = Message(_("status moves forward only: pledged → committed → disbursed"))


@dataclass
class StepDraft:
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
class ContributionDraft:
    reference: str
    donor: str
    channel: str
    category: str
    origin: str
    note: str
    contribution: Contribution | None = None
    steps: dict[str, StepDraft] = field(default_factory=dict)
    new_note: str | None = None

    @property
    def status(self) -> str:
        return max(self.steps, key=STATUS_ORDER.index)

    @property
    def changed(self) -> bool:
        return any(s.action for s in self.steps.values()) or (
            self.new_note is not None and self.new_note != self.note
        )


LOAD_CHUNK = 500  # references per query: SQLite refuses very long IN lists


def _load(coalition: Coalition, references: list[str]) -> dict[str, ContributionDraft]:
    states: dict[str, ContributionDraft] = {}
    for start in range(0, len(references), LOAD_CHUNK):
        part = references[start : start + LOAD_CHUNK]
        found = {
            c.pk: c for c in Contribution.objects.filter(coalition=coalition, reference__in=part)
        }
        for c in found.values():
            states[c.reference] = ContributionDraft(
                c.reference, c.donor_id, c.channel, c.category_id or "", c.origin, c.note, c
            )
        steps = ContributionStep.objects.filter(contribution_id__in=list(found)).values_list(
            "contribution_id",
            "status",
            "date",
            "amount_minor",
            "currency",
            "implied",
            "revision",
            "transaction__idempotency_key",
        )
        for contribution_id, status, day, minor, currency, implied, revision, key in steps:
            states[found[contribution_id].reference].steps[status] = StepDraft(
                day, minor, currency, implied, revision, key
            )
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


def changes_from_rows(
    *,
    coalition: Coalition,
    rows: list[PledgeRow],
    file: str,
    scope: EntryScope,
    today: date,
    book: RateBook,
) -> dict[str, ContributionDraft]:
    """What the rows change, per reference; FileRejected with every problem otherwise.
    `scope`: whose contributions the actor may enter; `book`: the rates the
    rows' currencies and dates need."""
    errors: list[RowError] = []
    states = _load(coalition, sorted({r.reference for r in rows}))
    members = _memberships(coalition)
    categories = set(Category.objects.values_list("slug", flat=True))
    for row in rows:
        problems: list[tuple[str, Message | str]] = []
        if row.category and row.category not in categories:
            problems.append(
                (
                    "category",
                    Message(
                        _("'%(value)s' is not a capability category of the platform"),
                        value=row.category,
                    ),
                )
            )
        if not scope.allows(row.donor, row.channel):
            problems.append(("donor", scope.refusal()))
        elif not _is_member(members.get(row.donor, []), row.date):
            problems.append(
                (
                    "donor",
                    Message(
                        _("%(donor)s is not a member of %(coalition)s on %(date)s"),
                        donor=row.donor,
                        coalition=coalition.slug,
                        date=row.date.isoformat(),
                    ),
                )
            )
        if row.status != "pledged" and row.date > today:
            message = Message(
                _("a %(status)s step cannot be dated in the future"), status=row.status
            )
            problems.append(("date", message))
        try:
            book.rate_on(row.currency, row.date)
        except NoRate as error:
            problems.append(("currency", error.message))
        if not problems:
            problems = _apply_row(states, row)
        errors += [RowError(file, row.row or None, column, msg) for column, msg in problems]
    if errors:
        raise FileRejected(errors)
    notes = {r.reference: r.note for r in rows if r.note}
    for reference, note in notes.items():
        states[reference].new_note = note
    return {ref: s for ref, s in states.items() if s.changed}


def _apply_row(
    states: dict[str, ContributionDraft], row: PledgeRow
) -> list[tuple[str, Message | str]]:
    """Apply one row to the in-memory state; the problems it has, if any."""
    state = states.get(row.reference)
    if state is None:
        state = ContributionDraft(
            row.reference, row.donor, row.channel, row.category, row.origin, ""
        )
        for status in STATUS_ORDER[: STATUS_ORDER.index(row.status) + 1]:
            state.steps[status] = StepDraft(
                row.date,
                row.amount_minor,
                row.currency,
                status != row.status,
                row=row.row,
                action="new",
            )
        states[row.reference] = state
        return []
    problems: list[tuple[str, Message | str]] = []
    for column in ("donor", "channel", "category", "origin"):
        old, new = getattr(state, column), getattr(row, column)
        if old != new:
            problems.append(
                (
                    column,
                    Message(
                        _(
                            "contribution %(reference)s is recorded with %(column)s %(old)s; "
                            "it cannot change to %(new)s"
                        ),
                        reference=row.reference,
                        column=column,
                        old=old or NONE,
                        new=new or NONE,
                    ),
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
                Message(
                    _(
                        "contribution %(reference)s is already %(status)s (since %(date)s); "
                        "%(rule)s"
                    ),
                    reference=row.reference,
                    status=current,
                    date=top.date.isoformat(),
                    rule=FORWARD,
                ),
            )
        ]
    if order == 0:
        return _correct(state, row)
    if row.date < top.date:
        return [("date", _before(row, current, top.date))]
    start = STATUS_ORDER.index(current) + 1
    for status in STATUS_ORDER[start : STATUS_ORDER.index(row.status) + 1]:
        state.steps[status] = StepDraft(
            row.date,
            row.amount_minor,
            row.currency,
            status != row.status,
            row=row.row,
            action="new",
        )
    return []


def _before(row: PledgeRow, status: str, on: date) -> Message:
    return Message(
        _("%(status)s on %(date)s would be before %(previous)s on %(previous_date)s"),
        status=row.status,
        date=row.date.isoformat(),
        previous=status,
        previous_date=on.isoformat(),
    )


def _correct(state: ContributionDraft, row: PledgeRow) -> list[tuple[str, Message | str]]:
    """The row restates the current status: the same values change nothing; others
    correct the step (the ledger reverses the old transaction and posts the new one)."""
    top = state.steps[row.status]
    if top.same(row):
        return []
    position = STATUS_ORDER.index(row.status)
    if position > 0:
        previous = STATUS_ORDER[position - 1]
        if row.date < state.steps[previous].date:
            return [("date", _before(row, previous, state.steps[previous].date))]
    top.date, top.amount_minor, top.currency = row.date, row.amount_minor, row.currency
    top.revision += 1
    top.row, top.action, top.implied = row.row, "corrected", False
    return []
