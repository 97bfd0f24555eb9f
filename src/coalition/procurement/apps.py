from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "coalition.procurement"
    label = "procurement"
    verbose_name = "Procurement"
