"""Thin web views of delivery manifests: the upload form, the latest imports and one
import's status (the page reloads itself while a queued import runs) and errors by row.
The services decide; a refused file is shown beside the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.access.actor import actor_of
from coalition.access.policy import may
from coalition.errors import DomainError
from coalition.governance.models import Coalition
from coalition.governance.selectors import coalition_get
from coalition.procurement import selectors_deliveries as selectors
from coalition.procurement.forms_purchase import UploadForm
from coalition.procurement.models import BatchStatus, DeliveryBatch
from coalition.procurement.services.delivery_batches import deliveries_upload
from coalition.procurement.views_format import purchase_context
from coalition.web.errors import upload_errors

LATEST = 20
REFRESH_SECONDS = 3


def _chosen(request: HttpRequest, batches: list[DeliveryBatch]) -> DeliveryBatch | None:
    """The batch of `?batch=ID` among the latest, else the latest one."""
    wanted = request.GET.get("batch", "")
    for batch in batches:
        if str(batch.pk) == wanted:
            return batch
    return batches[0] if batches else None


def _page(
    request: HttpRequest,
    coalition: Coalition,
    upload: UploadForm,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    batches = list(selectors.delivery_batches_list(actor=actor, coalition=coalition)[:LATEST])
    chosen = _chosen(request, batches)
    running = chosen is not None and chosen.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)
    context = purchase_context(actor, coalition) | {
        "batches": batches,
        "chosen": chosen,
        "refresh": REFRESH_SECONDS if running and not errors else None,
        "upload": upload,
        "errors": errors or [],
        "may_record": may(actor, "delivery.record", coalition=coalition),
    }
    return render(request, "procurement/deliveries.html", context, status=status)


@login_required
def deliveries_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, coalition_get(slug=slug), UploadForm())


@login_required
@require_POST
def deliveries_import(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    upload = UploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, coalition, upload, status=422)
    file = upload.cleaned_data["file"]
    try:
        result = deliveries_upload(
            actor=actor_of(request), coalition=coalition, data=file, name=file.name, size=file.size
        )
    except DomainError as error:
        return _page(request, coalition, upload, upload_errors(error), error.status)
    page = reverse("deliveries", args=[coalition.slug])
    if result.queued:
        messages.info(
            request,
            _("%(file)s is queued: this page shows its progress.") % {"file": file.name},
        )
    else:
        messages.success(
            request,
            _("%(file)s: %(rows)d rows, %(written)d items recorded, %(known)d already there.")
            % {
                "file": file.name,
                "rows": result.rows,
                "written": result.written,
                "known": result.known,
            },
        )
    if result.batch is None:
        return redirect(page)
    return redirect(f"{page}?batch={result.batch.pk}")
