"""Thin REST router of delivery manifests: an upload (imported at once when small, else
queued for the task worker: 202 and the batch), a batch's status, an order's serials."""

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from coalition.access.actor import actor_of
from coalition.governance.selectors import coalition_get
from coalition.procurement import selectors_deliveries as selectors
from coalition.procurement.models import DeliveryBatch
from coalition.procurement.services.delivery_batches import deliveries_upload

router = Router(tags=["deliveries"])

MAX_PAGE = 1000


class RowErrorOut(Schema):
    file: str
    row: int | None
    column: str | None
    message: str


class BatchOut(Schema):
    id: int
    url: str
    file: str
    status: str = Field(description="queued, running, done or failed")
    processed: int = Field(description="rows read so far")
    rows: int
    written: int = Field(description="items written by this import")
    known: int = Field(description="rows already delivered as given (skipped)")
    errors: list[RowErrorOut] = Field(description="why a failed batch was refused, by row")
    created_at: datetime
    finished_at: datetime | None


class ImportOut(Schema):
    file: str
    status: str = Field(description="done, or queued for the task worker (202)")
    rows: int
    written: int
    known: int
    batch: BatchOut | None = Field(description="the import's batch (none when nothing new)")


class ItemOut(Schema):
    serial: str
    delivered_on: date
    lot: str
    status: str
    replaces: str | None


class ItemsPage(Schema):
    count: int = Field(description="all the order's items")
    items: list[ItemOut]
    next: str | None = Field(description="the next page, while there is one")


def batch_url(batch: DeliveryBatch) -> str:
    return f"/api/v1/coalitions/{batch.coalition.slug}/deliveries/batches/{batch.pk}"


def batch_out(batch: DeliveryBatch) -> BatchOut:
    return BatchOut(
        id=batch.pk,
        url=batch_url(batch),
        file=batch.name,
        status=batch.status,
        processed=batch.processed,
        rows=batch.rows,
        written=batch.written,
        known=batch.known,
        errors=[RowErrorOut(**e) for e in batch.errors or []],
        created_at=batch.created_at,
        finished_at=batch.finished_at,
    )


@router.post(
    "/coalitions/{slug}/deliveries/import",
    response={200: ImportOut, 202: ImportOut},
    summary="Import a delivery manifest (.csv or .xlsx), all or nothing",
    description="A file up to 1 MB is imported at once (200). A larger one is kept and "
    "queued for the task worker (202): its batch's `url` (also the Location header) gives "
    "the rows read, then the counts or the errors by row. Fund manager's or beneficiary's "
    "delegation.",
)
def deliveries_import(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    file: UploadedFile = File(...),  # noqa: B008
) -> Status:
    name = file.name or "manifest.csv"
    result = deliveries_upload(
        actor=actor_of(request),
        coalition=coalition_get(slug=slug),
        data=file,
        name=name,
        size=file.size or 0,
    )
    batch = batch_out(result.batch) if result.batch is not None else None
    out = ImportOut(
        file=name,
        status="queued" if result.queued else "done",
        rows=result.rows,
        written=result.written,
        known=result.known,
        batch=batch,
    )
    if result.queued and batch is not None:
        response["Location"] = batch.url
        return Status(202, out)
    return Status(200, out)


@router.get(
    "/coalitions/{slug}/deliveries/batches/{batch_id}",
    response=BatchOut,
    summary="A manifest import: its status, rows read, counts and errors",
)
def delivery_batch(request: HttpRequest, slug: str, batch_id: int) -> BatchOut:
    found = selectors.delivery_batch_get(
        actor=actor_of(request), coalition=coalition_get(slug=slug), batch_id=batch_id
    )
    return batch_out(found)


class ItemsQuery(Schema):
    after: str | None = Field(None, description="the last serial of the previous page")
    limit: int = Field(100, ge=1, le=MAX_PAGE)


@router.get(
    "/coalitions/{slug}/orders/{reference}/items",
    response=ItemsPage,
    summary="An order's delivered items by serial, a page at a time",
)
def order_items(
    request: HttpRequest,
    slug: str,
    reference: str,
    query: Query[ItemsQuery],  # type: ignore[type-arg]
) -> ItemsPage:
    found = selectors.order_items(
        actor=actor_of(request), coalition=coalition_get(slug=slug), reference=reference
    )
    page = found.filter(serial__gt=query.after) if query.after else found
    items = list(page[: query.limit + 1])
    more = len(items) > query.limit
    items = items[: query.limit]
    next_url = None
    if more:
        next_url = (
            f"/api/v1/coalitions/{slug}/orders/{reference}/items"
            f"?after={items[-1].serial}&limit={query.limit}"
        )
    return ItemsPage(
        count=found.count(),
        items=[
            ItemOut(
                serial=i.serial,
                delivered_on=i.delivered_on,
                lot=i.lot,
                status=i.status,
                replaces=i.replaces.serial if i.replaces else None,
            )
            for i in items
        ],
        next=next_url,
    )
