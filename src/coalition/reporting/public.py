"""The public dataset of a coalition: what anyone may read about it, as tables (the public
transparency page shows them and downloads them whole; the summit report draws from
them). Reads only, no login, no actor: nothing here names an account, a serial number or
a transaction key.

What the coalition marks confidential is left out: with `confidential_suppliers`, no
supplier is named; with `confidential_prices`, no price, amount of an order or payment
appears (as in the public OCDS export). Deliveries are counted, never listed by serial.

Illustrative records (the demo's purchase exercise, source `demo-exercise`) are kept in
the figures and labelled: each reported figure and each year of support says whether it
holds illustrative records, and the deliveries and payments are marked as a whole while
the exercise is loaded (in the demo every purchase is the exercise's).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.finance.models import STATUS_ORDER, Channel, ContributionStep
from coalition.finance.money import from_minor
from coalition.governance.models import Category, Coalition, Role
from coalition.governance.selectors import (
    ILLUSTRATIVE_SOURCE,
    illustrative_records_present,
    membership_history,
)
from coalition.procurement.models import DeliveredItem, Order, OrderStatus, Payment
from coalition.procurement.views_format import country_name
from coalition.reporting.selectors import Figures, movements, reported_figures
from coalition.reporting.tables import Table


@dataclass
class PublicData:
    coalition: Coalition
    as_of: date
    tables: list[Table]
    illustrative: bool  # the demo's illustrative exercise is loaded
    left_out: list[str] = field(default_factory=list)  # what is withheld, and why

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


def yes(flag: bool) -> str:
    return _("yes") if flag else ""


def member_changes(coalition: Coalition) -> list[tuple[date, int]]:
    """(day, members from that day): the count after each joining or leaving."""
    delta: dict[date, int] = defaultdict(int)
    for m in coalition.memberships.filter(role=Role.MEMBER).only("start", "end"):
        delta[m.start] += 1
        if m.end:
            delta[m.end] -= 1
    count, result = 0, []
    for day in sorted(delta):
        count += delta[day]
        result.append((day, count))
    return result


def members_table(coalition: Coalition) -> Table:
    roles = dict(Role.choices)
    rows: list[list[object]] = [
        [
            country_name(m.country),
            m.country_id,
            str(roles.get(m.role, m.role)),
            m.start,
            m.end,
            m.source.key if m.source else "",
            m.source.url if m.source else "",
        ]
        for m in membership_history(coalition=coalition)
    ]
    columns = [_("Country"), _("Code"), _("Role"), _("Joined"), _("Left")]
    return Table("members", _("Members over time"), [*columns, _("Source"), _("Link")], rows)


def _illustrative_years(coalition: Coalition) -> set[int]:
    steps = ContributionStep.objects.filter(
        contribution__coalition=coalition, contribution__source__key=ILLUSTRATIVE_SOURCE
    )
    return set(steps.annotate(y=ExtractYear("date")).values_list("y", flat=True))


def category_names() -> dict[str, str]:
    from django.utils.translation import get_language

    return {c.slug: c.name_in(get_language()) for c in Category.objects.all()}


def support_tables(coalition: Coalition) -> list[Table]:
    """Pledged, committed and disbursed per year by channel and by category (EUR)."""
    by: dict[str, dict[tuple[int, str], Figures]] = {"channel": {}, "category": {}}
    for m in movements(coalition=coalition):
        by["channel"].setdefault((m.year, m.channel), Figures()).add(m.status, m.eur)
        by["category"].setdefault((m.year, m.category), Figures()).add(m.status, m.eur)
    illustrative = _illustrative_years(coalition)
    channels = dict(Channel.choices)
    order = [c.value for c in Channel]
    categories = category_names()
    statuses = [_("Pledged, EUR"), _("Committed, EUR"), _("Disbursed, EUR")]

    def rows(group: str) -> list[list[object]]:
        def key(item: tuple[int, str]) -> tuple[int, int, str]:
            year, name = item
            return (year, order.index(name) if name in order else len(order), name)

        result: list[list[object]] = []
        for year, name in sorted(by[group], key=key):
            f = by[group][(year, name)]
            label = (
                str(channels.get(name, name))
                if group == "channel"
                else categories.get(name, name) or _("no earmark")
            )
            figures = [getattr(f, s) for s in STATUS_ORDER]
            result.append([year, label, *figures, yes(year in illustrative)])
        return result

    illustrative_column = _("Includes illustrative records")
    return [
        Table(
            "support_by_channel",
            _("Support per year by channel"),
            [_("Year"), _("Channel"), *statuses, illustrative_column],
            rows("channel"),
            {2, 3, 4},
        ),
        Table(
            "support_by_category",
            _("Support per year by category"),
            [_("Year"), _("Category"), *statuses, illustrative_column],
            rows("category"),
            {2, 3, 4},
        ),
    ]


def reported_table(coalition: Coalition) -> Table:
    """The figures the sources report, at their level, each with its source and link."""
    channels = dict(Channel.choices)
    categories = category_names()
    rows: list[list[object]] = []
    for f in reported_figures(coalition=coalition).order_by("year", "kind", "id"):
        rows.append(
            [
                f.year,
                f.get_kind_display(),
                f.description,
                f.amount,
                f.currency if f.amount is not None else "",
                yes(f.approximate),
                country_name(f.country) if f.country_id else "",
                str(channels.get(f.channel, f.channel)) if f.channel else "",
                categories.get(f.category, f.category),
                f.source.key,
                f.source.title,
                f.source.url,
                yes(f.source.key == ILLUSTRATIVE_SOURCE),
            ]
        )
    columns = [_("Year"), _("Kind"), _("Figure"), _("Amount"), _("Currency"), _("Approximate")]
    columns += [_("Country"), _("Channel"), _("Category"), _("Source"), _("Source title")]
    columns += [_("Link"), _("Illustrative")]
    return Table("reported", _("Figures reported by sources"), columns, rows, {3})


def _orders(coalition: Coalition) -> "list[Order]":
    live = Order.objects.filter(coalition=coalition).exclude(status=OrderStatus.CANCELLED)
    return list(live.select_related("category", "supplier", "supplier__country"))


def deliveries_table(coalition: Coalition, orders: "list[Order]") -> Table:
    """Units ordered (the year signed), delivered (the year delivered) and accepted (the
    year inspected), per category and year. Counts only: no serial, no lot."""
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for o in orders:
        counts[(o.signed_on.year, o.category_id)][0] += o.quantity
    items = DeliveredItem.objects.filter(order__coalition=coalition).order_by()
    delivered = items.values_list(ExtractYear("delivered_on"), "order__category").annotate(
        n=Count("id")
    )
    for year, category, n in delivered:
        counts[(year, category)][1] += n
    accepted = (
        items.filter(status="accepted")
        .values_list(ExtractYear("inspection__decided_on"), "order__category")
        .annotate(n=Count("id"))
    )
    for year, category, n in accepted:
        counts[(year, category)][2] += n
    names = category_names()
    rows: list[list[object]] = [
        [year, names.get(category, category), *counts[(year, category)]]
        for year, category in sorted(counts)
    ]
    columns = [_("Year"), _("Category"), _("Units ordered"), _("Units delivered")]
    columns.append(_("Units accepted"))
    return Table("deliveries", _("Deliveries per year and category"), columns, rows, {2, 3, 4})


def suppliers_table(orders: "list[Order]", *, prices: bool) -> Table:
    """Per supplier and category: units ordered, delivered and accepted; with prices
    public, the amount ordered and its average unit price."""
    names = category_names()
    groups: dict[tuple[str, str, str], list[Order]] = defaultdict(list)
    for o in orders:
        groups[(o.supplier.name, o.category_id, o.currency)].append(o)
    rows: list[list[object]] = []
    for (supplier, category, currency), group in sorted(groups.items()):
        country = group[0].supplier.country
        ordered = sum(o.quantity for o in group)
        row: list[object] = [supplier, country_name(country), names.get(category, category)]
        row += [ordered, sum(o.delivered for o in group), sum(o.accepted for o in group)]
        if prices:
            amount = from_minor(sum(o.amount_minor for o in group), currency)
            row += [amount, currency, (amount / ordered).quantize(Decimal("0.01"))]
        rows.append(row)
    columns = [_("Supplier"), _("Supplier's country"), _("Category"), _("Units ordered")]
    columns += [_("Units delivered"), _("Units accepted")]
    if prices:
        columns += [_("Amount ordered"), _("Currency"), _("Average unit price")]
    numeric = {3, 4, 5, 6, 8} if prices else {3, 4, 5}
    return Table("suppliers", _("Orders per supplier"), columns, rows, numeric)


def paid_table(coalition: Coalition) -> Table:
    """Money paid to suppliers per year and currency (the payments' dates)."""
    found = (
        Payment.objects.filter(coalition=coalition)
        .order_by()
        .values_list(ExtractYear("paid_on"), "currency")
        .annotate(total=Sum("amount_minor"), n=Count("id"))
    )
    rows: list[list[object]] = [
        [year, from_minor(total, currency), currency, n]
        for year, currency, total, n in sorted(found)
    ]
    columns = [_("Year"), _("Paid"), _("Currency"), _("Payments")]
    return Table("paid", _("Money paid to suppliers per year"), columns, rows, {1, 3})


def public_data(*, coalition: Coalition) -> PublicData:
    """Every table of the public dataset, in the reader's language."""
    orders = _orders(coalition)
    tables = [members_table(coalition), *support_tables(coalition), reported_table(coalition)]
    tables.append(deliveries_table(coalition, orders))
    left_out = [
        _("Serial numbers, lots and inspection notes of delivered items: counted, not listed."),
        _("Ledger accounts, transaction keys and each donor's individual contributions."),
    ]
    if coalition.confidential_suppliers:
        left_out.append(_("Suppliers: the coalition keeps them confidential."))
    else:
        tables.append(suppliers_table(orders, prices=not coalition.confidential_prices))
    if coalition.confidential_prices:
        left_out.append(
            _(
                "Prices, amounts of orders and payments: the coalition keeps prices "
                "confidential, and yearly payments could reveal them."
            )
        )
    else:
        tables.append(paid_table(coalition))
    return PublicData(
        coalition=coalition,
        as_of=timezone.localdate(),
        tables=tables,
        illustrative=illustrative_records_present(),
        left_out=left_out,
    )
