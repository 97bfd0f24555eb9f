"""Thin REST router of the beneficiary's requirements, the suppliers and their test
results: the services decide, the selectors read."""

from django.http import HttpRequest
from ninja import File, Router, Status, UploadedFile

from coalition.access.actor import actor_of
from coalition.governance.selectors import coalition_get
from coalition.procurement import selectors
from coalition.procurement.models import Requirement, Supplier, TrialResult
from coalition.procurement.schemas_purchase import (
    ImportOut,
    RequirementIn,
    RequirementOut,
    SupplierIn,
    SupplierOut,
    TrialIn,
    TrialOut,
)
from coalition.procurement.services import needs, offers

router = Router(tags=["purchases"])


def requirement_out(r: Requirement, covered: int) -> RequirementOut:
    return RequirementOut(
        reference=r.reference,
        category=r.category_id,
        quantity=r.quantity,
        weight=f"{r.weight.normalize():f}",
        needed_by=r.needed_by,
        status=r.status,
        covered=covered,
        priority=r.priority,
        note=r.note,
    )


@router.get(
    "/coalitions/{slug}/requirements",
    response=list[RequirementOut],
    summary="The beneficiary's requirements and how many units orders cover",
)
def requirements(request: HttpRequest, slug: str) -> list[RequirementOut]:
    found = selectors.requirements_list(actor=actor_of(request), coalition=coalition_get(slug=slug))
    return [requirement_out(r, r.covered) for r in found]  # type: ignore[attr-defined]


@router.post(
    "/coalitions/{slug}/requirements",
    response={201: RequirementOut},
    summary="Enter one requirement (by the beneficiary's delegation)",
)
def requirement_create(request: HttpRequest, slug: str, body: RequirementIn) -> Status:
    created = needs.requirement_create(
        actor=actor_of(request), coalition=coalition_get(slug=slug), **body.dict()
    )
    return Status(201, requirement_out(created, 0))


@router.post(
    "/coalitions/{slug}/requirements/import",
    response=ImportOut,
    summary="Import a requirements file (.csv or .xlsx), all or nothing",
)
def requirements_import(
    request: HttpRequest,
    slug: str,
    file: UploadedFile = File(...),  # noqa: B008
) -> ImportOut:
    name = file.name or "requirements.csv"
    result = needs.requirements_import(
        actor=actor_of(request), coalition=coalition_get(slug=slug), data=file, name=name
    )
    return ImportOut(
        file=name, rows=result.rows, created=result.created, unchanged=result.unchanged
    )


def supplier_out(s: Supplier) -> SupplierOut:
    return SupplierOut(name=s.name, country=s.country_id, registration_number=s.registration_number)


@router.get("/coalitions/{slug}/suppliers", response=list[SupplierOut], summary="Suppliers")
def suppliers(request: HttpRequest, slug: str) -> list[SupplierOut]:
    found = selectors.suppliers_list(actor=actor_of(request), coalition=coalition_get(slug=slug))
    return [supplier_out(s) for s in found.order_by("name")]


@router.post(
    "/coalitions/{slug}/suppliers",
    response={201: SupplierOut},
    summary="Record a supplier (by the fund manager)",
)
def supplier_create(request: HttpRequest, slug: str, body: SupplierIn) -> Status:
    created = offers.supplier_create(
        actor=actor_of(request), coalition=coalition_get(slug=slug), **body.dict()
    )
    return Status(201, supplier_out(created))


def trial_out(t: TrialResult) -> TrialOut:
    return TrialOut(
        supplier=t.supplier.name,
        category=t.category_id,
        outcome=t.outcome,
        date=t.date,
        site=t.site,
        note=t.note,
    )


@router.get(
    "/coalitions/{slug}/tests",
    response=list[TrialOut],
    summary="Suppliers' test results (the testing gate), oldest first",
)
def trials(request: HttpRequest, slug: str) -> list[TrialOut]:
    found = selectors.trials_list(actor=actor_of(request), coalition=coalition_get(slug=slug))
    return [trial_out(t) for t in found.order_by("date", "id")]


@router.post(
    "/coalitions/{slug}/tests",
    response={201: TrialOut},
    summary="Record a supplier's test result (fund manager or beneficiary)",
)
def trial_create(request: HttpRequest, slug: str, body: TrialIn) -> Status:
    fields = body.dict()
    recorded = offers.trial_record(
        actor=actor_of(request),
        coalition=coalition_get(slug=slug),
        on=fields.pop("date"),
        **fields,
    )
    return Status(201, trial_out(recorded))
