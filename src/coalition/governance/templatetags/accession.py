"""Template helpers of the accession procedure, for pages of other apps (the home page)."""

from typing import Any

from django import template
from django.utils import timezone

from coalition.access import policy
from coalition.access.actor import actor_of
from coalition.governance import labels, selectors
from coalition.governance.models import Application, ApplicationStatus, Coalition, Meeting, Role

register = template.Library()


@register.simple_tag(takes_context=True)
def accession_home(context: template.Context) -> dict[str, Any]:
    """What the logged-in user's home page shows: what awaits its country's vote and, for
    the chair of a coalition (or an administrator), every pending application."""
    actor = actor_of(context.get("request"))
    today = timezone.localdate()
    country = actor.speaks_for
    coalitions = list(selectors.coalition_list())
    chaired: list[Coalition] | None = [c for c in coalitions if policy.is_chair(actor, c)] or None
    # A candidate's delegate has no vote anywhere: no "Awaiting your vote" panel for it.
    voter = country is not None and any(
        Role.MEMBER in selectors.roles_on(coalition=c, country_code=country, on=today)
        for c in coalitions
    )
    return {
        "voter": voter,
        "awaiting": (
            list(selectors.applications_awaiting_vote(country_code=country, on=today))
            if country is not None
            else []
        ),
        "own": (
            list(
                Application.objects.filter(country_id=country, status=ApplicationStatus.PENDING)
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


@register.filter
def meeting_name(meeting: Meeting) -> str:
    """ "summit · 28 May 2025 · Riga": a meeting with its date the page's way."""
    return labels.meeting_name(meeting)


@register.filter
def role_label(code: str) -> str:
    """ "fund manager" for "fund-manager", in the reader's language."""
    return str(Role(code).label) if code in Role.values else code
