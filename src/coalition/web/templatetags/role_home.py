"""The logged-in home page by role: per coalition the person's delegation belongs to (or
every coalition, for auditors), what they must do now in its purchase and the figures that
matter to them: their own country's support in the latest year with movements beside the
coalition's, and the purchase's orders, deliveries and payments."""

from dataclasses import dataclass, field
from decimal import Decimal

from django import template
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from coalition.access.actor import Actor, actor_of
from coalition.access.policy import may
from coalition.finance.money import from_minor
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_list
from coalition.procurement.models import Order, OrderStatus
from coalition.procurement.selectors_todo import Todo, purchase_todo
from coalition.reporting.selectors import Figures, totals, totals_by_year

register = template.Library()


@dataclass
class CoalitionHome:
    coalition: Coalition
    todos: list[Todo] = field(default_factory=list)
    year: int | None = None
    coalition_figures: Figures | None = None
    own_figures: Figures | None = None
    orders: int = 0
    delivered: int = 0
    accepted: int = 0
    paid_eur: Decimal = Decimal(0)


def _coalitions(actor: Actor) -> list[Coalition]:
    """The coalitions whose purchase `actor` reads: its delegation's, the beneficiary's,
    every one for auditors and admins."""
    return [c for c in coalition_list() if may(actor, "procurement.view", coalition=c)]


def _figures(home: CoalitionHome, actor: Actor) -> None:
    today = timezone.localdate()
    years = [y for y in totals_by_year(coalition=home.coalition) if y <= today.year]
    if not years:
        return
    home.year = max(years)
    found = totals(coalition=home.coalition, year=home.year)
    home.coalition_figures = found.total
    if actor.speaks_for is not None:
        home.own_figures = found.by_member.get(actor.speaks_for, Figures())


def _purchase(home: CoalitionHome) -> None:
    """The purchase's figures from the orders' running counts: one query, where the whole
    reconciliation would also allocate every line and read every fund."""
    live = Order.objects.filter(coalition=home.coalition).exclude(status=OrderStatus.CANCELLED)
    found = live.aggregate(
        orders=Count("id"),
        delivered=Sum(F("delivered") - F("rejected")),
        accepted=Sum("accepted"),
        paid=Sum("paid_minor", filter=Q(currency="EUR")),
    )
    home.orders = found["orders"]
    home.delivered = found["delivered"] or 0
    home.accepted = found["accepted"] or 0
    home.paid_eur = from_minor(found["paid"] or 0, "EUR")


@register.simple_tag(takes_context=True)
def role_home(context: template.Context) -> list[CoalitionHome]:
    actor = actor_of(context.get("request"))
    if not actor.is_authenticated:
        return []
    homes = []
    for coalition in _coalitions(actor):
        home = CoalitionHome(coalition)
        home.todos = purchase_todo(actor=actor, coalition=coalition, today=timezone.localdate())
        _figures(home, actor)
        _purchase(home)
        homes.append(home)
    return homes
