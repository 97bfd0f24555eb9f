from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest

from coalition.access.actor import actor_of
from coalition.governance import models
from coalition.governance.services.categories import category_save
from coalition.governance.services.publication import coalition_publication_set
from coalition.governance.services.users import (
    user_admin_delete,
    user_admin_save,
    user_password_changed_record,
)
from coalition.web.admin import ReadOnlyAdmin


@admin.register(models.Coalition)
class CoalitionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only but for the OCDS publication settings, saved through the audited
    service."""

    list_display = ["slug", "name", "founded", "accession_rule", "ocid_prefix"]
    PUBLICATION = ("ocid_prefix", "confidential_prices", "confidential_suppliers")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in models.Coalition._meta.fields if f.name not in self.PUBLICATION]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        coalition_publication_set(
            actor=actor_of(request),
            coalition=obj,
            ocid_prefix=obj.ocid_prefix,
            confidential_prices=obj.confidential_prices,
            confidential_suppliers=obj.confidential_suppliers,
        )


@admin.register(models.Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["coalition", "country", "role", "start", "end"]
    list_filter = ["coalition", "role"]


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Administrators add and rename categories (through the audited service); the slug,
    which requirements, offers and earmarks refer to, is fixed once created."""

    list_display = ["slug", "name_en", "name_fr", "name_uk", "position"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["slug"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        category_save(actor=actor_of(request), category=obj)


@admin.register(models.Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ["key", "title", "publisher", "published"]


@admin.register(models.Delegate)
class DelegateAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "country"]


@admin.register(models.Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["coalition", "country", "status", "submitted", "decided"]


@admin.register(models.Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["coalition", "date", "kind", "place"]


# Users and their rights are changed in the back office, through the services: each change
# leaves an audit event with the rights that result. Groups are read-only there (the
# platform's rights come from delegations; a group could grant the back office's own).
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):  # type: ignore[type-arg]
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        request._user_created = not change  # type: ignore[attr-defined]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        user_admin_save(
            actor=actor_of(request),
            user=form.instance,
            created=getattr(request, "_user_created", False),
            save_related=lambda: super(AuditedUserAdmin, self).save_related(
                request, form, formsets, change
            ),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        user_admin_delete(actor=actor_of(request), user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            user_admin_delete(actor=actor_of(request), user=user)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if request.path.endswith("/password/"):
            user_password_changed_record(actor=actor_of(request), user=obj)
        return super().log_change(request, obj, message)


@admin.register(Group)
class ReadOnlyGroupAdmin(ReadOnlyAdmin):
    list_display = ["name"]
