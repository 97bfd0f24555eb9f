from django.urls import path

from coalition.procurement import views

urlpatterns = [
    path("plans/", views.plan_list_page, name="plans"),
    path("plans/<int:run_id>/", views.plan_page, name="plan"),
]
