"""Thin web view of a fund's ledger (the reports live in coalition.reporting)."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.access.actor import actor_of
from coalition.finance import selectors
from coalition.governance.selectors import coalition_get
from coalition.reporting.builders import funds_table
from coalition.reporting.tables import Table, table_response

LEDGER_ROWS_SHOWN = 500
LEDGER_ROWS_EXPORTED = 100_000


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
        funds_table(actor, coalition, fund),
        Table("ledger", _("Ledger"), columns, rows, {5}),
    ]
    return table_response(request, "finance/ledger.html", context, tables)
