"""The finance reports: the coalition's dashboard and a member's page, public facts with
the ledger's tables for those who may read it. Every table downloads as shown."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.access.actor import actor_of
from coalition.access.policy import may
from coalition.finance import selectors as finance
from coalition.governance.models import Country
from coalition.governance.selectors import coalition_get, country_at
from coalition.reporting import selectors
from coalition.reporting.builders import (
    category_names,
    channel_names,
    contributions_table,
    figures_table,
    funds_table,
    member_names,
    reported_table,
    years_table,
    years_title,
)
from coalition.reporting.tables import table_response


def _year(request: HttpRequest, years: list[int]) -> int:
    try:
        return int(request.GET.get("year") or (years[-1] if years else timezone.now().year))
    except ValueError:
        raise Http404(_("not a year")) from None


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    from coalition.reporting import charts  # plotly: loaded by the pages that draw

    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    by_year = selectors.totals_by_year(coalition=coalition)
    reported = list(selectors.reported_figures(coalition=coalition))
    years = sorted(set(by_year) | {r.year for r in reported})
    year = _year(request, sorted(by_year) or years)
    totals = selectors.totals(coalition=coalition, year=year)
    can_read = may(actor, "ledger.view", coalition=coalition)
    channels = channel_names(totals.by_channel)
    categories = category_names(totals.by_category)
    members = member_names(totals.by_member)
    tables = [
        years_table(by_year),
        figures_table(
            "by_channel", _("By channel (EUR)"), _("Channel"), totals.by_channel, channels
        ),
        figures_table(
            "by_category", _("By category (EUR)"), _("Category"), totals.by_category, categories
        ),
        figures_table("by_member", _("By member (EUR)"), _("Member"), totals.by_member, members),
        reported_table(coalition),
    ]
    if can_read:
        tables.append(funds_table(actor, coalition))
    context = {
        "coalition": coalition,
        "prefix": f"{coalition.slug}-{year}",
        "year": year,
        "years": years,
        "totals": totals,
        "reported_year": [r for r in reported if r.year == year],
        "years_chart": charts.years(by_year, title=years_title()),
        "reported_chart": charts.reported(reported, title=_("Figures reported by sources (EUR)")),
        "channel_chart": charts.breakdown(
            totals.by_channel, title=_("By channel (EUR)"), names=channels
        ),
        "category_chart": charts.breakdown(
            totals.by_category, title=_("By category (EUR)"), names=categories
        ),
        "funds": finance.funds_list(actor=actor, coalition=coalition) if can_read else [],
        "can_read": can_read,
        "can_enter": may(actor, "contribution.enter", coalition=coalition),
        "members": sorted(
            ((c, members.get(c.code, c.name)) for c in Country.objects.filter(code__in=members)),
            key=lambda pair: pair[1],
        ),
    }
    return table_response(request, "reporting/dashboard.html", context, tables)


def member(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    from coalition.reporting import charts

    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    country = country_at(code=code)
    by_year = selectors.totals_by_year(coalition=coalition, donor=country.code)
    year = _year(request, sorted(by_year))
    totals = selectors.totals(coalition=coalition, year=year, donor=country.code)
    can_read = may(actor, "ledger.view", coalition=coalition)
    categories = category_names(totals.by_category)
    tables = [
        years_table(by_year),
        figures_table(
            "by_channel",
            _("By channel (EUR)"),
            _("Channel"),
            totals.by_channel,
            channel_names(totals.by_channel),
        ),
        figures_table(
            "by_category", _("By category (EUR)"), _("Category"), totals.by_category, categories
        ),
        reported_table(coalition, country.code),
    ]
    if can_read:
        tables.append(contributions_table(actor, coalition, country.code))
    context = {
        "coalition": coalition,
        "country": country,
        "prefix": f"{coalition.slug}-{country.code}-{year}",
        "year": year,
        "years": sorted(by_year),
        "totals": totals,
        "years_chart": charts.years(by_year, title=years_title()),
        "country_name": member_names([country.code])[country.code],
        "can_read": can_read,
        "can_enter": may(actor, "contribution.enter", coalition=coalition, donor=country.code),
    }
    return table_response(request, "reporting/member.html", context, tables)
