from django.urls import path

from coalition.procurement import (
    views,
    views_competitions,
    views_deliveries,
    views_needs,
    views_orders,
    views_payments,
    views_plans,
    views_reconcile,
)

COALITION = "coalitions/<slug:slug>/"
COMPETITION = COALITION + "competitions/<str:reference>/"
ORDER = COALITION + "orders/<str:reference>/"

urlpatterns = [
    path("plans/", views.plan_list_page, name="plans"),
    path("plans/<int:run_id>/", views.plan_page, name="plan"),
    path("plans/<int:run_id>/approve/", views_plans.plan_approve, name="plan-approve"),
    path("purchases/", views_needs.purchases_home, name="purchases"),
    path(COALITION + "requirements/", views_needs.requirements_page, name="requirements"),
    path(
        COALITION + "requirements/import/",
        views_needs.requirements_import,
        name="requirements-import",
    ),
    path(COALITION + "competitions/", views_competitions.competitions_page, name="competitions"),
    path(COMPETITION, views_competitions.competition_page, name="competition"),
    path(COMPETITION + "move/", views_competitions.competition_move, name="competition-move"),
    path(COMPETITION + "join/", views_competitions.competition_join, name="competition-join"),
    path(COMPETITION + "offers/", views_competitions.offer_add, name="competition-offer"),
    path(
        COMPETITION + "offers/import/",
        views_competitions.offers_import,
        name="competition-offers-import",
    ),
    path(COMPETITION + "reviews/", views_competitions.review_add, name="competition-review"),
    path(COALITION + "plans/new/", views_plans.plan_build_page, name="plan-build"),
    path(COALITION + "orders/", views_orders.orders_page, name="orders"),
    path(COALITION + "deliveries/", views_deliveries.deliveries_page, name="deliveries"),
    path(
        COALITION + "deliveries/import/",
        views_deliveries.deliveries_import,
        name="deliveries-import",
    ),
    path(ORDER, views_orders.order_page, name="order"),
    path(
        COALITION + "reconciliation/",
        views_reconcile.reconciliation_page,
        name="reconciliation",
    ),
    path(ORDER + "amend/", views_orders.order_amend, name="order-amend"),
    path(ORDER + "cancel/", views_orders.order_cancel, name="order-cancel"),
    path(ORDER + "inspect/", views_payments.order_inspect, name="order-inspect"),
    path(ORDER + "pay/", views_payments.order_pay, name="order-pay"),
    path(ORDER + "close/", views_payments.order_close, name="order-close"),
]
