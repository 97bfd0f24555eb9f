"""A coalition's figures at a glance, for the home page's card: what a newcomer wants to
know first, each from the same selectors as the pages behind it, built once per version
of the data (coalition.api_cache)."""

from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from coalition.api_cache import cached_value
from coalition.finance.models import ReportedFigure
from coalition.governance import selectors as governance
from coalition.governance.models import ApplicationStatus, Coalition
from coalition.procurement.models import Order, OrderStatus


@dataclass(frozen=True)
class Headline:
    members: int
    pending: int
    support: ReportedFigure | None  # the coalition's own figure for the latest year given
    delivered: int


def _support(coalition: Coalition, year: int) -> ReportedFigure | None:
    """The largest coalition-level figure the sources give for the latest year up to
    `year` (a figure for one country is not the coalition's)."""
    figures = ReportedFigure.objects.filter(
        coalition=coalition, country__isnull=True, amount_minor__isnull=False, year__lte=year
    ).select_related("source")
    return figures.order_by("-year", "-amount_minor").first()


def _headline(coalition: Coalition) -> Headline:
    today = timezone.localdate()
    pending = governance.applications_public(coalition=coalition, status=ApplicationStatus.PENDING)
    delivered = (
        Order.objects.filter(coalition=coalition)
        .exclude(status=OrderStatus.CANCELLED)
        .aggregate(n=Sum("delivered"))["n"]
    )
    return Headline(
        members=len(governance.members_on(coalition=coalition, on=today)),
        pending=len(pending),
        support=_support(coalition, today.year),
        delivered=int(delivered or 0),
    )


def headline(coalition: Coalition) -> Headline:
    return cached_value(f"headline:{coalition.pk}", lambda: _headline(coalition))
