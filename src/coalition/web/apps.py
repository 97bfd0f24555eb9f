from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "coalition.web"
    label = "web"
    verbose_name = "Web interface"
