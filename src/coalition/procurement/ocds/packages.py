"""The OCDS 1.1 release package and record package of a coalition's procurement, and
their JSON text. Both are the public export: they honour the coalition's confidentiality
settings (governance Coalition.confidential_prices / confidential_suppliers)."""

import json
from datetime import datetime
from typing import Any

from django.utils import timezone

from coalition.access.actor import Actor
from coalition.errors import NotFound
from coalition.governance.models import Coalition
from coalition.procurement.ocds.merge import compile_releases
from coalition.procurement.ocds.releases import Json, Privacy, moment, process_releases
from coalition.procurement.selectors_ocds import ocds_source

VERSION = "1.1"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class NothingToPublish(NotFound):
    """A package holds at least one release (the standard's minItems): a coalition
    without a competition has none."""

    code = "ocds.nothing_to_publish"


def package_uri(coalition: Coalition, kind: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """Where the package is served: `/api/v1/coalitions/<slug>/ocds/<kind>`."""
    return f"{base_url.rstrip('/')}/api/v1/coalitions/{coalition.slug}/ocds/{kind}"


def _header(coalition: Coalition, kind: str, base_url: str, published: datetime | None) -> Json:
    return {
        "uri": package_uri(coalition, kind, base_url),
        "version": VERSION,
        "publishedDate": moment(published or timezone.now()),
        "publisher": {"name": coalition.name},
    }


def _processes(actor: Actor, coalition: Coalition) -> list[tuple[str, list[Json]]]:
    privacy = Privacy(
        prices=coalition.confidential_prices, suppliers=coalition.confidential_suppliers
    )
    found = process_releases(ocds_source(actor=actor, coalition=coalition), privacy=privacy)
    if not found:
        raise NothingToPublish(
            f"coalition '{coalition.slug}' has no competition yet: nothing to publish in OCDS"
        )
    return found


def release_package(
    *,
    actor: Actor,
    coalition: Coalition,
    base_url: str = DEFAULT_BASE_URL,
    published: datetime | None = None,
) -> Json:
    """Every release of every contracting process (one per competition), in date order
    within each process."""
    releases = [
        release
        for _, found in _processes(actor, coalition)
        for release in sorted(found, key=lambda r: str(r["date"]))
    ]
    return {**_header(coalition, "releases", base_url, published), "releases": releases}


def record_package(
    *,
    actor: Actor,
    coalition: Coalition,
    base_url: str = DEFAULT_BASE_URL,
    published: datetime | None = None,
) -> Json:
    """One record per ocid: its releases embedded, in date order, and its compiled
    release (merge.py)."""
    records = []
    for ocid, found in _processes(actor, coalition):
        ordered = sorted(found, key=lambda r: str(r["date"]))
        records.append(
            {"ocid": ocid, "releases": ordered, "compiledRelease": compile_releases(ordered)}
        )
    header = _header(coalition, "records", base_url, published)
    return {
        **header,
        "packages": [package_uri(coalition, "releases", base_url)],
        "records": records,
    }


def package_json(package: Any, *, indent: int | None = 2) -> str:
    """The package as JSON text (UTF-8 characters kept, amounts as numbers)."""
    return json.dumps(package, ensure_ascii=False, indent=indent) + "\n"
