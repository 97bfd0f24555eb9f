"""Thin REST router for coalitions and members (docs/CONTRACT.md); accession_api.py beside.

The public reads are served from coalition.api_cache and return plain dicts with the
fields of their `response=` schema, in its order (lean: no model validated per row)."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from coalition.api_cache import cached_read
from coalition.governance import selectors
from coalition.governance.accession_api import router as accession_router
from coalition.governance.models import Coalition, Role
from coalition.governance.schemas import (
    CategoryOut,
    CoalitionDetailOut,
    CoalitionOut,
    MemberOut,
)

router = Router(tags=["governance"])


def _members_out(coalition: Coalition, on: date) -> list[dict[str, Any]]:
    """MemberOut's fields."""
    return [
        {
            "country": row.country.code,
            "name": row.country.name,
            "roles": row.roles,
            "since": row.since,
            "note": row.note,
            "source": row.source_key,
        }
        for row in selectors.members_on(coalition=coalition, on=on)
    ]


def _source_out(coalition: Coalition) -> dict[str, Any] | None:
    """SourceOut's fields."""
    s = coalition.source
    if s is None:
        return None
    fields = ("key", "title", "publisher", "published", "url", "note")
    return {name: getattr(s, name) for name in fields}


@router.get("/coalitions", response=list[CoalitionOut], auth=None, summary="List coalitions")
@cached_read(public=True)
def coalitions(request: HttpRequest) -> list[dict[str, Any]]:
    return list(selectors.coalition_list().values(*CoalitionOut.model_fields))


@router.get(
    "/coalitions/{slug}", response=CoalitionDetailOut, auth=None, summary="A coalition today"
)
@cached_read(public=True)
def coalition_detail(request: HttpRequest, slug: str, on: date | None = None) -> dict[str, Any]:
    # CoalitionDetailOut's fields (a docstring would become the OpenAPI description).
    coalition = selectors.coalition_get(slug=slug)
    day = on or timezone.localdate()

    def holder(role: str) -> str | None:
        return selectors.role_holder_on(coalition=coalition, role=role, on=day)

    return {
        "slug": coalition.slug,
        "name": coalition.name,
        "founded": coalition.founded,
        "format": coalition.format,
        "accession_rule": coalition.accession_rule,
        "description": coalition.description,
        "majority_threshold": str(coalition.majority_threshold),
        "quorum": str(coalition.quorum),
        "accession_vote_days": coalition.accession_vote_days,
        "ocid_prefix": coalition.ocid_prefix,
        "confidential_prices": coalition.confidential_prices,
        "confidential_suppliers": coalition.confidential_suppliers,
        "on": day,
        "chair": holder(Role.CHAIR),
        "fund_manager": holder(Role.FUND_MANAGER),
        "beneficiary": holder(Role.BENEFICIARY),
        "members": _members_out(coalition, day),
        "source": _source_out(coalition),
    }


@router.get(
    "/coalitions/{slug}/members",
    response=list[MemberOut],
    auth=None,
    summary="Members on a date (default: today)",
)
@cached_read(public=True)
def members(request: HttpRequest, slug: str, on: date | None = None) -> list[dict[str, Any]]:
    coalition = selectors.coalition_get(slug=slug)
    return _members_out(coalition, on or timezone.localdate())


# Applications, votes and meetings live beside, in their own router.
router.add_router("", accession_router)


@router.get(
    "/categories",
    response=list[CategoryOut],
    auth=None,
    summary="The capability categories (earmarks, requirements, competitions)",
)
@cached_read(public=True)
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    return list(selectors.categories_list().values(*CategoryOut.model_fields))
