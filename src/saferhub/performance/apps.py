from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "saferhub.performance"
    label = "performance"
