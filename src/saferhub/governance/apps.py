from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "saferhub.governance"
    label = "governance"
    verbose_name = "Governance: budget and funded projects"

    def ready(self) -> None:
        from saferhub.core.stages import StageLink, stage_link

        stage_link(
            "monitor",
            StageLink(
                "Budget",
                "governance:years",
                "governance.view_budget",
                "Income and expenditure by year, quarterly spend, forecast outturn and variance.",
            ),
        )
        stage_link(
            "monitor",
            StageLink(
                "Funded projects",
                "governance:projects",
                "governance.view_budget",
                "Projects and commissioned services: outputs, cost per output, cost of crime.",
            ),
        )
