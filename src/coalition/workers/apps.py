from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "coalition.workers"
    label = "workers"
    verbose_name = "Task workers"
