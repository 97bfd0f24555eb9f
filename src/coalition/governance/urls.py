from django.urls import path

from coalition.governance import accession_views, token_views, views

urlpatterns = [
    path("coalitions/<slug:slug>/", views.coalition_page, name="coalition"),
    path("coalitions/<slug:slug>/apply/", accession_views.apply_page, name="apply"),
    path("coalitions/<slug:slug>/meetings/", accession_views.meetings_page, name="meetings"),
    path(
        "coalitions/<slug:slug>/applications/<int:application_id>/",
        accession_views.application_page,
        name="application",
    ),
    path(
        "coalitions/<slug:slug>/applications/<int:application_id>/vote/",
        accession_views.application_vote,
        name="application-vote",
    ),
    path(
        "coalitions/<slug:slug>/applications/<int:application_id>/withdraw/",
        accession_views.application_withdraw,
        name="application-withdraw",
    ),
    path(
        "coalitions/<slug:slug>/applications/<int:application_id>/meeting/",
        accession_views.application_link_meeting,
        name="application-meeting",
    ),
    path("countries/<str:code>/", views.country_page, name="country"),
    path("account/tokens/", token_views.tokens_page, name="account-tokens"),
    path(
        "account/tokens/<int:token_id>/revoke/",
        token_views.token_revoke_view,
        name="account-token-revoke",
    ),
]
