from django.urls import path

from coalition.finance import entry, views

urlpatterns = [
    path(
        "coalitions/<slug:slug>/finance/funds/<int:fund_id>/",
        views.fund_ledger,
        name="finance-fund",
    ),
    path("coalitions/<slug:slug>/finance/import/", entry.pledges_upload, name="finance-import"),
    path(
        "coalitions/<slug:slug>/finance/contributions/new/",
        entry.contribution_edit,
        name="finance-contribution-new",
    ),
    path(
        "coalitions/<slug:slug>/finance/contributions/<path:reference>/",
        entry.contribution_edit,
        name="finance-contribution",
    ),
]
