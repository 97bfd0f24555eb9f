from django.urls import path

from coalition.governance import views

urlpatterns = [
    path("coalitions/<slug:slug>/", views.coalition_page, name="coalition"),
    path("countries/<str:code>/", views.country_page, name="country"),
]
