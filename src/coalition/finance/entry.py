"""Thin web views that write: the pledge file upload and the single-contribution form.
Who may enter what is the access policy's `contribution.enter`, asked by the services
(and here only to choose what the form offers); refusals are shown by web.errors."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.access.actor import actor_of
from coalition.errors import DomainError
from coalition.finance import pledgefile, selectors
from coalition.finance.forms import ContributionForm, PledgeFileForm
from coalition.finance.selectors import EntryScope
from coalition.finance.services.contributions import contribution_record, pledges_import
from coalition.governance.models import Coalition
from coalition.governance.selectors import categories_list, coalition_get, members_on
from coalition.procurement.views_format import category_name, country_name
from coalition.web import filetemplates
from coalition.web.errors import form_error, upload_errors


@login_required
def pledges_upload(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    scope = selectors.entry_scope(actor=actor, coalition=coalition)
    if request.method == "GET" and (fmt := filetemplates.wanted(request)):
        return _pledge_template(coalition, scope, fmt)
    form = PledgeFileForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = pledges_import(actor=actor, coalition=coalition, data=upload, name=upload.name)
        except DomainError as error:
            errors, status = upload_errors(error), error.status
        else:
            if result.changed:
                messages.success(
                    request,
                    _("%(file)s: %(steps)d steps recorded for %(n)d contributions.")
                    % {"file": upload.name, "steps": len(result.steps), "n": result.contributions},
                )
            else:
                messages.info(request, _("%(file)s: nothing to change.") % {"file": upload.name})
            return redirect("finance-dashboard", slug=coalition.slug)
    context = {"coalition": coalition, "form": form, "errors": errors, "scope": scope}
    return render(request, "finance/upload.html", context, status=status)


def _pledge_template(coalition: Coalition, scope: EntryScope, fmt: str) -> HttpResponse:
    """The pledge file's columns and one example row: a pledge of the reader's own country
    (or the coalition's first member) into the common fund."""
    today = timezone.localdate()
    donor = scope.donor or next(
        (m.country.code for m in members_on(coalition=coalition, on=today)), "GB"
    )
    example = [f"{donor}-{today.year}-001", today, donor, "common-fund", "pledged"]
    example += [Decimal("1000000.00"), "EUR", "", "", "example: replace this row"]
    return filetemplates.template_file("pledge-file", pledgefile.COLUMNS, example, fmt)


def _entry_refusal(scope: EntryScope) -> str:
    return _(
        "Your delegation enters contributions of %(country)s, and other members' only into "
        "the common fund."
    ) % {"country": scope.donor}


@login_required
def contribution_edit(
    request: HttpRequest, slug: str, reference: str | None = None
) -> HttpResponse:
    """A new contribution (no reference) or the next step / a correction of one."""
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    scope = selectors.entry_scope(actor=actor, coalition=coalition)
    existing = None
    fixed: dict[str, object] = {}
    if reference is not None:
        existing = selectors.contribution_get(actor=actor, coalition=coalition, reference=reference)
        selectors.entry_scope(
            actor=actor, coalition=coalition, donor=existing.donor_id, channel=existing.channel
        )
        fixed = {
            "reference": existing.reference,
            "donor": existing.donor_id,
            "channel": existing.channel,
            "category": existing.category_id or "",
            "origin": existing.origin,
        }
    elif scope.donor is not None and not scope.common_fund:
        fixed = {"donor": scope.donor}
    donors = [
        (m.country.code, f"{country_name(m.country)} ({m.country.code})")
        for m in members_on(coalition=coalition, on=timezone.localdate())
    ]
    initial: dict[str, object] = {}
    if existing is not None:
        steps = list(existing.steps.all())
        initial = {"note": existing.note, "currency": steps[-1].currency if steps else ""}
    elif scope.donor is not None:
        initial = {"donor": scope.donor}
    form = ContributionForm(
        request.POST or None,
        donors=donors,
        categories=[(c.slug, category_name(c)) for c in categories_list()],
        fixed=fixed,
        from_status=existing.status if existing else None,
        initial=initial,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not scope.allows(data["donor"], data["channel"]):
            form.add_error("donor", _entry_refusal(scope))
            status = 403
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = contribution_record(
                actor=actor, coalition=coalition, **{**data, "amount": str(data["amount"])}
            )
        except DomainError as error:
            form_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Contribution %(ref)s saved.") % {"ref": saved.reference})
            return redirect("finance-contribution", slug=coalition.slug, reference=saved.reference)
    context = {"coalition": coalition, "form": form, "contribution": existing}
    return render(request, "finance/contribution.html", context, status=status)
