from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "saferhub.api"
    label = "api"
    verbose_name = "REST API"
