"""Thin web view of a fund's ledger (the reports live in coalition.reporting)."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.access.actor import actor_of
from coalition.finance import selectors
from coalition.finance.forms import LedgerFilterForm
from coalition.finance.ledger_text import describe, kind_label
from coalition.finance.models import DONOR_KINDS
from coalition.governance.selectors import coalition_get
from coalition.reporting.builders import funds_table
from coalition.reporting.tables import Table, table_response

LEDGER_ROWS_SHOWN = 500
LEDGER_ROWS_EXPORTED = 100_000


def _ledger_filters(request: HttpRequest, form: LedgerFilterForm) -> dict[str, object]:
    filters: dict[str, object] = {
        "start": form.cleaned_data.get("start"),
        "end": form.cleaned_data.get("end"),
    }
    account = request.GET.get("account", "")
    filters["account_id"] = int(account) if account.isdigit() else None
    earmark = request.GET.get("earmark", "")
    if "|" in earmark:
        filters["category"], filters["origin"] = earmark.split("|", 1)
    return filters


def fund_ledger(request: HttpRequest, slug: str, fund_id: int) -> HttpResponse:
    """The fund's own accounts by default (pledges and commitments received, available,
    obligated, paid out); the donors' side of the same entries is counted, not listed."""
    coalition = coalition_get(slug=slug)
    actor = actor_of(request)
    fund = selectors.fund_get(actor=actor, coalition=coalition, fund_id=fund_id)
    form = LedgerFilterForm(request.GET)
    valid = form.is_valid()
    exporting = bool(request.GET.get("export"))
    if not valid and exporting:
        return HttpResponseBadRequest(" ".join(str(e) for es in form.errors.values() for e in es))
    filters = _ledger_filters(request, form) if valid else {}
    postings = selectors.ledger(fund=fund, kinds=selectors.FUND_KINDS, **filters)  # type: ignore[arg-type]
    hidden = 0
    if valid and filters.get("account_id") is None:
        hidden = selectors.ledger(fund=fund, kinds=DONOR_KINDS, **filters).count()  # type: ignore[arg-type]
    limit = LEDGER_ROWS_EXPORTED if exporting else LEDGER_ROWS_SHOWN
    rows: list[list[object]] = []
    for p in postings[:limit] if valid else []:
        row: list[object] = [p.date, describe(p.transaction), kind_label(p.transaction.kind)]
        row += [p.account.get_kind_display(), p.account.earmark, p.amount, p.currency]
        if exporting:  # the key and the memo: for scripts and the auditor, not the page
            row[1:1] = [p.transaction.idempotency_key]
            row.append(p.transaction.memo)
        rows.append(row)
    columns = [_("Date"), _("Description"), _("Kind"), _("Account"), _("Earmark")]
    columns += [_("Amount"), _("Currency")]
    if exporting:
        columns[1:1] = [_("Transaction")]
        columns.append(_("Memo"))
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
        "form": form,
        "valid": valid,
        "hidden": hidden,
        "shown": LEDGER_ROWS_SHOWN,
    }
    tables = [
        funds_table(actor, coalition, fund),
        Table("ledger", _("Ledger"), columns, rows, {6, 7} if exporting else {5}),
    ]
    response = table_response(request, "finance/ledger.html", context, tables)
    if not valid:
        response.status_code = 400
    return response
