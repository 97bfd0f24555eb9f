"""Template helpers of the accession procedure, for pages of other apps (the home page)."""

from typing import Any

from django import template
from django.utils import timezone

from coalition.governance import labels, permissions, selectors
from coalition.governance.models import Application, ApplicationStatus, Coalition, Role

register = template.Library()


@register.simple_tag(takes_context=True)
def accession_home(context: template.Context) -> dict[str, Any]:
    """What the logged-in user's home page shows: what awaits its country's vote and, for
    the chair of a coalition (or an administrator), every pending application."""
    request = context.get("request")
    user = getattr(request, "user", None)
    today = timezone.localdate()
    country = permissions.delegate_country(user)
    chaired: list[Coalition] | None = None
    if permissions.is_admin(user):
        chaired = list(selectors.coalition_list())
    elif country is not None:
        chaired = [
            c
            for c in selectors.coalition_list()
            if country.code in selectors.role_holders_on(coalition=c, role=Role.CHAIR, on=today)
        ] or None
    return {
        "voter": country is not None,
        "awaiting": (
            list(selectors.applications_awaiting_vote(country_code=country.code, on=today))
            if country is not None
            else []
        ),
        "own": (
            list(
                Application.objects.filter(country=country, status=ApplicationStatus.PENDING)
                .select_related("coalition", "country")
                .order_by("submitted")
            )
            if country is not None
            else []
        ),
        "pending": (
            list(selectors.applications_pending(coalitions=chaired))
            if chaired is not None
            else None
        ),
    }


@register.filter
def decision_label(application: Application) -> str:
    return labels.decision_label(application)
