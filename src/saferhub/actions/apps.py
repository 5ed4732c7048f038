from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "saferhub.actions"
    label = "actions"
