from django.contrib import admin

from coalition.governance import models
from coalition.web.admin import ReadOnlyAdmin


@admin.register(models.Coalition)
class CoalitionAdmin(ReadOnlyAdmin):
    list_display = ["slug", "name", "founded", "accession_rule"]


@admin.register(models.Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["coalition", "country", "role", "start", "end"]
    list_filter = ["coalition", "role"]


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
