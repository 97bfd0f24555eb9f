"""What a person must do now in a coalition's purchase, by what the access policy lets
them do there: the beneficiary's inspections, the fund manager's approvals and payments,
manifests refused or still running, competitions past their deadline. Each line links to
the page where it is done. Reads only."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.access.actor import Actor
from coalition.access.policy import may
from coalition.governance.models import Coalition
from coalition.procurement.models import (
    BatchStatus,
    Competition,
    CompetitionStatus,
    DeliveryBatch,
    Order,
    OrderStatus,
    PlanRun,
    PlanSource,
    PlanStatus,
)
from coalition.procurement.views_format import money_minor, units

RECENT_DAYS = 30  # a refused manifest stays on the list this long


@dataclass(frozen=True)
class Todo:
    kind: str  # inspect, approve, pay, manifest, close-competition
    text: str
    url: str


def _inspections(coalition: Coalition) -> list[Todo]:
    waiting = Order.objects.filter(
        coalition=coalition,
        status=OrderStatus.SIGNED,
        delivered__gt=F("accepted") + F("rejected"),
    ).select_related("supplier")
    todos = []
    for order in waiting.order_by("signed_on", "reference"):
        n = order.delivered - order.accepted - order.rejected
        text = ngettext(
            "%(n)s item of %(order)s (%(supplier)s) awaits your inspection",
            "%(n)s items of %(order)s (%(supplier)s) await your inspection",
            n,
        ) % {"n": units(n), "order": order.reference, "supplier": order.supplier.name}
        todos.append(
            Todo("inspect", text, reverse("order", args=[coalition.slug, order.reference]))
        )
    return todos


def _approvals(coalition: Coalition) -> list[Todo]:
    runs = PlanRun.objects.filter(
        coalition=coalition,
        source=PlanSource.DATABASE,
        status=PlanStatus.DONE,
        approved_at__isnull=True,
    ).order_by("id")
    return [
        Todo(
            "approve",
            _("Plan %(name)s is solved and awaits your approval") % {"name": run.name or run.pk},
            reverse("plan", args=[run.pk]),
        )
        for run in runs
    ]


def _payments(coalition: Coalition) -> list[Todo]:
    unpaid = Order.objects.filter(
        coalition=coalition,
        status=OrderStatus.SIGNED,
        paid_minor__lt=F("accepted") * F("unit_price_minor"),
    ).select_related("supplier")
    return [
        Todo(
            "pay",
            _("%(order)s (%(supplier)s): %(amount)s accepted and not yet paid")
            % {
                "order": o.reference,
                "supplier": o.supplier.name,
                "amount": money_minor(o.accepted * o.unit_price_minor - o.paid_minor, o.currency),
            },
            reverse("order", args=[coalition.slug, o.reference]),
        )
        for o in unpaid.order_by("signed_on", "reference")
    ]


def _manifests(coalition: Coalition, today: date) -> list[Todo]:
    since = today - timedelta(days=RECENT_DAYS)
    batches = DeliveryBatch.objects.filter(coalition=coalition).filter(
        status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.FAILED],
        created_at__date__gte=since,
    )
    url = reverse("deliveries", args=[coalition.slug])
    todos = []
    for batch in batches.order_by("-created_at")[:10]:
        if batch.status == BatchStatus.FAILED:
            text = _("Manifest %(name)s was refused: read its errors") % {"name": batch.name}
        else:
            text = _("Manifest %(name)s is being imported") % {"name": batch.name}
        todos.append(Todo("manifest", text, f"{url}?batch={batch.pk}"))
    return todos


def _competitions(coalition: Coalition, today: date) -> list[Todo]:
    due = Competition.objects.filter(
        coalition=coalition, status=CompetitionStatus.OPEN, bid_deadline__lt=today
    ).order_by("bid_deadline")
    return [
        Todo(
            "close-competition",
            _("Competition %(ref)s is past its bid deadline: close it to plan")
            % {"ref": c.reference},
            reverse("competition", args=[coalition.slug, c.reference]),
        )
        for c in due
    ]


def purchase_todo(*, actor: Actor, coalition: Coalition, today: date) -> list[Todo]:
    """The lines `actor` must act on in `coalition`, most pressing kind first."""
    if not actor.is_authenticated or actor.is_admin:
        return []  # an administrator may do everything: the list would be everyone's
    todos: list[Todo] = []
    if may(actor, "delivery.inspect", coalition=coalition):
        todos += _inspections(coalition)
    if may(actor, "plan.approve", coalition=coalition):
        todos += _approvals(coalition)
    if may(actor, "order.pay", coalition=coalition):
        todos += _payments(coalition)
    if may(actor, "delivery.record", coalition=coalition):
        todos += _manifests(coalition, today)
    if may(actor, "competition.manage", coalition=coalition):
        todos += _competitions(coalition, today)
    return todos
