from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "saferhub.actions"
    label = "actions"
    verbose_name = "Action plans and delivery"

    def ready(self) -> None:
        from saferhub.actions import home

        home.register()
        from celery.schedules import crontab
        from django.conf import settings

        from saferhub.actions import (  # noqa: F401  (register the import job, reminder task)
            jobs,
            tasks,
        )
        from saferhub.core.stages import StageLink, stage_link

        view = "actions.view_action"
        stage_link(
            "plan",
            StageLink(
                "Action plans", "actions:plans", view, "Action plans by year, import, year end."
            ),
        )
        stage_link(
            "deliver",
            StageLink(
                "Actions",
                "actions:list",
                view,
                "Every action: filter by priority, partner, status, due date.",
            ),
        )
        stage_link(
            "deliver",
            StageLink("Your actions", "actions:mine", view, "Your overdue and due-soon actions."),
        )
        stage_link(
            "deliver",
            StageLink(
                "Action teams and meetings",
                "actions:teams",
                view,
                "Groups, their due actions and meeting agendas.",
            ),
        )
        stage_link(
            "monitor",
            StageLink(
                "Action plan year end",
                "actions:plans",
                view,
                "Actions completed and carried forward per action team.",
            ),
        )
        # Reminders of overdue and due-soon actions, every weekday morning (Celery beat).
        schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
        if isinstance(schedule, dict):
            schedule.setdefault(
                "actions-remind",
                {
                    "task": "saferhub.actions.remind",
                    "schedule": crontab(
                        hour=getattr(settings, "SAFERHUB_ACTIONS_REMIND_HOUR", 7),
                        minute=0,
                        day_of_week="mon-fri",
                    ),
                },
            )
