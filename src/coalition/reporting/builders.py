"""The tables of the finance reports, each exportable as shown (CSV, XLSX): yearly
totals, totals by channel, category and member, the figures sources report, fund balances
and a member's contributions."""

from django.utils.translation import gettext as _

from coalition.access.actor import Actor
from coalition.finance import selectors as finance
from coalition.finance.models import STATUS_ORDER, AccountKind, Channel, Fund
from coalition.governance.models import Coalition
from coalition.reporting.selectors import Figures, reported_figures
from coalition.reporting.tables import Table


def status_labels() -> list[str]:
    return [_("Pledged"), _("Committed"), _("Disbursed")]


def figures_table(name: str, title: str, first: str, groups: dict[str, Figures]) -> Table:
    labels = dict(Channel.choices)
    rows = [
        [labels.get(k, k) if name == "by_channel" else (k or "—")]
        + [getattr(f, s) for s in STATUS_ORDER]
        for k, f in groups.items()
    ]
    return Table(name, title, [first, *status_labels()], rows, numeric={1, 2, 3})


def years_table(by_year: dict[int, Figures]) -> Table:
    rows = [[y] + [getattr(f, s) for s in STATUS_ORDER] for y, f in by_year.items()]
    return Table(
        "years", _("Totals per year (EUR)"), [_("Year"), *status_labels()], rows, {1, 2, 3}
    )


def reported_table(coalition: Coalition, country: str | None = None) -> Table:
    figures = reported_figures(coalition=coalition)
    if country:
        figures = figures.filter(country_id=country)
    rows: list[list[object]] = [
        [
            f.year,
            f.get_kind_display(),
            f.description,
            f.amount,
            f.currency if f.amount is not None else "",
            "≈" if f.approximate else "",
            f.as_of,
            f.note,
            f.source.key,
        ]
        for f in figures
    ]
    columns = [_("Year"), _("Kind"), _("Figure"), _("Amount"), _("Currency"), _("Approximate")]
    columns += [_("As of"), _("Note"), _("Source")]
    return Table("reported", _("Figures reported by sources"), columns, rows, {3})


def funds_table(actor: Actor, coalition: Coalition, fund: Fund | None = None) -> Table:
    rows: list[list[object]] = [
        [b.fund.name, b.earmark, b.currency]
        + [b.amounts[k] for k in finance.FUND_KINDS]
        + [b.available_eur]
        for b in finance.fund_balances(actor=actor, coalition=coalition, fund=fund)
    ]
    labels = dict(AccountKind.choices)
    columns = [_("Fund"), _("Earmark"), _("Currency")]
    columns += [str(labels[k]) for k in finance.FUND_KINDS] + [_("Available, EUR today")]
    return Table("funds", _("Fund balances"), columns, rows, {3, 4, 5, 6, 7, 8})


def contributions_table(actor: Actor, coalition: Coalition, donor: str | None) -> Table:
    rows = []
    for c in finance.contributions_list(actor=actor, coalition=coalition, donor=donor):
        steps = {s.status: s for s in c.steps.all()}
        cells: list[object] = [c.reference, c.donor_id, c.get_channel_display(), c.category_id]
        cells += [c.origin, c.get_status_display()]
        for status in STATUS_ORDER:
            step = steps.get(status)
            cells += [step.date, step.amount, step.currency] if step else [None, None, None]
        cells += [c.note, c.source.key if c.source else ""]
        rows.append(cells)
    columns = [_("Reference"), _("Donor"), _("Channel"), _("Category"), _("Origin"), _("Status")]
    for label in status_labels():
        columns += [f"{label}: {_('date')}", f"{label}: {_('amount')}", _("Currency")]
    columns += [_("Note"), _("Source")]
    return Table("contributions", _("Contributions"), columns, rows, {7, 10, 13})
