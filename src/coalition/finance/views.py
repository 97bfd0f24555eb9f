"""Thin web views of the finance domain: the dashboard, a member's page, a fund's ledger.
Every table can be downloaded as shown: `?export=csv|xlsx&table=NAME`."""

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.access.actor import Actor, actor_of
from coalition.access.policy import may
from coalition.finance import selectors
from coalition.finance.models import STATUS_ORDER, AccountKind, Channel, Fund
from coalition.finance.selectors import Figures
from coalition.finance.tables import Table, export
from coalition.governance.models import Coalition, Country
from coalition.governance.selectors import coalition_get, country_at

LEDGER_ROWS_SHOWN = 500
LEDGER_ROWS_EXPORTED = 100_000


def _status_labels() -> list[str]:
    return [_("Pledged"), _("Committed"), _("Disbursed")]


def _figures_table(name: str, title: str, first: str, groups: dict[str, Figures]) -> Table:
    labels = dict(Channel.choices)
    rows = [
        [labels.get(k, k) if name == "by_channel" else (k or "—")]
        + [getattr(f, s) for s in STATUS_ORDER]
        for k, f in groups.items()
    ]
    return Table(name, title, [first, *_status_labels()], rows, numeric={1, 2, 3})


def _years_table(by_year: dict[int, Figures]) -> Table:
    rows = [[y] + [getattr(f, s) for s in STATUS_ORDER] for y, f in by_year.items()]
    return Table(
        "years", _("Totals per year (EUR)"), [_("Year"), *_status_labels()], rows, {1, 2, 3}
    )


def _reported_table(coalition: Coalition, country: str | None = None) -> Table:
    figures = selectors.reported_figures(coalition=coalition)
    if country:
        figures = figures.filter(country_id=country)
    rows: list[list[object]] = [
        [
            f.year,
            f.get_kind_display(),
            f.description,
            f.amount,
            f.currency if f.amount is not None else "",
            "≈" if f.approximate else "",
            f.as_of,
            f.note,
            f.source.key,
        ]
        for f in figures
    ]
    columns = [_("Year"), _("Kind"), _("Figure"), _("Amount"), _("Currency"), _("Approximate")]
    columns += [_("As of"), _("Note"), _("Source")]
    return Table("reported", _("Figures reported by sources"), columns, rows, {3})


def _funds_table(actor: Actor, coalition: Coalition, fund: Fund | None = None) -> Table:
    rows: list[list[object]] = [
        [b.fund.name, b.earmark, b.currency]
        + [b.amounts[k] for k in selectors.FUND_KINDS]
        + [b.available_eur]
        for b in selectors.fund_balances(actor=actor, coalition=coalition, fund=fund)
    ]
    labels = dict(AccountKind.choices)
    columns = [_("Fund"), _("Earmark"), _("Currency")]
    columns += [str(labels[k]) for k in selectors.FUND_KINDS] + [_("Available, EUR today")]
    return Table("funds", _("Fund balances"), columns, rows, {3, 4, 5, 6, 7, 8})


def _year(request: HttpRequest, years: list[int]) -> int:
    try:
        return int(request.GET.get("year") or (years[-1] if years else timezone.now().year))
    except ValueError:
        raise Http404(_("not a year")) from None


def _respond(
    request: HttpRequest, template: str, context: dict[str, object], tables: list[Table]
) -> HttpResponse:
    fmt = request.GET.get("export")
    if fmt:
        wanted = {t.name: t for t in tables}.get(request.GET.get("table", ""))
        if wanted is None or fmt not in ("csv", "xlsx"):
            raise Http404(_("no such table or format"))
        return export(wanted, fmt, prefix=str(context.get("prefix", "finance")))
    context["tables"] = {t.name: t for t in tables}
    return render(request, template, context)


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    from coalition.finance import charts  # plotly: loaded by the pages that draw

    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    by_year = selectors.totals_by_year(coalition=coalition)
    reported = list(selectors.reported_figures(coalition=coalition))
    years = sorted(set(by_year) | {r.year for r in reported})
    year = _year(request, sorted(by_year) or years)
    totals = selectors.totals(coalition=coalition, year=year)
    can_read = may(actor, "ledger.view", coalition=coalition)
    tables = [
        _years_table(by_year),
        _figures_table("by_channel", _("By channel"), _("Channel"), totals.by_channel),
        _figures_table("by_category", _("By category"), _("Category"), totals.by_category),
        _figures_table("by_member", _("By member"), _("Member"), totals.by_member),
        _reported_table(coalition),
    ]
    if can_read:
        tables.append(_funds_table(actor, coalition))
    context = {
        "coalition": coalition,
        "prefix": f"{coalition.slug}-{year}",
        "year": year,
        "years": years,
        "totals": totals,
        "reported_year": [r for r in reported if r.year == year],
        "years_chart": charts.years(by_year, reported, title=_("Totals per year, EUR")),
        "channel_chart": charts.breakdown(
            totals.by_channel, title=_("By channel, EUR"), empty_label="—"
        ),
        "category_chart": charts.breakdown(
            totals.by_category, title=_("By category, EUR"), empty_label=_("no earmark")
        ),
        "funds": selectors.funds_list(actor=actor, coalition=coalition) if can_read else [],
        "can_read": can_read,
        "can_enter": may(actor, "contribution.enter", coalition=coalition),
        "members": Country.objects.filter(code__in=list(totals.by_member)),
    }
    return _respond(request, "finance/dashboard.html", context, tables)


