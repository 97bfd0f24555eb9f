from django.contrib import admin

from coalition.finance import models
from coalition.web.admin import ReadOnlyAdmin


@admin.register(models.Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "coalition", "donor", "channel", "status", "category", "origin"]
    list_filter = ["coalition", "channel", "status"]
    search_fields = ["reference"]


@admin.register(models.Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "coalition", "channel", "country"]


@admin.register(models.Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "floor_zero"]
    list_filter = ["kind"]


@admin.register(models.LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["idempotency_key", "date", "kind", "memo", "recorded_at"]
    search_fields = ["idempotency_key"]


@admin.register(models.Rate)
class RateAdmin(ReadOnlyAdmin):
    list_display = ["currency", "date", "rate", "source"]
    list_filter = ["source", "currency"]


@admin.register(models.ReportedFigure)
class ReportedFigureAdmin(ReadOnlyAdmin):
    list_display = ["description", "kind", "year", "amount_minor", "currency", "source"]
