from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhub.cases"
    label = "cases"
    verbose_name = "Case work"

    def ready(self) -> None:
        from saferhub.cases import case_types  # noqa: F401  (registers the case types)
        from saferhub.core.stages import StageLink, stage_link

        personal = "accounts.view_personal_data"
        stage_link("deliver", StageLink("Cases", "cases:list", personal, "Cases you may see."))
        stage_link(
            "deliver",
            StageLink("Your cases", "cases:mine", personal, "Reviews due, victims not updated."),
        )
        stage_link(
            "monitor",
            StageLink(
                "ASB Case Review figures",
                "cases:figures",
                "cases.view_case_review_figures",
                "The four statutory figures for a year.",
            ),
        )
