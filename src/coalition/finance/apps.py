from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "coalition.finance"
    label = "finance"
    verbose_name = "Finance"
