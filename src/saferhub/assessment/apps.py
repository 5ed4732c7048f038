from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "saferhub.assessment"
    label = "assessment"
