from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saferhub.core"
    label = "core"
    verbose_name = "SaferHub core"
