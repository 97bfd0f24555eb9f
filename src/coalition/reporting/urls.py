from django.urls import path

from coalition.reporting import views, views_public

# The finance reports keep their addresses (and names) under /finance/.
urlpatterns = [
    path("coalitions/<slug:slug>/finance/", views.dashboard, name="finance-dashboard"),
    path(
        "coalitions/<slug:slug>/finance/members/<str:code>/",
        views.member,
        name="finance-member",
    ),
]
urlpatterns += [
    path("coalitions/<slug:slug>/public/", views_public.public, name="public"),
]
urlpatterns += [
    path(
        "coalitions/<slug:slug>/public/summit.pdf",
        views_public.summit_report,
        name="summit-report",
    ),
]