def member(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    from coalition.finance import charts

    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    country = country_at(code=code)
    by_year = selectors.totals_by_year(coalition=coalition, donor=country.code)
    year = _year(request, sorted(by_year))
    totals = selectors.totals(coalition=coalition, year=year, donor=country.code)
    can_read = may(actor, "ledger.view", coalition=coalition)
    tables = [
        _years_table(by_year),
        _figures_table("by_channel", _("By channel"), _("Channel"), totals.by_channel),
        _figures_table("by_category", _("By category"), _("Category"), totals.by_category),
        _reported_table(coalition, country.code),
    ]
    if can_read:
        tables.append(_contributions_table(actor, coalition, country.code))
    context = {
        "coalition": coalition,
        "country": country,
        "prefix": f"{coalition.slug}-{country.code}-{year}",
        "year": year,
        "years": sorted(by_year),
        "totals": totals,
        "years_chart": charts.years(by_year, [], title=_("Totals per year, EUR")),
        "can_read": can_read,
        "can_enter": may(actor, "contribution.enter", coalition=coalition, donor=country.code),
    }
    return _respond(request, "finance/member.html", context, tables)


def _contributions_table(actor: Actor, coalition: Coalition, donor: str | None) -> Table:
    rows = []
    for c in selectors.contributions_list(actor=actor, coalition=coalition, donor=donor):
        steps = {s.status: s for s in c.steps.all()}
        cells: list[object] = [c.reference, c.donor_id, c.get_channel_display(), c.category]
        cells += [c.origin, c.get_status_display()]
        for status in STATUS_ORDER:
            step = steps.get(status)
            cells += [step.date, step.amount, step.currency] if step else [None, None, None]
        cells += [c.note, c.source.key if c.source else ""]
        rows.append(cells)
    columns = [_("Reference"), _("Donor"), _("Channel"), _("Category"), _("Origin"), _("Status")]
    for label in _status_labels():
        columns += [f"{label}: {_('date')}", f"{label}: {_('amount')}", _("Currency")]
    columns += [_("Note"), _("Source")]
    return Table("contributions", _("Contributions"), columns, rows, {7, 10, 13})


def _ledger_filters(request: HttpRequest) -> dict[str, object]:
    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    filters: dict[str, object] = {"start": day("start"), "end": day("end")}
    account = request.GET.get("account", "")
    filters["account_id"] = int(account) if account.isdigit() else None
    earmark = request.GET.get("earmark", "")
    if "|" in earmark:
        filters["category"], filters["origin"] = earmark.split("|", 1)
    return filters


def fund_ledger(request: HttpRequest, slug: str, fund_id: int) -> HttpResponse:
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    fund = selectors.fund_get(actor=actor, coalition=coalition, fund_id=fund_id)
    filters = _ledger_filters(request)
    postings = selectors.ledger(fund=fund, **filters)  # type: ignore[arg-type]
    limit = LEDGER_ROWS_EXPORTED if request.GET.get("export") else LEDGER_ROWS_SHOWN
    rows = [
        [
            p.date,
            p.transaction.idempotency_key,
            p.transaction.kind,
            p.account.get_kind_display(),
            p.account.earmark,
            p.amount,
            p.currency,
            p.transaction.memo,
        ]
        for p in postings[:limit]
    ]
    columns = [_("Date"), _("Transaction"), _("Kind"), _("Account"), _("Earmark")]
    columns += [_("Amount"), _("Currency"), _("Memo")]
    accounts = list(selectors.fund_accounts(fund=fund))
    earmarks = sorted({(a.category, a.origin) for a in accounts})
    context = {
        "coalition": coalition,
        "fund": fund,
        "prefix": f"{coalition.slug}-fund-{fund.id}",
        "holder": selectors.fund_holder(fund, timezone.localdate()),
        "accounts": accounts,
        "earmarks": [(f"{c}|{o}", " · ".join(x for x in (c, o) if x) or "—") for c, o in earmarks],
        "filters": request.GET,
        "shown": LEDGER_ROWS_SHOWN,
    }
    tables = [
        _funds_table(actor, coalition, fund),
        Table("ledger", _("Ledger"), columns, rows, {5}),
    ]
    return _respond(request, "finance/ledger.html", context, tables)
