"""Thin web views of the governance domain."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coalition.access import policy
from coalition.access.actor import actor_of
from coalition.governance import selectors
from coalition.governance.forms import MembersOnForm
from coalition.governance.models import ApplicationStatus, Role, Source


def coalition_page(request: HttpRequest, slug: str) -> HttpResponse:
    from coalition.governance import charts  # plotly: loaded by the pages that draw

    coalition = selectors.coalition_get(slug=slug)
    actor = actor_of(request)
    today = timezone.localdate()
    form = MembersOnForm(request.GET or None)
    day = (form.cleaned_data["on"] if form.is_valid() else None) or today
    members = selectors.members_on(coalition=coalition, on=day)
    current = members if day == today else selectors.members_on(coalition=coalition, on=today)
    holders = {
        role: selectors.role_holder_on(coalition=coalition, role=role, on=today)
        for role in (Role.CHAIR, Role.FUND_MANAGER, Role.BENEFICIARY)
    }
    countries = {row.country.code: row.country for row in current}
    applications = selectors.applications_public(coalition=coalition)
    chair = policy.is_chair(actor, coalition)
    context = {
        "coalition": coalition,
        "today": today,
        "day": day,
        "form": form,
        "members": members,
        "member_count": len(current),
        "chair": countries.get(holders[Role.CHAIR] or ""),
        "fund_manager": countries.get(holders[Role.FUND_MANAGER] or ""),
        "beneficiary": countries.get(holders[Role.BENEFICIARY] or ""),
        "pending": [a for a in applications if a.status == ApplicationStatus.PENDING],
        "decided": [a for a in applications if a.status != ApplicationStatus.PENDING],
        "is_chair": chair,
        "may_apply": selectors.may_apply(actor, coalition, today),
        "own": None if chair else selectors.own_pending_application(actor, coalition),
        "timeline": charts.membership_timeline(coalition, today),
        "sources": Source.objects.order_by("published", "key"),
    }
    return render(request, "governance/coalition.html", context)


def country_page(request: HttpRequest, code: str) -> HttpResponse:
    country = selectors.country_at(code=code)
    context = {
        "country": country,
        "memberships": selectors.country_memberships(country=country),
        "applications": country.applications.select_related("coalition"),
    }
    return render(request, "governance/country.html", context)
