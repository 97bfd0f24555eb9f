"""Thin web views of orders: the list, an order (its lines with due dates, the funds that
pay for it with their obligations, its revisions) and the fund manager's forms to lower
its quantity or cancel it. The services decide; refusals are shown beside the form."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.access.actor import actor_of
from coalition.errors import DomainError
from coalition.governance.models import Coalition
from coalition.governance.selectors import categories_list, coalition_get
from coalition.procurement import selectors
from coalition.procurement.forms_purchase import AmendForm, CancelForm
from coalition.procurement.models import Order, OrderStatus
from coalition.procurement.services import order_changes
from coalition.procurement.views_format import (
    category_name,
    money_minor,
    purchase_context,
    units,
)
from coalition.procurement.views_payments import delivery_context
from coalition.reporting.tables import Table, table_response
from coalition.web.errors import form_error


def _row(o: Order) -> dict[str, Any]:
    return {
        "o": o,
        "category": category_name(o.category),
        "quantity": units(o.quantity),
        "amount": money_minor(o.amount_minor, o.currency),
        "unit_price": money_minor(o.unit_price_minor, o.currency),
    }


@login_required
def orders_page(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    found = list(
        selectors.orders_list(actor=actor, coalition=coalition).order_by("-signed_on", "-reference")
    )
    columns = [_("Reference"), _("Supplier"), _("Category"), _("Quantity"), _("Amount")]
    columns += [_("Currency"), _("Status"), _("Signed on")]
    table = Table(
        "orders",
        _("Orders"),
        columns,
        [
            [
                o.reference,
                o.supplier.name,
                category_name(o.category),
                o.quantity,
                o.amount,
                o.currency,
                o.get_status_display(),
                o.signed_on,
            ]
            for o in found
        ],
        {3, 4},
    )
    context = purchase_context(actor, coalition) | {
        "rows": [_row(o) for o in found],
        "prefix": f"{coalition.slug}-orders",
    }
    return table_response(request, "procurement/orders.html", context, [table])


def _detail_page(
    request: HttpRequest,
    coalition: Coalition,
    reference: str,
    amend: AmendForm | None = None,
    cancel: CancelForm | None = None,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    actor = actor_of(request)
    order = selectors.order_get(actor=actor, coalition=coalition, reference=reference)
    fundings = sorted(order.fundings.all(), key=lambda f: (f.fund_id, f.category, f.origin))
    categories = {c.slug: c for c in categories_list()}
    context = purchase_context(actor, coalition) | {
        "order": order,
        "summary": _row(order),
        "lines": [
            {
                "requirement": line.requirement.reference,
                "quantity": units(line.quantity),
                "due": line.due,
            }
            for line in sorted(order.lines.all(), key=lambda x: (x.due, x.requirement.reference))
        ],
        "fundings": [
            {
                "fund": f.fund.name,
                "earmark": " · ".join(
                    x for x in (category_name(categories.get(f.category)), f.origin) if x
                ),
                "amount": money_minor(f.amount_minor, f.currency),
                "joined": f.joined,
                "obligation": f.obligation_key,
            }
            for f in fundings
            if f.amount_minor
        ],
        "revisions": [
            {
                "r": r,
                "quantity": units(r.quantity),
                "amount": money_minor(r.amount_minor, order.currency),
            }
            for r in order.revisions.select_related("created_by").order_by("number")
        ],
        "signed": order.status == OrderStatus.SIGNED,
        "amend": amend or AmendForm(),
        "cancel": cancel or CancelForm(),
    }
    context |= delivery_context(order, bound)
    return render(request, "procurement/order.html", context, status=status)


@login_required
def order_page(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    return _detail_page(request, coalition_get(slug=slug), reference)


@login_required
@require_POST
def order_amend(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    form = AmendForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, coalition, reference, amend=form, status=422)
    try:
        order_changes.order_amend(
            actor=actor_of(request), coalition=coalition, reference=reference, **form.cleaned_data
        )
    except DomainError as error:
        form_error(form, error)
        return _detail_page(request, coalition, reference, amend=form, status=error.status)
    messages.success(request, _("Order %(ref)s is amended.") % {"ref": reference})
    return redirect("order", slug=coalition.slug, reference=reference)


@login_required
@require_POST
def order_cancel(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, coalition, reference, cancel=form, status=422)
    try:
        order_changes.order_cancel(
            actor=actor_of(request), coalition=coalition, reference=reference, **form.cleaned_data
        )
    except DomainError as error:
        form_error(form, error)
        return _detail_page(request, coalition, reference, cancel=form, status=error.status)
    messages.success(request, _("Order %(ref)s is cancelled.") % {"ref": reference})
    return redirect("order", slug=coalition.slug, reference=reference)
