from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "saferhub.governance"
    label = "governance"
    verbose_name = "Governance: budget"

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
