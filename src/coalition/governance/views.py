"""Thin web views of the governance domain."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.access import policy
from coalition.access.actor import actor_of
from coalition.governance import selectors
from coalition.governance.models import ApplicationStatus, Coalition, Role, Source
from coalition.web.charts import timeline

ROLE_COLORS = {
    "member": "#1f5fa8",
    "chair": "#c77c02",
    "fund-manager": "#2a8a4a",
    "beneficiary": "#0057b7",
    "candidate": "#9a9a9a",
    "observer": "#7a5ea8",
}


def _membership_timeline(coalition: Coalition, today: date) -> str:
    rows = [
        {
            "label": f"{m.country.flag} {m.country.name}"
            + ("" if m.role == Role.MEMBER else f" · {m.get_role_display()}"),
            "start": m.start,
            "end": m.end or today,
            "color": ROLE_COLORS.get(m.role, "#555"),
            "hover": f"{m.country.name}: {m.get_role_display()} {m.start:%Y-%m-%d} → "
            + (f"{m.end:%Y-%m-%d}" if m.end else _("today")),
        }
        for m in selectors.membership_history(coalition=coalition)
    ]
    return timeline(rows, title=_("Members and roles over time"))


def coalition_page(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = selectors.coalition_get(slug=slug)
    actor = actor_of(request)
    today = timezone.localdate()
    members = selectors.members_on(coalition=coalition, on=today)
    holders = {
        role: selectors.role_holder_on(coalition=coalition, role=role, on=today)
        for role in (Role.CHAIR, Role.FUND_MANAGER, Role.BENEFICIARY)
    }
    countries = {row.country.code: row.country for row in members}
    applications = selectors.applications_public(coalition=coalition)
    chair = policy.is_chair(actor, coalition)
    context = {
        "coalition": coalition,
        "today": today,
        "members": members,
        "chair": countries.get(holders[Role.CHAIR] or ""),
        "fund_manager": countries.get(holders[Role.FUND_MANAGER] or ""),
        "beneficiary": countries.get(holders[Role.BENEFICIARY] or ""),
        "pending": [a for a in applications if a.status == ApplicationStatus.PENDING],
        "decided": [a for a in applications if a.status != ApplicationStatus.PENDING],
        "is_chair": chair,
        "may_apply": not chair and bool(selectors.apply_countries(actor, coalition, today)),
        "timeline": _membership_timeline(coalition, today),
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
