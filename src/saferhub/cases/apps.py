from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhub.cases"
    label = "cases"
    verbose_name = "Case work"

    def ready(self) -> None:
        from celery.schedules import crontab
        from django.conf import settings

        from saferhub.cases import (  # noqa: F401  (register types, exchange files and tasks)
            case_types,
            home,
            marac_imports,
            tasks,
        )
        from saferhub.core.stages import StageLink, stage_link

        home.register()
        from saferhub.cases import public as public_site

        public_site.register()
        from saferhub.cases import board

        board.register()
        personal = "accounts.view_personal_data"
        stage_link("deliver", StageLink("Cases", "cases:list", personal, "Cases you may see."))
        stage_link(
            "deliver",
            StageLink("Your cases", "cases:mine", personal, "Reviews due, victims not updated."),
        )
        for title, url_name, perm, text in (
            (
                "MARAC",
                "cases:marac_home",
                "cases.work_marac",
                "DASH, referrals, meetings, actions.",
            ),
            ("IOM cohort", "cases:iom_home", "cases.work_iom", "Cohorts, members, reviews due."),
            ("Channel cases", "cases:channel_list", "cases.work_channel", "Panel cases, reviews."),
        ):
            stage_link("deliver", StageLink(title, url_name, perm, text))
        stage_link(
            "monitor",
            StageLink(
                "MARAC data return",
                "cases:marac_return",
                "cases.work_marac",
                "The quarterly return for a quarter.",
            ),
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
        schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
        if isinstance(schedule, dict):
            schedule.setdefault(
                "cases-victim-update-reminders",
                {
                    "task": "saferhub.cases.victim_update_reminders",
                    "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
                },
            )
            schedule.setdefault(
                "cases-retention-due",
                {"task": "saferhub.cases.retention_due", "schedule": crontab(0, 6, day_of_month=1)},
            )
