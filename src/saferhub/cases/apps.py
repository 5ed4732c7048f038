from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhub.cases"
    label = "cases"
    verbose_name = "Case work"

    def ready(self) -> None:
        from saferhub.cases import case_types  # noqa: F401  (registers the case types)
