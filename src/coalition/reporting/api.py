"""Thin REST router of the reports (docs/CONTRACT.md: the totals endpoint), served from
coalition.api_cache as plain dicts with the fields of TotalsOut."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from coalition.api_cache import cached_read
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_get
from coalition.reporting import selectors
from coalition.reporting.schemas import TotalsOut

router = Router(tags=["reporting"])


def reported_out(coalition: Coalition, year: int | None) -> list[dict[str, Any]]:
    """ReportedOut's fields."""
    return [
        {
            "kind": f.kind,
            "year": f.year,
            "description": f.description,
            "amount": None if f.amount is None else str(f.amount),
            "currency": f.currency,
            "approximate": f.approximate,
            "as_of": f.as_of,
            "country": f.country_id,
            "channel": f.channel or None,
            "category": f.category or None,
            "origin": f.origin or None,
            "note": f.note,
            "source": f.source.key,
        }
        for f in selectors.reported_figures(coalition=coalition, year=year)
    ]


@router.get(
    "/coalitions/{slug}/totals",
    response=TotalsOut,
    auth=None,
    summary="Pledged, committed, disbursed in a year, in EUR",
    description="Each status step counts in the year of its date, converted to EUR at the "
    "ECB reference rate of that date. `reported`: figures as sources give them (e.g. "
    "coalition totals), kept beside the ledger's and never split.",
)
@cached_read(public=True)
def totals(request: HttpRequest, slug: str, year: int | None = None) -> dict[str, Any]:
    # TotalsOut's fields, as plain dicts (lean, see coalition.api_cache).
    coalition = coalition_get(slug=slug)
    year = year or timezone.localdate().year
    if not 1999 <= year <= 2100:
        raise HttpError(422, "year must be between 1999 and 2100")
    t = selectors.totals(coalition=coalition, year=year)
    return {
        "year": year,
        "currency": "EUR",
        **t.total.as_dict(),
        "by_member": [{**v.as_dict(), "country": k} for k, v in t.by_member.items()],
        "by_channel": [{**v.as_dict(), "channel": k} for k, v in t.by_channel.items()],
        "by_category": [{**v.as_dict(), "category": k or None} for k, v in t.by_category.items()],
        "reported": reported_out(coalition, year),
    }
