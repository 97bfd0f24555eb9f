"""Thin REST router of the OCDS export: the coalition's procurement as an OCDS 1.1
release package, or a record package with compiled releases. Read by those who read the
procurement (procurement.view); the package is the public export all the same, without
what the coalition marks confidential."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from coalition.access.actor import actor_of
from coalition.governance.selectors import coalition_get
from coalition.procurement.ocds import package_json, record_package, release_package

router = Router(tags=["purchases"])
OCDS = "/coalitions/{slug}/ocds"
_ABOUT = (
    "One contracting process per competition, its ocid `<ocid_prefix>-<slug>-<reference>`. "
    "Amounts are JSON numbers. Prices (every value but the budget) and suppliers are left "
    "out when the coalition marks them confidential. `download=true`: served as a file. "
    "404 ocds.nothing_to_publish when the coalition has no competition yet."
)


def _served(package: dict[str, Any], name: str, download: bool) -> HttpResponse:
    response = HttpResponse(package_json(package), content_type="application/json")
    if download:
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@router.get(
    f"{OCDS}/releases",
    response=dict[str, Any],
    summary="The procurement as an OCDS 1.1 release package",
    description="Planning, tender, award, contract and implementation releases. " + _ABOUT,
)
def ocds_releases(request: HttpRequest, slug: str, download: bool = False) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    package = release_package(
        actor=actor_of(request), coalition=coalition, base_url=_base_url(request)
    )
    return _served(package, f"{coalition.slug}-ocds-releases.json", download)


@router.get(
    f"{OCDS}/records",
    response=dict[str, Any],
    summary="The procurement as an OCDS 1.1 record package with compiled releases",
    description="One record per contracting process: its releases embedded and the "
    "compiled release (the OCDS merge rules). " + _ABOUT,
)
def ocds_records(request: HttpRequest, slug: str, download: bool = False) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    package = record_package(
        actor=actor_of(request), coalition=coalition, base_url=_base_url(request)
    )
    return _served(package, f"{coalition.slug}-ocds-records.json", download)
