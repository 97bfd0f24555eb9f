from django.urls import path

from coalition.accounts import views

urlpatterns = [
    path("login/verify/", views.login_verify, name="login-verify"),
    path("account/two-factor/", views.two_factor, name="two-factor"),
]
