from django.urls import path

from coalition.audit import views

urlpatterns = [
    path("audit/", views.audit_page, name="audit"),
    path("audit/verify/", views.audit_verify_view, name="audit-verify"),
    path("audit/heads/", views.audit_heads_export, name="audit-heads"),
    path("audit/heads/compare/", views.audit_heads_compare_view, name="audit-heads-compare"),
]
