"""Thin web views of the beneficiary's requirements (the list, one by form, a file) and of
the purchases' entry page. The services decide; refusals are shown by web.errors."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coalition.access.actor import actor_of
from coalition.access.policy import may
from coalition.errors import DomainError
from coalition.governance.models import Coalition
from coalition.governance.selectors import categories_list, coalition_get, coalition_list
from coalition.procurement import needsfile, selectors
from coalition.procurement.forms_purchase import RequirementForm, UploadForm
from coalition.procurement.services import needs
from coalition.procurement.views_format import category_name, purchase_context, units
from coalition.reporting.tables import Table, table_response
from coalition.web import filetemplates
from coalition.web.errors import form_error, upload_errors


def purchases_home(request: HttpRequest) -> HttpResponse:
    """Where the navigation's link leads: the purchases of the coalition the reader may
    see (straight there when there is one), or why there are none."""
    actor = actor_of(request)
    visible = [c for c in coalition_list() if may(actor, "procurement.view", coalition=c)]
    if len(visible) == 1:
        return redirect("requirements", slug=visible[0].slug)
    return render(request, "procurement/purchases.html", {"coalitions": visible})


def weight(value: Decimal) -> str:
    """10, not 1E+1 nor 10.000000."""
    return f"{value.normalize():f}"


def category_choices() -> list[tuple[str, str]]:
    return [(c.slug, category_name(c)) for c in categories_list()]


def _table(found: list[Any]) -> Table:
    columns = [_("Reference"), _("Category"), _("Quantity"), _("Covered by orders")]
    columns += [_("Weight"), _("Needed by"), _("Priority"), _("Status")]
    rows: list[list[object]] = [
        [
            r.reference,
            category_name(r.category),
            r.quantity,
            r.covered,
            Decimal(weight(r.weight)),
            r.needed_by,
            r.get_priority_display(),
            r.get_status_display(),
        ]
        for r in found
    ]
    return Table("requirements", _("Requirements"), columns, rows, {2, 3, 4})


def _page(
    request: HttpRequest,
    coalition: Coalition,
    form: RequirementForm,
    upload: UploadForm,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    found = selectors.requirements_list(actor=actor, coalition=coalition)
    rows = [
        {
            "r": r,
            "category": category_name(r.category),
            "quantity": units(r.quantity),
            "weight": weight(r.weight),
            "covered": units(r.covered),  # type: ignore[attr-defined]
            "percent": min(100, round(100 * r.covered / r.quantity)),  # type: ignore[attr-defined]
        }
        for r in found
    ]
    context = purchase_context(actor, coalition) | {
        "rows": rows,
        "form": form,
        "upload": upload,
        "errors": errors or [],
        "prefix": f"{coalition.slug}-requirements",
    }
    response = table_response(request, "procurement/requirements.html", context, [_table(found)])
    response.status_code = status if response.status_code == 200 else response.status_code
    return response


def _template(fmt: str) -> HttpResponse:
    """The requirements file's columns and one example row to replace."""
    needed_by = timezone.localdate() + timedelta(days=180)
    category = next((slug for slug, _name in category_choices()), "")
    example = [f"REQ-{needed_by.year}-001", category, 100, 1, needed_by, "normal"]
    example.append("example: replace this row")
    return filetemplates.template_file("requirements-file", needsfile.COLUMNS, example, fmt)


@login_required
def requirements_page(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    if request.method == "GET" and (fmt := filetemplates.wanted(request)):
        return _template(fmt)
    form = RequirementForm(request.POST or None, categories=category_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = needs.requirement_create(
                actor=actor, coalition=coalition, **{**data, "weight": str(data["weight"])}
            )
        except DomainError as error:
            form_error(form, error)
            return _page(request, coalition, form, UploadForm(), status=error.status)
        messages.success(request, _("Requirement %(ref)s added.") % {"ref": created.reference})
        return redirect("requirements", slug=coalition.slug)
    status = 422 if form.errors else 200
    return _page(request, coalition, form, UploadForm(), status=status)


@login_required
@require_POST
def requirements_import(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    upload = UploadForm(request.POST, request.FILES)
    blank = RequirementForm(categories=category_choices())
    if not upload.is_valid():
        return _page(request, coalition, blank, upload, status=422)
    file = upload.cleaned_data["file"]
    try:
        result = needs.requirements_import(
            actor=actor, coalition=coalition, data=file, name=file.name
        )
    except DomainError as error:
        return _page(request, coalition, blank, upload, upload_errors(error), error.status)
    if result.changed:
        messages.success(
            request,
            ngettext(
                "%(file)s: %(n)d requirement added, %(same)d already there.",
                "%(file)s: %(n)d requirements added, %(same)d already there.",
                len(result.created),
            )
            % {"file": file.name, "n": len(result.created), "same": result.unchanged},
        )
    else:
        messages.info(request, _("%(file)s: nothing to change.") % {"file": file.name})
    return redirect("requirements", slug=coalition.slug)
