"""The reconciliation page: per order, supplier, requirement and fund, what was ordered,
delivered, accepted, rejected, paid and is outstanding or late; the discrepancies; the
deliveries over time against the plans' schedule. Every table exports as CSV or XLSX."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.access.actor import actor_of
from coalition.finance.money import from_minor
from coalition.governance.selectors import coalition_get
from coalition.procurement.charts_delivery import deliveries_against_schedule
from coalition.procurement.reconcile import Tally
from coalition.procurement.selectors_reconcile import (
    UNPAID_DAYS,
    Discrepancy,
    Reconciliation,
    reconciliation,
)
from coalition.procurement.views_format import category_name, money_minor, purchase_context, units
from coalition.reporting.tables import Table, table_response

MAX_DAYS = 3650


def _money(amounts: dict[str, int], currency: str) -> object:
    """A number in the row's one currency (exported as a number); a row that mixes
    currencies says each amount with its currency."""
    if currency:
        return from_minor(amounts.get(currency, 0), currency)
    return " + ".join(money_minor(m, c) for c, m in sorted(amounts.items()) if m) or "0"


def _currency(t: Tally) -> str:
    found = set(t.ordered_minor) | set(t.accepted_minor) | set(t.paid_minor)
    return found.pop() if len(found) == 1 else ""


def _units_columns() -> list[str]:
    return [
        _("Ordered"),
        _("Delivered"),
        _("Accepted"),
        _("Rejected"),
        _("Awaiting inspection"),
        _("Outstanding"),
        _("Late"),
    ]


def _money_columns() -> list[str]:
    return [
        _("Currency"),
        _("Ordered value"),
        _("Accepted value"),
        _("Paid"),
        _("Accepted, unpaid"),
    ]


def _cells(t: Tally) -> list[object]:
    units = [t.ordered, t.delivered, t.accepted, t.rejected, t.awaiting, t.outstanding, t.late]
    money = [t.ordered_minor, t.accepted_minor, t.paid_minor, t.unpaid_minor()]
    currency = _currency(t)
    return [*units, currency, *(_money(m, currency) for m in money)]


def _numeric(first: int) -> set[int]:
    return set(range(first, first + 7)) | set(range(first + 8, first + 12))


def _counts(first: int) -> set[int]:
    return set(range(first, first + 7))


def _tables(r: Reconciliation) -> list[Table]:
    orders = Table(
        "orders",
        _("Per order"),
        [_("Order"), _("Supplier"), *_units_columns(), *_money_columns()],
        [[c.order.reference, c.order.supplier.name, *_cells(c.tally)] for c in r.orders],
        _numeric(2),
        _counts(2),
    )
    suppliers = Table(
        "suppliers",
        _("Per supplier"),
        [_("Supplier"), *_units_columns(), *_money_columns()],
        [[name, *_cells(t)] for name, t in r.suppliers.items()],
        _numeric(1),
        _counts(1),
    )
    requirements = Table(
        "requirements",
        _("Per requirement"),
        [_("Requirement"), _("Category"), _("Needed by"), *_units_columns(), *_money_columns()],
        [
            [q.reference, category_name(q.category), q.needed_by, *_cells(t)]
            for q, t in r.requirements
        ],
        _numeric(3),
        _counts(3),
    )
    funds = Table(
        "funds",
        _("Per fund"),
        [_("Fund"), _("Currency"), _("On orders"), _("Paid"), _("Still obligated")],
        [
            [
                f.fund.name,
                f.currency,
                from_minor(f.ordered_minor, f.currency),
                from_minor(f.paid_minor, f.currency),
                from_minor(f.obligated_minor, f.currency),
            ]
            for f in r.funds
        ],
        {2, 3, 4},
    )
    return [orders, suppliers, requirements, funds, _discrepancy_table(r)]


def _describe(d: Discrepancy, days: int) -> str:
    if d.kind == "unpaid":
        return ngettext(
            "%(units)s item delivered more than %(days)s days ago is not paid "
            "(delivered on %(since)s)",
            "%(units)s items delivered more than %(days)s days ago are not paid "
            "(the oldest on %(since)s)",
            d.units,
        ) % {
            "units": units(d.units),
            "days": days,
            "since": date_format(d.since) if d.since else "",
        }
    return _("paid %(amount)s more than accepted items are worth") % {
        "amount": money_minor(d.minor, d.order.currency)
    }


def _discrepancy_table(r: Reconciliation) -> Table:
    return Table(
        "discrepancies",
        _("Discrepancies"),
        [_("Order"), _("Supplier"), _("What"), _("Currency"), _("Amount")],
        [
            [
                d.order.reference,
                d.order.supplier.name,
                _describe(d, r.days),
                d.order.currency,
                from_minor(d.minor, d.order.currency),
            ]
            for d in r.discrepancies
        ],
        {4},
    )


def _days(request: HttpRequest) -> tuple[int, str]:
    raw = request.GET.get("days", "")
    if not raw:
        return UNPAID_DAYS, ""
    if not raw.isdigit() or not 0 <= int(raw) <= MAX_DAYS:
        return UNPAID_DAYS, _("days: a whole number from 0 to %(max)s") % {"max": MAX_DAYS}
    return int(raw), ""


@login_required
def reconciliation_page(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    days, error = _days(request)
    found = reconciliation(actor=actor, coalition=coalition, days=days)
    tables = _tables(found)
    context: dict[str, Any] = purchase_context(actor, coalition) | {
        "r": found,
        "days": days,
        "days_error": error,
        "prefix": f"{coalition.slug}-reconciliation",
        "export_query": f"days={days}&",
        "chart": deliveries_against_schedule(found.delivered_over_time, found.scheduled_over_time),
        "unpaid_count": sum(1 for d in found.discrepancies if d.kind == "unpaid"),
    }
    return table_response(request, "procurement/reconciliation.html", context, tables)
