"""Thin web views that write: the pledge file upload and the single-contribution form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.errors import DomainError, FileRejected, NotFound
from coalition.finance import permissions, selectors, services
from coalition.finance.errors import NotAllowed
from coalition.finance.forms import ContributionForm, PledgeFileForm
from coalition.finance.views import coalition_or_404
from coalition.governance.models import Coalition
from coalition.governance.selectors import members_on


def _scope(request: HttpRequest, coalition: Coalition) -> str | None:
    try:
        return permissions.entry_scope(request.user, coalition)  # type: ignore[arg-type]
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error


@login_required
def pledges_upload(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = coalition_or_404(slug)
    scope = _scope(request, coalition)
    form = PledgeFileForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.pledges_import(
                actor=request.user, coalition=coalition, data=upload.read(), name=upload.name
            )
        except FileRejected as rejected:
            errors = [str(e) for e in rejected.errors]
            status = 422
        except DomainError as error:
            errors = [error.message]
            status = error.status
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


@login_required
def contribution_edit(
    request: HttpRequest, slug: str, reference: str | None = None
) -> HttpResponse:
    """A new contribution (no reference) or the next step / a correction of one."""
    coalition = coalition_or_404(slug)
    scope = _scope(request, coalition)
    existing = None
    fixed: dict[str, object] = {}
    if reference is not None:
        try:
            existing = selectors.contribution_get(coalition=coalition, reference=reference)
        except NotFound as error:
            raise Http404(error.message) from error
        if scope is not None and existing.donor_id != scope:
            raise PermissionDenied(_("Your delegation enters its own country's contributions."))
        fixed = {
            "reference": existing.reference,
            "donor": existing.donor_id,
            "channel": existing.channel,
            "category": existing.category,
            "origin": existing.origin,
        }
    elif scope is not None:
        fixed = {"donor": scope}
    donors = [
        (m.country.code, f"{m.country.name} ({m.country.code})")
        for m in members_on(coalition=coalition, on=timezone.localdate())
    ]
    form = ContributionForm(
        request.POST or None,
        donors=donors,
        fixed=fixed,
        from_status=existing.status if existing else None,
        initial={"note": existing.note} if existing else None,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.contribution_record(
                actor=request.user, coalition=coalition, **{**data, "amount": str(data["amount"])}
            )
        except FileRejected as rejected:
            for e in rejected.errors:
                form.add_error(e.column if e.column in form.fields else None, e.message)
            status = 422
        except DomainError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, _("Contribution %(ref)s saved.") % {"ref": saved.reference})
            return redirect("finance-contribution", slug=coalition.slug, reference=saved.reference)
    context = {"coalition": coalition, "form": form, "contribution": existing}
    return render(request, "finance/contribution.html", context, status=status)
