"""Thin web views of an order after delivery, on the order page: what was delivered,
accepted, rejected and paid; the beneficiary's inspections (accept or reject a lot or
serials, a rejection confirmed), the fund manager's payments and the closing of the
order. The services decide; refusals are shown beside the form."""

from collections import Counter, defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coalition.access.actor import actor_of
from coalition.errors import DomainError
from coalition.finance.models import AccountKind, Posting
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_get
from coalition.procurement.forms_payments import AcceptForm, CloseForm, PayForm, RejectForm
from coalition.procurement.models import ItemStatus, Order, OrderStatus, Verdict
from coalition.procurement.services import inspections, payments
from coalition.procurement.views_format import money_minor, units
from coalition.web.errors import form_error


def _paid_from(order: Order) -> dict[str, list[str]]:
    """Each payment's funds (fund name and amount), from its ledger postings."""
    keys = list(order.payments.values_list("transaction_key", flat=True))
    found: dict[str, list[str]] = defaultdict(list)
    postings = (
        Posting.objects.filter(
            transaction__idempotency_key__in=keys, account__kind=AccountKind.PAID
        )
        .select_related("transaction", "account__fund")
        .order_by("account__fund_id", "account__category", "account__origin")
    )
    for p in postings:
        earmark = " · ".join(x for x in (p.account.category, p.account.origin) if x)
        name = p.account.fund.name + (f" ({earmark})" if earmark else "")
        found[p.transaction.idempotency_key].append(
            f"{name}: {money_minor(p.amount_minor, p.currency)}"
        )
    return found


def delivery_context(order: Order, bound: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    """What the order page shows after delivery, and its forms (bound ones when a POST
    was refused)."""
    waiting = Counter(order.items.filter(status=ItemStatus.DELIVERED).values_list("lot", flat=True))
    worth = order.accepted * order.unit_price_minor
    paid_from = _paid_from(order)
    forms_ = {
        "accept": AcceptForm(),
        "reject": RejectForm(),
        "pay": PayForm(),
        "close": CloseForm(),
    } | (bound or {})
    return {
        "delivery": {
            "delivered": units(order.delivered),
            "accepted": units(order.accepted),
            "rejected": units(order.rejected),
            "awaiting": units(order.delivered - order.accepted - order.rejected),
            "paid": money_minor(order.paid_minor, order.currency),
            "payable": money_minor(worth - order.paid_minor, order.currency),
            "lots": [
                {"lot": lot or "—", "named": bool(lot), "items": units(n)}
                for lot, n in sorted(waiting.items())
            ],
        },
        "inspections": [
            {"i": i, "items": units(i.items)}
            for i in order.inspections.select_related("created_by").order_by("decided_on", "id")
        ],
        "payments": [
            {
                "p": p,
                "amount": money_minor(p.amount_minor, p.currency),
                "paid_from": paid_from[p.transaction_key],
            }
            for p in order.payments.select_related("created_by").order_by("paid_on", "id")
        ],
        "open": order.status == OrderStatus.SIGNED,
        **forms_,
    }


def _refused(
    request: HttpRequest,
    coalition: Coalition,
    reference: str,
    name: str,
    form: forms.Form,
    status: int,
) -> HttpResponse:
    from coalition.procurement import views_orders  # the order page, which includes ours

    return views_orders._detail_page(
        request, coalition, reference, status=status, bound={name: form}
    )


@login_required
@require_POST
def order_inspect(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    rejected = request.POST.get("verdict") == Verdict.REJECTED
    form: AcceptForm = RejectForm(request.POST) if rejected else AcceptForm(request.POST)
    name = "reject" if rejected else "accept"
    if not form.is_valid():
        return _refused(request, coalition, reference, name, form, 422)
    try:
        inspection = inspections.items_inspect(
            actor=actor_of(request),
            coalition=coalition,
            order=reference,
            verdict=Verdict.REJECTED if rejected else Verdict.ACCEPTED,
            lot=form.cleaned_data["lot"],
            serials=form.serial_list() or None,
            reason=form.cleaned_data.get("reason", ""),
            note=form.cleaned_data["note"],
            on=form.cleaned_data["date"],
        )
    except DomainError as error:
        form_error(form, error)
        return _refused(request, coalition, reference, name, form, error.status)
    said = (
        ngettext("%(n)s item rejected.", "%(n)s items rejected.", inspection.items)
        if rejected
        else ngettext("%(n)s item accepted.", "%(n)s items accepted.", inspection.items)
    )
    messages.success(request, said % {"n": inspection.items})
    return redirect("order", slug=coalition.slug, reference=reference)


@login_required
@require_POST
def order_pay(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    form = PayForm(request.POST)
    if not form.is_valid():
        return _refused(request, coalition, reference, "pay", form, 422)
    try:
        payment = payments.order_pay(
            actor=actor_of(request),
            coalition=coalition,
            order=reference,
            reference=form.cleaned_data["reference"],
            amount=form.cleaned_data["amount"],
            paid_on=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        form_error(form, error)
        return _refused(request, coalition, reference, "pay", form, error.status)
    messages.success(
        request,
        _("Payment %(ref)s of %(amount)s is recorded.")
        % {"ref": payment.reference, "amount": money_minor(payment.amount_minor, payment.currency)},
    )
    return redirect("order", slug=coalition.slug, reference=reference)


@login_required
@require_POST
def order_close(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _refused(request, coalition, reference, "close", form, 422)
    try:
        payments.order_close(
            actor=actor_of(request),
            coalition=coalition,
            order=reference,
            on=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        form_error(form, error)
        return _refused(request, coalition, reference, "close", form, error.status)
    messages.success(request, _("Order %(ref)s is closed.") % {"ref": reference})
    return redirect("order", slug=coalition.slug, reference=reference)
