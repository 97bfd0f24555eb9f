from django.contrib import admin

from coalition.governance import models


@admin.register(models.Coalition)
class CoalitionAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "founded", "accession_rule"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["coalition", "country", "role", "start", "end"]
    list_filter = ["coalition", "role"]


@admin.register(models.Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "publisher", "published"]


@admin.register(models.Delegate)
class DelegateAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "country"]


@admin.register(models.Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["coalition", "country", "status", "submitted", "decided"]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["coalition", "date", "kind", "place"]
