from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "coalition.demo"
    label = "demo"
    verbose_name = "Drone coalition demo"
