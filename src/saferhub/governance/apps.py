from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "saferhub.governance"
    label = "governance"
    verbose_name = "Governance: budget, funded projects, risks"

    def ready(self) -> None:
        from celery.schedules import crontab
        from django.conf import settings

        from saferhub.core.stages import StageLink, stage_link
        from saferhub.governance import home, tasks  # noqa: F401  (register the reminder task)

        home.register()
        from saferhub.governance import public

        public.register()

        # Risk review reminders, every Monday morning (Celery beat).
        schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
        if isinstance(schedule, dict):
            schedule.setdefault(
                "governance-risk-reviews",
                {
                    "task": "saferhub.governance.risk_reviews",
                    "schedule": crontab(hour=7, minute=15, day_of_week="mon"),
                },
            )
        stage_link(
            "monitor",
            StageLink(
                "Board pack",
                "governance:board_pack",
                "governance.view_budget",
                "The quarterly Board pack as one PDF and one workbook.",
            ),
        )
        stage_link(
            "monitor",
            StageLink(
                "Risk register",
                "governance:risks",
                "governance.view_budget",
                "Risks scored before and after controls, the heat map, reviews due.",
            ),
        )

        stage_link(
            "monitor",
            StageLink(
                "End-of-year report",
                "governance:end_of_year",
                "governance.view_budget",
                "Achievements, recorded crime against target, the cost of crime, outturn, "
                "funded projects.",
            ),
        )
        stage_link(
            "monitor",
            StageLink(
                "The Board",
                "governance:board",
                "governance.view_budget",
                "Membership, meetings with their agendas, minutes and decisions.",
            ),
        )
        stage_link(
            "monitor",
            StageLink(
                "Consultation log",
                "governance:consultations",
                "governance.view_budget",
                "Who was consulted, what they said, what changed as a result.",
            ),
        )
        stage_link(
            "monitor",
            StageLink(
                "Surveys",
                "governance:surveys",
                "governance.view_budget",
                "Residents' and young people's survey waves.",
            ),
        )
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
