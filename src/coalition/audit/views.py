"""Thin web views of the audit log for auditors and admins: the log (filtered, newest
first, 50 a page, or all of it as CSV), verifying the chain, the days' heads (exported as
CSV or JSON) and comparing an earlier export with the chain."""

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coalition.access.actor import Actor, actor_of
from coalition.access.policy import require
from coalition.audit.errors import HeadsFileInvalid
from coalition.audit.forms import HeadsCompareForm, LogFilterForm
from coalition.audit.selectors_days import (
    Comparison,
    audit_days,
    days_csv,
    days_json,
    heads_compare,
)
from coalition.audit.selectors_log import audit_log, audit_log_choices, change_items, log_csv
from coalition.audit.selectors_verify import Done, verification_last, verification_pending
from coalition.audit.services_days import audit_chain_verify_request

PAGE_SIZE = 50
CSV = "text/csv; charset=utf-8"
DAYS_SHOWN = 31


def _page(
    request: HttpRequest,
    actor: Actor,
    *,
    compare_form: HeadsCompareForm | None = None,
    comparison: Comparison | None = None,
    status: int = 200,
) -> HttpResponse:
    form = LogFilterForm(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "compare_form": compare_form or HeadsCompareForm(),
        "comparison": comparison,
        "choices": audit_log_choices(actor=actor),
        "days": list(audit_days(actor=actor)[:DAYS_SHOWN]),
        "today": timezone.localdate(),
        "pending": verification_pending(),
        "last": _said(verification_last(actor=actor)),
    }
    if form.is_valid():
        filters = form.filters()
        events = audit_log(actor=actor, filters=filters)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        query = filters.as_query()
        context |= {
            "page": page,
            "events": [{"e": e, "changes": change_items(e.changes)} for e in page],
            "query": urlencode(query),
        }
    return render(request, "audit/log.html", context, status=status)


def _said(last: Done | None) -> dict[str, Any] | None:
    """The last verification's answer, in the sentence the button used to flash."""
    if last is None:
        return None
    if last.intact:
        text = _("The chain is intact: %(events)s events, head #%(seq)s %(head)s.") % {
            "events": last.events,
            "seq": last.seq or 0,
            "head": last.head or "—",
        }
    else:
        text = _("The chain is broken: %(problems)s (%(events)s events intact before it).") % {
            "problems": "; ".join(last.problems),
            "events": last.events,
        }
    return {"intact": last.intact, "text": text, "at": last.at, "by": last.by}


@require_GET
def audit_page(request: HttpRequest) -> HttpResponseBase:
    actor = actor_of(request)
    require(actor, "audit.view")
    if request.GET.get("export") == "csv":
        form = LogFilterForm(request.GET)
        if form.is_valid():
            events = audit_log(actor=actor, filters=form.filters())
            response = StreamingHttpResponse(
                log_csv(events), content_type="text/csv; charset=utf-8"
            )
            name = f"audit-log-{timezone.localdate().isoformat()}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return _page(request, actor)


@require_POST
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    """Starts a verification in the task worker; the page shows it running, then its answer."""
    audit_chain_verify_request(actor=actor_of(request))
    return redirect(reverse("audit") + "#verify-title")


@require_GET
def audit_heads_export(request: HttpRequest) -> HttpResponse:
    days = audit_days(actor=actor_of(request))
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "csv":
        response = HttpResponse(days_csv(days), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-heads-{stamp}.csv"'
        return response
    response = HttpResponse(days_json(days), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="audit-heads-{stamp}.json"'
    return response


@require_POST
def audit_heads_compare_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, "audit.view")
    form = HeadsCompareForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            comparison = heads_compare(actor=actor, name=upload.name, data=upload.read())
        except HeadsFileInvalid as error:
            form.add_error("file", error.message)
        else:
            return _page(request, actor, comparison=comparison)
    return _page(request, actor, compare_form=form, status=422)
