"""The tables of the finance reports, each exportable as shown (CSV, XLSX): yearly
totals, totals by channel, category and member, the figures sources report, fund balances
and a member's contributions."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from coalition.access.actor import Actor
from coalition.finance import selectors as finance
from coalition.finance.models import STATUS_ORDER, AccountKind, Channel, Contribution, Fund
from coalition.governance.models import Category, Coalition
from coalition.governance.selectors import countries_by_code
from coalition.procurement.views_format import category_name, country_name, money
from coalition.reporting.selectors import Figures, reported_figures
from coalition.reporting.tables import Table


def status_labels() -> list[str]:
    return [_("Pledged"), _("Committed"), _("Disbursed")]


def figures_table(
    name: str, title: str, first: str, groups: dict[str, Figures], names: dict[str, str]
) -> Table:
    """One row per group, named as the chart beside it names it (`names`: key -> name); the
    export keeps the keys (codes), as scripts read them, channels by their label."""
    labels = dict(Channel.choices)
    columns = [first, *status_labels()]
    figures = [[getattr(f, s) for s in STATUS_ORDER] for f in groups.values()]
    rows = [[names.get(k, k or "—"), *f] for k, f in zip(groups, figures, strict=True)]
    kept = [
        [labels.get(k, k) if name == "by_channel" else (k or "—"), *f]
        for k, f in zip(groups, figures, strict=True)
    ]
    full = Table(name, title, columns, kept, numeric={1, 2, 3})
    return Table(name, title, columns, rows, numeric={1, 2, 3}, full=full)


def channel_names(keys: Iterable[str]) -> dict[str, str]:
    labels = dict(Channel.choices)
    return {k: str(labels.get(k, k)) for k in keys}


def category_names(keys: Iterable[str]) -> dict[str, str]:
    found = {c.slug: c for c in Category.objects.filter(slug__in=[k for k in keys if k])}
    return {k: category_name(found.get(k)) or k or _("no earmark") for k in keys}


def member_names(keys: Iterable[str]) -> dict[str, str]:
    found = countries_by_code([k for k in keys if k])
    return {k: country_name(found.get(k), k) for k in keys}


def years_table(by_year: dict[int, Figures]) -> Table:
    rows = [[y] + [getattr(f, s) for s in STATUS_ORDER] for y, f in by_year.items()]
    return Table("years", years_title(), [_("Year"), *status_labels()], rows, {1, 2, 3})


def years_title() -> str:
    return _("Totals per year (EUR)")


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
    """A narrow table for the page (each step's date and amount in one cell, names not
    codes); its export holds every column, amounts as numbers."""
    found = list(finance.contributions_list(actor=actor, coalition=coalition, donor=donor))
    full = _contributions_full(found)
    names = member_names({c.donor_id for c in found})
    categories = category_names({c.category_id or "" for c in found})
    rows: list[list[object]] = []
    for c in found:
        steps = {s.status: s for s in c.steps.all()}
        earmark = [categories[c.category_id] if c.category_id else "", c.origin]
        cells: list[object] = [c.reference, names[c.donor_id], c.get_channel_display()]
        cells += [" · ".join(e for e in earmark if e), c.get_status_display()]
        for status in STATUS_ORDER:
            step = steps.get(status)
            said = f"{step.date.isoformat()}: {money(step.amount, step.currency)}" if step else ""
            cells.append(said)
        cells.append(c.source.key if c.source else "")
        rows.append(cells)
    columns = [_("Reference"), _("Donor"), _("Channel"), _("Earmark"), _("Status")]
    columns += [*status_labels(), _("Source")]
    return Table("contributions", _("Contributions"), columns, rows, {5, 6, 7}, full=full)


def _contributions_full(found: list[Contribution]) -> Table:
    rows = []
    for c in found:
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
