from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "saferhub.performance"
    label = "performance"
    verbose_name = "Priorities, targets and performance"

    def ready(self) -> None:
        from saferhub.core.stages import StageLink, stage_link
        from saferhub.incidents.hooks import after_import
        from saferhub.performance import services  # (registers the refresh job)

        after_import(services.measurements_refresh)

        from saferhub.performance import public

        public.register()

        from saferhub.performance import home

        home.register()

        stage_link(
            "plan",
            StageLink(
                "Priorities and indicators",
                "performance:priorities",
                "performance.view_priority",
                "Strategic priorities, objectives, indicators with baselines, targets and "
                "milestones.",
            ),
        )
        stage_link(
            "monitor",
            StageLink(
                "Performance scorecard",
                "performance:scorecard",
                "performance.view_priority",
                "Every indicator: value, change and its significance, forecast and status "
                "with its rule.",
            ),
        )
        stage_link(
            "monitor",
            StageLink(
                "Quarterly performance report for the Board",
                "performance:board_report",
                "performance.view_priority",
                "Page, PDF and Excel.",
            ),
        )
        stage_link(
            "monitor",
            StageLink(
                "Year-end table",
                "performance:year_end",
                "performance.view_priority",
                "Priority, previous level, current level, target, above or below target.",
            ),
        )
