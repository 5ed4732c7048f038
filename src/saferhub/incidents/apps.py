from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "saferhub.incidents"
    label = "incidents"

    def ready(self) -> None:
        from saferhub.incidents import upload_setup

        upload_setup.register()
